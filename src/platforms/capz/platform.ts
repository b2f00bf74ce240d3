import { CapzClusterIdentity } from '../../kubernetes/capz-cluster-identity';
import { CapzWorkloadClusterInfrastructure } from '../../kubernetes/capz-workload-cluster';
import type { ClusterPlanOf } from '../../model/fleet-plan';
import { WEBHOOK_AUDIENCE } from '../../model/constants';
import { Platform } from '../platform';
import { selfManaged } from '../self-managed/platform';
import type { ClusterDocumentOf } from '../../model/platform-model';
import type { CapzManagementCluster } from './cluster';
import { loadCapzCluster } from './load';
import { planCapz } from './plan';

/**
 * Cluster API Provider Azure: the management cluster is a self-managed cluster (its issuer, keys and
 * kind or kubeadm configuration come from there). CAPZ and ASO federate into one identity (their FICs
 * and its role are in the plan); on the cluster side, the AzureClusterIdentity of type
 * WorkloadIdentity, and for each workload cluster the AzureCluster and AzureMachineTemplates that
 * carry the identities.
 */
export const capz: Platform<CapzManagementCluster, ClusterPlanOf<'capz'>, ClusterDocumentOf<'capz'>> = {
  name: 'capz',
  load: loadCapzCluster,
  plan: planCapz,
  uniqueNames: selfManaged.uniqueNames,

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

  // CAPZ's controllers and ASO run as service accounts CAPZ installs, federated to its identity
  summary(cluster, context) {
    const { namespace, serviceAccounts } = cluster.capz;
    return {
      ...selfManaged.summary(cluster, context),
      externalServiceAccounts: serviceAccounts.map((name) => ({ namespace, name, audience: WEBHOOK_AUDIENCE, installedBy: 'CAPZ' })),
    };
  },
};

