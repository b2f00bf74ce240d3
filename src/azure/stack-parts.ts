import type { ClusterPlan, FederatedCredentialPlan, FleetPlan, IdentityPlan, OutputPlan, ResourceGroupPlan, RoleAssignmentPlan } from '../model/fleet-plan';

/** What one stack of the plan declares: the plan's parts, split by `plan.stacks` once for all stacks. */
export interface StackParts {
  readonly identities: readonly IdentityPlan[];
  readonly clusters: readonly ClusterPlan[];
  readonly federatedCredentials: readonly FederatedCredentialPlan[];
  readonly roleAssignments: readonly RoleAssignmentPlan[];
  /** Its outputs, each with what it carries: an identity's client or principal id, or a cluster's issuer. */
  readonly outputs: ReadonlyArray<{ readonly output: OutputPlan; readonly source: OutputSource }>;
}

export type OutputSource =
  | { readonly kind: 'clientId' | 'principalId'; readonly identity: string }
  | { readonly kind: 'issuer'; readonly cluster: string };

/** The plan's identities and groups by name, built once for all its stacks. */
export interface PlanLookups {
  readonly identities: ReadonlyMap<string, IdentityPlan>;
  readonly resourceGroups: ReadonlyMap<string, ResourceGroupPlan>;
}

const lookups = new WeakMap<FleetPlan, PlanLookups>();

export function planLookups(plan: FleetPlan): PlanLookups {
  let found = lookups.get(plan);
  if (!found) lookups.set(plan, (found = { identities: new Map(plan.identities.map((i) => [i.name, i])), resourceGroups: new Map(plan.resourceGroups.map((g) => [g.name, g])) }));
  return found;
}

const EMPTY: StackParts = { identities: [], clusters: [], federatedCredentials: [], roleAssignments: [], outputs: [] };
const cache = new WeakMap<FleetPlan, ReadonlyMap<string, StackParts>>();

/** The parts of stack `name`; a fleet of a thousand cluster stacks is split once, not once per stack. */
export function stackParts(plan: FleetPlan, name: string): StackParts {
  let split = cache.get(plan);
  if (!split) cache.set(plan, (split = splitPlan(plan)));
  return split.get(name) ?? EMPTY;
}

function splitPlan(plan: FleetPlan): ReadonlyMap<string, StackParts> {
  const { stacks } = plan;
  const parts = new Map<string, { identities: IdentityPlan[]; clusters: ClusterPlan[]; federatedCredentials: FederatedCredentialPlan[]; roleAssignments: RoleAssignmentPlan[]; outputs: Array<StackParts['outputs'][number]> }>();
  const of = (stack: string) => {
    let p = parts.get(stack);
    if (!p) parts.set(stack, (p = { identities: [], clusters: [], federatedCredentials: [], roleAssignments: [], outputs: [] }));
    return p;
  };
  for (const i of plan.identities) of(stacks.ofIdentity[i.name]).identities.push(i);
  for (const c of plan.clusters) of(stacks.ofCluster[c.name]).clusters.push(c);
  for (const f of plan.federatedCredentials) of(stacks.ofCluster[f.cluster]).federatedCredentials.push(f);
  for (const a of plan.roleAssignments) of(a.principal.kind === 'identity' ? stacks.ofIdentity[a.principal.name] : stacks.shared).roleAssignments.push(a);
  const sources = new Map<string, { stack: string; source: OutputSource }>();
  for (const i of plan.identities) {
    const stack = stacks.ofIdentity[i.name];
    sources.set(i.clientIdOutput, { stack, source: { kind: 'clientId', identity: i.name } });
    sources.set(i.principalIdOutput, { stack, source: { kind: 'principalId', identity: i.name } });
  }
  for (const c of plan.clusters) {
    if (c.issuer.output !== undefined) sources.set(c.issuer.output, { stack: stacks.ofCluster[c.name], source: { kind: 'issuer', cluster: c.name } });
  }
  for (const output of plan.outputs) {
    const found = sources.get(output.name);
    if (found === undefined) throw new Error(`fleet "${plan.name}": output "${output.name}" is not the output of an identity or cluster issuer`);
    of(found.stack).outputs.push({ output, source: found.source });
  }
  return parts;
}
