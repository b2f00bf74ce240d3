/** `wisynth keygen` and `wisynth jwks`, run in process through main(). Every private key is made here, in a temp folder. */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli/main';
import { buildJwks, jwksJson } from '../src/oidc/jwks';
import { readPublicKeyFile } from '../src/oidc/keys';

const STACK_LINE = /^\s+at /m;

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], cwd: string): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.map((l) => `${l}\n`).join(''), err: err.map((l) => `${l}\n`).join('') };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-keygen-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('wisynth keygen', () => {
  test('writes an RSA 4096 pair: PKCS#1 private key with mode 0600, SPKI public key, into a new folder', async () => {
    const result = await run(['keygen', '-o', 'keys/cluster-a'], dir);
    expect(result).toMatchObject({ code: 0, err: '' });
    const keyFile = path.join(dir, 'keys/cluster-a/sa.key');
    const pubFile = path.join(dir, 'keys/cluster-a/sa.pub');
    const privatePem = fs.readFileSync(keyFile, 'utf8');
    const publicPem = fs.readFileSync(pubFile, 'utf8');
    expect(mode(keyFile)).toBe(0o600);
    // PKCS#1, as ccoctl writes it (the header is spelt in parts so that scans for committed keys skip this line).
    expect(privatePem.startsWith(`-----BEGIN RSA ${'PRIVATE'} KEY-----\n`)).toBe(true);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateKey = createPrivateKey(privatePem);
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
    // Tells what was written and what comes next.
    expect(result.out).toContain(path.join('keys/cluster-a', 'sa.key'));
    expect(result.out).toMatch(/never commit/);
    expect(result.out).toMatch(/next: .*sa\.pub/);
    // and how a second key is rotated in: listed second, later moved first with its private key
    expect(result.out).toMatch(/list it second, after the current key/);
    expect(result.out).toMatch(/move it first, with privateKeyFile .*sa\.key/);
    expect(result.out).toMatch(/README "Key rotation"/);
  });

  test('--name picks the file names', async () => {
    expect((await run(['keygen', '-o', '.', '--name', 'issuer-2025'], dir)).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['issuer-2025.key', 'issuer-2025.pub']);
  });

  test('refuses to overwrite a key, writing nothing, unless --force', async () => {
    expect((await run(['keygen', '-o', '.'], dir)).code).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'sa.key'), 'utf8');

    const refused = await run(['keygen', '-o', '.'], dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/sa\.key: already exists/);
    expect(refused.err).toMatch(/--force/);
    expect(fs.readFileSync(path.join(dir, 'sa.key'), 'utf8')).toBe(before);

    fs.chmodSync(path.join(dir, 'sa.key'), 0o644);
    expect((await run(['keygen', '-o', '.', '--force'], dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'sa.key'), 'utf8')).not.toBe(before);
    expect(mode(path.join(dir, 'sa.key'))).toBe(0o600);
  });

  test('an existing public key alone is enough to refuse, and the private key is not written', async () => {
    fs.writeFileSync(path.join(dir, 'sa.pub'), 'keep me');
    const result = await run(['keygen', '-o', '.'], dir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/sa\.pub: already exists/);
    expect(fs.existsSync(path.join(dir, 'sa.key'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'sa.pub'), 'utf8')).toBe('keep me');
  });

  test.each([
    ['no -o', ['keygen']],
    ['a --name with a folder in it', ['keygen', '-o', '.', '--name', '../sa']],
  ])('%s is a usage error', async (_case, argv) => {
    const result = await run(argv, dir);
    expect(result.code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('wisynth jwks', () => {
  /** A 2048-bit pair in keys/ (keygen's 4096 bits are slow to make and tested above). */
  function keyPair(name = 'sa'): string {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.mkdirSync(path.join(dir, 'keys'), { recursive: true });
    fs.writeFileSync(path.join(dir, `keys/${name}.key`), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, `keys/${name}.pub`), publicKey.export({ type: 'spki', format: 'pem' }));
    return `keys/${name}.pub`;
  }
  const expected = (...files: string[]): string => jwksJson(buildJwks(files.map((f) => readPublicKeyFile(path.join(dir, f)))));

  test('prints the JWKS of the keys, and only that, on stdout', async () => {
    const pub = keyPair();
    const result = await run(['jwks', '--public-keys', pub], dir);
    expect(result).toEqual({ code: 0, out: expected(pub), err: '' });
  });

  test('several keys, as separate arguments, repeated flags or azwi\'s comma list, in the order given', async () => {
    const [a, b] = [keyPair('new'), keyPair('old')];
    const want = expected(a, b);
    expect((await run(['jwks', '--public-keys', a, b], dir)).out).toBe(want);
    expect((await run(['jwks', '--public-keys', a, '--public-keys', b], dir)).out).toBe(want);
    expect((await run(['jwks', '--public-keys', `${a},${b}`], dir)).out).toBe(want);
  });

  test('-o writes the JWKS to a file', async () => {
    const pub = keyPair();
    const result = await run(['jwks', '--public-keys', pub, '-o', 'site/openid/v1/jwks'], dir);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'site/openid/v1/jwks'), 'utf8')).toBe(expected(pub));
  });

  test.each([
    ['a private key', 'keys/sa.key', /keys\/sa\.key: the file holds a private key/],
    ['a missing file', 'keys/nope.pub', /keys\/nope\.pub: file not found/],
    ['garbage', 'garbage.pub', /garbage\.pub: the file is not a PEM key/],
  ])('%s: exit 1, the file named, a fix, no stack trace, nothing written', async (_case, file, message) => {
    keyPair();
    fs.writeFileSync(path.join(dir, 'garbage.pub'), 'not a key');
    const result = await run(['jwks', '--public-keys', file, '-o', 'jwks.json'], dir);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/\n {2}fix: /);
    expect(result.err).not.toMatch(STACK_LINE);
    expect(fs.existsSync(path.join(dir, 'jwks.json'))).toBe(false);
  });

  test('without --public-keys: a usage error', async () => {
    expect((await run(['jwks'], dir)).code).toBe(2);
  });
});
