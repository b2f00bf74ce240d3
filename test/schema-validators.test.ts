/**
 * The validators check's schema rule takes compiled ahead of time (src/check/*-validators.generated.ts,
 * scripts/generate-schema-validators.js): the committed files are what the script generates, every object
 * synth writes for the example and a synthetic fleet finds its validator among them, and each judges
 * objects as the same schema compiled at run time does, faults and all.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readArtifacts } from '../src/check/artifacts';
import { crdAjv, crdSchemaErrors } from '../src/check/crd-schema';
import { coreAjv } from '../src/check/kubernetes-schema';
import { objectSchemaOf } from '../src/check/object-schema';
import { precompiledName, precompiledValidator } from '../src/check/schema-validators';
import { isRecord } from '../src/core/objects';
import { loadFleetFile, synthesizeFleet } from '../src/index';
import { ROOT } from './support';

// Scripts, not modules of src/: required, with their shape stated here.
const generator = require('../scripts/generate-schema-validators') as {
  generateSchemaValidators(): { core: string; crd: string };
  OUTPUT: { core: string; crd: string };
};
const { writeSyntheticFleet } = require('../scripts/synthetic-fleet') as {
  writeSyntheticFleet(dir: string, options: { clusters: number; workloads: number }): string;
};

let work: string;
let objects: Array<Record<string, unknown>>;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-schema-validators-'));
  const fleets = [path.join(ROOT, 'examples', 'fleet.yaml'), writeSyntheticFleet(path.join(work, 'synthetic'), { clusters: 10, workloads: 10 })];
  objects = fleets.flatMap((fleet, i) => {
    const out = path.join(work, `out-${i}`);
    synthesizeFleet(loadFleetFile(fleet), { outDir: out, check: false });
    return readArtifacts(out).objects.map((o) => o.obj);
  });
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('the committed validators are what the script generates, byte for byte', () => {
  const generated = generator.generateSchemaValidators();
  for (const flavor of ['core', 'crd'] as const) {
    if (fs.readFileSync(generator.OUTPUT[flavor], 'utf8') !== generated[flavor]) {
      throw new Error(`${path.relative(ROOT, generator.OUTPUT[flavor])} is not what scripts/generate-schema-validators.js generates: run \`npm run generate:types\` and commit the result`);
    }
  }
});

/** A validator compiled now, as check compiles one it has no validator compiled ahead of time for. */
function compiledNow(flavor: 'core' | 'crd', schema: Record<string, unknown>) {
  return (flavor === 'core' ? coreAjv() : crdAjv()).compile(schema);
}

/** The errors a validator finds in a copy of `obj` (validating writes defaults into what it is given). */
function errorsOf(validate: (data: unknown) => boolean, obj: unknown): { valid: boolean; errors: unknown } {
  const data = structuredClone(obj);
  const valid = validate(data);
  return { valid, errors: valid ? [] : structuredClone((validate as { errors?: unknown }).errors) };
}

/**
 * Edits of an object that break it in every way a schema judges: a leaf of another type, a string too short or
 * of another pattern, a list's item twice (sets, lists of map type), a required field missing, a field unknown,
 * and one that breaks a CEL rule. Both validators of a schema are given the same edited object, whatever its shape.
 */
const EDITS: ReadonlyArray<[string, (value: unknown) => unknown]> = [
  ['as synth wrote it', (v) => v],
  ['every string a number, every number a string, every boolean a string', (v) => mapLeaves(v, (leaf) => (typeof leaf === 'string' ? 42 : typeof leaf === 'number' ? 'x' : typeof leaf === 'boolean' ? 'yes' : leaf))],
  ['every string empty', (v) => mapLeaves(v, (leaf) => (typeof leaf === 'string' ? '' : leaf))],
  ['every list with its first item twice', (v) => mapLists(v, (list) => (list.length > 0 ? [list[0], ...list] : list))],
  ['the first field of every mapping missing', (v) => mapMappings(v, (m) => Object.fromEntries(Object.entries(m).slice(1)))],
  ['an unknown field in every mapping', (v) => mapMappings(v, (m) => ({ ...m, colour: 'blue' }))],
  ['a HelmRelease naming a chart and a chartRef', (v) => (isRecord(v) && v.kind === 'HelmRelease' && isRecord(v.spec) ? { ...v, spec: { ...v.spec, chartRef: { kind: 'OCIRepository', name: 'x' } } } : v)],
];

