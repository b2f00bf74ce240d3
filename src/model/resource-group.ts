import { Construct } from 'constructs';
import { Fleet } from './fleet';

export interface ResourceGroupProps {
  /** @default the construct id */
  readonly name?: string;
  /** @default the fleet's location */
  readonly location?: string;
  /**
   * The group exists already: resources are placed in it, it is not created.
   * @default false
   */
  readonly existing?: boolean;
}

/** A resource group that exists already (`ResourceGroup.fromExisting`). */
export interface ExistingResourceGroupProps {
  /** Its name in Azure. */
  readonly name: string;
  /** Where it is. @default the fleet's location */
  readonly location?: string;
}

/** An Azure resource group that holds identities, vaults or clusters of the fleet. */
export class ResourceGroup extends Construct {
  /** Refers to a resource group that exists outside this fleet: resources are placed in it, it is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingResourceGroupProps): ResourceGroup {
    return new ResourceGroup(scope, id, { ...props, existing: true });
  }

  public readonly groupName: string;
  public readonly location: string;
  public readonly existing: boolean;

  constructor(scope: Construct, id: string, props: ResourceGroupProps = {}) {
    super(scope, id);
    this.groupName = props.name ?? id;
    this.location = props.location ?? Fleet.of(scope).azure.location;
    this.existing = props.existing ?? false;
  }
}
