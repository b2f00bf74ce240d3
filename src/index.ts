/**
 * wisynth's public API: the fleet constructs (what a YAML fleet file can say, said in code),
 * the plan that resolves them, and the synthesizer that writes OUT.
 */
export * from './model/constants';
export { Fleet } from './model/fleet';
export type { FleetProps, AzureSettings, TerraformSettings, BackendSettings, LocalBackendSettings, AzurermBackendSettings } from './model/fleet';
export { ResourceGroup } from './model/resource-group';
export type { ExistingResourceGroupProps, IResourceGroup, ResourceGroupProps } from './model/resource-group';
export { ManagedIdentity } from './model/managed-identity';
export type { ManagedIdentityProps, ExistingIdentityProps, IManagedIdentity, IWorkloadIdentity, RoleGrant, RoleScope } from './model/managed-identity';
export { EntraApplication } from './model/entra-application';
export type { EntraApplicationProps, ExistingApplicationProps } from './model/entra-application';
export { KeyVault } from './model/key-vault';
export type { ExistingKeyVaultProps, IKeyVault, KeyVaultProps } from './model/key-vault';
export { Cluster } from './model/cluster';
export type { ICluster } from './model/cluster';
export { AksCluster, ExistingAksCluster } from './platforms/aks/cluster';
export type { AksClusterProps, AksNodePool, ExistingAksClusterInGroupProps, ExistingAksClusterProps } from './platforms/aks/cluster';
export { SelfManagedCluster } from './platforms/self-managed/cluster';
export { ExternalIssuerCluster } from './platforms/external-issuer/cluster';
export type { ExternalIssuerClusterProps } from './platforms/external-issuer/cluster';
export type { SelfManagedClusterProps, OidcIssuerProps, ServiceAccountKeysProps } from './platforms/self-managed/cluster';
export { CapzManagementCluster, CapzWorkloadCluster } from './platforms/capz/cluster';
export type {
  CapzManagementClusterProps,
  CapzProps,
  CapzClusterIdentityProps,
  CapzWorkloadClusterProps,
  CapzMachineProps,
  AllowedNamespaces,
} from './platforms/capz/cluster';
export { OpenShiftHiveCluster } from './platforms/openshift-hive/cluster';
export type { OpenShiftHiveClusterProps, OpenShiftMachinesProps, HiveSecretsProps, CcoctlAdoption, AdoptedRoleAssignment } from './platforms/openshift-hive/cluster';
export { Workload } from './model/workload';
export type { WorkloadProps, VerificationProps } from './model/workload';
export { FleetError } from './model/issues';
export type { FleetIssue } from './model/issues';
export type * from './model/fleet-plan';
export { loadFleetFile, parseFleet, PLATFORMS } from './platforms';
export type { Platform } from './platforms/platform';
export type { PlanOptions } from './model/plan';
export { FleetApp, synthesizeFleet } from './output/synthesize';
export type { FleetAppOptions, SynthOptions, SynthResult } from './output/synthesize';
export type { SynthSummary, ClusterSummary } from './core/summary';
export { readTerraformOutputs } from './output/terraform-outputs';
export { loadPlanInputs, planFleet } from './output/plan-inputs';
export { parsePublicKey, readPublicKeyFile, generateSigningKeyPair } from './oidc/keys';
export type { PublicSigningKey } from './oidc/keys';
export { buildJwks, jwksJson, keyId } from './oidc/jwks';
export { discoveryDocument, discoveryJson, jwksUri } from './oidc/discovery';
