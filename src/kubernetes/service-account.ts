import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  ANNOTATION_TOKEN_EXPIRATION,
  TOKEN_EXPIRATION_MAX,
  TOKEN_EXPIRATION_MIN,
} from '../model/constants';

/** Properties of a `WorkloadIdentityServiceAccount`. */
export interface WorkloadIdentityServiceAccountProps {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account; with the namespace it makes the FIC subject. */
  readonly name: string;
  /** Client id of the Azure identity the webhook injects as AZURE_CLIENT_ID (or its pending placeholder). */
  readonly clientId: string;
  /** Entra tenant of the identity, injected as AZURE_TENANT_ID. */
  readonly tenantId: string;
  /**
   * Lifetime of the projected service-account token, in seconds (3600-86400).
   * @default - not annotated: the webhook's default (3600)
   */
  readonly tokenExpirationSeconds?: number;
}

/**
 * A ServiceAccount (`v1`) annotated with `azure.workload.identity/client-id` and `tenant-id` (and optionally
 * the token expiration), whose tokens the azure-workload-identity webhook exchanges for the Azure identity
 * named by its annotations. Use one for each workload that signs in to Azure with a federated credential.
 * Pods opt in with the `azure.workload.identity/use` label; the service account itself carries no label.
 */
export class WorkloadIdentityServiceAccount extends Construct {
  /** Namespace of the service account. */
  public readonly namespace: string;
  /** Name of the service account. */
  public readonly name: string;

  protected readonly apiObject: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: WorkloadIdentityServiceAccountProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.name = props.name;

    const annotations: Record<string, string> = {
      [ANNOTATION_CLIENT_ID]: props.clientId,
      [ANNOTATION_TENANT_ID]: props.tenantId,
    };
    const expiration = props.tokenExpirationSeconds;
    if (expiration !== undefined) {
      annotations[ANNOTATION_TOKEN_EXPIRATION] = String(expiration);
      this.node.addValidation({
        validate: () =>
          Number.isInteger(expiration) && expiration >= TOKEN_EXPIRATION_MIN && expiration <= TOKEN_EXPIRATION_MAX
            ? []
            : [
                `service account ${props.namespace}/${props.name}: token expiration ${expiration} must be a whole number of seconds between ${TOKEN_EXPIRATION_MIN} and ${TOKEN_EXPIRATION_MAX}`,
              ],
      });
    }

    this.apiObject = new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, annotations },
    });
  }
}
