/** Kubernetes' own default issuer: kept second so tokens issued before the switch stay valid. */
export const KUBERNETES_DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * Values for a Giant Swarm cluster app: the accepted issuers, the new one first (the API server signs
 * with the first), the cluster's default second.
 */
export function giantSwarmValues(issuer: string): Record<string, unknown> {
  return {
    cluster: {
      providerIntegration: {
        controlPlane: {
          kubeadmConfig: {
            clusterConfiguration: {
              apiServer: {
                serviceAccountIssuers: [{ url: issuer }, { url: KUBERNETES_DEFAULT_ISSUER }],
              },
            },
          },
        },
      },
    },
  };
}
