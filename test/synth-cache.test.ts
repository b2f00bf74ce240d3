/**
 * The synth cache: a re-synth takes each part of OUT whose inputs did not change, and whose files are still
 * the ones synth wrote, from the previous OUT, renders the rest, and writes byte for byte what a synth
 * without cache writes. A cache that is not the one synth wrote, or a file edited since, is never trusted.
 */
import { execFileSync } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { parseDocument } from 'yaml';
import { checkOut, checkWritten } from '../src/check/check';
import { FleetApp, loadFleetFile, synthesizeFleet } from '../src/index';
import type { SynthOptions } from '../src/output/synthesize';
import { cacheDirFrom, cacheFileOf, readCache, writeCache } from '../src/output/cache-file';
import { clusterPart, partKeys, partOf, stackPart } from '../src/output/synth-cache';
import { planFromDisk } from '../src/output/plan-inputs';
import { assertLibIsCurrent, readTree, ROOT, runCli } from './support';

// A script, not a module of src/: required, with its shape stated here.
const generator = require('../scripts/synthetic-fleet') as {
  writeSyntheticFleet(dir: string, options: { clusters: number; workloads?: number; stackLayout?: 'single' | 'perCluster' }): string;
};

interface ClusterDoc {
  name: string;
  workloads: Array<{ namespace: string }>;
}

let dir: string;
let cacheDir: string;
let fleetFile: string;
let original: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-synth-cache-'));
  cacheDir = path.join(dir, 'cache');
  fleetFile = generator.writeSyntheticFleet(dir, { clusters: 10, workloads: 2, stackLayout: 'perCluster' });
  original = fs.readFileSync(fleetFile, 'utf8');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => fs.writeFileSync(fleetFile, original));

const outOf = (name: string) => path.join(dir, name);
const synth = (name: string, options: Partial<SynthOptions> = {}) => synthesizeFleet(loadFleetFile(fleetFile), { outDir: outOf(name), fleetFile, cacheDir, ...options });
const cacheOf = (name: string) => cacheFileOf(cacheDir, outOf(name));
/** A synth without cache into a sibling of OUT (the same relative paths), for comparison. */
const fullSynth = (name: string) => {
  fs.rmSync(outOf(name), { recursive: true, force: true });
  synthesizeFleet(loadFleetFile(fleetFile), { outDir: outOf(name), fleetFile });
  return readTree(outOf(name));
};

/** The fleet file with one workload of one cluster moved to another namespace. */
function changeCluster(name: string): void {
  const doc = parseDocument(original);
  const clusters = doc.toJS().clusters as ClusterDoc[];
  const index = clusters.findIndex((c) => c.name === name);
  doc.setIn(['clusters', index, 'workloads', 0, 'namespace'], 'moved');
  fs.writeFileSync(fleetFile, doc.toString());
}

test('an unchanged fleet is taken whole from the previous OUT, and is what a synth without cache writes', () => {
  const first = synth('same');
  expect(first.cache).toEqual({ reused: 0, parts: 21 }); // 11 stacks (shared and one a cluster), 10 cluster folders
  const second = synth('same');
  expect(second.cache).toEqual({ reused: 21, parts: 21 });
  expect(readTree(outOf('same'))).toEqual(fullSynth('same-full'));
  expect(fs.existsSync(cacheOf('same'))).toBe(true);
  expect(fs.existsSync(cacheOf('same-full'))).toBe(false);
  // the cache is kept in its own folder, nothing beside OUT
  expect(fs.readdirSync(dir).filter((e) => e.includes('same'))).toEqual(['same', 'same-full']);
});

test('a changed cluster renders its folders and its stack again, and nothing else', () => {
  synth('changed');
  changeCluster('kind-2');
  const result = synth('changed');
  expect(result.cache).toEqual({ reused: 19, parts: 21 });
  expect(readTree(outOf('changed'))).toEqual(fullSynth('changed-full'));
});

