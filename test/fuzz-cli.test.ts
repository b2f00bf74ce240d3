/**
 * The CLI process itself, run as a user would (`node bin/wisynth.js ...`) with generated argument vectors
 * and generated fleet files: it exits with 0, 1 or 2 only, within a bound, never prints a stack trace or
 * "failed unexpectedly", and says `error: ...` whenever it fails. Nothing outside its working folder changes.
 *
 * Cases are drawn with fast-check (fixed seed) and run two at a time, each in a folder of its own; a failure
 * names the case's index, its argument vector and its fleet file. fc.sample does not shrink: the printed case
 * is the one that failed. FUZZ_CLI_TRACE=1 prints every run (exit code, time, argument vector, first stderr line).
 */
import { spawn, spawnSync } from 'child_process';
import { createHash, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import {
  aliasEdit,
  dump,
  EXAMPLE,
  EXAMPLES_DIR,
  insertAliases,
  mutateDocument,
  mutateText,
  SEED,
  structuralEdit,
  textEdit,
  validFleet,
  writeWithAnchors,
  yamlishText,
} from './fuzz-arbitraries';
import { assertLibIsCurrent, copyExampleInputs, readTree, ROOT } from './support';

const BIN = path.join(ROOT, 'bin', 'wisynth.js');
/** Generated runs; plus the fixed edge cases below. Process start is ~0.3 s, a synth ~1 s: keep this modest. */
const RUNS = 52;
const PARALLEL = 2;
const TIMEOUT_MS = 20_000;

/** Argument vectors worth running every time: no command, a command group without its subcommand, help and version. */
const EDGES: string[][] = [[], ['capz'], ['help'], ['help', 'nope'], ['--version'], ['synth', '--help'], ['--'], ['synth', '-c', 'gen.yaml', '-o', 'out', '--', 'x']];

// ---------------------------------------------------------------------------------------------
// What a case is: a fleet file (gen.yaml), an argument vector, maybe variables that move parts of OUT.

const fleetText = fc.oneof(
  { weight: 3, arbitrary: fc.constant(EXAMPLE) },
  { weight: 2, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 2 }).map((edits) => mutateText(edits)) },
  { weight: 2, arbitrary: fc.array(structuralEdit, { minLength: 1, maxLength: 2 }).map(mutateDocument) },
  { weight: 2, arbitrary: validFleet.map(dump) },
  { weight: 1, arbitrary: fc.tuple(validFleet, fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 24 })).map(([doc, picks]) => writeWithAnchors(doc, picks).text) },
  { weight: 2, arbitrary: fc.array(aliasEdit, { minLength: 1, maxLength: 2 }).map((edits) => insertAliases(EXAMPLE, edits).text) },
  { weight: 1, arbitrary: yamlishText },
);

/** Paths and names that mean something in a case's folder (see prepareTemplate). */
const KNOWN_WORDS = [
  'gen.yaml', 'fleet.yaml', 'out', 'out2', 'dist', '.', 'keys', 'keys/kind-dev', 'keys/kind-dev/sa.pub', 'keys/ocp-prod/sa.pub', 'openshift/credentialsrequests',
  'outputs.json', 'tf.json', 'capz.yaml', 'missing.yaml', 'aks-prod', 'capz-work-1', 'out/summary.json', 'out/kubernetes', 'secrets/sa.key', '',
];
const ODD_WORDS = ['-', '--', '-x', '--nope', '-oo', '--out=out3', '-cgen.yaml', '--config=gen.yaml', '--public-keys=keys/kind-dev/sa.pub', '-h', '--help', '-V', '--version', 'help', 'ünïcødé', '名前', '🙂', '\u202eevil', 'a\nb', ' ', '-o', '-c', '--strict'];
/** Never a path out of the case's folder: no absolute path, no `..`, no `/` but in the known words. */
const safe = (w: string): boolean => !w.includes('\u0000') && !w.includes('..') && !w.includes('\\') && (KNOWN_WORDS.includes(w) || ODD_WORDS.includes(w) || !w.includes('/'));
const word = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...KNOWN_WORDS) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_WORDS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 5 }) },
  )
  .filter(safe);

