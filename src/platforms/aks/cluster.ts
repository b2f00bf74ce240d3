import type { PreviousIssuer } from '../../model/fleet-plan';
import { Construct } from 'constructs';
import { Cluster, ICluster } from '../../model/cluster';
import { IResourceGroup } from '../../model/resource-group';
import type { Tags } from '../../model/tags';

/** The system node pool of an AKS cluster. */
export interface AksNodePool {
  /**
   * VM size of its nodes.
   * @default 'Standard_D2s_v5'
   */
  readonly vmSize?: string;
  /**
   * Number of nodes (1-1000).
   * @default 2
   */
  readonly nodeCount?: number;
}

/** Props of an `AksCluster`. */
export interface AksClusterProps {
  /**
   * Its name in Azure and of its output folder.
   * @default the construct id
   */
  readonly name?: string;
  /** The group the cluster is created in. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Azure region of the cluster.
   * @default the resource group's location
   */
  readonly location?: string;
  /**
   * DNS prefix of the API server's FQDN.
   * @default the cluster name
   */
  readonly dnsPrefix?: string;
  /**
   * Kubernetes version, e.g. "1.30".
   * @default - none: not set, so AKS picks its default version
   */
  readonly kubernetesVersion?: string;
  /**
   * The system node pool.
   * @default one system pool of 2 x Standard_D2s_v5
   */
  readonly nodePool?: AksNodePool;
  /**
   * Tags of the AKS cluster, over the fleet's.
   * @default - none: the fleet's tags alone
   */
  readonly tags?: Tags;
  /**
   * Issuers the cluster is moving away from (it was recreated, or replaced blue-green): each keeps a FIC
   * for every federated service account beside the current issuer's, until it is removed from the list.
   * @default - none
   */
  readonly previousIssuers?: ReadonlyArray<string | PreviousIssuer>;
}

/** An AKS cluster that exists, known by its issuer URL (`AksCluster.fromIssuerUrl`). */
export interface ExistingAksClusterProps {
  /**
   * Names the cluster's output folder.
   * @default the construct id
   */
  readonly name?: string;
  /** `az aks show --query oidcIssuerProfile.issuerUrl`, byte for byte (it ends in "/"). */
  readonly issuerUrl: string;
  /**
   * Issuers the cluster is moving away from (it was recreated, or replaced blue-green): each keeps a FIC
   * for every federated service account beside the current issuer's, until it is removed from the list.
   * @default - none
   */
  readonly previousIssuers?: ReadonlyArray<string | PreviousIssuer>;
}

/** An AKS cluster that exists, known by its group and name (`AksCluster.fromExisting`). */
export interface ExistingAksClusterInGroupProps {
  /**
   * Names the cluster's output folder.
   * @default the construct id
   */
  readonly name?: string;
  /** The group that holds the cluster (declared, usually with `existing: true`). */
  readonly resourceGroup: IResourceGroup;
  /**
   * The cluster's name in Azure.
   * @default `name` (so the construct id when that is unset too)
   */
  readonly azureName?: string;
  /**
   * Issuers the cluster is moving away from (it was recreated, or replaced blue-green): each keeps a FIC
   * for every federated service account beside the current issuer's, until it is removed from the list.
   * @default - none
   */
  readonly previousIssuers?: ReadonlyArray<string | PreviousIssuer>;
}

/**
 * An AKS cluster that the fleet creates, with the managed OIDC issuer and workload identity enabled; AKS runs
 * the webhook. For an AKS cluster made elsewhere use `fromIssuerUrl` or `fromExisting`.
 */
export class AksCluster extends Cluster {
  /** Refers to an AKS cluster that exists, known by its OIDC issuer URL. */
  public static fromIssuerUrl(scope: Construct, id: string, props: ExistingAksClusterProps): ICluster {
    return new ExistingAksCluster(scope, id, props);
  }

  /**
   * Refers to an AKS cluster that exists, by its group and name: Terraform reads its issuer from the
   * cluster and stops the plan while its OIDC issuer is off; wisynth writes the `az aks update` that
   * turns both features on.
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingAksClusterInGroupProps): ICluster {
    return new ExistingAksCluster(scope, id, props);
  }

  public readonly platform = 'aks' as const;
  public readonly resourceGroup: IResourceGroup;
  public readonly location: string;
  public readonly dnsPrefix: string;
  public readonly kubernetesVersion?: string;
  public readonly nodePool: Required<AksNodePool>;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id, props.name, props.tags, props.previousIssuers);
    this.resourceGroup = props.resourceGroup;
    this.location = props.location ?? props.resourceGroup.location;
    this.dnsPrefix = props.dnsPrefix ?? this.clusterName;
    this.kubernetesVersion = props.kubernetesVersion;
    this.nodePool = { vmSize: props.nodePool?.vmSize ?? 'Standard_D2s_v5', nodeCount: props.nodePool?.nodeCount ?? 2 };
  }
}

/**
 * An AKS cluster that exists outside the fleet: known by its issuer URL, or by its group and name. The fleet
 * adds its workloads' FICs and service accounts, not the cluster; make it with `AksCluster.fromIssuerUrl` or
 * `AksCluster.fromExisting`.
 */
export class ExistingAksCluster extends Cluster {
  public readonly platform = 'aks' as const;
  /** Set when known by its issuer URL. */
  public readonly issuerUrl?: string;
  /** Set when known by its group and name. */
  public readonly resourceGroup?: IResourceGroup;
  public readonly azureName: string;

  constructor(scope: Construct, id: string, props: ExistingAksClusterProps | ExistingAksClusterInGroupProps) {
    super(scope, id, props.name, {}, props.previousIssuers);
    if ('issuerUrl' in props) this.issuerUrl = props.issuerUrl;
    else this.resourceGroup = props.resourceGroup;
    this.azureName = ('azureName' in props ? props.azureName : undefined) ?? this.clusterName;
  }
}
