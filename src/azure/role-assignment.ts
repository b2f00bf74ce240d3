import { RoleAssignment as RoleAssignmentResource } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

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
   * @default unset: Azure looks the principal up
   */
  readonly principalType?: 'ServicePrincipal' | 'User' | 'Group';
}

/** Grants a role (built-in by name, or custom by id) to a principal at a scope. */
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
  }
}
