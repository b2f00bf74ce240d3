/**
 * GENERATED from schemas/fleet.schema.json by scripts/generate-fleet-types.js: do not edit by hand.
 * Change the schema, then run `npm run generate:types`; test/fleet-document-types.test.ts fails
 * while this file and the schema disagree. The names the code uses are in fleet-document.ts.
 */

/**
 * fleet name: lowercase letters, digits and "-" (it names the Terraform stack); 1-63 characters
 */
export type FleetName = string;
/**
 * the Entra tenant (directory) id, a GUID: az account show --query tenantId
 */
export type TenantId = string;
/**
 * the subscription id, a GUID: az account show --query id
 */
export type SubscriptionId = string;
/**
 * an Azure region name: lowercase letters and digits, no spaces, e.g. westeurope (az account list-locations --query "[].name")
 */
export type Region = string;
/**
 * a file path without control characters or whitespace around it
 */
export type FilePath = string;
/**
 * resource group name: letters, digits, "_", "-", ".", "(", ")", not ending in "."; 1-90 characters
 */
export type ResourceGroupName = string;
/**
 * storage account name: lowercase letters and digits only; 3-24 characters
 */
export type StorageAccountName = string;
/**
 * blob container name: lowercase letters, digits and single hyphens, starting and ending with a letter or digit; 3-63 characters
 */
export type BlobContainerName = string;
/**
 * the state blob prefix: at most 960 characters without control characters
 */
export type BlobNamePrefix = string;
/**
 * user-assigned identity name: letters, digits, "-" and "_", starting with a letter or digit; 3-128 characters
 */
export type IdentityName = string;
/**
 * the identity's client id, a GUID: az identity show -g <group> -n <name> --query clientId
 */
export type ClientId = string;
/**
 * the name of an Azure role, e.g. "Storage Blob Data Reader": 1-512 characters, no control character, no whitespace around it
 */
export type RoleName = string;
/**
 * an ARM id such as /subscriptions/<id>/resourceGroups/<name>, without spaces or empty segments; or {keyVault: <name>} / {resourceGroup: <name>} naming a declared one
 */
export type RoleScope =
  | string
  | {
      keyVault?: string;
      resourceGroup?: string;
    };
/**
 * key vault name: letters, digits and single hyphens, starting with a letter and ending with a letter or digit; 3-24 characters
 */
export type KeyVaultName = string;
export type Cluster = AKSCluster | SelfManagedCluster | CAPZCluster | OpenShiftHiveCluster | ExternalIssuerCluster;
/**
 * cluster name: lowercase letters, digits and "-", starting and ending with a letter or digit (it names a folder and Terraform resources); 1-63 characters
 */
export type ClusterName = string;
/**
 * a Kubernetes namespace, a DNS label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit
 */
export type Namespace = string;
/**
 * a Kubernetes service account name, a DNS subdomain: at most 253 characters of lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit
 */
export type ServiceAccountName = string;
/**
 * Key Vault secret name: letters, digits and hyphens; 1-127 characters
 */
export type KeyVaultSecretName = string;
/**
 * a container image reference: [registry[:port]/]repository[:tag][@sha256:<digest>], the repository in lowercase, e.g. ghcr.io/org/app:1.2.3
 */
export type ImageReference = string;
export type Workloads = Workload[];
/**
 * AKS DNS prefix: letters, digits and "-", starting and ending with a letter or digit; 1-54 characters
 */
export type DnsPrefix = string;
/**
 * a Kubernetes version <major>.<minor> or <major>.<minor>.<patch>, e.g. 1.29 or 1.29.4 (az aks get-versions)
 */
export type KubernetesVersion = string;
/**
 * an Azure VM size name, e.g. Standard_D4s_v5 (az vm list-sizes)
 */
export type VmSize = string;
/**
 * Issuers the cluster is moving away from (a recreated or replaced cluster, a new issuer URL): each keeps a FIC beside the current one for every federated service account until it is removed from the list. An entry is the issuer, or {issuer, retireAfter}: the day after which `wisynth check` warns that it is still listed.
 */
export type PreviousIssuers = (string | PreviousIssuer)[];
/**
 * a Kubernetes object name, a DNS subdomain: at most 253 characters of lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit
 */
