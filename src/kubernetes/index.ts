/**
 * The Kubernetes constructs of wisynth as a library (`wisynth/kubernetes`): cdk8s constructs that
 * work in any cdk8s `Chart`, with or without a wisynth fleet.
 *
 * The fleet's chart (ClusterChart), its file layout (render.ts) and the CAPZ template, ccoctl and Hive
 * secret-file helpers are wisynth's internals and not exported here.
 */
export { Namespace, type NamespaceProps } from './namespace';
export { WorkloadIdentityServiceAccount, type WorkloadIdentityServiceAccountProps } from './service-account';
export { VerificationDeployment, type VerificationDeploymentProps } from './verification';
export {
  WorkloadIdentityWebhook,
  type WorkloadIdentityWebhookProps,
  webhookHelmValues,
  WEBHOOK_CHART,
  WEBHOOK_CHART_REPOSITORY_URL,
  WEBHOOK_CHART_VERSION_DEFAULT,
  WEBHOOK_NAMESPACE_DEFAULT,
} from './webhook';
export {
  KeyVaultExternalSecrets,
  type KeyVaultExternalSecretsProps,
  type KeyVaultSecret,
  type KeyVaultEnvironment,
} from './external-secrets';
export { CapzClusterIdentity, type CapzClusterIdentityProps } from './capz-cluster-identity';
export { CapzWorkloadClusterInfrastructure, type CapzWorkloadClusterInfrastructureProps } from './capz-workload-cluster';
export { HiveCluster, type HiveClusterProps } from './hive-cluster';
export type { CapzMachinePlan, CapzWorkloadClusterPlan, HiveSecretsPlan, OpenShiftHivePlan } from '../model/fleet-plan';
