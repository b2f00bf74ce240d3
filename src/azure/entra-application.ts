import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { DataAzureadApplication } from '@cdktf/provider-azuread/lib/data-azuread-application';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { terraformLiterals } from './terraform-literal';

/** An Entra application and its service principal, which workloads federate into. */
export interface IEntraApplication {
  /** The application's resource ID, `/applications/<object id>`: the parent of its federated credentials. */
  readonly id: string;
  /** Its client (application) id; known only after apply for a new one. */
  readonly clientId: string;
  /** Object id of its service principal, which roles are assigned to. */
  readonly principalId: string;
}

/** Properties of an `AzureEntraApplication`. */
export interface AzureEntraApplicationProps {
  /** Display name of the application. */
  readonly displayName: string;
}

/** Properties of `AzureEntraApplication.fromExisting`. */
export interface ExistingEntraApplicationProps {
  /** Its client (application) id. */
  readonly clientId: string;
  /** Its object id. */
  readonly objectId: string;
}

/**
 * An Entra application (`azuread_application`, single tenant) with its service principal
 * (`azuread_service_principal`): the identity azwi and the CAPZ guides offer beside a user-assigned one.
 */
export class AzureEntraApplication extends Construct implements IEntraApplication {
  /** Refers to an application that exists: its ids are used as they are; its service principal is read when used. */
  public static fromExisting(scope: Construct, id: string, props: ExistingEntraApplicationProps): IEntraApplication {
    return new ExistingEntraApplication(scope, id, props);
  }

  /** Refers to an application of another stack by its display name, read when planned (hashicorp/terraform-provider-azuread, data source `azuread_application`: `id` is the resource ID). */
  public static fromDisplayName(scope: Construct, id: string, displayName: string): IEntraApplication {
    return new ApplicationByName(scope, id, displayName);
  }

  public readonly id: string;
  public readonly clientId: string;
  public readonly principalId: string;
  protected readonly application: Application;
  protected readonly servicePrincipal: ServicePrincipal;

  constructor(scope: Construct, id: string, props: AzureEntraApplicationProps) {
    super(scope, id);
    this.application = new Application(this, RESOURCE_ID, terraformLiterals({ displayName: props.displayName, signInAudience: 'AzureADMyOrg' }));
    this.servicePrincipal = new ServicePrincipal(this, 'service-principal', { clientId: this.application.clientId });
    this.id = this.application.id;
    this.clientId = this.application.clientId;
    this.principalId = this.servicePrincipal.objectId;
  }
}

/** An existing application: literal ids, and its service principal read by client id when a role needs it. */
class ExistingEntraApplication extends Construct implements IEntraApplication {
  public readonly id: string;
  public readonly clientId: string;
  private principal?: DataAzureadServicePrincipal;

  constructor(scope: Construct, id: string, props: ExistingEntraApplicationProps) {
    super(scope, id);
    this.id = `/applications/${props.objectId}`;
    this.clientId = props.clientId;
  }

  public get principalId(): string {
    this.principal ??= new DataAzureadServicePrincipal(this, 'service-principal', terraformLiterals({ clientId: this.clientId }));
    return this.principal.objectId;
  }
}

/** An application of another stack, read by display name. */
class ApplicationByName extends Construct implements IEntraApplication {
  private readonly application: DataAzureadApplication;
  private principal?: DataAzureadServicePrincipal;

  constructor(scope: Construct, id: string, displayName: string) {
    super(scope, id);
    this.application = new DataAzureadApplication(this, RESOURCE_ID, terraformLiterals({ displayName }));
  }

  public get id(): string {
    return this.application.id;
  }

  public get clientId(): string {
    return this.application.clientId;
  }

  public get principalId(): string {
    this.principal ??= new DataAzureadServicePrincipal(this, 'service-principal', { clientId: this.application.clientId });
    return this.principal.objectId;
  }
}

/** Properties of an `ApplicationFederatedCredential`. */
export interface ApplicationFederatedCredentialProps {
  /** Entra name of the credential. */
  readonly name: string;
  /** The application that trusts the tokens. */
  readonly application: IEntraApplication;
  /** Issuer of the tokens, byte-identical to the cluster's `--service-account-issuer`. */
  readonly issuer: string;
  /** Subject of the tokens: `system:serviceaccount:<namespace>:<name>`. */
  readonly subject: string;
  /** The one audience the tokens carry. */
  readonly audience: string;
}

/** A federated identity credential on an Entra application (`azuread_application_federated_identity_credential`). */
export class ApplicationFederatedCredential extends Construct {
  protected readonly resource: ApplicationFederatedIdentityCredential;

  constructor(scope: Construct, id: string, props: ApplicationFederatedCredentialProps) {
    super(scope, id);
    this.resource = new ApplicationFederatedIdentityCredential(
      this,
      RESOURCE_ID,
      terraformLiterals({ applicationId: props.application.id, displayName: props.name, issuer: props.issuer, subject: props.subject, audiences: [props.audience] }),
    );
  }
}