export type ObjectName = string;
/**
 * a DNS domain such as ocp.contoso.com: a DNS subdomain: at most 253 characters of lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit
 */
export type BaseDomain = string;

/**
 * One description of an Azure Workload Identity setup: Azure identities and the clusters whose service accounts federate into them.
 */
export interface WisynthFleet {
  /**
   * Names the Terraform stack. Default: fleet.
   */
  name?: FleetName;
  azure: {
    /**
     * Entra tenant (directory) id.
     */
    tenantId: TenantId;
    /**
     * Subscription of every new resource.
     */
    subscriptionId: SubscriptionId;
    /**
     * Default Azure region.
     */
    location: Region;
    /**
     * Azure cloud. Default: public.
     */
    cloud?: 'public' | 'usgovernment' | 'china';
  };
  /**
   * Tags of every taggable resource the fleet creates; a cluster's own tags add to them.
   */
  tags?: Tags;
  terraform?: TerraformSettings;
  resourceGroups?: {
    name: ResourceGroupName;
    /**
     * an Azure region, e.g. westeurope
     */
    location?: Region;
    /**
     * The group exists: place resources in it, do not create it.
     */
    existing?: boolean;
  }[];
  identities?: Identity[];
  keyVaults?: KeyVault[];
  clusters: Cluster[];
}
/**
 * Azure tags, name to value, put on every taggable resource this applies to (escaped as Terraform literals).
 */
export interface Tags {
  [k: string]: string;
}
export interface TerraformSettings {
  backend?:
    | {
        type: 'local';
        /**
         * State folder, relative to the fleet file. Default: terraform-state.
         */
        path?: FilePath;
      }
    | {
        type: 'azurerm';
        /**
         * the resource group of the state storage account
         */
        resourceGroupName: ResourceGroupName;
        /**
         * 3-24 lowercase letters and digits
         */
        storageAccountName: StorageAccountName;
        /**
         * 3-63 characters
         */
        containerName: BlobContainerName;
        keyPrefix?: BlobNamePrefix;
      };
  /**
   * single: one stack; perCluster: a shared stack plus one per cluster (default above 20 clusters)
   */
  stackLayout?: 'single' | 'perCluster';
}
export interface Identity {
  name: IdentityName;
  /**
   * managedIdentity (default): a user-assigned managed identity in resourceGroup. application: an Entra application with its service principal, in the tenant (no resourceGroup, no location).
   */
  kind?: 'managedIdentity' | 'application';
  resourceGroup?: string;
  /**
   * an Azure region, e.g. westeurope
   */
  location?: Region;
  /**
   * The identity exists: add FICs and roles to it, do not create it.
   */
  existing?: {
    clientId: ClientId;
    /**
     * An existing application's object id (az ad app show --id <client id> --query id), which its FICs are added to.
     */
    objectId?: ClientId;
  };
  /**
   * The managed identity exists (made by hand, azwi or ccoctl): Terraform imports it on the first apply and manages it from then on. `wisynth adopt` writes it with its client id.
   */
  adopt?:
    | boolean
    | {
        /**
         * Its client id (`az identity show -g <group> -n <name> --query clientId`): annotated at once, as an existing identity's is.
         */
        clientId: string;
      };
  roles?: {
    /**
     * Built-in role name.
     */
    role: RoleName;
    scope: RoleScope;
    /**
     * The ARM id of the role assignment that exists: Terraform imports it instead of assigning the role again.
     */
    adopt?: string;
  }[];
}
export interface KeyVault {
  name: KeyVaultName;
  resourceGroup: string;
  /**
   * an Azure region, e.g. westeurope
   */
  location?: Region;
  existing?: boolean;
  sku?: 'standard' | 'premium';
  softDeleteRetentionDays?: number;
  deployerIsSecretsOfficer?: boolean;
  /**
   * Identities granted Key Vault Secrets User.
   */
  readers?: string[];
}
export interface AKSCluster {
  name: ClusterName;
  platform: 'aks';
  tags?: Tags;
  workloads?: Workloads;
  aks: AKS;
  previousIssuers?: PreviousIssuers;
}
export interface Workload {
  namespace: Namespace;
  serviceAccount: ServiceAccountName;
  /**
   * Name of a declared identity.
   */
  identity: string;
  createNamespace?: boolean;
  tokenExpirationSeconds?: number;
  verify?: {
    keyVault: string;
    /**
     * 1-127 letters, digits and hyphens (a Key Vault secret name)
     */
    secretName: KeyVaultSecretName;
    image?: ImageReference;
  };
  /**
   * The FIC of this service account exists already on its adopted identity.
   */
  adopt?: {
    /**
     * The name of the FIC that exists on the identity for this service account: Terraform imports it under that name.
     */
    federatedCredential: string;
  };
}
/**
 * A new AKS cluster (resourceGroup and the rest), or an existing one: existing.resourceGroup (and name) to read its issuer from the cluster, or existing.issuerUrl.
 */
