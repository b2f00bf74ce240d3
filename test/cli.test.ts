/**
 * The CLI contract (README, "CLI") at its edges, table by table:
 * - every argument a command does not take is a usage error (exit 2) that names it and the fix;
 * - `--version` prints the package's version;
 * - every file-system problem (a file where a folder goes, a read-only or full disk, permissions,
 *   too many open files, ...) is exit 1 with the path and the fix, never "failed unexpectedly";
 * - the output does not depend on the locale (Danish and Turkish collation differ from code point order).
 * Most cases run main() in process; the executable itself runs where a process matters (environment,
 * locale, another user, a real mount).
 */
import { spawnSync } from 'child_process';
// The module itself (not a namespace copy), so jest.spyOn reaches every caller of fs.
import fs = require('fs');
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli/main';
import { byCodePoint } from '../src/core/compare';
import { loadFleetFile, planFleet } from '../src/platforms';
import { loadPlanInputs } from '../src/output/plan-inputs';
import { readTerraformOutputs } from '../src/output/terraform-outputs';
import { ROOT, assertLibIsCurrent, readTree } from './support';

const BIN = path.join(ROOT, 'bin', 'wisynth.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CAPZ_TEMPLATE = path.join(ROOT, 'test', 'fixtures', 'capz', 'cluster-template.yaml');
const PUBLIC_KEY = path.join(ROOT, 'examples', 'keys', 'capz-mgmt', 'sa.pub');
const STACK_LINE = /^\s+at /m;

/**
 * A small fleet whose names sort differently by locale: Danish sorts "aa" after "z", Turkish puts
 * "I" before "i" as its own letter, the root collation ignores case first. Code point order differs
 * from all three: id-Ib < id-aab < id-ia < id-zed.
 */
const LOCALE_FLEET = `name: locale
azure:
  tenantId: 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a
  subscriptionId: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
  location: westeurope
resourceGroups:
  - name: rg-a
identities:
  - name: id-zed
    resourceGroup: rg-a
    roles:
      - role: Reader
        scope: /subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-a
  - name: id-aab
    resourceGroup: rg-a
    roles:
      - role: Reader
        scope: /subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-a
  - name: id-ia
    resourceGroup: rg-a
    roles:
      - role: Reader
        scope: /subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-a
  - name: id-Ib
    resourceGroup: rg-a
    roles:
      - role: Reader
        scope: /subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-a
clusters:
  - name: aks-a
    platform: aks
    aks:
      resourceGroup: rg-a
    workloads:
      - namespace: zed
        serviceAccount: api
        identity: id-zed
      - namespace: aab
        serviceAccount: api
        identity: id-aab
      - namespace: ib
        serviceAccount: ib
        identity: id-Ib
      - namespace: ia
        serviceAccount: ia
        identity: id-ia
      - namespace: ia
        serviceAccount: aab
        identity: id-aab
`;
/** Two of the four client ids known after apply (terraform output -json), so both resolved and pending values are listed. */
const LOCALE_OUTPUTS = JSON.stringify({
  'identity_id-zed_client_id': { value: '2c9d5e4f-1a2b-4c3d-8e4f-5a6b7c8d9e0f', type: 'string', sensitive: false },
  'identity_id-aab_client_id': { value: '7d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a', type: 'string', sensitive: false },
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The environment without locale variables and without variables that move parts of OUT. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LANG|LANGUAGE|LC_\w+|CDKTF_OUTDIR|CDK8S_OUTDIR)$/.test(k)));
  return { ...env, ...extra };
}

function wisynth(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, user?: { uid: number; gid: number }): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8', ...user });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A clear user-facing error: the exit code, the path and the fix, and nothing of a crash. */
function expectClearError(r: Run, code: number, shown: string, message: RegExp, fix: RegExp): void {
  expect({ code: r.code, err: r.err }).toMatchObject({ code, err: expect.stringContaining(shown) });
  expect(r.err).toMatch(message);
  const fixLine = r.err.split('\n').find((l) => /^\s*fix: /.test(l));
  expect(fixLine).toMatch(fix);
  expect(r.err).not.toMatch(/unexpectedly/);
  expect(r.err).not.toMatch(STACK_LINE);
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-cli-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A fresh folder holding the locale fleet, its outputs file, a public key, a file and an empty folder. */
function project(name: string): string {
  const dir = fs.mkdtempSync(path.join(work, `${name.replace(/\W+/g, '-').slice(0, 40)}-`));
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), LOCALE_FLEET);
  fs.writeFileSync(path.join(dir, 'outputs.json'), LOCALE_OUTPUTS);
  fs.copyFileSync(PUBLIC_KEY, path.join(dir, 'k.pub'));
  fs.writeFileSync(path.join(dir, 'afile'), 'not a folder\n');
  fs.mkdirSync(path.join(dir, 'adir'));
  return dir;
}

