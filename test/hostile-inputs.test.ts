/**
 * Every file wisynth reads, made hostile: devices, FIFOs, sockets, folders, symbolic-link loops and
 * oversized files in place of each input; YAML alias bombs and deep nesting in every YAML input; JSON
 * nested 5,000 levels; a summary.json that lies; special files inside OUT. Each row runs the CLI as a
 * child process with a timeout and expects a clean refusal: its exit code, the file (and field) named,
 * a fix, no "unexpectedly" and no stack trace, well within the time, nothing changed outside OUT and the
 * previous OUT intact.
 */
import { execFileSync, spawn } from 'child_process';
import { createHash, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { INPUT_LIMITS } from '../src/inputs/limits';
import { parseInputYaml } from '../src/inputs/yaml';
import { parseFleet } from '../src/platforms';
import { assertLibIsCurrent, ROOT } from './support';

const BIN = path.join(ROOT, 'bin', 'wisynth.js');
/** A process is killed after this; a row passes only when it ended well within it. */
const KILL_MS = 30_000;
const BUDGET_MS = 10_000;
const STACK_LINE = /^\s+at /m;

/* ---------- the fleet every row starts from: one kind cluster, one OpenShift cluster in secrets files mode ---------- */

const FLEET = `name: mini
azure:
  tenantId: 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a
  subscriptionId: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
  location: westeurope
resourceGroups:
  - name: rg-mini
  - name: rg-dns
    existing: true
identities:
  - name: id-app
    resourceGroup: rg-mini
clusters:
  - name: kind-dev
    platform: self-managed
    selfManaged:
      distribution: kind
      issuer:
        hosting: blobContainer
        storageAccount: stminioidckind
        resourceGroup: rg-mini
        container: kind-dev
      serviceAccountKeys:
        publicKeyFiles:
          - keys/sa.pub
        privateKeyFile: keys/sa.key
    workloads:
      - namespace: app
        serviceAccount: app
        identity: id-app
        createNamespace: true
  - name: ocp-mini
    platform: openshift-hive
    openshiftHive:
      baseDomain: ocp.example.com
      baseDomainResourceGroup: rg-dns
      storageAccount: stminioidcocp
      credentialsRequests: crs
      releaseImage: quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64
      publicKeyFile: keys/ocp.pub
      secrets:
        mode: files
        signingKeyFile: secrets/sa.key
        pullSecretFile: secrets/pull-secret.json
        installerCredentialsFile: secrets/osServicePrincipal.json
`;
const CR_FILE = '03_credentials_request_azure.yaml';
const CAPZ_TEMPLATE = path.join(ROOT, 'test', 'fixtures', 'capz', 'cluster-template.yaml');

/** The example with `from` (which must occur exactly once) replaced by `to`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/* ---------- hostile texts ---------- */

/** A "billion laughs": `levels` anchors, each a list of `width` aliases of the one before, under `key`, indented by `indent`. */
function bomb(key: string, indent: string, levels = 9, width = 9): { text: string; top: string } {
  const lines = [`${indent}${key}:`];
  for (let i = 0; i < levels; i++) lines.push(`${indent}  - &lol${i} [${Array(width).fill(i === 0 ? '"lol"' : `*lol${i - 1}`).join(', ')}]`);
  return { text: `${lines.join('\n')}\n`, top: `*lol${levels - 1}` };
}
const flowDeep = (n = 100_000) => '['.repeat(n) + ']'.repeat(n);
const blockDeep = (n = 100_000) => `${'- '.repeat(n)}x`;
const jsonDeep = (n = 5_000) => '['.repeat(n) + ']'.repeat(n);
/** A mapping merged into a cluster's settings whose one field is an alias bomb of `levels` levels of 12. */
const mergeBomb = (levels: number) => `${bomb('x-lol', '', levels, 12).text}x-base: &base\n  distribution: *lol${levels - 1}\n`;

/* ---------- special files ---------- */

type Special = 'dev-zero' | 'fifo' | 'socket' | 'folder' | 'symlink-loop' | 'oversized';
const SPECIALS: readonly Special[] = ['dev-zero', 'fifo', 'socket', 'folder', 'symlink-loop', 'oversized'];
const sockets: net.Server[] = [];

/** Replaces `file` with a special file; `limit` is the size limit of that input (an oversized file is sparse). */
async function makeSpecial(file: string, special: Special, limit: number): Promise<void> {
  fs.rmSync(file, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  switch (special) {
    case 'dev-zero':
      return fs.symlinkSync('/dev/zero', file);
    case 'fifo':
      execFileSync('mkfifo', [file]);
      return;
    case 'socket': {
      const server = net.createServer();
      sockets.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(file, resolve));
      return;
    }
    case 'folder':
      return fs.mkdirSync(file);
    case 'symlink-loop':
      return fs.symlinkSync(path.basename(file), file);
    case 'oversized':
      fs.writeFileSync(file, '');
      return fs.truncateSync(file, limit + 1);
  }
}

/* ---------- scenarios: a folder per row, its state before and after ---------- */

let work: string;
let pristineInputs: string;
let pristineOut: string;

/** Every entry below `root` by type, files by hash; special files and links are never opened. */
function tree(root: string, skip?: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === skip) continue;
      const abs = path.join(root, r);
      const stat = fs.lstatSync(abs);
      if (stat.isSymbolicLink()) out.set(r, `link:${fs.readlinkSync(abs)}`);
      else if (stat.isDirectory()) {
        out.set(r, 'dir');
        walk(r);
      } else if (stat.isFile()) out.set(r, stat.size > 64 * 1024 * 1024 ? `sparse:${stat.size}` : `file:${createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}:${stat.mode & 0o777}`);
      else out.set(r, `special:${stat.mode}`);
    }
  };
  walk('');
  return out;
}

