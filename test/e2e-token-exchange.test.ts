/**
 * End to end, Entra's part played by jose: a self-managed kind cluster's synthesized issuer documents, served
 * over loopback HTTP at the blob URLs the Terraform stack would upload them to, accept a token shaped like a
 * Kubernetes service-account token exactly when the federated identity credential (FIC) in cdk.tf.json does:
 * same issuer byte for byte, subject, audience, and a signature by a published key. Then a key rotation, and
 * the synthesized kind config against the kind schema.
 *
 * jose is the v5 line (its CommonJS build): jose 6 ships ESM only, which jest's CommonJS runtime cannot load.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import * as yaml from 'js-yaml';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey, importPKCS8, SignJWT } from 'jose';
import { main } from '../src/cli/main';
import { copyExampleInputs, readTree, ROOT } from './support';

const TENANT = '0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const SUBSCRIPTION = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const ACCOUNT = 'stwisynthe2e';
const CONTAINER = 'e2e';
const CLUSTER = 'kind-e2e';
const NAMESPACE = 'orders';
const SERVICE_ACCOUNT = 'orders-api';
const AUDIENCE = 'api://AzureADTokenExchange';
const OLD_KEYS = `keys/${CLUSTER}`;
const NEW_KEYS = `keys/${CLUSTER}-new`;
const KUBERNETES_DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** Bounds every loopback request: a hung server fails the test instead of stalling it. */
const FETCH_TIMEOUT_MS = 5000;

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI in process

async function cli(argv: string[], cwd: string): Promise<void> {
  const lines: string[] = [];
  const code = await main(argv, { cwd, env: {}, out: (l) => lines.push(l), err: (l) => lines.push(l) });
  if (code !== 0) throw new Error(`wisynth ${argv.join(' ')} exited ${code}:\n${lines.join('\n')}`);
}

function fleetYaml(publicKeyFiles: string[], privateKeyFile: string): string {
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
  - name: ${CLUSTER}
    platform: self-managed
    selfManaged:
      distribution: kind
      issuer:
        hosting: blobContainer
        storageAccount: ${ACCOUNT}
        resourceGroup: rg-e2e
        container: ${CONTAINER}
      serviceAccountKeys:
        publicKeyFiles:
${publicKeyFiles.map((file) => `          - ${file}`).join('\n')}
        privateKeyFile: ${privateKeyFile}
    workloads:
      - namespace: ${NAMESPACE}
        serviceAccount: ${SERVICE_ACCOUNT}
        identity: id-orders
        createNamespace: true
`;
}

/**
 * Writes the fleet file as `<name>.yaml` in dir and synthesizes it into dir/<name>-out; returns that folder.
 * `-c` is given absolute: synth resolves it against the process's folder, not the context's cwd.
 */
async function synth(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, text);
  await cli(['synth', '-c', file, '-o', `${name}-out`], dir);
  return path.join(dir, `${name}-out`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the synthesized output

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function terraformResources(out: string, stack: string): Resources {
  const tf = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  return tf.resource as Resources;
}

interface Fic {
  issuer: string;
  subject: string;
  audience: string[];
}

/** The FIC of one cluster's service account: what Entra holds. Exactly one must exist. */
function ficFor(resources: Resources, cluster: string, namespace: string, serviceAccount: string): Fic {
  const subject = `system:serviceaccount:${namespace}:${serviceAccount}`;
  const found = Object.values(resources.azurerm_federated_identity_credential ?? {}).filter(
    (fic) => fic.subject === subject && String(fic.name).startsWith(`${cluster}_`),
  );
  expect(found).toHaveLength(1);
  const [fic] = found;
  expect(fic.audience).toHaveLength(1);
  return { issuer: fic.issuer as string, subject: fic.subject as string, audience: fic.audience as string[] };
}

/** The public URL of the blob container that Terraform creates for a blobContainer-hosted issuer. */
function blobContainerUrl(resources: Resources): string {
  const containers = Object.values(resources.azurerm_storage_container ?? {});
  expect(containers).toHaveLength(1);
  const [container] = containers;
  const ref = /^\$\{azurerm_storage_account\.([^.]+)\.id\}$/.exec(String(container.storage_account_id));
  if (!ref) throw new Error(`container is not tied to a storage account of the stack: ${String(container.storage_account_id)}`);
  const account = resources.azurerm_storage_account[ref[1]];
  return `https://${String(account.name)}.blob.core.windows.net/${String(container.name)}`;
}

