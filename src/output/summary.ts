import { byCodePoint } from '../core/compare';
import { ClusterSummary, ExternalNamespace, ExternalServiceAccount, IssuerStatement, OUT_PATHS } from '../core/summary';
import { WEBHOOK_AUDIENCE } from '../model/constants';
import type { ClusterPlan } from '../model/fleet-plan';
import { OPENSHIFT_AUDIENCE } from '../openshift/credentials-requests';

/** What summary.json says of one planned cluster. */
export function clusterSummary(cluster: ClusterPlan, subscriptionId: string, issuerStatedIn: readonly IssuerStatement[]): ClusterSummary {
  const secrets = cluster.openshift?.secrets;
  const external: ExternalServiceAccount[] = [
    ...(cluster.capz?.serviceAccounts.map((name) => ({ namespace: cluster.capz!.namespace, name, audience: WEBHOOK_AUDIENCE, installedBy: 'CAPZ' })) ?? []),
    ...(cluster.openshift?.identities.flatMap((i) =>
      i.request.serviceAccountNames.map((name) => ({ namespace: i.request.secretNamespace, name, audience: OPENSHIFT_AUDIENCE, installedBy: 'OpenShift' })),
    ) ?? []),
  ];
  const created = new Set(cluster.namespaces);
  const outside = new Map<string, string[]>();
  for (const sa of cluster.serviceAccounts) {
    if (!created.has(sa.namespace)) outside.set(sa.namespace, [...(outside.get(sa.namespace) ?? []), sa.name]);
  }
  const externalNamespaces: ExternalNamespace[] = [...outside.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([namespace, names]) => ({ namespace, serviceAccounts: [...names].sort(byCodePoint) }));
  return {
    name: cluster.name,
    platform: cluster.platform,
    folder: OUT_PATHS.kubernetesFolder(cluster.name),
    ...(secrets?.mode === 'externalSecrets' ? { appliedTo: secrets.hub } : {}),
    issuer: cluster.issuer.value,
    ...(issuerStatedIn.length > 0 ? { issuerStatedIn } : {}),
    ...(cluster.platform === 'aks' ? { aks: aksOf(cluster, subscriptionId) } : {}),
    ...(cluster.selfManaged ? { signingKeyId: cluster.selfManaged.jwks.keys[0].kid } : {}),
    ...(external.length > 0 ? { externalServiceAccounts: external } : {}),
    ...(externalNamespaces.length > 0 ? { externalNamespaces } : {}),
  };
}

function aksOf(cluster: ClusterPlan, subscriptionId: string): NonNullable<ClusterSummary['aks']> {
  const plan = cluster.aks;
  if (plan === undefined) return { name: cluster.name, subscriptionId };
  return { name: plan.kind === 'existing' ? plan.azureName : cluster.name, resourceGroup: plan.resourceGroup, subscriptionId };
}
