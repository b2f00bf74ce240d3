import type { IManagedIdentity, RoleScope } from '../../model/managed-identity';
import { recordSource, SourcePath } from '../../model/issues';
import type { ClusterDocumentOf, LoadContext } from '../../model/platform-model';
import { selfManagedProps } from '../self-managed/load';
import { CapzManagementCluster } from './cluster';

/** A CAPZ management cluster's entry: its self-managed part, CAPZ's identity and scopes, and its workload clusters. */
export function loadCapzCluster(entry: ClusterDocumentOf<'capz'>, ctx: LoadContext): CapzManagementCluster | undefined {
  const d = entry.capz;
  const props = selfManagedProps(entry.selfManaged, entry.name, ctx, entry.tags);
  const capzAt: SourcePath = [...ctx.at, 'capz'];
  const identity = ctx.identity(d.identity, [...capzAt, 'identity']);
  const scopes = d.scopes?.map((s, i) => ctx.scope(s, [...capzAt, 'scopes', i]));
  // the machines act as a user-assigned identity attached to them: an Entra application cannot be one
  const nodeIdentities = (d.workloadClusters ?? []).map((w, j) => {
    const at: SourcePath = [...capzAt, 'workloadClusters', j, 'nodeIdentity'];
    const found = ctx.identity(w.nodeIdentity, at);
    if (found?.kind !== 'application') return found as IManagedIdentity | undefined;
    ctx.issue(at, `node identity "${w.nodeIdentity}" is an Entra application, but machines are given a user-assigned managed identity`, 'name a managed identity (kind: managedIdentity) as nodeIdentity');
    return undefined;
  });
  const nodeScopes = (d.workloadClusters ?? []).map((w, j) => w.nodeIdentityScopes?.map((s, k) => ctx.scope(s, [...capzAt, 'workloadClusters', j, 'nodeIdentityScopes', k])));
  if (!props || !identity || scopes?.includes(undefined) || nodeIdentities.includes(undefined) || nodeScopes.some((s) => s?.includes(undefined))) return undefined;
  const { workloadClusters, ...capz } = d;
  const cluster = new CapzManagementCluster(ctx.fleet, ctx.id, {
    ...props,
    capz: { ...capz, identity, scopes: scopes as RoleScope[] | undefined },
  });
  (workloadClusters ?? []).forEach((w, j) => {
    const workloadCluster = cluster.addWorkloadCluster({ ...w, nodeIdentity: nodeIdentities[j]!, nodeIdentityScopes: nodeScopes[j] as RoleScope[] | undefined }, `workload-cluster-${j}`);
    recordSource(workloadCluster, [...capzAt, 'workloadClusters', j]);
  });
  return cluster;
}
