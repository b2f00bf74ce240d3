/**
 * Whatever the files synth reads hold (public keys, CredentialsRequests, Terraform outputs), reading one
 * gives a value or a FleetError whose every issue names the file and says what is wrong and how to fix
 * it: never another exception. What was read then plans the example, or is refused the same way.
 */
import { createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { formatIssue } from '../src/cli/report';
import { FleetError, parseFleet, planFleet } from '../src/index';
import type { FleetPlan } from '../src/index';
import type { CredentialsRequestSet } from '../src/model/fleet-plan';
import { PublicSigningKey, readPublicKeyFile } from '../src/oidc/keys';
import { readCredentialsRequests } from '../src/openshift/credentials-requests';
import { loadPlanInputs } from '../src/output/plan-inputs';
import { readTerraformOutputs } from '../src/output/terraform-outputs';
import {
  aliasEdit,
  CREDENTIALS_REQUESTS_DIR,
  dump,
  EXAMPLE,
  EXAMPLE_KEY_FILES,
  EXAMPLES_DIR,
  insertAliases,
  Json,
  mutateText,
  mutateValue,
  replacement,
  SEED,
  textEdit,
  yamlishText,
} from './fuzz-arbitraries';

const RUNS = { publicKey: 1000, credentialsRequests: 400, outputs: 600 };
/** Bounds a failing run's shrinking; a run cut short fails. */
const LIMITS = { interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true };

const tally: Record<string, { read: number; refused: number }> = {};
const plans: Record<string, { planned: number; refused: number }> = {};
let root: string;
let serial = 0;
/** Keys read back as the same key after edits that keep it (other line endings, text around the block). */
let sameKeys = 0;

/** The issues of a refusal: each names `file` (the name the reader was given), says what and how to fix it, and prints. */
function expectWellFormed(e: unknown, files: (file: string) => boolean, input: () => string): asserts e is FleetError {
  if (!(e instanceof FleetError)) throw new Error(`not a FleetError: ${(e as Error)?.stack ?? String(e)}\n--- input ---\n${input()}`);
  expect(e.issues.length).toBeGreaterThan(0);
  for (const issue of e.issues) {
    const ok = typeof issue.file === 'string' && files(issue.file) && typeof issue.message === 'string' && issue.message.trim() !== '' && typeof issue.fix === 'string' && issue.fix.trim() !== '';
    if (!ok) throw new Error(`issue without its file, a message or a fix: ${JSON.stringify(issue)}\n--- input ---\n${input()}`);
    expect(formatIssue(issue)).toMatch(/^error: [^\n]+\n {2}fix: \S/);
  }
}

/** Planning the example with what was read: a plan, or a FleetError of well-formed issues. */
function planExample(family: string, options: Parameters<typeof planFleet>[1], input: () => string): FleetPlan | FleetError {
  const t = (plans[family] ??= { planned: 0, refused: 0 });
  try {
    const plan = planFleet(parseFleet(EXAMPLE, EXAMPLES_DIR), options);
    t.planned++;
    return plan;
  } catch (e) {
    if (!(e instanceof FleetError)) throw new Error(`planning: not a FleetError: ${(e as Error)?.stack ?? String(e)}\n--- input ---\n${input()}`);
    for (const issue of e.issues) {
      if (!issue.message?.trim() || !issue.fix?.trim()) throw new Error(`planning: issue without a message or a fix: ${JSON.stringify(issue)}\n--- input ---\n${input()}`);
      expect(formatIssue(issue, 'fleet.yaml', EXAMPLE)).toMatch(/^error: [^\n]+\n {2}fix: \S/);
    }
    t.refused++;
    return e;
  }
}

const show = (b: Buffer | string): string => {
  const text = Buffer.isBuffer(b) ? b.toString('utf8') : b;
  return text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} characters)` : text;
};

// ---------------------------------------------------------------------------------------------
// Public keys: a few generated once (generating RSA keys is slow), then mutated.

interface KnownKey {
  readonly what: string;
  readonly pem: string;
  /** Whether a service-account signing key may be this: RSA of at least 2048 bits, EC on P-256, P-384 or P-521. */
  readonly accepted: boolean;
  readonly der?: Buffer;
}

function generatedKeys(): KnownKey[] {
  const keys: KnownKey[] = [];
  const add = (what: string, key: KeyObject, accepted: boolean, type: 'spki' | 'pkcs1' = 'spki') => {
    keys.push({ what, pem: key.export({ type, format: 'pem' }) as string, accepted, der: key.export({ type: 'spki', format: 'der' }) });
  };
  const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
  const rsa2048 = rsa(2048);
  add('RSA 2048 SPKI', rsa2048.publicKey, true);
  add('RSA 2048 PKCS#1', rsa2048.publicKey, true, 'pkcs1');
  add('RSA 1024', rsa(1024).publicKey, false);
  add('RSA 2047', rsa(2047).publicKey, false);
  add('RSA 2049', rsa(2049).publicKey, true);
  add('RSA-PSS 2048', generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey, false);
  for (const [curve, accepted] of [['prime256v1', true], ['secp384r1', true], ['secp521r1', true], ['secp256k1', false], ['prime192v1', false]] as const) {
    add(`EC ${curve}`, generateKeyPairSync('ec', { namedCurve: curve }).publicKey, accepted);
  }
  add('Ed25519', generateKeyPairSync('ed25519').publicKey, false);
  add('X25519', generateKeyPairSync('x25519').publicKey, false);
  add('Ed448', generateKeyPairSync('ed448').publicKey, false);
  add('DSA 1024', generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).publicKey, false);
  // private keys: never accepted where a public key is expected
  keys.push({ what: 'RSA private PKCS#1', pem: rsa2048.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, accepted: false });
  keys.push({ what: 'RSA private PKCS#8', pem: rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, accepted: false });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  keys.push({ what: 'EC private SEC1', pem: ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string, accepted: false });
  keys.push({ what: 'EC private encrypted', pem: ec.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'x' }) as string, accepted: false });
  keys.push({ what: 'X.509 certificate (RSA 4096)', pem: fs.readFileSync(path.join(__dirname, 'fixtures', 'ccoctl-golden', 'sa-cert.pem'), 'utf8'), accepted: true });
  for (const file of EXAMPLE_KEY_FILES) keys.push({ what: file, pem: fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'), accepted: true });
  return keys;
}

const LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PARAMETERS', 'X509 CRL', 'public key', 'PUBLIC  KEY'];
const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019 :=/+.,()\n\t'.split('')), maxLength: 120 });

/** Edits of a PEM text; `keeps` marks those after which it must still read as the same key. */
const keyEdit = fc.oneof(
  fc.record({ op: fc.constantFrom('truncate', 'deleteChar', 'flipChar', 'insertChar', 'nul', 'dropLine', 'duplicateLine'), at: fc.nat(), char: fc.constantFrom('A', '=', '-', ' ', '\n', '\u00e9', '\u200b', '\ufffd') }),
  fc.record({ op: fc.constantFrom('relabel', 'relabelEnd'), at: fc.nat(), char: fc.constantFrom(...LABELS) }),
  fc.record({ op: fc.constantFrom('crlf', 'textBefore', 'textAfter', 'trailingSpaces'), at: fc.nat(), char: printable }),
  fc.record({ op: fc.constantFrom('bom', 'rewrap', 'concatSelf', 'lowercase', 'stripArmor'), at: fc.nat(), char: fc.constant('') }),
);
type KeyEdit = { op: string; at: number; char: string };
const KEEPS = new Set(['crlf', 'textBefore', 'textAfter', 'trailingSpaces']);

function editPem(pem: string, edits: readonly KeyEdit[]): { text: string; keeps: boolean } {
  let text = pem;
  let keeps = true;
  for (const { op, at, char } of edits) {
    const i = at % (text.length + 1);
    const lines = text.split('\n');
    const line = at % Math.max(1, lines.length);
    switch (op) {
      case 'truncate': text = text.slice(0, i); break;
      case 'deleteChar': text = text.slice(0, i) + text.slice(i + 1); break;
      case 'flipChar': text = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1); break;
      case 'insertChar': text = text.slice(0, i) + char + text.slice(i); break;
      case 'nul': text = text.slice(0, i) + '\u0000' + text.slice(i); break;
      case 'dropLine': lines.splice(line, 1); text = lines.join('\n'); break;
      case 'duplicateLine': lines.splice(line, 0, lines[line]); text = lines.join('\n'); break;
      case 'relabel': text = text.replace(/BEGIN [A-Z0-9 ]+-----/, `BEGIN ${char}-----`); break;
      case 'relabelEnd': text = text.replace(/END [A-Z0-9 ]+-----/, `END ${char}-----`); break;
      // the same key: another line ending, `openssl x509 -text` style text around the block, trailing blanks
      case 'crlf': text = text.replace(/\r?\n/g, '\r\n'); break;
      case 'textBefore': text = `${char.replace(/-/g, '')}\n${text}`; break;
      case 'textAfter': text = `${text}\n${char.replace(/-/g, '')}\n`; break;
      case 'trailingSpaces': text = text.replace(/\n/g, '  \n'); break;
      case 'bom': text = `\ufeff${text}`; break;
      case 'rewrap': text = text.replace(/\n(?!-)/g, '').replace(/-----(?=[A-Za-z0-9+/])/, '-----\n'); break;
      case 'concatSelf': text = `${text}\n${text}`; break;
      case 'lowercase': text = text.toLowerCase(); break;
      case 'stripArmor': text = text.replace(/-----[^-]+-----/g, ''); break;
    }
    if (!KEEPS.has(op)) keeps = false;
  }
  return { text, keeps };
}

// ---------------------------------------------------------------------------------------------
// CredentialsRequests: the vendored ones, mutated.

const CR_DIR = path.join(EXAMPLES_DIR, CREDENTIALS_REQUESTS_DIR);
const VENDORED = fs
  .readdirSync(CR_DIR)
  .filter((n) => /\.ya?ml$/.test(n))
  .sort()
  .map((n) => fs.readFileSync(path.join(CR_DIR, n), 'utf8'));
const VENDORED_DOCS = VENDORED.map((t) => yaml.load(t) as Json);

/** Values a CredentialsRequest field must never carry through: Terraform expressions, line breaks, odd names. */
const hostileValue = fc.constantFrom(
  '${file("/etc/passwd")}',
  '%{ if true }x%{ endif }',
  'Microsoft.Compute/*/read',
  '*',
  'name\nwith-newline',
  ' padded ',
  'UPPER-Case',
  'a'.repeat(300),
  'zero\u200bwidth',
  '../escape',
  'system:serviceaccount:x:y',
  'TechPreviewNoUpgrade',
  'true',
  '',
);
const crEdit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'retype', 'duplicate', 'renameKey', 'swapWithOther'),
  value: fc.oneof(replacement as fc.Arbitrary<unknown>, hostileValue, fc.array(hostileValue, { maxLength: 3 })),
  other: fc.nat(),
});
const crText = fc.oneof(
  { weight: 1, arbitrary: fc.nat().map((i) => VENDORED[i % VENDORED.length]) },
  { weight: 4, arbitrary: fc.tuple(fc.nat(), fc.array(crEdit, { minLength: 1, maxLength: 3 })).map(([i, edits]) => dump(mutateValue(VENDORED_DOCS[i % VENDORED.length], edits))) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.array(textEdit, { minLength: 1, maxLength: 3 })).map(([i, edits]) => mutateText(edits, VENDORED[i % VENDORED.length])) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.array(aliasEdit, { minLength: 1, maxLength: 3 })).map(([i, edits]) => insertAliases(VENDORED[i % VENDORED.length], edits).text) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.nat(), fc.constantFrom('', '--- []\n', '---\n', '--- 42\n', '--- null\n', '--- !!binary aGk=\n'))
      .map(([a, b, extra]) => `${VENDORED[a % VENDORED.length]}---\n${VENDORED[b % VENDORED.length]}${extra}`),
  },
  { weight: 1, arbitrary: yamlishText },
);
const crFolder = fc.record({
  files: fc.uniqueArray(fc.record({ name: fc.constantFrom('a.yaml', 'b.yml', 'c.yaml', 'd.YAML', 'e.json', 'f.yaml.bak'), text: crText }), { selector: (f) => f.name, maxLength: 4 }),
  folderNamedYaml: fc.boolean(),
  techPreview: fc.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Terraform outputs: both formats with random values, and random and deep JSON.

let KNOWN_OUTPUTS: string[] = ['identity_id-orders_client_id'];
const outputName = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map((i) => KNOWN_OUTPUTS[i % KNOWN_OUTPUTS.length]) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => { const n = KNOWN_OUTPUTS[i % KNOWN_OUTPUTS.length]; const at = j % n.length; return n.slice(0, at) + n.slice(at + 1); }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'value', 'type', 'sensitive', '', 'toString') },
);
const outputValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.uuid().map((u) => ` ${u}`) },
  { weight: 1, arbitrary: fc.uuid().map((u) => `${u}\u200b`) },
  { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
  { weight: 2, arbitrary: fc.constantFrom('', 'not-a-guid', 'https://westeurope.oic.prod-aks.azure.com/t/c/', 'http://oidc.example.com/', 'https://stcontosooidcgsprod.z6.web.core.windows.net/', 'WISYNTH_PENDING:x', '${file("/etc/passwd")}', 'https://x/?q#f') },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const cdktfOutputs = fc.dictionary(
  fc.constantFrom('contoso', 'contoso-aks-prod', 'other'),
  fc.dictionary(outputName, fc.oneof({ weight: 4, arbitrary: outputValue }, { weight: 1, arbitrary: fc.dictionary(outputName, outputValue, { maxKeys: 3 }) }), { maxKeys: 8 }),
  { maxKeys: 2 },
);
const terraformOutputs = fc.dictionary(
  outputName,
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ value: outputValue, type: fc.constantFrom<unknown>('string', ['list', 'string'], 'number', 42, null), sensitive: fc.boolean() }, { requiredKeys: ['value'] }) },
    { weight: 1, arbitrary: outputValue },
  ),
  { maxKeys: 8 },
);
/** JSON nested `depth` levels, around the limit and far beyond it. */
const deepJson = fc.record({ depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 6000 })), kind: fc.constantFrom('array', 'object', 'both'), leaf: fc.constantFrom('1', '"x"', '{}', '') }).map(({ depth, kind, leaf }) => {
  const open = (i: number) => (kind === 'array' || (kind === 'both' && i % 2 === 0) ? '[' : '{"a":');
  const close = (i: number) => (kind === 'array' || (kind === 'both' && i % 2 === 0) ? ']' : '}');
  let head = '';
  let tail = '';
  for (let i = 0; i < depth; i++) {
    head += open(i);
    tail = close(i) + tail;
  }
  return head + leaf + tail;
});
const outputsText = fc.oneof(
  { weight: 3, arbitrary: cdktfOutputs.map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: terraformOutputs.map((v) => JSON.stringify(v, null, 2)) },
  { weight: 2, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.tuple(cdktfOutputs, fc.nat()).map(([v, at]) => { const t = JSON.stringify(v); return t.slice(0, at % (t.length + 1)); }) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', '\ufeff{}', 'null', '[]', '"x"', '{"a": NaN}', '{"a": 1e999}', '{"a":1,"a":2}', '\u0000')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
);

// ---------------------------------------------------------------------------------------------

describe('the files synth reads give a value or a FleetError naming the file', () => {
  const started = Date.now();
  let known: KnownKey[];
  let exampleInputs: ReturnType<typeof loadPlanInputs>;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-fuzz-inputs-'));
    known = generatedKeys();
    exampleInputs = loadPlanInputs(parseFleet(EXAMPLE, EXAMPLES_DIR));
    const plan = planFleet(parseFleet(EXAMPLE, EXAMPLES_DIR), exampleInputs);
    KNOWN_OUTPUTS = [...plan.outputs.map((o) => o.name), ...plan.pending.map((p) => p.output)];
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    const total = Object.values(tally).reduce((n, t) => n + t.read + t.refused, 0);
    process.stdout.write(`fuzz-inputs: ${total} files in ${Date.now() - started} ms (seed ${SEED}): ${JSON.stringify(tally)} (${sameKeys} keys read back unchanged after edits that keep them); then planned the example with them: ${JSON.stringify(plans)}\n`);
  });

  it('the pregenerated keys read as their kind says: RSA >= 2048 and EC P-256/384/521 only', () => {
    const file = path.join(root, 'known.pub');
    for (const k of known) {
      fs.writeFileSync(file, k.pem);
      let got: PublicSigningKey | FleetError;
      try {
        got = readPublicKeyFile(file, 'keys/known.pub');
      } catch (e) {
        expectWellFormed(e, (f) => f === 'keys/known.pub', () => k.pem);
        got = e;
      }
      expect({ what: k.what, accepted: !(got instanceof FleetError) }).toEqual({ what: k.what, accepted: k.accepted });
    }
  });

  it('public key files: random bytes, PEM-ish text, edited, truncated and concatenated keys, DER', () => {
    const t = (tally.publicKey ??= { read: 0, refused: 0 });
    const keyFileContent = fc.oneof(
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1500 }).map((b) => ({ bytes: Buffer.from(b), same: undefined as KnownKey | undefined })) },
      {
        weight: 2,
        arbitrary: fc
          .record({ label: fc.constantFrom(...LABELS), end: fc.option(fc.constantFrom(...LABELS), { nil: undefined }), body: fc.uint8Array({ maxLength: 700 }), width: fc.integer({ min: 1, max: 90 }), eol: fc.constantFrom('\n', '\r\n', '\r') })
          .map(({ label, end, body, width, eol }) => {
            const b64 = Buffer.from(body).toString('base64');
            const lines = b64.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
            return { bytes: Buffer.from(`-----BEGIN ${label}-----${eol}${lines.join(eol)}${eol}-----END ${end ?? label}-----${eol}`), same: undefined as KnownKey | undefined };
          }),
      },
      {
        weight: 5,
        arbitrary: fc.tuple(fc.nat(), fc.array(keyEdit, { maxLength: 3 })).map(([i, edits]) => {
          const k = known[i % known.length];
          const { text, keeps } = editPem(k.pem, edits);
          return { bytes: Buffer.from(text), same: keeps ? k : undefined };
        }),
      },
      { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => ({ bytes: Buffer.from(`${known[i % known.length].pem}${known[j % known.length].pem}`), same: undefined as KnownKey | undefined })) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([i, cut]) => {
          const der = known.filter((k) => k.der)[i % known.filter((k) => k.der).length].der!;
          return { bytes: der.subarray(0, cut % (der.length + 1)), same: undefined as KnownKey | undefined };
        }),
      },
      { weight: 1, arbitrary: fc.constantFrom('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host\n', 'ecdsa-sha2-nistp256 AAAA x\n', '', ' \n\t\n', 'x'.repeat(70 * 1024)).map((s) => ({ bytes: Buffer.from(s), same: undefined as KnownKey | undefined })) },
    );
    const file = path.join(root, 'fuzz.pub');
    fc.assert(
      fc.property(keyFileContent, ({ bytes, same }) => {
        fs.writeFileSync(file, bytes);
        let key: PublicSigningKey;
        try {
          key = readPublicKeyFile(file, 'keys/fuzz.pub');
        } catch (e) {
          expectWellFormed(e, (f) => f === 'keys/fuzz.pub', () => show(bytes));
          if (same?.accepted) throw new Error(`${same.what} with text around it or other line endings is refused: ${e.message}\n--- input ---\n${show(bytes)}`);
          t.refused++;
          return;
        }
        expect(key.key.type).toBe('public');
        expect(key.kty === 'RSA' ? key.alg === 'RS256' : key.kty === 'EC' && /^ES(256|384|512)$/.test(key.alg)).toBe(true);
        expect(key.source).toBe('keys/fuzz.pub');
        if (same) {
          if (!same.accepted) throw new Error(`${same.what} is accepted once text is put around it\n--- input ---\n${show(bytes)}`);
          const expected = same.what.startsWith('X.509') ? undefined : createPublicKey(same.pem);
          if (expected && !key.key.equals(expected)) throw new Error(`${same.what} reads as another key\n--- input ---\n${show(bytes)}`);
          sameKeys++;
        }
        t.read++;
      }),
      { seed: SEED, numRuns: RUNS.publicKey, ...LIMITS },
    );
    expect(t.read).toBeGreaterThan(RUNS.publicKey / 20);
    expect(sameKeys).toBeGreaterThan(RUNS.publicKey / 50);
    expect(t.refused).toBeGreaterThan(RUNS.publicKey / 2);
  });

  it('CredentialsRequests folders: the vendored requests mutated, in several files and documents', () => {
    const t = (tally.credentialsRequests ??= { read: 0, refused: 0 });
    const shown = 'openshift/crs';
    fc.assert(
      fc.property(crFolder, ({ files, folderNamedYaml, techPreview }) => {
        const dir = path.join(root, `crs-${serial++}`);
        fs.mkdirSync(dir);
        for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.text);
        if (folderNamedYaml) fs.mkdirSync(path.join(dir, 'z-folder.yaml'));
        const input = () => files.map((f) => `--- file ${f.name} ---\n${show(f.text)}`).join('\n') + (folderNamedYaml ? '\n(and a folder z-folder.yaml)' : '');
        let set: CredentialsRequestSet;
        try {
          set = readCredentialsRequests(dir, shown, { techPreview });
        } catch (e) {
          expectWellFormed(e, (f) => f === shown || f.startsWith(`${shown}/`), input);
          t.refused++;
          return;
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        t.read++;
        for (const r of set.requests) {
          expect(r.file.startsWith(`${shown}/`)).toBe(true);
          for (const v of [r.name, r.secretNamespace, r.secretName, ...r.serviceAccountNames, ...r.permissions, ...r.dataPermissions, ...r.roleBindings]) {
            if (typeof v !== 'string' || v === '' || /[\u0000-\u001f]|\$\{|%\{/.test(v)) throw new Error(`a request carries ${JSON.stringify(v)}\n--- input ---\n${input()}`);
          }
        }
        planExample('credentialsRequests', { ...exampleInputs, credentialsRequests: new Map([['ocp-prod', set]]) }, input);
      }),
      { seed: SEED, numRuns: RUNS.credentialsRequests, ...LIMITS },
    );
    expect(t.read).toBeGreaterThan(RUNS.credentialsRequests / 10);
    expect(t.refused).toBeGreaterThan(RUNS.credentialsRequests / 4);
  });

  it('Terraform outputs files: cdktf and `terraform output -json` shapes with random values, random and deep JSON', () => {
    const t = (tally.outputs ??= { read: 0, refused: 0 });
    fc.assert(
      fc.property(fc.array(outputsText, { minLength: 1, maxLength: 3 }), (texts) => {
        const files = texts.map((text, i) => {
          const file = path.join(root, `outputs-${i}.json`);
          fs.writeFileSync(file, text);
          return file;
        });
        const shown = texts.map((_, i) => `outputs-${i}.json`);
        const input = () => texts.map((text, i) => `--- ${shown[i]} ---\n${show(text)}`).join('\n');
        let outputs: ReturnType<typeof readTerraformOutputs>;
        try {
          outputs = readTerraformOutputs(files, shown);
        } catch (e) {
          expectWellFormed(e, (f) => shown.includes(f), input);
          t.refused++;
          return;
        }
        t.read++;
        for (const [name, value] of outputs) {
          expect(typeof value).toBe('string');
          expect(shown).toContain(outputs.sourceOf(name)?.file);
        }
        planExample('outputs', { ...exampleInputs, outputs }, input);
      }),
      { seed: SEED, numRuns: RUNS.outputs, ...LIMITS },
    );
    expect(t.read).toBeGreaterThan(RUNS.outputs / 4);
    expect(t.refused).toBeGreaterThan(RUNS.outputs / 10);
    expect(plans.outputs.planned).toBeGreaterThan(0);
    expect(plans.outputs.refused).toBeGreaterThan(0);
  });
});
