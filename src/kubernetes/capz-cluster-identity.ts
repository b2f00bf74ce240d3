import { Construct } from 'constructs';
import {
  AzureClusterIdentity,
  AzureClusterIdentitySpecType,
} from '../../imports/capz-azureclusteridentities-infrastructure.cluster.x-k8s.io';

/** Properties of a `CapzClusterIdentity`. */
export interface CapzClusterIdentityProps {
  readonly name: string;
  readonly namespace: string;
  /** Client id of the identity CAPZ federates into (or its pending placeholder). */
  readonly clientId: string;
  readonly tenantId: string;
  /** Namespaces whose AzureClusters may use it: `'all'` (`{}`) or a list (empty: none). */
  readonly allowedNamespaces: 'all' | readonly string[];
}

/**
 * The AzureClusterIdentity through which CAPZ acts: type `WorkloadIdentity`, so CAPZ exchanges its
 * own service-account token and no client secret exists anywhere.
 */
export class CapzClusterIdentity extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  protected readonly apiObject: AzureClusterIdentity;

  constructor(scope: Construct, id: string, props: CapzClusterIdentityProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.apiObject = new AzureClusterIdentity(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        // clusterctl move carries the identity along with the clusters that use it.
        labels: { 'clusterctl.cluster.x-k8s.io/move-hierarchy': 'true' },
      },
      spec: {
        type: AzureClusterIdentitySpecType.WORKLOAD_IDENTITY,
        tenantId: props.tenantId,
        clientId: props.clientId,
        allowedNamespaces: props.allowedNamespaces === 'all' ? {} : { list: [...props.allowedNamespaces] },
      },
    });
  }
}
