import { OUTPUT_NAMES } from '../../core/names';
import { VALUE_RULES } from '../../core/values';
import type { PlanContext } from '../../model/plan-context';
import type { PlatformPlan } from '../../model/platform-model';
import { planPreviousIssuers } from '../../model/previous-issuers';
import { AksCluster, ExistingAksCluster } from './cluster';

/**
 * An AKS cluster's issuer and Azure part: a new cluster's (an output after apply), an existing one's read
 * by Terraform from group and name, or one given as its issuer URL (no Azure part).
 */
export function planAks(c: AksCluster | ExistingAksCluster, ctx: PlanContext): PlatformPlan {
  const planned = planAksParts(c, ctx);
  return { ...planned, previousIssuers: planPreviousIssuers(c, ctx, ['previousIssuers'], planned.issuer) };
}

function planAksParts(c: AksCluster | ExistingAksCluster, ctx: PlanContext): PlatformPlan {
  // where the cluster is in Azure and in Terraform, for a new or an existing one
  const located = (group: string, azureName: string) => ({
    resourceGroup: group,
    logicalId: ctx.logicalId('aks', c.clusterName),
    armId: ctx.armId(group, `Microsoft.ContainerService/managedClusters/${azureName}`),
  });
  if (c instanceof ExistingAksCluster) {
    const group = c.resourceGroup;
    if (group === undefined) {
      const issuerUrl = c.issuerUrl ?? '';
      ctx.checkValue(c, ['aks', 'existing', 'issuerUrl'], 'issuerUrl', issuerUrl, `copy it byte for byte from \`az aks show -g <group> -n ${c.azureName} --query oidcIssuerProfile.issuerUrl -o tsv\` (it is ${VALUE_RULES.issuerUrl.rule}), or give aks.existing.resourceGroup instead and Terraform reads it from the cluster`);
      return { issuer: { value: issuerUrl, pending: false }, part: { platform: 'aks' } };
    }
    ctx.checkName(c, ['aks', 'existing', 'name'], 'aksCluster', c.azureName);
    ctx.checkDeclared(c, ['aks', 'existing', 'resourceGroup'], group);
    return {
      issuer: ctx.afterApply(OUTPUT_NAMES.aksIssuer(c.clusterName)),
      part: {
        platform: 'aks',
        aks: {
          kind: 'existing',
          ...located(group.groupName, c.azureName),
          azureName: c.azureName,
          subscriptionId: ctx.subscriptionId,
        },
      },
    };
  }
  ctx.checkName(c, ['name'], 'aksCluster', c.clusterName);
  ctx.checkName(c, ['aks', 'dnsPrefix'], 'dnsPrefix', c.dnsPrefix);
  ctx.checkDeclared(c, ['aks', 'resourceGroup'], c.resourceGroup);
  if (c.location !== c.resourceGroup.location) ctx.checkValue(c, ['aks', 'location'], 'region', c.location);
  if (c.kubernetesVersion !== undefined) ctx.checkValue(c, ['aks', 'kubernetesVersion'], 'kubernetesVersion', c.kubernetesVersion);
  ctx.checkValue(c, ['aks', 'nodePool', 'vmSize'], 'vmSize', c.nodePool.vmSize);
  if (!Number.isInteger(c.nodePool.nodeCount) || c.nodePool.nodeCount < 1 || c.nodePool.nodeCount > 1000) {
    ctx.issue(c, ['aks', 'nodePool', 'nodeCount'], `nodeCount ${c.nodePool.nodeCount} is outside 1-1000`, 'use a whole number of nodes from 1 to 1000');
  }
  return {
    issuer: ctx.afterApply(OUTPUT_NAMES.aksIssuer(c.clusterName)),
    part: {
      platform: 'aks',
      aks: {
        kind: 'new',
        ...located(c.resourceGroup.groupName, c.clusterName),
        location: c.location,
        dnsPrefix: c.dnsPrefix,
        kubernetesVersion: c.kubernetesVersion,
        vmSize: c.nodePool.vmSize,
        nodeCount: c.nodePool.nodeCount,
        tags: ctx.resourceTags(c, `AKS cluster ${c.clusterName}`, [c]),
      },
    },
  };
}
