/**
 * The resolved fleet: every name, ARM ID, issuer, subject and Terraform output computed once.
 * Renderers read it and never derive a shared value themselves.
 */
import type { Jwks } from '../oidc/jwks';
import { AzureCloud, CloudEndpoints } from './constants';
import type { StackLayout } from './fleet';
import type { Tags } from './tags';
import type { CredentialsRequestPlan, SkippedCredentialsRequest } from '../openshift/credentials-requests';

export type { CredentialsRequestPlan, SkippedCredentialsRequest };

/** The CredentialsRequests read for one cluster (see `loadCredentialsRequests`). */
export interface CredentialsRequestSet {
  readonly requests: readonly CredentialsRequestPlan[];
  readonly skipped: readonly SkippedCredentialsRequest[];
}

/**
 * A value both sides need, as planned: known at synth (given in the fleet, or read from an outputs file),
 * or pending: a placeholder `WISYNTH_PENDING:<output>` until the Terraform output that carries it exists.
 */
export type PlannedValue =
  | {
      readonly value: string;
      readonly pending: false;
      /** The Terraform output it was read from (unset for values given in the fleet). */
      readonly output?: string;
    }
  | { readonly value: string; readonly pending: true; readonly output: string };

export type BackendPlan =
  | { readonly type: 'local'; /** absolute folder of the state files */ readonly stateDir: string }
  | {
      readonly type: 'azurerm';
      readonly resourceGroupName: string;
      readonly storageAccountName: string;
      readonly containerName: string;
      readonly keyPrefix: string;
    };

export interface ResourceGroupPlan {
  readonly name: string;
  readonly location: string;
  readonly existing: boolean;
  readonly armId: string;
  readonly logicalId: string;
  /** Put on the group when the fleet creates it. */
  readonly tags: Tags;
  /** The ARM id Terraform imports it from: it exists, and the fleet takes it over. */
  readonly importId?: string;
}

/** What every planned identity has, whatever its kind. */
interface IdentityPlanBase {
  readonly name: string;
  readonly existing: boolean;
  readonly logicalId: string;
  readonly clientId: PlannedValue;
  /** Terraform outputs declared for it (new identities; principal id also for existing ones with roles). */
  readonly clientIdOutput: string;
  readonly principalIdOutput: string;
  /** The cluster whose platform made it (OpenShift's identity per CredentialsRequest); unset when declared in the fleet. */
  readonly owner?: string;
  /** Put on the identity when the fleet creates it. */
  readonly tags: Tags;
}

/** A user-assigned managed identity. */
export interface ManagedIdentityPlan extends IdentityPlanBase {
  readonly kind: 'managedIdentity';
  readonly resourceGroup: string;
  readonly location: string;
  readonly armId: string;
  /** It exists: Terraform imports it from this id on the first apply (its ARM id). */
  readonly importId?: string;
}

/** An Entra application with its service principal: in the tenant, in no resource group, with no tags. */
export interface ApplicationPlan extends IdentityPlanBase {
  readonly kind: 'application';
  /** The object id of an existing application (its FICs are added to `/applications/<object id>`). */
  readonly objectId?: string;
}

export type IdentityPlan = ManagedIdentityPlan | ApplicationPlan;

export interface KeyVaultPlan {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly existing: boolean;
  readonly armId: string;
  readonly logicalId: string;
  /** https://<name>.vault.azure.net/ (per cloud) */
  readonly uri: string;
  readonly sku: 'standard' | 'premium';
  readonly softDeleteRetentionDays: number;
  readonly deployerIsSecretsOfficer: boolean;
  /** Put on the vault when the fleet creates it. */
  readonly tags: Tags;
}

/** Where a FIC's issuer comes from on the Azure side. */
export type IssuerRef =
  | { readonly kind: 'literal'; readonly value: string }
  /** known only after apply: the issuer the cluster's platform registers with the stack (a new AKS cluster's `oidc_issuer_url`) */
  | { readonly kind: 'cluster'; readonly cluster: string };

