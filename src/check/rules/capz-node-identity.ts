import { byCodePoint } from '../../core/compare';
import { excerpt } from '../../core/excerpt';
import { at, KubeObject } from '../artifacts';
import { Finding } from '../finding';
import { Rule } from '../rule';
import { TrustModel } from '../trust';

/**
 * Every CAPZ node identity holds a role in the Terraform stacks. The node identity is the first
 * `userAssignedIdentities[].providerID` of an AzureMachineTemplate with `identity: UserAssigned`: CAPZ
 * runs the cloud provider on the machines as that identity (kubernetes-sigs/cluster-api-provider-azure
 * controllers/helpers.go, userAssignedIdentityCloudProviderConfig sets UseManagedIdentityExtension and
 * UserAssignedIdentityID to it), and it "should have the `Contributor` role on the resource group or [...]
 * on the subscription" (kubernetes-sigs/cluster-api-provider-azure docs/book/src/topics/vm-identity.md).
 * Without any role the machines are created, but load balancers, routes and disks of the workload
 * cluster fail.
 *
 * A warning, not an error: a role can be given outside these stacks (by hand, by policy, to an identity
 * that exists already), which the files cannot show, and a fleet may say so on purpose with
 * `nodeIdentityScopes: []` (the plan warns then too); an error would make synth refuse a fleet it plans.
 * One finding per identity, at the first AzureMachineTemplate (by file) that names it.
 */

const RULE = 'capz-node-identity';
const ROLE_ASSIGNMENT = 'azurerm_role_assignment';
const PROVIDER_ID = /^azure:\/\/\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

interface NodeIdentityUse {
  readonly key: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly templates: KubeObject[];
}

export const capzNodeIdentityRule: Rule = (model) => {
  const uses = new Map<string, NodeIdentityUse>();
  const templates = model.artifacts.objects
    .filter((o) => o.obj.kind === 'AzureMachineTemplate' && at(o.obj, 'spec', 'template', 'spec', 'identity') === 'UserAssigned')
    .sort((a, b) => byCodePoint(a.file, b.file));
  for (const t of templates) {
    const providerId = at(t.obj, 'spec', 'template', 'spec', 'userAssignedIdentities', 0, 'providerID');
    const m = typeof providerId === 'string' ? PROVIDER_ID.exec(providerId) : null;
    if (!m) continue; // not an identity's ARM id: the CRD schema and the patch tests judge its shape
    const key = `${m[1]}/${m[2]}`.toLowerCase();
    const use = uses.get(key) ?? { key, resourceGroup: m[1], name: m[2], templates: [] };
    use.templates.push(t);
    uses.set(key, use);
  }
  if (uses.size === 0) return [];
  const granted = identitiesWithRoles(model);
  const findings: Finding[] = [];
  for (const use of uses.values()) {
    if (granted.has(use.key)) continue;
    const first = use.templates[0];
    findings.push({
      severity: 'warning',
      rule: RULE,
      file: first.file,
      object: first.label,
      message: `node identity ${excerpt(use.name)} (resource group ${excerpt(use.resourceGroup)}), which the cloud provider on the machines of ${use.templates.map((t) => t.label).join(', ')} acts as, has no role assignment in the Terraform stacks: load balancers, routes and disks of the workload cluster will fail`,
      fix: 'synth again (a workload cluster\'s node identity gets Contributor on its resource group unless nodeIdentityScopes says otherwise), or give it Contributor on the cluster\'s resource group or the subscription outside this fleet',
    });
  }
  return findings;
};

/** Identity keys that some `azurerm_role_assignment` of a stack has as its principal. */
function identitiesWithRoles(model: TrustModel): Set<string> {
  const out = new Set<string>();
  for (const stack of model.artifacts.stacks) {
    for (const [, block] of stack.resources.get(ROLE_ASSIGNMENT) ?? []) {
      const key = model.identityOfValue(block.principal_id, 'principal_id', stack);
      if (key !== undefined) out.add(key);
    }
  }
  return out;
}
