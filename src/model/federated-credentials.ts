import { WEBHOOK_AUDIENCE } from './constants';
import { serviceAccountSubject } from '../core/names';
import type { FederatedCredentialPlan, PlannedValue } from './fleet-plan';
import { logicalId, shortHash } from './logical-id';

/**
 * Entra FIC name for a service account of a cluster: `<cluster>_<namespace>_<serviceAccount>`, at most 120.
 * `_` never occurs in the parts, so team-a/api and team/a-api stay apart.
 */
export function federatedCredentialName(cluster: string, namespace: string, serviceAccount: string): string {
  const plain = `${cluster}_${namespace}_${serviceAccount}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return plain.length <= 120 ? plain : `${plain.slice(0, 111)}-${shortHash(plain)}`;
}

/**
 * The FIC of a service account whose pods get a token with the webhook's audience (workloads, CAPZ and ASO,
 * External Secrets on a Hive hub): one builder for every platform. An issuer known only after apply is
 * referred to by its cluster, so Terraform fills it in.
 */
export function workloadFederatedCredential(cluster: string, issuer: PlannedValue, identity: string, namespace: string, serviceAccount: string): FederatedCredentialPlan {
  return {
    name: federatedCredentialName(cluster, namespace, serviceAccount),
    identity,
    cluster,
    issuer: issuer.output ? { kind: 'cluster', cluster } : { kind: 'literal', value: issuer.value },
    subject: serviceAccountSubject(namespace, serviceAccount),
    audience: WEBHOOK_AUDIENCE,
    logicalId: logicalId('fic', identity, cluster, namespace, serviceAccount),
  };
}
