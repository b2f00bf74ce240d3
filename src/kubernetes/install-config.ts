import type { OpenShiftHivePlan } from '../model/fleet-plan';
import { OPENSHIFT_NETWORKING_DEFAULT } from '../openshift/install-config-rules';

/** Hive's key of the install-config in the Secret that `provisioning.installConfigSecretRef` names. */
export const INSTALL_CONFIG_KEY = 'install-config.yaml';

/**
 * The install-config of an OpenShift cluster on Azure, for Hive to hand to the installer.
 * `credentialsMode: Manual`: the operators' identities come from ccoctl's resources, not from a
 * minted service principal. No pullSecret: Hive injects it from `pullSecretRef`, and this document
 * sits in a Secret that holds no secret value (an sshKey, when given, is a public key).
 */
export function installConfig(cluster: string, plan: OpenShiftHivePlan): object {
  const networking = plan.networking ?? OPENSHIFT_NETWORKING_DEFAULT;
  const machine = (m: OpenShiftHivePlan['controlPlane']) => ({ azure: { type: m.vmSize, osDisk: { diskSizeGB: m.osDiskSizeGB } } });
  return {
    apiVersion: 'v1',
    metadata: { name: cluster },
    baseDomain: plan.baseDomain,
    credentialsMode: 'Manual',
    ...(plan.featureSet !== undefined ? { featureSet: plan.featureSet } : {}),
    controlPlane: { name: 'master', replicas: plan.controlPlane.replicas, platform: machine(plan.controlPlane) },
    compute: [{ name: 'worker', replicas: plan.compute.replicas, platform: machine(plan.compute) }],
    networking: {
      clusterNetwork: networking.clusterNetwork.map(({ cidr, hostPrefix }) => ({ cidr, hostPrefix })),
      machineNetwork: networking.machineNetwork.map(({ cidr }) => ({ cidr })),
      serviceNetwork: [...networking.serviceNetwork],
      networkType: networking.networkType,
    },
    platform: {
      azure: {
        region: plan.region,
        baseDomainResourceGroupName: plan.baseDomainResourceGroup,
        // ccoctl's resource group, created empty: the installer requires it so
        resourceGroupName: plan.installationResourceGroup,
        cloudName: plan.cloudName,
        ...(plan.networkResourceGroup !== undefined ? { networkResourceGroupName: plan.networkResourceGroup } : {}),
        ...(plan.virtualNetwork !== undefined ? { virtualNetwork: plan.virtualNetwork } : {}),
        ...(plan.controlPlaneSubnet !== undefined ? { controlPlaneSubnet: plan.controlPlaneSubnet } : {}),
        ...(plan.computeSubnet !== undefined ? { computeSubnet: plan.computeSubnet } : {}),
      },
    },
    publish: plan.publish ?? 'External',
    ...(plan.sshKey !== undefined ? { sshKey: plan.sshKey } : {}),
  };
}

