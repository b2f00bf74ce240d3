/**
 * wisynth's public API: the fleet constructs (what a YAML fleet file can say, said in code),
 * the plan that resolves them, and the synthesizer that writes OUT.
 */
export * from './model/constants';
export { Fleet, FleetProps, AzureSettings, TerraformSettings, BackendSettings, LocalBackendSettings, AzurermBackendSettings } from './model/fleet';
export { ResourceGroup, ResourceGroupProps } from './model/resource-group';
export { ManagedIdentity, ManagedIdentityProps, ExistingIdentityProps, RoleGrant, RoleScope } from './model/managed-identity';
export { KeyVault, KeyVaultProps } from './model/key-vault';
export { Cluster, PlatformName } from './model/cluster';
export { AksCluster, AksClusterProps, AksNodePool, ExistingAksCluster, ExistingAksClusterProps } from './model/aks-cluster';
export { Workload, WorkloadProps, VerificationProps } from './model/workload';
export { FleetError, FleetIssue } from './model/issues';
export * from './model/fleet-plan';
export { planFleet, PlanOptions } from './model/plan';
export { loadFleetFile, parseFleet } from './model/load';
export { synthesizeFleet, SynthOptions, SynthSummary } from './output/synthesize';
export { readTerraformOutputs } from './output/terraform-outputs';