test('after each edit of a chain, on every platform and fleet-wide, the output is that of a synth without cache, and so is its check', () => {
  const doc = parseDocument(original);
  const indexOf = (name: string) => (doc.toJS().clusters as ClusterDoc[]).findIndex((c) => c.name === name);
  const edits: Array<[string, () => void]> = [
    ['a workload of a new AKS cluster, the Hive hub', () => doc.setIn(['clusters', indexOf('aks-0'), 'workloads', 0, 'namespace'], 'moved')],
    ['an OpenShift cluster on that hub', () => doc.setIn(['clusters', indexOf('ocp-9'), 'openshiftHive', 'baseDomain'], 'ocp2.bench.example.com')],
    ['a CAPZ cluster', () => doc.setIn(['clusters', indexOf('capz-4'), 'workloads', 1, 'serviceAccount'], 'renamed')],
    ['a Giant Swarm cluster', () => doc.setIn(['clusters', indexOf('gs-3'), 'workloads', 0, 'namespace'], 'moved')],
    ['the issuer of an existing AKS cluster', () => doc.setIn(['clusters', indexOf('aks-existing-1'), 'aks', 'existing', 'issuerUrl'], 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/00000000-a2ba-49a5-8d3c-ac91fcb751a8/')],
    ['the identity of a kind workload', () => doc.setIn(['clusters', indexOf('kind-7'), 'workloads', 0, 'identity'], 'id-g0-w1')],
    ['a cluster removed', () => doc.deleteIn(['clusters', indexOf('gs-8')])],
    ['a cluster renamed', () => doc.setIn(['clusters', indexOf('kind-2'), 'name'], 'kind-22')],
    ['the fleet location', () => doc.setIn(['azure', 'location'], 'northeurope')],
  ];
  synth('chain');
  for (const [what, edit] of edits) {
    edit();
    fs.writeFileSync(fleetFile, doc.toString());
    const result = synth('chain');
    expect({ what, identical: readTree(outOf('chain')).size > 0 && sameTrees(outOf('chain'), 'chain-full') }).toEqual({ what, identical: true });
    // the files kept were checked as the cache recorded them; a check reading every file finds the same
    expect({ what, check: result.check }).toEqual({ what, check: checkOut(outOf('chain')) });
    if (what !== 'the fleet location') expect({ what, someReused: result.cache!.reused > 0 }).toEqual({ what, someReused: true });
  }
});

/** Whether OUT holds, byte for byte, what a synth without cache of the fleet as it is now writes. */
function sameTrees(out: string, fullName: string): boolean {
  const [a, b] = [readTree(out), fullSynth(fullName)];
  return a.size === b.size && [...a].every(([file, bytes]) => b.get(file)?.equals(bytes));
}

test("a re-synth's check lists no folder of the parts it keeps: synth has found what they hold", () => {
  synth('listed');
  changeCluster('kind-2');
  const opened: string[] = [];
  const fsModule = require('fs') as typeof fs;
  const spies = (['opendirSync', 'readdirSync'] as const).map((name) => {
    const real = fsModule[name] as (...a: unknown[]) => unknown;
    return jest.spyOn(fsModule, name).mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      opened.push(path.relative(outOf('listed'), String(p)));
      return real.call(fsModule, p, ...rest);
    }) as never);
  });
  let result: ReturnType<typeof synth>;
  try {
    result = synth('listed');
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  expect(result.cache).toEqual({ reused: 19, parts: 21 });
  const inOut = (p: string) => p !== '' && !p.startsWith('..') && !path.isAbsolute(p);
  // the walk that finds every entry of OUT one the previous synth wrote lists each folder once; check lists none of those kept
  const listedInOut = opened.filter(inOut);
  expect(listedInOut).toContain(path.join('kubernetes', 'aks-0'));
  expect(listedInOut.filter((p) => p === path.join('kubernetes', 'aks-0'))).toHaveLength(1);
  expect(readTree(outOf('listed'))).toEqual(fullSynth('listed-full'));
});

