import { Construct, IConstruct } from 'constructs';
import { ROLE_KEY_VAULT_SECRETS_USER } from './constants';
import type { IResourceGroup } from './resource-group';

/** Props of a `KeyVault`. */
export interface KeyVaultProps {
  /**
   * Globally unique vault name.
   * @default the construct id
   */
  readonly name?: string;
  /** The group the vault is created in. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Azure region of the vault.
   * @default the resource group's location
   */
  readonly location?: string;
  /**
   * Pricing tier; 'premium' adds HSM-backed keys.
   * @default 'standard'
   */
  readonly sku?: 'standard' | 'premium';
  /**
   * Days a deleted vault is kept (7-90).
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Grant "Key Vault Secrets Officer" to whoever runs Terraform, so they can write the secrets workloads read.
   * @default true
   */
  readonly deployerIsSecretsOfficer?: boolean;
}

/** A vault that exists already (`KeyVault.fromExisting`). */
export interface ExistingKeyVaultProps {
  /** Its name in Azure. */
  readonly name: string;
  /** The group that holds it. */
  readonly resourceGroup: IResourceGroup;
}

/** A Key Vault of the fleet, created by it or existing; what importers return and props take. */
export interface IKeyVault extends IConstruct {
  /** Its name in Azure. */
  readonly vaultName: string;
  /** The group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** It exists already: roles are granted on it, it is not created. */
  readonly existing: boolean;
  /** Lets an identity read its secrets ("Key Vault Secrets User" on the vault). */
  grantSecretsRead(identity: { grantRole(role: string, scope: IKeyVault): void }): void;
}

/**
 * An Azure Key Vault with RBAC authorization and purge protection: declare one to hold the secrets workloads
 * read (and the verification pod checks); let an identity read it with `grantSecretsRead`.
 */
export class KeyVault extends Construct implements IKeyVault {
  /** Refers to a vault that exists: roles are granted on it, it is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingKeyVaultProps): IKeyVault {
    const vault = new KeyVault(scope, id, props);
    vault.isExisting = true;
    return vault;
  }

  public readonly vaultName: string;
  public readonly resourceGroup: IResourceGroup;
  public readonly location: string;
  public readonly sku: 'standard' | 'premium';
  public readonly softDeleteRetentionDays: number;
  public readonly deployerIsSecretsOfficer: boolean;
  private isExisting = false;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    this.vaultName = props.name ?? id;
    this.resourceGroup = props.resourceGroup;
    this.location = props.location ?? props.resourceGroup.location;
    this.sku = props.sku ?? 'standard';
    this.softDeleteRetentionDays = props.softDeleteRetentionDays ?? 90;
    this.deployerIsSecretsOfficer = props.deployerIsSecretsOfficer ?? true;
  }

  /** Whether it was declared with `fromExisting` (not created by the fleet). */
  public get existing(): boolean {
    return this.isExisting;
  }

  /** Lets an identity (a ManagedIdentity) read secrets: "Key Vault Secrets User" on this vault. */
  public grantSecretsRead(identity: { grantRole(role: string, scope: IKeyVault): void }): void {
    identity.grantRole(ROLE_KEY_VAULT_SECRETS_USER, this);
  }
}
