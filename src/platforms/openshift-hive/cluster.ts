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
import type { KeyVault } from '../../model/key-vault';
import type { ManagedIdentity } from '../../model/managed-identity';
import { ResourceGroup } from '../../model/resource-group';
import { SelfManagedCluster } from '../self-managed/cluster';
import type { Tags } from '../../model/tags';

/** Machines of one pool. */
export interface OpenShiftMachinesProps {
  readonly vmSize?: string;
  /** @default 3 */
  readonly replicas?: number;
  readonly osDiskSizeGB?: number;
}

/** The three secrets the installation needs, none of which may be committed. */
export type HiveSecretsProps =
  | {
      /** External Secrets Operator on the hub reads them from a Key Vault (the default). */
      readonly mode: 'externalSecrets';
      readonly keyVault: KeyVault;
      /** Identity of the hub service account the SecretStore authenticates as (gets a FIC on the hub's issuer and Secrets User on the vault). */
      readonly identity: ManagedIdentity;
      /** The fleet cluster that runs Hive and External Secrets Operator. */
      readonly hub: Cluster;
      /** @default 'hive-secrets-reader' */
      readonly serviceAccount?: string;
      /** Key Vault secret names. @default `<cluster>-bound-sa-signing-key`, `<cluster>-pull-secret`, `<cluster>-installer-credentials` */
      readonly remoteKeys?: { readonly signingKey?: string; readonly pullSecret?: string; readonly installerCredentials?: string };
    }
  | {
      /** Plain Secret files under OUT/secrets/<cluster>/ (mode 0600), read from these files at synth. */
      readonly mode: 'files';
      readonly signingKeyFile: string;
      readonly pullSecretFile: string;
      readonly installerCredentialsFile: string;
    };

export interface OpenShiftHiveClusterProps {
  /** @default the construct id */
  readonly name?: string;
  /** Hub namespace of the Hive objects. @default the cluster name */
  readonly namespace?: string;
  readonly baseDomain: string;
  /** @default the fleet's location */
  readonly region?: string;
  /** The existing group holding the base domain's DNS zone. */
  readonly baseDomainResourceGroup: ResourceGroup;
  /** An existing group holding the cluster's virtual network, when it brings its own (with virtualNetwork and both subnets). */
  readonly networkResourceGroup?: ResourceGroup;
  /** Name of the existing virtual network in networkResourceGroup. */
  readonly virtualNetwork?: string;
  /** Name of the existing subnet of virtualNetwork for the control plane. */
  readonly controlPlaneSubnet?: string;
  /** Name of the existing subnet of virtualNetwork for the workers. */
  readonly computeSubnet?: string;
  /** @default `<name>-oidc`, created */
  readonly oidcResourceGroup?: ResourceGroup;
  /** Created empty; the installer puts the cluster in it. @default `<name>`, created */
  readonly installationResourceGroup?: ResourceGroup;
  /** Issuer storage account. @default the cluster name without its hyphens */
  readonly storageAccount?: string;
  /** Folder of the CredentialsRequests (`oc adm release extract --credentials-requests --cloud=azure`), relative to the fleet's base folder. */
  readonly credentialsRequests: string;
  /** Also process requests annotated for TechPreviewNoUpgrade. @default false */
  readonly techPreview?: boolean;
  /** The release image the ClusterImageSet points at. */
  readonly releaseImage: string;
  /** The bound service-account signing key's public half (`wisynth keygen`), relative to the fleet's base folder. */
  readonly publicKeyFile: string;
  /** An OpenSSH public key file (one line), relative to the fleet's base folder: the install-config's sshKey. */
  readonly sshKey?: string;
  /** @default the installer's defaults (OPENSHIFT_NETWORKING_DEFAULT) */
  readonly networking?: OpenShiftNetworkingProps;
  /** @default 'External' */
  readonly publish?: 'External' | 'Internal';
  readonly controlPlane?: OpenShiftMachinesProps;
  readonly compute?: OpenShiftMachinesProps;
  readonly secrets: HiveSecretsProps;
  /** Tags of the cluster's resources (groups, storage account, identities), over the fleet's; ccoctl's ownership tag is added. */
  readonly tags?: Tags;
}

/**
 * An OpenShift cluster that Hive installs with Entra Workload ID: ccoctl's Azure resources (issuer,
 * one identity per CredentialsRequest, custom roles) in Terraform, the hub objects as YAML.
 */
export class OpenShiftHiveCluster extends SelfManagedCluster {
  public override readonly platform = 'openshift-hive' as const;
  public readonly namespace: string;
  public readonly baseDomain: string;
  public readonly region: string;
  public readonly baseDomainResourceGroup: ResourceGroup;
  public readonly networkResourceGroup?: ResourceGroup;
  public readonly virtualNetwork?: string;
  public readonly controlPlaneSubnet?: string;
  public readonly computeSubnet?: string;
  public readonly installationResourceGroup: ResourceGroup;
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

  constructor(scope: Construct, id: string, props: OpenShiftHiveClusterProps) {
    const name = props.name ?? id;
    const fleet = Fleet.of(scope);
    const region = props.region ?? fleet.azure.location;
    const group = (given: ResourceGroup | undefined, groupName: string) =>
      given ??
      fleet.membersOf(ResourceGroup).find((g) => g.groupName === groupName) ??
      new ResourceGroup(scope, `rg-${groupName}`, { name: groupName, location: region });
    const oidcGroup = group(props.oidcResourceGroup, `${name}-oidc`);
    super(scope, id, {
      name,
      distribution: 'openshift',
      webhook: false,
      issuer: { hosting: 'blobContainer', storageAccount: props.storageAccount ?? name.replace(/-/g, ''), resourceGroup: oidcGroup, container: name },
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
    this.secrets = props.secrets.mode === 'externalSecrets' ? { ...props.secrets, serviceAccount: props.secrets.serviceAccount ?? HIVE_SECRETS_SERVICE_ACCOUNT_DEFAULT } : props.secrets;
    if (props.secrets.mode === 'externalSecrets') props.secrets.keyVault.grantSecretsRead(props.secrets.identity);
  }
}
