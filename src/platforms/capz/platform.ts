import { CapzClusterIdentity } from '../kubernetes/capz-cluster-identity';
import { CapzWorkloadClusterInfrastructure } from '../kubernetes/capz-workload-cluster';
import type { ClusterPlanOf } from '../model/fleet-plan';
import { Platform } from './platform';
import { selfManaged } from './self-managed';

/**
 * Cluster API Provider Azure: the management cluster is a self-managed cluster (its issuer, keys and
 * kind or kubeadm configuration come from there). CAPZ and ASO federate into one identity (their FICs
 * and its role are in the plan); on the cluster side, the AzureClusterIdentity of type
 * WorkloadIdentity, and for each workload cluster the AzureCluster and AzureMachineTemplates that
 * carry the identities.
 */
export const capz: Platform<ClusterPlanOf<'capz'>> = {
  name: 'capz',

  addAzureResources(stack, cluster) {
    selfManaged.addAzureResources(stack, cluster);
  },

  addKubernetesObjects(chart, cluster) {
    selfManaged.addKubernetesObjects(chart, cluster);
    const plan = cluster.capz;
    const identity = new CapzClusterIdentity(chart, 'AzureClusterIdentity', {
      ...plan.clusterIdentity,
      clientId: plan.clientId.value,
      tenantId: plan.tenantId,
    });
    for (const workloadCluster of plan.workloadClusters) {
      new CapzWorkloadClusterInfrastructure(chart, `WorkloadCluster:${workloadCluster.namespace}:${workloadCluster.name}`, {
        cluster: workloadCluster,
        clusterIdentity: identity,
      });
    }
  },

  clusterFiles(cluster, context) {
    return selfManaged.clusterFiles(cluster, context);
  },

  issuerStatements(cluster) {
    return selfManaged.issuerStatements(cluster);
  },
};

