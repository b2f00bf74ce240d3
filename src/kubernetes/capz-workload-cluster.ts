import { Construct } from 'constructs';
import {
  AzureCluster,
  AzureClusterSpecNetworkSpecSubnetsRole,
} from '../../imports/capz-azureclusters-infrastructure.cluster.x-k8s.io';
import {
  AzureMachineTemplate,
  AzureMachineTemplateSpecTemplateSpecIdentity,
} from '../../imports/capz-azuremachinetemplates-infrastructure.cluster.x-k8s.io';
import type { CapzMachinePlan, CapzWorkloadClusterPlan } from '../model/fleet-plan';

/** Properties of a `CapzWorkloadClusterInfrastructure`. */
export interface CapzWorkloadClusterInfrastructureProps {
  /** The workload cluster: its name, namespace, Azure placement, node identity and machines. */
  readonly cluster: CapzWorkloadClusterPlan;
  /** The AzureClusterIdentity CAPZ uses to build it. */
  readonly clusterIdentity: { readonly name: string; readonly namespace: string };
}

/**
 * The Azure infrastructure objects (`infrastructure.cluster.x-k8s.io/v1beta1`) of a CAPZ workload cluster that carry identities: the AzureCluster
 * (`identityRef` to the AzureClusterIdentity) and the control-plane and worker AzureMachineTemplates
 * (the machines' user-assigned identity). Named as clusterctl's default flavor names them
 * (`<cluster>`, `<cluster>-control-plane`, `<cluster>-md-0`), so its Cluster, KubeadmControlPlane
 * and MachineDeployment refer to them unchanged. Use it beside clusterctl's
 * generated Cluster API objects when the workload cluster's machines need a user-assigned identity.
 */
export class CapzWorkloadClusterInfrastructure extends Construct {
  protected readonly azureCluster: AzureCluster;
  protected readonly machineTemplates: readonly AzureMachineTemplate[];

  constructor(scope: Construct, id: string, props: CapzWorkloadClusterInfrastructureProps) {
    super(scope, id);
    const { cluster } = props;
    this.azureCluster = new AzureCluster(this, 'AzureCluster', {
      metadata: { name: cluster.name, namespace: cluster.namespace },
      spec: {
        location: cluster.location,
        resourceGroup: cluster.resourceGroup,
        subscriptionId: cluster.subscriptionId,
        azureEnvironment: cluster.azureEnvironment,
        identityRef: {
          apiVersion: AzureCluster.GVK.apiVersion,
          kind: 'AzureClusterIdentity',
          name: props.clusterIdentity.name,
          namespace: props.clusterIdentity.namespace,
        },
        networkSpec: {
          vnet: { name: `${cluster.name}-vnet` },
          subnets: [
            { name: 'control-plane-subnet', role: AzureClusterSpecNetworkSpecSubnetsRole.CONTROL_HYPHEN_PLANE },
            { name: 'node-subnet', role: AzureClusterSpecNetworkSpecSubnetsRole.NODE },
          ],
        },
      },
    });
    this.machineTemplates = [
      this.machineTemplate(cluster, cluster.controlPlane),
      this.machineTemplate(cluster, cluster.workers),
    ];
  }

  private machineTemplate(cluster: CapzWorkloadClusterPlan, machine: CapzMachinePlan): AzureMachineTemplate {
    return new AzureMachineTemplate(this, machine.name, {
      metadata: { name: machine.name, namespace: cluster.namespace },
      spec: {
        template: {
          spec: {
            vmSize: machine.vmSize,
            osDisk: { osType: 'Linux', diskSizeGb: machine.osDiskSizeGB },
            // The default flavor's KubeadmControlPlane mounts this disk at /var/lib/etcddisk.
            dataDisks: machine.etcdDiskSizeGB === undefined ? undefined : [{ nameSuffix: 'etcddisk', diskSizeGb: machine.etcdDiskSizeGB, lun: 0 }],
            identity: AzureMachineTemplateSpecTemplateSpecIdentity.USER_ASSIGNED,
            userAssignedIdentities: [{ providerId: cluster.nodeIdentityProviderId }],
          },
        },
      },
    });
  }
}