test("the cluster rules' findings on a cluster part kept are those recorded under its summary entry; another entry runs them again", () => {
  synth('cluster-rules');
  changeCluster('kind-2');
  const cacheFile = cacheOf('cluster-rules');
  const cacheNow = () => JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  const cache = cacheNow();
  const KIND = clusterPart('kind-7');
  // what the cluster rules found of kind-7 (its service accounts' namespaces, which wisynth does not create)
  expect(cache.parts[KIND].clusterChecked).toEqual({
    entry: expect.stringMatching(/^[0-9a-f]{64}$/),
    findings: [expect.objectContaining({ rule: 'external-namespace', file: 'kubernetes/kind-7/serviceaccount_team-0_app-0.yaml' }), expect.objectContaining({ rule: 'external-namespace' })],
  });
  // a finding recorded for kind-7 stands for the rules' run: it is reported, and the output is unchanged
  const recorded = { severity: 'warning', rule: 'discovery', file: 'oidc/kind-7/openid/v1/jwks', object: 'keys', message: 'recorded', fix: 'none' };
  const forge = (entry: string) => {
    const c = cacheNow();
    fs.writeFileSync(cacheFile, JSON.stringify({ ...c, parts: { ...c.parts, [KIND]: { ...c.parts[KIND], clusterChecked: { entry, findings: [recorded] } } } }));
  };
  forge(cache.parts[KIND].clusterChecked.entry);
  const taken = synth('cluster-rules');
  expect(taken.cache).toEqual({ reused: 19, parts: 21 });
  expect(taken.check?.findings).toContainEqual(recorded);
  expect(readTree(outOf('cluster-rules'))).toEqual(fullSynth('cluster-rules-full'));
  // recorded under another summary entry: the rules run again and find nothing
  forge('0'.repeat(64));
  fs.writeFileSync(fleetFile, original);
  const rerun = synth('cluster-rules');
  expect(rerun.cache?.reused).toBeGreaterThan(0);
  expect(rerun.check?.findings).not.toContainEqual(recorded);
});

test('a file edited in OUT since the synth is rendered again, even at its old size and modification time', () => {
  synth('edited');
  const file = path.join(outOf('edited'), 'kubernetes', 'aks-0', 'kustomization.yaml');
  const before = fs.statSync(file);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('resources:', 'resourcez:'));
  fs.utimesSync(file, before.atime, before.mtime);
  const result = synth('edited');
  expect(result.cache).toEqual({ reused: 20, parts: 21 });
  expect(readTree(outOf('edited'))).toEqual(fullSynth('edited-full'));
});