export interface FederatedCredentialPlan {
  /** Entra name: `<cluster>_<namespace>_<serviceAccount>`, made safe and unique. */
  readonly name: string;
  readonly identity: string;
  readonly cluster: string;
  readonly issuer: IssuerRef;
  readonly subject: string;
  readonly audience: string;
  readonly logicalId: string;
  /** On an issuer the cluster is moving away from (`previousIssuers`), beside the current issuer's FIC. */
  readonly previousIssuer?: true;
  /** It exists on its adopted identity (under `name`): Terraform imports it from this id. */
  readonly importId?: string;
}

export type RoleScopeRef =
  | { readonly kind: 'arm'; readonly id: string }
  | { readonly kind: 'resourceGroup'; readonly name: string; readonly armId: string }
  | { readonly kind: 'keyVault'; readonly name: string; readonly armId: string };

export interface RoleAssignmentPlan {
  readonly logicalId: string;
  /** The identity that receives the role, or 'deployer' for whoever runs Terraform. */
  readonly principal: { readonly kind: 'identity'; readonly name: string } | { readonly kind: 'deployer' };
  readonly role: string;
  readonly scope: RoleScopeRef;
  /** The assignment exists: Terraform imports it from this id (its ARM id). */
  readonly importId?: string;
}

export interface ServiceAccountPlan {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly clientId: PlannedValue;
  readonly tenantId: string;
  /** Set only when not the webhook's default. */
  readonly tokenExpirationSeconds?: number;
}

export interface VerificationPlan {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Name of the Deployment. */
  readonly name: string;
  readonly image: string;
  readonly keyVaultUrl: string;
  readonly secretName: string;
}

export interface NewAksPlan {
  readonly kind: 'new';
  readonly resourceGroup: string;
  readonly location: string;
  readonly dnsPrefix: string;
  readonly kubernetesVersion?: string;
  readonly vmSize: string;
  readonly nodeCount: number;
  readonly tags: Tags;
  readonly logicalId: string;
  readonly armId: string;
}

/**
 * An AKS cluster that exists, known by group and name: Terraform reads it (a data source) for its issuer,
 * and `enable-workload-identity.sh` in OUT/clusters/<cluster>/ turns the two features on.
 */
export interface ExistingAksPlan {
  readonly kind: 'existing';
  readonly resourceGroup: string;
  /** Its name in Azure. */
  readonly azureName: string;
  readonly subscriptionId: string;
  readonly logicalId: string;
  readonly armId: string;
}

/** A self-managed cluster's issuer, hosted on Azure Storage, and the keys it publishes. */
export interface SelfManagedPlan {
  readonly distribution: Distribution;
  readonly webhook: boolean;
  readonly hosting: IssuerHosting;
  readonly storageAccount: string;
  readonly resourceGroup: string;
  readonly location: string;
  /** `$web` for static-website hosting. */
  readonly container: string;
  readonly storageLogicalId: string;
  /** Tags of the storage account. */
  readonly storageTags: Tags;
  /** The published keys' files as written in the fleet, in JWKS order; the first signs. */
  readonly publicKeyFiles: readonly string[];
  /** Path of the private signing key on the machine that creates the cluster, as written in the fleet. */
  readonly privateKeyFile?: string;
  readonly jwks: Jwks;
  /** The published public keys as PEM SPKI, in JWKS order: the API server verifies with every one. */
  readonly publicKeysPem: readonly string[];
  /** Issuers the API server keeps accepting after the hosted one (which signs), in order. */
  readonly previousIssuers: readonly string[];
  /** Algorithms of the published keys, for the discovery document. */
  readonly signingAlgorithms: readonly string[];
  /** What Terraform imports the issuer's storage from, when it exists (blob-container hosting). */
  readonly importIds?: IssuerStorageImports;
}

/** Import ids of an issuer's storage: the account and container by ARM id, each document by its blob URL. */
export interface IssuerStorageImports {
  readonly account: string;
  readonly container: string;
  readonly discovery: string;
  readonly jwks: string;
}

