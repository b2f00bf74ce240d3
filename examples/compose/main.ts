/**
 * wisynth as a construct library, inside a program of the user's own: the fleet lives in a construct of
 * theirs, beside an AKS cluster and a Deployment that are theirs too. wisynth federates a service account
 * of that AKS cluster with one of its identities, the user's constructs refer to that identity, and
 * FleetApp writes OUT (both sides, the user's resources and objects included) and checks it.
 *
 *   npm install && npm start -- <output folder>      (then: npx wisynth check <output folder>)
 */
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup as AzurermResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AksCluster, Fleet, FleetApp, ICluster, IManagedIdentity, ManagedIdentity, ResourceGroup } from 'wisynth';

const TENANT = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const SUBSCRIPTION = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const LOCATION = 'westeurope';

/** The user's AKS cluster, in a stack of their own: OIDC issuer and workload identity on, as Entra Workload ID needs. */
class ShopPlatform extends TerraformStack {
  readonly cluster: KubernetesCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: SUBSCRIPTION, tenantId: TENANT });
    const group = new AzurermResourceGroup(this, 'group', { name: 'rg-shop-aks', location: LOCATION });
    this.cluster = new KubernetesCluster(this, 'aks', {
      name: 'aks-shop',
      location: LOCATION,
      resourceGroupName: group.name,
      dnsPrefix: 'aks-shop',
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      defaultNodePool: { name: 'system', vmSize: 'Standard_D2s_v5', nodeCount: 2 },
      identity: { type: 'SystemAssigned' },
    });
  }
}

/** The user's construct that holds the fleet: one identity, and the user's AKS cluster as the fleet sees it. */
class Shop extends Construct {
  readonly fleet: Fleet;
  readonly identity: IManagedIdentity;
  readonly cluster: ICluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.fleet = new Fleet(this, 'fleet', { name: 'shop', azure: { tenantId: TENANT, subscriptionId: SUBSCRIPTION, location: LOCATION } });
    const identities = new Construct(this.fleet, 'identities');
    const group = new ResourceGroup(identities, 'group', { name: 'rg-shop-identities' });
    this.identity = new ManagedIdentity(identities, 'shop-api', { name: 'id-shop-api', resourceGroup: group });
    // Terraform reads its issuer when it plans the fleet's stack, which is applied after ShopPlatform
    this.cluster = AksCluster.fromExisting(this.fleet, 'aks-shop', { resourceGroup: ResourceGroup.fromExisting(this.fleet, 'aks-group', { name: 'rg-shop-aks' }) });
    this.cluster.addWorkload({ namespace: 'shop', serviceAccount: 'shop-api', identity: this.identity, createNamespace: true });
  }
}

/** A user construct that refers to a wisynth identity: it may read the cluster's resource group, and says its client id. */
class ShopAccess extends Construct {
  constructor(scope: Construct, id: string, props: { readonly clientId: string; readonly principalId: string; readonly scope: string }) {
    super(scope, id);
    new RoleAssignment(this, 'reader', { scope: props.scope, roleDefinitionName: 'Reader', principalId: props.principalId, principalType: 'ServicePrincipal' });
    new TerraformOutput(this, 'client-id', { value: props.clientId, description: 'Client id the shop API signs in with' });
  }
}

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: npm start -- <output folder>');
  process.exit(2);
}

const terraform = new App({ stackTraces: false });
const platform = new ShopPlatform(terraform, 'shop-platform');
const shop = new Shop(terraform, 'contoso-shop');
const app = new FleetApp(shop.fleet, { outDir, terraformApp: terraform });

// Azure: the fleet's stack is planned once the user's cluster exists; the user's construct uses the identity's tokens
const fleetStack = app.stackOf(shop.cluster);
fleetStack.addDependency(platform);
const identity = app.identity(shop.identity);
// across stacks by its ARM ID, which is known before apply (a cdktf cross-stack reference would read remote state)
const clusterId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-shop-aks/providers/Microsoft.ContainerService/managedClusters/aks-shop`;
new ShopAccess(fleetStack, 'shop-access', { clientId: identity.clientId, principalId: identity.principalId, scope: clusterId });

// Kubernetes: the user's Deployment runs as the service account wisynth annotates, in wisynth's chart of the cluster
const chart = app.chartOf(shop.cluster);
const api = new kplus.Deployment(chart, 'shop-api', {
  metadata: { name: 'shop-api', namespace: 'shop' },
  serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'shop-api-account', 'shop-api'),
  containers: [
    {
      image: 'ghcr.io/contoso/shop-api:1.4.2',
      portNumber: 8080,
      envVariables: { SHOP_IDENTITY_CLIENT_ID: kplus.EnvValue.fromValue(app.clientIdOf(shop.identity)) },
    },
  ],
});
api.podMetadata.addLabel('azure.workload.identity/use', 'true');

const result = app.synth();
console.log(`wrote ${outDir}: ${result.files.length} files, ${result.placeholders.length} placeholder(s) until apply`);