interface KindConfig {
  kind: string;
  apiVersion: string;
  name: string;
  nodes: Array<{ role: string; extraMounts: Array<{ hostPath: string; containerPath: string; readOnly?: boolean }> }>;
  kubeadmConfigPatches: string[];
}

function kindConfig(out: string, cluster: string): { text: string; config: KindConfig; patches: Array<Record<string, any>> } {
  const text = fs.readFileSync(path.join(out, 'clusters', cluster, 'kind-cluster.yaml'), 'utf8');
  const config = yaml.load(text) as KindConfig;
  const patches = config.kubeadmConfigPatches.map((patch) => yaml.load(patch) as Record<string, any>);
  return { text, config, patches };
}

/** The issuer the API server signs with: the `service-account-issuer` flag of the kind config's kubeadm patch. */
function apiServerIssuer(out: string, cluster: string): string {
  const { patches } = kindConfig(out, cluster);
  const flags = patches.filter((p) => p.kind === 'ClusterConfiguration').map((p) => p.apiServer?.extraArgs?.['service-account-issuer']);
  expect(flags).toHaveLength(1);
  expect(typeof flags[0]).toBe('string');
  return flags[0] as string;
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Storage, on loopback

interface Served {
  origin: string;
  close(): Promise<void>;
}

/** Serves a folder read-only over HTTP on 127.0.0.1 (GET only, files only, no escaping the folder). */
async function serve(root: string): Promise<Served> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const file = path.join(root, ...decodeURIComponent(url.pathname).split('/').filter(Boolean));
    const inside = file.startsWith(root + path.sep);
    if (req.method !== 'GET' || !inside || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(req.method === 'GET' ? 404 : 405).end();
      return;
    }
    // The blobs' content type, as the Terraform stack sets it.
    res.writeHead(200, { 'content-type': 'application/json' }).end(fs.readFileSync(file));
  });
  server.requestTimeout = FETCH_TIMEOUT_MS;
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * This test's DNS: the one public URL prefix that exists (where the blobs are uploaded), mapped onto the
 * loopback server. Any other URL does not resolve.
 */
function dns(publicPrefix: string, served: Served): (url: string) => string {
  return (url) => {
    if (!url.startsWith(`${publicPrefix}/`)) throw new Error(`${url}: no such host or path in this test (only ${publicPrefix}/...)`);
    return served.origin + url.slice(publicPrefix.length);
  };
}

async function fetchJson(url: string): Promise<{ body: any; contentType: string | null }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return { body: JSON.parse(await res.text()), contentType: res.headers.get('content-type') };
}

interface Entra {
  discovery: Record<string, unknown>;
  jwks: JSONWebKeySet;
  keys: JWTVerifyGetKey;
  jwksUrl: string;
}