export interface AKS {
  existing?: {
    resourceGroup?: string;
    name?: string;
    issuerUrl?: string;
  };
  resourceGroup?: string;
  location?: Region;
  dnsPrefix?: DnsPrefix;
  kubernetesVersion?: KubernetesVersion;
  nodePool?: {
    vmSize?: VmSize;
    nodeCount?: number;
  };
}
export interface PreviousIssuer {
  /**
   * The previous issuer, byte for byte.
   */
  issuer: string;
  /**
   * YYYY-MM-DD: after this day `wisynth check` warns that the issuer is still listed.
   */
  retireAfter?: string;
}
export interface SelfManagedCluster {
  name: ClusterName;
  platform: 'self-managed';
  tags?: Tags;
  workloads?: Workloads;
  selfManaged: SelfManaged;
}
export interface SelfManaged {
  /**
   * Where the API server runs: picks the configuration files written for it.
   */
  distribution: 'kind' | 'kubeadm' | 'giantswarm';
  /**
   * Install the azure-workload-identity webhook with Flux. Default: true.
   */
  webhook?: boolean;
  /**
   * Issuers the API server keeps accepting after the hosted one (which alone signs), so tokens issued before the switch stay valid; each declared one keeps its FICs too. Default: kubeadm and giantswarm: https://kubernetes.default.svc.cluster.local (no FICs); kind: none.
   */
  previousIssuers?: PreviousIssuers;
  issuer: {
    hosting: 'blobContainer' | 'staticWebsite';
    /**
     * 3-24 lowercase letters and digits, globally unique
     */
    storageAccount: StorageAccountName;
    resourceGroup: string;
    /**
     * an Azure region, e.g. westeurope
     */
    location?: Region;
    /**
     * blob container of the documents (blobContainer hosting). Default: oidc
     */
    container?: BlobContainerName;
  };
  serviceAccountKeys: {
    /**
     * PEM public keys to publish, relative to the fleet file; the first signs
     *
     * @minItems 1
     */
    publicKeyFiles: FilePath[];
    /**
     * the signing key on the machine that creates the cluster, relative to the fleet file; referenced, never read
     */
    privateKeyFile?: FilePath;
  };
}
export interface CAPZCluster {
  name: ClusterName;
  platform: 'capz';
  tags?: Tags;
  workloads?: Workloads;
  /**
   * The management cluster itself (kind or kubeadm) and its self-hosted issuer.
   */
  selfManaged: SelfManaged;
  capz: CAPZ;
}
/**
 * Cluster API Provider Azure on this management cluster.
 */