/** One kind of machine of a CAPZ workload cluster: an AzureMachineTemplate. */
export interface CapzMachinePlan {
  /** Name of the AzureMachineTemplate, as clusterctl's default flavor names it. */
  readonly name: string;
  readonly vmSize: string;
  readonly osDiskSizeGB: number;
  /** The etcd data disk (control plane only). */
  readonly etcdDiskSizeGB?: number;
}

/** A workload cluster that CAPZ creates from the management cluster. */
export interface CapzWorkloadClusterPlan {
  readonly name: string;
  /** Namespace of its Cluster API objects on the management cluster. */
  readonly namespace: string;
  readonly location: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  /** The cloud's go-autorest name (`AzurePublicCloud`, ...). */
  readonly azureEnvironment: string;
  readonly nodeIdentity: string;
  /** `azure:///subscriptions/.../userAssignedIdentities/<name>` */
  readonly nodeIdentityProviderId: string;
  readonly controlPlane: CapzMachinePlan;
  readonly workers: CapzMachinePlan;
}

/** A CAPZ management cluster: the identity CAPZ and ASO act as, and the clusters they create. */
export interface CapzPlan {
  readonly identity: string;
  readonly clientId: PlannedValue;
  readonly tenantId: string;
  /** Where CAPZ and ASO run, and their service accounts (each has a FIC). */
  readonly namespace: string;
  readonly serviceAccounts: readonly string[];
  readonly clusterIdentity: {
    readonly name: string;
    readonly namespace: string;
    /** `'all'` is `{}`; a list may be empty (no namespace allowed). */
    readonly allowedNamespaces: 'all' | readonly string[];
  };
  readonly workloadClusters: readonly CapzWorkloadClusterPlan[];
}

/** The identity ccoctl makes for one CredentialsRequest, with its custom role and role scopes. */
export interface OpenShiftIdentityPlan {
  readonly request: CredentialsRequestPlan;
  /** `<name>-<secretNamespace>-<secretName>`, cut to 128: also the custom role's name. */
  readonly identityName: string;
  readonly clientId: PlannedValue;
  /** Set when the request has permissions or dataPermissions; `importId` when it exists (`<role definition id>|<scope>`). */
  readonly customRole?: { readonly name: string; readonly actions: readonly string[]; readonly dataActions: readonly string[]; readonly logicalId: string; readonly importId?: string };
  /** Resource groups (ARM ids) every role of the identity is assigned at. */
  readonly scopes: readonly string[];
  /** Ids of the role assignments that exist, by `roleAssignmentKey(role, scope)`. */
  readonly roleAssignmentImports?: Readonly<Record<string, string>>;
}

/** How an OpenShift identity's role assignment is looked up among the adopted ones: role name and scope, case aside. */
export function roleAssignmentKey(role: string, scope: string): string {
  return `${role}|${scope}`.toLowerCase();
}

/** Where a Hive cluster's three secrets come from. */
export type HiveSecretsPlan =
  | {
      readonly mode: 'externalSecrets';
      /** https://<vault>.vault.azure.net/ */
      readonly keyVaultUrl: string;
      readonly keyVault: string;
      /** SecretStore name, and the hub service account it authenticates as. */
      readonly storeName: string;
      /** The fleet cluster that runs Hive and External Secrets Operator: the Hive objects are applied there. */
      readonly hub: string;
      readonly serviceAccount: { readonly name: string; readonly clientId: PlannedValue; readonly tenantId: string };
      /** Key Vault secret names. */
      readonly remoteKeys: { readonly signingKey: string; readonly pullSecret: string; readonly installerCredentials: string };
    }
  | {
      readonly mode: 'files';
      /** Files read at synth (relative to the fleet file), written as Secrets under OUT/secrets/<cluster>/ (mode 0600). */
      readonly signingKeyFile: string;
      readonly pullSecretFile: string;
      readonly installerCredentialsFile: string;
    };

