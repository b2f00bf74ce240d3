/**
 * Keys the OpenShift installer can read: for `platform: openshift-hive` the published key must be RSA
 * (>= 2048 bits), and in `secrets.mode: files` the signing key must be its PKCS#1 private half. Rules
 * and their upstream sources are in src/openshift/signing-key.ts; each test names the rule it checks.
 * The CLI runs in process on a copy of the example fleet; keys are made with Node's crypto.
 */
import { generateKeyPairSync, KeyObject } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { keyId } from '../src/oidc/jwks';
import { copyExampleInputs, editOnce, ROOT, runCli } from './support';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const CLUSTERS = (yaml.load(EXAMPLE) as { clusters: Array<{ name: string }> }).clusters;
const OCP = CLUSTERS.findIndex((c) => c.name === 'ocp-prod');
const KIND = CLUSTERS.findIndex((c) => c.name === 'kind-dev');
const SIGNING_FIELD = `clusters[${OCP}].openshiftHive.secrets.signingKeyFile`;
const PUBLIC_FIELD = `clusters[${OCP}].openshiftHive.publicKeyFile`;
const SIGNING_FILE = 'keys/ocp-prod/sa.key';
const SUB = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

const FILES_MODE = edit(
  '        mode: externalSecrets\n        keyVault: kv-contoso-hive\n        identity: id-hive-secrets\n        hub: aks-prod\n',
  `        mode: files\n        signingKeyFile: ${SIGNING_FILE}\n        pullSecretFile: secrets/pull-secret.json\n        installerCredentialsFile: secrets/osServicePrincipal.json\n`,
);

const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const spki = (key: KeyObject) => String(key.export({ type: 'spki', format: 'pem' }));
const pkcs1 = (key: KeyObject) => String(key.export({ type: 'pkcs1', format: 'pem' }));
const pkcs8 = (key: KeyObject) => String(key.export({ type: 'pkcs8', format: 'pem' }));
/** A line of base64 from inside a PEM block: must never reach a message. */
const bodyLine = (pem: string) => pem.split('\n')[2];

const PUBLISHED = rsa(2048);

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-ocp-keys-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Synthesizes `fleet` in a fresh copy of the example's inputs, with these files written over them. */
async function synth(name: string, fleet: string, files: Record<string, string>) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.mkdirSync(path.join(dir, 'secrets'));
  fs.writeFileSync(path.join(dir, 'secrets', 'pull-secret.json'), JSON.stringify({ auths: { 'quay.io': { auth: 'c2VjcmV0' } } }));
  fs.writeFileSync(path.join(dir, 'secrets', 'osServicePrincipal.json'), JSON.stringify({ subscriptionId: SUB, clientId: 'c', clientSecret: 's', tenantId: 't' }));
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), fleet);
  const out = path.join(dir, 'out');
  const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
  return { ...run, out };
}

/** Files mode with the published key PUBLISHED and this signing key. */
const filesMode = (name: string, signingKey: string) => synth(name, FILES_MODE, { 'keys/ocp-prod/sa.pub': spki(PUBLISHED.publicKey), [SIGNING_FILE]: signingKey });

function expectRefused(r: Awaited<ReturnType<typeof synth>>, field: string, says: Array<string | RegExp>, secret?: string): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(field);
  for (const s of says) {
    if (typeof s === 'string') expect(r.stderr).toContain(s);
    else expect(r.stderr).toMatch(s);
  }
  expect(r.stderr).toMatch(/\n {2}fix: \S/);
  if (secret) expect(r.stderr).not.toContain(secret);
  expect(fs.existsSync(r.out)).toBe(false);
}