type Value = 'fleet' | 'dir' | 'file' | 'key' | 'outputs' | 'name' | 'yaml';
const VALUES: Record<Value, string[]> = {
  fleet: ['gen.yaml', 'gen.yaml', 'fleet.yaml', 'missing.yaml', 'keys', 'outputs.json'],
  dir: ['out', 'out2', 'dist', 'new/dir'],
  file: ['result.yaml', 'jwks.json', 'out2.json'],
  key: ['keys/kind-dev/sa.pub', 'keys/gs-prod/sa.pub', 'keys/ocp-prod/sa.pub', 'keys/kind-dev/sa.pub,keys/gs-prod/sa.pub', 'secrets/sa.key', 'gen.yaml'],
  outputs: ['outputs.json', 'tf.json', 'gen.yaml', 'missing.json'],
  name: ['sa', 'capz-work-1', 'next', 'aks-prod'],
  yaml: ['capz.yaml', 'gen.yaml', 'out/summary.json'],
};
/**
 * Each command: a start that is usually right (`base`), its options (a flag and the kind of value it takes,
 * if any; the base's are not drawn again, or every case would be a repeated option) and its positional argument.
 */
const COMMANDS: Record<string, { base: string[]; options: Array<[string, Value?]>; positional?: Value }> = {
  synth: { base: ['-c', 'gen.yaml', '-o', 'out'], options: [['--outputs', 'outputs'], ['--strict'], ['--no-check'], ['-c', 'fleet'], ['--config', 'fleet'], ['-o', 'dir'], ['--out', 'dir']] },
  check: { base: ['out'], options: [['--json'], ['--strict']], positional: 'dir' },
  graph: { base: ['out'], options: [], positional: 'dir' },
  jwks: { base: ['--public-keys', 'keys/kind-dev/sa.pub'], options: [['-o', 'file'], ['--public-keys', 'key']] },
  keygen: { base: ['-o', 'newkeys'], options: [['--name', 'name'], ['--force'], ['-o', 'dir']] },
  'capz patch': { base: ['capz.yaml', '-c', 'gen.yaml', '--cluster', 'capz-work-1'], options: [['--outputs', 'outputs'], ['--strict'], ['-o', 'file'], ['-c', 'fleet'], ['--cluster', 'name']], positional: 'yaml' },
};

/** Mostly a value that fits, sometimes any word. */
const randomWord = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: word });
/** An option: mostly one of the first ones (not given in the base), a value that fits. */
const optionIndex = fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.nat() });
const piece = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('option' as const), option: optionIndex, value: fc.nat(), random: randomWord }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('positional' as const), value: fc.nat(), random: randomWord }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('word' as const), word }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('missingValue' as const), option: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dashdash' as const }) },
);
const argv = fc
  .record({
    command: fc.oneof(
      { weight: 6, arbitrary: fc.constant('synth') },
      { weight: 2, arbitrary: fc.constantFrom('check', 'jwks', 'capz patch') },
      { weight: 1, arbitrary: fc.constantFrom('graph', 'keygen', 'capz', 'help', '') },
      { weight: 1, arbitrary: word },
    ),
    base: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    pieces: fc.array(piece, { maxLength: 4 }),
    repeat: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  .map(({ command, base, pieces, repeat }) => {
    const spec = COMMANDS[command];
    const args = command === '' ? [] : command.split(' ');
    if (spec && base) args.push(...spec.base);
    for (const p of pieces) {
      if (p.kind === 'word') args.push(p.word);
      else if (p.kind === 'dashdash') args.push('--');
      else if (!spec) args.push(p.kind === 'missingValue' ? '-o' : ODD_WORDS[p.value % ODD_WORDS.length]);
      else if (p.kind === 'positional') args.push(p.random ?? (spec.positional ? VALUES[spec.positional][p.value % VALUES[spec.positional].length] : 'extra'));
      else if (spec.options.length === 0) args.push('--nope');
      else {
        const [flag, kind] = spec.options[p.option % spec.options.length];
        args.push(flag);
        if (kind && p.kind !== 'missingValue') args.push(p.random ?? VALUES[kind][p.value % VALUES[kind].length]);
      }
    }
    // an option given twice
    if (repeat && spec?.options.length) {
      const [flag, kind] = spec.options[args.length % spec.options.length];
      args.push(flag, ...(kind ? [VALUES[kind][0]] : []));
    }
    return args;
  });
/** Variables that move parts of OUT, now and then; LANG in a locale that sorts differently. */
const env = fc.record(
  {
    CDKTF_OUTDIR: fc.constantFrom('tf', 'out/terraform', 'keys', '.'),
    CDK8S_OUTDIR: fc.constantFrom('k8s', 'out/kubernetes', 'openshift', '.'),
    LANG: fc.constantFrom('da_DK.UTF-8', 'C', 'tr_TR.UTF-8'),
  },
  { requiredKeys: [] },
).map((e) => e as Record<string, string>);
const cliCase = fc.record({ fleet: fleetText, argv, env: fc.oneof({ weight: 5, arbitrary: fc.constant({} as Record<string, string>) }, { weight: 1, arbitrary: env }) });
type CliCase = { fleet: string; argv: string[]; env: Record<string, string> };

// ---------------------------------------------------------------------------------------------

interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

const MAX_OUTPUT = 1 << 20;

function runCli(args: string[], cwd: string, extraEnv: Record<string, string>): Promise<Ran> {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LANG|LANGUAGE|LC_\w+|CDKTF_OUTDIR|CDK8S_OUTDIR|WISYNTH_DEBUG|NODE_OPTIONS)$/.test(k)));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...environment, HOME: cwd, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (out.length < MAX_OUTPUT ? (out += d.toString('utf8')) : undefined));
    child.stderr.on('data', (d: Buffer) => (err.length < MAX_OUTPUT ? (err += d.toString('utf8')) : undefined));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut, out, err: `${err}\nspawn failed: ${e.message}`, ms: Date.now() - started });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, out, err, ms: Date.now() - started });
    });
  });
}

