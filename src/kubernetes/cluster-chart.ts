import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterPlan } from '../model/fleet-plan';
import { Namespace } from './namespace';
import { WorkloadIdentityServiceAccount } from './service-account';
import { VerificationDeployment } from './verification';

/** What a platform adds to a cluster's chart: the objects only it needs (platforms/ implement it). */
export interface KubernetesSide<C extends ClusterPlan = ClusterPlan> {
  addKubernetesObjects(chart: Construct, cluster: C): void;
}

/** Properties of a `ClusterChart`. */
export interface ClusterChartProps {
  /** The planned cluster: its namespaces, service accounts and verification pods. */
  readonly cluster: ClusterPlan;
  /** The cluster's platform, which adds the objects only it needs. */
  readonly platform: KubernetesSide;
}

/** Every Kubernetes object of one cluster of the fleet. */
export class ClusterChart extends Chart {
  constructor(scope: Construct, id: string, props: ClusterChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { cluster, platform } = props;

    for (const name of cluster.namespaces) {
      new Namespace(this, `Namespace:${name}`, { name });
    }
    for (const sa of cluster.serviceAccounts) {
      new WorkloadIdentityServiceAccount(this, `ServiceAccount:${sa.namespace}:${sa.name}`, {
        namespace: sa.namespace,
        name: sa.name,
        clientId: sa.clientId.value,
        tenantId: sa.tenantId,
        tokenExpirationSeconds: sa.tokenExpirationSeconds,
      });
    }
    for (const verification of cluster.verifications) {
      new VerificationDeployment(this, `Verification:${verification.namespace}:${verification.name}`, {
        namespace: verification.namespace,
        name: verification.name,
        serviceAccountName: verification.serviceAccount,
        image: verification.image,
        keyVaultUrl: verification.keyVaultUrl,
        secretName: verification.secretName,
      });
    }
    this.node.addValidation({ validate: () => unfederatedVerifications(cluster) });

    platform.addKubernetesObjects(this, cluster);
  }
}

/** A verification pod whose service account carries no identity could never reach the vault. */
function unfederatedVerifications(cluster: ClusterPlan): string[] {
  const federated = new Set(cluster.serviceAccounts.map((sa) => `${sa.namespace}/${sa.name}`));
  return cluster.verifications
    .filter((v) => !federated.has(`${v.namespace}/${v.serviceAccount}`))
    .map(
      (v) =>
        `verification ${v.namespace}/${v.name} runs as service account ${v.namespace}/${v.serviceAccount}, which has no Azure identity in cluster ${cluster.name}`,
    );
}
