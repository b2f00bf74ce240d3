import { WEBHOOK_AUDIENCE } from './constants';
import { serviceAccountSubject } from '../core/names';
import type { FederatedCredentialPlan, PlannedValue, PreviousIssuer } from './fleet-plan';
import { logicalId, shortHash } from './logical-id';

/**
 * Entra FIC name for a service account of a cluster: `<cluster>_<namespace>_<serviceAccount>`, at most 120.
 * `_` never occurs in the parts, so team-a/api and team/a-api stay apart.
 */
export function federatedCredentialName(cluster: string, namespace: string, serviceAccount: string, previousIssuer?: string): string {
  const plain = `${cluster}_${namespace}_${serviceAccount}`.replace(/[^A-Za-z0-9_-]/g, '-');
  // a previous issuer's FIC: `_previous-<hash of the issuer>` after the same name (13 characters of the 120)
  const suffix = previousIssuer === undefined ? '' : `_previous-${shortHash(previousIssuer)}`;
  const room = 120 - suffix.length;
  return (plain.length <= room ? plain : `${plain.slice(0, room - 9)}-${shortHash(plain)}`) + suffix;
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

/**
 * The FIC of a service account for an issuer its cluster is moving away from: tokens issued under that
 * issuer (by the cluster before it was recreated, or by the one it replaces) still match until it is removed.
 */
export function previousIssuerFederatedCredential(cluster: string, previous: PreviousIssuer, identity: string, namespace: string, serviceAccount: string): FederatedCredentialPlan {
  return {
    name: federatedCredentialName(cluster, namespace, serviceAccount, previous.issuer),
    identity,
    cluster,
    issuer: { kind: 'literal', value: previous.issuer },
    subject: serviceAccountSubject(namespace, serviceAccount),
    audience: WEBHOOK_AUDIENCE,
    logicalId: logicalId('fic', identity, cluster, namespace, serviceAccount, 'previous', shortHash(previous.issuer)),
    previousIssuer: true,
  };
}