interface Row {
  readonly name: string;
  /** `inputs`: the fleet and its inputs; `out`: those and a previous OUT (synth) or the OUT to check; `empty`: a bare folder. */
  readonly base: 'inputs' | 'out' | 'empty';
  readonly argv: readonly string[];
  readonly prepare: (dir: string) => void | Promise<void>;
  readonly code: 1 | 2;
  /** What stderr must name: the file as given, and the field where there is one. */
  readonly names: readonly string[];
}

interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly outsideBefore: Map<string, string>;
  readonly outsideAfter: Map<string, string>;
  readonly outBefore?: Map<string, string>;
  readonly outAfter?: Map<string, string>;
}

const synthRow = (name: string, prepare: Row['prepare'], names: readonly string[]): Row => ({ name, base: 'out', argv: ['synth', '-c', 'fleet.yaml', '-o', 'out'], prepare, code: 1, names });
const fleetText = (text: string) => (dir: string) => fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);

/* ---------- the rows ---------- */

/** Each input, where it is in a scenario, how a row is run, and how its messages name it. */
const INPUTS: ReadonlyArray<{ what: string; file: string; limit: number; run: 'synth' | string[]; names: string[]; skip?: Special[] }> = [
  { what: 'fleet file (-c)', file: 'fleet.yaml', limit: INPUT_LIMITS.fleetBytes, run: 'synth', names: ['fleet.yaml'] },
  { what: 'public key', file: 'keys/sa.pub', limit: INPUT_LIMITS.publicKeyBytes, run: 'synth', names: ['keys/sa.pub', 'publicKeyFiles[0]'] },
  { what: 'CredentialsRequests folder', file: 'crs', limit: 0, run: 'synth', names: ['crs', 'credentialsRequests'], skip: ['folder', 'oversized'] },
  // a folder named *.yaml is not a request (ccoctl reads files): skipped, not refused
  { what: 'CredentialsRequest file', file: 'crs/extra.yaml', limit: INPUT_LIMITS.credentialsRequestBytes, run: 'synth', names: ['crs/extra.yaml'], skip: ['folder'] },
  { what: 'secret file', file: 'secrets/pull-secret.json', limit: INPUT_LIMITS.secretBytes, run: 'synth', names: ['secrets/pull-secret.json'] },
  { what: 'capz patch input', file: 'cluster.yaml', limit: INPUT_LIMITS.capzTemplateBytes, run: ['capz', 'patch', 'cluster.yaml'], names: ['cluster.yaml'] },
  { what: 'jwks --public-keys', file: 'sa.pub', limit: INPUT_LIMITS.publicKeyBytes, run: ['jwks', '--public-keys', 'sa.pub'], names: ['sa.pub'] },
];

