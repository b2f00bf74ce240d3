/** Attribution: the file, object or Terraform identity each value of the trust model comes from. */
import { readStatement } from './issuer-statements';
import { PLACEHOLDER_PREFIX } from '../model/constants';
import type { ClusterSummary } from '../core/summary';
import { Artifacts, TerraformStack } from './artifacts';
import { CanonicalValues, parseReference, stringOf } from './trust-values';

/** Where a cluster states its issuer. */
export interface IssuerSource {
  readonly file: string;
  readonly object: string;
  readonly raw: string;
  readonly canonical: string;
}

export interface IdentityInfo {
  /** `<resource group>/<name>` (an application: `application/<display name or object id>`), lower case: how two stacks name the same identity. */
  readonly key: string;
  readonly name: string;
  /** Unset for an Entra application, which lives in the tenant. */
  readonly resourceGroup?: string;
  readonly stack?: string;
  readonly address?: string;
}

const IDENTITY_ARM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;
const IDENTITY_TYPE = 'azurerm_user_assigned_identity';
// Entra applications (hashicorp/terraform-provider-azuread): the application, its service principal, and the `/applications/<object id>` its FICs take
const APPLICATION_TYPE = 'azuread_application';
const SERVICE_PRINCIPAL_TYPE = 'azuread_service_principal';
const APPLICATION_ID = /^\/applications\/([0-9a-f-]{36})$/i;

export class ValueAttribution extends CanonicalValues {
  readonly identities = new Map<string, IdentityInfo>();

  constructor(artifacts: Artifacts) {
    super(artifacts);
    for (const stack of artifacts.stacks) {
      for (const [id, block] of stack.resources.get(IDENTITY_TYPE) ?? []) {
        const name = stringOf(block.name);
        const resourceGroup = this.resolveName(block.resource_group_name, stack);
        if (!name || !resourceGroup) continue;
        const key = identityKey(resourceGroup, name);
        this.identities.set(key, { key, name, resourceGroup, stack: stack.name, address: `${IDENTITY_TYPE}.${id}` });
      }
      for (const [id, block] of stack.resources.get(APPLICATION_TYPE) ?? []) {
        const name = stringOf(block.display_name);
        if (!name) continue;
        const key = applicationKey(name);
        this.identities.set(key, { key, name, stack: stack.name, address: `${APPLICATION_TYPE}.${id}` });
      }
    }
  }

  /** The identity a client id belongs to: through its placeholder's output, or the output recorded after apply. */
  identityOfClientId(raw: string): string | undefined {
    return this.identityOfValue(raw, 'client_id');
  }

  /**
   * The identity one of its attributes (`client_id`, `principal_id`) comes from: a reference to it in
   * `stack`, or a placeholder or recorded value of an output that refers to it.
   */
  identityOfValue(raw: unknown, attribute: string, stack?: TerraformStack): string | undefined {
    if (stack) {
      const direct = this.identityOfReference(raw, attribute, stack);
      if (direct !== undefined) return direct;
    }
    if (typeof raw !== 'string') return undefined;
    const output = raw.startsWith(PLACEHOLDER_PREFIX) ? raw.slice(PLACEHOLDER_PREFIX.length) : this.recordedOutput(raw);
    if (!output) return undefined;
    for (const s of this.stacksWithOutput(output)) {
      const key = this.identityOfReference(s.outputs.get(output), attribute, s);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  /**
   * `${azurerm_user_assigned_identity.x.<attribute>}` (resource or data source) in `stack`: that identity. An
   * application's are its `client_id` and `id`, and its service principal's `object_id` for `principal_id`.
   */
  private identityOfReference(value: unknown, attribute: string, stack: TerraformStack): string | undefined {
    const ref = parseReference(value);
    if (ref?.type === APPLICATION_TYPE && ref.attribute === attribute && (attribute === 'client_id' || attribute === 'id')) {
      const name = stringOf((ref.data ? stack.data : stack.resources).get(APPLICATION_TYPE)?.get(ref.id)?.display_name);
      return name ? applicationKey(name) : undefined;
    }
    if (ref?.type === SERVICE_PRINCIPAL_TYPE && ref.attribute === 'object_id' && attribute === 'principal_id') {
      const principal = (ref.data ? stack.data : stack.resources).get(SERVICE_PRINCIPAL_TYPE)?.get(ref.id);
      return principal && this.identityOfReference(principal.client_id, 'client_id', stack);
    }
    if (ref?.type !== IDENTITY_TYPE || ref.attribute !== attribute) return undefined;
    const block = (ref.data ? stack.data : stack.resources).get(IDENTITY_TYPE)?.get(ref.id);
    const name = stringOf(block?.name);
    const group = block && this.resolveName(block.resource_group_name, stack);
    return name && group ? identityKey(group, name) : undefined;
  }

  /** The identity a FIC's `parent_id` names: a reference, or an ARM id (recorded as an identity of no stack). */
  protected identityOfParent(parentId: unknown, stack: TerraformStack): string | undefined {
    if (parseReference(parentId)) return this.identityOfReference(parentId, 'id', stack);
    const app = typeof parentId === 'string' ? APPLICATION_ID.exec(parentId) : null;
    if (app) {
      const key = applicationKey(app[1]);
      if (!this.identities.has(key)) this.identities.set(key, { key, name: app[1] });
      return key;
    }
    const m = typeof parentId === 'string' ? IDENTITY_ARM_ID.exec(parentId) : null;
    if (!m) return undefined;
    const key = identityKey(m[1], m[2]);
    if (!this.identities.has(key)) this.identities.set(key, { key, name: m[2], resourceGroup: m[1] });
    return key;
  }

  /** Every place one cluster states its issuer: summary.json, and the statements it points at (its AKS resource among them). */
  protected issuerSources(summary: ClusterSummary): IssuerSource[] {
    const sources: IssuerSource[] = [];
    const add = (file: string, object: string, raw: unknown, stack?: TerraformStack) => {
      if (typeof raw === 'string') sources.push({ file, object, raw, canonical: this.canonical(raw, stack) });
    };
    const index = this.artifacts.summary.clusters.indexOf(summary);
    add('summary.json', `clusters[${index}].issuer`, summary.issuer);
    for (const statement of summary.issuerStatedIn ?? []) {
      for (const stated of readStatement(this.artifacts, statement)) add(stated.file, stated.object, stated.issuers[0], stated.stack);
    }
    return sources;
  }

  /** A name given literally or as `${azurerm_resource_group.x.name}`. */
  resolveName(value: unknown, stack: TerraformStack): string | undefined {
    const ref = parseReference(value);
    if (!ref) return stringOf(value);
    const block = (ref.data ? stack.data : stack.resources).get(ref.type)?.get(ref.id);
    return ref.attribute === 'name' ? stringOf(block?.name) : undefined;
  }
}

function identityKey(resourceGroup: string, name: string): string {
  return `${resourceGroup}/${name}`.toLowerCase();
}

function applicationKey(nameOrObjectId: string): string {
  return `application/${nameOrObjectId}`.toLowerCase();
}
