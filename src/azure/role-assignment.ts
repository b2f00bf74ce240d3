import { RoleAssignment as RoleAssignmentResource } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

/** Properties of a `RoleAssignment`. */
export interface RoleAssignmentProps {
  /** Built-in role name, e.g. "Key Vault Secrets User"; or a custom role's definition id. */
  readonly role: string | { readonly definitionId: string };
  /** ARM ID the role applies to. */
  readonly scope: string;
  /** Object id of the principal that receives the role. */
  readonly principalId: string;
  /**
   * Set `ServicePrincipal` for managed identities: Azure then skips the directory lookup that fails
   * while a new identity is still replicating.
   * @default - none: not set, so Azure looks the principal up
   */
  readonly principalType?: 'ServicePrincipal' | 'User' | 'Group';
  /**
   * The ARM id of the resource that exists: Terraform imports it on the first apply (an `import` block)
   * and manages it from then on.
   * @default - none: it is created
   */
  readonly importFrom?: string;
}

/**
 * A role assignment (`azurerm_role_assignment`): grants a role, built-in by name or custom by definition
 * id, to a principal at a scope. Use it to let an identity's principal read a vault or act on a group.
 */
export class RoleAssignment extends Construct {
  protected readonly resource: RoleAssignmentResource;

  constructor(scope: Construct, id: string, props: RoleAssignmentProps) {
    super(scope, id);
    this.resource = new RoleAssignmentResource(this, RESOURCE_ID, terraformLiterals({
      ...(typeof props.role === 'string' ? { roleDefinitionName: props.role } : { roleDefinitionId: props.role.definitionId }),
      scope: props.scope,
      principalId: props.principalId,
      principalType: props.principalType,
    }));
    if (props.importFrom !== undefined) this.resource.importFrom(props.importFrom);
  }
}
