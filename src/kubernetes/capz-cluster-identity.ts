import { Construct } from 'constructs';
import {
  AzureClusterIdentity,
  AzureClusterIdentitySpecType,
} from '../../imports/capz-azureclusteridentities-infrastructure.cluster.x-k8s.io';

/** Properties of a `CapzClusterIdentity`. */
export interface CapzClusterIdentityProps {
  /** Name of the AzureClusterIdentity, which AzureClusters name in `identityRef`. */
  readonly name: string;
  /** Namespace of the AzureClusterIdentity on the management cluster. */
  readonly namespace: string;
  /** Client id of the identity CAPZ federates into (or its pending placeholder). */
  readonly clientId: string;
  /** Entra tenant of the identity. */
  readonly tenantId: string;
  /** Namespaces whose AzureClusters may use it: `'all'` (`{}`) or a list (empty: none). */
  readonly allowedNamespaces: 'all' | readonly string[];
}

/**
 * The AzureClusterIdentity (`infrastructure.cluster.x-k8s.io/v1beta1`) through which CAPZ acts: type
 * `WorkloadIdentity`, so CAPZ exchanges its own service-account token and no client secret exists anywhere.
 * Use it on a CAPZ management cluster whose controller's service account has a federated credential.
 */
export class CapzClusterIdentity extends Construct {
  /** Name of the AzureClusterIdentity. */
  public readonly name: string;
  /** Namespace of the AzureClusterIdentity. */
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
