/**
 * The engine constructs as a library: every construct of `src/azure/index.ts` in a plain cdktf
 * `TerraformStack`, every construct of `src/kubernetes/index.ts` in a plain cdk8s `Chart`, no fleet,
 * no plan loader, no FleetStack or ClusterChart. What they synthesize is read back value by value.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App as Cdk8sApp, Chart, Testing as Cdk8sTesting } from 'cdk8s';
import { App as CdktfApp, TerraformOutput, TerraformStack, Testing as CdktfTesting } from 'cdktf';
import * as azure from '../src/azure';
import {
  AksClusterRead,
  AzureAksCluster,
  AzureKeyVault,
  AzureResourceGroup,
  CustomRole,
  FederatedCredential,
  Identity,
  OidcIssuerStorage,
  RoleAssignment,
} from '../src/azure';
import * as kubernetes from '../src/kubernetes';
import {
  CapzClusterIdentity,
  CapzWorkloadClusterInfrastructure,
  HiveCluster,
  KeyVaultExternalSecrets,
  Namespace,
  type OpenShiftHivePlan,
  VerificationDeployment,
  webhookHelmValues,
  WorkloadIdentityServiceAccount,
  WorkloadIdentityWebhook,
} from '../src/kubernetes';
import { objectSchemaErrors } from '../src/check/object-schema';

/** Synthesized JSON, read field by field. */
type Json = any;

