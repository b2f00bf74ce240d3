import { Cluster } from './cluster';
import { Fleet } from './fleet';
import { ResourceGroup } from './resource-group';

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
}

export interface ExistingAksClusterProps {
  /** Names the cluster's output folder. @default the construct id */
  readonly name?: string;
  /** `az aks show --query oidcIssuerProfile.issuerUrl`, byte for byte (it ends in "/"). */
  readonly issuerUrl: string;
}

/** An AKS cluster with the managed OIDC issuer and workload identity enabled; AKS runs the webhook. */
export class AksCluster extends Cluster {
  /** Refers to an AKS cluster that exists, known by its OIDC issuer URL. */
  public static fromIssuerUrl(scope: Fleet, id: string, props: ExistingAksClusterProps): ExistingAksCluster {
    return new ExistingAksCluster(scope, id, props);
  }

  public readonly platform = 'aks' as const;
  public readonly resourceGroup: ResourceGroup;
  public readonly location: string;
  public readonly dnsPrefix: string;
  public readonly kubernetesVersion?: string;
  public readonly nodePool: Required<AksNodePool>;

  constructor(scope: Fleet, id: string, props: AksClusterProps) {
    super(scope, id, props.name);
    this.resourceGroup = props.resourceGroup;
    this.location = props.location ?? props.resourceGroup.location;
    this.dnsPrefix = props.dnsPrefix ?? this.clusterName;
    this.kubernetesVersion = props.kubernetesVersion;
    this.nodePool = { vmSize: props.nodePool?.vmSize ?? 'Standard_D2s_v5', nodeCount: props.nodePool?.nodeCount ?? 2 };
  }
}

/** An AKS cluster that exists outside the fleet; only its issuer URL is needed. */
export class ExistingAksCluster extends Cluster {
  public readonly platform = 'aks' as const;
  public readonly issuerUrl: string;

  constructor(scope: Fleet, id: string, props: ExistingAksClusterProps) {
    super(scope, id, props.name);
    this.issuerUrl = props.issuerUrl;
  }
}
