import { Construct } from 'constructs';
import { IKeyVault } from './key-vault';
import { IWorkloadIdentity } from './managed-identity';

/** A pod that proves the chain end to end by reading a Key Vault secret (azwi's msal-go quick start). */
export interface VerificationProps {
  /** The vault the pod reads from. */
  readonly keyVault: IKeyVault;
  /** The secret the pod reads; it must exist in the vault before the pod runs. */
  readonly secretName: string;
  /**
   * Image of the pod.
   * @default VERIFY_IMAGE_DEFAULT, the msal-go quick-start image (`ghcr.io/azure/azure-workload-identity/msal-go:latest`)
   */
  readonly image?: string;
}

/** Props of a `Workload`. */
export interface WorkloadProps {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account; it is emitted, annotated with the identity's client id. */
  readonly serviceAccount: string;
  /** The identity the service account federates into. */
  readonly identity: IWorkloadIdentity;
  /**
   * Emit the Namespace object too.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Lifetime of the projected token in seconds (3600-86400); annotated only when not the default.
   * @default 3600, the webhook's own default (no annotation)
   */
  readonly tokenExpirationSeconds?: number;
  /**
   * Deploy the verification pod; its identity is granted "Key Vault Secrets User" on the vault.
   * @default - none: no verification pod
   */
  readonly verify?: VerificationProps;
  /**
   * The FIC of this service account exists on its adopted identity under this name: Terraform imports it.
   * @default - none: the FIC is created, named `<cluster>_<namespace>_<serviceAccount>`
   */
  readonly adoptFederatedCredential?: string;
}

/**
 * A Kubernetes service account of one cluster that acts as one Azure identity: the identity gets a federated
 * credential on the cluster's issuer. Declare it with `Cluster.addWorkload`.
 */
export class Workload extends Construct {
  public readonly namespace: string;
  public readonly serviceAccount: string;
  public readonly identity: IWorkloadIdentity;
  public readonly createNamespace: boolean;
  public readonly tokenExpirationSeconds?: number;
  public readonly verify?: VerificationProps;
  /** The name of its FIC that exists on an adopted identity. */
  public readonly adoptFederatedCredential?: string;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.identity = props.identity;
    this.createNamespace = props.createNamespace ?? false;
    this.tokenExpirationSeconds = props.tokenExpirationSeconds;
    this.verify = props.verify;
    this.adoptFederatedCredential = props.adoptFederatedCredential;
  }
}
