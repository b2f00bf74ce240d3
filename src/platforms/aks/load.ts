import type { ClusterDocumentOf, LoadContext } from '../../model/platform-model';
import { AksCluster, ExistingAksCluster } from './cluster';

/** An AKS entry: a cluster to create, or an existing one known by group and name, or by its issuer URL alone. */
export function loadAksCluster(d: ClusterDocumentOf<'aks'>, ctx: LoadContext): AksCluster | ExistingAksCluster | undefined {
  const { fleet, id, at } = ctx;
  const { existing, ...created } = d.aks;
  const name = d.name;
  if (existing) {
    const extra = Object.keys(created);
    if (extra.length > 0) {
      ctx.issue([...at, 'aks', extra[0]], `"${extra.join('", "')}" cannot go with aks.existing`, 'an existing cluster is known by aks.existing alone: remove the other fields, or remove existing to create the cluster');
      return undefined;
    }
    const { issuerUrl, resourceGroup, name: azureName } = existing;
    const fix = 'give resourceGroup (and name, when the Azure name is not the cluster\'s): Terraform then reads the issuer from the cluster; or give only issuerUrl, copied from `az aks show`';
    const wrong = (message: string) => ctx.issue([...at, 'aks', 'existing'], message, fix);
    if (issuerUrl !== undefined) {
      if (resourceGroup === undefined && azureName === undefined) return new ExistingAksCluster(fleet, id, { name, issuerUrl, previousIssuers: d.previousIssuers });
      wrong(`"${resourceGroup !== undefined ? 'resourceGroup' : 'name'}" cannot go with "issuerUrl"`);
    } else if (resourceGroup !== undefined) {
      const group = ctx.group(resourceGroup, [...at, 'aks', 'existing', 'resourceGroup']);
      return group && new ExistingAksCluster(fleet, id, { name, resourceGroup: group, azureName, previousIssuers: d.previousIssuers });
    } else {
      wrong('gives neither resourceGroup nor issuerUrl');
    }
    return undefined;
  }
  if (created.resourceGroup === undefined) {
    ctx.issue([...at, 'aks'], 'missing required field "resourceGroup"', 'add aks.resourceGroup to create the cluster, or aks.existing.issuerUrl to use one that exists');
    return undefined;
  }
  const group = ctx.group(created.resourceGroup, [...at, 'aks', 'resourceGroup']);
  if (!group) return undefined;
  return new AksCluster(fleet, id, { ...created, name, resourceGroup: group, tags: d.tags, previousIssuers: d.previousIssuers });
}
