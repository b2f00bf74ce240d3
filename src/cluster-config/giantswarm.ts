import { KUBERNETES_DEFAULT_ISSUER } from '../model/constants';

/** Kubernetes' own default issuer: kept second by default so tokens issued before the switch stay valid. */
export { KUBERNETES_DEFAULT_ISSUER };

/**
 * Values for a Giant Swarm cluster app: the accepted issuers, the new one first (the API server signs
 * with the first), the previous ones after it. The chart takes `serviceAccountIssuers` as a list of
 * `{url}` (or `{templateName}`/`{clusterDomainPrefix}`), sets the first as `service-account-issuer` and the
 * others as further ones (giantswarm/cluster
 * `helm/cluster/templates/clusterapi/controlplane/_helpers_clusterconfiguration_apiserver.tpl`). It has no
 * value for the key files: Giant Swarm manages the signing key, so publish its public key.
 */
export function giantSwarmValues(issuer: string, previousIssuers: readonly string[] = [KUBERNETES_DEFAULT_ISSUER]): Record<string, unknown> {
  return {
    cluster: {
      providerIntegration: {
        controlPlane: {
          kubeadmConfig: {
            clusterConfiguration: {
              apiServer: {
                serviceAccountIssuers: [issuer, ...previousIssuers].map((url) => ({ url })),
              },
            },
          },
        },
      },
    },
  };
}
