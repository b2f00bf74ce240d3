import { Construct } from 'constructs';
import { Cluster } from '../../model/cluster';
import { ResourceGroup } from '../../model/resource-group';
import type { Tags } from '../../model/tags';

export interface AksNodePool {
  /** @default 'Standard_D2s_v5' */
  readonly vmSize?: string;
  /** @default 2 */
  readonly nodeCount?: number;
}

export interface AksClusterProps {
  /** @default the construct id */
  readonly name?: string;
  readonly resourceGroup: ResourceGroup;
  /** @default the resource group's location */
  readonly location?: string;
  /** @default the cluster name */
  readonly dnsPrefix?: string;
  /** @default the AKS default version */
  readonly kubernetesVersion?: string;
  /** @default one system pool of 2 x Standard_D2s_v5 */
  readonly nodePool?: AksNodePool;
  /** Tags of the AKS cluster, over the fleet's. */
  readonly tags?: Tags;
}

export interface ExistingAksClusterProps {
  /** Names the cluster's output folder. @default the construct id */
  readonly name?: string;
  /** `az aks show --query oidcIssuerProfile.issuerUrl`, byte for byte (it ends in "/"). */
  readonly issuerUrl: string;
}

export interface ExistingAksClusterInGroupProps {
  /** Names the cluster's output folder. @default the construct id */
  readonly name?: string;
  /** The group that holds the cluster (declared, usually with `existing: true`). */
  readonly resourceGroup: ResourceGroup;
  /** The cluster's name in Azure. @default the name */
  readonly azureName?: string;
}

/** An AKS cluster with the managed OIDC issuer and workload identity enabled; AKS runs the webhook. */
export class AksCluster extends Cluster {
  /** Refers to an AKS cluster that exists, known by its OIDC issuer URL. */
  public static fromIssuerUrl(scope: Construct, id: string, props: ExistingAksClusterProps): ExistingAksCluster {
    return new ExistingAksCluster(scope, id, props);
  }

  /**
   * Refers to an AKS cluster that exists, by its group and name: Terraform reads its issuer from the
   * cluster and stops the plan while its OIDC issuer is off; wisynth writes the `az aks update` that
   * turns both features on.
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingAksClusterInGroupProps): ExistingAksCluster {
    return new ExistingAksCluster(scope, id, props);
  }

  public readonly platform = 'aks' as const;
  public readonly resourceGroup: ResourceGroup;
  public readonly location: string;
  public readonly dnsPrefix: string;
  public readonly kubernetesVersion?: string;
  public readonly nodePool: Required<AksNodePool>;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id, props.name, props.tags);
    this.resourceGroup = props.resourceGroup;
    this.location = props.location ?? props.resourceGroup.location;
    this.dnsPrefix = props.dnsPrefix ?? this.clusterName;
    this.kubernetesVersion = props.kubernetesVersion;
    this.nodePool = { vmSize: props.nodePool?.vmSize ?? 'Standard_D2s_v5', nodeCount: props.nodePool?.nodeCount ?? 2 };
  }
}

/** An AKS cluster that exists outside the fleet: known by its issuer URL, or by its group and name. */
export class ExistingAksCluster extends Cluster {
  public readonly platform = 'aks' as const;
  /** Set when known by its issuer URL. */
  public readonly issuerUrl?: string;
  /** Set when known by its group and name. */
  public readonly resourceGroup?: ResourceGroup;
  public readonly azureName: string;

  constructor(scope: Construct, id: string, props: ExistingAksClusterProps | ExistingAksClusterInGroupProps) {
    super(scope, id, props.name);
    if ('issuerUrl' in props) this.issuerUrl = props.issuerUrl;
    else this.resourceGroup = props.resourceGroup;
    this.azureName = ('azureName' in props ? props.azureName : undefined) ?? this.clusterName;
  }
}
