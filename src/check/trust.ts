/** The trust model: which issuer each cluster advertises, which FICs exist on which identity, which service accounts each cluster has. */
import { firstBy } from '../core/group';
import { serviceAccountSubject } from '../core/names';
import { ANNOTATION_CLIENT_ID } from '../model/constants';
import type { ClusterSummary, ExternalServiceAccount } from '../core/summary';
import { Artifacts, at, objectsAppliedTo, KubeObject, TerraformStack } from './artifacts';
import { IssuerSource, ValueAttribution } from './trust-attribution';
import { looseForm, stringOf } from './trust-values';

export interface ClusterTrust {
  readonly summary: ClusterSummary;
  readonly sources: readonly IssuerSource[];
  /** The issuer most sources agree on (summary.json breaks a tie). */
  readonly issuer: string;
  readonly serviceAccounts: readonly ServiceAccountInfo[];
}

/** The cluster a FIC is for, and how its issuer matched: exactly, as one of its previous issuers, or nearly. */
export interface FicAttribution {
  readonly cluster: ClusterTrust;
  /** Its issuer is the cluster's, or one the cluster lists as previous (`previous`). */
  readonly exact: boolean;
  readonly previous?: true;
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

/** The FICs of either kind of identity, and the attributes that hold their name, parent and audiences. */
const FIC_TYPES = [
  { type: 'azurerm_federated_identity_credential', name: 'name', parent: 'parent_id', audiences: 'audience' },
  // hashicorp/terraform-provider-azuread internal/services/applications/application_federated_identity_credential_resource.go
  { type: 'azuread_application_federated_identity_credential', name: 'display_name', parent: 'application_id', audiences: 'audiences' },
] as const;

/** The trust chains as the files on disk state them, their values in canonical form. */
export class TrustModel extends ValueAttribution {
  readonly federatedCredentials: FederatedCredentialInfo[];
  readonly clusters: ClusterTrust[];

  constructor(artifacts: Artifacts) {
    super(artifacts);
    this.federatedCredentials = artifacts.stacks.flatMap((stack) =>
      FIC_TYPES.flatMap(({ type, name, parent, audiences }) =>
        [...(stack.resources.get(type) ?? [])].map(([id, block]) => {
          const identityKey = this.identityOfParent(block[parent], stack);
          const issuerRaw = stringOf(block.issuer) ?? '';
          return {
            stack,
            file: stack.file,
            address: `${type}.${id}`,
            name: stringOf(block[name]) ?? id,
            issuerRaw,
            issuer: this.canonical(issuerRaw, stack),
            subject: stringOf(block.subject) ?? '',
            audiences: Array.isArray(block[audiences]) ? (block[audiences] as unknown[]).map(String) : [],
            identityKey,
            identityName: (identityKey && this.identities.get(identityKey)?.name) ?? String(block[parent]),
          };
        }),
      ),
    );
    this.clusters = artifacts.summary.clusters.map((summary) => this.clusterTrust(summary));
  }

  /**
   * The cluster a FIC is for: the one whose issuer it carries exactly, else the one it nearly carries
   * (case or trailing slash apart), so one typo is reported once and not again as a missing FIC.
   */
  clusterOf(fic: FederatedCredentialInfo): FicAttribution | undefined {
    return this.attribution().get(fic);
  }

  /** The FICs `clusterOf` gives to a cluster. */
  federatedCredentialsOf(cluster: ClusterTrust): readonly FederatedCredentialInfo[] {
    this.attribution();
    return this.ficsByCluster.get(cluster) ?? [];
  }

  private attributed?: Map<FederatedCredentialInfo, FicAttribution>;
  private readonly ficsByCluster = new Map<ClusterTrust, FederatedCredentialInfo[]>();

  /** Computed once: by exact issuer through a map, by a near miss only for the FICs left. */
  private attribution(): Map<FederatedCredentialInfo, FicAttribution> {
    if (this.attributed) return this.attributed;
    this.attributed = new Map();
    const byIssuer = firstBy(this.clusters, (c) => c.issuer);
    // an issuer a cluster is moving away from is its own, after the current issuers of all
    const byPrevious = new Map<string, ClusterTrust>();
    for (const c of this.clusters) for (const p of c.summary.previousIssuers ?? []) if (!byIssuer.has(p.issuer) && !byPrevious.has(p.issuer)) byPrevious.set(p.issuer, c);
    // and a near miss, found for every FIC of a mistyped issuer: the first cluster of that loose form
    const byLooseForm = firstBy(this.clusters, (c) => looseForm(c.issuer));
    for (const fic of this.federatedCredentials) {
      const exact = byIssuer.get(fic.issuer);
      const previous = exact ? undefined : byPrevious.get(fic.issuer);
      const near = exact || previous ? undefined : byLooseForm.get(looseForm(fic.issuer));
      const cluster = exact ?? previous ?? near;
      if (!cluster) continue;
      this.attributed.set(fic, { cluster, exact: !!(exact ?? previous), ...(previous && { previous: true }) });
      const list = this.ficsByCluster.get(cluster);
      if (list) list.push(fic);
      else this.ficsByCluster.set(cluster, [fic]);
    }
    return this.attributed;
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
}
