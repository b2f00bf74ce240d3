import { Construct } from 'constructs';
import type { Cluster } from '../../model/cluster';
import { OPENSHIFT_NETWORKING_DEFAULT, type OpenShiftNetworkingProps } from '../../openshift/install-config-rules';
import {
  HIVE_SECRETS_SERVICE_ACCOUNT_DEFAULT,
  OPENSHIFT_COMPUTE_VM_SIZE_DEFAULT,
  OPENSHIFT_CONTROL_PLANE_OS_DISK_GB_DEFAULT,
  OPENSHIFT_CONTROL_PLANE_VM_SIZE_DEFAULT,
  OPENSHIFT_OS_DISK_GB_DEFAULT,
  OPENSHIFT_REPLICAS_DEFAULT,
} from '../../model/constants';
import { Fleet } from '../../model/fleet';
import type { IKeyVault } from '../../model/key-vault';
import type { IWorkloadIdentity } from '../../model/managed-identity';
import { IResourceGroup, ResourceGroup, resourceGroupsOf } from '../../model/resource-group';
import { SelfManagedCluster } from '../self-managed/cluster';
import type { Tags } from '../../model/tags';

/** Machines of one pool. */
export interface OpenShiftMachinesProps {
  /**
   * VM size of the machines.
   * @default 'Standard_D8s_v5' for the control plane, 'Standard_D4s_v5' for compute
   */
  readonly vmSize?: string;
  /**
   * Number of machines.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * OS disk size in GB.
   * @default 1024 for the control plane, 128 for compute
   */
  readonly osDiskSizeGB?: number;
}

/** The three secrets the installation needs, none of which may be committed. */
export type HiveSecretsProps =
  | {
      /** External Secrets Operator on the hub reads them from a Key Vault (the default). */
      readonly mode: 'externalSecrets';
      /** The vault that holds the three secrets; the identity is granted "Key Vault Secrets User" on it. */
      readonly keyVault: IKeyVault;
      /** Identity of the hub service account the SecretStore authenticates as (gets a FIC on the hub's issuer and Secrets User on the vault). */
      readonly identity: IWorkloadIdentity;
      /** The fleet cluster that runs Hive and External Secrets Operator. */
      readonly hub: Cluster;
      /**
       * The hub service account, in the cluster's hub namespace.
       * @default 'hive-secrets-reader'
       */
      readonly serviceAccount?: string;
      /**
       * Key Vault secret names; each one left out takes its default.
       * @default `<cluster>-bound-sa-signing-key`, `<cluster>-pull-secret`, `<cluster>-installer-credentials`
       */
      readonly remoteKeys?: { readonly signingKey?: string; readonly pullSecret?: string; readonly installerCredentials?: string };
    }
  | {
      /** Plain Secret files under OUT/secrets/<cluster>/ (mode 0600), read from these files at synth. */
      readonly mode: 'files';
      /** The bound service-account signing key's private half (PKCS#1 PEM), relative to the fleet's base folder. */
      readonly signingKeyFile: string;
      /** The pull secret, relative to the fleet's base folder. */
      readonly pullSecretFile: string;
      /** The installer's Azure credentials (osServicePrincipal.json), relative to the fleet's base folder. */
      readonly installerCredentialsFile: string;
    };

/** Props of an `OpenShiftHiveCluster`. */
/** A role assignment that exists, by role name and scope (ARM id), with its id. */
export interface AdoptedRoleAssignment {
  readonly role: string;
  readonly scope: string;
  readonly id: string;
}

/**
 * What `ccoctl azure create-all` made for a cluster: Terraform imports it on the first apply. Its groups,
 * storage, identities and FICs follow from ccoctl's names; the client ids, the role assignments' random ids
 * and the custom roles' ids are what `az` printed.
 */
export interface CcoctlAdoption {
  readonly identities: ReadonlyArray<{ readonly name: string; readonly clientId: string; readonly roleAssignments?: readonly AdoptedRoleAssignment[] }>;
  /** Role definition ids (`/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<GUID>`), by role name. */
  readonly customRoles?: ReadonlyArray<{ readonly name: string; readonly id: string }>;
}