describe('secrets.mode: files, the signing key file', () => {
  // Source: openshift/installer pkg/asset/tls/boundsasigningkey.go (BoundSASigningKey.Load) reads
  // bound-service-account-signing-key.key through PemToPrivateKey, pkg/asset/tls/utils.go: x509.ParsePKCS1PrivateKey.
  test('installer rule (x509.ParsePKCS1PrivateKey): a PKCS#8 RSA key (BEGIN PRIVATE KEY) is refused with the openssl -traditional conversion', async () => {
    const key = pkcs8(PUBLISHED.privateKey);
    const r = await filesMode('pkcs8', key);
    expectRefused(r, SIGNING_FIELD, [SIGNING_FILE, 'PKCS#8 (BEGIN PRIVATE KEY)', `openssl rsa -in ${SIGNING_FILE} -traditional -out keys/ocp-prod/sa.rsa.pem`, 'OpenSSL 3'], bodyLine(key));
  });

  // Source: as above; ParsePKCS1PrivateKey parses RSA only.
  test.each([
    ['an EC P-256 key (PKCS#8)', () => pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), 'an EC key on prime256v1'],
    ['an EC P-256 key (SEC1, BEGIN EC PRIVATE KEY)', () => String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' })), 'BEGIN EC PRIVATE KEY'],
    ['an Ed25519 key', () => pkcs8(generateKeyPairSync('ed25519').privateKey), 'an Ed25519 key'],
  ])('installer rule (x509.ParsePKCS1PrivateKey, RSA only): %s is refused; the fix is an RSA pair from wisynth keygen', async (_what, make, says) => {
    const key = make();
    const r = await filesMode(`not-rsa-${_what.replace(/\W+/g, '-')}`, key);
    expectRefused(r, SIGNING_FIELD, [SIGNING_FILE, says, 'RSA only', 'wisynth keygen -o keys/<cluster>'], bodyLine(key));
  });

  // wisynth's own floor (MIN_RSA_BITS in src/oidc/keys.ts), the same as for every platform's public keys.
  test('RSA of at least 2048 bits: a 1024-bit PKCS#1 key is refused', async () => {
    const key = pkcs1(rsa(1024).privateKey);
    const r = await filesMode('rsa1024', key);
    expectRefused(r, SIGNING_FIELD, [SIGNING_FILE, 'a 1024-bit RSA key', 'at least 2048 bits', 'wisynth keygen'], bodyLine(key));
  });

  // Source: the installer derives the API server's public key from this private key (boundsasigningkey.go,
  // PublicKeyToPem(&rsaKey.PublicKey)), while ccoctl publishes publicKeyFile in the JWKS
  // (openshift/cloud-credential-operator pkg/cmd/provisioning/utils.go, BuildJsonWebKeySet).
  test('the private key must be the private half of publicKeyFile (same kid): a mismatch names both kids and the file to fix', async () => {
    const other = rsa(2048);
    const key = pkcs1(other.privateKey);
    const r = await filesMode('mismatch', key);
    expectRefused(r, SIGNING_FIELD, [SIGNING_FILE, `kid ${keyId(other.publicKey)}`, `keys/ocp-prod/sa.pub (kid ${keyId(PUBLISHED.publicKey)})`, 'fix signingKeyFile'], bodyLine(key));
  });

  test('an encrypted PKCS#1 key is refused: the installer cannot decrypt it', async () => {
    const key = String(PUBLISHED.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }));
    const r = await filesMode('encrypted', key);
    expectRefused(r, SIGNING_FIELD, [SIGNING_FILE, 'encrypted', '-traditional'], bodyLine(key));
  });

  test('a PKCS#1 RSA 2048 key whose public half is publicKeyFile passes, and is written as the signing-key Secret', async () => {
    const key = pkcs1(PUBLISHED.privateKey);
    const r = await filesMode('good', key);
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const secret = yaml.load(fs.readFileSync(path.join(r.out, 'secrets', 'ocp-prod', 'ocp-prod-bound-service-account-signing-key.yaml'), 'utf8')) as { stringData: Record<string, string> };
    expect(secret.stringData['bound-service-account-signing-key.key']).toBe(key);
  });
});

describe('openshiftHive.publicKeyFile', () => {
  // Source: openshift/cloud-credential-operator pkg/cmd/provisioning/utils.go, BuildJsonWebKeySet:
  // "public key is not of type RSA" (used by pkg/cmd/provisioning/azure/create_oidc_issuer.go).
  test('ccoctl rule (BuildJsonWebKeySet, RSA only): an EC public key is refused for an OpenShift cluster, in externalSecrets mode too', async () => {
    const r = await synth('ec-public', EXAMPLE, { 'keys/ocp-prod/sa.pub': spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey) });
    expectRefused(r, PUBLIC_FIELD, ['keys/ocp-prod/sa.pub: the public key is an EC key on prime256v1', 'only RSA', 'wisynth keygen -o keys/<cluster>']);
  });

  test('ccoctl rule (RSA only), files mode: an EC pair is refused at both fields', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const r = await synth('ec-pair', FILES_MODE, { 'keys/ocp-prod/sa.pub': spki(ec.publicKey), [SIGNING_FILE]: pkcs8(ec.privateKey) });
    expectRefused(r, PUBLIC_FIELD, [SIGNING_FIELD, 'wisynth keygen'], bodyLine(pkcs8(ec.privateKey)));
  });

  test('other platforms keep EC: a kind cluster publishing a P-256 key synthesizes, with ES256 in its JWKS', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const r = await synth('kind-ec', EXAMPLE, { 'keys/kind-dev/sa.pub': spki(ec.publicKey) });
    expect(KIND).toBeGreaterThanOrEqual(0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const jwks = JSON.parse(fs.readFileSync(path.join(r.out, 'oidc', 'kind-dev', 'openid', 'v1', 'jwks'), 'utf8')) as { keys: Array<{ alg: string; kid: string }> };
    expect(jwks.keys).toEqual([expect.objectContaining({ alg: 'ES256', kid: keyId(ec.publicKey) })]);
  });
});
