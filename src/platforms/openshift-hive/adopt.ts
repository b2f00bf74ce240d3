import { excerpt } from '../../core/excerpt';
import { roleAssignmentKey } from '../../model/fleet-plan';
import type { PlanContext } from '../../model/plan-context';
import { ROLE_ASSIGNMENT_ID } from '../../model/role-assignments';
import type { OpenShiftHiveCluster } from './cluster';

/** What of ccoctl's making a cluster adopts, checked: client ids and role assignment ids by identity, custom role ids by role. */
export interface PlannedAdoption {
  readonly identities: ReadonlyMap<string, { readonly clientId: string; readonly roleAssignments?: Readonly<Record<string, string>> }>;
  readonly customRoles: ReadonlyMap<string, string>;
}

const ROLE_DEFINITION_ID = /^\/subscriptions\/[0-9a-f-]{36}\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i;

/**
 * Checks `openshiftHive.adopt` against the identities the CredentialsRequests give (`expected`, ccoctl's
 * names): an identity, assignment or role no request makes would import something the fleet does not declare.
 */
export function planAdoption(c: OpenShiftHiveCluster, ctx: PlanContext, expected: readonly string[]): PlannedAdoption {
  const identities = new Map<string, { clientId: string; roleAssignments?: Record<string, string> }>();
  const customRoles = new Map<string, string>();
  if (!c.adopt) return { identities, customRoles };
  const at = (...field: Array<string | number>) => ['openshiftHive', 'adopt', ...field];
  const known = (name: string, field: Array<string | number>): boolean => {
    if (expected.includes(name)) return true;
    ctx.issue(c, field, `no CredentialsRequest of the cluster makes identity ${excerpt(name)}`, `name one of ccoctl's identities, <cluster>-<secretRef.namespace>-<secretRef.name>: ${expected.join(', ') || '(none: check credentialsRequests)'}`);
    return false;
  };
  c.adopt.identities.forEach((identity, i) => {
    if (!known(identity.name, at('identities', i, 'name'))) return;
    if (identities.has(identity.name)) return ctx.issue(c, at('identities', i, 'name'), `identity ${identity.name} is adopted twice`, 'list each identity once');
    if (!ctx.checkValue(c, at('identities', i, 'clientId'), 'guid', identity.clientId, `use \`az identity show -g ${c.issuer.resourceGroup.groupName} -n ${identity.name} --query clientId\``)) return;
    const roleAssignments: Record<string, string> = {};
    (identity.roleAssignments ?? []).forEach((r, j) => {
      const field = at('identities', i, 'roleAssignments', j, 'id');
      if (!ROLE_ASSIGNMENT_ID.test(r.id)) return ctx.issue(c, field, `${excerpt(r.id, 240)} is no id of a role assignment`, 'copy it from `az role assignment list --assignee <principal id> --all --query [].id`');
      if (!r.id.toLowerCase().startsWith(`${r.scope.toLowerCase()}/`)) return ctx.issue(c, field, `${excerpt(r.id, 240)} is not at its scope ${excerpt(r.scope, 200)}`, 'give the scope the assignment is at (its id starts with it)');
      roleAssignments[roleAssignmentKey(r.role, r.scope)] = r.id;
    });
    identities.set(identity.name, { clientId: identity.clientId, ...(Object.keys(roleAssignments).length > 0 && { roleAssignments }) });
  });
  (c.adopt.customRoles ?? []).forEach((role, k) => {
    if (!known(role.name, at('customRoles', k, 'name'))) return;
    if (!ROLE_DEFINITION_ID.test(role.id)) return ctx.issue(c, at('customRoles', k, 'id'), `${excerpt(role.id, 200)} is no id of a role definition`, 'copy it from `az role definition list --name <role> --custom-role-only --query [].id`: /subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<GUID>');
    customRoles.set(role.name, role.id);
  });
  return { identities, customRoles };
}
