import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { Construct } from 'constructs';
import { IIdentity } from './identity';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

export interface FederatedCredentialProps {
  /** Entra name of the credential (immutable). */
  readonly name: string;
  /** Identity that trusts the tokens. */
  readonly identity: IIdentity;
  /** Issuer of the tokens, byte-identical to the cluster's `--service-account-issuer`. */
  readonly issuer: string;
  /** `system:serviceaccount:<namespace>:<name>` */
  readonly subject: string;
  /** The one audience the tokens carry. */
  readonly audience: string;
}

/** Lets tokens of one service account of one cluster act as an identity. */
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
  }
}
