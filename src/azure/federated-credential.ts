import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { Construct } from 'constructs';
import { IIdentity } from './identity';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

/** Properties of a `FederatedCredential`. */
export interface FederatedCredentialProps {
  /** Entra name of the credential (immutable). */
  readonly name: string;
  /** Identity that trusts the tokens. */
  readonly identity: IIdentity;
  /** Issuer of the tokens, byte-identical to the cluster's `--service-account-issuer`. */
  readonly issuer: string;
  /** Subject of the tokens: `system:serviceaccount:<namespace>:<name>` for a Kubernetes service account. */
  readonly subject: string;
  /** The one audience the tokens carry. */
  readonly audience: string;
  /**
   * The ARM id of the resource that exists: Terraform imports it on the first apply (an `import` block)
   * and manages it from then on.
   * @default - none: it is created
   */
  readonly importFrom?: string;
}

/**
 * A federated identity credential (`azurerm_federated_identity_credential`) on a user-assigned identity:
 * lets tokens of one issuer and subject (one service account of one cluster) act as that identity. Use one
 * for each service account that should sign in as the identity without a secret.
 */
export class FederatedCredential extends Construct {
  protected readonly resource: FederatedIdentityCredential;

  constructor(scope: Construct, id: string, props: FederatedCredentialProps) {
    super(scope, id);
    this.resource = new FederatedIdentityCredential(this, RESOURCE_ID, terraformLiterals({
      name: props.name,
      parentId: props.identity.id,
      resourceGroupName: props.identity.resourceGroupName,
      issuer: props.issuer,
      subject: props.subject,
      audience: [props.audience],
    }));
    if (props.importFrom !== undefined) this.resource.importFrom(props.importFrom);
  }
}