const specialRows: Row[] = INPUTS.flatMap((input) =>
  SPECIALS.filter((s) => !input.skip?.includes(s)).map((special): Row => ({
    name: `${input.what}: ${special}`,
    base: input.run === 'synth' ? 'out' : 'empty',
    argv: input.run === 'synth' ? ['synth', '-c', 'fleet.yaml', '-o', 'out'] : input.run,
    prepare: (dir) => makeSpecial(path.join(dir, input.file), special, input.limit),
    code: 1,
    names: input.names,
  })),
);

const literalRows: Row[] = [
  { name: 'fleet file (-c): /dev/zero itself', base: 'inputs', argv: ['synth', '-c', '/dev/zero', '-o', 'out'], prepare: () => {}, code: 1, names: ['/dev/zero'] },
  synthRow('public key: /dev/zero itself', fleetText(edit(FLEET, '- keys/sa.pub', '- /dev/zero')), ['/dev/zero', 'publicKeyFiles[0]']),
  synthRow(
    'CredentialsRequests folder: more entries than the limit',
    (dir) => {
      for (let i = 0; i <= INPUT_LIMITS.credentialsRequestEntries; i++) fs.writeFileSync(path.join(dir, 'crs', `n${i}.txt`), '');
    },
    ['crs', 'credentialsRequests', 'more than'],
  ),
  synthRow('fleet file: a symbolic link to /dev/zero named by -c', (dir) => {
    fs.rmSync(path.join(dir, 'fleet.yaml'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'fleet.yaml'));
  }, ['fleet.yaml']),
];

