import { Construct, IConstruct } from 'constructs';
import type { IResourceGroup } from './resource-group';
import type { IKeyVault } from './key-vault';

/** Where a role applies: a literal ARM scope, or a resource group or key vault of the fleet. */
export type RoleScope = string | IResourceGroup | IKeyVault;

/** A built-in role given to an identity at a scope. */
export interface RoleGrant {
  /** Built-in role name, e.g. "Storage Blob Data Reader". */
  readonly role: string;
  /** Where the role applies. */
  readonly scope: RoleScope;
  /** The ARM id of the role assignment that exists: Terraform imports it. @default - none: it is created */
  readonly adopt?: string;
}

/** Props of a `ManagedIdentity`. */
export interface ManagedIdentityProps {
  /**
   * Its name in Azure.
   * @default the construct id
   */
  readonly name?: string;
  /** The group the identity is created in. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Azure region of the identity.
   * @default the resource group's location
   */
  readonly location?: string;
  /**
   * The identity exists (made by hand, azwi or ccoctl): Terraform imports it on the first apply and manages it
   * from then on, where `fromExisting` only refers to it. With its client id, that is annotated at once.
   * @default false
   */
  readonly adopt?: boolean | { readonly clientId: string };
}

/** An identity that exists already (`ManagedIdentity.fromExisting`). */
export interface ExistingIdentityProps {
  /** Its name in Azure. */
  readonly name: string;
  /** The group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Its client id, so that service accounts can be annotated before any apply. */
  readonly clientId: string;
}

/**
 * An Azure identity that service accounts federate into: a user-assigned managed identity, or an Entra
 * application with its service principal. Everything that takes an identity takes either.
 */
export interface IWorkloadIdentity extends IConstruct {
  readonly kind: 'managedIdentity' | 'application';
  /** Its name in Azure (an application's display name). */
  readonly identityName: string;
  /** Declared with `fromExisting`: not created by the fleet. */
  readonly existing: boolean;
  /** Known at synth for an existing identity (and an adopted one given its client id); a new one's is known only after apply. */
  readonly existingClientId: string | undefined;
  /** The roles granted to it so far, in the order they were granted. */
  readonly roleGrants: readonly RoleGrant[];
  /** Assigns a built-in role to this identity at a scope; `adopt` names the assignment when it exists. */
  grantRole(role: string, scope: RoleScope, adopt?: string): void;
}

/** A managed identity of the fleet, created by it or existing; what importers return and props take. */
export interface IManagedIdentity extends IWorkloadIdentity {
  readonly kind: 'managedIdentity';
  /** The group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Its Azure region. */
  readonly location: string;
}

/**
 * A user-assigned managed identity that workloads federate into: declare one for each Azure identity a
 * service account acts as, and give it roles with `grantRole` (or a vault's `grantSecretsRead`).
 */
export class ManagedIdentity extends Construct implements IManagedIdentity {
  /** Refers to an identity that exists: FICs and roles are added to it, the identity is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingIdentityProps): IManagedIdentity {
    const identity = new ManagedIdentity(scope, id, { name: props.name, resourceGroup: props.resourceGroup });
    identity.clientIdOfExisting = props.clientId;
    identity.declaredExisting = true;
    return identity;
  }

  public readonly kind = 'managedIdentity' as const;
  public readonly identityName: string;
  public readonly resourceGroup: IResourceGroup;
  public readonly location: string;
  private clientIdOfExisting?: string;
  private declaredExisting = false;
  private readonly grants: RoleGrant[] = [];

  /** It exists and Terraform takes it over (`adopt`). */
  public readonly adopted: boolean;

  constructor(scope: Construct, id: string, props: ManagedIdentityProps) {
    super(scope, id);
    this.identityName = props.name ?? id;
    this.resourceGroup = props.resourceGroup;
    this.location = props.location ?? props.resourceGroup.location;
    this.adopted = props.adopt !== undefined && props.adopt !== false;
    if (typeof props.adopt === 'object') this.clientIdOfExisting = props.adopt.clientId;
  }

  /** Known at synth for an existing identity (and an adopted one given its client id); a new one's is known only after apply. */
  public get existingClientId(): string | undefined {
    return this.clientIdOfExisting;
  }

  /** Whether it was declared with `fromExisting` (not created by the fleet). */
  public get existing(): boolean {
    return this.declaredExisting;
  }

  /** Assigns a built-in role to this identity at a scope. */
  public grantRole(role: string, scope: RoleScope, adopt?: string): void {
    this.grants.push({ role, scope, ...(adopt !== undefined && { adopt }) });
  }

  /** The roles granted to it so far, in the order they were granted. */
  public get roleGrants(): readonly RoleGrant[] {
    return this.grants;
  }
}