export interface CAPZ {
  /**
   * The identity (declared under identities) CAPZ and Azure Service Operator act as.
   */
  identity: string;
  /**
   * Namespace of CAPZ and ASO. Default: capz-system.
   */
  namespace?: Namespace;
  /**
   * Default: capz-manager.
   */
  managerServiceAccount?: ServiceAccountName;
  /**
   * Default: azureserviceoperator-default.
   */
  serviceOperatorServiceAccount?: ServiceAccountName;
  /**
   * Role of the identity. Default: Contributor.
   */
  role?: RoleName;
  /**
   * Where the role applies. Default: the subscription.
   *
   * @minItems 1
   */
  scopes?: RoleScope[];
  clusterIdentity?: {
    /**
     * Default: cluster-identity.
     */
    name?: ObjectName;
    /**
     * Default: default.
     */
    namespace?: Namespace;
    /**
     * "all", or a list of namespaces. Default: the namespaces of the workload clusters.
     */
    allowedNamespaces?: 'all' | Namespace[];
  };
  workloadClusters?: CAPZWorkloadCluster[];
}
export interface CAPZWorkloadCluster {
  name: ClusterName;
  /**
   * Namespace of its Cluster API objects. Default: default.
   */
  namespace?: Namespace;
  /**
   * Default: azure.location.
   */
  location?: Region;
  /**
   * The resource group CAPZ creates for it. Default: its name.
   */
  resourceGroup?: ResourceGroupName;
  /**
   * The identity (declared under identities) of its machines.
   */
  nodeIdentity: string;
  /**
   * Role of the node identity (the cloud provider on its machines acts as it). Default: Contributor.
   */
  nodeIdentityRole?: RoleName;
  /**
   * Where nodeIdentityRole applies. Default: the workload cluster's resource group. An empty list gives no role (warned: the cloud provider then fails).
   */
  nodeIdentityScopes?: RoleScope[];
  controlPlane?: {
    /**
     * Azure VM size. Default: Standard_D2s_v3.
     */
    vmSize?: VmSize;
    /**
     * OS disk size in GB (30-4095). Default: 128.
     */
    osDiskSizeGB?: number;
    /**
     * Default: 256.
     */
    etcdDiskSizeGB?: number;
  };
  workers?: CAPZMachines;
}
export interface CAPZMachines {
  /**
   * Azure VM size. Default: Standard_D2s_v3.
   */
  vmSize?: VmSize;
  /**
   * OS disk size in GB (30-4095). Default: 128.
   */
  osDiskSizeGB?: number;
}
export interface OpenShiftHiveCluster {
  name: ClusterName;
  platform: 'openshift-hive';
  tags?: Tags;
  openshiftHive: OpenShiftHive;
}
/**
 * An OpenShift cluster that Hive installs with Entra Workload ID (ccoctl azure create-all, declared).
 */
