/** The self-hosted issuer's documents: which keys are accepted, their kid and JWK, the discovery document. */
import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetError } from '../src/model/issues';
import { discoveryDocument, discoveryJson, jwksUri, signingAlgorithms } from '../src/oidc/discovery';
import { buildJwks, jwksJson, keyId } from '../src/oidc/jwks';
import { parsePublicKey, readPublicKeyFile, readPublicKeyFiles } from '../src/oidc/keys';
import { DISCOVERY_PATH, JWKS_PATH } from '../src/oidc/paths';
import { spkiFromJwk } from '../src/oidc/spki';
import { ROOT } from './support';

const GOLDEN_DIR = path.join(ROOT, 'test', 'fixtures', 'ccoctl-golden');
const GOLDEN_JWKS_TEXT = fs.readFileSync(path.join(GOLDEN_DIR, 'jwks.json'), 'utf8');
const GOLDEN_JWKS = JSON.parse(GOLDEN_JWKS_TEXT);
const GOLDEN_JWK = GOLDEN_JWKS.keys[0];
/** The 4096-bit RSA test key of ccoctl, rebuilt from its published n and e. */
const GOLDEN_KEY = createPublicKey({ key: { kty: GOLDEN_JWK.kty, n: GOLDEN_JWK.n, e: GOLDEN_JWK.e }, format: 'jwk' });

const spkiPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
const pkcs8Pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();
/** The kid rule, restated: base64url without padding of SHA-256 over the DER SubjectPublicKeyInfo. */
const kidByRule = (key: KeyObject): string => createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64url');

function fleetIssues(run: () => unknown): FleetError['issues'] {
  try {
    run();
  } catch (e) {
    if (e instanceof FleetError) return e.issues;
    throw e;
  }
  throw new Error('expected a FleetError');
}

