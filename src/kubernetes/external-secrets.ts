import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
} from '../../imports/eso-externalsecrets-external-secrets.io';
import { WorkloadIdentityServiceAccount } from './service-account';

/** ESO's name of the Azure cloud of a vault (`spec.provider.azurekv.environmentType`). */
export type KeyVaultEnvironment = 'PublicCloud' | 'USGovernmentCloud' | 'ChinaCloud';

/** ESO's `azurekv` provider, as far as wisynth sets it (the SecretStore CRD has no generated binding). */
interface AzureKeyVaultProvider {
  readonly vaultUrl: string;
  readonly authType: 'WorkloadIdentity';
  readonly serviceAccountRef: { readonly name: string };
  readonly environmentType?: KeyVaultEnvironment;
}

interface SecretStoreSpec {
  readonly provider: { readonly azurekv: AzureKeyVaultProvider };
}

/** One Key Vault secret copied into one Kubernetes Secret. */
export interface KeyVaultSecret {
  /** Name of the ExternalSecret and of the Secret it owns. */
  readonly name: string;
  /** Key of the value in the Secret. */
  readonly key: string;
  /** Name of the secret in the vault. */
  readonly remoteKey: string;
  /**
   * Type of the Secret.
   * @default - Opaque
   */
  readonly type?: string;
}

/** Properties of a `KeyVaultExternalSecrets`. */
export interface KeyVaultExternalSecretsProps {
  /** Namespace of every object: a SecretStore serves its own namespace only. */
  readonly namespace: string;
  /** Name of the SecretStore. */
  readonly storeName: string;
  /** `https://<vault>.vault.azure.net/` (per cloud). */
  readonly keyVaultUrl: string;
  /** The service account ESO exchanges a token of; its identity needs `Key Vault Secrets User` on the vault. */
  readonly serviceAccount: { readonly name: string; readonly clientId: string; readonly tenantId: string };
  /**
   * Cloud of the vault.
   * @default - not set: ESO's default, PublicCloud
   */
  readonly environmentType?: KeyVaultEnvironment;
  /** The Key Vault secrets to copy, one ExternalSecret (and one Secret) each. */
  readonly secrets: readonly KeyVaultSecret[];
  /**
   * How often ESO reads the vault again (a Go duration).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * Secrets that External Secrets Operator copies from a Key Vault, so the YAML holds only references:
 * a workload-identity ServiceAccount, a SecretStore (`azurekv`, authType `WorkloadIdentity`) acting
 * as it, and one ExternalSecret a secret, which owns the Secret it creates. Use it when a namespace
 * needs Kubernetes Secrets whose values live in Key Vault, read with workload identity.
 */
export class KeyVaultExternalSecrets extends Construct {
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Name of the SecretStore. */
  public readonly storeName: string;

  protected readonly serviceAccount: WorkloadIdentityServiceAccount;
  protected readonly secretStore: ApiObject;
  protected readonly externalSecrets: readonly ExternalSecret[];

  constructor(scope: Construct, id: string, props: KeyVaultExternalSecretsProps) {
    super(scope, id);
    const { namespace, storeName } = props;
    this.namespace = namespace;
    this.storeName = storeName;

    this.serviceAccount = new WorkloadIdentityServiceAccount(this, 'ServiceAccount', {
      namespace,
      name: props.serviceAccount.name,
      clientId: props.serviceAccount.clientId,
      tenantId: props.serviceAccount.tenantId,
    });

    const spec: SecretStoreSpec = {
      provider: {
        azurekv: {
          vaultUrl: props.keyVaultUrl,
          authType: 'WorkloadIdentity',
          serviceAccountRef: { name: props.serviceAccount.name },
          ...(props.environmentType !== undefined ? { environmentType: props.environmentType } : {}),
        },
      },
    };
    this.secretStore = new ApiObject(this, 'SecretStore', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: storeName, namespace },
      spec,
    });

    this.externalSecrets = props.secrets.map(
      (secret) =>
        new ExternalSecret(this, `ExternalSecret:${secret.name}`, {
          metadata: { name: secret.name, namespace },
          spec: {
            secretStoreRef: { name: storeName, kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE },
            refreshInterval: props.refreshInterval ?? '1h',
            target: {
              name: secret.name,
              creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
              // with no template data, ESO keeps the fetched data and only sets the type
              ...(secret.type !== undefined && secret.type !== 'Opaque' ? { template: { type: secret.type } } : {}),
            },
            data: [{ secretKey: secret.key, remoteRef: { key: secret.remoteKey } }],
          },
        }),
    );
  }
}
