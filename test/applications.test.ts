/**
 * Entra applications beside managed identities: an identity of `kind: application` is an
 * `azuread_application` with its service principal, its FICs are application FICs, its roles go to the
 * service principal, its client id is an output like an identity's, and `check` proves its chains the same way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { checkOut } from '../src/check/check';
import { FleetError, parseFleet, synthesizeFleet } from '../src/index';
import { ROOT, writeKeyPair } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const FLEET = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'applications-fleet.yaml'), 'utf8');
const EKS = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C64F4A2B1E8D7C3F6A9B0E2D1C4F7A8';
const LEGACY_OBJECT_ID = '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-applications-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function synth(text: string, name: string): string {
  const out = path.join(work, name);
  synthesizeFleet(parseFleet(text, work), { outDir: out });
  return out;
}

const stack = (out: string, name = 'shop') => JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', name, 'cdk.tf.json'), 'utf8')) as Json;
const blocks = (of: Json) => Object.entries<Json>(of ?? {}).map(([id, { '//': _m, ...block }]) => ({ id, ...block }));
const withLayout = (layout: string) => YAML.stringify({ ...YAML.parse(FLEET), terraform: { stackLayout: layout } });

describe('one stack', () => {
  let out: string;
  let tf: Json;
  beforeAll(() => {
    out = synth(FLEET, 'single');
    tf = stack(out);
  });

  test('a new application is an azuread_application with its service principal; an existing one is not created', () => {
    expect(blocks(tf.resource.azuread_application)).toEqual([{ id: 'application_app-shop-api', display_name: 'app-shop-api', sign_in_audience: 'AzureADMyOrg' }]);
    const [principal] = blocks(tf.resource.azuread_service_principal);
    expect(principal.client_id).toBe('${azuread_application.application_app-shop-api.client_id}');
    expect(tf.provider.azuread).toEqual([{ tenant_id: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', environment: 'public' }]);
  });

  test('its FICs are application FICs: the application as parent, the issuer, subject and audience byte for byte', () => {
    const fics = blocks(tf.resource.azuread_application_federated_identity_credential).map(({ application_id, issuer, subject, audiences }) => ({ application_id, issuer, subject, audiences }));
    expect(fics).toEqual([
      { application_id: `/applications/${LEGACY_OBJECT_ID}`, issuer: EKS, subject: 'system:serviceaccount:shop:legacy', audiences: ['api://AzureADTokenExchange'] },
      { application_id: '${azuread_application.application_app-shop-api.id}', issuer: '${azurerm_kubernetes_cluster.aks_aks-shop.oidc_issuer_url}', subject: 'system:serviceaccount:shop:api', audiences: ['api://AzureADTokenExchange'] },
      { application_id: '${azuread_application.application_app-shop-api.id}', issuer: EKS, subject: 'system:serviceaccount:shop:api', audiences: ['api://AzureADTokenExchange'] },
    ]);
    expect(tf.resource.azurerm_federated_identity_credential).toBeUndefined();
  });

  test('its roles, declared or implied by a vault it reads, go to its service principal', () => {
    const principal = `\${azuread_service_principal.${blocks(tf.resource.azuread_service_principal)[0].id}.object_id}`;
    const roles = blocks(tf.resource.azurerm_role_assignment).filter((r) => r.principal_id === principal).map((r) => [r.role_definition_name, r.principal_type]);
    expect(roles.sort()).toEqual([
      ['Key Vault Secrets User', 'ServicePrincipal'],
      ['Reader', 'ServicePrincipal'],
    ]);
  });

  test('its client id is an output the service accounts wait for; an existing one annotates them at once', () => {
    expect(tf.output['identity_app-shop-api_client_id'].value).toBe('${azuread_application.application_app-shop-api.client_id}');
    const annotation = (cluster: string, sa: string) => YAML.parse(fs.readFileSync(path.join(out, 'kubernetes', cluster, `serviceaccount_shop_${sa}.yaml`), 'utf8')).metadata.annotations['azure.workload.identity/client-id'];
    expect(annotation('eks-shop', 'api')).toBe('WISYNTH_PENDING:identity_app-shop-api_client_id');
    expect(annotation('eks-shop', 'legacy')).toBe('0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
  });

  test('check proves an application chain as an identity chain: it passes, and a wrong issuer or subject is found', () => {
    expect(checkOut(out).errors).toBe(0);
    const copy = path.join(work, 'broken');
    fs.cpSync(out, copy, { recursive: true });
    const file = path.join(copy, 'terraform', 'stacks', 'shop', 'cdk.tf.json');
    const broken = JSON.parse(fs.readFileSync(file, 'utf8'));
    const fics = broken.resource.azuread_application_federated_identity_credential;
    fics['fic_app-shop-api_eks-shop_shop_api'].issuer = `${EKS}/`;
    fics['fic_app-legacy_eks-shop_shop_legacy'].subject = 'system:serviceaccount:shop:legacyy';
    fs.writeFileSync(file, JSON.stringify(broken, null, 2));
    const errors = checkOut(copy).findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.rule, f.object])).toEqual(
      expect.arrayContaining([
        ['fic-issuer', 'azuread_application_federated_identity_credential.fic_app-shop-api_eks-shop_shop_api'],
        ['fic-subject', 'azuread_application_federated_identity_credential.fic_app-legacy_eks-shop_shop_legacy'],
      ]),
    );
  });
});

test('perCluster: a cluster stack reads the shared stack\'s application by its display name, and check still passes', () => {
  const out = synth(withLayout('perCluster'), 'per-cluster');
  const eks = stack(out, 'shop-eks-shop');
  expect(blocks(eks.data.azuread_application).map((d) => d.display_name)).toEqual(['app-shop-api']);
  const parents = blocks(eks.resource.azuread_application_federated_identity_credential).map((f) => f.application_id);
  expect(parents).toContain(`\${data.azuread_application.${blocks(eks.data.azuread_application)[0].id}.id}`);
  expect(eks.provider.azuread).toBeDefined();
  expect(checkOut(out).errors).toBe(0);
});

describe('what an application cannot be', () => {
  const edit = (change: (doc: Json) => void) => {
    const doc = YAML.parse(FLEET);
    change(doc);
    return YAML.stringify(doc);
  };
  test.each([
    ['a resource group', (d: Json) => (d.identities[0].resourceGroup = 'rg-shop'), /an application lives in the tenant and takes no resourceGroup/],
    ['an existing one without its object id', (d: Json) => delete d.identities[1].existing.objectId, /existing application needs its objectId too/],
    ['a managed identity without a resource group', (d: Json) => delete d.identities[0].kind, /missing required field "resourceGroup"/],
    ['the node identity of CAPZ machines', (d: Json) => d.clusters.push({ name: 'capz-mgmt', platform: 'capz', selfManaged: { distribution: 'kind', issuer: { hosting: 'blobContainer', storageAccount: 'stshopcapz', resourceGroup: 'rg-shop', container: 'capz' }, serviceAccountKeys: { publicKeyFiles: ['sa.pub'], privateKeyFile: 'sa.key' } }, capz: { identity: 'app-shop-api', workloadClusters: [{ name: 'work-1', nodeIdentity: 'app-shop-api' }] } }), /node identity "app-shop-api" is an Entra application/],
  ])('%s is refused with the field and the fix', (_name, change, message) => {
    let refused: FleetError | undefined;
    try {
      parseFleet(edit(change), work);
    } catch (e) {
      refused = e as FleetError;
    }
    const issue = refused?.issues.find((i) => message.test(i.message));
    expect(issue).toBeDefined();
    expect(issue!.source?.length).toBeGreaterThan(1);
    expect(issue!.fix).toMatch(/\S/);
  });
});

test("CAPZ's identity may be an application: its controllers' FICs are application FICs, and its AzureClusterIdentity carries the application's client id", () => {
  const dir = fs.mkdtempSync(path.join(work, 'capz-'));
  writeKeyPair(path.join(dir, 'keys'));
  const doc = YAML.parse(FLEET);
  doc.identities.push({ name: 'id-capz-nodes', resourceGroup: 'rg-shop' });
  doc.clusters.push({
    name: 'capz-mgmt',
    platform: 'capz',
    selfManaged: { distribution: 'kind', issuer: { hosting: 'blobContainer', storageAccount: 'stshopcapz', resourceGroup: 'rg-shop', container: 'capz' }, serviceAccountKeys: { publicKeyFiles: ['keys/sa.pub'], privateKeyFile: 'keys/sa.key' } },
    capz: { identity: 'app-shop-api', workloadClusters: [{ name: 'work-1', nodeIdentity: 'id-capz-nodes' }] },
  });
  const out = path.join(dir, 'out');
  synthesizeFleet(parseFleet(YAML.stringify(doc), dir), { outDir: out });
  const subjects = blocks(stack(out).resource.azuread_application_federated_identity_credential)
    .filter((f) => f.display_name.startsWith('capz-mgmt_'))
    .map((f) => [f.application_id, f.subject]);
  expect(subjects).toEqual([
    ['${azuread_application.application_app-shop-api.id}', 'system:serviceaccount:capz-system:azureserviceoperator-default'],
    ['${azuread_application.application_app-shop-api.id}', 'system:serviceaccount:capz-system:capz-manager'],
  ]);
  const identity = YAML.parse(fs.readFileSync(path.join(out, 'kubernetes', 'capz-mgmt', fs.readdirSync(path.join(out, 'kubernetes', 'capz-mgmt')).find((f) => f.startsWith('azureclusteridentity_'))!), 'utf8'));
  expect(identity.spec).toMatchObject({ type: 'WorkloadIdentity', clientID: 'WISYNTH_PENDING:identity_app-shop-api_client_id' });
  expect(checkOut(out).errors).toBe(0);
});
