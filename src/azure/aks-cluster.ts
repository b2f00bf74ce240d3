import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { IResourceGroup } from './resource-group';
import { terraformLiterals } from './terraform-literal';

export interface AksClusterProps {
  /** Azure name of the cluster. */
  readonly name: string;
  /** Group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Azure region of the cluster. */
  readonly location: string;
  /** Prefix of the API server's FQDN. */
  readonly dnsPrefix: string;
  /** @default the AKS default version */
  readonly kubernetesVersion?: string;
  /** VM size of the system node pool. */
  readonly vmSize: string;
  /** Nodes in the system node pool. */
  readonly nodeCount: number;
}

/** An AKS cluster with its managed OIDC issuer and workload identity enabled; AKS runs the webhook itself. */
export class AksCluster extends Construct {
  /** The cluster's OIDC issuer URL (ends in `/`), known after apply. */
  public readonly issuerUrl: string;
  protected readonly resource: KubernetesCluster;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    this.resource = new KubernetesCluster(this, RESOURCE_ID, terraformLiterals({
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.location,
      dnsPrefix: props.dnsPrefix,
      kubernetesVersion: props.kubernetesVersion,
      defaultNodePool: { name: 'system', vmSize: props.vmSize, nodeCount: props.nodeCount },
      identity: { type: 'SystemAssigned' },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
    }));
    this.issuerUrl = this.resource.oidcIssuerUrl;
  }
}
