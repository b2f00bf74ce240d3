import type { OpenShiftHivePlan } from '../model/fleet-plan';

/** Hive's key of the install-config in the Secret that `provisioning.installConfigSecretRef` names. */
export const INSTALL_CONFIG_KEY = 'install-config.yaml';

/** The installer's limit on an Azure cluster name. */
const MAX_NAME_LENGTH = 54;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Azure refuses resource names with these reserved words, and the installer names resources after the cluster. */
const RESERVED_WORDS = ['microsoft', 'windows'];

/**
 * Why the installer would refuse `name` as an Azure cluster's `metadata.name`, or undefined when it
 * would accept it.
 */
export function installConfigNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `cluster name '${name}' is ${name.length} characters long; the installer allows at most ${MAX_NAME_LENGTH} on Azure`;
  if (!DNS_LABEL.test(name)) {
    return `cluster name '${name}' must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit`;
  }
  const reserved = RESERVED_WORDS.find((word) => name.includes(word));
  if (reserved !== undefined) return `cluster name '${name}' must not contain the word '${reserved}', which Azure reserves`;
  if (name.startsWith('login')) return `cluster name '${name}' must not start with 'login', which Azure reserves`;
  return undefined;
}

/**
 * The install-config of an OpenShift cluster on Azure, for Hive to hand to the installer.
 * `credentialsMode: Manual`: the operators' identities come from ccoctl's resources, not from a
 * minted service principal. No pullSecret and no sshKey: Hive injects the pull secret from
 * `pullSecretRef`, and this document sits in a Secret that holds no secret value.
 */
export function installConfig(cluster: string, plan: OpenShiftHivePlan): object {
  const machine = (m: OpenShiftHivePlan['controlPlane']) => ({ azure: { type: m.vmSize, osDisk: { diskSizeGB: m.osDiskSizeGB } } });
  return {
    apiVersion: 'v1',
    metadata: { name: cluster },
    baseDomain: plan.baseDomain,
    credentialsMode: 'Manual',
    controlPlane: { name: 'master', replicas: plan.controlPlane.replicas, platform: machine(plan.controlPlane) },
    compute: [{ name: 'worker', replicas: plan.compute.replicas, platform: machine(plan.compute) }],
    networking: {
      clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      machineNetwork: [{ cidr: '10.0.0.0/16' }],
      serviceNetwork: ['172.30.0.0/16'],
      networkType: 'OVNKubernetes',
    },
    platform: {
      azure: {
        region: plan.region,
        baseDomainResourceGroupName: plan.baseDomainResourceGroup,
        // ccoctl's resource group, created empty: the installer requires it so
        resourceGroupName: plan.installationResourceGroup,
        cloudName: plan.cloudName,
        ...(plan.networkResourceGroup !== undefined ? { networkResourceGroupName: plan.networkResourceGroup } : {}),
      },
    },
    publish: 'External',
  };
}