export interface OpenShiftHive {
  /**
   * Hub namespace of the Hive objects. Default: the cluster name.
   */
  namespace?: Namespace;
  /**
   * DNS base domain, e.g. ocp.contoso.com.
   */
  baseDomain: BaseDomain;
  /**
   * Default: azure.location.
   */
  region?: Region;
  /**
   * The declared resource group holding the base domain DNS zone.
   */
  baseDomainResourceGroup: string;
  /**
   * A declared resource group holding the cluster network, when it brings its own (with virtualNetwork, controlPlaneSubnet and computeSubnet).
   */
  networkResourceGroup?: string;
  /**
   * The existing virtual network in networkResourceGroup: 1-64 letters, digits, '_', '.', '-', starting with a letter or digit, ending with a letter, digit or '_'.
   */
  virtualNetwork?: string;
  /**
   * The existing subnet of virtualNetwork for the control plane: 1-80 letters, digits, '_', '.', '-', starting with a letter or digit, ending with a letter, digit or '_'.
   */
  controlPlaneSubnet?: string;
  /**
   * The existing subnet of virtualNetwork for the workers: 1-80 letters, digits, '_', '.', '-', starting with a letter or digit, ending with a letter, digit or '_'.
   */
  computeSubnet?: string;
  /**
   * Default: <name>-oidc, created.
   */
  oidcResourceGroup?: string;
  /**
   * Default: <name>, created empty.
   */
  installationResourceGroup?: string;
  /**
   * Issuer storage account. Default: the cluster name without hyphens.
   */
  storageAccount?: StorageAccountName;
  /**
   * Folder of the CredentialsRequests, relative to the fleet file.
   */
  credentialsRequests: FilePath;
  /**
   * Also process TechPreviewNoUpgrade requests. Default: false.
   */
  techPreview?: boolean;
  /**
   * What `ccoctl azure create-all` made for this cluster exists: its groups, issuer storage, identities, FICs, custom roles and role assignments are imported on the first apply. `wisynth adopt --ccoctl` writes it.
   */
  adopt?: {
    /**
     * The identities ccoctl made, one per CredentialsRequest (`<name>-<secretRef.namespace>-<secretRef.name>`).
     */
    identities: {
      name: string;
      clientId: string;
      /**
       * Its role assignments, by role name and scope, with the id each has (ccoctl gives them random GUIDs).
       */
      roleAssignments?: {
        role: string;
        scope: string;
        id: string;
      }[];
    }[];
    /**
     * The custom roles ccoctl made, named after their identity, with their role definition ids.
     */
    customRoles?: {
      name: string;
      id: string;
    }[];
  };
  /**
   * The OpenShift release image.
   */
  releaseImage: ImageReference;
  /**
   * Public half of the bound service-account signing key.
   */
  publicKeyFile: FilePath;
  /**
   * An OpenSSH public key file (one line: ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp*), relative to the fleet file: the install-config's sshKey. Default: none.
   */
  sshKey?: FilePath;
  /**
   * The install-config's publish. Default: External.
   */
  publish?: 'External' | 'Internal';
  networking?: OpenShiftNetworking;
  controlPlane?: {
    /**
     * Azure VM size. Default: Standard_D8s_v5.
     */
    vmSize?: VmSize;
    /**
     * Default: 3.
     */
    replicas?: number;
    /**
     * Default: 1024.
     */
    osDiskSizeGB?: number;
  };
  compute?: {
    /**
     * Azure VM size. Default: Standard_D4s_v5.
     */
    vmSize?: VmSize;
    /**
     * Default: 3.
     */
    replicas?: number;
    /**
     * Default: 128.
     */
    osDiskSizeGB?: number;
  };
  /**
   * Where the signing key, pull secret and installer credentials come from.
   */
  secrets:
    | {
        mode: 'externalSecrets';
        /**
         * Declared key vault holding the secrets.
         */
        keyVault: string;
        /**
         * Declared identity of the hub service account.
         */
        identity: string;
        /**
         * The fleet cluster running Hive and External Secrets Operator.
         */
        hub: string;
        /**
         * Default: hive-secrets-reader.
         */
        serviceAccount?: ServiceAccountName;
        remoteKeys?: {
          signingKey?: KeyVaultSecretName;
          pullSecret?: KeyVaultSecretName;
          installerCredentials?: KeyVaultSecretName;
        };
      }
    | {
        mode: 'files';
        signingKeyFile: FilePath;
        pullSecretFile: FilePath;
        installerCredentialsFile: FilePath;
      };
}
/**
 * The install-config's networking (IPv4). Default: the installer's defaults.
 */
export interface OpenShiftNetworking {
  /**
   * Default: [{cidr: 10.0.0.0/16}].
   *
   * @minItems 1
   */
  machineNetwork?: {
    /**
     * An IPv4 CIDR, e.g. 10.0.0.0/16.
     */
    cidr: string;
  }[];
  /**
   * Default: [{cidr: 10.128.0.0/14, hostPrefix: 23}].
   *
   * @minItems 1
   */
  clusterNetwork?: {
    /**
     * An IPv4 CIDR, e.g. 10.128.0.0/14.
     */
    cidr: string;
    /**
     * Prefix length of each node's share, e.g. 23.
     */
    hostPrefix: number;
  }[];
  /**
   * Default: [172.30.0.0/16].
   *
   * @minItems 1
   * @maxItems 1
   *
   * Items: An IPv4 CIDR, e.g. 172.30.0.0/16.
   */
  serviceNetwork?: string[];
  /**
   * Default: OVNKubernetes (OpenShiftSDN and Kuryr are refused).
   */
  networkType?: string;
}
export interface ExternalIssuerCluster {
  name: ClusterName;
  platform: 'external-issuer';
  tags?: Tags;
  workloads?: Workloads;
  externalIssuer: ExternalIssuer;
  previousIssuers?: PreviousIssuers;
}
/**
 * A cluster whose OIDC issuer someone else hosts (EKS, GKE, any Kubernetes with a public issuer).
 */
export interface ExternalIssuer {
  /**
   * The issuer of the cluster's service-account tokens, byte for byte.
   */
  issuerUrl: string;
}
