/**
 * wisynth's constructs inside a program of the user's own: a fleet under any construct, members at any
 * depth, a FleetApp whose stacks and charts take the user's resources, values of wisynth's to refer to,
 * and the same OUT as synthesizeFleet when nothing is added.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { ApiObject } from 'cdk8s';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AksCluster, Fleet, FleetApp, ICluster, IKeyVault, IManagedIdentity, IResourceGroup, KeyVault, loadFleetFile, ManagedIdentity, planFleet, ResourceGroup, synthesizeFleet } from '../src/index';
import { resourceGroupsOf } from '../src/model/resource-group';
import { copyExampleInputs, readTree, ROOT } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const AZURE = { tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', location: 'westeurope' };

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-compose-api-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A user's construct holding a fleet whose group and identity sit one level deeper, in a construct of the user's. */
function shop(scope: Construct) {
  const fleet = new Fleet(scope, 'fleet', { name: 'shop', azure: AZURE, baseDir: work });
  const team = new Construct(fleet, 'team');
  const group = new ResourceGroup(team, 'group', { name: 'rg-shop' });
  const identity = new ManagedIdentity(team, 'api', { name: 'id-shop-api', resourceGroup: group });
  const cluster = new AksCluster(fleet, 'aks-shop', { resourceGroup: group });
  cluster.addWorkload({ namespace: 'shop', serviceAccount: 'api', identity, createNamespace: true });
  return { fleet, group, identity, cluster };
}

describe('constructs take any scope', () => {
  test('a fleet inside a user construct plans its members at any depth, and Fleet.of finds it from each', () => {
    const root = new Construct(undefined as unknown as Construct, 'user');
    const { fleet, group, identity, cluster } = shop(new Construct(root, 'platform'));
    for (const member of [group, identity, cluster]) expect(Fleet.of(member)).toBe(fleet);
    const plan = planFleet(fleet);
    expect(plan.identities.map((i) => i.name)).toEqual(['id-shop-api']);
    expect(plan.federatedCredentials.map((f) => [f.identity, f.subject])).toEqual([['id-shop-api', 'system:serviceaccount:shop:api']]);
  });

  test('importers return interfaces that every prop takes: an existing group, identity, vault and cluster plan like declared ones', () => {
    const fleet = new Fleet(new Construct(undefined as unknown as Construct, 'user'), 'fleet', { name: 'shop', azure: AZURE, baseDir: work });
    const group: IResourceGroup = ResourceGroup.fromExisting(fleet, 'group', { name: 'rg-existing' });
    const identity: IManagedIdentity = ManagedIdentity.fromExisting(fleet, 'id', { name: 'id-existing', resourceGroup: group, clientId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
    const vault: IKeyVault = KeyVault.fromExisting(fleet, 'kv', { name: 'kv-existing', resourceGroup: group });
    const cluster: ICluster = AksCluster.fromExisting(fleet, 'aks', { resourceGroup: group, azureName: 'aks-existing' });
    vault.grantSecretsRead(identity);
    cluster.addWorkload({ namespace: 'shop', serviceAccount: 'api', identity, verify: { keyVault: vault, secretName: 'hello' } });
    const plan = planFleet(fleet);
    expect(plan.resourceGroups.map((g) => [g.name, g.existing])).toEqual([['rg-existing', true]]);
    expect(plan.clusters[0].serviceAccounts.map((sa) => sa.clientId.value)).toEqual(['0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f']);
    expect(plan.roleAssignments.map((a) => [a.role, a.scope.kind])).toContainEqual(['Key Vault Secrets User', 'keyVault']);
  });

  test('a construct outside any fleet is named in the error, with what to do', () => {
    const loose = new Construct(undefined as unknown as Construct, 'loose');
    expect(() => new ResourceGroup(new Construct(loose, 'x'), 'group', { name: 'rg-x' })).toThrow(/loose\/x is not declared in a Fleet: create it with a Fleet, or a construct inside one, as its scope/);
  });
});

test('planFleet reads the keys and CredentialsRequests a fleet names, when the caller gives none', () => {
  const dir = fs.mkdtempSync(path.join(work, 'example-'));
  copyExampleInputs(dir);
  fs.copyFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), path.join(dir, 'fleet.yaml'));
  const plan = planFleet(loadFleetFile(path.join(dir, 'fleet.yaml')));
  const kind = plan.clusters.find((c) => c.name === 'kind-dev')!;
  expect(kind.selfManaged!.jwks.keys).toHaveLength(1);
  expect(plan.clusters.find((c) => c.name === 'ocp-prod')!.openshift!.identities.length).toBeGreaterThan(0);
});

