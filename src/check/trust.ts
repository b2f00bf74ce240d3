import { serviceAccountSubject } from '../core/names';
import { readStatement } from './issuer-statements';
import { ANNOTATION_CLIENT_ID, PLACEHOLDER_PREFIX } from '../model/constants';
import type { ClusterSummary, ExternalServiceAccount } from '../core/summary';
import { Artifacts, at, objectsAppliedTo, KubeObject, TerraformStack } from './artifacts';

/**
 * The trust chains as the files on disk state them: which issuer each cluster advertises (and where),
 * which FICs exist on which identity, which service accounts each cluster has. Values are compared in
 * a canonical form, so a placeholder, the Terraform expression behind its output and the value
 * recorded after apply are the same value.
 */

/** Where a cluster states its issuer. */
export interface IssuerSource {
  readonly file: string;
  readonly object: string;
  readonly raw: string;
  readonly canonical: string;
}

export interface ClusterTrust {
  readonly summary: ClusterSummary;
  readonly sources: readonly IssuerSource[];
  /** The issuer most sources agree on (summary.json breaks a tie). */
  readonly issuer: string;
  readonly serviceAccounts: readonly ServiceAccountInfo[];
}

export interface ServiceAccountInfo {
  readonly namespace: string;
  readonly name: string;
  readonly subject: string;
  /** The YAML object, unset for one CAPZ or OpenShift installs. */
  readonly object?: KubeObject;
  readonly external?: ExternalServiceAccount;
  /** Its client-id annotation, raw. */
  readonly clientId?: string;
  /** The identity that client id belongs to, when the files tie them together. */
  readonly identityKey?: string;
}

export interface IdentityInfo {
  /** `<resource group>/<name>`, lower case: how two stacks name the same identity. */
  readonly key: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly stack?: string;
  readonly address?: string;
}

export interface FederatedCredentialInfo {
  readonly stack: TerraformStack;
  readonly file: string;
  /** `azurerm_federated_identity_credential.<id>` */
  readonly address: string;
  readonly name: string;
  readonly issuerRaw: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  readonly identityKey?: string;
  readonly identityName: string;
}