/** What Entra does with a FIC's issuer: discovery document, then its jwks_uri, then the keys. */
async function entraFetch(fic: Fic, resolve: (url: string) => string): Promise<Entra> {
  const discoveryUrl = `${fic.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const discovery = await fetchJson(resolve(discoveryUrl));
  expect(discovery.contentType).toBe('application/json');
  expect(discovery.body.issuer).toBe(fic.issuer); // byte for byte
  const jwksUrl = resolve(discovery.body.jwks_uri);
  const { body: jwks } = await fetchJson(jwksUrl);
  return { discovery: discovery.body, jwks, keys: createLocalJWKSet(jwks), jwksUrl };
}

// ---------------------------------------------------------------------------------------------------------------
// The cluster's part: tokens like the API server's

/** The kid Kubernetes gives a key: base64url (no padding) of SHA-256 over the DER SubjectPublicKeyInfo. */
const kubernetesKid = (key: KeyObject): string => createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('base64url');

interface Signer {
  privateKey: KeyObject;
  kid: string;
}

function signerFromPem(pem: string): Signer {
  const privateKey = createPrivateKey(pem);
  return { privateKey, kid: kubernetesKid(privateKey) };
}

function freshSigner(): Signer {
  return signerFromPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

interface TokenClaims {
  iss: string;
  sub?: string;
  aud?: string;
}

/** A token shaped like a projected service-account token, signed RS256 with the given key and kid. */
async function serviceAccountToken(signer: Signer, claims: TokenClaims, kid = signer.kid): Promise<string> {
  // jose's importPKCS8 takes PKCS#8; keygen writes PKCS#1.
  const pkcs8 = signer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = await importPKCS8(pkcs8, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'kubernetes.io': { namespace: NAMESPACE, serviceaccount: { name: SERVICE_ACCOUNT, uid: '5b0d2c8e-0d6c-4a51-9d0e-2f1b3c4d5e6f' } },
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(claims.iss)
    .setSubject(claims.sub ?? `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(key);
}

/** Entra's match: the FIC's issuer, subject and audience, and a published RS256 key. */
const exchange = (token: string, fic: Fic, keys: JWTVerifyGetKey) =>
  jwtVerify(token, keys, { issuer: fic.issuer, subject: fic.subject, audience: fic.audience[0], algorithms: ['RS256'] });

async function rejection(promise: Promise<unknown>): Promise<{ code: string; claim?: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { code?: string; claim?: string };
    return { code: String(err.code), claim: err.claim };
  }
  throw new Error('the token was accepted');
}

// ---------------------------------------------------------------------------------------------------------------

let dir: string;
const servers: Served[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-e2e-'));
});

async function serveIssuer(out: string): Promise<Served> {
  const served = await serve(path.join(out, 'oidc', CLUSTER));
  servers.push(served);
  return served;
}