export interface OpenShiftHiveClusterProps {
  /**
   * The cluster's name (its ClusterDeployment, and the prefix of its Azure resources).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Hub namespace of the Hive objects.
   * @default the cluster name
   */
  readonly namespace?: string;
  /** The DNS domain the cluster's names go under (`api.<name>.<baseDomain>`). */
  readonly baseDomain: string;
  /**
   * Azure region of the cluster.
   * @default the fleet's location
   */
  readonly region?: string;
  /** The existing group holding the base domain's DNS zone. */
  readonly baseDomainResourceGroup: IResourceGroup;
  /**
   * An existing group holding the cluster's virtual network, when it brings its own (with virtualNetwork and both subnets).
   * @default - none: the installer creates the cluster's network
   */
  readonly networkResourceGroup?: IResourceGroup;
  /**
   * Name of the existing virtual network in networkResourceGroup.
   * @default - none: the installer creates the cluster's network
   */
  readonly virtualNetwork?: string;
  /**
   * Name of the existing subnet of virtualNetwork for the control plane.
   * @default - none: the installer creates the cluster's network
   */
  readonly controlPlaneSubnet?: string;
  /**
   * Name of the existing subnet of virtualNetwork for the workers.
   * @default - none: the installer creates the cluster's network
   */
  readonly computeSubnet?: string;
  /**
   * The group of the issuer's storage account.
   * @default the fleet's resource group named `<name>-oidc`, else a new one of that name in `region`
   */
  readonly oidcResourceGroup?: IResourceGroup;
  /**
   * Created empty; the installer puts the cluster in it.
   * @default the fleet's resource group named `<name>`, else a new one of that name in `region`
   */
  readonly installationResourceGroup?: IResourceGroup;
  /**
   * Issuer storage account.
   * @default the cluster name without its hyphens
   */
  readonly storageAccount?: string;
  /** Folder of the CredentialsRequests (`oc adm release extract --credentials-requests --cloud=azure`), relative to the fleet's base folder. */
  readonly credentialsRequests: string;
  /**
   * Also process requests annotated for TechPreviewNoUpgrade (the cluster then gets that feature set).
   * @default false
   */
  readonly techPreview?: boolean;
  /** The release image the ClusterImageSet points at. */
  readonly releaseImage: string;
  /** The bound service-account signing key's public half (`wisynth keygen`), relative to the fleet's base folder. */
  readonly publicKeyFile: string;
  /**
   * An OpenSSH public key file (one line), relative to the fleet's base folder: the install-config's sshKey.
   * @default - none: the install-config has no sshKey
   */
  readonly sshKey?: string;
  /**
   * The install-config's networking; each field left out takes the installer's default.
   * @default the installer's defaults (OPENSHIFT_NETWORKING_DEFAULT)
   */
  readonly networking?: OpenShiftNetworkingProps;
  /**
   * Whether the API and ingress are public ('External') or private to the network ('Internal').
   * @default 'External'
   */
  readonly publish?: 'External' | 'Internal';
  /**
   * The control-plane machines.
   * @default 3 x Standard_D8s_v5, 1024 GB OS disk
   */
  readonly controlPlane?: OpenShiftMachinesProps;
  /**
   * The compute (worker) machines.
   * @default 3 x Standard_D4s_v5, 128 GB OS disk
   */
  readonly compute?: OpenShiftMachinesProps;
  /** Where the installation's three secrets come from. */
  readonly secrets: HiveSecretsProps;
  /**
   * What ccoctl made for the cluster, which Terraform takes over; the groups it implies are adopted
   * unless given (oidcResourceGroup, installationResourceGroup).
   * @default - none: everything is created
   */
  readonly adopt?: CcoctlAdoption;
  /**
   * Tags of the cluster's resources (groups, storage account, identities), over the fleet's; ccoctl's ownership tag is added.
   * @default - none: the fleet's tags and the ownership tag
   */
  readonly tags?: Tags;
}

/**
 * An OpenShift cluster that Hive installs with Entra Workload ID: ccoctl's Azure resources (issuer,
 * one identity per CredentialsRequest, custom roles) in Terraform, the hub objects as YAML. Use it for an
 * OpenShift cluster on Azure that a Hive hub installs.
 */
