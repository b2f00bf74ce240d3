import type { SelfManagedDocument } from '../../model/fleet-document';
import type { ClusterDocumentOf, LoadContext } from '../../model/platform-model';
import type { Tags } from '../../model/tags';
import { SelfManagedCluster, SelfManagedClusterProps } from './cluster';

/** A self-managed entry (kind, kubeadm, Giant Swarm). */
export function loadSelfManagedCluster(d: ClusterDocumentOf<'self-managed'>, ctx: LoadContext): SelfManagedCluster | undefined {
  const props = selfManagedProps(d.selfManaged, d.name, ctx, d.tags);
  return props && new SelfManagedCluster(ctx.fleet, ctx.id, props);
}

/** The props of `selfManaged:`, which a CAPZ management cluster gives as well; undefined when its group is not declared. */
export function selfManagedProps(d: SelfManagedDocument, name: string, ctx: LoadContext, tags?: Tags): SelfManagedClusterProps | undefined {
  const group = ctx.group(d.issuer.resourceGroup, [...ctx.at, 'selfManaged', 'issuer', 'resourceGroup']);
  if (!group) return undefined;
  return {
    name,
    distribution: d.distribution,
    webhook: d.webhook,
    issuer: { ...d.issuer, resourceGroup: group },
    serviceAccountKeys: d.serviceAccountKeys,
    previousIssuers: d.previousIssuers,
    tags,
  };
}