function mapLeaves(value: unknown, leaf: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapLeaves(item, leaf));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, leaf)]));
  return leaf(value);
}

function mapMappings(value: unknown, mapping: (m: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => mapMappings(item, mapping));
  if (isRecord(value)) return mapping(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapMappings(v, mapping)])));
  return value;
}

function mapLists(value: unknown, list: (items: unknown[]) => unknown[]): unknown {
  if (Array.isArray(value)) return list(value.map((item) => mapLists(item, list)));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLists(v, list)]));
  return value;
}

test('every object synth writes for the example and the synthetic fleet has its validator compiled ahead of time', () => {
  const missing = objects.filter((obj) => {
    const of = objectSchemaOf(obj);
    return !of || !precompiledValidator(of.flavor, of.schema);
  });
  expect(missing.map((obj) => `${obj.apiVersion} ${obj.kind}`)).toEqual([]);
  expect(objects.length).toBeGreaterThan(100);
});

test('each judges as the same schema compiled at run time: the same verdict and errors, valid or broken', () => {
  const seen = new Set<string>();
  const kinds = new Set<string>();
  const keywords = new Set<string>();
  for (const obj of objects) {
    const { flavor, schema } = objectSchemaOf(obj)!;
    const name = precompiledName(flavor, schema);
    if (seen.has(name)) continue;
    seen.add(name);
    kinds.add(`${obj.apiVersion} ${obj.kind}`);
    const ahead = precompiledValidator(flavor, schema)!;
    const now = compiledNow(flavor, schema);
    for (const [edit, apply] of EDITS) {
      const data = apply(obj);
      const expected = errorsOf(now, data);
      expect({ kind: obj.kind, edit, ...errorsOf(ahead, data) }).toEqual({ kind: obj.kind, edit, ...expected });
      for (const e of expected.errors as Array<{ keyword: string }>) keywords.add(e.keyword);
    }
  }
  // the edits reach every kind synth writes, and break objects in every way the schemas judge
  expect(kinds.size).toBeGreaterThanOrEqual(12);
  for (const keyword of ['type', 'minLength', 'pattern', 'enum', 'required', 'additionalProperties', 'x-kubernetes-list-type', 'x-kubernetes-validations']) {
    expect({ keyword, found: keywords.has(keyword) }).toEqual({ keyword, found: true });
  }
});

test("a CRD's own keywords report as they did as keywords ajv called: each fault's message, at the node it is on", () => {
  const release = objects.find((o) => o.kind === 'HelmRelease')! as { metadata: { namespace: string; name: string }; spec: object };
  const both = { ...release, spec: { ...release.spec, chartRef: { kind: 'OCIRepository', name: 'x' } } };
  expect(crdSchemaErrors(both)).toContain(`HelmRelease ${release.metadata.namespace}/${release.metadata.name}: /spec fails rule: either chart or chartRef must be set`);
  const cluster = objects.find((o) => o.kind === 'AzureCluster')! as { metadata: { namespace: string; name: string }; spec: { networkSpec: { subnets: unknown[] } } };
  const twice = structuredClone(cluster);
  twice.spec.networkSpec.subnets.push(twice.spec.networkSpec.subnets[0]);
  const last = twice.spec.networkSpec.subnets.length - 1;
  expect(crdSchemaErrors(twice)).toEqual([`AzureCluster ${cluster.metadata.namespace}/${cluster.metadata.name}: /spec/networkSpec/subnets must NOT have two items with the same name (items 0 and ${last})`]);
});