const fleetBomb = bomb('x-lol', '');
const yamlRows: Row[] = [
  synthRow('fleet: a nested alias bomb', fleetText(`${fleetBomb.text}${FLEET}`), ['fleet.yaml', 'aliases']),
  synthRow('fleet: an alias bomb in an enum field', fleetText(`${fleetBomb.text}${edit(FLEET, 'distribution: kind', `distribution: ${fleetBomb.top}`)}`), ['fleet.yaml', 'aliases']),
  synthRow('fleet: an alias bomb under a merge key', fleetText(`${mergeBomb(6)}${edit(FLEET, '      distribution: kind\n', '      <<: *base\n')}`), ['fleet.yaml', 'aliases']),
  synthRow('fleet: an alias bomb just below the limit under a merge key (the message quotes only its start)', fleetText(`${mergeBomb(5)}${edit(FLEET, '      distribution: kind\n', '      <<: *base\n')}`), ['fleet.yaml', 'clusters[0].selfManaged.distribution', 'is not allowed']),
  synthRow('fleet: an alias bomb just below the limit, in an enum field (the message quotes only its start)', fleetText(`${bomb('x-lol', '', 5, 12).text}${edit(FLEET, 'distribution: kind', 'distribution: *lol4')}`), ['fleet.yaml', 'clusters[0].selfManaged.distribution', 'is not allowed']),
  synthRow('fleet: [[[[ nested 100,000 levels', fleetText(`${FLEET}x-deep: ${flowDeep()}\n`), ['fleet.yaml', 'nests deeper']),
  synthRow('fleet: - - - - nested 100,000 levels', fleetText(`${FLEET}x-deep:\n  ${blockDeep()}\n`), ['fleet.yaml', 'nests deeper']),
  synthRow('fleet: an alias that contains itself', fleetText(`${FLEET}x-self: &self [*self]\n`), ['fleet.yaml', 'contains it']),
  synthRow('fleet: an unknown key of 8 MB (quoted by its start, no did-you-mean over it)', fleetText(`${FLEET}? ${'x'.repeat(8_000_000)}\n: 1\n`), ['fleet.yaml', 'unknown field']),
  synthRow('fleet: an enum value of 8 MB', fleetText(edit(FLEET, 'distribution: kind', `distribution: ${'k'.repeat(8_000_000)}`)), ['fleet.yaml', 'clusters[0].selfManaged.distribution', 'is not allowed']),
  synthRow('fleet: two YAML documents', fleetText(`${FLEET}---\n${FLEET}`), ['fleet.yaml', '2 YAML documents']),
  synthRow('CredentialsRequest: a nested alias bomb', (dir) => fs.appendFileSync(path.join(dir, 'crs', CR_FILE), bomb('x-lol', '').text), [`crs/${CR_FILE}`, 'aliases']),
  synthRow('CredentialsRequest: [[[[ nested 100,000 levels', (dir) => fs.writeFileSync(path.join(dir, 'crs', 'extra.yaml'), flowDeep()), ['crs/extra.yaml', 'nests deeper']),
  synthRow('CredentialsRequest: - - - - nested 100,000 levels', (dir) => fs.writeFileSync(path.join(dir, 'crs', 'extra.yaml'), blockDeep()), ['crs/extra.yaml', 'nests deeper']),
  synthRow('secret file: JSON nested 5,000 levels', (dir) => fs.writeFileSync(path.join(dir, 'secrets', 'pull-secret.json'), `{"auths": {"quay.io": ${jsonDeep()}}}`), ['secrets/pull-secret.json', 'nests deeper']),
  ...[
    ['a nested alias bomb', `apiVersion: v1\nkind: ConfigMap\n${bomb('data', '').text}`, 'aliases'],
    ['[[[[ nested 100,000 levels', `kind: ConfigMap\ndata: ${flowDeep()}\n`, 'nests deeper'],
    ['- - - - nested 100,000 levels', `kind: ConfigMap\ndata:\n  ${blockDeep()}\n`, 'nests deeper'],
  ].map(([what, text, names]): Row => ({
    name: `capz patch input: ${what}`,
    base: 'empty',
    argv: ['capz', 'patch', 'cluster.yaml'],
    prepare: (dir) => fs.writeFileSync(path.join(dir, 'cluster.yaml'), `${fs.readFileSync(CAPZ_TEMPLATE, 'utf8')}---\n${text}`),
    code: 1,
    names: ['cluster.yaml', names],
  })),
];

/** check (or graph) over the mini fleet's OUT after one hand edit. */
const checkRow = (name: string, prepare: (out: string) => void | Promise<void>, names: readonly string[], code: 1 | 2 = 1, command = 'check'): Row => ({
  name,
  base: 'out',
  argv: [command, 'out'],
  prepare: (dir) => prepare(path.join(dir, 'out')),
  code,
  names,
});
const CONFIG_MAP = 'kubernetes/kind-dev/configmap_app_hand-edited.yaml';
const writeOut = (rel: string, text: string) => (out: string) => fs.writeFileSync(path.join(out, ...rel.split('/')), text);
const editSummary = (change: (s: any) => void) => (out: string) => {
  const file = path.join(out, 'summary.json');
  const summary = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(summary);
  fs.writeFileSync(file, JSON.stringify(summary));
};

