import type { ClusterPlan } from '../model/fleet-plan';
import { discoveryDocument, discoveryJson } from '../oidc/discovery';
import { hostedJwksJson } from '../oidc/jwks';
import { DISCOVERY_PATH, JWKS_PATH } from '../oidc/paths';

/** The two documents a hosted issuer serves, by path below the issuer, for OUT/oidc/<cluster>/; none for managed issuers. */
export function oidcDocuments(cluster: ClusterPlan): ReadonlyMap<string, string> {
  const hosted = cluster.selfManaged;
  if (!hosted) return new Map();
  return new Map([
    [DISCOVERY_PATH, discoveryJson(discoveryDocument(cluster.issuer.value, hosted.signingAlgorithms))],
    [JWKS_PATH, hostedJwksJson(hosted.jwks)],
  ]);
}