test('a cache synth did not write is not used: the output is that of a synth without cache', () => {
  synth('forged');
  const cacheFile = cacheOf('forged');
  const AKS = clusterPart('aks-0');
  /** The cache with one more file (or another identity of one) in the part of aks-0. */
  const withFile = (c: any, file: string, id?: string) => {
    const [first, identity] = Object.entries(c.parts[AKS].files)[0] as [string, string];
    return { ...c, parts: { ...c.parts, [AKS]: { ...c.parts[AKS], files: { ...c.parts[AKS].files, [file || first]: id ?? identity } } } };
  };
  /** The cache with the record of the contents of the first file of aks-0 changed. */
  const withContent = (c: any, change: (known: any) => unknown) => {
    const first = Object.keys(c.parts[AKS].contents)[0];
    return { ...c, parts: { ...c.parts, [AKS]: { ...c.parts[AKS], contents: { ...c.parts[AKS].contents, [first]: change(c.parts[AKS].contents[first]) } } } };
  };
  const textsOf = (c: any) => path.join(path.dirname(cacheFile), c.texts.file);
  const firstWithDocs = (c: any) => Object.values(c.parts[AKS].contents as Record<string, { at: [number, number]; docs?: true }>).find((k) => k.docs)!;
  const forgeries: Record<string, (cache: any) => unknown> = {
    'not JSON': () => '{',
    'another format': (c) => ({ ...c, format: 'wisynth synth cache 0' }),
    "another OUT's": (c) => ({ ...c, out: outOf('same') }),
    'a path outside its part': (c) => withFile(c, '../../../etc/passwd'),
    "another part's file": (c) => withFile(c, 'kubernetes/kind-2/kustomization.yaml'),
    'a file OUT does not list': (c) => withFile(c, 'kubernetes/aks-0/extra.yaml'),
    'findings of another shape': (c) => ({ ...c, parts: { ...c.parts, [AKS]: { ...c.parts[AKS], checked: { [Object.keys(c.parts[AKS].files)[0]]: [{ rule: 'x' }] } } } }),
    "cluster findings on another part's file": (c) => ({ ...c, parts: { ...c.parts, [AKS]: { ...c.parts[AKS], clusterChecked: { entry: '0'.repeat(64), findings: [{ severity: 'error', rule: 'x', file: 'kubernetes/kind-2/kustomization.yaml', object: 'o', message: 'm', fix: 'f' }] } } } }),
    'cluster findings without the hash of a summary entry': (c) => ({ ...c, parts: { ...c.parts, [AKS]: { ...c.parts[AKS], clusterChecked: { entry: 'x', findings: [] } } } }),
    // its contents are of the size of the file recorded: without them, the part is consistent
    'a file of another identity': (c) => {
      const forged = withFile(c, '', '1:1:1:1:1');
      delete forged.parts[AKS].contents;
      return forged;
    },
    'contents of another size than the file': (c) => withContent(c, (k) => ({ ...k, at: [k.at[0], k.at[1] + 1] })),
    'contents outside the texts file': (c) => withContent(c, (k) => ({ ...k, at: [c.texts.size, k.at[1]] })),
    'documents that are no list': (c) => withContent(c, (k) => ({ ...k, docs: { kind: 'ServiceAccount' } })),
    'contents with a field more': (c) => withContent(c, (k) => ({ ...k, text: 'kind: Secret' })),
    // documents are recorded once per text, by where the text starts in the texts file
    'recorded documents that are no list': (c) => ({ ...c, docs: { ...c.docs, [firstWithDocs(c).at[0]]: { kind: 'ServiceAccount' } } }),
    'documents of a text that records none': (c) => ({ ...c, docs: Object.fromEntries(Object.entries(c.docs).filter(([at]) => at !== String(firstWithDocs(c).at[0]))) }),
    'a record of documents that is no mapping': (c) => ({ ...c, docs: [] }),
    'a texts file of another name': (c) => ({ ...c, texts: { ...c.texts, file: '../elsewhere.texts' } }),
    'a texts file of another size': (c) => ({ ...c, texts: { ...c.texts, size: c.texts.size + 1 } }),
    'a texts file that is gone': (c) => {
      fs.rmSync(textsOf(c));
      return c;
    },
    'texts that are no UTF-8': (c) => {
      const bytes = fs.readFileSync(textsOf(c));
      bytes[c.parts[AKS].contents[Object.keys(c.parts[AKS].contents)[0]].at[0]] = 0xff;
      fs.writeFileSync(textsOf(c), bytes);
      return c;
    },
  };
  const full = fullSynth('forged-full');
  for (const [what, forge] of Object.entries(forgeries)) {
    // the cache the previous synth wrote, forged
    const forged = forge(JSON.parse(fs.readFileSync(cacheFile, 'utf8')));
    fs.writeFileSync(cacheFile, typeof forged === 'string' ? forged : JSON.stringify(forged));
    const result = synth('forged');
    // a cache of another shape is not used at all; one that is right but for one file, but for that part
    const expectedReused = what === 'a file of another identity' ? 20 : 0;
    expect({ what, reused: result.cache?.reused }).toEqual({ what, reused: expectedReused });
    expect(readTree(outOf('forged'))).toEqual(full);
  }
  fs.rmSync(cacheFile);
  fs.mkdirSync(cacheFile);
  expect(synth('forged').cache?.reused).toBe(0);
  expect(fs.statSync(cacheFile).isDirectory()).toBe(true); // not synth's to remove
  fs.rmdirSync(cacheFile);
});

test('without a cache folder nothing is taken; with apps of the caller nothing is taken and no cache is left', () => {
  synth('apps');
  expect(synth('apps', { cacheDir: undefined }).cache).toBeUndefined();
  expect(synth('apps', { reuse: false }).cache).toEqual({ reused: 0, parts: 21 });
  const app = new FleetApp(loadFleetFile(fleetFile), { outDir: outOf('apps'), fleetFile, cacheDir, terraformApp: new App({ stackTraces: false }) });
  expect(app.synth().cache).toBeUndefined();
  expect(fs.existsSync(cacheOf('apps'))).toBe(false);
  synth('apps');
  const charted = new FleetApp(loadFleetFile(fleetFile), { outDir: outOf('apps'), fleetFile, cacheDir });
  charted.chartOf('aks-0');
  expect(charted.synth().cache).toBeUndefined();
  expect(fs.existsSync(cacheOf('apps'))).toBe(false);
});

test('a cache no synth wrote for 30 days is removed when another is written; nothing else in the folder is', () => {
  fs.mkdirSync(cacheDir, { recursive: true });
  const old = path.join(cacheDir, `${'a'.repeat(32)}.json`);
  const recent = path.join(cacheDir, `${'b'.repeat(32)}.json`);
  const mine = path.join(cacheDir, 'notes.json');
  for (const f of [old, recent, mine]) fs.writeFileSync(f, '{}');
  const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
  for (const f of [old, mine]) fs.utimesSync(f, longAgo, longAgo);
  synth('unused');
  expect([old, recent, mine].map((f) => fs.existsSync(f))).toEqual([false, true, true]);
  fs.rmSync(recent);
  fs.rmSync(mine);
});

