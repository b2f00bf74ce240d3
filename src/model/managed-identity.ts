import { Construct } from 'constructs';
import { ResourceGroup } from './resource-group';
import type { KeyVault } from './key-vault';

/** Where a role applies: a literal ARM scope, or a resource group or key vault of the fleet. */
export type RoleScope = string | ResourceGroup | KeyVault;

export interface RoleGrant {
  /** Built-in role name, e.g. "Storage Blob Data Reader". */
  readonly role: string;
  readonly scope: RoleScope;
}

export interface ManagedIdentityProps {
  /** @default the construct id */
  readonly name?: string;
  readonly resourceGroup: ResourceGroup;
  /** @default the resource group's location */
  readonly location?: string;
}

export interface ExistingIdentityProps {
  readonly name: string;
  readonly resourceGroup: ResourceGroup;
  /** Its client id, so that service accounts can be annotated before any apply. */
  readonly clientId: string;
}

/** A user-assigned managed identity that workloads federate into. */
export class ManagedIdentity extends Construct {
  /** Refers to an identity that exists: FICs and roles are added to it, the identity is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingIdentityProps): ManagedIdentity {
    const identity = new ManagedIdentity(scope, id, { name: props.name, resourceGroup: props.resourceGroup });
    identity.clientIdOfExisting = props.clientId;
    return identity;
  }

  public readonly identityName: string;
  public readonly resourceGroup: ResourceGroup;
  public readonly location: string;
  private clientIdOfExisting?: string;
  private readonly grants: RoleGrant[] = [];

  constructor(scope: Construct, id: string, props: ManagedIdentityProps) {
    super(scope, id);
    this.identityName = props.name ?? id;
    this.resourceGroup = props.resourceGroup;
    this.location = props.location ?? props.resourceGroup.location;
  }

  /** Set for an existing identity; a new one's client id is known only after apply. */
  public get existingClientId(): string | undefined {
    return this.clientIdOfExisting;
  }

  public get existing(): boolean {
    return this.clientIdOfExisting !== undefined;
  }

  /** Assigns a built-in role to this identity at a scope. */
  public grantRole(role: string, scope: RoleScope): void {
    this.grants.push({ role, scope });
  }

  public get roleGrants(): readonly RoleGrant[] {
    return this.grants;
  }
}
