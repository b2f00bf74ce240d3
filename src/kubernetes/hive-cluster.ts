import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ClusterDeployment, ClusterDeploymentSpecPlatformAzureCloudName } from '../../imports/hive-clusterdeployments-hive.openshift.io';
import { ClusterImageSet } from '../../imports/hive-clusterimagesets-hive.openshift.io';
import { MachinePool } from '../../imports/hive-machinepools-hive.openshift.io';
import type { OpenShiftHivePlan } from '../model/fleet-plan';
import { embeddedYaml } from '../core/yaml';
import { type KeyVaultEnvironment, KeyVaultExternalSecrets } from './external-secrets';
import { HIVE_SECRETS, type HiveSecretRole } from './hive-secret-files';
import { installConfigNameProblem } from '../openshift/install-config-rules';
import { INSTALL_CONFIG_KEY, installConfig } from './install-config';

/** Properties of a `HiveCluster`. */
export interface HiveClusterProps {
  /** Name of the cluster: of its ClusterDeployment, and `metadata.name` of its install-config. */
  readonly cluster: string;
  /** The planned OpenShift cluster: install-config values, image set, machines, Secret names and where the secrets come from. */
  readonly plan: OpenShiftHivePlan;
  /** Extra manifests for the installer, file name to content: one key each in the manifests Secret. */
  readonly manifests: ReadonlyMap<string, string>;
}

/** Installer cloud name to ESO's name of the same cloud; the public cloud is ESO's default. */
const KEY_VAULT_ENVIRONMENTS: Readonly<Record<string, KeyVaultEnvironment | undefined>> = {
  AzurePublicCloud: undefined,
  AzureUSGovernmentCloud: 'USGovernmentCloud',
  AzureChinaCloud: 'ChinaCloud',
};

/** Keys of Secret data, as the API server accepts them. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

const ROLES = Object.keys(HIVE_SECRETS) as HiveSecretRole[];

/**
 * The hub-side objects (`hive.openshift.io/v1`, core Secrets, ESO) with which Hive installs an OpenShift cluster on Azure: its ClusterImageSet,
 * ClusterDeployment and worker MachinePool, the install-config and manifests Secrets (which hold no
 * secret value), and, with `secrets.mode: externalSecrets`, the ESO objects that fetch the other
 * three Secrets from Key Vault. With `files` those three are written apart (`hiveSecretFiles`).
 * Not the Namespace: the chart emits namespaces.
 * Use it on a Hive hub cluster to install an OpenShift cluster whose operators use workload identity.
 */
export class HiveCluster extends Construct {
  /** Name of the cluster (of its ClusterDeployment). */
  public readonly cluster: string;
  /** Hub namespace of its objects. */
  public readonly namespace: string;

  protected readonly imageSet: ClusterImageSet;
  protected readonly clusterDeployment: ClusterDeployment;
  protected readonly machinePool: MachinePool;
  protected readonly installConfigSecret: k8s.KubeSecret;
  protected readonly manifestsSecret: k8s.KubeSecret;
  protected readonly externalSecrets?: KeyVaultExternalSecrets;

  constructor(scope: Construct, id: string, props: HiveClusterProps) {
    super(scope, id);
    const { cluster, plan } = props;
    const { namespace, secretNames } = plan;
    this.cluster = cluster;
    this.namespace = namespace;

    // the clouds both Hive and ESO know
    const cloudName = Object.values(ClusterDeploymentSpecPlatformAzureCloudName).find(
      (c) => c === plan.cloudName && Object.hasOwn(KEY_VAULT_ENVIRONMENTS, c),
    );
    this.node.addValidation({
      validate: () => {
        const problems: string[] = [];
        const nameProblem = installConfigNameProblem(cluster);
        if (nameProblem !== undefined) problems.push(nameProblem);
        if (cloudName === undefined) problems.push(`cloud name '${plan.cloudName}' is not one of ${Object.keys(KEY_VAULT_ENVIRONMENTS).join(', ')}`);
        for (const file of props.manifests.keys()) {
          if (!SECRET_KEY.test(file)) problems.push(`manifest file name '${file}' is not a valid Secret key (letters, digits, '-', '_', '.')`);
        }
        return problems.map((p) => `hive cluster ${cluster}: ${p}`);
      },
    });

    this.imageSet = new ClusterImageSet(this, 'ClusterImageSet', {
      metadata: { name: plan.imageSetName },
      spec: { releaseImage: plan.releaseImage },
    });

    this.clusterDeployment = new ClusterDeployment(this, 'ClusterDeployment', {
      metadata: { name: cluster, namespace },
      spec: {
        baseDomain: plan.baseDomain,
        clusterName: cluster,
        platform: {
          azure: {
            credentialsSecretRef: { name: secretNames.installerCredentials },
            region: plan.region,
            baseDomainResourceGroupName: plan.baseDomainResourceGroup,
            cloudName,
          },
        },
        provisioning: {
          installConfigSecretRef: { name: secretNames.installConfig },
          imageSetRef: { name: plan.imageSetName },
          manifestsSecretRef: { name: secretNames.manifests },
        },
        pullSecretRef: { name: secretNames.pullSecret },
        boundServiceAccountSigningKeySecretRef: { name: secretNames.signingKey },
        // a retry deletes and recreates the installation resource group, and with it ccoctl's role assignments
        installAttemptsLimit: 1,
        installed: false,
      },
    });

    this.machinePool = new MachinePool(this, 'MachinePool', {
      // Hive requires `<clusterDeploymentRef.name>-<spec.name>`
      metadata: { name: `${cluster}-worker`, namespace },
      spec: {
        clusterDeploymentRef: { name: cluster },
        name: 'worker',
        replicas: plan.compute.replicas,
        platform: {
          azure: {
            type: plan.compute.vmSize,
            osDisk: { diskSizeGb: plan.compute.osDiskSizeGB },
            // openshift/hive apis/hive/v1/azure/machinepool.go: the network group is ignored without virtualNetwork,
            // and without them Hive's workers go to the default `<infraID>-vnet` / `<infraID>-worker-subnet`
            ...(plan.virtualNetwork !== undefined
              ? { networkResourceGroupName: plan.networkResourceGroup, virtualNetwork: plan.virtualNetwork, computeSubnet: plan.computeSubnet }
              : {}),
          },
        },
      },
    });

    this.installConfigSecret = new k8s.KubeSecret(this, 'InstallConfig', {
      metadata: { name: secretNames.installConfig, namespace },
      stringData: { [INSTALL_CONFIG_KEY]: embeddedYaml(installConfig(cluster, plan)) },
    });
    this.manifestsSecret = new k8s.KubeSecret(this, 'Manifests', {
      metadata: { name: secretNames.manifests, namespace },
      stringData: Object.fromEntries(props.manifests),
    });

    const secrets = plan.secrets;
    if (secrets.mode === 'externalSecrets') {
      this.externalSecrets = new KeyVaultExternalSecrets(this, 'ExternalSecrets', {
        namespace,
        storeName: secrets.storeName,
        keyVaultUrl: secrets.keyVaultUrl,
        serviceAccount: {
          name: secrets.serviceAccount.name,
          clientId: secrets.serviceAccount.clientId.value,
          tenantId: secrets.serviceAccount.tenantId,
        },
        environmentType: cloudName !== undefined ? KEY_VAULT_ENVIRONMENTS[cloudName] : undefined,
        secrets: ROLES.map((role) => ({
          name: secretNames[role],
          key: HIVE_SECRETS[role].key,
          remoteKey: secrets.remoteKeys[role],
          type: HIVE_SECRETS[role].type,
        })),
      });
    }
  }
}
