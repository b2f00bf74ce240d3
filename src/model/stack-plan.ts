import { PER_CLUSTER_STACKS_ABOVE } from './constants';
import type { StackLayout } from './fleet';
import type { ClusterPlan, FederatedCredentialPlan, IdentityPlan, StackPlan, StacksPlan } from './fleet-plan';

/** The layout a fleet asked for, or the one its size calls for. */
export function chooseStackLayout(asked: StackLayout | undefined, clusters: number): StackLayout {
  return asked ?? (clusters > PER_CLUSTER_STACKS_ABOVE ? 'perCluster' : 'single');
}

/**
 * Places each resource in a stack. Per cluster: a cluster's stack holds its own resources and the
 * FICs on its issuer (an AKS issuer URL or a static website's endpoint exists only there); identities
 * and their roles stay in the shared stack, since a principal id is known only where the identity is.
 * Entra refuses concurrent FIC writes on one identity, and Terraform serializes them only within a
 * run: so the stacks that write FICs on one identity form a chain, in fleet order.
 */
export function planStacks(
  fleetName: string,
  layout: StackLayout,
  clusters: readonly ClusterPlan[],
  identities: readonly IdentityPlan[],
  fics: readonly FederatedCredentialPlan[],
): StacksPlan {
  if (layout === 'single') {
    const all = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, fleetName]));
    return {
      layout,
      stacks: [{ name: fleetName, dependsOn: [] }],
      shared: fleetName,
      ofCluster: all(clusters.map((c) => c.name)),
      ofIdentity: all(identities.map((i) => i.name)),
    };
  }
  const ofCluster = Object.fromEntries(clusters.map((c) => [c.name, `${fleetName}-${c.name}`]));
  const ofIdentity = Object.fromEntries(identities.map((i) => [i.name, i.owner ? ofCluster[i.owner] : fleetName]));
  const dependsOn = new Map(clusters.map((c) => [ofCluster[c.name], new Set([fleetName])]));
  const order = new Map(clusters.map((c, index) => [ofCluster[c.name], index]));
  const writersOf = new Map<string, Set<string>>();
  for (const f of fics) writersOf.set(f.identity, (writersOf.get(f.identity) ?? new Set()).add(ofCluster[f.cluster]));
  for (const identity of identities) {
    const home = ofIdentity[identity.name];
    // The identity's own stack first (it creates the identity), then fleet order: edges never go back.
    const rank = (stack: string) => (stack === home ? -1 : order.get(stack)!);
    const writers = [...(writersOf.get(identity.name) ?? [])].sort((a, b) => rank(a) - rank(b));
    writers.forEach((stack, k) => {
      if (k > 0) dependsOn.get(stack)!.add(writers[k - 1]);
      if (home !== stack) dependsOn.get(stack)!.add(home);
    });
  }
  const stacks: StackPlan[] = [
    { name: fleetName, dependsOn: [] },
    ...clusters.map((c) => ({ name: ofCluster[c.name], cluster: c.name, dependsOn: [...dependsOn.get(ofCluster[c.name])!].sort() })),
  ];
  return { layout, stacks, shared: fleetName, ofCluster, ofIdentity };
}