/** An OpenShift cluster provisioned by Hive, with ccoctl's Azure resources declared in Terraform. */
export interface OpenShiftHivePlan {
  /** ccoctl's `--name`: prefixes identities and roles; the installation resource group by default. */
  readonly name: string;
  /** Hub namespace of the Hive objects. */
  readonly namespace: string;
  readonly baseDomain: string;
  readonly region: string;
  readonly subscriptionId: string;
  /** `AzurePublicCloud`, ... */
  readonly cloudName: string;
  readonly oidcResourceGroup: string;
  /** Created empty; the installer puts the cluster in it. */
  readonly installationResourceGroup: string;
  readonly baseDomainResourceGroup: string;
  readonly networkResourceGroup?: string;
  /** The cluster's own network in networkResourceGroup: all three with it, or none. */
  readonly virtualNetwork?: string;
  readonly controlPlaneSubnet?: string;
  readonly computeSubnet?: string;
  /** The install-config's sshKey: the public key line read from openshiftHive.sshKey. */
  readonly sshKey?: string;
  /** `TechPreviewNoUpgrade` with techPreview: true. */
  readonly featureSet?: 'TechPreviewNoUpgrade';
  /** The install-config's networking. @default OPENSHIFT_NETWORKING_DEFAULT, the installer's defaults */
  readonly networking?: {
    readonly machineNetwork: ReadonlyArray<{ readonly cidr: string }>;
    readonly clusterNetwork: ReadonlyArray<{ readonly cidr: string; readonly hostPrefix: number }>;
    readonly serviceNetwork: readonly string[];
    readonly networkType: string;
  };
  /** @default 'External' */
  readonly publish?: 'External' | 'Internal';
  readonly releaseImage: string;
  readonly imageSetName: string;
  readonly controlPlane: { readonly vmSize: string; readonly replicas: number; readonly osDiskSizeGB: number };
  readonly compute: { readonly vmSize: string; readonly replicas: number; readonly osDiskSizeGB: number };
  /** Names of the hub Secrets the ClusterDeployment refers to. */
  readonly secretNames: {
    readonly installConfig: string;
    readonly manifests: string;
    readonly pullSecret: string;
    readonly installerCredentials: string;
    readonly signingKey: string;
  };
  readonly secrets: HiveSecretsPlan;
  readonly identities: readonly OpenShiftIdentityPlan[];
  readonly skipped: readonly SkippedCredentialsRequest[];
}

/** An issuer a cluster is moving away from: it keeps FICs beside the current issuer's until it is removed. */
export interface PreviousIssuer {
  /** The previous issuer, byte for byte. */
  readonly issuer: string;
  /** YYYY-MM-DD: after this day `wisynth check` warns that it is still listed. @default - none */
  readonly retireAfter?: string;
}

/** What every planned cluster has, whatever its platform. */
export interface ClusterPlanBase {
  readonly name: string;
  /** Tenant of the identities its workloads use (the webhook's default). */
  readonly tenantId: string;
  /** Entra authority of the fleet's cloud, which the webhook injects. */
  readonly authorityHost: string;
  /** The issuer string every FIC of this cluster carries. */
  readonly issuer: PlannedValue;
  /** Issuers it is moving away from, each with a FIC for every federated service account beside the current one. */
  readonly previousIssuers: readonly PreviousIssuer[];
  /** Namespaces to emit, sorted. */
  readonly namespaces: readonly string[];
  readonly serviceAccounts: readonly ServiceAccountPlan[];
  readonly verifications: readonly VerificationPlan[];
}

/** The parts of other platforms a cluster plan does not have (so that reading one is `undefined`, not an error). */
type Without<K extends 'aks' | 'selfManaged' | 'capz' | 'openshift'> = { readonly [P in K]?: undefined };

/** A planned cluster, by platform: each has exactly the parts its platform plans. */
export type ClusterPlan =
  /** `aks`: a new cluster, or an existing one known by group and name; unset for one known by its issuer URL. */
  | (ClusterPlanBase & { readonly platform: 'aks'; readonly aks?: NewAksPlan | ExistingAksPlan } & Without<'selfManaged' | 'capz' | 'openshift'>)
  | (ClusterPlanBase & { readonly platform: 'self-managed'; readonly selfManaged: SelfManagedPlan } & Without<'aks' | 'capz' | 'openshift'>)
  /** A CAPZ management cluster is self-managed as well. */
  | (ClusterPlanBase & { readonly platform: 'capz'; readonly selfManaged: SelfManagedPlan; readonly capz: CapzPlan } & Without<'aks' | 'openshift'>)
  /** An OpenShift cluster's issuer is self-hosted as well. */
  | (ClusterPlanBase & { readonly platform: 'openshift-hive'; readonly selfManaged: SelfManagedPlan; readonly openshift: OpenShiftHivePlan } & Without<'aks' | 'capz'>)
  | (ClusterPlanBase & { readonly platform: 'external-issuer' } & Without<'aks' | 'selfManaged' | 'capz' | 'openshift'>);

