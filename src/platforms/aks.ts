import { AksCluster } from '../azure/aks-cluster';
import { Platform } from './platform';

/**
 * AKS: a new cluster is created with its managed OIDC issuer, whose URL only Terraform knows;
 * an existing one is known by its issuer URL and adds nothing.
 */
export const aks: Platform = {
  name: 'aks',

  addAzureResources(stack, cluster) {
    if (cluster.aks === undefined) {
      return;
    }
    const created = new AksCluster(stack, cluster.aks.logicalId, {
      name: cluster.name,
      resourceGroup: stack.resourceGroup(cluster.aks.resourceGroup),
      location: cluster.aks.location,
      dnsPrefix: cluster.aks.dnsPrefix,
      kubernetesVersion: cluster.aks.kubernetesVersion,
      vmSize: cluster.aks.vmSize,
      nodeCount: cluster.aks.nodeCount,
    });
    stack.registerClusterIssuer(cluster.name, created.issuerUrl);
  },

  // AKS runs its own managed webhook once workload identity is enabled: installing the chart as well conflicts.
  addKubernetesObjects() {},

  clusterFiles() {
    return new Map();
  },
};