describe('the SubjectPublicKeyInfo the kid is computed over', () => {
  // keys of every size and curve read, and enough of each that a modulus or coordinate with a leading zero byte, or with its top bit set, comes up
  const keys: Array<[string, number, () => KeyObject]> = [
    ['RSA 2048', 12, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey],
    ['RSA 2049 (a short top byte)', 4, () => generateKeyPairSync('rsa', { modulusLength: 2049 }).publicKey],
    ['RSA 2048, e = 3', 2, () => generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey],
    ['RSA 3072', 2, () => generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey],
    ['RSA 4096', 1, () => generateKeyPairSync('rsa', { modulusLength: 4096 }).publicKey],
    ['EC P-256', 64, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
    ['EC P-384', 32, () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
    ['EC P-521', 32, () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey],
  ];
  test.each(keys)('%s: the bytes OpenSSL exports, so the kid is the one the rule gives', (_name, count, make) => {
    for (let i = 0; i < count; i++) {
      const key = make();
      expect(spkiFromJwk(key.export({ format: 'jwk' }))!.toString('hex')).toBe(key.export({ type: 'spki', format: 'der' }).toString('hex'));
      expect(keyId(key)).toBe(kidByRule(key));
    }
    expect(keyId(GOLDEN_KEY)).toBe(kidByRule(GOLDEN_KEY));
  });

  test('a key of another type is left to OpenSSL', () => {
    const key = generateKeyPairSync('ed25519').publicKey;
    expect(spkiFromJwk(key.export({ format: 'jwk' }))).toBeUndefined();
    expect(keyId(key)).toBe(kidByRule(key));
  });
});

describe('the ccoctl golden key, in every accepted PEM form', () => {
  test.each([
    ['SPKI (PUBLIC KEY)', spkiPem(GOLDEN_KEY)],
    ['PKCS#1 (RSA PUBLIC KEY)', GOLDEN_KEY.export({ type: 'pkcs1', format: 'pem' }).toString()],
    ['X.509 certificate', fs.readFileSync(path.join(GOLDEN_DIR, 'sa-cert.pem'), 'utf8')],
    ['SPKI with text around it and CRLF line ends', `comment before\r\n${spkiPem(GOLDEN_KEY).replace(/\n/g, '\r\n')}trailing text\r\n`],
  ])('%s gives the JWKS ccoctl publishes', (_form, pem) => {
    const key = parsePublicKey(pem, 'sa.pub');
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', source: 'sa.pub' });
    const jwks = buildJwks([key]);
    expect(jwks).toEqual(GOLDEN_JWKS);
    // Same fields in the same order: ccoctl's 4-space rendering is reproduced byte for byte.
    expect(JSON.stringify(jwks, null, 4)).toBe(GOLDEN_JWKS_TEXT.trimEnd());
  });

  test('its kid follows the rule, and is not the RFC 7638 thumbprint', () => {
    expect(keyId(GOLDEN_KEY)).toBe(GOLDEN_JWK.kid);
    const thumbprint = createHash('sha256').update(JSON.stringify({ e: GOLDEN_JWK.e, kty: 'RSA', n: GOLDEN_JWK.n })).digest('base64url');
    expect(keyId(GOLDEN_KEY)).not.toBe(thumbprint);
  });

  test('jwksJson prints it as azwi does: two-space indent, then a newline', () => {
    expect(jwksJson(GOLDEN_JWKS)).toBe(`${JSON.stringify(GOLDEN_JWKS, null, 2)}\n`);
    expect(jwksJson(GOLDEN_JWKS)).toMatch(/^\{\n {2}"keys": \[\n {4}\{\n {6}"use": "sig",\n {6}"kty": "RSA",\n/);
  });
});

describe('EC keys', () => {
  test.each([
    ['prime256v1', 'P-256', 'ES256', 32],
    ['secp384r1', 'P-384', 'ES384', 48],
    ['secp521r1', 'P-521', 'ES512', 66],
  ])('%s gives crv %s, alg %s and fixed-size coordinates', (namedCurve, crv, alg, coordinateBytes) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve });
    const [jwk] = buildJwks([parsePublicKey(spkiPem(publicKey), 'ec.pub')]).keys;
    expect(Object.keys(jwk)).toEqual(['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
    expect(jwk).toMatchObject({ use: 'sig', kty: 'EC', kid: kidByRule(publicKey), crv, alg });
    if (jwk.kty !== 'EC') throw new Error('unreachable');
    // go-jose pads each coordinate to the curve's size; a leading zero byte must not be dropped.
    expect(Buffer.from(jwk.x, 'base64url')).toHaveLength(coordinateBytes);
    expect(Buffer.from(jwk.y, 'base64url')).toHaveLength(coordinateBytes);
  });
});

describe('several keys', () => {
  const other = parsePublicKey(spkiPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey), 'old.pub');
  const golden = parsePublicKey(spkiPem(GOLDEN_KEY), 'sa.pub');

  test('are listed in the order given, each key once', () => {
    expect(buildJwks([golden, other, golden]).keys.map((k) => k.kid)).toEqual([GOLDEN_JWK.kid, keyId(other.key)]);
    expect(buildJwks([other, golden]).keys.map((k) => k.kid)).toEqual([keyId(other.key), GOLDEN_JWK.kid]);
  });

  test('the same key from a certificate and from a PEM public key is listed once', () => {
    const fromCert = parsePublicKey(fs.readFileSync(path.join(GOLDEN_DIR, 'sa-cert.pem'), 'utf8'), 'sa-cert.pem');
    expect(buildJwks([golden, fromCert]).keys).toHaveLength(1);
  });
});

describe('keys that are refused', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = spkiPem(GOLDEN_KEY);
  test.each<[string, string, RegExp, RegExp]>([
    ['an RSA private key (PKCS#1)', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), /private key.*RSA PRIVATE KEY/, /openssl rsa -in bad\.pem -pubout/],
    ['a private key (PKCS#8)', pkcs8Pem(rsa.privateKey), /private key/, /openssl pkey -in bad\.pem -pubout/],
    ['an EC private key (SEC1)', ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), /private key/, /openssl ec -in bad\.pem -pubout/],
    ['an encrypted private key', pkcs8Pem(rsa.privateKey).replace(/PRIVATE KEY/g, 'ENCRYPTED PRIVATE KEY'), /private key/, /-pubout/],
    ['a private key after a public one', spki + pkcs8Pem(rsa.privateKey), /private key/, /-pubout/],
    ['an Ed25519 key', spkiPem(generateKeyPairSync('ed25519').publicKey), /type ed25519/, /wisynth keygen/],
    ['an X25519 key', spkiPem(generateKeyPairSync('x25519').publicKey), /type x25519/, /wisynth keygen/],
    ['a DSA key', spkiPem(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey), /type dsa/, /wisynth keygen/],
    ['an RSA-PSS key', spkiPem(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey), /RSA-PSS/, /wisynth keygen/],
    ['RSA 1024', spkiPem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), /1024 bits; at least 2048/, /wisynth keygen/],
    ['an EC key on secp256k1', spkiPem(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey), /secp256k1; only P-256, P-384 and P-521/, /wisynth keygen/],
    ['garbage', 'hello, I am not a key\n', /not a PEM key/, /BEGIN PUBLIC KEY/],
    ['an empty file', '', /empty/, /wisynth keygen/],
    ['only white space', '  \n\n', /empty/, /wisynth keygen/],
    ['DER bytes', GOLDEN_KEY.export({ type: 'spki', format: 'der' }).toString('utf8'), /binary/, /-inform DER/],
    ['an OpenSSH public key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZ1bm9ydGhhbmRvbWx5Y2hvc2VuYnl0ZXM user@host\n', /OpenSSH/, /ssh-keygen -e -m PKCS8/],
    ['two public keys in one file', spki + spkiPem(rsa.publicKey), /2 PEM blocks \(PUBLIC KEY, PUBLIC KEY\)/, /a file of its own/],
    ['a PEM block with no END line', spki.replace(/-----END PUBLIC KEY-----\n/, ''), /no matching END/, /BEGIN PUBLIC KEY/],
    ['a damaged PUBLIC KEY block', spki.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n'), /PUBLIC KEY block cannot be parsed/, /export the key again/],
    ['a certificate request', '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', /CERTIFICATE REQUEST, not a public key/, /PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE/],
  ])('%s: a FleetError naming the file, with a fix', (_case, pem, message, fix) => {
    const issues = fleetIssues(() => parsePublicKey(pem, 'bad.pem'));
    expect(issues).toHaveLength(1);
    expect(issues[0].file).toBe('bad.pem');
    expect(issues[0].message).toMatch(message);
    expect(issues[0].fix).toMatch(fix);
  });
});