test('what check read is written to the cache, each text once, and read back whole, texts larger than the buffer they are written through among them', () => {
  const roundTrip = path.join(dir, 'round-trip');
  const out = path.join(roundTrip, 'out');
  // written through a buffer of 1 MiB: one text larger than it, one that fills what is left, multi-byte UTF-8 across the edge
  const texts: Record<string, string> = {
    'kubernetes/a/big.yaml': `data: ${'é'.repeat(2 ** 19)}x\n`,
    'kubernetes/a/fill.yaml': `data: ${'y'.repeat(2 ** 20 - 100)}\n`,
    'kubernetes/a/small.yaml': 'kind: ConfigMap\n',
    'oidc/a/openid-configuration.json': '{"issuer":"https://issuer.example.com"}\n',
    // the same text again: recorded once, its documents too; a file of that text that had none has none
    'kubernetes/a/same.yaml': 'kind: ConfigMap\n',
    'clusters/a/same.yaml': 'kind: ConfigMap\n',
  };
  const files = Object.keys(texts);
  const identities = new Map(files.map((f, i) => [f, `1:${i}:${Buffer.byteLength(texts[f])}:2:3`]));
  const docs = [{ kind: 'ConfigMap' }];
  const contents = new Map(files.map((f) => [f, f.startsWith('kubernetes/a/s') ? { text: texts[f], docs } : { text: texts[f] }]));
  const cacheDir = path.join(roundTrip, 'cache');
  const warning = { severity: 'warning' as const, rule: 'external-namespace', file: 'summary.json', object: 'ServiceAccount x/y', message: 'm', fix: 'f' };
  const clusterChecked = { entry: 'e'.repeat(64), findings: [warning] };
  writeCache(cacheDir, out, new Map([[clusterPart('a'), 'key of a']]), identities, { findings: new Map(), clusters: new Map([['a', clusterChecked]]), contents });
  const read = readCache(cacheDir, out);
  expect('cache' in read && read.cache.get(clusterPart('a'))).toEqual({
    key: 'key of a',
    files: Object.fromEntries(identities),
    checked: Object.fromEntries(files.map((f) => [f, []])),
    contents: Object.fromEntries(contents),
    clusterChecked,
  });
  const distinct = [...new Set(Object.values(texts))];
  expect(JSON.parse(fs.readFileSync(cacheFileOf(cacheDir, out), 'utf8')).texts.size).toBe(distinct.reduce((n, t) => n + Buffer.byteLength(t), 0));
});

test('each file of OUT is of one part, or of none when synth writes it every time', () => {
  expect(
    ['summary.json', 'terraform/manifest.json', 'secrets/ocp-9/pull-secret.yaml', 'kubernetes/aks-0/kustomization.yaml', 'clusters/capz-4/work-1/cluster.yaml', 'oidc/kind-2/openid/v1/jwks', 'terraform/stacks/bench-kind-2/cdk.tf.json', 'terraform/stacks/bench/a/b.json', 'kubernetes/stray.yaml'].map(partOf),
  ).toEqual([undefined, undefined, undefined, clusterPart('aks-0'), clusterPart('capz-4'), clusterPart('kind-2'), stackPart('bench-kind-2'), stackPart('bench'), undefined]);
});