/** `check --json` says why it failed on stdout, as JSON, and nothing on stderr. */
function failedAsJson(args: readonly string[], r: Ran): boolean {
  if (r.code !== 1 || args[0] !== 'check' || !args.includes('--json')) return false;
  try {
    const report = JSON.parse(r.out) as { ok?: unknown; errors?: unknown };
    return report.ok === false && typeof report.errors === 'number' && report.errors > 0;
  } catch {
    return false;
  }
}

/** What is wrong with a run, or undefined. */
function problem(args: readonly string[], r: Ran): string | undefined {
  if (r.timedOut) return `did not end within ${TIMEOUT_MS} ms (killed)`;
  if (r.signal) return `ended by signal ${r.signal}`;
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) return `exit code ${String(r.code)}, not 0, 1 or 2`;
  const all = `${r.out}\n${r.err}`;
  const crash = [
    /unexpectedly/i,
    /\bat Object\./,
    /\bat Module\./,
    /^\s+at (?:\S+ )?\(?(?:\/|node:|file:)[^\n]*:\d+:\d+\)?$/m,
    /node:internal/,
    /^(?:[A-Z]\w*)?Error: /m,
  ].find((re) => re.test(all));
  if (crash) return `the output matches ${String(crash)}`;
  if (r.code !== 0 && !/^error: \S/m.test(r.err) && !failedAsJson(args, r)) return `exit code ${r.code} without an \`error: ...\` line on stderr`;
  return undefined;
}

/** The files of the example's folder, hashed: the CLI must never change them. */
function examplesDigest(): string {
  const hash = createHash('sha256');
  for (const [name, content] of readTree(EXAMPLES_DIR)) hash.update(name).update('\0').update(content);
  return hash.digest('hex');
}