describe('reading key files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'sa.pub'), spkiPem(GOLDEN_KEY));
  fs.writeFileSync(path.join(dir, 'empty.pub'), '');

  test('a key file is read and named as given', () => {
    expect(readPublicKeyFiles(['sa.pub'], dir).map((k) => [k.source, keyId(k.key)])).toEqual([['sa.pub', GOLDEN_JWK.kid]]);
    expect(readPublicKeyFile(path.join(dir, 'sa.pub'), 'keys/sa.pub').source).toBe('keys/sa.pub');
  });

  test('a missing file is a FleetError naming it', () => {
    expect(fleetIssues(() => readPublicKeyFile(path.join(dir, 'nope.pub'), 'nope.pub'))).toEqual([
      { file: 'nope.pub', message: 'file not found', fix: expect.any(String) },
    ]);
  });

  test('every bad file is reported at once', () => {
    const issues = fleetIssues(() => readPublicKeyFiles(['nope.pub', 'sa.pub', 'empty.pub', '.'], dir));
    expect(issues.map((i) => i.file)).toEqual(['nope.pub', 'empty.pub', '.']);
  });
});

describe('discovery document', () => {
  const rsa = parsePublicKey(spkiPem(GOLDEN_KEY), 'sa.pub');
  const p256 = parsePublicKey(spkiPem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey), 'p256.pub');
  const p384 = parsePublicKey(spkiPem(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey), 'p384.pub');

  test('the documents live at the paths Entra appends to the issuer', () => {
    expect(DISCOVERY_PATH).toBe('.well-known/openid-configuration');
    expect(JWKS_PATH).toBe('openid/v1/jwks');
  });

  test.each([
    ['https://acct.blob.core.windows.net/oidc', 'https://acct.blob.core.windows.net/oidc/openid/v1/jwks'],
    ['https://acct.z6.web.core.windows.net/', 'https://acct.z6.web.core.windows.net/openid/v1/jwks'],
    ['https://issuer.example.com/cluster-a/', 'https://issuer.example.com/cluster-a/openid/v1/jwks'],
  ])('issuer %s: jwks_uri %s, issuer kept byte for byte', (issuer, uri) => {
    expect(jwksUri(issuer)).toBe(uri);
    expect(discoveryDocument(issuer, signingAlgorithms([rsa]))).toEqual({
      issuer,
      jwks_uri: uri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  test('lists each algorithm of the published keys once, sorted', () => {
    expect(discoveryDocument('https://x', signingAlgorithms([p384, rsa, p256, rsa])).id_token_signing_alg_values_supported).toEqual(['ES256', 'ES384', 'RS256']);
  });

  test('matches what ccoctl uploads for its test issuer, field for field and in order', () => {
    const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'openid-configuration.json'), 'utf8'));
    const doc = discoveryDocument('https://testinfraname.blob.core.windows.net/testinfraname', signingAlgorithms([rsa]));
    expect(discoveryJson(doc)).toBe(`${JSON.stringify(golden, null, 2)}\n`);
  });
});
