import { ResourceGroup as ResourceGroupResource } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { ResourceTags, tagsAttribute } from './tags';
import { terraformLiterals } from './terraform-literal';

/** A resource group that resources are placed in: created here (`AzureResourceGroup`) or existing (`fromExisting`). */
export interface IResourceGroup {
  /** Its name; a reference to the new group, so that Terraform creates the group before what it holds. */
  readonly name: string;
  /** Its ARM ID; likewise a reference for a new group. */
  readonly id: string;
}

/** Properties of an `AzureResourceGroup`. */
export interface AzureResourceGroupProps {
  /** Azure name of the group. */
  readonly name: string;
  /** Azure region of the group. */
  readonly location: string;
  /**
   * Azure tags of the group.
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

/** Properties of `AzureResourceGroup.fromExisting`. */
export interface ExistingAzureResourceGroupProps {
  /** Its name in Azure. */
  readonly name: string;
  /** Its ARM ID, `/subscriptions/<sub>/resourceGroups/<name>`. */
  readonly armId: string;
}

/**
 * A resource group (`azurerm_resource_group`); use it to create the group that the identities, vaults
 * and storage of this stack live in, or `AzureResourceGroup.fromExisting` to place them in a group that exists.
 */
export class AzureResourceGroup extends Construct implements IResourceGroup {
  /** Refers to a group that exists: its name and ARM ID are used as they are, nothing is created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingAzureResourceGroupProps): IResourceGroup {
    return new ExistingResourceGroup(scope, id, props);
  }

  /** The group's name, a reference to the resource (`${azurerm_resource_group.<id>.name}`). */
  public readonly name: string;
  /** The group's ARM ID, a reference to the resource. */
  public readonly id: string;
  protected readonly resource: ResourceGroupResource;

  constructor(scope: Construct, id: string, props: AzureResourceGroupProps) {
    super(scope, id);
    this.resource = new ResourceGroupResource(this, RESOURCE_ID, terraformLiterals({ name: props.name, location: props.location, tags: tagsAttribute(props.tags) }));
    if (props.importFrom !== undefined) this.resource.importFrom(props.importFrom);
    this.name = this.resource.name;
    this.id = this.resource.id;
  }
}

/** A group that exists, by name and ARM ID: nothing of it is written. */
class ExistingResourceGroup extends Construct implements IResourceGroup {
  public readonly name: string;
  public readonly id: string;

  constructor(scope: Construct, id: string, props: ExistingAzureResourceGroupProps) {
    super(scope, id);
    this.name = props.name;
    this.id = props.armId;
  }
}