describe('FleetApp', () => {
  test('without additions it writes what synthesizeFleet writes, byte for byte', () => {
    const a = path.join(work, 'same-a');
    const b = path.join(work, 'same-b');
    synthesizeFleet(shop(new Construct(undefined as unknown as Construct, 'one')).fleet, { outDir: a });
    new FleetApp(shop(new Construct(undefined as unknown as Construct, 'two')).fleet, { outDir: b }).synth();
    expect(readTree(b)).toEqual(readTree(a));
  });

  test("the user's Terraform resource and Kubernetes object are written with wisynth's, referring to its values", () => {
    const { fleet, identity, cluster } = shop(new Construct(undefined as unknown as Construct, 'user'));
    const out = path.join(work, 'added');
    const app = new FleetApp(fleet, { outDir: out });
    const account = new StorageAccount(app.stackOf(cluster), 'user-data', {
      name: 'stshopdata',
      resourceGroupName: 'rg-shop',
      location: 'westeurope',
      accountTier: 'Standard',
      accountReplicationType: 'LRS',
      tags: { reader: app.identity(identity).clientId },
    });
    expect(account.node.scope).toBe(app.stackOf(cluster));
    new ApiObject(app.chartOf(cluster), 'settings', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop-settings', namespace: 'shop' },
      data: { AZURE_CLIENT_ID: app.clientIdOf(identity) },
    });
    const result = app.synth();
    expect(result.check?.errors).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', 'shop', 'cdk.tf.json'), 'utf8')) as Json;
    const [id] = Object.keys(stack.resource.azurerm_user_assigned_identity);
    expect(Object.values<Json>(stack.resource.azurerm_storage_account)[0].tags).toEqual({ reader: `\${azurerm_user_assigned_identity.${id}.client_id}` });
    const folder = path.join(out, 'kubernetes', 'aks-shop');
    expect(fs.readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8')).toContain('configmap_shop_shop-settings.yaml');
    expect(fs.readFileSync(path.join(folder, 'configmap_shop_shop-settings.yaml'), 'utf8')).toContain('AZURE_CLIENT_ID: WISYNTH_PENDING:identity_id-shop-api_client_id');
    expect(result.files).toContain('kubernetes/aks-shop/configmap_shop_shop-settings.yaml');
  });

  test("a cdktf App of the user's is used as given, once it writes no stack traces", () => {
    const withTraces = new App({ outdir: work });
    expect(() => new FleetApp(shop(withTraces).fleet, { outDir: path.join(work, 'traces'), terraformApp: withTraces })).toThrow(/stack traces.*new App\(\{ stackTraces: false \}\)/);
    const own = new App({ outdir: work, stackTraces: false });
    const app = new FleetApp(shop(new Construct(own, 'user')).fleet, { outDir: path.join(work, 'own-app'), terraformApp: own });
    expect(app.terraformApp).toBe(own);
    expect(app.stackOf().node.scope).toBe(own);
  });

  test('a construct of the app that takes a stack name, a second synth, and a cluster of another fleet are refused with what to do', () => {
    const own = new App({ outdir: work, stackTraces: false });
    new Construct(own, 'shop');
    expect(() => new FleetApp(shop(new Construct(own, 'user')).fleet, { outDir: path.join(work, 'taken'), terraformApp: own })).toThrow(/already holds a construct named "shop".*give that construct another id/);
    const app = new FleetApp(shop(new Construct(undefined as unknown as Construct, 'once')).fleet, { outDir: path.join(work, 'once') });
    app.synth();
    expect(() => app.synth()).toThrow(/synthesized already: make a new one/);
    expect(() => app.chartOf('aks-other')).toThrow(/cluster "aks-other" is not one of fleet shop/);
  });
});

describe("cdktf's preparing resolve", () => {
  test('runs over a stack the caller added to, and is spared for stacks that hold only wisynth\'s constructs', () => {
    const fleet = new Fleet({ name: 'shop', azure: AZURE, baseDir: work, terraform: { stackLayout: 'perCluster' } });
    const group = new ResourceGroup(fleet, 'group', { name: 'rg-shop' });
    const identity = new ManagedIdentity(fleet, 'api', { name: 'id-shop-api', resourceGroup: group });
    const clusters = ['aks-a', 'aks-b'].map((name) => new AksCluster(fleet, name, { resourceGroup: group }));
    for (const cluster of clusters) cluster.addWorkload({ namespace: 'shop', serviceAccount: 'api', identity });
    const app = new FleetApp(fleet, { outDir: path.join(work, 'preparing') });
    new StorageAccount(app.stackOf(clusters[0]), 'user-data', { name: 'stusershop', resourceGroupName: 'rg-shop', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
    const prepared: string[] = [];
    const spy = jest.spyOn(TerraformStack.prototype, 'prepareStack').mockImplementation(function (this: TerraformStack) {
      prepared.push(this.node.id);
    });
    try {
      app.synth();
    } finally {
      spy.mockRestore();
    }
    expect(prepared).toEqual(['shop-aks-a']);
  });
});

test('the groups a fleet registers as they are made are the ones membersOf finds, at any depth, and no other fleet\'s', () => {
  const root = new Construct(undefined as unknown as Construct, 'user');
  const { fleet } = shop(root);
  new ResourceGroup(new Construct(new Construct(fleet, 'deep'), 'deeper'), 'far', { name: 'rg-far' });
  const other = new Fleet(root, 'other', { name: 'other', azure: AZURE, baseDir: work });
  new ResourceGroup(other, 'theirs', { name: 'rg-theirs' });
  expect(resourceGroupsOf(fleet)).toEqual(fleet.membersOf(ResourceGroup));
  expect(resourceGroupsOf(fleet).map((g) => g.groupName)).toEqual(['rg-shop', 'rg-far']);
  expect(resourceGroupsOf(other).map((g) => g.groupName)).toEqual(['rg-theirs']);
});
