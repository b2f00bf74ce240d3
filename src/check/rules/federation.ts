import { editDistance } from '../../core/edit-distance';
import { Finding } from '../finding';
import { Rule } from '../rule';
import { parseSubject } from '../../core/names';
import { ClusterTrust, FederatedCredentialInfo, ServiceAccountInfo, TrustModel } from '../trust';

/**
 * Every FIC's subject names a service account of its cluster, and every service account that asks
 * for an identity (client-id annotation, or installed by CAPZ/OpenShift) has a FIC on that identity.
 * A FIC and a service account that miss each other by a typo are reported once, as the FIC's fault.
 */
export const federationRule: Rule = (model) => model.clusters.flatMap((c) => clusterFindings(model, c));

function clusterFindings(model: TrustModel, cluster: ClusterTrust): Finding[] {
  const fics = model.federatedCredentialsOf(cluster);
  const subjects = new Set(cluster.serviceAccounts.map((sa) => sa.subject));
  const strayFics = fics.filter((f) => !subjects.has(f.subject));
  const findings: Finding[] = [];
  const uncovered: ServiceAccountInfo[] = [];
  for (const sa of cluster.serviceAccounts.filter((s) => s.clientId !== undefined || s.external)) {
    const own = fics.filter((f) => f.subject === sa.subject);
    if (own.length === 0) uncovered.push(sa);
    else if (sa.identityKey && !own.some((f) => f.identityKey === sa.identityKey)) findings.push(wrongIdentity(model, sa, own[0]));
  }
  for (const fic of strayFics) {
    const match = closest(fic, uncovered);
    if (match) uncovered.splice(uncovered.indexOf(match), 1);
    findings.push(strayFic(cluster, fic, match));
  }
  return [...findings, ...uncovered.map((sa) => missingFic(model, cluster, sa))];
}

/** The uncovered service account a stray FIC most likely meant: same identity, or a subject a few edits away. */
function closest(fic: FederatedCredentialInfo, candidates: readonly ServiceAccountInfo[]): ServiceAccountInfo | undefined {
  const scored = candidates
    .filter((sa) => !sa.identityKey || !fic.identityKey || sa.identityKey === fic.identityKey)
    .map((sa) => ({ sa, distance: editDistance(sa.subject, fic.subject) }))
    .filter(({ sa, distance }) => distance <= Math.max(3, Math.floor(sa.subject.length / 5)) || (sa.identityKey !== undefined && sa.identityKey === fic.identityKey))
    .sort((a, b) => a.distance - b.distance);
  return scored[0]?.sa;
}

function strayFic(cluster: ClusterTrust, fic: FederatedCredentialInfo, meant: ServiceAccountInfo | undefined): Finding {
  const parsed = parseSubject(fic.subject);
  const what = parsed ? `service account ${parsed.namespace}/${parsed.name}` : 'no service account (the form is system:serviceaccount:<namespace>:<name>)';
  return {
    severity: 'error',
    rule: 'fic-subject',
    file: fic.file,
    object: fic.address,
    message:
      `FIC ${fic.name} on identity ${fic.identityName} has subject "${fic.subject}", which names ${what}` +
      (parsed ? ` that cluster ${cluster.summary.name} does not have` : '') +
      (meant ? `; ${describe(meant)} has no FIC, so this is likely a typo for "${meant.subject}"` : ''),
    fix: meant ? `set subject to "${meant.subject}"` : `create the service account in ${cluster.summary.folder}, or delete the FIC`,
  };
}

function missingFic(model: TrustModel, cluster: ClusterTrust, sa: ServiceAccountInfo): Finding {
  return {
    severity: 'error',
    rule: 'sa-federation',
    ...where(model, sa),
    message: `${describe(sa)} asks for an Azure identity, but no FIC has issuer "${model.shown(cluster.issuer)}" and subject "${sa.subject}"; token exchange fails with AADSTS70021`,
    fix: 'synth again so the Terraform and the YAML come from one plan, or add the FIC to the Terraform stack',
  };
}

function wrongIdentity(model: TrustModel, sa: ServiceAccountInfo, fic: FederatedCredentialInfo): Finding {
  const wanted = model.identities.get(sa.identityKey!)?.name ?? sa.identityKey;
  return {
    severity: 'error',
    rule: 'sa-federation',
    ...where(model, sa),
    message: `${describe(sa)} uses the client id of identity ${wanted}, but its FIC (${fic.address}) is on identity ${fic.identityName}`,
    fix: `move the FIC to identity ${wanted}, or set the client-id annotation to ${fic.identityName}'s client id`,
  };
}

function where(model: TrustModel, sa: ServiceAccountInfo): { file: string; object: string } {
  if (sa.object) return { file: sa.object.file, object: sa.object.label };
  const index = model.artifacts.summary.clusters.findIndex((c) => c.externalServiceAccounts?.includes(sa.external!));
  return { file: 'summary.json', object: `clusters[${index}].externalServiceAccounts ${sa.namespace}/${sa.name}` };
}

function describe(sa: ServiceAccountInfo): string {
  return sa.object ? `ServiceAccount ${sa.namespace}/${sa.name} (${sa.object.file})` : `service account ${sa.namespace}/${sa.name} (installed by ${sa.external?.installedBy})`;
}
