import { Construct, IConstruct } from 'constructs';
import { Fleet } from './fleet';

/** Props of a `ResourceGroup`. */
export interface ResourceGroupProps {
  /**
   * Its name in Azure.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Azure region of the group; the default location of the identities, vaults and AKS clusters in it.
   * @default the fleet's location
   */
  readonly location?: string;
  /**
   * The group exists already: resources are placed in it, it is not created.
   * @default false
   */
  readonly existing?: boolean;
  /**
   * The group exists and Terraform takes it over: imported on the first apply, managed from then on.
   * @default false
   */
  readonly adopt?: boolean;
}

/** A resource group that exists already (`ResourceGroup.fromExisting`). */
export interface ExistingResourceGroupProps {
  /** Its name in Azure. */
  readonly name: string;
  /**
   * Its Azure region.
   * @default the fleet's location
   */
  readonly location?: string;
}

/** A resource group of the fleet, created by it or existing; what importers return and props take. */
export interface IResourceGroup extends IConstruct {
  /** Its name in Azure. */
  readonly groupName: string;
  /** Its Azure region. */
  readonly location: string;
  /** It exists already: resources are placed in it, it is not created. */
  readonly existing: boolean;
  /** It exists and Terraform takes it over (imported on the first apply). */
  readonly adopted: boolean;
}

/**
 * An Azure resource group that holds identities, vaults or clusters of the fleet. Declare one for each group
 * the fleet's resources go into: Terraform creates it, unless it is `existing` (see `fromExisting`).
 */
export class ResourceGroup extends Construct implements IResourceGroup {
  /** Refers to a resource group that exists outside this fleet: resources are placed in it, it is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingResourceGroupProps): IResourceGroup {
    return new ResourceGroup(scope, id, { ...props, existing: true });
  }

  public readonly groupName: string;
  public readonly location: string;
  public readonly existing: boolean;
  public readonly adopted: boolean;

  constructor(scope: Construct, id: string, props: ResourceGroupProps = {}) {
    super(scope, id);
    const fleet = Fleet.of(scope);
    const registered = declared.get(fleet);
    if (registered) registered.push(this);
    else declared.set(fleet, [this]);
    this.groupName = props.name ?? id;
    this.location = props.location ?? fleet.azure.location;
    this.existing = props.existing ?? false;
    this.adopted = props.adopt ?? false;
  }
}

const declared = new WeakMap<Fleet, ResourceGroup[]>();

/**
 * The resource groups declared in a fleet, at any depth, in the order they were made: what
 * `fleet.membersOf(ResourceGroup)` finds, without walking the tree. Constructs that look a group up by name
 * as they are made (OpenShift's and CAPZ's) would otherwise walk it once each, quadratic in a large fleet.
 */
export function resourceGroupsOf(fleet: Fleet): readonly ResourceGroup[] {
  return declared.get(fleet) ?? [];
}
