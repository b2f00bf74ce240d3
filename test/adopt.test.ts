/**
 * `wisynth adopt`: what `az` printed of a setup made by hand (AKS) or by following azwi's guide (a
 * self-managed cluster) becomes a fleet whose synth imports every resource that exists, creates nothing
 * beside it, and reports what it could not map. The fixtures are in the documented output shapes of the
 * commands (test/fixtures/SOURCES.md).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { Fleet, FleetError, ResourceGroup, SelfManagedCluster, synthesizeFleet } from '../src/index';
import { ROOT, readTree, runCli, writeKeyPair } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'adopt');
const readJson = (...rel: string[]): Json => JSON.parse(fs.readFileSync(path.join(FIXTURES, ...rel), 'utf8'));
const AZWI_ISSUER = 'https://azwi3f9a1c07.blob.core.windows.net/oidc-test/';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-adopt-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const aksArgs = (dir = path.join(FIXTURES, 'aks')) => [
  '--identities', path.join(dir, 'identities.json'),
  '--federated-credentials', path.join(dir, 'fics-id-shop-api.json'),
  '--federated-credentials', path.join(dir, 'fics-id-shop-worker.json'),
  '--role-assignments', path.join(dir, 'role-assignments.json'),
  '--aks-show', path.join(dir, 'aks-show-aks-shop.json'),
  '--name', 'shop',
];
const azwiArgs = () => [
  '--identities', path.join(FIXTURES, 'azwi', 'identities.json'),
  '--federated-credentials', path.join(FIXTURES, 'azwi', 'fics-azwi-quickstart-identity.json'),
  '--role-assignments', path.join(FIXTURES, 'azwi', 'role-assignments.json'),
  '--issuer', `kind-azwi=${AZWI_ISSUER}`,
  '--name', 'azwi',
];

/** Runs adopt in a folder of its own, then synth of what it wrote; returns the folder, the runs and the stack. */
async function adoptAndSynth(name: string, args: string[], stack: string) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const adopt = await runCli(['adopt', ...args], dir);
  const synth = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
  const tf = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'terraform', 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Json;
  return { dir, adopt, synth, tf, fleet: fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8') };
}