/** The files every case starts from: the example with its keys and CredentialsRequests, a synthesized OUT, outputs files, a CAPZ template, Hive secrets. */
function prepareTemplate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), EXAMPLE);
  copyExampleInputs(dir);
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'capz', 'cluster-template.yaml'), path.join(dir, 'capz.yaml'));
  fs.mkdirSync(path.join(dir, 'secrets'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'secrets', 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'secrets', 'pull-secret.json'), JSON.stringify({ auths: { 'quay.io': { auth: 'eDp5' } } }));
  fs.writeFileSync(
    path.join(dir, 'secrets', 'osServicePrincipal.json'),
    JSON.stringify({ subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', clientId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', clientSecret: 'x' }),
  );
  const synth = spawnSync(process.execPath, [BIN, 'synth', '-c', 'fleet.yaml', '-o', 'out', '--no-check'], { cwd: dir, encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(`cannot synthesize the example for the template: ${synth.stderr}`);
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8')) as { placeholders?: Array<{ output: string }> };
  const names = (summary.placeholders ?? []).map((p) => p.output);
  const value = (n: string, i: number) => (n.endsWith('_issuer_url') ? 'https://stcontosooidcgsprod.z6.web.core.windows.net/' : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify({ contoso: Object.fromEntries(names.map((n, i) => [n, value(n, i)])) }));
  fs.writeFileSync(path.join(dir, 'tf.json'), JSON.stringify(Object.fromEntries(names.slice(0, 3).map((n, i) => [n, { value: value(n, i), type: 'string', sensitive: false }]))));
}

describe('the CLI process', () => {
  let root: string;
  beforeAll(() => {
    assertLibIsCurrent();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-fuzz-cli-'));
    prepareTemplate(path.join(root, 'template'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it(`exits with 0, 1 or 2 within ${TIMEOUT_MS / 1000} s, prints no stack trace, and says error: when it fails`, async () => {
    const started = Date.now();
    const before = examplesDigest();
    const generated = fc.sample(cliCase, { seed: SEED, numRuns: RUNS }) as CliCase[];
    const cases: CliCase[] = [...EDGES.map((a) => ({ fleet: EXAMPLE, argv: a, env: {} })), ...generated];
    const codes: Record<string, number> = {};
    const byCommand: Record<string, number> = {};
    const failures: string[] = [];
    let slowest = 0;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < cases.length) {
        const index = next++;
        const c = cases[index];
        const dir = path.join(root, `case-${index}`);
        fs.cpSync(path.join(root, 'template'), dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'gen.yaml'), c.fleet);
        const r = await runCli(c.argv, dir, c.env);
        slowest = Math.max(slowest, r.ms);
        codes[String(r.code)] = (codes[String(r.code)] ?? 0) + 1;
        const command = c.argv[0] === 'capz' && c.argv[1] === 'patch' ? 'capz patch' : (c.argv[0] ?? '(none)');
        const shown = command in COMMANDS || ['capz', 'help', '(none)'].includes(command) ? command : '(other)';
        byCommand[shown] = (byCommand[shown] ?? 0) + 1;
        if (process.env.FUZZ_CLI_TRACE) process.stdout.write(`${index} ${r.code} ${r.ms}ms ${JSON.stringify(c.argv)} ${Object.keys(c.env).length ? JSON.stringify(c.env) : ""} :: ${r.err.split("\n")[0].slice(0, 140)}\n`);
        const wrong = problem(c.argv, r);
        if (wrong) {
          failures.push(
            `case ${index} (${index < EDGES.length ? 'fixed' : `generated #${index - EDGES.length}, seed ${SEED}`}): ${wrong}\n` +
              `  argv: ${JSON.stringify(c.argv)}${Object.keys(c.env).length ? `\n  env: ${JSON.stringify(c.env)}` : ''}\n` +
              `  exit: ${String(r.code)} in ${r.ms} ms\n--- stderr ---\n${r.err.slice(0, 800)}\n--- stdout ---\n${r.out.slice(0, 400)}` +
              (c.argv.some((a) => a.includes('gen.yaml')) ? `\n--- gen.yaml ---\n${c.fleet.slice(0, 3000)}` : ''),
          );
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
    process.stdout.write(
      `fuzz-cli: ${cases.length} runs (${EDGES.length} fixed + ${generated.length} generated) in ${Date.now() - started} ms (seed ${SEED}, ${PARALLEL} at a time, slowest ${slowest} ms): ` +
        `exit codes ${JSON.stringify(codes)}, commands ${JSON.stringify(byCommand)}, ${failures.length} failed\n`,
    );
    expect(examplesDigest()).toBe(before);
    if (failures.length > 0) {
      const summary = failures.map((f) => f.split('\n').slice(0, 2).join(' ')).join('\n');
      throw new Error(`${failures.length} of ${cases.length} runs broke the property:\n${summary}\n\nThe first of them:\n\n${failures.slice(0, 4).join('\n\n')}`);
    }
    // the cases reach every outcome, or they test only the argument parser
    expect(Math.min(codes['0'] ?? 0, codes['1'] ?? 0, codes['2'] ?? 0)).toBeGreaterThan(RUNS / 20);
  }, 240_000);
});
