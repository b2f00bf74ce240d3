/**
 * The embedded example fleet (examples/fleet.yaml), said in code: the same resources and the same
 * output, byte for byte. Run directly (e.g. `npx tsx examples/fleet.ts`), it writes dist/.
 */
import {
  AksCluster,
  CapzManagementCluster,
  ExternalIssuerCluster,
  Fleet,
  KeyVault,
  ManagedIdentity,
  OpenShiftHiveCluster,
  ResourceGroup,
  SelfManagedCluster,
  synthesizeFleet,
} from '../src/index';

/** `baseDir` is where the local Terraform state folder goes: the YAML front-end uses the fleet file's folder. */
export function buildExampleFleet(baseDir: string): Fleet {
  const fleet = new Fleet({
    name: 'contoso',
    azure: {
      tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a',
      subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      location: 'westeurope',
    },
    terraform: { backend: { type: 'local', path: 'terraform-state' } },
    tags: { costCenter: 'platform-identity' },
    baseDir,
  });

  const identityGroup = new ResourceGroup(fleet, 'rg-contoso-identities');
  const aksGroup = new ResourceGroup(fleet, 'rg-contoso-aks');
  const billingGroup = new ResourceGroup(fleet, 'rg-billing-legacy', { existing: true });
  const oidcGroup = new ResourceGroup(fleet, 'rg-contoso-oidc');
  const dnsGroup = new ResourceGroup(fleet, 'rg-contoso-dns', { existing: true });

  const orders = new ManagedIdentity(fleet, 'id-orders', { resourceGroup: identityGroup });
  orders.grantRole(
    'Storage Blob Data Reader',
    '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stcontosoorders',
  );
  const reports = new ManagedIdentity(fleet, 'id-reports', { resourceGroup: identityGroup });
  const analytics = new ManagedIdentity(fleet, 'id-analytics', { resourceGroup: identityGroup });
  const capzIdentity = new ManagedIdentity(fleet, 'id-capz', { resourceGroup: identityGroup });
  const capzNodes = new ManagedIdentity(fleet, 'id-capz-work-1-nodes', { resourceGroup: identityGroup });
  const hiveSecrets = new ManagedIdentity(fleet, 'id-hive-secrets', { resourceGroup: identityGroup });
  const billing = ManagedIdentity.fromExisting(fleet, 'id-billing', {
    name: 'id-billing',
    resourceGroup: billingGroup,
    clientId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  });

  const vault = new KeyVault(fleet, 'kv-contoso-wi-demo', { resourceGroup: identityGroup });
  const hiveVault = new KeyVault(fleet, 'kv-contoso-hive', { resourceGroup: identityGroup });

  const prod = new AksCluster(fleet, 'aks-prod', {
    resourceGroup: aksGroup,
    nodePool: { vmSize: 'Standard_D2s_v5', nodeCount: 2 },
  });
  prod.addWorkload({
    namespace: 'orders',
    serviceAccount: 'orders-api',
    identity: orders,
    createNamespace: true,
    // the verification pod; its identity gets "Key Vault Secrets User" on the vault
    verify: { keyVault: vault, secretName: 'hello' },
  });
  prod.addWorkload({
    namespace: 'reports',
    serviceAccount: 'report-builder',
    identity: reports,
    createNamespace: true,
    tokenExpirationSeconds: 7200,
  });

  const legacy = AksCluster.fromIssuerUrl(fleet, 'aks-legacy', {
    issuerUrl: 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c/',
  });
  legacy.addWorkload({ namespace: 'billing', serviceAccount: 'billing-api', identity: billing });
  legacy.addWorkload({ namespace: 'orders', serviceAccount: 'orders-api', identity: orders });

  // Self-managed clusters: wisynth hosts their issuers on Azure Storage.
  const kind = new SelfManagedCluster(fleet, 'kind-dev', {
    distribution: 'kind',
    issuer: { hosting: 'blobContainer', storageAccount: 'stcontosooidckinddev', resourceGroup: oidcGroup, container: 'kind-dev' },
    serviceAccountKeys: { publicKeyFiles: ['keys/kind-dev/sa.pub'], privateKeyFile: 'keys/kind-dev/sa.key' },
  });
  kind.addWorkload({ namespace: 'orders', serviceAccount: 'orders-worker', identity: orders, createNamespace: true });

  const giantSwarm = new SelfManagedCluster(fleet, 'gs-prod', {
    distribution: 'giantswarm',
    issuer: { hosting: 'staticWebsite', storageAccount: 'stcontosooidcgsprod', resourceGroup: oidcGroup },
    serviceAccountKeys: { publicKeyFiles: ['keys/gs-prod/sa.pub'] },
  });
  giantSwarm.addWorkload({ namespace: 'analytics', serviceAccount: 'dashboard', identity: analytics, createNamespace: true });

  // A CAPZ management cluster on kind: CAPZ and ASO act as id-capz (Contributor on the subscription).
  const capzManagement = new CapzManagementCluster(fleet, 'capz-mgmt', {
    distribution: 'kind',
    issuer: { hosting: 'blobContainer', storageAccount: 'stcontosooidccapzmgmt', resourceGroup: oidcGroup, container: 'capz-mgmt' },
    serviceAccountKeys: { publicKeyFiles: ['keys/capz-mgmt/sa.pub'], privateKeyFile: 'keys/capz-mgmt/sa.key' },
    capz: { identity: capzIdentity },
  });
  capzManagement.addWorkloadCluster({
    name: 'capz-work-1',
    nodeIdentity: capzNodes,
    controlPlane: { vmSize: 'Standard_D4s_v5' },
    workers: { vmSize: 'Standard_D2s_v5' },
  });

  // An EKS cluster, whose issuer AWS hosts: its FICs carry that issuer, and it gets the webhook.
  const eks = new ExternalIssuerCluster(fleet, 'eks-orders', {
    issuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C64F4A2B1E8D7C3F6A9B0E2D1C4F7A8',
  });
  eks.addWorkload({ namespace: 'orders', serviceAccount: 'orders-api', identity: orders, createNamespace: true });

  // OpenShift installed by Hive on aks-prod: ccoctl's resources from the release's CredentialsRequests.
  new OpenShiftHiveCluster(fleet, 'ocp-prod', {
    baseDomain: 'ocp.contoso.com',
    baseDomainResourceGroup: dnsGroup,
    storageAccount: 'stcontosooidcocpprod',
    credentialsRequests: 'openshift/credentialsrequests',
    releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64',
    publicKeyFile: 'keys/ocp-prod/sa.pub',
    secrets: { mode: 'externalSecrets', keyVault: hiveVault, identity: hiveSecrets, hub: prod },
    tags: { environment: 'production' },
  });

  return fleet;
}

if (require.main === module) {
  const summary = synthesizeFleet(buildExampleFleet(__dirname), { outDir: 'dist' });
  console.log(`wrote dist: ${summary.files.length} files, ${summary.placeholders.length} placeholder(s) until apply`);
}
