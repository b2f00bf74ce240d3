import type { Cluster } from './cluster';
import type { Fleet } from './fleet';
import type { ClusterDocument, RoleScopeDocument } from './fleet-document';
import type { ClusterPlan, FederatedCredentialPlan, IdentityPlan, KeyVaultPlan, PlannedValue, PlatformName, PlatformPlanPart, PreviousIssuer } from './fleet-plan';
import type { SourcePath } from './issues';
import type { IKeyVault } from './key-vault';
import type { IWorkloadIdentity, RoleScope } from './managed-identity';
import type { PlanContext } from './plan-context';
import type { IResourceGroup, ResourceGroup } from './resource-group';
import type { Tags } from './tags';

/**
 * What the fleet's loader and planner ask of a platform. Each platform (src/platforms/<name>) provides
 * one, and a registry lists them; the loader and the planner know no platform by name.
 */
export interface PlatformModel<K extends Cluster = Cluster, D extends ClusterDocument = ClusterDocument> {
  readonly name: PlatformName;
  /** Its clusters are loaded after the others, which they may name (a Hive cluster's hub). @default false */
  readonly namesOtherClusters?: boolean;
  /** The cluster of one entry of `clusters`; undefined when a name in it is not declared (reported through `ctx`). */
  load(d: D, ctx: LoadContext): K | undefined;
  /** The platform's part of one cluster's plan, planned before the cluster's workloads. */
  plan(cluster: K, ctx: PlanContext): PlatformPlan;
  /** Names that must be unique across the fleet besides the cluster's own (an issuer's storage account). @default none */
  uniqueNames?(cluster: K): readonly UniqueName[];
  /** Resource groups made for this cluster alone, which carry its tags. @default none */
  ownResourceGroups?(cluster: K): readonly ResourceGroup[];
  /** Tags the platform's tooling puts on the cluster's own resources, over the user's (ccoctl's). @default none */
  ownTags?(cluster: K): Tags | undefined;
  /** After every cluster is planned: the rules that span clusters, and the FICs that do. */
  planAcross?(clusters: ReadonlyArray<{ readonly cluster: K; readonly plan: ClusterPlan }>, fleet: PlannedFleet, ctx: PlanContext): readonly FederatedCredentialPlan[];
}

/** The platform's part of a cluster's plan. */
export interface PlatformPlan {
  /** The issuer every FIC of the cluster carries. */
  readonly issuer: PlannedValue;
  readonly part: PlatformPlanPart;
  /** Service accounts of the platform's own software that federate into an identity of the fleet (CAPZ's controllers). */
  readonly serviceAccounts?: ReadonlyArray<{ readonly identity: IWorkloadIdentity; readonly namespace: string; readonly name: string }>;
  /** Issuers the cluster is moving away from that keep FICs beside the current one's (see `planPreviousIssuers`). */
  readonly previousIssuers?: readonly PreviousIssuer[];
  /** Namespaces written for it besides its workloads'. */
  readonly namespaces?: readonly string[];
  /** Identities it makes on its own (one per OpenShift CredentialsRequest), and their FICs. */
  readonly identities?: readonly IdentityPlan[];
  readonly federatedCredentials?: readonly FederatedCredentialPlan[];
}

/** A name the fleet must not declare twice: what it is, its value, and the field that gives it. */
export interface UniqueName {
  readonly what: string;
  readonly key: string;
  readonly field: Array<string | number>;
}

/** The fleet's plan so far, for rules that span clusters. */
export interface PlannedFleet {
  readonly clusters: readonly Cluster[];
  readonly clusterPlans: readonly ClusterPlan[];
  readonly identityPlans: readonly IdentityPlan[];
  readonly keyVaults: readonly IKeyVault[];
  readonly keyVaultPlans: readonly KeyVaultPlan[];
  /** The plan of a cluster of the fleet; undefined for a construct that is none. */
  planOf(cluster: Cluster): ClusterPlan | undefined;
}

/** What the loader lends a platform's loader: the fleet, where the entry stands, and the names declared so far. */
export interface LoadContext {
  readonly fleet: Fleet;
  /** The construct id of the cluster. */
  readonly id: string;
  /** Where the entry stands in the fleet file. */
  readonly at: SourcePath;
  /** A problem of the entry that the schema cannot state. */
  issue(at: SourcePath, message: string, fix: string): void;
  group(name: string, at: SourcePath): IResourceGroup | undefined;
  identity(name: string, at: SourcePath): IWorkloadIdentity | undefined;
  keyVault(name: string, at: SourcePath): IKeyVault | undefined;
  cluster(name: string, at: SourcePath): Cluster | undefined;
  scope(d: RoleScopeDocument, at: SourcePath): RoleScope | undefined;
}

/** An entry of `clusters` of one platform. */
export type ClusterDocumentOf<P extends PlatformName> = Extract<ClusterDocument, { readonly platform: P }>;

/** The platforms a loader or planner knows, by name. */
export type PlatformModels = ReadonlyMap<string, PlatformModel>;

/** The model of a cluster's platform; a cluster of a platform not listed is a programming error. */
export function platformModelOf(platforms: PlatformModels, cluster: { readonly platform: string; readonly node: { readonly path: string } }): PlatformModel {
  const model = platforms.get(cluster.platform);
  if (!model) throw new Error(`cluster ${cluster.node.path} is of platform "${cluster.platform}", which is not registered`);
  return model;
}
