import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { IResourceGroup } from './resource-group';
import { ResourceTags, tagsAttribute } from './tags';
import { terraformLiterals } from './terraform-literal';

/** A user-assigned managed identity that workloads federate into. */
export interface IIdentity {
  /** ARM ID: the parent of its federated credentials. */
  readonly id: string;
  /** Name of the resource group that holds it. */
  readonly resourceGroupName: string;
  /** Known only after apply. */
  readonly clientId: string;
  /** Object id of its service principal, which roles are assigned to; known only after apply. */
  readonly principalId: string;
}

/** Properties of an `Identity`. */
export interface IdentityProps {
  /** Azure name of the identity. */
  readonly name: string;
  /** Group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Azure region of the identity. */
  readonly location: string;
  /**
   * Azure tags of the identity.
   * @default - none: no `tags` attribute is written
   */
  readonly tags?: ResourceTags;
  /**
   * The ARM id of the resource that exists: Terraform imports it on the first apply (an `import` block)
   * and manages it from then on.
   * @default - none: it is created
   */
  readonly importFrom?: string;
}

/** Properties of `Identity.fromExisting`. */
export interface ExistingIdentityProps {
  /** Azure name of the identity. */
  readonly name: string;
  /** Group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Its ARM ID, predictable from its name and group. */
  readonly armId: string;
}

/**
 * A user-assigned managed identity (`azurerm_user_assigned_identity`); use it as the Azure identity
 * that workloads federate into (`FederatedCredential`) and that roles are granted to (`RoleAssignment`),
 * or `Identity.fromExisting` for one that already exists.
 */
export class Identity extends Construct implements IIdentity {
  /**
   * Refers to an identity that exists: credentials and roles are added to it, it is not created.
   * Reading its client or principal id adds a data source that looks it up.
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingIdentityProps): IIdentity {
    return new ExistingIdentity(scope, id, props);
  }

  /** The identity's ARM ID, a reference to the resource. */
  public readonly id: string;
  /** Name of the group that holds it, as given in `resourceGroup`. */
  public readonly resourceGroupName: string;
  /** Its client id, a reference (`${azurerm_user_assigned_identity.<id>.client_id}`) known after apply. */
  public readonly clientId: string;
  /** Object id of its service principal, a reference known after apply: the `principalId` of its role assignments. */
  public readonly principalId: string;
  protected readonly resource: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.resource = new UserAssignedIdentity(
      this,
      RESOURCE_ID,
      terraformLiterals({ name: props.name, resourceGroupName: props.resourceGroup.name, location: props.location, tags: tagsAttribute(props.tags) }),
    );
    if (props.importFrom !== undefined) this.resource.importFrom(props.importFrom);
    this.id = this.resource.id;
    this.resourceGroupName = props.resourceGroup.name;
    this.clientId = this.resource.clientId;
    this.principalId = this.resource.principalId;
  }
}

class ExistingIdentity extends Construct implements IIdentity {
  public readonly id: string;
  public readonly resourceGroupName: string;
  private readonly identityName: string;
  private lookup?: DataAzurermUserAssignedIdentity;

  constructor(scope: Construct, id: string, props: ExistingIdentityProps) {
    super(scope, id);
    this.id = props.armId;
    this.resourceGroupName = props.resourceGroup.name;
    this.identityName = props.name;
  }

  public get clientId(): string {
    return this.data().clientId;
  }

  public get principalId(): string {
    return this.data().principalId;
  }

  private data(): DataAzurermUserAssignedIdentity {
    this.lookup ??= new DataAzurermUserAssignedIdentity(this, RESOURCE_ID, terraformLiterals({ name: this.identityName, resourceGroupName: this.resourceGroupName }));
    return this.lookup;
  }
}
