/**
 * The Azure constructs of wisynth as a library (`wisynth/azure`): cdktf L2 constructs over
 * `@cdktf/provider-azurerm` (and `@cdktf/provider-azuread` for Entra applications) that work in any
 * `TerraformStack`, with or without a wisynth fleet. The stack needs the providers of its own. Every string a construct is given reaches Terraform
 * as that literal text (`${` and `%{` escaped); cdktf tokens (references to other resources) stay references.
 *
 * FleetStack and the literal-escaping helpers are wisynth's internals and not exported here.
 */
export { AzureResourceGroup, type AzureResourceGroupProps, type ExistingAzureResourceGroupProps, type IResourceGroup } from './resource-group';
export { Identity, type IdentityProps, type ExistingIdentityProps, type IIdentity } from './identity';
export { FederatedCredential, type FederatedCredentialProps } from './federated-credential';
export {
  AzureEntraApplication,
  type AzureEntraApplicationProps,
  type ExistingEntraApplicationProps,
  type IEntraApplication,
  ApplicationFederatedCredential,
  type ApplicationFederatedCredentialProps,
} from './entra-application';
export { RoleAssignment, type RoleAssignmentProps } from './role-assignment';
export { CustomRole, type CustomRoleProps } from './custom-role';
export { AzureKeyVault, type AzureKeyVaultProps, type ExistingAzureKeyVaultProps, type IKeyVault } from './key-vault';
export { OidcIssuerStorage, type OidcIssuerStorageProps } from './oidc-issuer-storage';
export { AzureAksCluster, type AzureAksClusterProps, AksClusterRead, type AksClusterReadProps } from './aks-cluster';
export { type ResourceTags } from './tags';
export { type IssuerHosting } from '../model/fleet-plan';