const TENANT = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = 'https://oidc.example.com/clusters/blue/';
const SUBJECT = 'system:serviceaccount:orders:orders-api';
const AUDIENCE = 'api://AzureADTokenExchange';
const EXISTING_GROUP_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-shared`;
const EXISTING_IDENTITY_ID = `${EXISTING_GROUP_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-legacy`;
const EXISTING_VAULT_ID = `${EXISTING_GROUP_ID}/providers/Microsoft.KeyVault/vaults/kv-legacy`;
const BLOB_ISSUER = 'https://stoidcblue.blob.core.windows.net/oidc';
const JWKS = '{"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB","use":"sig","alg":"RS256"}]}';

test('the indexes export the constructs and their helpers by name, and nothing of the fleet', () => {
  expect(Object.keys(azure).sort()).toEqual(
    ['AksClusterRead', 'ApplicationFederatedCredential', 'AzureAksCluster', 'AzureEntraApplication', 'AzureKeyVault', 'AzureResourceGroup', 'CustomRole', 'FederatedCredential', 'Identity', 'OidcIssuerStorage', 'RoleAssignment'].sort(),
  );
  expect(Object.keys(kubernetes).sort()).toEqual(
    [
      'CapzClusterIdentity', 'CapzWorkloadClusterInfrastructure', 'HiveCluster', 'KeyVaultExternalSecrets', 'Namespace',
      'VerificationDeployment', 'WEBHOOK_CHART', 'WEBHOOK_CHART_REPOSITORY_URL', 'WEBHOOK_CHART_VERSION_DEFAULT',
      'WEBHOOK_NAMESPACE_DEFAULT', 'WorkloadIdentityServiceAccount', 'WorkloadIdentityWebhook', 'webhookHelmValues',
    ].sort(),
  );
});

// ---------------------------------------------------------------------------------------------
// Azure: a plain TerraformStack

describe('the Azure constructs in a plain cdktf TerraformStack', () => {
  let tf: Json;

  beforeAll(() => {
    const app = new CdktfApp();
    const stack = new TerraformStack(app, 'engines');
    new AzurermProvider(stack, 'azurerm', { features: [{}], subscriptionId: SUBSCRIPTION, tenantId: TENANT });

    const group = new AzureResourceGroup(stack, 'rg', { name: 'rg-wi', location: 'westeurope', tags: { team: 'orders' } });
    const shared = AzureResourceGroup.fromExisting(stack, 'shared', { name: 'rg-shared', armId: EXISTING_GROUP_ID });

    const identity = new Identity(stack, 'workload', { name: 'id-orders', resourceGroup: group, location: 'westeurope' });
    new FederatedCredential(stack, 'fic', { name: 'fic-blue-orders', identity, issuer: ISSUER, subject: SUBJECT, audience: AUDIENCE });
    new TerraformOutput(stack, 'client_id', { value: identity.clientId });

    const vault = new AzureKeyVault(stack, 'kv', {
      name: 'kv-orders',
      resourceGroup: group,
      location: 'westeurope',
      tenantId: TENANT,
      sku: 'standard',
      softDeleteRetentionDays: 7,
    });
    new RoleAssignment(stack, 'reader', { role: 'Key Vault Secrets User', scope: vault.id, principalId: identity.principalId, principalType: 'ServicePrincipal' });

    const legacy = Identity.fromExisting(stack, 'legacy', { name: 'id-legacy', resourceGroup: shared, armId: EXISTING_IDENTITY_ID });
    const legacyVault = AzureKeyVault.fromExisting(stack, 'legacy-vault', { armId: EXISTING_VAULT_ID });
    new RoleAssignment(stack, 'legacy_reader', { role: 'Key Vault Secrets User', scope: legacyVault.id, principalId: legacy.principalId });

    const role = new CustomRole(stack, 'dns_reader', {
      name: 'dns-zone-reader',
      description: 'Reads DNS zones',
      scope: `/subscriptions/${SUBSCRIPTION}`,
      actions: ['Microsoft.Network/dnsZones/read'],
    });
    new RoleAssignment(stack, 'dns', { role: { definitionId: role.roleDefinitionId }, scope: shared.id, principalId: identity.principalId });

    const storage = new OidcIssuerStorage(stack, 'oidc', {
      hosting: 'blobContainer',
      accountName: 'stoidcblue',
      resourceGroup: group,
      location: 'westeurope',
      container: 'oidc',
      blobIssuerUrl: BLOB_ISSUER,
      jwksJson: JWKS,
      discoveryJson: (issuer, jwksUri) => JSON.stringify({ issuer, jwks_uri: jwksUri }),
      logicalIdPrefix: 'oidc_blue',
    });
    new FederatedCredential(stack, 'fic_self', { name: 'fic-self', identity, issuer: storage.issuerUrl, subject: SUBJECT, audience: AUDIENCE });

    const aks = new AzureAksCluster(stack, 'aks', {
      name: 'aks-green',
      resourceGroup: group,
      location: 'westeurope',
      dnsPrefix: 'aks-green',
      vmSize: 'Standard_D2s_v5',
      nodeCount: 2,
    });
    new FederatedCredential(stack, 'fic_aks', { name: 'fic-aks', identity, issuer: aks.issuerUrl, subject: SUBJECT, audience: AUDIENCE });

    const read = new AksClusterRead(stack, 'aks_existing', { name: 'aks-old', resourceGroupName: 'rg-shared', enableCommand: 'az aks update --enable-oidc-issuer' });
    new FederatedCredential(stack, 'fic_read', { name: 'fic-read', identity: legacy, issuer: read.issuerUrl, subject: SUBJECT, audience: AUDIENCE });

    tf = JSON.parse(CdktfTesting.synth(stack, true));
  });

  const resource = (type: string, name: string): Json => {
    const found = tf.resource?.[type]?.[name];
    if (found === undefined) throw new Error(`no ${type}.${name} in ${JSON.stringify(Object.keys(tf.resource ?? {}))}`);
    return found;
  };

  test('the stack holds exactly the resources and data sources the constructs make, and the provider it was given', () => {
    const names = (block: Json) => Object.fromEntries(Object.entries(block ?? {}).map(([type, byName]) => [type, Object.keys(byName as object).sort()]));
    expect(names(tf.resource)).toEqual({
      azurerm_resource_group: ['rg'],
      azurerm_user_assigned_identity: ['workload'],
      azurerm_federated_identity_credential: ['fic', 'fic_aks', 'fic_read', 'fic_self'],
      azurerm_key_vault: ['kv'],
      azurerm_role_assignment: ['dns', 'legacy_reader', 'reader'],
      azurerm_role_definition: ['dns_reader'],
      azurerm_storage_account: ['oidc_blue_account'],
      azurerm_storage_container: ['oidc_blue_container'],
      azurerm_storage_blob: ['oidc_blue_discovery', 'oidc_blue_jwks'],
      azurerm_kubernetes_cluster: ['aks'],
    });
    expect(names(tf.data)).toEqual({ azurerm_user_assigned_identity: ['legacy'], azurerm_kubernetes_cluster: ['aks_existing'] });
    expect(tf.provider.azurerm).toEqual([{ features: [{}], subscription_id: SUBSCRIPTION, tenant_id: TENANT }]);
  });

  test('the federated credential carries the literal issuer, subject and audience byte for byte, on the new identity', () => {
    expect(resource('azurerm_federated_identity_credential', 'fic')).toEqual({
      name: 'fic-blue-orders',
      parent_id: '${azurerm_user_assigned_identity.workload.id}',
      resource_group_name: '${azurerm_resource_group.rg.name}',
      issuer: ISSUER,
      subject: SUBJECT,
      audience: [AUDIENCE],
    });
  });

  test("the identity's client id is a reference to the resource, usable anywhere a string is", () => {
    expect(tf.output.client_id.value).toBe('${azurerm_user_assigned_identity.workload.client_id}');
    expect(resource('azurerm_user_assigned_identity', 'workload')).toEqual({
      name: 'id-orders',
      location: 'westeurope',
      resource_group_name: '${azurerm_resource_group.rg.name}',
    });
  });

  test('the resource group has its name, location and tags', () => {
    expect(resource('azurerm_resource_group', 'rg')).toEqual({ name: 'rg-wi', location: 'westeurope', tags: { team: 'orders' } });
  });

  test('the Key Vault uses RBAC and purge protection, and the role on it goes to the identity as a service principal', () => {
    expect(resource('azurerm_key_vault', 'kv')).toEqual({
      name: 'kv-orders',
      resource_group_name: '${azurerm_resource_group.rg.name}',
      location: 'westeurope',
      tenant_id: TENANT,
      sku_name: 'standard',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 7,
    });
    expect(resource('azurerm_role_assignment', 'reader')).toEqual({
      role_definition_name: 'Key Vault Secrets User',
      scope: '${azurerm_key_vault.kv.id}',
      principal_id: '${azurerm_user_assigned_identity.workload.principal_id}',
      principal_type: 'ServicePrincipal',
    });
  });

  test('existing group, identity and vault are referred to by their literal ARM IDs; the identity is read by a data source', () => {
    expect(resource('azurerm_role_assignment', 'legacy_reader')).toEqual({
      role_definition_name: 'Key Vault Secrets User',
      scope: EXISTING_VAULT_ID,
      principal_id: '${data.azurerm_user_assigned_identity.legacy.principal_id}',
    });
    expect(tf.data.azurerm_user_assigned_identity.legacy).toEqual({ name: 'id-legacy', resource_group_name: 'rg-shared' });
    expect(resource('azurerm_federated_identity_credential', 'fic_read')).toMatchObject({ parent_id: EXISTING_IDENTITY_ID, resource_group_name: 'rg-shared' });
  });

  test('a custom role is defined at its scope and assigned by its definition id', () => {
    expect(resource('azurerm_role_definition', 'dns_reader')).toEqual({
      name: 'dns-zone-reader',
      description: 'Reads DNS zones',
      scope: `/subscriptions/${SUBSCRIPTION}`,
      assignable_scopes: [`/subscriptions/${SUBSCRIPTION}`],
      permissions: [{ actions: ['Microsoft.Network/dnsZones/read'] }],
    });
    expect(resource('azurerm_role_assignment', 'dns')).toEqual({
      role_definition_id: '${azurerm_role_definition.dns_reader.role_definition_resource_id}',
      scope: EXISTING_GROUP_ID,
      principal_id: '${azurerm_user_assigned_identity.workload.principal_id}',
    });
  });

  test('the OIDC issuer storage serves the discovery document and the JWKS, and its issuer reaches the credential', () => {
    expect(resource('azurerm_storage_account', 'oidc_blue_account')).toMatchObject({
      name: 'stoidcblue',
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: true,
    });
    expect(resource('azurerm_storage_container', 'oidc_blue_container')).toMatchObject({ name: 'oidc', container_access_type: 'blob' });
    expect(resource('azurerm_storage_blob', 'oidc_blue_discovery')).toMatchObject({
      name: '.well-known/openid-configuration',
      content_type: 'application/json',
      source_content: JSON.stringify({ issuer: BLOB_ISSUER, jwks_uri: `${BLOB_ISSUER}/openid/v1/jwks` }),
    });
    expect(resource('azurerm_storage_blob', 'oidc_blue_jwks')).toMatchObject({ name: 'openid/v1/jwks', content_type: 'application/json', source_content: JWKS });
    expect(resource('azurerm_federated_identity_credential', 'fic_self').issuer).toBe(BLOB_ISSUER);
  });

  test('the AKS cluster has its OIDC issuer and workload identity on, and its issuer URL is a reference', () => {
    expect(resource('azurerm_kubernetes_cluster', 'aks')).toEqual({
      name: 'aks-green',
      resource_group_name: '${azurerm_resource_group.rg.name}',
      location: 'westeurope',
      dns_prefix: 'aks-green',
      default_node_pool: { name: 'system', vm_size: 'Standard_D2s_v5', node_count: 2 },
      identity: { type: 'SystemAssigned' },
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
    });
    expect(resource('azurerm_federated_identity_credential', 'fic_aks').issuer).toBe('${azurerm_kubernetes_cluster.aks.oidc_issuer_url}');
  });

  test('an existing AKS cluster is read, and the plan stops while its issuer is off', () => {
    expect(tf.data.azurerm_kubernetes_cluster.aks_existing).toEqual({
      name: 'aks-old',
      resource_group_name: 'rg-shared',
      lifecycle: {
        postcondition: [
          {
            condition: '${self.oidc_issuer_enabled}',
            error_message: 'AKS cluster aks-old has no OIDC issuer: run az aks update --enable-oidc-issuer, then plan again.',
          },
        ],
      },
    });
    expect(resource('azurerm_federated_identity_credential', 'fic_read').issuer).toBe('${data.azurerm_kubernetes_cluster.aks_existing.oidc_issuer_url}');
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes: a plain Chart

const HIVE_PLAN: OpenShiftHivePlan = {
  name: 'ocp-red',
  namespace: 'hive-red',
  baseDomain: 'example.com',
  region: 'westeurope',
  subscriptionId: SUBSCRIPTION,
  cloudName: 'AzurePublicCloud',
  oidcResourceGroup: 'rg-ocp-red-oidc',
  installationResourceGroup: 'rg-ocp-red',
  baseDomainResourceGroup: 'rg-dns',
  releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64',
  imageSetName: 'openshift-4.16.0',
  controlPlane: { vmSize: 'Standard_D8s_v5', replicas: 3, osDiskSizeGB: 128 },
  compute: { vmSize: 'Standard_D4s_v5', replicas: 3, osDiskSizeGB: 128 },
  secretNames: {
    installConfig: 'ocp-red-install-config',
    manifests: 'ocp-red-manifests',
    pullSecret: 'ocp-red-pull-secret',
    installerCredentials: 'ocp-red-azure-credentials',
    signingKey: 'ocp-red-bound-sa-signing-key',
  },
  secrets: {
    mode: 'externalSecrets',
    keyVaultUrl: 'https://kv-hub.vault.azure.net/',
    keyVault: 'kv-hub',
    storeName: 'hive-key-vault',
    hub: 'hub',
    serviceAccount: { name: 'hive-secrets', clientId: { value: CLIENT_ID, pending: false }, tenantId: TENANT },
    remoteKeys: { signingKey: 'ocp-red-signing-key', pullSecret: 'pull-secret', installerCredentials: 'ocp-red-installer' },
  },
  identities: [],
  skipped: [],
};

describe('the Kubernetes constructs in a plain cdk8s Chart', () => {
  let chart: Chart;
  let objects: Json[];

  beforeAll(() => {
    chart = new Chart(new Cdk8sApp(), 'engines');
    new Namespace(chart, 'ns', { name: 'orders' });
    new WorkloadIdentityServiceAccount(chart, 'sa', { namespace: 'orders', name: 'orders-api', clientId: CLIENT_ID, tenantId: TENANT, tokenExpirationSeconds: 7200 });
    new VerificationDeployment(chart, 'verify', {
      namespace: 'orders',
      name: 'verify-orders',
      serviceAccountName: 'orders-api',
      image: 'ghcr.io/azure/azure-workload-identity/msal-go:latest',
      keyVaultUrl: 'https://kv-orders.vault.azure.net/',
      secretName: 'greeting',
    });
    new WorkloadIdentityWebhook(chart, 'webhook', { tenantId: TENANT });
    new KeyVaultExternalSecrets(chart, 'eso', {
      namespace: 'orders',
      storeName: 'orders-vault',
      keyVaultUrl: 'https://kv-orders.vault.azure.net/',
      serviceAccount: { name: 'eso-reader', clientId: CLIENT_ID, tenantId: TENANT },
      secrets: [{ name: 'db-password', key: 'password', remoteKey: 'orders-db-password' }],
    });
    new CapzClusterIdentity(chart, 'capz-identity', { name: 'capz-wi', namespace: 'capz-system', clientId: CLIENT_ID, tenantId: TENANT, allowedNamespaces: ['clusters'] });
    new CapzWorkloadClusterInfrastructure(chart, 'capz-cluster', {
      cluster: {
        name: 'wl-1',
        namespace: 'clusters',
        location: 'westeurope',
        resourceGroup: 'rg-wl-1',
        subscriptionId: SUBSCRIPTION,
        azureEnvironment: 'AzurePublicCloud',
        nodeIdentity: 'id-wl-1-nodes',
        nodeIdentityProviderId: `azure:///subscriptions/${SUBSCRIPTION}/resourceGroups/rg-wl-1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-wl-1-nodes`,
        controlPlane: { name: 'wl-1-control-plane', vmSize: 'Standard_D2s_v5', osDiskSizeGB: 128, etcdDiskSizeGB: 256 },
        workers: { name: 'wl-1-md-0', vmSize: 'Standard_D2s_v5', osDiskSizeGB: 128 },
      },
      clusterIdentity: { name: 'capz-wi', namespace: 'capz-system' },
    });
    new HiveCluster(chart, 'hive', { cluster: 'ocp-red', plan: HIVE_PLAN, manifests: new Map([['cluster-authentication.yaml', 'kind: Authentication\n']]) });
    objects = Cdk8sTesting.synth(chart);
  });

  const object = (kind: string, name: string, namespace?: string): Json => {
    const found = objects.filter((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
    if (found.length !== 1) throw new Error(`${found.length} objects ${kind} ${namespace ?? ''}/${name}`);
    return found[0];
  };

  test('the chart holds the objects of every construct and nothing else', () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual(
      [
        'Namespace /orders',
        'ServiceAccount orders/orders-api',
        'Deployment orders/verify-orders',
        'Namespace /azure-workload-identity-system',
        'HelmRepository azure-workload-identity-system/azure-workload-identity',
        'HelmRelease azure-workload-identity-system/workload-identity-webhook',
        'ServiceAccount orders/eso-reader',
        'SecretStore orders/orders-vault',
        'ExternalSecret orders/db-password',
        'AzureClusterIdentity capz-system/capz-wi',
        'AzureCluster clusters/wl-1',
        'AzureMachineTemplate clusters/wl-1-control-plane',
        'AzureMachineTemplate clusters/wl-1-md-0',
        'ClusterImageSet /openshift-4.16.0',
        'ClusterDeployment hive-red/ocp-red',
        'MachinePool hive-red/ocp-red-worker',
        'Secret hive-red/ocp-red-install-config',
        'Secret hive-red/ocp-red-manifests',
        'ServiceAccount hive-red/hive-secrets',
        'SecretStore hive-red/hive-key-vault',
        'ExternalSecret hive-red/ocp-red-bound-sa-signing-key',
        'ExternalSecret hive-red/ocp-red-pull-secret',
        'ExternalSecret hive-red/ocp-red-azure-credentials',
      ].sort(),
    );
  });

  test('the service account carries the client id, tenant id and token expiration annotations, and no label', () => {
    const sa = object('ServiceAccount', 'orders-api', 'orders');
    expect(sa.metadata.annotations).toEqual({
      'azure.workload.identity/client-id': CLIENT_ID,
      'azure.workload.identity/tenant-id': TENANT,
      'azure.workload.identity/service-account-token-expiration': '7200',
    });
    expect(sa.metadata.labels).toBeUndefined();
  });

  test('the verification pod opts in with use=true and runs as the service account', () => {
    const deployment = object('Deployment', 'verify-orders', 'orders');
    expect(deployment.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'verify-orders', 'azure.workload.identity/use': 'true' });
    expect(deployment.spec.template.spec.serviceAccountName).toBe('orders-api');
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: 'KEYVAULT_URL', value: 'https://kv-orders.vault.azure.net/' },
      { name: 'SECRET_NAME', value: 'greeting' },
    ]);
  });

  test('the webhook is a Flux HelmRelease of the chart with the tenant; its Helm values file says the same', () => {
    const release = object('HelmRelease', 'workload-identity-webhook', 'azure-workload-identity-system');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'workload-identity-webhook', version: '1.6.0' });
    expect(release.spec.values).toEqual({ azureEnvironment: 'AzurePublicCloud', azureTenantID: TENANT });
    const values = webhookHelmValues({ tenantId: TENANT });
    expect(values).toContain(`azureTenantID: ${TENANT}\n`);
    expect(values).toContain('azureEnvironment: AzurePublicCloud\n');
  });

  test('External Secrets reads the vault as a workload-identity service account', () => {
    expect(object('ServiceAccount', 'eso-reader', 'orders').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': CLIENT_ID,
      'azure.workload.identity/tenant-id': TENANT,
    });
    expect(object('SecretStore', 'orders-vault', 'orders').spec).toEqual({
      provider: { azurekv: { vaultUrl: 'https://kv-orders.vault.azure.net/', authType: 'WorkloadIdentity', serviceAccountRef: { name: 'eso-reader' } } },
    });
    expect(object('ExternalSecret', 'db-password', 'orders').spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'orders-db-password' } }]);
  });

  test('CAPZ acts through a WorkloadIdentity AzureClusterIdentity, which the AzureCluster names; the machines get the node identity', () => {
    expect(object('AzureClusterIdentity', 'capz-wi', 'capz-system').spec).toEqual({
      type: 'WorkloadIdentity',
      clientID: CLIENT_ID,
      tenantID: TENANT,
      allowedNamespaces: { list: ['clusters'] },
    });
    expect(object('AzureCluster', 'wl-1', 'clusters').spec.identityRef).toEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'AzureClusterIdentity',
      name: 'capz-wi',
      namespace: 'capz-system',
    });
    for (const name of ['wl-1-control-plane', 'wl-1-md-0']) {
      expect(object('AzureMachineTemplate', name, 'clusters').spec.template.spec.userAssignedIdentities).toEqual([
        { providerID: `azure:///subscriptions/${SUBSCRIPTION}/resourceGroups/rg-wl-1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-wl-1-nodes` },
      ]);
    }
  });

  test('Hive gets its ClusterDeployment with the secret references, and the hub secrets come from Key Vault', () => {
    const deployment = object('ClusterDeployment', 'ocp-red', 'hive-red');
    expect(deployment.spec.boundServiceAccountSigningKeySecretRef).toEqual({ name: 'ocp-red-bound-sa-signing-key' });
    expect(deployment.spec.platform.azure).toMatchObject({ credentialsSecretRef: { name: 'ocp-red-azure-credentials' }, cloudName: 'AzurePublicCloud' });
    expect(object('ServiceAccount', 'hive-secrets', 'hive-red').metadata.annotations['azure.workload.identity/client-id']).toBe(CLIENT_ID);
    expect(object('ExternalSecret', 'ocp-red-pull-secret', 'hive-red').spec.data).toEqual([{ secretKey: '.dockerconfigjson', remoteRef: { key: 'pull-secret' } }]);
  });

  test('every object is valid by the Kubernetes 1.28 schema or its vendored CRD', () => {
    expect(objects.flatMap((o) => objectSchemaErrors(o))).toEqual([]);
  });

  test('the validator would catch a broken object of the chart (a Deployment without selector, an identity of an unknown type)', () => {
    const deployment = structuredClone(object('Deployment', 'verify-orders', 'orders'));
    delete deployment.spec.selector;
    expect(objectSchemaErrors(deployment)).not.toEqual([]);
    const identity = structuredClone(object('AzureClusterIdentity', 'capz-wi', 'capz-system'));
    identity.spec.type = 'ClientSecret';
    expect(objectSchemaErrors(identity)).not.toEqual([]);
  });

  test("the chart's constructs validate, and refuse a token expiration outside the webhook's bounds", () => {
    const problems = (scope: Chart) => scope.node.findAll().flatMap((c) => c.node.validate());
    expect(problems(chart)).toEqual([]);
    const bad = new Chart(new Cdk8sApp(), 'bad');
    new WorkloadIdentityServiceAccount(bad, 'sa', { namespace: 'a', name: 'b', clientId: CLIENT_ID, tenantId: TENANT, tokenExpirationSeconds: 60 });
    expect(problems(bad)).toEqual([expect.stringContaining('token expiration 60 must be a whole number of seconds between 3600 and 86400')]);
  });
});
