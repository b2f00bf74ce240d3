/**
 * synth hands its check the files it has just written, so that they are not read back: a file of the same
 * path and size is taken from memory, and a YAML file's documents stand for its parse when the text has the
 * plain form js-yaml reads back; anything else (another size, a file over its limit, a file synth did not
 * write) from disk, and the folders are walked and checked all the same.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { embeddedYamlIn, KnownFile, readArtifacts } from '../src/check/artifacts';
import { checkOut, checkWritten } from '../src/check/check';
import { fromClusterRule } from '../src/check/rule';
import { readStatement } from '../src/check/issuer-statements';
import { synthesizeFleet } from '../src/index';
import { INPUT_LIMITS } from '../src/inputs/limits';
import { parseFleet } from '../src/platforms';
import { ROOT } from './support';

let out: string;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-check-written-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  out = path.join(dir, 'out');
  synthesizeFleet(parseFleet(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8'), dir), { outDir: out, check: false });
});
afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

const FILE = 'kubernetes/aks-prod/kustomization.yaml';
const texts = (byPath: ReadonlyArray<[string, string]>): Map<string, KnownFile> => new Map(byPath.map(([file, text]) => [file, { text }]));
const textOf = (written?: ReadonlyMap<string, KnownFile>) => readArtifacts(out, { written }).files.find((f) => f.path === FILE)?.text;
const onDisk = (file: string) => fs.readFileSync(path.join(out, ...file.split('/')), 'utf8');

test('a written text of the same size stands for the file; one of another size does not', () => {
  const text = onDisk(FILE);
  const sameSize = text.replace(/resources:/, 'resourcez:');
  expect(textOf(texts([[FILE, sameSize]]))).toBe(sameSize);
  expect(textOf(texts([[FILE, `${text}# more\n`]]))).toBe(text);
  expect(textOf()).toBe(text);
});

test("a written file listed as a regular file, of the size synth stat'ed it at, is not stat'ed again; one of another size is read", () => {
  const text = onDisk(FILE);
  // the module object itself: the namespace an import makes of it reads each function from it when called
  const lstat = jest.spyOn(require('fs') as typeof fs, 'lstatSync');
  try {
    const statsOf = (sizes?: ReadonlyMap<string, number>) => {
      lstat.mockClear();
      const found = readArtifacts(out, { written: texts([[FILE, text]]), sizes }).files.find((f) => f.path === FILE)?.text;
      return { found, stats: lstat.mock.calls.filter(([p]) => String(p).endsWith(path.join('aks-prod', 'kustomization.yaml'))).length };
    };
    expect(statsOf()).toEqual({ found: text, stats: 1 });
    expect(statsOf(new Map([[FILE, Buffer.byteLength(text)]]))).toEqual({ found: text, stats: 0 });
    // a size that is not the written text's: what is on disk is read
    const other = readArtifacts(out, { written: texts([[FILE, `${text}# more\n`]]), sizes: new Map([[FILE, Buffer.byteLength(text)]]) });
    expect(other.files.find((f) => f.path === FILE)?.text).toBe(text);
  } finally {
    lstat.mockRestore();
  }
});

test('a file synth did not write is still read from disk', () => {
  fs.writeFileSync(path.join(out, 'kubernetes', 'aks-prod', 'stray.yaml'), 'kind: ConfigMap\n');
  const artifacts = readArtifacts(out, { written: texts([[FILE, 'x']]) });
  expect(artifacts.files.map((f) => f.path)).toContain('kubernetes/aks-prod/stray.yaml');
  fs.rmSync(path.join(out, 'kubernetes', 'aks-prod', 'stray.yaml'));
});

test("more files and folders than OUT may hold: check reads no further, in synth's staging as in any OUT", () => {
  const limits = INPUT_LIMITS as { outFiles: number };
  const before = limits.outFiles;
  const crowded = path.join(out, 'kubernetes', 'aks-prod', 'crowded');
  fs.mkdirSync(crowded);
  try {
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(crowded, `${i}.txt`), '');
    const all = readArtifacts(out).files.length;
    limits.outFiles = all + 20;
    for (const staged of [{}, { written: texts([[FILE, onDisk(FILE)]]) }]) {
      const { files, problems } = readArtifacts(out, staged);
      expect(problems.map((p) => p.message)).toContain(`OUT holds more than ${all + 20} files and folders; check read no further`);
      expect(files.length).toBeLessThan(all);
    }
  } finally {
    limits.outFiles = before;
    fs.rmSync(crowded, { recursive: true });
  }
});

test('a folder deeper than OUT may nest is a finding, and what is in it is not read, in both ways of listing', () => {
  const limits = INPUT_LIMITS as { outDepth: number };
  const before = limits.outDepth;
  const deep = path.join(out, 'kubernetes', 'aks-prod', 'deep', 'deeper');
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, 'x.yaml'), 'kind: ConfigMap\n');
  limits.outDepth = 4;
  try {
    for (const staged of [{}, { written: texts([[FILE, onDisk(FILE)]]) }]) {
      const { files, problems } = readArtifacts(out, staged);
      expect(problems.map((p) => `${p.file}: ${p.message}`)).toContain('kubernetes/aks-prod/deep/deeper: kubernetes/aks-prod/deep/deeper is a folder 4 levels deep in OUT; check reads no deeper than 4');
      expect(files.map((f) => f.path)).not.toContain('kubernetes/aks-prod/deep/deeper/x.yaml');
    }
  } finally {
    limits.outDepth = before;
    fs.rmSync(path.dirname(deep), { recursive: true });
  }
});

test('files of more bytes together than OUT may hold: check reads no further than the file that passes the limit', () => {
  const limits = INPUT_LIMITS as { outTotalBytes: number };
  const before = limits.outTotalBytes;
  limits.outTotalBytes = 1024;
  try {
    for (const staged of [{}, { written: texts([[FILE, onDisk(FILE)]]) }]) {
      const { problems } = readArtifacts(out, staged);
      expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^OUT holds files of more than 1 KiB together; check read no further than \S+$/));
    }
  } finally {
    limits.outTotalBytes = before;
  }
});

describe('cluster rules', () => {
  const seen: string[] = [];
  // reads its part, and for kind-dev summary.json too
  const rule = fromClusterRule((part) => {
    seen.push(part.summary.name);
    if (part.summary.name === 'kind-dev') part.fileAt('summary.json');
    return part.filesIn('kubernetes').slice(0, 1).map((f) => ({ severity: 'warning' as const, rule: 'test', file: f.path, object: '(file)', message: `first of ${part.summary.name}`, fix: 'none' }));
  });

  test("run once per cluster; what they found is recorded for each cluster whose part alone they read", () => {
    seen.length = 0;
    const { report, clusterFindings } = checkWritten(out, {}, [rule]);
    const names = readArtifacts(out).summary.clusters.map((c) => c.name);
    expect(seen).toEqual(names);
    expect([...clusterFindings.keys()]).toEqual(names.filter((n) => n !== 'kind-dev'));
    expect(report.findings.map((f) => f.message)).toContain('first of kind-dev');
  });

  test('a cluster whose findings are known under the same summary entry takes them; another entry runs the rules', () => {
    const { clusterFindings } = checkWritten(out, {}, [rule]);
    const known = { ...clusterFindings.get('aks-prod')!, findings: [{ severity: 'warning' as const, rule: 'test', file: 'kubernetes/aks-prod/kustomization.yaml', object: '(file)', message: 'known', fix: 'none' }] };
    seen.length = 0;
    const taken = checkWritten(out, {}, [rule], { clusterChecked: new Map([['aks-prod', known]]) });
    expect(seen).not.toContain('aks-prod');
    expect(taken.report.findings.map((f) => f.message)).toEqual(expect.arrayContaining(['known']));
    expect(taken.report.findings.map((f) => f.message)).not.toContain('first of aks-prod');
    seen.length = 0;
    const other = checkWritten(out, {}, [rule], { clusterChecked: new Map([['aks-prod', { ...known, entry: '0'.repeat(64) }]]) });
    expect(seen).toContain('aks-prod');
    expect(other.report.findings.map((f) => f.message)).not.toContain('known');
  });
});

describe('documents synth wrote', () => {
  const SA = 'kubernetes/aks-prod/serviceaccount_orders_orders-api.yaml';
  const objectOf = (written: ReadonlyMap<string, KnownFile>) => readArtifacts(out, { written }).objects.find((o) => o.file === SA)?.obj;

  test('stand for the parse of a plain text of the same size, and not of one with an anchor', () => {
    const text = onDisk(SA);
    const doc = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'as-written' } };
    expect(objectOf(new Map([[SA, { text, docs: [doc] }]]))).toBe(doc);
    // the same size, but a text that is not plain is parsed: its anchor is read as one
    const anchored = text.replace('kind: ServiceAccount', 'kind: &a ServiceAcco');
    expect(anchored.length).toBe(text.length);
    expect(objectOf(new Map([[SA, { text: anchored, docs: [doc] }]]))?.kind).toBe('ServiceAcco');
    expect(objectOf(new Map([[SA, { text: `${text}#\n`, docs: [doc] }]]))?.metadata).toEqual({ annotations: expect.anything(), name: 'orders-api', namespace: 'orders' });
  });

  test("a cluster's configuration: its mapping stands for the parse of a plain text of the same size, for the rules that read it", () => {
    const KIND = 'clusters/kind-dev/kind-cluster.yaml';
    const text = onDisk(KIND);
    const statement = { file: KIND, form: 'kind-config' as const };
    const statedBy = (written: ReadonlyMap<string, KnownFile>) => readStatement(readArtifacts(out, { written }), statement)[0].issuers;
    const patch = 'kind: ClusterConfiguration\napiServer:\n  extraArgs:\n    service-account-issuer: https://as-written.example.com\n';
    expect(statedBy(new Map([[KIND, { text, docs: [{ kubeadmConfigPatches: [patch] }] }]]))).toEqual(['https://as-written.example.com']);
    const onDiskIssuers = statedBy(new Map());
    expect(onDiskIssuers).toEqual([expect.stringMatching(/^https:\/\/.*kind-dev$/)]);
    // a text that is not plain, or of another size, is parsed from disk
    expect(statedBy(new Map([[KIND, { text: text.replace('kind: Cluster', 'kind: &a Clus'), docs: [{ kubeadmConfigPatches: [patch] }] }]]))).toEqual(onDiskIssuers);
    expect(statedBy(new Map([[KIND, { text: `${text}#\n`, docs: [{ kubeadmConfigPatches: [patch] }] }]]))).toEqual(onDiskIssuers);
  });

  test('YAML synth rendered into a string value: its value stands for the parse of a plain text, of one mapping', () => {
    const KIND = 'clusters/kind-dev/kind-cluster.yaml';
    const patch = (embeddedYamlIn(readArtifacts(out), onDisk(KIND)) as { kubeadmConfigPatches: string[] }).kubeadmConfigPatches[0];
    const value = { kind: 'ClusterConfiguration', apiServer: { extraArgs: { 'service-account-issuer': 'https://as-rendered.example.com' } } };
    const statedBy = (embedded: ReadonlyMap<string, unknown>) => readStatement(readArtifacts(out, { embedded }), { file: KIND, form: 'kind-config' })[0].issuers;
    expect(statedBy(new Map([[patch, value]]))).toEqual(['https://as-rendered.example.com']);
    const parsed = statedBy(new Map());
    expect(parsed).toEqual([expect.stringMatching(/kind-dev$/)]);
    // not one mapping, or a text of another form than plain: parsed
    expect(statedBy(new Map([[patch, [value]]]))).toEqual(parsed);
    const anchored = readArtifacts(out, { embedded: new Map([['a: &x 1\n', { a: 2 }]]) });
    expect(embeddedYamlIn(anchored, 'a: &x 1\n')).toEqual({ a: 1 });
  });

  test('a text over the limit of its kind is not taken from memory: the file is read and found too large', () => {
    const big = 'kubernetes/aks-prod/big.yaml';
    const text = `#${'x'.repeat(INPUT_LIMITS.outYamlFileBytes)}\n`;
    fs.writeFileSync(path.join(out, ...big.split('/')), text);
    try {
      const artifacts = readArtifacts(out, { written: new Map([[big, { text, docs: [] }]]) });
      expect(artifacts.problems.filter((p) => p.file === big).map((p) => p.message)).toEqual([expect.stringContaining('is 16.0 MiB, more than the 16 MiB a YAML file of OUT may have')]);
    } finally {
      fs.rmSync(path.join(out, ...big.split('/')));
    }
  });

  test("synth's check, which takes them, reports what check reading OUT from disk reports", () => {
    const dir = path.dirname(out);
    const again = path.join(dir, 'checked');
    const result = synthesizeFleet(parseFleet(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8'), dir), { outDir: again });
    expect(result.check).toEqual(checkOut(again));
    expect(result.check?.findings.length).toBeGreaterThan(0);
  });
});