describe('every argument a command does not take is a usage error (exit 2) naming it and the fix', () => {
  test.each<[string, string[], string, RegExp]>([
    ['synth: a fleet file as a positional argument', ['synth', 'fleet.yaml', '-o', 'out'], "'fleet.yaml'", /did you mean -c fleet\.yaml\?/],
    ['synth: an output folder as a positional argument', ['synth', '-c', 'fleet.yaml', 'out'], "'out'", /did you mean -o out\?/],
    ['synth: an outputs file as a positional argument', ['synth', '-c', 'fleet.yaml', '-o', 'out', 'outputs.json'], "'outputs.json'", /did you mean --outputs outputs\.json\?/],
    ['synth: two extra arguments', ['synth', '-c', 'fleet.yaml', '-o', 'out', 'a', 'b'], "'a' 'b'", /-c.*-o.*--outputs/],
    ['synth: -c given twice', ['synth', '-c', 'fleet.yaml', '-c', 'other.yaml'], "'fleet.yaml', 'other.yaml'", /give it once/],
    ['synth: -o given twice', ['synth', '-c', 'fleet.yaml', '-o', 'a', '-o', 'b'], "'a', 'b'", /give it once/],
    ['check: a second folder', ['check', 'out', 'other'], "'other'", /once per folder/],
    ['graph: a second folder', ['graph', 'out', 'other'], "'other'", /once per folder/],
    ['jwks: a key without --public-keys', ['jwks', 'extra.pub', '--public-keys', 'k.pub'], "'extra.pub'", /--public-keys extra\.pub/],
    ['jwks: a key after -o', ['jwks', '--public-keys', 'k.pub', '-o', 'jwks.json', 'extra.pub'], "'extra.pub'", /--public-keys k\.pub extra\.pub/],
    ['jwks: -o given twice', ['jwks', '--public-keys', 'k.pub', '-o', 'a.json', '-o', 'b.json'], "'a.json', 'b.json'", /give it once/],
    ['keygen: a positional argument', ['keygen', '-o', 'keys', 'extra'], "'extra'", /-o.*--name/],
    ['keygen: --name given twice', ['keygen', '-o', 'keys', '--name', 'a', '--name', 'b'], "'a', 'b'", /give it once/],
    ['capz patch: a second file', ['capz', 'patch', 'a.yaml', 'b.yaml'], "'b.yaml'", /did you mean -o b\.yaml\?/],
    ['capz patch: a second file beside -o', ['capz', 'patch', 'a.yaml', '-o', 'x.yaml', 'b.yaml'], "'b.yaml'", /once per file/],
    ['capz patch: --cluster given twice', ['capz', 'patch', 'a.yaml', '-c', 'fleet.yaml', '--cluster', 'a', '--cluster', 'b'], "'a', 'b'", /give it once/],
    ['an unknown command', ['synthesise', '-c', 'fleet.yaml'], "'synthesise'", /--help/],
    ['an unknown capz command', ['capz', 'pacth', 'a.yaml'], "'pacth'", /--help/],
    ['an unknown option', ['synth', '--frobnicate'], "'--frobnicate'", /--help/],
    ['an option after "--"', ['synth', '--', '-c', 'fleet.yaml'], "'-c' 'fleet.yaml'", /"--" ends the options/],
    ['--version with an argument', ['--version', 'synth'], "'synth'", /run wisynth --version alone/],
  ])('%s', async (_case, argv, named, fix) => {
    const dir = project('usage');
    const before = readTree(dir);
    const r = await run(argv, dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(named);
    expect(r.err).toMatch(fix);
    expect(r.err).not.toMatch(/unexpectedly/);
    expect(readTree(dir)).toEqual(before);
  });

  test.each<[string, string[]]>([
    ['no command at all', []],
    ['capz without its command', ['capz']],
  ])('%s shows the usage and exits 2', async (_case, argv) => {
    const r = await run(argv, work);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Usage: wisynth/m);
  });

  test('the executable: `wisynth synth fleet.yaml -o out` writes nothing and suggests -c', () => {
    assertLibIsCurrent();
    const dir = project('usage-bin');
    const r = wisynth(dir, ['synth', 'fleet.yaml', '-o', 'out']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unexpected argument 'fleet\.yaml'.*\n\s+fix: did you mean -c fleet\.yaml\?/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('--version', () => {
  test.each([['--version'], ['-V']])('%s prints the package version and exits 0', async (flag) => {
    expect(await run([flag], work)).toEqual({ code: 0, out: VERSION, err: '' });
  });

  test('the executable prints it from package.json', () => {
    assertLibIsCurrent();
    expect(wisynth(work, ['--version'])).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
  });
});

(fs.existsSync('/bin/bash') ? test : test.skip)('the executable: a reader that stops early (`| true`) is no crash: the command ends with its own code', async () => {
  assertLibIsCurrent();
  const dir = project('epipe');
  expect((await run(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir)).code).toBe(0);
  const script = `for i in 1 2 3; do "${process.execPath}" "${BIN}" check out --json | true; echo "exit \${PIPESTATUS[0]}"; done`;
  const r = spawnSync('/bin/bash', ['-c', script], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  expect(r.stdout).toBe('exit 0\nexit 0\nexit 0\n');
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
});

describe('a file or folder in the way is exit 1 with the path and the fix, and nothing changes', () => {
  type Case = readonly [string, string[], string, RegExp, RegExp, NodeJS.ProcessEnv];
  const devNull: Case[] = process.platform === 'win32' ? [] : [['jwks -o a device', ['jwks', '--public-keys', 'k.pub', '-o', '/dev/null'], '/dev/null', /is a device, not a regular file/, /leave out -o to print/, {}]];
  test.each<Case>([
    ['synth: OUT is a file', ['synth', '-c', 'fleet.yaml', '-o', 'afile'], 'error: afile', /output folder exists and is a file, not a folder/, /-o names a folder .*move afile away/, {}],
    ['synth: OUT is inside a file', ['synth', '-c', 'fleet.yaml', '-o', 'afile/out'], 'error: afile/out', /afile is a file, not a folder/, /choose another path with -o, or move afile away/, {}],
    ['synth: CDKTF_OUTDIR is a file', ['synth', '-c', 'fleet.yaml', '-o', 'out'], 'CDKTF_OUTDIR=afile', /Terraform folder exists and is a file/, /CDKTF_OUTDIR names a folder/, { CDKTF_OUTDIR: 'afile' }],
    ['synth: CDK8S_OUTDIR is inside a file', ['synth', '-c', 'fleet.yaml', '-o', 'out'], 'CDK8S_OUTDIR=afile/k8s', /afile is a file, not a folder/, /CDK8S_OUTDIR/, { CDK8S_OUTDIR: 'afile/k8s' }],
    ['synth: -c names a folder', ['synth', '-c', 'adir', '-o', 'out'], 'error: adir', /folder/, /-c|fleet file/, {}],
    ['jwks: -o names an existing folder', ['jwks', '--public-keys', 'k.pub', '-o', 'adir'], 'error: adir', /is a folder, but the JWKS file is one file/, /give a file path such as adir\/jwks\.json/, {}],
    ['jwks: -o is inside a file', ['jwks', '--public-keys', 'k.pub', '-o', 'afile/jwks.json'], 'error: afile/jwks.json', /afile is a file, not a folder/, /move afile away/, {}],
    ...devNull,
    ['capz patch: -o names an existing folder', ['capz', 'patch', CAPZ_TEMPLATE, '-o', 'adir'], 'error: adir', /is a folder, but the patched YAML is one file/, /adir\/cluster\.yaml/, {}],
    ['capz patch: -o is inside a file', ['capz', 'patch', CAPZ_TEMPLATE, '-o', 'afile/x.yaml'], 'error: afile/x.yaml', /afile is a file, not a folder/, /move afile away/, {}],
    ['capz patch: the input is a folder', ['capz', 'patch', 'adir'], 'error: adir', /folder/, /clusterctl generate cluster/, {}],
    ['capz patch: the input does not exist', ['capz', 'patch', 'nope.yaml'], 'error: nope.yaml', /not found/, /clusterctl generate cluster|check the path/, {}],
    ['keygen: -o names a file', ['keygen', '-o', 'afile'], 'error: afile', /key folder exists and is a file, not a folder/, /-o names a folder/, {}],
    ['keygen: -o is inside a file', ['keygen', '-o', 'afile/keys'], 'error: afile/keys', /afile is a file, not a folder/, /move afile away/, {}],
  ])('%s', async (_case, argv, shown, message, fix, env) => {
    const dir = project('in-the-way');
    const before = readTree(dir);
    const r = await run(argv, dir, env);
    expectClearError(r, 1, shown, message, fix);
    expect(readTree(dir)).toEqual(before);
  });

  test('a missing parent folder of -o is created (jwks, capz patch)', async () => {
    const dir = project('parent-missing');
    expect((await run(['jwks', '--public-keys', 'k.pub', '-o', 'new/sub/jwks.json'], dir)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'new/sub/jwks.json'), 'utf8')).keys).toHaveLength(1);
    expect((await run(['capz', 'patch', CAPZ_TEMPLATE, '-o', 'new/capz/cluster.yaml'], dir)).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'new/capz'))).toEqual(['cluster.yaml']);
  });
});

/** Node's own error for a failed file-system call. */
function errno(code: string, syscall: string, file?: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected, ${syscall}${file ? ` '${file}'` : ''}`);
  e.code = code;
  e.syscall = syscall;
  if (file) e.path = file;
  return e;
}

describe('a file-system call that fails is exit 1 with the path and the fix (injected)', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Makes `fs[fn]` fail with `code` for the files `matches` picks, as Node would: ENOSPC and EIO come from write(), without a path. */
  function inject(fn: 'writeFileSync' | 'renameSync' | 'openSync', code: string, matches: (file: string) => boolean): void {
    const real = fs[fn] as (...args: unknown[]) => unknown;
    jest.spyOn(fs, fn).mockImplementation(((...args: unknown[]) => {
      const file = typeof args[0] === 'string' ? args[0] : '';
      const dest = fn === 'renameSync' && typeof args[1] === 'string' ? args[1] : '';
      if (matches(file) || (dest !== '' && matches(dest))) {
        throw ['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG'].includes(code) ? errno(code, 'write') : errno(code, fn === 'renameSync' ? 'rename' : 'open', file);
      }
      return real(...args);
    }) as never);
  }
  /** Files of OUT's Kubernetes part, wherever synth stages them. */
  const kubernetesFile = (f: string): boolean => f.includes(`${path.sep}kubernetes${path.sep}`);

  // every file written, none taken from the previous synth (the next tests replace OUT around parts kept)
  const SYNTH = ['synth', '-c', 'fleet.yaml', '-o', 'out', '--no-cache'];
  test.each<[string, 'writeFileSync' | 'renameSync', string, RegExp, RegExp]>([
    ['a full disk', 'writeFileSync', 'ENOSPC', /no space left/, /free space on the disk that holds .*df -h/],
    ['a used-up quota', 'writeFileSync', 'EDQUOT', /quota/, /quota/],
    ['a file larger than the file system allows', 'writeFileSync', 'EFBIG', /larger than the file system allows/, /-o at another disk/],
    ['a disk error', 'writeFileSync', 'EIO', /input\/output error/, /check the disk/],
    ['a read-only file system', 'writeFileSync', 'EROFS', /read-only/, /-o at a writable disk/],
    ['permission denied', 'writeFileSync', 'EACCES', /permission denied/, /chmod u\+w .*or choose another -o/],
    ['operation not permitted', 'writeFileSync', 'EPERM', /permission denied/, /chmod u\+w/],
    ['too many open files in the process', 'writeFileSync', 'EMFILE', /too many open files/, /ulimit -n/],
    ['too many open files on the machine', 'writeFileSync', 'ENFILE', /too many open files on this machine/, /close programs/],
    ['a path too long', 'writeFileSync', 'ENAMETOOLONG', /path is too long/, /shorter path with -o/],
    ['a stale network file handle', 'writeFileSync', 'ESTALE', /stale file handle/, /remount/],
    ['an error code wisynth has no words for', 'writeFileSync', 'EOVERFLOW', /EOVERFLOW/, /check .* and the disk it is on/],
    ['OUT on another file system than its staging', 'renameSync', 'EXDEV', /another file system/, /same file system/],
    ['OUT is a mount point', 'renameSync', 'EBUSY', /in use/, /not a mount point/],
    ['OUT filled by another program meanwhile', 'renameSync', 'ENOTEMPTY', /not empty/, /another program/],
  ])('synth: %s (%s %s)', async (_case, fn, code, message, fix) => {
    const dir = project(`inject-${code}`);
    expect((await run(SYNTH, dir)).code).toBe(0);
    const previous = readTree(path.join(dir, 'out'));
    const out = path.join(dir, 'out');
    inject(fn, code, fn === 'renameSync' ? (f) => f === out : kubernetesFile);
    const r = await run(SYNTH, dir);
    jest.restoreAllMocks();
    expectClearError(r, 1, 'error: out: cannot write the output folder', message, fix);
    // The previous output is left as it was, and nothing of the failed run is left beside it.
    expect(readTree(out)).toEqual(previous);
    expect(fs.readdirSync(dir).filter((e) => e.includes('out') && e !== 'out' && e !== 'outputs.json' && !e.endsWith('.lock'))).toEqual([]);
  });

  test.each([
    ['a file in use', 'EBUSY', /out\/terraform\/manifest\.json is in use/],
    ['permission denied', 'EACCES', /permission denied \(out\/terraform\/manifest\.json\)/],
  ])('synth replacing OUT around the parts it keeps, a move failing: %s (renameSync %s) is undone', async (_case, code, message) => {
    const dir = project(`inject-in-place-${code}`);
    const cached = ['synth', '-c', 'fleet.yaml', '-o', 'out'];
    const env = { WISYNTH_CACHE_DIR: path.join(os.tmpdir(), `wisynth-cli-cache-${code}-${process.pid}`) };
    expect((await run(cached, dir, env)).code).toBe(0);
    const out = path.join(dir, 'out');
    const previous = readTree(out);
    // the last of the moves, so that the ones before it are undone
    inject('renameSync', code, (f) => f === path.join(out, 'terraform', 'manifest.json'));
    const r = await run(cached, dir, env);
    fs.rmSync(env.WISYNTH_CACHE_DIR, { recursive: true, force: true });
    jest.restoreAllMocks();
    expectClearError(r, 1, 'error: out', message, /./);
    expect(readTree(out)).toEqual(previous);
    expect(fs.readdirSync(dir).filter((e) => e.includes('out') && !['out', 'outputs.json'].includes(e) && !e.endsWith('.lock'))).toEqual([]);
  });

  test('a code that means a bug in wisynth (EINVAL) still says so', async () => {
    const dir = project('inject-EINVAL');
    inject('writeFileSync', 'EINVAL', kubernetesFile);
    const r = await run(SYNTH, dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/wisynth failed unexpectedly: EINVAL/);
    expect(r.err).toMatch(/WISYNTH_DEBUG=1/);
  });

  test.each<[string, string[], (dir: string) => (f: string) => boolean, string, string, RegExp, RegExp]>([
    ['jwks -o: a full disk', ['jwks', '--public-keys', 'k.pub', '-o', 'jwks.json'], () => (f) => f.includes('jwks.json'), 'ENOSPC', 'error: jwks.json: cannot write the JWKS file', /no space left/, /free space/],
    ['jwks -o: a read-only file system', ['jwks', '--public-keys', 'k.pub', '-o', 'jwks.json'], () => (f) => f.includes('jwks.json'), 'EROFS', 'error: jwks.json', /read-only/, /-o at a writable disk/],
    ['capz patch -o: a full disk', ['capz', 'patch', CAPZ_TEMPLATE, '-o', 'cluster.yaml'], () => (f) => f.includes('cluster.yaml') && !f.startsWith(ROOT), 'ENOSPC', 'error: cluster.yaml: cannot write the patched YAML', /no space left/, /free space/],
    ['capz patch -o: permission denied', ['capz', 'patch', CAPZ_TEMPLATE, '-o', 'cluster.yaml'], () => (f) => f.includes('cluster.yaml') && !f.startsWith(ROOT), 'EACCES', 'error: cluster.yaml', /permission denied/, /chmod u\+w/],
    ['keygen: too many open files', ['keygen', '-o', 'keys'], (dir) => (f) => f.startsWith(path.join(dir, 'keys')), 'EMFILE', 'error: keys: cannot write the key folder', /too many open files/, /ulimit -n/],
  ])('%s', async (_case, argv, matches, code, shown, message, fix) => {
    const dir = project(`inject-file-${code}`);
    // Written once, so the failed run must leave this previous file as it was.
    fs.writeFileSync(path.join(dir, 'jwks.json'), 'previous\n');
    fs.writeFileSync(path.join(dir, 'cluster.yaml'), 'previous\n');
    const before = readTree(dir);
    inject('writeFileSync', code, matches(dir));
    const r = await run(argv, dir);
    jest.restoreAllMocks();
    expectClearError(r, 1, shown, message, fix);
    expect(readTree(dir)).toEqual(before);
  });

  test('graph: OUT not writable', async () => {
    const dir = project('inject-graph');
    expect((await run(SYNTH, dir)).code).toBe(0);
    inject('writeFileSync', 'EACCES', (f) => f.includes('graph.md'));
    const r = await run(['graph', 'out'], dir);
    expectClearError(r, 1, `error: ${path.join('out', 'graph.md')}: cannot write the graph`, /permission denied/, /chmod u\+w/);
    expect(fs.existsSync(path.join(dir, 'out', 'graph.md'))).toBe(false);
  });

  test.each<[string, string, RegExp]>([
    ['too many open files', 'EMFILE', /too many/],
    ['permission denied', 'EACCES', /permission denied/],
    ['a disk error', 'EIO', /input\/output error/],
  ])('reading the fleet file: %s', async (_case, code, message) => {
    const dir = project(`inject-read-${code}`);
    const fleet = path.join(dir, 'fleet.yaml');
    const readFileSync = fs.readFileSync as (...args: unknown[]) => unknown;
    inject('openSync', code, (f) => f === fleet);
    jest.spyOn(fs, 'readFileSync').mockImplementation(((...args: unknown[]) => {
      if (args[0] === fleet) throw errno(code, 'open', fleet);
      return readFileSync(...args);
    }) as never);
    const r = await run(SYNTH, dir);
    jest.restoreAllMocks();
    expectClearError(r, 1, 'error: fleet.yaml', message, /./);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

/**
 * Real permissions: as root (who may write anywhere) the executable runs as "nobody"; otherwise
 * main() runs in process with folders made read-only by chmod.
 */
describe('a folder the user may not write is exit 1 with the path and the fix (real permissions)', () => {
  const isRoot = process.getuid?.() === 0;
  const nobody = { uid: 65534, gid: 65534 };
  const canRunAsNobody = isRoot && spawnSync(process.execPath, ['-e', `require(${JSON.stringify(BIN.replace(/bin\/wisynth\.js$/, 'lib/src/cli/main.js'))})`], { ...nobody }).status === 0;
  const supported = process.platform !== 'win32' && (!isRoot || canRunAsNobody);

  async function runAsUser(argv: string[], cwd: string): Promise<Run> {
    if (!isRoot) return run(argv, cwd);
    assertLibIsCurrent();
    return wisynth(cwd, argv, {}, nobody);
  }
  /** A project the test user owns, with `ro/` read-only. */
  function userProject(name: string): string {
    const dir = project(name);
    fs.mkdirSync(path.join(dir, 'ro'));
    if (isRoot) {
      fs.chmodSync(work, 0o755);
      for (const e of ['', ...fs.readdirSync(dir, { recursive: true }).map(String)]) fs.chownSync(path.join(dir, e), nobody.uid, nobody.gid);
    }
    fs.chmodSync(path.join(dir, 'ro'), 0o555);
    return dir;
  }

  (supported ? test.each : test.skip.each)<[string, string[], string, RegExp, RegExp]>([
    ['synth: OUT in a read-only folder', ['synth', '-c', 'fleet.yaml', '-o', 'ro/out'], 'error: ro/out', /permission denied on ro\b/, /chmod u\+w ro.*or choose another -o/],
    ['jwks: -o in a read-only folder', ['jwks', '--public-keys', 'k.pub', '-o', 'ro/jwks.json'], 'error: ro/jwks.json', /permission denied on ro\b/, /chmod u\+w ro/],
    ['keygen: -o is a read-only folder', ['keygen', '-o', 'ro'], 'error: ro', /permission denied on ro\b/, /chmod u\+w ro/],
    ['keygen: -o below a read-only folder', ['keygen', '-o', 'ro/keys'], 'error: ro/keys', /permission denied on ro\b/, /chmod u\+w ro/],
    ['capz patch: -o in a read-only folder', ['capz', 'patch', CAPZ_TEMPLATE, '-o', 'ro/x.yaml'], 'error: ro/x.yaml', /permission denied on ro\b/, /chmod u\+w ro/],
  ])('%s', async (_case, argv, shown, message, fix) => {
    const dir = userProject('perm');
    const r = await runAsUser(argv, dir);
    expectClearError(r, 1, shown, message, fix);
    expect(fs.readdirSync(path.join(dir, 'ro'))).toEqual([]);
  });

  (supported ? test : test.skip)('synth: a previous OUT with a read-only folder inside cannot be replaced, and stays as it was', async () => {
    const dir = userProject('perm-out');
    expect((await runAsUser(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir)).code).toBe(0);
    fs.chmodSync(path.join(dir, 'out', 'kubernetes'), 0o555);
    const before = readTree(path.join(dir, 'out'));
    const r = await runAsUser(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
    expectClearError(r, 1, `error: ${path.join(dir, 'out')}: cannot replace OUT`, /this user may not change OUT\/kubernetes \(EACCES\), so the previous output could not be removed/, /chmod -R u\+w \S+out\b/);
    expect(readTree(path.join(dir, 'out'))).toEqual(before);
    fs.chmodSync(path.join(dir, 'out', 'kubernetes'), 0o755);
  });

  (supported ? test : test.skip)("synth: a read-only folder among Terraform's working files of a stack: refused too, OUT as it was", async () => {
    const dir = userProject('perm-terraform');
    expect((await runAsUser(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir)).code).toBe(0);
    const stack = fs.readdirSync(path.join(dir, 'out', 'terraform', 'stacks'))[0];
    const providers = path.join(dir, 'out', 'terraform', 'stacks', stack, '.terraform', 'providers');
    fs.mkdirSync(providers, { recursive: true });
    if (process.getuid?.() === 0) for (const p of [path.dirname(providers), providers]) fs.chownSync(p, nobody.uid, nobody.gid);
    fs.chmodSync(providers, 0o555);
    const before = readTree(path.join(dir, 'out'));
    const r = await runAsUser(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
    expectClearError(r, 1, `error: ${path.join(dir, 'out')}: cannot replace OUT`, new RegExp(`may not change OUT/terraform/stacks/${stack}/\\.terraform/providers \\(EACCES\\)`), /chmod -R u\+w/);
    expect(readTree(path.join(dir, 'out'))).toEqual(before);
    fs.chmodSync(providers, 0o755);
  });

  (supported ? test : test.skip)('graph: a read-only OUT', async () => {
    const dir = userProject('perm-graph');
    expect((await runAsUser(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir)).code).toBe(0);
    fs.chmodSync(path.join(dir, 'out'), 0o555);
    const r = await runAsUser(['graph', 'out'], dir);
    expectClearError(r, 1, `error: ${path.join('out', 'graph.md')}`, /permission denied on out\b/, /chmod u\+w out/);
    fs.chmodSync(path.join(dir, 'out'), 0o755);
  });
});

/** Whether this process may mount a tmpfs (root on Linux, with the capability): tried once, and unmounted at once. */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-mount-probe-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) return false;
    spawnSync('umount', [dir]);
    return true;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Real file systems where the test may mount them: a read-only one and a nearly full one. */
(canMountTmpfs() ? describe : describe.skip)('real mounts: a read-only and a full disk', () => {
  const mounts: string[] = [];
  function mount(options: string): string {
    const dir = fs.mkdtempSync(path.join(work, 'mnt-'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status).toBe(0);
    mounts.push(dir);
    return dir;
  }
  afterAll(() => {
    for (const dir of mounts) spawnSync('umount', [dir]);
  });

  test('a read-only file system: synth, jwks and keygen name it', async () => {
    const ro = mount('ro,size=64k');
    const dir = project('erofs');
    for (const [argv, shown] of [
      [['synth', '-c', 'fleet.yaml', '-o', path.join(ro, 'out')], path.join(ro, 'out')],
      [['jwks', '--public-keys', 'k.pub', '-o', path.join(ro, 'jwks.json')], path.join(ro, 'jwks.json')],
      [['keygen', '-o', path.join(ro, 'keys')], path.join(ro, 'keys')],
    ] as const) {
      const r = await run([...argv], dir);
      expectClearError(r, 1, `error: ${shown}`, new RegExp(`${ro} is on a read-only file system`), /at a writable disk/);
    }
  });

  test('a disk too small for a second synth beside the first: exit 1, the previous OUT as it was, no staging left', async () => {
    const dir = project('enospc');
    // How much the output takes on a tmpfs (every file takes at least a page there).
    const probe = mount('size=4m');
    expect((await run(['synth', '-c', 'fleet.yaml', '-o', path.join(probe, 'out')], dir)).code).toBe(0);
    const used = Number(spawnSync('du', ['-sk', path.join(probe, 'out')], { encoding: 'utf8' }).stdout.split('\t')[0]);
    const small = mount(`size=${Math.ceil(used * 1.5)}k`);
    const out = path.join(small, 'out');
    expect((await run(['synth', '-c', 'fleet.yaml', '-o', out], dir)).code).toBe(0);
    const previous = readTree(out);
    const r = await run(['synth', '-c', 'fleet.yaml', '-o', out, '--outputs', 'outputs.json'], dir);
    expectClearError(r, 1, `error: ${out}: cannot write the output folder`, /no space left/, new RegExp(`free space on the disk that holds ${small}`));
    expect(readTree(out)).toEqual(previous);
    expect(fs.readdirSync(small).filter((e) => !e.endsWith('.lock'))).toEqual(['out']);
  });
});

describe('the output does not depend on the locale', () => {
  const LOCALES: Array<[string, NodeJS.ProcessEnv]> = [
    ['LANG=C', { LANG: 'C' }],
    ['LANG=da_DK.UTF-8', { LANG: 'da_DK.UTF-8' }],
    ['LC_ALL=tr_TR.UTF-8', { LC_ALL: 'tr_TR.UTF-8' }],
  ];
  const NAMES = ['id-zed', 'id-aab', 'id-ia', 'id-Ib'];

  test('the inputs are locale-sensitive: Danish and Turkish collation each order them unlike code points', () => {
    const byCode = [...NAMES].sort(byCodePoint);
    expect(byCode).toEqual(['id-Ib', 'id-aab', 'id-ia', 'id-zed']);
    for (const locale of ['da', 'tr', 'en']) {
      expect({ locale, order: [...NAMES].sort(new Intl.Collator(locale).compare) }).not.toEqual({ locale, order: byCode });
    }
    expect(new Intl.Collator('da').compare('id-aab', 'id-zed')).toBeGreaterThan(0);
  });

  test.each(['da', 'tr', 'en'])('the plan is in code-point order when localeCompare collates as %s', (locale) => {
    const dir = project(`plan-${locale}`);
    const collator = new Intl.Collator(locale);
    jest.spyOn(String.prototype, 'localeCompare').mockImplementation(function (this: string, that: string) {
      return collator.compare(String(this), that);
    });
    try {
      const fleet = loadFleetFile(path.join(dir, 'fleet.yaml'));
      const plan = planFleet(fleet, { outputs: readTerraformOutputs([path.join(dir, 'outputs.json')]), ...loadPlanInputs(fleet) });
      const sorted = (xs: readonly string[]): string[] => [...xs].sort(byCodePoint);
      const pending = plan.pending.map((p) => p.output);
      expect(pending.length).toBeGreaterThan(1);
      expect(pending).toEqual(sorted(pending));
      for (const p of plan.pending) expect(p.usedBy).toEqual(sorted(p.usedBy));
      const resolved = Object.keys(plan.resolvedOutputs);
      expect(resolved).toEqual(['identity_id-aab_client_id', 'identity_id-zed_client_id']);
      const assignments = plan.roleAssignments.map((a) => a.logicalId);
      expect(assignments.length).toBe(4);
      expect(assignments).toEqual(sorted(assignments));
      const cluster = plan.clusters[0];
      expect(cluster.namespaces).toEqual(sorted(cluster.namespaces));
      const accounts = cluster.serviceAccounts.map((a) => [a.namespace, a.name]);
      expect(accounts).toEqual([...accounts].sort(([na, a], [nb, b]) => byCodePoint(na, nb) || byCodePoint(a, b)));
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('synth writes byte-identical OUT under LANG=C, LANG=da_DK.UTF-8 and LC_ALL=tr_TR.UTF-8, before and after apply', () => {
    assertLibIsCurrent();
    const dir = project('locale-bin');
    // Each child process really collates by its locale (Node's ICU reads LANG / LC_ALL): else this test proves nothing.
    const orders = LOCALES.map(([, env]) => spawnSync(process.execPath, ['-e', `process.stdout.write(${JSON.stringify(NAMES)}.sort((a, b) => a.localeCompare(b)).join(' '))`], { env: cleanEnv(env), encoding: 'utf8' }).stdout);
    expect(new Set(orders).size).toBe(LOCALES.length);

    for (const extra of [[], ['--outputs', 'outputs.json']]) {
      const trees = LOCALES.map(([name, env]) => {
        const out = `out-${name.replace(/\W+/g, '-')}-${extra.length}`;
        const r = wisynth(dir, ['synth', '-c', 'fleet.yaml', '-o', out, ...extra], env);
        expect({ name, code: r.code, err: r.err }).toEqual({ name, code: 0, err: '' });
        return readTree(path.join(dir, out));
      });
      const [first, ...rest] = trees;
      expect(first.has('summary.json')).toBe(true);
      for (const tree of rest) {
        expect([...tree.keys()]).toEqual([...first.keys()]);
        for (const [file, bytes] of first) expect({ file, text: tree.get(file)?.toString('utf8') }).toEqual({ file, text: bytes.toString('utf8') });
      }
    }
  });
});
