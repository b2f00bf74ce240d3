/** Every string shared by Entra, the webhook and the API server, in one place. */

/** Audience requested by pods mutated by the azure-workload-identity webhook. */
export const WEBHOOK_AUDIENCE = 'api://AzureADTokenExchange';

/** Entra's limit of federated identity credentials on one user-assigned identity. */
export const MAX_FICS_PER_IDENTITY = 20;

/**
 * Fleets with more clusters get one Terraform stack per cluster plus a shared one (unless the fleet
 * says otherwise). About 10 resources a cluster: above 20 clusters one state passes 200 resources,
 * and every plan refreshes them all, one apply at a time (see README, "Stacks at fleet scale").
 */
export const PER_CLUSTER_STACKS_ABOVE = 20;

export const ANNOTATION_CLIENT_ID = 'azure.workload.identity/client-id';
export const ANNOTATION_TENANT_ID = 'azure.workload.identity/tenant-id';
export const ANNOTATION_TOKEN_EXPIRATION = 'azure.workload.identity/service-account-token-expiration';
/** Pod label the webhook selects on (on the pod, not the service account). */
export const LABEL_USE = 'azure.workload.identity/use';

/** Token expiration bounds of the webhook, in seconds. */
export const TOKEN_EXPIRATION_DEFAULT = 3600;
export const TOKEN_EXPIRATION_MIN = 3600;
export const TOKEN_EXPIRATION_MAX = 86400;

/** The azwi quick-start image that reads a Key Vault secret with the injected identity (upstream publishes it as `latest`). */
export const VERIFY_IMAGE_DEFAULT = 'ghcr.io/azure/azure-workload-identity/msal-go:latest';

export const ROLE_KEY_VAULT_SECRETS_USER = 'Key Vault Secrets User';
export const ROLE_KEY_VAULT_SECRETS_OFFICER = 'Key Vault Secrets Officer';

/** Marks a value that exists only after `terraform apply`; followed by the Terraform output name. */
export const PLACEHOLDER_PREFIX = 'WISYNTH_PENDING:';
export const PLACEHOLDER_PATTERN = /WISYNTH_PENDING:[A-Za-z0-9_-]+/g;

export type AzureCloud = 'public' | 'usgovernment' | 'china';

export interface CloudEndpoints {
  /** Value of the azurerm provider's `environment`. */
  readonly terraformEnvironment: string;
  readonly keyVaultSuffix: string;
  readonly storageSuffix: string;
  readonly authorityHost: string;
  /**
   * The go-autorest environment name: the webhook chart's `azureEnvironment` (it injects that
   * environment's authority host) and CAPZ's `AzureCluster.spec.azureEnvironment`.
   */
  readonly environmentName: string;
}

export const CLOUDS: Record<AzureCloud, CloudEndpoints> = {
  public: {
    terraformEnvironment: 'public',
    keyVaultSuffix: 'vault.azure.net',
    storageSuffix: 'core.windows.net',
    authorityHost: 'https://login.microsoftonline.com/',
    environmentName: 'AzurePublicCloud',
  },
  usgovernment: {
    terraformEnvironment: 'usgovernment',
    keyVaultSuffix: 'vault.usgovcloudapi.net',
    storageSuffix: 'core.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us/',
    environmentName: 'AzureUSGovernmentCloud',
  },
  china: {
    terraformEnvironment: 'china',
    keyVaultSuffix: 'vault.azure.cn',
    storageSuffix: 'core.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn/',
    environmentName: 'AzureChinaCloud',
  },
};

/** Hosts of Entra's own issuers: a FIC must not name them (the list lives with the issuer rules). */
export { ENTRA_ISSUER_HOSTS } from '../core/values';

/** Cluster API Provider Azure: where `clusterctl init` puts CAPZ and ASO (kubernetes-sigs/cluster-api-provider-azure docs/book/src/topics/workload-identity.md). */
export const CAPZ_NAMESPACE_DEFAULT = 'capz-system';
export const CAPZ_MANAGER_SERVICE_ACCOUNT_DEFAULT = 'capz-manager';
export const CAPZ_SERVICE_OPERATOR_SERVICE_ACCOUNT_DEFAULT = 'azureserviceoperator-default';
export const CAPZ_ROLE_DEFAULT = 'Contributor';
export const CAPZ_CLUSTER_IDENTITY_NAME_DEFAULT = 'cluster-identity';
export const CAPZ_VM_SIZE_DEFAULT = 'Standard_D2s_v3';
export const CAPZ_OS_DISK_GB_DEFAULT = 128;
export const CAPZ_ETCD_DISK_GB_DEFAULT = 256;

/** OpenShift on Hive, as `ccoctl azure create-all` sets it up (openshift/cloud-credential-operator docs/azure_workload_identity.md). */
export const OPENSHIFT_CONTROL_PLANE_VM_SIZE_DEFAULT = 'Standard_D8s_v5';
export const OPENSHIFT_COMPUTE_VM_SIZE_DEFAULT = 'Standard_D4s_v5';
export const OPENSHIFT_OS_DISK_GB_DEFAULT = 128;
export const OPENSHIFT_CONTROL_PLANE_OS_DISK_GB_DEFAULT = 1024;
export const OPENSHIFT_REPLICAS_DEFAULT = 3;
export const HIVE_SECRETS_SERVICE_ACCOUNT_DEFAULT = 'hive-secrets-reader';

/**
 * The issuer a kubeadm-made API server has when nobody set one: kubeadm's
 * `cmd/kubeadm/app/phases/controlplane/manifests.go` (getAPIServerCommand) sets
 * `service-account-issuer=https://kubernetes.default.svc.<dnsDomain>`, and dnsDomain defaults to cluster.local.
 * kind and Giant Swarm build on kubeadm, so theirs is the same. A cluster-internal name: Entra can fetch
 * no discovery document from it.
 */
export const KUBERNETES_DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The URI of a key vault in a cloud: `https://<name>.vault.azure.net/` in the public cloud. */
export function keyVaultUri(name: string, endpoints: Pick<CloudEndpoints, 'keyVaultSuffix'>): string {
  return `https://${name}.${endpoints.keyVaultSuffix}/`;
}