test("the fingerprint of wisynth follows its code and its schemas, and nothing else", () => {
  assertLibIsCurrent();
  // an installed copy of wisynth: its build, package.json and schemas, its libraries where they are
  const copy = path.join(dir, 'installed');
  for (const part of ['lib', 'schemas', 'package.json']) fs.cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  const fingerprint = () => execFileSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(copy, 'lib', 'src', 'output', 'code-fingerprint.js'))}).codeFingerprint())`], { encoding: 'utf8' });
  const first = fingerprint();
  expect(fingerprint()).toBe(first);
  fs.writeFileSync(path.join(copy, 'README.md'), 'not code');
  expect(fingerprint()).toBe(first);
  const crd = path.join(copy, 'schemas', 'crds', fs.readdirSync(path.join(copy, 'schemas', 'crds'))[0]);
  const crdFile = path.join(crd, fs.readdirSync(crd).find((f) => f.endsWith('.json'))!);
  fs.appendFileSync(crdFile, '\n');
  const second = fingerprint();
  expect(second).not.toBe(first);
  fs.appendFileSync(path.join(copy, 'lib', 'src', 'check', 'check.js'), '\n');
  expect(fingerprint()).not.toBe(second);
});

test('a part key follows what the part is rendered from', () => {
  const context = { outDir: outOf('keys'), terraformDir: path.join(outOf('keys'), 'terraform'), baseDir: dir };
  const before = partKeys(planFromDisk(loadFleetFile(fleetFile)).plan, context);
  changeCluster('kind-2');
  const after = partKeys(planFromDisk(loadFleetFile(fleetFile)).plan, context);
  const changed = [...before.keys()].filter((id) => before.get(id) !== after.get(id));
  expect(changed.sort()).toEqual([clusterPart('kind-2'), stackPart('bench-kind-2')]);
  const moved = partKeys(planFromDisk(loadFleetFile(fleetFile)).plan, { ...context, outDir: outOf('elsewhere') });
  expect([...moved].every(([id, key]) => key !== after.get(id))).toBe(true);
});

test('the CLI keeps its cache in WISYNTH_CACHE_DIR, takes unchanged parts unless told --no-cache, and says how many', async () => {
  const args = ['synth', '-c', fleetFile, '-o', 'cli'];
  const env = { WISYNTH_CACHE_DIR: path.join(dir, 'cli-cache') };
  const first = await runCli(args, dir, env);
  expect(first.stdout).not.toContain('parts were unchanged');
  const again = await runCli(args, dir, env);
  expect(again.stdout).toContain('21 of 21 parts were unchanged and taken from the previous synth (--no-cache renders all)');
  const full = await runCli([...args, '--no-cache'], dir, env);
  expect(full.code).toBe(0);
  expect(full.stdout).not.toContain('parts were unchanged');
  // a full run records what it wrote, for the next: the cache, and the texts file it names (no other)
  expect((await runCli(args, dir, env)).stdout).toContain('21 of 21 parts were unchanged');
  const cache = path.basename(cacheFileOf(path.join(dir, 'cli-cache'), outOf('cli')));
  const texts = JSON.parse(fs.readFileSync(path.join(dir, 'cli-cache', cache), 'utf8')).texts.file;
  expect(texts).toMatch(new RegExp(`^${cache.replace('.json', '')}\\.[0-9a-f]{16}\\.texts$`));
  expect(fs.readdirSync(path.join(dir, 'cli-cache')).sort()).toEqual([texts, cache].sort());
});

test('the CLI finds its cache folder as XDG says', () => {
  expect(cacheDirFrom({ WISYNTH_CACHE_DIR: 'rel', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(path.resolve('rel'));
  expect(cacheDirFrom({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/wisynth');
  expect(cacheDirFrom({ XDG_CACHE_HOME: 'relative', HOME: '/h' })).toBe('/h/.cache/wisynth');
  expect(cacheDirFrom({})).toBeUndefined();
});

describe('check over files taken unchanged', () => {
  let out: string;
  let yamlFile: string;
  beforeAll(() => {
    synth('checked', { cacheDir: undefined });
    out = outOf('checked');
    yamlFile = 'kubernetes/aks-0/kustomization.yaml';
    // a private key made now, as comment lines: the secrets rule (a file rule) finds it in the file's text
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    fs.appendFileSync(path.join(out, ...yamlFile.split('/')), pem.trim().split('\n').map((line) => `# ${line}\n`).join(''));
  });

  test('file rules take the findings known of a file checked before; rules over all of OUT do not', () => {
    const fresh = checkWritten(out, {}).report.findings.filter((f) => f.file === yamlFile);
    expect(fresh.map((f) => f.rule)).toContain('secret');
    const known = { rule: 'schema', severity: 'warning' as const, file: yamlFile, object: '(file)', message: 'known', fix: 'none' };
    const { report, fileFindings } = checkWritten(out, {}, undefined, { checked: new Map([[yamlFile, [known]]]) });
    const onFile = report.findings.filter((f) => f.file === yamlFile);
    expect(onFile).toContainEqual(known);
    expect(onFile.map((f) => f.rule)).not.toContain('secret');
    expect(fileFindings.get(yamlFile)).toEqual([known]);
    // the kustomization rule reads the whole folder: it still sees the file
    expect(onFile.filter((f) => f.rule !== 'schema')).toEqual(fresh.filter((f) => f.rule !== 'secret'));
  });
});