export class OpenShiftHiveCluster extends SelfManagedCluster {
  public override readonly platform = 'openshift-hive' as const;
  public readonly namespace: string;
  public readonly baseDomain: string;
  public readonly region: string;
  public readonly baseDomainResourceGroup: IResourceGroup;
  public readonly networkResourceGroup?: IResourceGroup;
  public readonly virtualNetwork?: string;
  public readonly controlPlaneSubnet?: string;
  public readonly computeSubnet?: string;
  public readonly installationResourceGroup: IResourceGroup;
  public readonly credentialsRequests: string;
  public readonly techPreview: boolean;
  public readonly releaseImage: string;
  /** The SSH public key file, as written in the fleet. */
  public readonly sshKeyFile?: string;
  public readonly networking: Required<OpenShiftNetworkingProps>;
  public readonly publish: 'External' | 'Internal';
  public readonly controlPlane: Required<OpenShiftMachinesProps>;
  public readonly compute: Required<OpenShiftMachinesProps>;
  public readonly secrets: HiveSecretsProps & { readonly serviceAccount?: string };
  public readonly adopt?: CcoctlAdoption;

  constructor(scope: Construct, id: string, props: OpenShiftHiveClusterProps) {
    const name = props.name ?? id;
    const fleet = Fleet.of(scope);
    const region = props.region ?? fleet.azure.location;
    const group = (given: IResourceGroup | undefined, groupName: string) =>
      given ??
      resourceGroupsOf(fleet).find((g) => g.groupName === groupName) ??
      new ResourceGroup(scope, `rg-${groupName}`, { name: groupName, location: region, adopt: props.adopt !== undefined });
    const oidcGroup = group(props.oidcResourceGroup, `${name}-oidc`);
    super(scope, id, {
      name,
      distribution: 'openshift',
      webhook: false,
      issuer: { hosting: 'blobContainer', storageAccount: props.storageAccount ?? name.replace(/-/g, ''), resourceGroup: oidcGroup, container: name, adopt: props.adopt !== undefined },
      serviceAccountKeys: { publicKeyFiles: [props.publicKeyFile] },
      tags: props.tags,
    });
    this.namespace = props.namespace ?? name;
    this.baseDomain = props.baseDomain;
    this.region = region;
    this.baseDomainResourceGroup = props.baseDomainResourceGroup;
    this.networkResourceGroup = props.networkResourceGroup;
    this.virtualNetwork = props.virtualNetwork;
    this.controlPlaneSubnet = props.controlPlaneSubnet;
    this.computeSubnet = props.computeSubnet;
    this.installationResourceGroup = group(props.installationResourceGroup, name);
    this.credentialsRequests = props.credentialsRequests;
    this.techPreview = props.techPreview ?? false;
    this.releaseImage = props.releaseImage;
    this.sshKeyFile = props.sshKey;
    this.networking = { ...OPENSHIFT_NETWORKING_DEFAULT, ...Object.fromEntries(Object.entries(props.networking ?? {}).filter(([, v]) => v !== undefined)) };
    this.publish = props.publish ?? 'External';
    this.controlPlane = {
      vmSize: props.controlPlane?.vmSize ?? OPENSHIFT_CONTROL_PLANE_VM_SIZE_DEFAULT,
      replicas: props.controlPlane?.replicas ?? OPENSHIFT_REPLICAS_DEFAULT,
      osDiskSizeGB: props.controlPlane?.osDiskSizeGB ?? OPENSHIFT_CONTROL_PLANE_OS_DISK_GB_DEFAULT,
    };
    this.compute = {
      vmSize: props.compute?.vmSize ?? OPENSHIFT_COMPUTE_VM_SIZE_DEFAULT,
      replicas: props.compute?.replicas ?? OPENSHIFT_REPLICAS_DEFAULT,
      osDiskSizeGB: props.compute?.osDiskSizeGB ?? OPENSHIFT_OS_DISK_GB_DEFAULT,
    };
    this.adopt = props.adopt;
    this.secrets = props.secrets.mode === 'externalSecrets' ? { ...props.secrets, serviceAccount: props.secrets.serviceAccount ?? HIVE_SECRETS_SERVICE_ACCOUNT_DEFAULT } : props.secrets;
    if (props.secrets.mode === 'externalSecrets') props.secrets.keyVault.grantSecretsRead(props.secrets.identity);
  }
}
