import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

/** Properties of a `CustomRole`. */
export interface CustomRoleProps {
  /** Name of the role definition, unique in the tenant. */
  readonly name: string;
  /** What the role is for, as Azure shows it. */
  readonly description: string;
  /** ARM id where it is defined and assignable (a subscription). */
  readonly scope: string;
  /** Control-plane operations it allows, e.g. `Microsoft.Network/dnsZones/read`. */
  readonly actions: readonly string[];
  /**
   * Data-plane operations it allows, e.g. `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`.
   * @default - none: no `data_actions` are written
   */
  readonly dataActions?: readonly string[];
  /**
   * The role definition that exists, as `<role definition id>|<scope>` (hashicorp/terraform-provider-azurerm
   * website/docs/r/role_definition.html.markdown, Import): Terraform imports it on the first apply.
   * @default - none: it is created
   */
  readonly importFrom?: string;
}

/**
 * An Azure custom role definition (`azurerm_role_definition`) assignable at the scope it is defined at;
 * use it when no built-in role grants exactly the actions a workload needs, then assign it with
 * `RoleAssignment` and `{ definitionId: role.roleDefinitionId }`.
 */
export class CustomRole extends Construct {
  protected readonly resource: RoleDefinition;

  constructor(scope: Construct, id: string, props: CustomRoleProps) {
    super(scope, id);
    this.resource = new RoleDefinition(this, RESOURCE_ID, terraformLiterals({
      name: props.name,
      description: props.description,
      scope: props.scope,
      assignableScopes: [props.scope],
      permissions: [{ actions: [...props.actions], dataActions: props.dataActions?.length ? [...props.dataActions] : undefined }],
    }));
    if (props.importFrom !== undefined) this.resource.importFrom(props.importFrom);
  }

  /** The id a role assignment takes (`role_definition_resource_id`). */
  public get roleDefinitionId(): string {
    return this.resource.roleDefinitionResourceId;
  }
}
