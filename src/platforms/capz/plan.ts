import { CapzManagementCluster } from './cluster';
import { CAPZ_ETCD_DISK_GB_DEFAULT, CAPZ_OS_DISK_GB_DEFAULT, CAPZ_VM_SIZE_DEFAULT } from '../../model/constants';
import type { CapzMachinePlan, CapzPlan } from '../../model/fleet-plan';
import type { PlanContext } from '../../model/plan-context';
import type { PlatformPlan } from '../../model/platform-model';
import { planHostedIssuer } from '../self-managed/plan';

/** The service accounts of a CAPZ management cluster that federate into CAPZ's identity. */
function capzServiceAccounts(c: CapzManagementCluster): string[] {
  return [c.capz.managerServiceAccount, c.capz.serviceOperatorServiceAccount];
}

/**
 * A CAPZ management cluster: its hosted issuer (it is self-managed), CAPZ's identity with the FICs of its
 * controllers, the AzureClusterIdentity and the workload clusters.
 */
export function planCapz(c: CapzManagementCluster, ctx: PlanContext): PlatformPlan {
  const { issuer, selfManaged, federatedPreviousIssuers } = planHostedIssuer(c, ctx, 'selfManaged');
  const { capz } = c;
  const ci = capz.clusterIdentity;
  ctx.checkName(c, ['capz', 'namespace'], 'namespace', capz.namespace);
  capzServiceAccounts(c).forEach((sa, i) =>
    ctx.checkName(c, ['capz', i === 0 ? 'managerServiceAccount' : 'serviceOperatorServiceAccount'], 'serviceAccount', sa),
  );
  ctx.checkName(c, ['capz', 'clusterIdentity', 'name'], 'objectName', ci.name);
  ctx.checkName(c, ['capz', 'clusterIdentity', 'namespace'], 'namespace', ci.namespace);
  ctx.checkValue(c, ['capz', 'role'], 'roleName', capz.role, 'leave it out for Contributor, or name a narrower built-in role');
  const identityKnown = ctx.checkIdentity(c, ['capz', 'identity'], capz.identity);

  const seen = new Map<string, string>();
  const workloadClusters = c.workloadClusters.map((w) => {
    const field = (...rest: string[]) => rest;
    const p = w.props;
    const namespace = p.namespace ?? 'default';
    ctx.checkName(w, field('name'), 'clusterName', w.clusterName);
    ctx.checkName(w, field('namespace'), 'namespace', namespace);
    const key = `${namespace}/${w.clusterName}`;
    if (seen.has(key)) ctx.issue(w, field('name'), `workload cluster ${key} is declared twice`, 'give each workload cluster its own name');
    seen.set(key, w.clusterName);
    const resourceGroup = p.resourceGroup ?? w.clusterName;
    ctx.checkName(w, field('resourceGroup'), 'resourceGroup', resourceGroup);
    if (p.location !== undefined) ctx.checkValue(w, field('location'), 'region', p.location);
    if (ctx.checkIdentity(w, field('nodeIdentity'), p.nodeIdentity) && p.nodeIdentity === capz.identity) {
      ctx.issue(w, field('nodeIdentity'), `node identity "${p.nodeIdentity.identityName}" is CAPZ's own identity`, 'give the machines an identity of their own: they must not hold the rights CAPZ has');
    }
    ctx.checkValue(w, field('nodeIdentityRole'), 'roleName', w.nodeIdentityRole, 'leave it out for Contributor, or name a narrower built-in role');
    if (w.nodeIdentityScopes.length === 0) {
      ctx.warn(
        `node identity "${p.nodeIdentity.identityName}" of CAPZ workload cluster ${w.clusterName} gets no role (nodeIdentityScopes is empty): the cloud provider on its machines (load balancers, routes, disks) will fail unless it is given ${w.nodeIdentityRole} on the resource group ${resourceGroup} or the subscription outside this fleet`,
      );
    }
    const machine = (name: string, m: { vmSize?: string; osDiskSizeGB?: number } | undefined, part: string): CapzMachinePlan => {
      const osDiskSizeGB = m?.osDiskSizeGB ?? CAPZ_OS_DISK_GB_DEFAULT;
      if (!Number.isInteger(osDiskSizeGB) || osDiskSizeGB < 30 || osDiskSizeGB > 4095) {
        ctx.issue(w, field(part, 'osDiskSizeGB'), `osDiskSizeGB ${osDiskSizeGB} is outside 30-4095`, 'use whole GB from 30 to 4095');
      }
      if (m?.vmSize !== undefined) ctx.checkValue(w, field(part, 'vmSize'), 'vmSize', m.vmSize);
      return { name, vmSize: m?.vmSize ?? CAPZ_VM_SIZE_DEFAULT, osDiskSizeGB };
    };
    return {
      name: w.clusterName,
      namespace,
      location: p.location ?? ctx.location,
      resourceGroup,
      subscriptionId: ctx.subscriptionId,
      azureEnvironment: ctx.endpoints.environmentName,
      nodeIdentity: p.nodeIdentity.identityName,
      nodeIdentityProviderId: `azure://${ctx.identityArmId(p.nodeIdentity)}`,
      controlPlane: {
        ...machine(`${w.clusterName}-control-plane`, p.controlPlane, 'controlPlane'),
        etcdDiskSizeGB: p.controlPlane?.etcdDiskSizeGB ?? CAPZ_ETCD_DISK_GB_DEFAULT,
      },
      workers: machine(`${w.clusterName}-md-0`, p.workers, 'workers'),
    };
  });

  const allowed = ci.allowedNamespaces ?? [...new Set(workloadClusters.map((w) => w.namespace))].sort();
  if (allowed !== 'all') {
    allowed.forEach((ns, i) => ctx.checkName(c, ['capz', 'clusterIdentity', 'allowedNamespaces', i], 'namespace', ns));
    workloadClusters.forEach((w, index) => {
      if (!allowed.includes(w.namespace)) {
        ctx.issue(c.workloadClusters[index], ['namespace'], `namespace "${w.namespace}" of workload cluster ${w.name} is not in clusterIdentity.allowedNamespaces`, `add "${w.namespace}" to capz.clusterIdentity.allowedNamespaces, or leave allowedNamespaces out`);
      }
    });
  }
  const where = `kubernetes/${c.clusterName}: AzureClusterIdentity ${ci.namespace}/${ci.name} clientID`;
  const plan: CapzPlan = {
    identity: capz.identity.identityName,
    clientId: identityKnown ? ctx.clientIdOf(capz.identity, where) : { value: '', pending: false },
    tenantId: ctx.tenantId,
    namespace: capz.namespace,
    serviceAccounts: capzServiceAccounts(c),
    clusterIdentity: { name: ci.name, namespace: ci.namespace, allowedNamespaces: allowed },
    workloadClusters,
  };
  return {
    issuer,
    previousIssuers: federatedPreviousIssuers,
    part: { platform: 'capz', selfManaged, capz: plan },
    serviceAccounts: identityKnown ? plan.serviceAccounts.map((name) => ({ identity: capz.identity, namespace: capz.namespace, name })) : [],
  };
}