const outRows: Row[] = [
  checkRow('OUT: a ConfigMap holding a nested alias bomb', writeOut(CONFIG_MAP, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  namespace: app\n${bomb('data', '').text}`), [CONFIG_MAP, 'aliases']),
  checkRow('OUT: a ConfigMap whose aliases stay below the limit of an input but not below that of OUT (synth writes none)', writeOut(CONFIG_MAP, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  namespace: app\n${bomb('data', '', 4, 12).text}`), [CONFIG_MAP, 'aliases']),
  checkRow('OUT: a kustomization.yaml whose resources are an alias bomb', writeOut('kubernetes/kind-dev/kustomization.yaml', `${bomb('x-lol', '').text}resources: *lol8\n`), ['kubernetes/kind-dev/kustomization.yaml', 'aliases']),
  checkRow('OUT: a ConfigMap [[[[ nested 100,000 levels', writeOut(CONFIG_MAP, `kind: ConfigMap\ndata: ${flowDeep()}\n`), [CONFIG_MAP, 'nests deeper']),
  checkRow('OUT: a ConfigMap - - - - nested 100,000 levels', writeOut(CONFIG_MAP, `kind: ConfigMap\ndata:\n  ${blockDeep()}\n`), [CONFIG_MAP, 'nests deeper']),
  checkRow('OUT: a stack JSON nested 5,000 levels', writeOut('terraform/stacks/mini/cdk.tf.json', `{"resource": ${jsonDeep()}}`), ['terraform/stacks/mini/cdk.tf.json', 'nests deeper']),
  checkRow('OUT: summary.json nested 5,000 levels', writeOut('summary.json', `{"clusters": [], "x": ${jsonDeep()}}`), ['summary.json', 'nests deeper'], 2),
  checkRow('OUT: summary.json that is not JSON', writeOut('summary.json', '{"clusters": ['), ['summary.json', 'not valid JSON'], 2),
  ...(['fifo', 'dev-zero', 'oversized', 'symlink-loop'] as const).map((special) =>
    checkRow(`OUT: summary.json is ${special}`, (out) => makeSpecial(path.join(out, 'summary.json'), special, INPUT_LIMITS.outFileBytes), ['summary.json'], 2),
  ),
  ...(
    [
      ['"clusters": [1, null]', (s: any) => (s.clusters = [1, null]), 'clusters[0]'],
      ['a cluster without a name', (s: any) => delete s.clusters[0].name, 'clusters[0].name'],
      ['a cluster issuer that is a number', (s: any) => (s.clusters[1].issuer = 42), 'clusters[1].issuer'],
      ['externalServiceAccounts that is a string', (s: any) => (s.clusters[1].externalServiceAccounts = 'all'), 'clusters[1].externalServiceAccounts'],
      ['files that is a string', (s: any) => (s.files = 'everything'), 'files'],
      ['a file that is a number', (s: any) => s.files.push(7), `files[`],
      ['placeholders holding a number', (s: any) => (s.placeholders = [1]), 'placeholders[0]'],
      ['a placeholder whose usedBy is a string', (s: any) => (s.placeholders[0].usedBy = 'x'), 'placeholders[0].usedBy'],
      ['resolvedOutputs that is a list', (s: any) => (s.resolvedOutputs = []), 'resolvedOutputs'],
      ['a resolved output that is a number', (s: any) => (s.resolvedOutputs = { identity_id_app_client_id: 1 }), 'resolvedOutputs.identity_id_app_client_id'],
      ['warnings holding an object', (s: any) => (s.warnings = [{}]), 'warnings[0]'],
      ['skippedCredentialsRequests holding null', (s: any) => (s.skippedCredentialsRequests = [null]), 'skippedCredentialsRequests[0]'],
      ['no fleet name', (s: any) => delete s.fleet, 'fleet'],
    ] as const
  ).map(([what, change, field]) => checkRow(`summary.json that lies: ${what}`, editSummary(change), ['summary.json', field])),
  checkRow('OUT: summary.json of another generator', editSummary((s) => (s.generator = { name: 'other', format: 1 })), ['summary.json', 'another generator'], 2),
  checkRow('OUT: summary.json of a format this wisynth does not know', editSummary((s) => (s.generator.format = 99)), ['summary.json', 'format 99'], 2),
  checkRow('OUT: summary.json without the marker and not of the old shape', editSummary((s) => { delete s.generator; delete s.files; }), ['summary.json', 'no "generator"'], 2),
  checkRow('graph over a summary.json that lies', editSummary((s) => (s.clusters = [1, null])), ['summary.json', 'clusters[0]'], 1, 'graph'),
  ...(['fifo', 'dev-zero', 'socket', 'symlink-loop'] as const).map((special) =>
    checkRow(`OUT: a YAML file of a cluster folder that is ${special}`, (out) => makeSpecial(path.join(out, CONFIG_MAP), special, 0), [CONFIG_MAP]),
  ),
  checkRow('OUT: an oversized JSON file', (out) => makeSpecial(path.join(out, 'terraform/stacks/mini/extra.json'), 'oversized', INPUT_LIMITS.outFileBytes), ['terraform/stacks/mini/extra.json', 'more than']),
  checkRow('OUT: an oversized YAML file', (out) => makeSpecial(path.join(out, CONFIG_MAP), 'oversized', INPUT_LIMITS.outYamlFileBytes), [CONFIG_MAP, 'more than']),
  checkRow('OUT: a symbolic link to a folder outside', (out) => fs.symlinkSync('/', path.join(out, 'kubernetes', 'elsewhere')), ['kubernetes/elsewhere', 'symbolic link']),
  checkRow('OUT: folders nested deeper than the limit', (out) => {
    fs.mkdirSync(path.join(out, 'clusters', ...Array(INPUT_LIMITS.outDepth + 2).fill('d')), { recursive: true });
  }, ['clusters/d/d', 'deep']),
];

