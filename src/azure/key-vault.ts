import { KeyVault as KeyVaultResource } from '@cdktf/provider-azurerm/lib/key-vault';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { IResourceGroup } from './resource-group';
import { ResourceTags, tagsAttribute } from './tags';
import { terraformLiterals } from './terraform-literal';

/** A Key Vault whose secrets are read with Azure RBAC roles. */
export interface IKeyVault {
  /** ARM ID: the scope of roles on the vault; a reference for a new vault, so that roles wait for it. */
  readonly id: string;
}

/** Properties of `AzureKeyVault.fromExisting`. */
export interface ExistingAzureKeyVaultProps {
  /** Its ARM ID, `/subscriptions/<sub>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`. */
  readonly armId: string;
}

/** Properties of an `AzureKeyVault`. */
export interface AzureKeyVaultProps {
  /** Globally unique vault name. */
  readonly name: string;
  /** Group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Azure region of the vault. */
  readonly location: string;
  /** Entra tenant that authenticates requests to the vault. */
  readonly tenantId: string;
  /** Pricing tier. */
  readonly sku: 'standard' | 'premium';
  /** Days a deleted vault is kept (7-90). */
  readonly softDeleteRetentionDays: number;
  /**
   * Azure tags of the vault.
   * @default - none: no `tags` attribute is written
   */
  readonly tags?: ResourceTags;
}

/**
 * A Key Vault (`azurerm_key_vault`) with Azure RBAC authorization and purge protection, so access is
 * granted with `RoleAssignment` (e.g. `Key Vault Secrets User`) and never with access policies. Use it
 * for the secrets workloads read with their federated identity; `AzureKeyVault.fromExisting` for a vault that exists.
 */
export class AzureKeyVault extends Construct implements IKeyVault {
  /** Refers to a vault that exists: roles are granted on it, it is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingAzureKeyVaultProps): IKeyVault {
    return new ExistingKeyVault(scope, id, props);
  }

  /** The vault's ARM ID, a reference to the resource: the scope of roles on the vault. */
  public readonly id: string;
  protected readonly resource: KeyVaultResource;

  constructor(scope: Construct, id: string, props: AzureKeyVaultProps) {
    super(scope, id);
    this.resource = new KeyVaultResource(this, RESOURCE_ID, terraformLiterals({
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.location,
      tenantId: props.tenantId,
      skuName: props.sku,
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: props.softDeleteRetentionDays,
      tags: tagsAttribute(props.tags),
    }));
    this.id = this.resource.id;
  }
}

/** A vault that exists, by ARM ID: nothing of it is written. */
class ExistingKeyVault extends Construct implements IKeyVault {
  public readonly id: string;

  constructor(scope: Construct, id: string, props: ExistingAzureKeyVaultProps) {
    super(scope, id);
    this.id = props.armId;
  }
}