export interface TerraformReference {
  readonly type: string;
  readonly id: string;
  readonly attribute: string;
  readonly data: boolean;
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;
const IDENTITY_ARM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;
export const FIC_TYPE = 'azurerm_federated_identity_credential';
const IDENTITY_TYPE = 'azurerm_user_assigned_identity';

/** `${type.id.attr}` (or `${data.type.id.attr}`) when the whole value is one reference. */
export function parseReference(value: unknown): TerraformReference | undefined {
  const m = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return m ? { data: !!m[1], type: m[2], id: m[3], attribute: m[4] } : undefined;
}


/** How an issuer compares when only its case or a trailing slash differ: to point at a near miss. */
export function looselyEqual(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

export class TrustModel {
  readonly identities = new Map<string, IdentityInfo>();
  readonly federatedCredentials: FederatedCredentialInfo[];
  readonly clusters: ClusterTrust[];

  constructor(readonly artifacts: Artifacts) {
    for (const stack of artifacts.stacks) {
      for (const [id, block] of stack.resources.get(IDENTITY_TYPE) ?? []) {
        const name = stringOf(block.name);
        const resourceGroup = this.resolveName(block.resource_group_name, stack);
        if (!name || !resourceGroup) continue;
        const key = identityKey(resourceGroup, name);
        this.identities.set(key, { key, name, resourceGroup, stack: stack.name, address: `${IDENTITY_TYPE}.${id}` });
      }
    }
    this.federatedCredentials = artifacts.stacks.flatMap((stack) =>
      [...(stack.resources.get(FIC_TYPE) ?? [])].map(([id, block]) => {
        const identityKey = this.identityOfParent(block.parent_id, stack);
        const issuerRaw = stringOf(block.issuer) ?? '';
        return {
          stack,
          file: stack.file,
          address: `${FIC_TYPE}.${id}`,
          name: stringOf(block.name) ?? id,
          issuerRaw,
          issuer: this.canonical(issuerRaw, stack),
          subject: stringOf(block.subject) ?? '',
          audiences: Array.isArray(block.audience) ? block.audience.map(String) : [],
          identityKey,
          identityName: (identityKey && this.identities.get(identityKey)?.name) ?? String(block.parent_id),
        };
      }),
    );
    this.clusters = artifacts.summary.clusters.map((summary) => this.clusterTrust(summary));
  }

  /**
   * One form per value: a literal stays as it is; a placeholder, and a Terraform expression that is
   * some stack's output, become that output (or the value recorded for it after apply).
   */
  canonical(raw: string, stack?: TerraformStack): string {
    if (raw.startsWith(PLACEHOLDER_PREFIX)) return `output:${raw.slice(PLACEHOLDER_PREFIX.length)}`;
    if (!raw.startsWith('${')) return raw;
    const output = stack && this.outputNamed(stack, raw);
    if (!output) return `expression:${stack?.name}:${raw}`;
    return this.artifacts.summary.resolvedOutputs[output] ?? `output:${output}`;
  }

  private readonly outputsByValue = new Map<TerraformStack, Map<unknown, string>>();

  /** The output of a stack whose value is exactly this expression (the first, by name order in the file). */
  private outputNamed(stack: TerraformStack, expression: string): string | undefined {
    let byValue = this.outputsByValue.get(stack);
    if (!byValue) {
      byValue = new Map();
      for (const [name, value] of stack.outputs) if (!byValue.has(value)) byValue.set(value, name);
      this.outputsByValue.set(stack, byValue);
    }
    return byValue.get(expression);
  }

  /** How a canonical value reads in a message. */
  shown(canonical: string): string {
    return canonical.startsWith('output:') ? `the Terraform output ${canonical.slice(7)}` : canonical.startsWith('expression:') ? canonical.split(':').slice(2).join(':') : canonical;
  }

  /**
   * The cluster a FIC is for: the one whose issuer it carries exactly, else the one it nearly carries
   * (case or trailing slash apart), so one typo is reported once and not again as a missing FIC.
   */
  clusterOf(fic: FederatedCredentialInfo): { readonly cluster: ClusterTrust; readonly exact: boolean } | undefined {
    return this.attribution().get(fic);
  }

  /** The FICs `clusterOf` gives to a cluster. */
  federatedCredentialsOf(cluster: ClusterTrust): readonly FederatedCredentialInfo[] {
    this.attribution();
    return this.ficsByCluster.get(cluster) ?? [];
  }

  private attributed?: Map<FederatedCredentialInfo, { readonly cluster: ClusterTrust; readonly exact: boolean }>;
  private readonly ficsByCluster = new Map<ClusterTrust, FederatedCredentialInfo[]>();

  /** Computed once: by exact issuer through a map, by a near miss only for the FICs left. */
  private attribution(): Map<FederatedCredentialInfo, { readonly cluster: ClusterTrust; readonly exact: boolean }> {
    if (this.attributed) return this.attributed;
    this.attributed = new Map();
    const byIssuer = new Map<string, ClusterTrust>();
    for (const c of this.clusters) if (!byIssuer.has(c.issuer)) byIssuer.set(c.issuer, c);
    for (const fic of this.federatedCredentials) {
      const exact = byIssuer.get(fic.issuer);
      const near = exact ? undefined : this.clusters.find((c) => looselyEqual(c.issuer, fic.issuer));
      const cluster = exact ?? near;
      if (!cluster) continue;
      this.attributed.set(fic, { cluster, exact: !!exact });
      const list = this.ficsByCluster.get(cluster);
      if (list) list.push(fic);
      else this.ficsByCluster.set(cluster, [fic]);
    }
    return this.attributed;
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
    const resolved = Object.entries(this.artifacts.summary.resolvedOutputs).find(([, v]) => v === raw)?.[0];
    const output = raw.startsWith(PLACEHOLDER_PREFIX) ? raw.slice(PLACEHOLDER_PREFIX.length) : resolved;
    if (!output) return undefined;
    for (const s of this.artifacts.stacks) {
      const key = this.identityOfReference(s.outputs.get(output), attribute, s);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  /** `${azurerm_user_assigned_identity.x.<attribute>}` (resource or data source) in `stack`: that identity. */
  private identityOfReference(value: unknown, attribute: string, stack: TerraformStack): string | undefined {
    const ref = parseReference(value);
    if (ref?.type !== IDENTITY_TYPE || ref.attribute !== attribute) return undefined;
    const block = (ref.data ? stack.data : stack.resources).get(IDENTITY_TYPE)?.get(ref.id);
    const name = stringOf(block?.name);
    const group = block && this.resolveName(block.resource_group_name, stack);
    return name && group ? identityKey(group, name) : undefined;
  }

  /** The issuer sources and service accounts of one cluster. */
  private clusterTrust(summary: ClusterSummary): ClusterTrust {
    const sources = this.issuerSources(summary);
    const counts = new Map<string, number>();
    for (const s of sources) counts.set(s.canonical, (counts.get(s.canonical) ?? 0) + 1);
    const best = Math.max(0, ...counts.values());
    const summaryIssuer = sources[0]?.canonical;
    const issuer = counts.get(summaryIssuer) === best ? summaryIssuer : [...counts].find(([, n]) => n === best)![0];
    return { summary, sources, issuer, serviceAccounts: this.serviceAccountsOf(summary) };
  }

  private issuerSources(summary: ClusterSummary): IssuerSource[] {
    const sources: IssuerSource[] = [];
    const add = (file: string, object: string, raw: unknown, stack?: TerraformStack) => {
      if (typeof raw === 'string') sources.push({ file, object, raw, canonical: this.canonical(raw, stack) });
    };
    const index = this.artifacts.summary.clusters.indexOf(summary);
    add('summary.json', `clusters[${index}].issuer`, summary.issuer);
    for (const stack of this.artifacts.stacks) {
      for (const [id, aks] of stack.resources.get('azurerm_kubernetes_cluster') ?? []) {
        if (aks.name === summary.name) add(stack.file, `azurerm_kubernetes_cluster.${id}`, `\${azurerm_kubernetes_cluster.${id}.oidc_issuer_url}`, stack);
      }
    }
    for (const statement of summary.issuerStatedIn ?? []) {
      for (const stated of readStatement(this.artifacts, statement)) add(stated.file, stated.object, stated.issuers[0]);
    }
    return sources;
  }

  private serviceAccountsOf(summary: ClusterSummary): ServiceAccountInfo[] {
    const inYaml = objectsAppliedTo(this.artifacts, summary.name)
      .filter((o) => o.obj.kind === 'ServiceAccount' && o.obj.apiVersion === 'v1')
      .map((object): ServiceAccountInfo => {
        const namespace = String(at(object.obj, 'metadata', 'namespace') ?? 'default');
        const name = String(at(object.obj, 'metadata', 'name'));
        const clientId = at(object.obj, 'metadata', 'annotations', ANNOTATION_CLIENT_ID);
        return {
          namespace,
          name,
          subject: serviceAccountSubject(namespace, name),
          object,
          ...(typeof clientId === 'string' ? { clientId, identityKey: this.identityOfClientId(clientId) } : {}),
        };
      });
    const external = (summary.externalServiceAccounts ?? []).map((e) => ({ namespace: e.namespace, name: e.name, subject: serviceAccountSubject(e.namespace, e.name), external: e }));
    return [...inYaml, ...external];
  }

  private identityOfParent(parentId: unknown, stack: TerraformStack): string | undefined {
    if (parseReference(parentId)) return this.identityOfReference(parentId, 'id', stack);
    const m = typeof parentId === 'string' ? IDENTITY_ARM_ID.exec(parentId) : null;
    if (!m) return undefined;
    const key = identityKey(m[1], m[2]);
    if (!this.identities.has(key)) this.identities.set(key, { key, name: m[2], resourceGroup: m[1] });
    return key;
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

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

