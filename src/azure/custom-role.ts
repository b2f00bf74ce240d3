import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

export interface CustomRoleProps {
  readonly name: string;
  readonly description: string;
  /** ARM id where it is defined and assignable (a subscription). */
  readonly scope: string;
  readonly actions: readonly string[];
  /** @default none */
  readonly dataActions?: readonly string[];
}

/** An Azure custom role definition, assignable at its scope. */
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
  }

  /** The id a role assignment takes (`role_definition_resource_id`). */
  public get roleDefinitionId(): string {
    return this.resource.roleDefinitionResourceId;
  }
}