/** Every resource the stack declares, as `type.name`. */
const resourceAddresses = (tf: Json): string[] => Object.entries<Json>(tf.resource ?? {}).flatMap(([type, blocks]) => Object.keys(blocks).map((id) => `${type}.${id}`)).sort();
const resourceAt = (tf: Json, address: string): Json => {
  const [type, id] = address.split('.');
  return tf.resource[type][id];
};
// the azurerm importers parse ARM ids with the segment names cased as ARM defines them (`resourceGroups`); az prints `resourcegroups`
const canonical = (armId: string) => armId.replace(/\/resourcegroups\//i, '/resourceGroups/');

describe('a hand-made AKS setup', () => {
  let run: Awaited<ReturnType<typeof adoptAndSynth>>;
  beforeAll(async () => {
    run = await adoptAndSynth('aks', aksArgs(), 'shop');
  });

  test('the written fleet synthesizes, and check passes', async () => {
    expect(run.adopt.code).toBe(0);
    expect(run.synth.code).toBe(0);
    expect((await runCli(['check', 'out'], run.dir)).code).toBe(0);
  });

  test('every resource of the stack is imported: the first apply creates nothing beside what exists', () => {
    const imported = (run.tf.import as Json[]).map((i) => i.to).sort();
    expect(imported).toEqual(resourceAddresses(run.tf));
    expect(imported).toHaveLength(5);
  });

  test('each import block has the ARM id az printed, and its resource the values that exist', () => {
    const byTo = new Map<string, string>((run.tf.import as Json[]).map((i) => [i.to, i.id]));
    const identities = readJson('aks', 'identities.json') as Json[];
    for (const identity of identities) {
      const [address] = [...byTo].find(([, id]) => id === canonical(identity.id)) ?? [];
      expect(address).toBeDefined();
      expect(resourceAt(run.tf, address!)).toMatchObject({ name: identity.name, resource_group_name: identity.resourceGroup, location: identity.location });
    }
    const fics = [...readJson('aks', 'fics-id-shop-api.json'), ...readJson('aks', 'fics-id-shop-worker.json')].filter((f: Json) => f.name !== 'github-deploy');
    const aks = readJson('aks', 'aks-show-aks-shop.json');
    for (const fic of fics) {
      const [address] = [...byTo].find(([, id]) => id === canonical(fic.id)) ?? [];
      const block = resourceAt(run.tf, address!);
      expect(block).toMatchObject({ name: fic.name, subject: fic.subject, audience: fic.audiences });
      // the issuer is read from the cluster, which `az aks show` reported as the FIC's
      expect(block.issuer).toMatch(/^\$\{data\.azurerm_kubernetes_cluster\.[^.]+\.oidc_issuer_url\}$/);
      expect(aks.oidcIssuerProfile.issuerUrl).toBe(fic.issuer);
    }
    const [role] = (readJson('aks', 'role-assignments.json') as Json[]).filter((r) => r.principalId === identities[0].principalId);
    const [roleAddress] = [...byTo].find(([, id]) => id === role.id) ?? [];
    expect(resourceAt(run.tf, roleAddress!)).toMatchObject({ scope: role.scope, role_definition_name: role.roleDefinitionName, principal_type: role.principalType });
  });

  test('the service accounts carry the client ids az printed, at once', () => {
    const sa = YAML.parse(fs.readFileSync(path.join(run.dir, 'out', 'kubernetes', 'aks-shop', 'serviceaccount_shop_api.yaml'), 'utf8'));
    expect(sa.metadata.annotations['azure.workload.identity/client-id']).toBe('0c7b9e2a-3f4d-4b5c-8a6e-1d2f3a4b5c6d');
  });

  test('what does not map is reported, in the output and at the end of the fleet file', () => {
    for (const text of [run.adopt.stderr, run.fleet]) {
      expect(text).toContain('FIC github-deploy');
      expect(text).toContain('https://token.actions.githubusercontent.com');
      expect(text).toContain('roleAssignments/9c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f" ("Reader" of identity id-shop-worker) has scope "/providers/Microsoft.Management/managementGroups/mg-contoso", above any subscription');
    }
    // a role of a principal that is none of the identities is none of the fleet's business
    expect(run.fleet).not.toContain('0e1f2a3b-4c5d-4e6f-9a0b-1c2d3e4f5a6b');
  });

  test('guesses are marked where they are made', () => {
    expect(run.fleet).toMatch(/# guessed: groups made outside the fleet stay outside it \(existing: true\)[^\n]*\n {2}- name: rg-shop\n {4}existing: true/);
    expect(run.fleet).toMatch(/# has tags in Azure \("team": "shop"\): .*\n {2}- name: id-shop-worker/);
  });

  test('a second adopt and synth of the same exports are byte-identical', async () => {
    const again = await adoptAndSynth('aks-again', aksArgs(), 'shop');
    expect(again.fleet).toBe(run.fleet);
    const strip = (tree: Map<string, Buffer>) => new Map([...tree].filter(([f]) => f !== 'summary.json'));
    expect(strip(readTree(path.join(again.dir, 'out')))).toEqual(strip(readTree(path.join(run.dir, 'out'))));
  });

  test('an identity whose FICs were not read is named, with the command that lists them', async () => {
    const dir = path.join(work, 'no-fics');
    fs.mkdirSync(dir);
    const args = aksArgs().filter((a, i, all) => !(a.endsWith('fics-id-shop-worker.json') || (a === '--federated-credentials' && all[i + 1]?.endsWith('fics-id-shop-worker.json'))));
    const adopt = await runCli(['adopt', ...args], dir);
    expect(adopt.code).toBe(0);
    expect(adopt.stderr).toContain('identity id-shop-worker: no FIC of it was read; if it has FICs, pass `az identity federated-credential list --identity-name id-shop-worker -g rg-shop --output json`');
  });
});

describe('an azwi-made self-managed cluster', () => {
  let run: Awaited<ReturnType<typeof adoptAndSynth>>;
  beforeAll(async () => {
    run = await adoptAndSynth('azwi', azwiArgs(), 'azwi');
  });

  test('its issuer is kept byte for byte, trailing slash and all, and nothing of its hosting is managed', () => {
    expect(run.synth.code).toBe(0);
    const fics = Object.values<Json>(run.tf.resource.azurerm_federated_identity_credential);
    expect(fics.map((f) => [f.name, f.issuer, f.subject])).toEqual([['kubernetes-federated-credential', AZWI_ISSUER, 'system:serviceaccount:default:workload-identity-sa']]);
    expect(run.tf.resource.azurerm_storage_account).toBeUndefined();
    expect(run.fleet).toContain('# guessed: the issuer stays hosted as it is (external-issuer)');
  });

  test('every resource is imported, the role assignment at its Key Vault scope', () => {
    expect((run.tf.import as Json[]).map((i) => i.to).sort()).toEqual(resourceAddresses(run.tf));
    const [role] = readJson('azwi', 'role-assignments.json');
    expect((run.tf.import as Json[]).map((i) => i.id)).toContain(role.id);
  });

  test('the webhook the cluster runs is declared, and the service account carries the client id', () => {
    const files = fs.readdirSync(path.join(run.dir, 'out', 'kubernetes', 'kind-azwi'));
    expect(files).toContain('helmrelease_azure-workload-identity-system_workload-identity-webhook.yaml');
    const sa = YAML.parse(fs.readFileSync(path.join(run.dir, 'out', 'kubernetes', 'kind-azwi', 'serviceaccount_default_workload-identity-sa.yaml'), 'utf8'));
    expect(sa.metadata.annotations['azure.workload.identity/client-id']).toBe('5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b');
  });

  test('without --issuer for its cluster, every FIC is reported unmapped and none is dropped silently', async () => {
    const dir = path.join(work, 'azwi-no-issuer');
    fs.mkdirSync(dir);
    const adopt = await runCli(['adopt', ...azwiArgs().slice(0, -4), '--name', 'azwi'], dir);
    expect(adopt.code).toBe(0);
    expect(adopt.stderr).toContain(`FIC kubernetes-federated-credential`);
    expect(adopt.stderr).toContain(`has issuer "${AZWI_ISSUER}", which is no cluster's`);
  });
});

describe('refusals', () => {
  const dirOf = (name: string) => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    return dir;
  };

  /** adopt of the AKS exports with id-shop-api's FIC list edited. */
  const adoptWithEditedFics = async (name: string, edit: (fics: Json[]) => void) => {
    const dir = dirOf(name);
    const fics = readJson('aks', 'fics-id-shop-api.json');
    edit(fics);
    fs.writeFileSync(path.join(dir, 'fics.json'), JSON.stringify(fics));
    const args = aksArgs().map((a) => (a.endsWith('fics-id-shop-api.json') ? path.join(dir, 'fics.json') : a));
    return { dir, adopt: await runCli(['adopt', ...args], dir) };
  };

  test('a fleet file that exists is never overwritten', async () => {
    const dir = dirOf('taken');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'mine\n');
    const adopt = await runCli(['adopt', ...aksArgs()], dir);
    expect(adopt.code).toBe(1);
    expect(adopt.stderr).toContain('fleet.yaml: already exists; wisynth adopt never overwrites a file, so nothing was written');
    expect(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8')).toBe('mine\n');
  });

  test('an export that is not what az prints: file, entry, field, fix, exit 1, no stack trace, nothing written', async () => {
    const dir = dirOf('bad-exports');
    const identities = readJson('aks', 'identities.json');
    identities[1].clientId = 'not-a-guid';
    delete identities[0].name;
    fs.writeFileSync(path.join(dir, 'identities.json'), JSON.stringify(identities));
    fs.writeFileSync(path.join(dir, 'fics.json'), JSON.stringify({ value: [] }));
    fs.writeFileSync(path.join(dir, 'roles.json'), '[{"id": "x"');
    const adopt = await runCli(['adopt', '--identities', 'identities.json', '--federated-credentials', 'fics.json', '--role-assignments', 'roles.json', '--issuer', 'Kind=https://x.example/', '--issuer', 'kind=http://x.example/'], dir);
    expect(adopt.code).toBe(1);
    expect(adopt.stderr).toContain('identities.json [0].name: must be a string, not "missing"');
    expect(adopt.stderr).toContain('identities.json [1].clientId: is not a GUID');
    expect(adopt.stderr).toContain('fics.json: is object, not the JSON list az identity federated-credential list');
    expect(adopt.stderr).toContain('roles.json: cannot read it');
    expect(adopt.stderr).toContain('--issuer "Kind=https://x.example/": cluster name is not allowed');
    expect(adopt.stderr).toContain('--issuer "kind=http://x.example/": issuer is not https');
    expect(adopt.stderr).toContain('fix: pass what `az identity list --output json` printed, unedited');
    expect(adopt.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'fleet.yaml'))).toBe(false);
  });

  test('text from an export never reaches a message unescaped: a control character is refused, quoted', async () => {
    const { dir, adopt } = await adoptWithEditedFics('hostile', (fics) => (fics[1].issuer = 'https://evil.example/\n  - name: injected\u001b[2J'));
    expect(adopt.code).toBe(1);
    expect(adopt.stderr).toContain('fics.json [1].issuer:');
    expect(adopt.stderr).not.toContain('\u001b');
    expect(adopt.stderr).not.toContain('\n  - name: injected');
    expect(fs.existsSync(path.join(dir, 'fleet.yaml'))).toBe(false);
  });

  test('a subject, name or scope that maps onto nothing is quoted in the report, and stays out of the fleet', async () => {
    const { dir, adopt } = await adoptWithEditedFics('odd-values', (fics) => (fics[0].subject = 'system:serviceaccount:shop:api # clusters: []'));
    expect(adopt.code).toBe(0);
    expect(adopt.stderr).toContain('has subject "system:serviceaccount:shop:api # clusters: []", which is no Kubernetes service account');
    const fleet = YAML.parse(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8'));
    expect(fleet.clusters[0].workloads.map((w: Json) => w.serviceAccount)).toEqual(['worker']);
  });
});

describe('adopt fields in a fleet written by hand', () => {
  const FLEET = (edit: (doc: Json) => void): string => {
    const doc: Json = {
      name: 'shop',
      azure: { tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', location: 'westeurope' },
      resourceGroups: [{ name: 'rg-shop', existing: true }],
      identities: [{ name: 'id-shop-api', resourceGroup: 'rg-shop', adopt: true }],
      clusters: [{ name: 'eks', platform: 'external-issuer', externalIssuer: { issuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C64F4A2B1E8D7C3F6A9B0E2D1C4F7A8' }, workloads: [{ namespace: 'shop', serviceAccount: 'api', identity: 'id-shop-api' }] }],
    };
    edit(doc);
    return YAML.stringify(doc);
  };
  const synth = async (name: string, text: string) => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
    const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
    return { ...run, out: path.join(dir, 'out') };
  };

  test('adopt: true imports the identity, and its client id stays an output until apply', async () => {
    const run = await synth('hand-adopt', FLEET(() => {}));
    expect(run.code).toBe(0);
    const tf = JSON.parse(fs.readFileSync(path.join(run.out, 'terraform', 'stacks', 'shop', 'cdk.tf.json'), 'utf8'));
    expect(tf.import.map((i: Json) => i.id)).toEqual(['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-shop/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shop-api']);
    // its FIC is new: created beside the identity that is imported
    expect(Object.keys(tf.resource.azurerm_federated_identity_credential)).toHaveLength(1);
  });

  test('existing and adopt together are refused: one is referred to, the other taken over', async () => {
    const run = await synth('hand-both', FLEET((d) => (d.identities[0].existing = { clientId: '0c7b9e2a-3f4d-4b5c-8a6e-1d2f3a4b5c6d' })));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('identities[0].adopt: an identity is either existing (referred to, never managed) or adopted (imported, then managed by Terraform), not both');
  });

  test('a FIC is adopted only on an adopted identity, under a name Entra gives', async () => {
    const notAdopted = await synth('hand-fic', FLEET((d) => {
      delete d.identities[0].adopt;
      d.clusters[0].workloads[0].adopt = { federatedCredential: 'api-fic' };
    }));
    expect(notAdopted.code).toBe(1);
    expect(notAdopted.stderr).toContain('workloads[0].adopt.federatedCredential: identity "id-shop-api" is not adopted, so no FIC of it is imported');
    const badName = await synth('hand-fic-name', FLEET((d) => (d.clusters[0].workloads[0].adopt = { federatedCredential: 'x/../y' })));
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('is no name Entra gives a FIC');
  });

  test('a role assignment is adopted only at its own scope, by an id of a role assignment', async () => {
    const scope = '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-shop';
    const other = '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-other/providers/Microsoft.Authorization/roleAssignments/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    const elsewhere = await synth('hand-role', FLEET((d) => (d.identities[0].roles = [{ role: 'Reader', scope, adopt: other }])));
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`identities[0].roles[0].adopt: role assignment "${other}" is not at this grant's scope`);
    const notAnId = await synth('hand-role-id', FLEET((d) => (d.identities[0].roles = [{ role: 'Reader', scope, adopt: `${scope}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7` }])));
    expect(notAnId.code).toBe(1);
    expect(notAnId.stderr).toContain('is no id of a role assignment');
  });
});

describe('adoption in TypeScript', () => {
  const build = (hosting: 'blobContainer' | 'staticWebsite') => {
    const dir = fs.mkdtempSync(path.join(work, 'code-'));
    writeKeyPair(path.join(dir, 'keys'));
    const fleet = new Fleet({ name: 'code', azure: { tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', location: 'westeurope' }, baseDir: dir });
    const group = new ResourceGroup(fleet, 'rg-oidc', { adopt: true });
    new SelfManagedCluster(fleet, 'kubeadm-dev', {
      distribution: 'kubeadm',
      issuer: { hosting, storageAccount: 'stoidcdev', resourceGroup: group, container: 'oidc', adopt: true },
      serviceAccountKeys: { publicKeyFiles: ['keys/sa.pub'], privateKeyFile: 'keys/sa.key' },
    });
    return { fleet, out: path.join(dir, 'out') };
  };

  test('an adopted group and blob-container issuer are imported: group and storage by ARM id, the documents by URL', () => {
    const { fleet, out } = build('blobContainer');
    synthesizeFleet(fleet, { outDir: out });
    const tf = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', 'code', 'cdk.tf.json'), 'utf8'));
    const account = '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-oidc/providers/Microsoft.Storage/storageAccounts/stoidcdev';
    expect(Object.fromEntries(tf.import.map((i: Json) => [i.to, i.id]))).toEqual({
      'azurerm_resource_group.rg_rg-oidc': '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-oidc',
      'azurerm_storage_account.oidc_kubeadm-dev_account': account,
      'azurerm_storage_container.oidc_kubeadm-dev_container': `${account}/blobServices/default/containers/oidc`,
      'azurerm_storage_blob.oidc_kubeadm-dev_discovery': 'https://stoidcdev.blob.core.windows.net/oidc/.well-known/openid-configuration',
      'azurerm_storage_blob.oidc_kubeadm-dev_jwks': 'https://stoidcdev.blob.core.windows.net/oidc/openid/v1/jwks',
    });
  });

  test('a static website is not adopted: it has no container to import', () => {
    const { fleet, out } = build('staticWebsite');
    expect(() => synthesizeFleet(fleet, { outDir: out })).toThrow(FleetError);
    expect(() => synthesizeFleet(fleet, { outDir: out })).toThrow(/only a blob-container issuer is adopted/);
  });
});

test('an identity of another subscription is reported, with its FICs, and not adopted into the fleet', async () => {
  const dir = path.join(work, 'two-subscriptions');
  fs.mkdirSync(dir);
  const identities = readJson('aks', 'identities.json');
  identities[1].id = identities[1].id.replace('9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', '11111111-2222-4333-8444-555555555555');
  fs.writeFileSync(path.join(dir, 'identities.json'), JSON.stringify(identities));
  const args = aksArgs().map((a) => (a.endsWith('identities.json') ? path.join(dir, 'identities.json') : a));
  const adopt = await runCli(['adopt', ...args], dir);
  expect(adopt.code).toBe(0);
  expect(adopt.stderr).toContain("identity id-shop-worker (\"/subscriptions/11111111-2222-4333-8444-555555555555/");
  expect(adopt.stderr).toContain("is in another subscription than the fleet's 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b");
  expect(adopt.stderr).toContain('FIC worker');
  const fleet = YAML.parse(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8'));
  expect(fleet.identities.map((i: Json) => i.name)).toEqual(['id-shop-api']);
});
