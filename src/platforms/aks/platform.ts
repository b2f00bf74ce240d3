import { AksCluster, AksClusterRead } from '../azure/aks-cluster';
import { AKS_ENABLE_SCRIPT, AksAddress, aksEnableScript, aksUpdateCommand } from './aks-commands';
import type { ClusterPlanOf } from '../model/fleet-plan';
import { Platform } from './platform';

/**
 * AKS: a new cluster is created with its managed OIDC issuer, whose URL only Terraform knows; an
 * existing one known by group and name is read by Terraform for its issuer (and gets the script that
 * turns the features on); one known by its issuer URL adds nothing.
 */
export const aks: Platform<ClusterPlanOf<'aks'>> = {
  name: 'aks',

  addAzureResources(stack, cluster) {
    const plan = cluster.aks;
    if (plan === undefined) return;
    if (plan.kind === 'existing') {
      const read = new AksClusterRead(stack, plan.logicalId, {
        name: plan.azureName,
        resourceGroupName: stack.resourceGroup(plan.resourceGroup).name,
        enableCommand: aksUpdateCommand(address(plan)),
      });
      stack.registerClusterIssuer(cluster.name, read.issuerUrl);
      return;
    }
    const created = new AksCluster(stack, plan.logicalId, {
      name: cluster.name,
      resourceGroup: stack.resourceGroup(plan.resourceGroup),
      location: plan.location,
      dnsPrefix: plan.dnsPrefix,
      kubernetesVersion: plan.kubernetesVersion,
      vmSize: plan.vmSize,
      nodeCount: plan.nodeCount,
      tags: plan.tags,
    });
    stack.registerClusterIssuer(cluster.name, created.issuerUrl);
  },

  // AKS runs its own managed webhook once workload identity is enabled: installing the chart as well conflicts.
  addKubernetesObjects() {},

  clusterFiles(cluster) {
    const plan = cluster.aks;
    return plan?.kind === 'existing' ? new Map([[AKS_ENABLE_SCRIPT, aksEnableScript(address(plan), cluster.name)]]) : new Map();
  },

  // the issuer is in Terraform (an AKS resource or data source) or in the fleet only: no file of OUT states it
  issuerStatements() {
    return [];
  },
};

function address(plan: { subscriptionId: string; resourceGroup: string; azureName: string }): AksAddress {
  return { subscriptionId: plan.subscriptionId, resourceGroup: plan.resourceGroup, name: plan.azureName };
}
