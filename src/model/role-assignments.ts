import type { IConstruct } from 'constructs';
import { byCodePoint } from '../core/compare';
import { excerpt } from '../core/excerpt';
import { VALUE_RULES, ValueKind, valueProblem } from '../core/values';
import { ROLE_KEY_VAULT_SECRETS_OFFICER } from './constants';
import type { RoleAssignmentPlan, RoleScopeRef } from './fleet-plan';
import { IKeyVault, KeyVault } from './key-vault';
import { logicalId, shortHash } from './logical-id';
import type { IWorkloadIdentity, RoleScope } from './managed-identity';
import type { IResourceGroup } from './resource-group';

/** What role-assignment planning borrows from the planner. */
export interface RoleAssignmentContext {
  issue(construct: IConstruct, field: Array<string | number>, message: string, fix: string): void;
  checkValue(construct: IConstruct, field: Array<string | number>, kind: ValueKind, value: unknown, fix?: string): boolean;
  armId(group: string, resource?: string): string;
  vaultArmId(vault: IKeyVault): string;
}

/** The fleet's declared resources, and the grants implied by workloads (a verification pod reads its vault). */
export interface RoleAssignmentInputs {
  readonly identities: readonly IWorkloadIdentity[];
  readonly vaults: readonly KeyVault[];
  readonly groups: readonly IResourceGroup[];
  readonly impliedGrants: ReadonlyArray<{ readonly identity: IWorkloadIdentity; readonly role: string; readonly vault: IKeyVault }>;
}

/**
 * Every role assignment of the fleet, one per principal, role and scope (its logical id names the principal
 * and the role, and hashes role and scope): the deployer as Secrets Officer on new vaults, each identity's
 * grants, and the implied grants.
 */
export function planRoleAssignments(ctx: RoleAssignmentContext, fleet: RoleAssignmentInputs): RoleAssignmentPlan[] {
  const { identities, vaults, groups, impliedGrants } = fleet;
  const out = new Map<string, RoleAssignmentPlan>();
  const add = (principal: RoleAssignmentPlan['principal'], role: string, scope: RoleScopeRef, importId?: string) => {
    const who = principal.kind === 'identity' ? principal.name : 'deployer';
    const scopeId = scope.kind === 'arm' ? scope.id : scope.armId;
    const id = logicalId('role', who, role.toLowerCase().replace(/[^a-z0-9]+/g, '-'), shortHash(`${role}|${scopeId.toLowerCase()}`));
    if (!out.has(id)) out.set(id, { logicalId: id, principal, role, scope, ...(importId !== undefined && { importId }) });
  };
  for (const vault of vaults) {
    if (vault.deployerIsSecretsOfficer && !vault.existing) {
      add({ kind: 'deployer' }, ROLE_KEY_VAULT_SECRETS_OFFICER, scopeRef(ctx, vault, vaults, groups)!);
    }
  }
  for (const identity of identities) {
    identity.roleGrants.forEach((grant, index) => {
      if (!ctx.checkValue(identity, ['roles', index, 'role'], 'roleName', grant.role, `name a built-in role, e.g. "Storage Blob Data Reader" (${VALUE_RULES.roleName.rule})`)) return;
      const scope = scopeRef(ctx, grant.scope, vaults, groups, identity, index);
      // hashicorp/terraform-provider-azurerm internal/services/authorization/role_assignment_resource.go: imported by the assignment's id, `<scope>/providers/Microsoft.Authorization/roleAssignments/<guid>`
      if (grant.adopt !== undefined && !ROLE_ASSIGNMENT_ID.test(grant.adopt)) {
        ctx.issue(identity, ['roles', index, 'adopt'], `role assignment id ${excerpt(grant.adopt, 240)} is no id of a role assignment`, 'copy it from `az role assignment list --assignee <principal id> --all --query [].id`: <scope>/providers/Microsoft.Authorization/roleAssignments/<GUID>');
        return;
      }
      if (!scope) return;
      const scopeId = scope.kind === 'arm' ? scope.id : scope.armId;
      // an assignment imported from another scope would be replaced by the next plan, since scope forces a new one
      if (grant.adopt !== undefined && grant.adopt.toLowerCase().slice(0, scopeId.length + 1) !== `${scopeId.toLowerCase()}/`) {
        ctx.issue(identity, ['roles', index, 'adopt'], `role assignment ${excerpt(grant.adopt, 240)} is not at this grant's scope ${excerpt(scopeId, 200)}`, 'adopt the assignment of this role at this scope (its id starts with the scope), or give the scope it is at');
        return;
      }
      add({ kind: 'identity', name: identity.identityName }, grant.role, scope, grant.adopt);
    });
  }
  for (const grant of impliedGrants) {
    add({ kind: 'identity', name: grant.identity.identityName }, grant.role, scopeRef(ctx, grant.vault, vaults, groups)!);
  }
  return [...out.values()].sort((a, b) => byCodePoint(a.logicalId, b.logicalId));
}

/** A role assignment's ARM id: `<scope>/providers/Microsoft.Authorization/roleAssignments/<GUID>`. */
export const ROLE_ASSIGNMENT_ID = /^\/subscriptions\/[^/]+(\/[^/]+)*\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/i;

/** Where a role applies, as the plan names it; an undeclared vault or group, or a bad ARM id, is an issue of the identity. */
function scopeRef(ctx: RoleAssignmentContext, scope: RoleScope, vaults: readonly IKeyVault[], groups: readonly IResourceGroup[], identity?: IWorkloadIdentity, index?: number): RoleScopeRef | undefined {
  const at = (field: string) => ['roles', index ?? 0, 'scope', field];
  if (typeof scope === 'string') {
    const problem = valueProblem('armScope', scope);
    if (problem !== undefined) {
      if (identity) ctx.issue(identity, ['roles', index ?? 0, 'scope'], `scope ${excerpt(scope)} ${problem}`, 'use an ARM id such as /subscriptions/<id>/resourceGroups/<name>, or name a declared keyVault or resourceGroup');
      return undefined;
    }
    return { kind: 'arm', id: scope };
  }
  if ('vaultName' in scope) {
    if (!vaults.includes(scope)) {
      if (identity) ctx.issue(identity, at('keyVault'), `key vault "${scope.vaultName}" is not declared`, `declare it under keyVaults, or use one of: ${vaults.map((v) => v.vaultName).join(', ') || '(none declared)'}`);
      return undefined;
    }
    return { kind: 'keyVault', name: scope.vaultName, armId: ctx.vaultArmId(scope) };
  }
  if (!groups.includes(scope)) {
    if (identity) ctx.issue(identity, at('resourceGroup'), `resource group "${scope.groupName}" is not declared`, 'declare it under resourceGroups (with existing: true if it exists already)');
    return undefined;
  }
  return { kind: 'resourceGroup', name: scope.groupName, armId: ctx.armId(scope.groupName) };
}