const ROWS: readonly Row[] = [...specialRows, ...literalRows, ...yamlRows, ...outRows];

/* ---------- running every row, a few at a time ---------- */

function runCli(argv: readonly string[], cwd: string): Promise<Omit<Result, 'outsideBefore' | 'outsideAfter' | 'outBefore' | 'outAfter'>> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: KILL_MS });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let kept = 0;
    // a message too long is a failure of its own: keep enough to see it, never all of it
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (kept < 4 * 1024 * 1024) into.push(chunk);
      kept += chunk.length;
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), ms: Date.now() - started }));
  });
}

async function runRow(row: Row, index: number): Promise<Result> {
  const dir = path.join(work, `row-${index}`);
  fs.mkdirSync(dir);
  if (row.base !== 'empty') fs.cpSync(pristineInputs, dir, { recursive: true });
  if (row.base === 'out') fs.cpSync(pristineOut, path.join(dir, 'out'), { recursive: true });
  await row.prepare(dir);
  const hasOut = fs.existsSync(path.join(dir, 'out'));
  const outsideBefore = tree(dir, 'out');
  const outBefore = hasOut ? tree(path.join(dir, 'out')) : undefined;
  const result = await runCli(row.argv, dir);
  return { ...result, outsideBefore, outsideAfter: tree(dir, 'out'), outBefore, outAfter: hasOut ? tree(path.join(dir, 'out')) : undefined };
}

const results = new Map<string, Result>();
let exampleRun: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  assertLibIsCurrent();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-hostile-'));
  pristineInputs = path.join(work, 'inputs');
  fs.mkdirSync(path.join(pristineInputs, 'keys'), { recursive: true });
  fs.mkdirSync(path.join(pristineInputs, 'crs'));
  fs.mkdirSync(path.join(pristineInputs, 'secrets'));
  fs.writeFileSync(path.join(pristineInputs, 'fleet.yaml'), FLEET);
  fs.copyFileSync(path.join(ROOT, 'examples', 'keys', 'kind-dev', 'sa.pub'), path.join(pristineInputs, 'keys', 'sa.pub'));

  fs.copyFileSync(path.join(ROOT, 'examples', 'openshift', 'credentialsrequests', CR_FILE), path.join(pristineInputs, 'crs', CR_FILE));
  // the OpenShift signing key and the key it publishes are one pair
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(pristineInputs, 'secrets', 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
  fs.writeFileSync(path.join(pristineInputs, 'keys', 'ocp.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(path.join(pristineInputs, 'secrets', 'pull-secret.json'), JSON.stringify({ auths: { 'quay.io': { auth: 'eDp5' } } }));
  fs.writeFileSync(
    path.join(pristineInputs, 'secrets', 'osServicePrincipal.json'),
    JSON.stringify({ subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', clientId: 'c', clientSecret: 's', tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a' }),
  );
  const outParent = path.join(work, 'pristine');
  fs.cpSync(pristineInputs, outParent, { recursive: true });
  const synth = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], outParent);
  if (synth.code !== 0) throw new Error(`the mini fleet does not synthesize:\n${synth.stderr}`);
  pristineOut = path.join(outParent, 'out');

  exampleRun = await runCli(['synth', '-o', path.join(work, 'example-out')], work);
  const queue = ROWS.map((row, i) => ({ row, i }));
  const workers = Array.from({ length: Math.max(2, Math.min(4, os.cpus().length)) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) results.set(next.row.name, await runRow(next.row, next.i));
  });
  await Promise.all(workers);
}, 600_000);

