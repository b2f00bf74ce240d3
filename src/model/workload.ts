import { Construct } from 'constructs';
import { KeyVault } from './key-vault';
import { ManagedIdentity } from './managed-identity';

/** A pod that proves the chain end to end by reading a Key Vault secret (azwi's msal-go quick start). */
export interface VerificationProps {
  readonly keyVault: KeyVault;
  readonly secretName: string;
  /** @default the msal-go quick-start image */
  readonly image?: string;
}

export interface WorkloadProps {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The identity the service account federates into. */
  readonly identity: ManagedIdentity;
  /**
   * Emit the Namespace object too.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Lifetime of the projected token in seconds (3600-86400); annotated only when not the default.
   * @default 3600
   */
  readonly tokenExpirationSeconds?: number;
  /**
   * Deploy the verification pod; its identity is granted "Key Vault Secrets User" on the vault.
   * @default no verification pod
   */
  readonly verify?: VerificationProps;
}

/** A Kubernetes service account of one cluster that acts as one Azure identity. */
export class Workload extends Construct {
  public readonly namespace: string;
  public readonly serviceAccount: string;
  public readonly identity: ManagedIdentity;
  public readonly createNamespace: boolean;
  public readonly tokenExpirationSeconds?: number;
  public readonly verify?: VerificationProps;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.identity = props.identity;
    this.createNamespace = props.createNamespace ?? false;
    this.tokenExpirationSeconds = props.tokenExpirationSeconds;
    this.verify = props.verify;
  }
}
