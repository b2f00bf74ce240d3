/** The shape of a fleet file, as schemas/fleet.schema.json allows it. */
import { AzureCloud } from './constants';
import { TerraformSettings } from './fleet';
import type { Tags } from './tags';
import type { Distribution, IssuerHosting } from './self-managed-cluster';

export interface FleetDocument {
  readonly name?: string;
  readonly azure: { tenantId: string; subscriptionId: string; location: string; cloud?: AzureCloud };
  readonly terraform?: TerraformSettings;
  readonly tags?: Tags;
  readonly resourceGroups?: ReadonlyArray<{ name: string; location?: string; existing?: boolean }>;
  readonly identities?: readonly IdentityDocument[];
  readonly keyVaults?: readonly KeyVaultDocument[];
  readonly clusters: readonly ClusterDocument[];
}

/** An ARM scope, or a declared key vault or resource group. */
export type RoleScopeDocument = string | { keyVault?: string; resourceGroup?: string };

export interface IdentityDocument {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location?: string;
  readonly existing?: { clientId: string };
  readonly roles?: ReadonlyArray<{ role: string; scope: RoleScopeDocument }>;
}

export interface KeyVaultDocument {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location?: string;
  readonly existing?: boolean;
  readonly sku?: 'standard' | 'premium';
  readonly softDeleteRetentionDays?: number;
  readonly deployerIsSecretsOfficer?: boolean;
  readonly readers?: readonly string[];
}

export interface WorkloadDocument {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly identity: string;
  readonly createNamespace?: boolean;
  readonly tokenExpirationSeconds?: number;
  readonly verify?: { keyVault: string; secretName: string; image?: string };
}

export interface AksDocument {
  /** Known by its issuer URL, or by group (and name): then Terraform reads the issuer from the cluster. */
  readonly existing?: { issuerUrl?: string; resourceGroup?: string; name?: string };
  readonly resourceGroup?: string;
  readonly location?: string;
  readonly dnsPrefix?: string;
  readonly kubernetesVersion?: string;
  readonly nodePool?: { vmSize?: string; nodeCount?: number };
}

export interface SelfManagedDocument {
  readonly distribution: Distribution;
  readonly webhook?: boolean;
  readonly issuer: { hosting: IssuerHosting; storageAccount: string; resourceGroup: string; location?: string; container?: string };
  readonly serviceAccountKeys: { publicKeyFiles: string[]; privateKeyFile?: string };
  readonly previousIssuers?: string[];
}

export interface CapzMachineDocument {
  readonly vmSize?: string;
  readonly osDiskSizeGB?: number;
}

export interface CapzDocument {
  readonly identity: string;
  readonly namespace?: string;
  readonly managerServiceAccount?: string;
  readonly serviceOperatorServiceAccount?: string;
  readonly role?: string;
  readonly scopes?: readonly RoleScopeDocument[];
  readonly clusterIdentity?: { name?: string; namespace?: string; allowedNamespaces?: 'all' | string[] };
  readonly workloadClusters?: ReadonlyArray<{
    name: string;
    namespace?: string;
    location?: string;
    resourceGroup?: string;
    nodeIdentity: string;
    nodeIdentityRole?: string;
    nodeIdentityScopes?: readonly RoleScopeDocument[];
    controlPlane?: CapzMachineDocument & { etcdDiskSizeGB?: number };
    workers?: CapzMachineDocument;
  }>;
}

/** The install-config's `networking`, as the installer writes it. */
export interface OpenShiftNetworkingDocument {
  readonly machineNetwork?: ReadonlyArray<{ readonly cidr: string }>;
  readonly clusterNetwork?: ReadonlyArray<{ readonly cidr: string; readonly hostPrefix: number }>;
  readonly serviceNetwork?: readonly string[];
  readonly networkType?: string;
}

export interface OpenShiftHiveDocument {
  readonly namespace?: string;
  readonly baseDomain: string;
  readonly region?: string;
  readonly baseDomainResourceGroup: string;
  readonly networkResourceGroup?: string;
  readonly virtualNetwork?: string;
  readonly controlPlaneSubnet?: string;
  readonly computeSubnet?: string;
  readonly oidcResourceGroup?: string;
  readonly installationResourceGroup?: string;
  readonly storageAccount?: string;
  readonly credentialsRequests: string;
  readonly techPreview?: boolean;
  readonly releaseImage: string;
  readonly publicKeyFile: string;
  readonly sshKey?: string;
  readonly networking?: OpenShiftNetworkingDocument;
  readonly publish?: 'External' | 'Internal';
  readonly controlPlane?: { vmSize?: string; replicas?: number; osDiskSizeGB?: number };
  readonly compute?: { vmSize?: string; replicas?: number; osDiskSizeGB?: number };
  readonly secrets:
    | {
        readonly mode: 'externalSecrets';
        readonly keyVault: string;
        readonly identity: string;
        readonly hub: string;
        readonly serviceAccount?: string;
        readonly remoteKeys?: { signingKey?: string; pullSecret?: string; installerCredentials?: string };
      }
    | { readonly mode: 'files'; readonly signingKeyFile: string; readonly pullSecretFile: string; readonly installerCredentialsFile: string };
}

export type ClusterDocument = {
  readonly name: string;
  readonly tags?: Tags;
  readonly workloads?: readonly WorkloadDocument[];
} & (
  | { readonly platform: 'aks'; readonly aks: AksDocument }
  | { readonly platform: 'self-managed'; readonly selfManaged: SelfManagedDocument }
  | { readonly platform: 'capz'; readonly selfManaged: SelfManagedDocument; readonly capz: CapzDocument }
  | { readonly platform: 'openshift-hive'; readonly openshiftHive: OpenShiftHiveDocument }
  | { readonly platform: 'external-issuer'; readonly externalIssuer: { readonly issuerUrl: string } }
);
