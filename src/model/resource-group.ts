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

/** An Azure resource group that holds identities, vaults or clusters of the fleet. */
export class ResourceGroup extends Construct {
  /** Refers to a resource group that exists outside this fleet. */
  public static fromName(scope: Fleet, id: string, name: string): ResourceGroup {
    return new ResourceGroup(scope, id, { name, existing: true });
  }

  public readonly groupName: string;
  public readonly location: string;
  public readonly existing: boolean;

  constructor(scope: Fleet, id: string, props: ResourceGroupProps = {}) {
    super(scope, id);
    this.groupName = props.name ?? id;
    this.location = props.location ?? scope.azure.location;
    this.existing = props.existing ?? false;
  }
}
