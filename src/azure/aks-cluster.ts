import { DataAzurermKubernetesCluster } from '@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { Construct } from 'constructs';
import { RESOURCE_ID } from './logical-id';
import { IResourceGroup } from './resource-group';
import { ResourceTags, tagsAttribute } from './tags';
import { terraformLiteral, terraformLiterals } from './terraform-literal';

/** Properties of an `AzureAksCluster`. */
export interface AzureAksClusterProps {
  /** Azure name of the cluster. */
  readonly name: string;
  /** Group that holds it. */
  readonly resourceGroup: IResourceGroup;
  /** Azure region of the cluster. */
  readonly location: string;
  /** Prefix of the API server's FQDN. */
  readonly dnsPrefix: string;
  /**
   * Kubernetes version of the cluster (`kubernetes_version`).
   * @default - none: not set, so AKS picks its default version
   */
  readonly kubernetesVersion?: string;
  /** VM size of the system node pool. */
  readonly vmSize: string;
  /** Nodes in the system node pool. */
  readonly nodeCount: number;
  /**
   * Azure tags of the cluster.
   * @default - none: no `tags` attribute is written
   */
  readonly tags?: ResourceTags;
}

/**
 * An AKS cluster (`azurerm_kubernetes_cluster`) with a system-assigned identity, one system node pool,
 * its managed OIDC issuer and workload identity enabled; AKS runs the webhook itself. Use it to create
 * a cluster whose `issuerUrl` feeds the `issuer` of a `FederatedCredential` in the same stack.
 */
export class AzureAksCluster extends Construct {
  /** The cluster's OIDC issuer URL (ends in `/`), known after apply. */
  public readonly issuerUrl: string;
  protected readonly resource: KubernetesCluster;

  constructor(scope: Construct, id: string, props: AzureAksClusterProps) {
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
      tags: tagsAttribute(props.tags),
    }));
    this.issuerUrl = this.resource.oidcIssuerUrl;
  }
}

/** Properties of an `AksClusterRead`. */
export interface AksClusterReadProps {
  /** Azure name of the cluster. */
  readonly name: string;
  /** Name of the group that holds it. */
  readonly resourceGroupName: string;
  /** The command that turns on what the plan needs, for the message that stops the plan without it. */
  readonly enableCommand: string;
}

/**
 * An AKS cluster that exists (`data.azurerm_kubernetes_cluster`), read and never managed; use it to
 * federate identities with a cluster that something else created. Terraform reads its issuer from it, so no URL is
 * copied by hand, and stops the plan while its OIDC issuer is off (the issuer would be empty). The data
 * source has no workload identity attribute (hashicorp/terraform-provider-azurerm
 * `internal/services/containers/kubernetes_cluster_data_source.go`): `wisynth check --aks-show` sees that one.
 */
export class AksClusterRead extends Construct {
  /** The cluster's OIDC issuer URL (ends in `/`), read at plan time. */
  public readonly issuerUrl: string;
  protected readonly source: DataAzurermKubernetesCluster;

  constructor(scope: Construct, id: string, props: AksClusterReadProps) {
    super(scope, id);
    this.source = new DataAzurermKubernetesCluster(this, RESOURCE_ID, {
      ...terraformLiterals({ name: props.name, resourceGroupName: props.resourceGroupName }),
      lifecycle: {
        postcondition: [
          {
            condition: '${self.oidc_issuer_enabled}',
            errorMessage: terraformLiteral(`AKS cluster ${props.name} has no OIDC issuer: run ${props.enableCommand}, then plan again.`),
          },
        ],
      },
    });
    this.issuerUrl = this.source.oidcIssuerUrl;
  }
}