/** Platforms wisynth knows; each is one folder under src/platforms. */
export type PlatformName = ClusterPlan['platform'];

/** The plan of a cluster of one platform. */
export type ClusterPlanOf<P extends PlatformName> = Extract<ClusterPlan, { readonly platform: P }>;

/** What a platform plans of a cluster besides the base: its name and its own parts. */
export type PlatformPlanPart<P extends PlatformName = PlatformName> = P extends unknown ? Omit<ClusterPlanOf<P>, keyof ClusterPlanBase> : never;

/** Where a self-managed cluster's API server runs: picks the configuration files written for it. */
export type Distribution = 'kind' | 'kubeadm' | 'giantswarm' | 'openshift';

/**
 * How the issuer's two documents are served from Azure Storage.
 * - blobContainer: a public container; issuer `https://<account>.blob.core.windows.net/<container>`, known at synth.
 * - staticWebsite: the account's `$web`; issuer = its web endpoint (ends in `/`), known only after apply.
 *   Works where public blob access is forbidden.
 */
export type IssuerHosting = 'blobContainer' | 'staticWebsite';

export interface OutputPlan {
  readonly name: string;
  readonly description: string;
}

export interface PendingValue {
  /** The Terraform output to feed back with `synth --outputs`. */
  readonly output: string;
  /** Where the placeholder stands, e.g. `kubernetes/aks-prod: orders/orders-api client-id`. */
  readonly usedBy: readonly string[];
}

/** One Terraform stack: what it holds and what must be applied before it. */
export interface StackPlan {
  readonly name: string;
  /** The cluster whose resources it holds; unset for the shared stack (and the single stack). */
  readonly cluster?: string;
  /** Stacks applied before it, sorted: the shared stack, and the previous stack writing FICs on a shared identity. */
  readonly dependsOn: readonly string[];
}

/** Which stack each resource goes to; every cross-stack reference is a literal ARM ID. */
export interface StacksPlan {
  readonly layout: StackLayout;
  /** The shared stack first, then the cluster stacks in fleet order. */
  readonly stacks: readonly StackPlan[];
  /** Resource groups, key vaults, declared identities and their roles, the deployer's roles. */
  readonly shared: string;
  /** Stack by cluster name: its own resources and the FICs on its issuer. */
  readonly ofCluster: Readonly<Record<string, string>>;
  /** Stack by identity name: where the identity, its outputs and its role assignments are. */
  readonly ofIdentity: Readonly<Record<string, string>>;
}

export interface FleetPlan {
  /** Fleet name: the name of the shared (or only) Terraform stack. */
  readonly name: string;
  readonly stacks: StacksPlan;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly location: string;
  readonly cloud: AzureCloud;
  readonly endpoints: CloudEndpoints;
  readonly backend: BackendPlan;
  readonly resourceGroups: readonly ResourceGroupPlan[];
  readonly identities: readonly IdentityPlan[];
  readonly keyVaults: readonly KeyVaultPlan[];
  readonly clusters: readonly ClusterPlan[];
  readonly federatedCredentials: readonly FederatedCredentialPlan[];
  readonly roleAssignments: readonly RoleAssignmentPlan[];
  readonly outputs: readonly OutputPlan[];
  readonly pending: readonly PendingValue[];
  /** Terraform outputs taken from `--outputs` and used, by name, sorted: how `check` ties a value back to its resource. */
  readonly resolvedOutputs: Readonly<Record<string, string>>;
  /** Things that are allowed but probably not meant, e.g. an identity no workload uses. */
  readonly warnings: readonly string[];
}