afterAll(async () => {
  await Promise.all(sockets.map((s) => new Promise((resolve) => s.close(resolve))));
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the table has distinct rows covering every input', () => {
  expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
  expect(ROWS.length).toBeGreaterThanOrEqual(80);
});

describe.each(ROWS.map((row) => ({ ...row })))('$name', (row) => {
  test(`exit ${row.code}, names ${row.names.join(', ')}, a fix, no stack trace, within ${BUDGET_MS} ms, nothing else touched`, () => {
    const r = results.get(row.name)!;
    const shown = `exit ${r.code} (${r.signal ?? 'no signal'}) after ${r.ms} ms; stderr:\n${r.stderr.slice(0, 4000)}`;
    expect({ code: r.code, shown }).toEqual({ code: row.code, shown });
    expect(r.ms).toBeLessThan(BUDGET_MS);
    for (const name of row.names) expect(r.stderr).toContain(name);
    expect(r.stderr).toMatch(/\n {2}fix: \S/);
    expect(r.stderr).not.toContain('unexpectedly');
    expect(r.stderr).not.toMatch(STACK_LINE);
    // a short message, not the expansion of a bad value
    expect(r.stderr.length + r.stdout.length).toBeLessThan(64 * 1024);
    expect(r.outsideAfter).toEqual(r.outsideBefore);
    if (r.outBefore) expect(r.outAfter).toEqual(r.outBefore);
  });
});

describe('the example and YAML that real fleets use', () => {
  test('the example still synthesizes', () => {
    expect({ code: exampleRun.code, stderr: exampleRun.stderr }).toEqual({ code: 0, stderr: '' });
  });

  test.each([
    ['the example', fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8')],
    ['anchors, aliases and merge keys', `base: &base {distribution: kind, webhook: true}\nlist: &l [a, b]\nclusters:\n  - <<: *base\n    name: x\n    again: *l\n  - <<: [*base, {extra: 1}]\n    distribution: kubeadm\n`],
    ['scalars of the core schema', `a: 0x1F\nb: 0o17\nc: .inf\nd: ~\ne: "007"\nf: 1e3\ng: true\nh: 'yes'\ni: |\n  text\n`],
  ])('%s parses to the same value as js-yaml did', (_name, text) => {
    const parsed = parseInputYaml(text);
    expect(parsed.ok && parsed.values).toEqual([yaml.load(text)]);
  });

  test('a fleet that shares its cluster settings through a merge key builds', () => {
    const text = edit(FLEET, '      distribution: kind\n', '      <<: *kind\n').replace('clusters:\n', 'x-kind: &kind\n  distribution: kind\nclusters:\n');
    // only the unknown x- field is refused: the merged distribution is read
    expect(() => parseFleet(text, '/nowhere')).toThrow(/unknown field "x-kind"/);
    expect(() => parseFleet(text.replace('x-kind: &kind\n  distribution: kind\n', '').replace('      <<: *kind\n', '      <<: {distribution: kind}\n'), '/nowhere')).not.toThrow();
  });
});
