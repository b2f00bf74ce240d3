import { Construct } from 'constructs';
import type { IWorkloadIdentity, RoleGrant, RoleScope } from './managed-identity';

/** Props of an `EntraApplication`. */
export interface EntraApplicationProps {
  /**
   * Its display name in Entra.
   * @default the construct id
   */
  readonly name?: string;
}

/** An application that exists already (`EntraApplication.fromExisting`). */
export interface ExistingApplicationProps {
  /** Its display name. */
  readonly name: string;
  /** Its client (application) id, so that service accounts can be annotated before any apply. */
  readonly clientId: string;
  /** Its object id, which its federated credentials are added to (`az ad app show --id <client id> --query id`). */
  readonly objectId: string;
}

/**
 * An Entra application and its service principal, federated into like a managed identity: the choice
 * azwi and the CAPZ guides offer beside a user-assigned identity. It lives in the tenant, in no resource
 * group; roles go to its service principal.
 */
export class EntraApplication extends Construct implements IWorkloadIdentity {
  /** Refers to an application that exists: FICs and roles are added to it, it is not created. */
  public static fromExisting(scope: Construct, id: string, props: ExistingApplicationProps): IWorkloadIdentity {
    const application = new EntraApplication(scope, id, { name: props.name });
    application.existingIds = { clientId: props.clientId, objectId: props.objectId };
    return application;
  }

  public readonly kind = 'application' as const;
  public readonly identityName: string;
  private existingIds?: { readonly clientId: string; readonly objectId: string };
  private readonly grants: RoleGrant[] = [];

  constructor(scope: Construct, id: string, props: EntraApplicationProps = {}) {
    super(scope, id);
    this.identityName = props.name ?? id;
  }

  public get existing(): boolean {
    return this.existingIds !== undefined;
  }

  public get existingClientId(): string | undefined {
    return this.existingIds?.clientId;
  }

  /** Set for an existing application. */
  public get existingObjectId(): string | undefined {
    return this.existingIds?.objectId;
  }

  /** Assigns a built-in role to its service principal at a scope. */
  public grantRole(role: string, scope: RoleScope): void {
    this.grants.push({ role, scope });
  }

  public get roleGrants(): readonly RoleGrant[] {
    return this.grants;
  }
}
