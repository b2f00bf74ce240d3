import { Construct } from 'constructs';
import { ROLE_KEY_VAULT_SECRETS_USER } from './constants';
import { ResourceGroup } from './resource-group';

export interface KeyVaultProps {
  /** Globally unique vault name. @default the construct id */
  readonly name?: string;
  readonly resourceGroup: ResourceGroup;
  /** @default the resource group's location */
  readonly location?: string;
  /** @default 'standard' */
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

/** An Azure Key Vault with RBAC authorization and purge protection. */
export class KeyVault extends Construct {
  /** Refers to a vault that exists: roles are granted on it, it is not created. */
  public static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroup: ResourceGroup }): KeyVault {
    const vault = new KeyVault(scope, id, props);
    vault.isExisting = true;
    return vault;
  }

  public readonly vaultName: string;
  public readonly resourceGroup: ResourceGroup;
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

  public get existing(): boolean {
    return this.isExisting;
  }

  /** Lets an identity (a ManagedIdentity) read secrets: "Key Vault Secrets User" on this vault. */
  public grantSecretsRead(identity: { grantRole(role: string, scope: KeyVault): void }): void {
    identity.grantRole(ROLE_KEY_VAULT_SECRETS_USER, this);
  }
}