describe('token exchange against a synthesized self-managed issuer', () => {
  let out: string;
  let fic: Fic;
  let resources: Resources;
  let entra: Entra;
  let signer: Signer;
  let flagIssuer: string;

  beforeAll(async () => {
    await cli(['keygen', '-o', OLD_KEYS], dir);
    signer = signerFromPem(fs.readFileSync(path.join(dir, OLD_KEYS, 'sa.key'), 'utf8'));
    out = await synth(dir, 'fleet', fleetYaml([`${OLD_KEYS}/sa.pub`], `${OLD_KEYS}/sa.key`));
    resources = terraformResources(out, 'e2e');
    fic = ficFor(resources, CLUSTER, NAMESPACE, SERVICE_ACCOUNT);
    flagIssuer = apiServerIssuer(out, CLUSTER);
    entra = await entraFetch(fic, dns(blobContainerUrl(resources), await serveIssuer(out)));
  });

  test('the FIC holds the blob container issuer, the subject and the audience; the API server flag is the same string', () => {
    expect(fic).toEqual({
      issuer: `https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}`,
      subject: `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`,
      audience: [AUDIENCE],
    });
    expect(flagIssuer).toBe(fic.issuer);
    expect(entra.discovery.issuer).toBe(flagIssuer);
  });

  test('the served files are the blobs Terraform uploads, byte for byte, at the blob names', () => {
    const blobs = Object.values(resources.azurerm_storage_blob);
    const byName = new Map(blobs.map((b) => [String(b.name), b]));
    expect([...byName.keys()].sort()).toEqual(['.well-known/openid-configuration', 'openid/v1/jwks']);
    for (const [name, blob] of byName) {
      expect(fs.readFileSync(path.join(out, 'oidc', CLUSTER, name), 'utf8')).toBe(blob.source_content);
    }
    expect(entra.jwksUrl).toMatch(/\/openid\/v1\/jwks$/);
  });

  test("a token signed with keygen's key is accepted, with the FIC's subject", async () => {
    expect(entra.jwks.keys.map((k) => k.kid)).toEqual([signer.kid]);
    const token = await serviceAccountToken(signer, { iss: flagIssuer });
    const { payload, protectedHeader } = await exchange(token, fic, entra.keys);
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: signer.kid });
    expect(payload.sub).toBe(fic.subject);
    expect(payload.iss).toBe(fic.issuer);
  });

  test('the same, fetching the keys as a remote JWKS from jwks_uri', async () => {
    const token = await serviceAccountToken(signer, { iss: flagIssuer });
    const remote = createRemoteJWKSet(new URL(entra.jwksUrl), { timeoutDuration: FETCH_TIMEOUT_MS });
    await expect(exchange(token, fic, remote)).resolves.toMatchObject({ payload: { sub: fic.subject } });
  });

  test('an issuer differing only by a trailing slash is refused (AADSTS70021)', async () => {
    const token = await serviceAccountToken(signer, { iss: `${flagIssuer}/` });
    expect(await rejection(exchange(token, fic, entra.keys))).toEqual({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
  });

  test('another audience is refused', async () => {
    const token = await serviceAccountToken(signer, { iss: flagIssuer, aud: 'openshift' });
    expect(await rejection(exchange(token, fic, entra.keys))).toEqual({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
  });

  test('another service account is refused', async () => {
    const token = await serviceAccountToken(signer, { iss: flagIssuer, sub: `system:serviceaccount:${NAMESPACE}:default` });
    expect(await rejection(exchange(token, fic, entra.keys))).toEqual({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'sub' });
  });

  test('a key that is not published is refused: its own kid matches no key', async () => {
    const token = await serviceAccountToken(freshSigner(), { iss: flagIssuer });
    expect(await rejection(exchange(token, fic, entra.keys))).toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('a key that is not published is refused: under the published kid its signature fails', async () => {
    const token = await serviceAccountToken(freshSigner(), { iss: flagIssuer }, signer.kid);
    expect(await rejection(exchange(token, fic, entra.keys))).toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  describe('key rotation', () => {
    let newSigner: Signer;
    let rotatedOut: string;
    let onlyNewOut: string;

    beforeAll(async () => {
      await cli(['keygen', '-o', NEW_KEYS], dir);
      newSigner = signerFromPem(fs.readFileSync(path.join(dir, NEW_KEYS, 'sa.key'), 'utf8'));
      // The API server signs with the new key; the old one stays published until its tokens expire.
      rotatedOut = await synth(dir, 'rotated', fleetYaml([`${NEW_KEYS}/sa.pub`, `${OLD_KEYS}/sa.pub`], `${NEW_KEYS}/sa.key`));
      onlyNewOut = await synth(dir, 'only-new', fleetYaml([`${NEW_KEYS}/sa.pub`], `${NEW_KEYS}/sa.key`));
    });

    async function entraFor(rotOut: string): Promise<{ fic: Fic; entra: Entra }> {
      const res = terraformResources(rotOut, 'e2e');
      const rotFic = ficFor(res, CLUSTER, NAMESPACE, SERVICE_ACCOUNT);
      return { fic: rotFic, entra: await entraFetch(rotFic, dns(blobContainerUrl(res), await serveIssuer(rotOut))) };
    }

    test('with [new, old] published, both kids are listed (in kid order: the swap replaces no blob), and tokens of both keys are accepted', async () => {
      const rotated = await entraFor(rotatedOut);
      expect(rotated.fic).toEqual(fic); // rotation leaves the FIC as it is
      expect(apiServerIssuer(rotatedOut, CLUSTER)).toBe(fic.issuer);
      expect(rotated.entra.jwks.keys.map((k) => k.kid)).toEqual([newSigner.kid, signer.kid].sort());
      for (const s of [newSigner, signer]) {
        const token = await serviceAccountToken(s, { iss: flagIssuer });
        await expect(exchange(token, rotated.fic, rotated.entra.keys)).resolves.toMatchObject({ protectedHeader: { kid: s.kid } });
      }
      // The kind config now mounts the new pair, and the bundle of both keys (kind runs in the cluster's folder).
      const clusterDir = path.join(rotatedOut, 'clusters', CLUSTER);
      const mounts = kindConfig(rotatedOut, CLUSTER).config.nodes[0].extraMounts.map((m) => path.resolve(clusterDir, m.hostPath));
      expect(mounts).toEqual([path.join(dir, NEW_KEYS, 'sa.pub'), path.join(dir, NEW_KEYS, 'sa.key'), path.join(clusterDir, 'service-account-keys.pem')]);
      const bundle = fs.readFileSync(path.join(clusterDir, 'service-account-keys.pem'), 'utf8');
      expect([...bundle.matchAll(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g)].map((m) => createHash('sha256').update(createPublicKey(m[0]).export({ type: 'spki', format: 'der' })).digest('base64url'))).toEqual([newSigner.kid, signer.kid]);
    });

    test('with only [new] published, the old key is refused and the new one accepted', async () => {
      const onlyNew = await entraFor(onlyNewOut);
      expect(onlyNew.entra.jwks.keys.map((k) => k.kid)).toEqual([newSigner.kid]);
      const oldToken = await serviceAccountToken(signer, { iss: flagIssuer });
      expect(await rejection(exchange(oldToken, onlyNew.fic, onlyNew.entra.keys))).toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
      const newToken = await serviceAccountToken(newSigner, { iss: flagIssuer });
      await expect(exchange(newToken, onlyNew.fic, onlyNew.entra.keys)).resolves.toMatchObject({ payload: { sub: fic.subject } });
    });
  });

  describe('the kind config and what is written', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'kind', 'kind-cluster.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

    test('kind-cluster.yaml validates against the kind schema (which does refuse an unknown field)', () => {
      const { config } = kindConfig(out, CLUSTER);
      expect(validate(config) ? [] : validate.errors).toEqual([]);
      expect(validate({ ...config, nodes: [{ ...config.nodes[0], extraMount: [] }] })).toBe(false);
    });

    test('its kubeadm patch has no apiVersion, mounts sa.pub, sa.key and the key bundle at /etc/kubernetes/pki/ and sets the flags', () => {
      const { config, patches } = kindConfig(out, CLUSTER);
      expect(config).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: CLUSTER });
      expect(patches).toHaveLength(1);
      const [patch] = patches;
      expect(patch).not.toHaveProperty('apiVersion');
      expect(patch).toEqual({
        kind: 'ClusterConfiguration',
        apiServer: {
          extraArgs: {
            'service-account-issuer': fic.issuer,
            'service-account-key-file': '/etc/kubernetes/pki/sa-verify-keys.pub',
            'service-account-signing-key-file': '/etc/kubernetes/pki/sa.key',
          },
        },
        controllerManager: { extraArgs: { 'service-account-private-key-file': '/etc/kubernetes/pki/sa.key' } },
      });
      expect(config.nodes).toEqual([
        {
          role: 'control-plane',
          extraMounts: [
            { hostPath: path.relative(path.join(out, 'clusters', CLUSTER), path.join(dir, OLD_KEYS, 'sa.pub')), containerPath: '/etc/kubernetes/pki/sa.pub', readOnly: true },
            { hostPath: path.relative(path.join(out, 'clusters', CLUSTER), path.join(dir, OLD_KEYS, 'sa.key')), containerPath: '/etc/kubernetes/pki/sa.key', readOnly: true },
            { hostPath: 'service-account-keys.pem', containerPath: '/etc/kubernetes/pki/sa-verify-keys.pub', readOnly: true },
          ],
        },
      ]);
      expect(apiServerIssuer(out, CLUSTER)).toBe(entra.discovery.issuer);
    });

    test('the blob container hosting: public blobs, TLS 1.2, JSON content type', () => {
      const [account] = Object.values(resources.azurerm_storage_account);
      expect(account).toMatchObject({ name: ACCOUNT, min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: true });
      expect(Object.values(resources.azurerm_storage_container)).toEqual([expect.objectContaining({ name: CONTAINER, container_access_type: 'blob' })]);
      for (const blob of Object.values(resources.azurerm_storage_blob)) expect(blob).toMatchObject({ content_type: 'application/json', type: 'Block' });
    });

    test('no private key is written: no PEM private key block, no copy of the key file, none of its secret numbers', () => {
      const privatePem = fs.readFileSync(path.join(dir, OLD_KEYS, 'sa.key'));
      // The secret parts only (the modulus is public: it is the JWKS's n), base64url and base64.
      const jwk = signer.privateKey.export({ format: 'jwk' });
      const secrets = [jwk.d!, jwk.p!, jwk.q!].flatMap((b64url) => [b64url, Buffer.from(b64url, 'base64url').toString('base64')]).map((s) => s.slice(0, 48));
      // The PEM's last full line encodes the CRT coefficients, private as well.
      const pemLines = privatePem.toString('utf8').trim().split('\n');
      secrets.push(pemLines[pemLines.length - 3]);
      for (const [file, content] of readTree(out)) {
        const text = content.toString('utf8');
        expect({ file, privateBlock: PRIVATE_KEY_BLOCK.test(text) }).toEqual({ file, privateBlock: false });
        expect({ file, copy: content.equals(privatePem), secrets: secrets.filter((s) => text.includes(s)) }).toEqual({ file, copy: false, secrets: [] });
      }
    });
  });
});

describe('the example fleet (examples/fleet.yaml)', () => {
  const GS_WEB_ENDPOINT = 'https://stcontosooidcgsprod.z6.web.core.windows.net/';
  let out: string;
  let afterApply: string;
  let resources: Resources;

  beforeAll(async () => {
    const exampleDir = path.join(dir, 'example');
    fs.mkdirSync(exampleDir);
    fs.copyFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), path.join(exampleDir, 'fleet.yaml'));
    copyExampleInputs(exampleDir);
    await cli(['synth', '-c', path.join(exampleDir, 'fleet.yaml'), '-o', 'out'], exampleDir);
    // After apply: the static website's endpoint, as `terraform output -json` gives it.
    const outputs = { 'oidc_gs-prod_issuer_url': { sensitive: false, type: 'string', value: GS_WEB_ENDPOINT } };
    fs.writeFileSync(path.join(exampleDir, 'outputs.json'), JSON.stringify(outputs));
    await cli(['synth', '-c', path.join(exampleDir, 'fleet.yaml'), '-o', 'after-apply', '--outputs', 'outputs.json'], exampleDir);
    out = path.join(exampleDir, 'out');
    afterApply = path.join(exampleDir, 'after-apply');
    resources = terraformResources(out, 'contoso');
  });

  const giantSwarmIssuers = (root: string): string[] => {
    const values = yaml.load(fs.readFileSync(path.join(root, 'clusters', 'gs-prod', 'giantswarm-values.yaml'), 'utf8')) as any;
    return values.cluster.providerIntegration.controlPlane.kubeadmConfig.clusterConfiguration.apiServer.serviceAccountIssuers.map((i: { url: string }) => i.url);
  };

  test("gs-prod's Giant Swarm values list its issuer first and Kubernetes' default second", () => {
    expect(giantSwarmIssuers(out)).toEqual(['WISYNTH_PENDING:oidc_gs-prod_issuer_url', KUBERNETES_DEFAULT_ISSUER]);
    expect(giantSwarmIssuers(afterApply)).toEqual([GS_WEB_ENDPOINT, KUBERNETES_DEFAULT_ISSUER]);
    const discovery = JSON.parse(fs.readFileSync(path.join(afterApply, 'oidc', 'gs-prod', '.well-known', 'openid-configuration'), 'utf8'));
    expect(discovery).toMatchObject({ issuer: GS_WEB_ENDPOINT, jwks_uri: `${GS_WEB_ENDPOINT}openid/v1/jwks` });
  });

  test("the static website: the FIC's issuer and the discovery blob's use the account's primary_web_endpoint", () => {
    const [accountId, account] = Object.entries(resources.azurerm_storage_account).find(([, a]) => a.name === 'stcontosooidcgsprod')!;
    const endpoint = `azurerm_storage_account.${accountId}.primary_web_endpoint`;
    const issuerExpression = `\${${endpoint}}`;
    expect(account).toMatchObject({ min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false });
    expect(Object.values(resources.azurerm_storage_account_static_website)).toEqual([
      expect.objectContaining({ storage_account_id: `\${azurerm_storage_account.${accountId}.id}` }),
    ]);
    // Terraform-side values do not change with --outputs: apply resolves them.
    for (const res of [resources, terraformResources(afterApply, 'contoso')]) {
      expect(ficFor(res, 'gs-prod', 'analytics', 'dashboard').issuer).toBe(issuerExpression);
    }
    const blobs = Object.values(resources.azurerm_storage_blob).filter((b) => b.storage_account_name === `\${azurerm_storage_account.${accountId}.name}`);
    expect(blobs.map((b) => b.name).sort()).toEqual(['.well-known/openid-configuration', 'openid/v1/jwks']);
    for (const blob of blobs) expect(blob).toMatchObject({ storage_container_name: '$web', content_type: 'application/json' });
    // The discovery blob is a Terraform template (not JSON until apply): issuer and jwks_uri come from the endpoint.
    const discoveryTemplate = String(blobs.find((b) => b.name === '.well-known/openid-configuration')!.source_content);
    const trimmed = `\${trimsuffix(${endpoint}, "/")}`;
    expect(discoveryTemplate).toContain(`"issuer": "${issuerExpression}",`);
    expect(discoveryTemplate).toContain(`"jwks_uri": "${trimmed}/openid/v1/jwks",`);
    // Applied with the zone's real endpoint, it is the document synth writes once it knows that endpoint.
    const applied = discoveryTemplate.split(trimmed).join(GS_WEB_ENDPOINT.replace(/\/$/, '')).split(issuerExpression).join(GS_WEB_ENDPOINT);
    expect(applied).not.toContain('${');
    expect(applied).toBe(fs.readFileSync(path.join(afterApply, 'oidc', 'gs-prod', '.well-known', 'openid-configuration'), 'utf8'));
    const jwksBlob = blobs.find((b) => b.name === 'openid/v1/jwks')!;
    expect(jwksBlob.source_content).toBe(fs.readFileSync(path.join(out, 'oidc', 'gs-prod', 'openid', 'v1', 'jwks'), 'utf8'));
  });

  test('the blob container (kind-dev): public blobs, container access "blob"', () => {
    const account = Object.values(resources.azurerm_storage_account).find((a) => a.name === 'stcontosooidckinddev');
    expect(account).toMatchObject({ min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: true });
    const containers = Object.values(resources.azurerm_storage_container).filter((c) => String(c.storage_account_id).includes('oidc_kind-dev_'));
    expect(containers).toEqual([expect.objectContaining({ name: 'kind-dev', container_access_type: 'blob' })]);
    for (const account of Object.values(resources.azurerm_storage_account)) expect(account.min_tls_version).toBe('TLS1_2');
    for (const blob of Object.values(resources.azurerm_storage_blob)) expect(blob.content_type).toBe('application/json');
  });

  test('kind-dev\'s kind config validates against the kind schema; its flag issuer is its discovery and FIC issuer', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'kind', 'kind-cluster.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const { config } = kindConfig(out, 'kind-dev');
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    const discovery = JSON.parse(fs.readFileSync(path.join(out, 'oidc', 'kind-dev', '.well-known', 'openid-configuration'), 'utf8'));
    const flag = apiServerIssuer(out, 'kind-dev');
    expect(flag).toBe(discovery.issuer);
    expect(flag).toBe(ficFor(resources, 'kind-dev', 'orders', 'orders-worker').issuer);
  });

  test('no PEM private key block under terraform/, kubernetes/ or clusters/', () => {
    for (const root of [out, afterApply]) {
      for (const [file, content] of readTree(root)) {
        if (!/^(terraform|kubernetes|clusters)\//.test(file)) continue;
        expect({ file, privateBlock: PRIVATE_KEY_BLOCK.test(content.toString('utf8')) }).toEqual({ file, privateBlock: false });
      }
    }
  });
});
