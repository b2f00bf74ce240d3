import { byCodePoint } from '../core/compare';
import { ClusterSummary, ExternalNamespace, OUT_PATHS } from '../core/summary';
import type { PlatformSummary } from '../platforms/platform';
import type { ClusterPlan } from '../model/fleet-plan';

/** What summary.json says of one planned cluster: the shared parts, and what its platform says of it. */
export function clusterSummary(cluster: ClusterPlan, platform: PlatformSummary): ClusterSummary {
  const secrets = cluster.openshift?.secrets;
  const created = new Set(cluster.namespaces);
  const outside = new Map<string, string[]>();
  for (const sa of cluster.serviceAccounts) {
    if (!created.has(sa.namespace)) outside.set(sa.namespace, [...(outside.get(sa.namespace) ?? []), sa.name]);
  }
  const externalNamespaces: ExternalNamespace[] = [...outside.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([namespace, names]) => ({ namespace, serviceAccounts: [...names].sort(byCodePoint) }));
  const { issuerStatedIn, aks, webhook, externalServiceAccounts } = platform;
  return {
    name: cluster.name,
    platform: cluster.platform,
    folder: OUT_PATHS.kubernetesFolder(cluster.name),
    ...(secrets?.mode === 'externalSecrets' ? { appliedTo: secrets.hub } : {}),
    issuer: cluster.issuer.value,
    ...(cluster.previousIssuers.length > 0 ? { previousIssuers: cluster.previousIssuers } : {}),
    ...(issuerStatedIn.length > 0 ? { issuerStatedIn } : {}),
    ...(aks ? { aks } : {}),
    webhook,
    ...(cluster.selfManaged ? { signingKeyId: cluster.selfManaged.jwks.keys[0].kid } : {}),
    ...(externalServiceAccounts && externalServiceAccounts.length > 0 ? { externalServiceAccounts } : {}),
    ...(externalNamespaces.length > 0 ? { externalNamespaces } : {}),
  };
}
