import { AzureAksCluster, AksClusterRead } from '../../azure/aks-cluster';
import { AKS_ENABLE_SCRIPT, AksAddress, aksEnableScript, aksUpdateCommand } from './commands';
import type { ClusterPlanOf } from '../../model/fleet-plan';
import { Platform } from '../platform';
import type { ClusterDocumentOf } from '../../model/platform-model';
import type { AksCluster, ExistingAksCluster } from './cluster';
import { loadAksCluster } from './load';
import { planAks } from './plan';

/**
 * AKS: a new cluster is created with its managed OIDC issuer, whose URL only Terraform knows; an
 * existing one known by group and name is read by Terraform for its issuer (and gets the script that
 * turns the features on); one known by its issuer URL adds nothing.
 */
export const aks: Platform<AksCluster | ExistingAksCluster, ClusterPlanOf<'aks'>, ClusterDocumentOf<'aks'>> = {
  name: 'aks',
  load: loadAksCluster,
  plan: planAks,

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
    const created = new AzureAksCluster(stack, plan.logicalId, {
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
    return plan?.kind === 'existing' ? new Map([[AKS_ENABLE_SCRIPT, { text: aksEnableScript(address(plan), cluster.name) }]]) : new Map();
  },

  // the issuer is in Terraform (an AKS resource or data source) or in the fleet only: no file of OUT states it
  // A cluster states its issuer in its Terraform resource, or in Terraform's read of an existing one; one known by its issuer URL, in the fleet alone.
  // The cluster in Azure is named for `check --aks-show` (unknown group for one known by its issuer URL alone).
  summary(cluster, { subscriptionId, stackFile }) {
    const plan = cluster.aks;
    const aks = plan === undefined ? { name: cluster.name, subscriptionId } : { name: plan.kind === 'existing' ? plan.azureName : cluster.name, resourceGroup: plan.resourceGroup, subscriptionId };
    const issuerStatedIn = aks.resourceGroup !== undefined ? [{ file: stackFile, form: 'aks-cluster' as const, name: aks.name }] : [];
    return { issuerStatedIn, webhook: { managed: true }, aks };
  },
};

function address(plan: { subscriptionId: string; resourceGroup: string; azureName: string }): AksAddress {
  return { subscriptionId: plan.subscriptionId, resourceGroup: plan.resourceGroup, name: plan.azureName };
}
