/**
 * Issue 13, items 1 and 2: what the API server is given during a key rotation and an issuer change.
 * - kind: one bundle in OUT/clusters/<cluster>/ holds every published key, mounted read-only where the
 *   single `service-account-key-file` points (kind merges patch flags by name).
 * - kubeadm: one `service-account-key-file` per published key, and the hosted issuer first, the previous ones after.
 * - Giant Swarm: the previous issuers after the hosted one.
 * - Tokens signed by the old and by the new key both verify against the JWKS, and both keys are in the bundle.
 * - `check` reports an API server whose keys are not the published ones, and a FIC issuer it does not accept.
 */
import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify, importPKCS8, SignJWT } from 'jose';
import type { CheckReport } from '../src/check/check';
import { main } from '../src/cli/main';
import { writeKeyPair } from './support';

/** Parsed YAML or JSON. */
type Json = any;

const TENANT = '0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const SUBSCRIPTION = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const AUDIENCE = 'api://AzureADTokenExchange';
const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const OLD_ISSUER = 'https://issuer.example.com/old-cluster';
const KIND_ISSUER = 'https://stwisynthkind13.blob.core.windows.net/kind';
const KUBEADM_ISSUER = 'https://stwisynthkadm13.blob.core.windows.net/kubeadm';
const BUNDLE_PATH = '/etc/kubernetes/pki/sa-verify-keys.pub';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { cwd, env: {}, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function cli(argv: string[], cwd: string): Promise<void> {
  const r = await run(argv, cwd);
  if (r.code !== 0) throw new Error(`wisynth ${argv.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
}

function storage(account: string, container: string): string {
  return `      issuer:\n        hosting: blobContainer\n        storageAccount: ${account}\n        resourceGroup: rg-e2e\n        container: ${container}`;
}

function workloads(): string {
  return `    workloads:\n      - namespace: orders\n        serviceAccount: orders-api\n        identity: id-orders\n        createNamespace: true`;
}

/** kind, kubeadm and Giant Swarm clusters publishing [new, old]; kubeadm with its default previous issuer, Giant Swarm with a declared one. */
function fleetYaml(opts: { kubeadmPrevious?: string[] } = {}): string {
  const keys = `      serviceAccountKeys:\n        publicKeyFiles:\n          - keys/new/sa.pub\n          - keys/old/sa.pub`;
  const previous = opts.kubeadmPrevious ? `\n      previousIssuers:\n${opts.kubeadmPrevious.map((i) => `        - ${i}`).join('\n')}` : '';
  return `name: e2e
azure:
  tenantId: ${TENANT}
  subscriptionId: ${SUBSCRIPTION}
  location: westeurope
resourceGroups:
  - name: rg-e2e
identities:
  - name: id-orders
    resourceGroup: rg-e2e
clusters:
  - name: kind-13
    platform: self-managed
    selfManaged:
      distribution: kind
${storage('stwisynthkind13', 'kind')}
${keys}
        privateKeyFile: keys/new/sa.key
${workloads()}
  - name: kubeadm-13
    platform: self-managed
    selfManaged:
      distribution: kubeadm${previous}
${storage('stwisynthkadm13', 'kubeadm')}
${keys}
        privateKeyFile: keys/new/sa.key
${workloads()}
  - name: gs-13
    platform: self-managed
    selfManaged:
      distribution: giantswarm
      previousIssuers:
        - ${OLD_ISSUER}
        - ${DEFAULT_ISSUER}
${storage('stwisynthgs13', 'gsp')}
      serviceAccountKeys:
        publicKeyFiles:
          - keys/old/sa.pub
${workloads()}
`;
}

/** The kid Kubernetes and azwi give a key: base64url SHA-256 of its DER SubjectPublicKeyInfo. */
function kid(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64url');
}

let dir: string;
let out: string;
let oldKey: KeyObject;
let newKey: KeyObject;

const read = (rel: string) => fs.readFileSync(path.join(out, ...rel.split('/')), 'utf8');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-api-server-keys-'));
  writeKeyPair(path.join(dir, 'keys/old'));
  writeKeyPair(path.join(dir, 'keys/new'));
  oldKey = createPrivateKey(fs.readFileSync(path.join(dir, 'keys/old/sa.key'), 'utf8'));
  newKey = createPrivateKey(fs.readFileSync(path.join(dir, 'keys/new/sa.key'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), fleetYaml());
  await cli(['synth', '-c', path.join(dir, 'fleet.yaml'), '-o', 'out'], dir);
  out = path.join(dir, 'out');
}, 120_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function kindConfig(): { config: Json; patch: Json } {
  const config = yaml.load(read('clusters/kind-13/kind-cluster.yaml')) as Json;
  return { config, patch: yaml.load(config.kubeadmConfigPatches[0]) };
}

function bundleKids(text: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => kid(createPublicKey(m[0])));
}

function jwksOf(cluster: string): JSONWebKeySet {
  return JSON.parse(read(`oidc/${cluster}/openid/v1/jwks`)) as JSONWebKeySet;
}

describe('kind: one bundle of every published key', () => {
  test('the flag points at the mount of the bundle, which holds every published key in publicKeyFiles order (the JWKS is in kid order)', () => {
    const { config, patch } = kindConfig();
    expect(patch.apiServer.extraArgs['service-account-key-file']).toBe(BUNDLE_PATH);
    expect(patch.apiServer.extraArgs['service-account-issuer']).toBe(KIND_ISSUER);
    const mount = config.nodes[0].extraMounts.find((m: Json) => m.containerPath === BUNDLE_PATH);
    expect(mount).toEqual({ hostPath: 'service-account-keys.pem', containerPath: BUNDLE_PATH, readOnly: true });
    // kind resolves a relative hostPath against the current folder: the cluster's folder of OUT.
    const bundle = fs.readFileSync(path.join(out, 'clusters', 'kind-13', mount.hostPath), 'utf8');
    expect(bundle).not.toMatch(/PRIVATE KEY/);
    expect(bundleKids(bundle)).toEqual([kid(createPublicKey(newKey)), kid(createPublicKey(oldKey))]);
    expect([...bundleKids(bundle)].sort()).toEqual(jwksOf('kind-13').keys.map((k) => k.kid));
  });

  test('the other mounts resolve from the cluster folder to the key files of the fleet', () => {
    const { config } = kindConfig();
    const byContainer = Object.fromEntries(config.nodes[0].extraMounts.map((m: Json) => [m.containerPath, path.resolve(out, 'clusters', 'kind-13', m.hostPath)]));
    expect(byContainer['/etc/kubernetes/pki/sa.key']).toBe(path.join(dir, 'keys/new/sa.key'));
    expect(byContainer['/etc/kubernetes/pki/sa.pub']).toBe(path.join(dir, 'keys/new/sa.pub'));
  });

  test('previous issuers are refused for kind, where a patch cannot repeat a flag', async () => {
    const text = fleetYaml().replace('      distribution: kind\n', `      distribution: kind\n      previousIssuers:\n        - ${DEFAULT_ISSUER}\n`);
    fs.writeFileSync(path.join(dir, 'kind-previous.yaml'), text);
    const r = await run(['synth', '-c', path.join(dir, 'kind-previous.yaml'), '-o', 'kind-previous-out'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/previousIssuers/);
    expect(r.stderr).toMatch(/kind cluster takes no previous issuers/);
  });
});

describe('kubeadm: one key file per key, the hosted issuer first and the previous ones after', () => {
  const args = () => (yaml.load(read('clusters/kubeadm-13/kubeadm-cluster-configuration.yaml')) as Json).apiServer.extraArgs as Array<{ name: string; value: string }>;
  const values = (name: string) => args().filter((a) => a.name === name).map((a) => a.value);

  test('one service-account-key-file per published key; one signing key', () => {
    expect(values('service-account-key-file')).toEqual(['/etc/kubernetes/pki/sa.pub', '/etc/kubernetes/pki/sa-1.pub']);
    expect(values('service-account-key-file')).toHaveLength(jwksOf('kubeadm-13').keys.length);
    expect(values('service-account-signing-key-file')).toEqual(['/etc/kubernetes/pki/sa.key']);
  });

  test("both issuers in order: the hosted one (which signs), then kubeadm's default", () => {
    expect(values('service-account-issuer')).toEqual([KUBEADM_ISSUER, DEFAULT_ISSUER]);
  });

  test('the file says which fleet key goes to which node path', () => {
    const text = read('clusters/kubeadm-13/kubeadm-cluster-configuration.yaml');
    expect(text).toContain('#   keys/new/sa.pub -> /etc/kubernetes/pki/sa.pub');
    expect(text).toContain('#   keys/old/sa.pub -> /etc/kubernetes/pki/sa-1.pub');
  });

  test('previousIssuers replaces the default, and a bad issuer there is refused with the issuer rules', async () => {
    fs.writeFileSync(path.join(dir, 'custom.yaml'), fleetYaml({ kubeadmPrevious: [OLD_ISSUER] }));
    await cli(['synth', '-c', path.join(dir, 'custom.yaml'), '-o', 'custom-out'], dir);
    const custom = yaml.load(fs.readFileSync(path.join(dir, 'custom-out/clusters/kubeadm-13/kubeadm-cluster-configuration.yaml'), 'utf8')) as Json;
    expect(custom.apiServer.extraArgs.filter((a: Json) => a.name === 'service-account-issuer').map((a: Json) => a.value)).toEqual([KUBEADM_ISSUER, OLD_ISSUER]);

    fs.writeFileSync(path.join(dir, 'bad.yaml'), fleetYaml({ kubeadmPrevious: ['http://issuer.example.com/'] }));
    const bad = await run(['synth', '-c', path.join(dir, 'bad.yaml'), '-o', 'bad-out'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/previousIssuers/);
    expect(bad.stderr).toMatch(/https/);

    fs.writeFileSync(path.join(dir, 'same.yaml'), fleetYaml({ kubeadmPrevious: [KUBEADM_ISSUER] }));
    const same = await run(['synth', '-c', path.join(dir, 'same.yaml'), '-o', 'same-out'], dir);
    expect(same.code).not.toBe(0);
    expect(same.stderr).toMatch(/is the cluster.s issuer itself/);
  });
});

test('Giant Swarm: the declared previous issuers follow the hosted one', () => {
  const values = yaml.load(read('clusters/gs-13/giantswarm-values.yaml')) as Json;
  const issuers = values.cluster.providerIntegration.controlPlane.kubeadmConfig.clusterConfiguration.apiServer.serviceAccountIssuers;
  expect(issuers).toEqual([{ url: 'https://stwisynthgs13.blob.core.windows.net/gsp' }, { url: OLD_ISSUER }, { url: DEFAULT_ISSUER }]);
});

describe('rotation end to end: [new, old] published', () => {
  async function token(key: KeyObject): Promise<string> {
    const signing = await importPKCS8(key.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: kid(createPublicKey(key)) })
      .setIssuer(KIND_ISSUER)
      .setSubject('system:serviceaccount:orders:orders-api')
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(signing);
  }

  test('tokens signed by the old and by the new key both verify against the JWKS, and both keys are in the API server bundle', async () => {
    const jwks = jwksOf('kind-13');
    const fic = Object.values(JSON.parse(read('terraform/stacks/e2e/cdk.tf.json')).resource.azurerm_federated_identity_credential as Record<string, Json>).find(
      (f) => f.issuer === KIND_ISSUER,
    );
    expect(fic).toBeDefined();
    const bundle = bundleKids(fs.readFileSync(path.join(out, 'clusters/kind-13/service-account-keys.pem'), 'utf8'));
    for (const key of [newKey, oldKey]) {
      const verified = await jwtVerify(await token(key), createLocalJWKSet(jwks), { issuer: fic.issuer, audience: fic.audience, subject: fic.subject });
      expect(verified.protectedHeader.kid).toBe(kid(createPublicKey(key)));
      // what the API server verifies in-cluster tokens with
      expect(bundle).toContain(verified.protectedHeader.kid);
    }
    // the first of publicKeyFiles is the one the API server signs with (the hosted JWKS is in kid order)
    expect(bundle[0]).toBe(kid(createPublicKey(newKey)));
    expect(JSON.parse(read('summary.json')).clusters.find((c: Json) => c.name === 'kind-13').signingKeyId).toBe(kid(createPublicKey(newKey)));
  });
});

describe('check: mutations', () => {
  let n = 0;
  function copy(): string {
    const to = path.join(dir, `mutation-${++n}`);
    fs.cpSync(out, to, { recursive: true });
    return to;
  }

  async function errors(at: string): Promise<CheckReport['findings']> {
    const r = await run(['check', at, '--json'], dir);
    return (JSON.parse(r.stdout) as CheckReport).findings.filter((f) => f.severity === 'error');
  }

  test('the untouched output passes', async () => {
    expect(await errors(copy())).toEqual([]);
  });

  test('a kind bundle without the old key: api-server-keys', async () => {
    const at = copy();
    const file = path.join(at, 'clusters/kind-13/service-account-keys.pem');
    const blocks = [...fs.readFileSync(file, 'utf8').matchAll(PEM_BLOCK)].map((m) => m[0]);
    fs.writeFileSync(file, `${blocks[0]}\n`);
    const found = await errors(at);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'api-server-keys', file: 'clusters/kind-13/service-account-keys.pem', object: '(file)' });
    expect(found[0].message).toContain(kid(createPublicKey(oldKey)));
    expect(found[0].fix).toMatch(/synth again/);
  });

  test('a kubeadm fragment with one key file for two published keys: api-server-keys', async () => {
    const at = copy();
    const file = path.join(at, 'clusters/kubeadm-13/kubeadm-cluster-configuration.yaml');
    const doc = yaml.load(fs.readFileSync(file, 'utf8')) as Json;
    doc.apiServer.extraArgs = doc.apiServer.extraArgs.filter((a: Json) => a.value !== '/etc/kubernetes/pki/sa-1.pub');
    fs.writeFileSync(file, yaml.dump(doc));
    const found = await errors(at);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'api-server-keys', file: 'clusters/kubeadm-13/kubeadm-cluster-configuration.yaml', object: 'apiServer.extraArgs service-account-key-file' });
    expect(found[0].message).toMatch(/1 service-account-key-file flag.*publishes 2 key/);
  });

  test('a kind patch without service-account-issuer: the FIC issuer is not accepted (api-server-issuer)', async () => {
    const at = copy();
    const file = path.join(at, 'clusters/kind-13/kind-cluster.yaml');
    const config = yaml.load(fs.readFileSync(file, 'utf8')) as Json;
    const patch = yaml.load(config.kubeadmConfigPatches[0]) as Json;
    delete patch.apiServer.extraArgs['service-account-issuer'];
    config.kubeadmConfigPatches[0] = yaml.dump(patch);
    fs.writeFileSync(file, yaml.dump(config));
    const found = await errors(at);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'api-server-issuer', file: 'clusters/kind-13/kind-cluster.yaml', object: 'kubeadmConfigPatches ClusterConfiguration service-account-issuer' });
    expect(found[0].message).toContain(KIND_ISSUER);
    expect(found[0].fix).toContain(KIND_ISSUER);
  });

  test('a kubeadm fragment without any service-account-issuer: api-server-issuer, and no other error', async () => {
    const at = copy();
    const file = path.join(at, 'clusters/kubeadm-13/kubeadm-cluster-configuration.yaml');
    const doc = yaml.load(fs.readFileSync(file, 'utf8')) as Json;
    doc.apiServer.extraArgs = doc.apiServer.extraArgs.filter((a: Json) => a.name !== 'service-account-issuer');
    fs.writeFileSync(file, yaml.dump(doc));
    const found = await errors(at);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'api-server-issuer', file: 'clusters/kubeadm-13/kubeadm-cluster-configuration.yaml', object: 'apiServer.extraArgs service-account-issuer' });
    expect(found[0].message).toContain(KUBEADM_ISSUER);
  });

  test('a kubeadm fragment left with only the previous issuer: api-server-issuer reports it, once', async () => {
    const at = copy();
    const file = path.join(at, 'clusters/kubeadm-13/kubeadm-cluster-configuration.yaml');
    const doc = yaml.load(fs.readFileSync(file, 'utf8')) as Json;
    doc.apiServer.extraArgs = doc.apiServer.extraArgs.filter((a: Json) => a.value !== KUBEADM_ISSUER);
    fs.writeFileSync(file, yaml.dump(doc));
    const found = await errors(at);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'api-server-issuer', file: 'clusters/kubeadm-13/kubeadm-cluster-configuration.yaml' });
  });
});
