/**
 * specializeSchema (src/check/schema-shape.ts) cuts a schema down to what an object of one shape can
 * reach; the claim is that validating the object against the cut schema gives the same errors, at the
 * same paths, as against the whole schema. These tests try to break that claim:
 *
 * - real schemas (the vendored CRDs, the Kubernetes 1.28 definitions) and the objects the example
 *   writes, each broken by many random mutations: every run compiles the specialized schema afresh and
 *   compares its errors with those of the whole schema (compiled once per kind), as sets of
 *   `instancePath keyword message params` (schemaPath differs by construction and is not compared);
 * - random small schemas against random data: first in the forms the source's schemas take (CRDs: no
 *   `$ref`, defaults applied; Kubernetes definitions: `$ref`s, no defaults), then in any form;
 * - the shape functions one by one, and the per-shape validator cache behind crdSchemaErrors and
 *   kubernetesSchemaErrors.
 *
 * The CRD schemas go through crd-schema.ts' own `structural()` and ajv (with its keywords
 * `x-kubernetes-validations`, `x-kubernetes-list-type`), so that the whole schema is the one the source
 * would compile without specialization. They are validated both without defaults and with them
 * (`useDefaults: true`, as crd-schema.ts does): defaulting is where specialization keeps parts of a
 * schema the object does not have, so it has to be tested, and the defaulted data must agree too.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspect, isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import { crdAjv, crdSchemaErrors, structural } from '../src/check/crd-schema';
import { coreAjv, kubernetesSchemaErrors } from '../src/check/kubernetes-schema';
import { shapeKey, shapeKeyOf, shapeOf, specializeSchema, type Shape } from '../src/check/schema-shape';
import { loadFleetFile, synthesizeFleet } from '../src/index';
import { ROOT } from './support';

/** Parsed YAML or JSON, edited field by field. */
type Json = any;
type Schema = Record<string, unknown>;
type Step = string | number;

/** Fixed so that CI runs the same inputs; fast-check prints seed and path of any failure to replay it. */
const SEED = 20250131;

const isRecord = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

const errorKey = (e: ErrorObject): string => `${e.instancePath} ${e.keyword} ${e.message} ${JSON.stringify(e.params)}`;

interface Outcome {
  readonly errors: string[];
  /** The data after validation: what defaulting made of it. */
  readonly data: Json;
}

function outcome(validate: ValidateFunction, obj: Json): Outcome {
  const data = structuredClone(obj);
  const valid = validate(data);
  const errors = valid ? [] : [...new Set((validate.errors ?? []).map(errorKey))].sort();
  return { errors, data };
}

/** Throws, with the object and both error lists, when the two validators disagree on it. */
function expectSame(label: string, whole: ValidateFunction, cut: ValidateFunction, obj: Json): Outcome {
  const a = outcome(whole, obj);
  const b = outcome(cut, obj);
  const onlyWhole = a.errors.filter((e) => !b.errors.includes(e));
  const onlyCut = b.errors.filter((e) => !a.errors.includes(e));
  if (onlyWhole.length > 0 || onlyCut.length > 0) {
    throw new Error(
      `${label}: the specialized schema gives other errors than the whole one\nobject: ${show(obj)}\n` +
        `whole schema: ${JSON.stringify(a.errors, null, 1)}\nspecialized:  ${JSON.stringify(b.errors, null, 1)}`,
    );
  }
  if (!isDeepStrictEqual(a.data, b.data)) {
    throw new Error(`${label}: defaulting differs\nobject: ${show(obj)}\nwhole: ${show(a.data)}\nspecialized: ${show(b.data)}`);
  }
  return a;
}

/** Like JSON, but undefined shows. */
const show = (v: unknown): string => inspect(v, { depth: null, breakLength: Infinity });

/* ---------- the real schemas and objects ---------- */

interface Subject {
  /** The object the example writes. */
  readonly obj: Json;
  /** The whole schema (a CRD's made structural). */
  readonly schema: Schema;
  readonly resolve?: (ref: string) => unknown;
  /** The schema cut to a shape as the source cuts it: a CRD's cut, then made structural. */
  readonly cutTo: (shape: Shape) => Schema;
  /** A fresh Ajv configured as the source's (crd-schema.ts fills in defaults, kubernetes-schema.ts does not). */
  readonly ajv: () => Ajv;
  /** The whole schema compiled (once: SecretStore's takes seconds). */
  whole(): ValidateFunction;
  /**
   * The Ajv that compiles the specialized schemas, its own (never the whole schema's), one per subject
   * like the source's: a fresh Ajv per run would spend 9 ms compiling the draft-07 meta-schema again.
   */
  cutAjv(): Ajv;
}

const CRD_KINDS = ['SecretStore', 'ExternalSecret', 'ClusterDeployment', 'HelmRelease', 'AzureCluster', 'AzureMachineTemplate'];
const CORE_KINDS = ['Deployment', 'ServiceAccount', 'Secret'];
const DEFINITION_REF = '#/definitions/';

let work: string;
let written: Json[];
const subjects = new Map<string, Subject>();

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** The openAPIV3Schema of the served version of a kind in the vendored CRDs of its group. */
function crdOpenApiSchema(apiVersion: string, kind: string): Schema {
  const [group, version] = apiVersion.split('/');
  const dir = path.join(ROOT, 'schemas', 'crds', group);
  for (const file of fs.readdirSync(dir).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json;
    if (doc.kind !== 'CustomResourceDefinition' || doc.spec.names.kind !== kind) continue;
    const served = (doc.spec.versions as Json[]).find((v) => v.name === version && v.served === true);
    if (served) return served.schema.openAPIV3Schema as Schema;
  }
  throw new Error(`no vendored CRD serves ${apiVersion} ${kind}`);
}

function example(kind: string): Json {
  const found = written.find((o) => o.kind === kind);
  if (!found) throw new Error(`the example writes no ${kind}`);
  return structuredClone(found);
}

function memo<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-schema-shape-'));
  const out = path.join(work, 'out');
  synthesizeFleet(loadFleetFile(path.join(ROOT, 'examples', 'fleet.yaml')), { outDir: out, check: false });
  written = yamlFiles(path.join(out, 'kubernetes')).flatMap((file) => yaml.loadAll(fs.readFileSync(file, 'utf8')) as Json[]);

  for (const kind of CRD_KINDS) {
    const obj = example(kind);
    const raw = crdOpenApiSchema(obj.apiVersion, kind);
    const schema = structural(raw, true) as Schema;
    const cutTo = (shape: Shape) => structural(specializeSchema(raw, shape), true) as Schema;
    for (const useDefaults of [false, true]) {
      const ajv = () => crdAjv(useDefaults);
      subjects.set(`${kind}${useDefaults ? ' (defaults)' : ''}`, { obj, schema, cutTo, ajv, whole: memo(() => ajv().compile(schema)), cutAjv: memo(ajv) });
    }
  }

  const definitions = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'k8s', 'v1.28.0-definitions.json'), 'utf8')).definitions as Record<string, Json>;
  const resolve = (ref: string) => definitions[ref.slice(DEFINITION_REF.length)];
  for (const kind of CORE_KINDS) {
    const obj = example(kind);
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    const name = Object.keys(definitions).find((n) =>
      (definitions[n]['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => g.group === group && g.version === version && g.kind === kind),
    );
    if (!name) throw new Error(`no definition for ${obj.apiVersion} ${kind}`);
    const schema = { $ref: `${DEFINITION_REF}${name}` };
    const cutTo = (shape: Shape) => specializeSchema(schema, shape, resolve) as Schema;
    subjects.set(kind, { obj, schema, resolve, cutTo, ajv: coreAjv, whole: memo(() => coreAjv().compile({ ...schema, definitions })), cutAjv: memo(coreAjv) });
  }
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Compiles the schema cut to the object's shape. */
function cut(subject: Subject, obj: Json): ValidateFunction {
  return subject.cutAjv().compile(subject.cutTo(shapeOf(obj)));
}

/* ---------- mutations ---------- */

interface Node {
  readonly path: Step[];
  readonly value: Json;
}

function nodesOf(value: Json, at: Step[] = []): Node[] {
  const here = { path: at, value };
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => nodesOf(v, [...at, i]))];
  if (isRecord(value)) return [here, ...Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...at, k]))];
  return [here];
}

function getAt(root: Json, at: readonly Step[]): Json {
  return at.reduce((v, step) => v?.[step], root);
}

/** Sets a value (the root too: returns the new root). */
function setAt(root: Json, at: readonly Step[], value: Json): Json {
  if (at.length === 0) return value;
  getAt(root, at.slice(0, -1))[at[at.length - 1]] = value;
  return root;
}

function deleteAt(root: Json, at: readonly Step[]): void {
  const parent = getAt(root, at.slice(0, -1));
  const last = at[at.length - 1];
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
}

/** Numbers drawn by fast-check, read in turn: the choices of one mutation, shrinkable. */
class Tape {
  private i = 0;
  constructor(private readonly numbers: readonly number[]) {}
  next(bound: number): number {
    if (bound <= 1 || this.numbers.length === 0) return 0;
    return this.numbers[this.i++ % this.numbers.length] % bound;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.next(items.length)];
  }
}

/** Values of every JSON type, some of them the troublesome ones. */
const ODD_VALUES: Json[] = [0, 7, -1, 1.5, 2 ** 53, '', 'x', 'Not_A valid-name!', 'true', '1h', '{}', true, false, null, {}, { unknown: 1 }, [], ['x'], [{}], [1, 'a'], [[]]];
/** Names of fields a schema does not know, some of them the names of keywords or of Object.prototype. */
const ODD_NAMES = ['unknownField', 'x-unknown', 'constructor', 'toString', 'hasOwnProperty', '$ref', 'items', 'properties', 'default', 'additionalProperties', 'type', '0', ''];

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** The schema nodes that apply at a node of the object: `$ref`s followed, junctor branches included. */
function expand(schema: unknown, resolve: ((ref: string) => unknown) | undefined, depth = 0): Schema[] {
  if (!isRecord(schema) || depth > 8) return [];
  const all = [schema, ...(typeof schema.$ref === 'string' && resolve ? expand(resolve(schema.$ref), resolve, depth + 1) : [])];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of Array.isArray(schema[key]) ? (schema[key] as unknown[]) : []) all.push(...expand(branch, resolve, depth + 1));
  }
  return all;
}

function schemasAt(root: Schema, at: readonly Step[], resolve?: (ref: string) => unknown): Schema[] {
  let nodes = expand(root, resolve);
  for (const step of at) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (typeof step === 'number') {
        next.push(Array.isArray(node.items) ? node.items[step] : node.items);
      } else {
        const props = isRecord(node.properties) ? node.properties : {};
        if (Object.prototype.hasOwnProperty.call(props, step)) next.push(props[step]);
        else if (isRecord(node.additionalProperties)) next.push(node.additionalProperties);
        for (const [pattern, sub] of Object.entries(isRecord(node.patternProperties) ? node.patternProperties : {})) {
          if (new RegExp(pattern).test(step)) next.push(sub);
        }
      }
    }
    nodes = next.flatMap((n) => expand(n, resolve));
  }
  return nodes;
}

/** A value for a schema: mostly of its type (so that it reaches deep into parts the object lacked), sometimes anything. */
function valueFor(schemas: Schema[], tape: Tape, resolve: ((ref: string) => unknown) | undefined, depth = 0): Json {
  if (schemas.length === 0 || tape.next(8) === 0 || depth > 5) return structuredClone(tape.pick(ODD_VALUES));
  const typed = schemas.filter((s) => s.type !== undefined || s.enum !== undefined || s.properties !== undefined || s.items !== undefined);
  const node = typed.length > 0 ? tape.pick(typed) : tape.pick(schemas);
  if (Array.isArray(node.enum) && node.enum.length > 0) return structuredClone(tape.pick(node.enum));
  if (node.default !== undefined && tape.next(4) === 0) return structuredClone(node.default);
  const type = Array.isArray(node.type) ? tape.pick(node.type as string[]) : ((node.type as string | undefined) ?? (node.properties ? 'object' : node.items ? 'array' : 'string'));
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const props = isRecord(node.properties) ? Object.keys(node.properties) : [];
      const required = Array.isArray(node.required) ? (node.required as string[]) : [];
      for (const name of required) if (tape.next(4) !== 0) out[name] = undefined;
      for (let n = tape.next(4); n > 0 && props.length > 0; n--) out[tape.pick(props)] = undefined;
      for (const name of Object.keys(out)) out[name] = valueFor(expand((node.properties as Schema)[name], resolve), tape, resolve, depth + 1);
      if (isRecord(node.additionalProperties) && tape.next(2) === 0) out[`key${tape.next(100)}`] = valueFor(expand(node.additionalProperties, resolve), tape, resolve, depth + 1);
      return out;
    }
    case 'array': {
      const items = expand(Array.isArray(node.items) ? node.items[0] : node.items, resolve);
      return Array.from({ length: tape.next(3) }, () => valueFor(items, tape, resolve, depth + 1));
    }
    case 'integer':
      return tape.pick([0, 1, 3, -1, 65536]);
    case 'number':
      return tape.pick([0, 1.5, -2]);
    case 'boolean':
      return tape.next(2) === 0;
    case 'null':
      return null;
    default:
      return tape.pick(['x', '', 'abc-def', 'a'.repeat(300), '1h0m0s', 'https://example.com/', '10.0.0.0/16', 'Standard_D2s_v3']);
  }
}

const OPS = ['delete', 'retype', 'addUnknown', 'addKnown', 'duplicate', 'empty', 'objectForList'] as const;
type Op = (typeof OPS)[number];

interface Mutation {
  readonly op: Op;
  /** Which node of the candidates (modulo their number). */
  readonly at: number;
  readonly tape: number[];
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.oneof(
    { weight: 2, arbitrary: fc.constant<Op>('delete') },
    { weight: 2, arbitrary: fc.constant<Op>('retype') },
    { weight: 1, arbitrary: fc.constant<Op>('addUnknown') },
    { weight: 4, arbitrary: fc.constant<Op>('addKnown') },
    { weight: 1, arbitrary: fc.constantFrom<Op>('duplicate', 'empty', 'objectForList') },
  ),
  at: fc.nat(),
  tape: fc.array(fc.nat({ max: 10_000 }), { maxLength: 16 }),
});

/** Applies a mutation to a copy of the object; returns the broken copy. */
function mutate(obj: Json, m: Mutation, subject: Subject): Json {
  let root = structuredClone(obj);
  const tape = new Tape(m.tape);
  const nodes = nodesOf(root);
  const of = (keep: (n: Node) => boolean): Node | undefined => {
    const candidates = nodes.filter(keep);
    return candidates.length === 0 ? undefined : candidates[m.at % candidates.length];
  };
  switch (m.op) {
    case 'delete': {
      const node = of((n) => n.path.length > 0);
      if (node) deleteAt(root, node.path);
      break;
    }
    case 'retype': {
      const node = of(() => true);
      if (node) root = setAt(root, node.path, structuredClone(tape.pick(ODD_VALUES.filter((v) => typeOf(v) !== typeOf(node.value)))));
      break;
    }
    case 'addUnknown': {
      const node = of((n) => isRecord(n.value));
      if (node) node.value[tape.pick(ODD_NAMES)] = structuredClone(tape.pick(ODD_VALUES));
      break;
    }
    case 'addKnown': {
      const node = of((n) => isRecord(n.value));
      if (!node) break;
      const schemas = schemasAt(subject.schema, node.path, subject.resolve);
      const names = [...new Set(schemas.flatMap((s) => (isRecord(s.properties) ? Object.keys(s.properties) : [])))].filter(
        (name) => !(name in node.value) && name !== '__proto__',
      );
      const name = names.length > 0 ? tape.pick(names) : tape.pick(ODD_NAMES);
      node.value[name] = valueFor(schemasAt(subject.schema, [...node.path, name], subject.resolve), tape, subject.resolve);
      break;
    }
    case 'duplicate': {
      const node = of((n) => Array.isArray(n.value));
      if (!node) break;
      if (node.value.length === 0) node.value.push(valueFor(schemasAt(subject.schema, [...node.path, 0], subject.resolve), tape, subject.resolve));
      else node.value.push(structuredClone(tape.pick(node.value)));
      break;
    }
    case 'empty': {
      const node = of((n) => Array.isArray(n.value));
      if (node) root = setAt(root, node.path, []);
      break;
    }
    case 'objectForList': {
      const node = of((n) => Array.isArray(n.value));
      if (node) root = setAt(root, node.path, tape.pick([{}, isRecord(node.value[0]) ? structuredClone(node.value[0]) : { 0: node.value[0] ?? null }]));
      break;
    }
  }
  return root;
}

/* ---------- 1 and 2: the real schemas ---------- */

const SUBJECTS = [...CRD_KINDS.flatMap((k) => [k, `${k} (defaults)`]), ...CORE_KINDS];
/** Runs per subject: the file must stay well under 20 s. */
const RUNS = 100;

describe('the specialized schema gives the errors of the whole one', () => {
  test.each(SUBJECTS)('%s: the object the example writes (valid), and each of its fields deleted', (name) => {
    const subject = subjects.get(name)!;
    const whole = subject.whole();
    expect(expectSame(name, whole, cut(subject, subject.obj), subject.obj).errors).toEqual([]);
    // deleting any one field: required fields, defaulted fields, whole subtrees
    for (const node of nodesOf(subject.obj).filter((n) => n.path.length > 0)) {
      const broken = structuredClone(subject.obj);
      deleteAt(broken, node.path);
      expectSame(`${name} without /${node.path.join('/')}`, whole, cut(subject, broken), broken);
    }
  });

  test.each(SUBJECTS)('%s: random mutations of that object', (name) => {
    const subject = subjects.get(name)!;
    const whole = subject.whole();
    let failing = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const broken = mutations.reduce((obj, m) => mutate(obj, m, subject), subject.obj);
        if (expectSame(name, whole, cut(subject, broken), broken).errors.length > 0) failing++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // the mutations must break the object often, or the comparison is of empty lists
    expect(failing).toBeGreaterThan(RUNS / 3);
  });
});

/* ---------- random small schemas ---------- */

/** Ajv for the random and the unit cases. */
const unitAjv = (useDefaults = false) => new Ajv({ allErrors: true, strict: false, useDefaults, validateFormats: false });

const NAMES = ['a', 'b', 'c'];

/** Small random values, with the field names the random schemas use. */
const smallValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(0, 1, -1, 1.5, '', 'x', 'p1', true, false, null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NAMES, 'p1', 'z'), tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;

const definitionNames = ['D0', 'D1', 'D2'];

/** What random schemas may hold beyond the plain keywords. */
interface Grammar {
  /** `$ref`s to the definitions (kubernetes-schema.ts' schemas have them, crd-schema.ts' do not). */
  readonly refs: boolean;
  /** `$ref`s also under the keywords specializeSchema copies as they are (patternProperties, if, contains, ...). */
  readonly refsUnderUncut: boolean;
  /** An `allOf` beside a `$ref`. */
  readonly allOfBesideRef: boolean;
}

/** A random schema of a few keywords, nested `depth` deep; `$ref`s point only to later definitions, so that there is no cycle. */
function schemaArb(grammar: Grammar, refsFrom: number, depth: number, refsHere = true): fc.Arbitrary<Schema> {
  const refTargets = grammar.refs && refsHere ? definitionNames.slice(refsFrom) : [];
  const sub: fc.Arbitrary<Schema> = depth === 0 ? fc.constant({}) : fc.oneof(fc.constant<Schema>({}), schemaArb(grammar, refsFrom, depth - 1, refsHere));
  /** A subschema under a keyword that specializeSchema does not cut. */
  const uncut: fc.Arbitrary<Schema> = depth === 0 ? fc.constant({}) : fc.oneof(fc.constant<Schema>({}), schemaArb(grammar, refsFrom, depth - 1, refsHere && grammar.refsUnderUncut));
  const keywords: Record<string, fc.Arbitrary<unknown>> = {
    type: fc.constantFrom('object', 'array', 'string', 'integer', 'boolean', 'null', ['object', 'null'], ['array', 'string']),
    properties: fc.dictionary(fc.constantFrom(...NAMES), sub, { maxKeys: 3, noNullPrototype: true }),
    required: fc.subarray(NAMES),
    additionalProperties: fc.oneof(fc.boolean(), sub),
    items: fc.oneof({ weight: 4, arbitrary: sub }, { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 2 }) }),
    default: smallValue,
    enum: fc.uniqueArray(smallValue, { minLength: 1, maxLength: 3, selector: (v) => JSON.stringify(v) }),
    const: smallValue,
    allOf: fc.array(sub, { minLength: 1, maxLength: 2 }),
    anyOf: fc.array(sub, { minLength: 1, maxLength: 2 }),
    oneOf: fc.array(sub, { minLength: 1, maxLength: 2 }),
    not: sub,
    minItems: fc.constantFrom(1, 2),
    maxProperties: fc.constantFrom(0, 1, 2),
    minProperties: fc.constantFrom(1, 2),
    uniqueItems: fc.constant(true),
    patternProperties: fc.dictionary(fc.constantFrom('^p', '^[ab]$'), uncut, { minKeys: 1, maxKeys: 1, noNullPrototype: true }),
    additionalItems: uncut,
    contains: uncut,
    propertyNames: uncut,
    dependencies: fc.dictionary(fc.constantFrom(...NAMES), fc.oneof(uncut, fc.subarray(NAMES)), { minKeys: 1, maxKeys: 2, noNullPrototype: true }),
    if: uncut,
    then: uncut,
    else: uncut,
  };
  if (refTargets.length > 0) keywords.$ref = fc.constantFrom(...refTargets.map((n) => `${DEFINITION_REF}${n}`));
  return fc.uniqueArray(fc.constantFrom(...Object.keys(keywords)), { maxLength: 4 }).chain((keys) => {
    const chosen = grammar.allOfBesideRef || !keys.includes('$ref') ? keys : keys.filter((k) => k !== 'allOf');
    return fc.record(Object.fromEntries(chosen.map((k) => [k, keywords[k]])), { noNullPrototype: true }) as fc.Arbitrary<Schema>;
  });
}

function randomSchemas(grammar: Grammar) {
  return fc.record({
    root: schemaArb(grammar, 0, 3),
    definitions: fc.record({ D0: schemaArb(grammar, 1, 2), D1: schemaArb(grammar, 2, 2), D2: schemaArb(grammar, 3, 2) }),
  });
}

/** Random schemas and values: whole versus cut, each schema compiled whole once and cut per value. */
function compareRandom(grammar: Grammar, useDefaults: boolean, numRuns: number): void {
  // one Ajv for the whole schemas, one for the cut ones (a fresh one per run costs 9 ms)
  const wholeAjv = unitAjv(useDefaults);
  const cutAjv = unitAjv(useDefaults);
  fc.assert(
    fc.property(randomSchemas(grammar), fc.array(smallValue, { minLength: 1, maxLength: 4 }), ({ root, definitions }, values) => {
      const whole = wholeAjv.compile({ ...root, definitions });
      const resolve = (ref: string) => (definitions as Record<string, Schema>)[ref.slice(DEFINITION_REF.length)];
      for (const value of values) {
        expectSame('random schema', whole, cutAjv.compile(specializeSchema(root, shapeOf(value), resolve) as Schema), value);
      }
    }),
    { seed: SEED, numRuns },
  );
}

describe('random schemas against random data: the specialized schema gives the errors of the whole one', () => {
  // the schemas the source cuts: CRDs (no $ref, defaults applied), Kubernetes definitions ($refs beside
  // annotations, under properties, items and additionalProperties; no defaults applied)
  test('like the CRDs: no $ref, with defaults', () => {
    compareRandom({ refs: false, refsUnderUncut: false, allOfBesideRef: false }, true, 400);
  });

  test('like the CRDs: no $ref, without defaults', () => {
    compareRandom({ refs: false, refsUnderUncut: false, allOfBesideRef: false }, false, 300);
  });

  test('like the Kubernetes definitions: $refs, without defaults', () => {
    compareRandom({ refs: true, refsUnderUncut: false, allOfBesideRef: false }, false, 400);
  });

  // what else specializeSchema promises to handle: any schema, any resolveRef
  test('$refs anywhere, without defaults', () => {
    compareRandom({ refs: true, refsUnderUncut: true, allOfBesideRef: true }, false, 300);
  });

  test('$refs anywhere, with defaults', () => {
    compareRandom({ refs: true, refsUnderUncut: true, allOfBesideRef: true }, true, 300);
  });
});

/* ---------- 3: the parts one by one ---------- */

/** A shape as plain data, fields sorted: for toEqual. */
function plain(shape: Shape): Json {
  return {
    ...(shape.fields ? { fields: Object.fromEntries([...shape.fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, plain(v)])) } : {}),
    ...(shape.items ? { items: plain(shape.items) } : {}),
  };
}


/** Whole versus cut, for a schema and several objects; returns the errors of each. */
function compare(schema: Schema, objects: Json[], options: { useDefaults?: boolean; resolve?: (ref: string) => unknown; definitions?: Schema } = {}): string[][] {
  const whole = unitAjv(options.useDefaults).compile(options.definitions ? { ...schema, definitions: options.definitions } : schema);
  return objects.map((obj) => expectSame('unit', whole, unitAjv(options.useDefaults).compile(specializeSchema(schema, shapeOf(obj), options.resolve) as Schema), obj).errors);
}

describe('shapeOf', () => {
  test('merges the elements of a list: the fields of all of them appear, lists within lists too', () => {
    expect(plain(shapeOf([{ a: 1 }, { b: { c: 2 } }, 'x', { b: { d: [1] }, e: [[{ f: 1 }], [{ g: 2 }]] }]))).toEqual({
      items: {
        fields: {
          a: {},
          b: { fields: { c: {}, d: { items: {} } } },
          e: { items: { items: { fields: { f: {}, g: {} } } } },
        },
      },
    });
  });

  test('an empty list has items of no shape; an object and a list merged keep both', () => {
    expect(plain(shapeOf({ l: [] }))).toEqual({ fields: { l: { items: {} } } });
    expect(plain(shapeOf([{ a: 1 }, [2]]))).toEqual({ items: { fields: { a: {} }, items: {} } });
    expect(plain(shapeOf([]))).toEqual({ items: {} });
    expect(plain(shapeOf({}))).toEqual({ fields: {} });
    expect(plain(shapeOf(null))).toEqual({});
  });
});

describe('shapeKey', () => {
  test('is the same whatever the order of the keys', () => {
    expect(shapeKey(shapeOf({ a: 1, b: { c: [1], d: 2 } }))).toBe(shapeKey(shapeOf({ b: { d: 3, c: [9] }, a: 'x' })));
    const reorder = (v: Json, flip: boolean): Json =>
      Array.isArray(v) ? v.map((x) => reorder(x, flip)) : isRecord(v) ? Object.fromEntries((flip ? Object.entries(v).reverse() : Object.entries(v)).map(([k, x]) => [k, reorder(x, !flip)])) : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(shapeKey(shapeOf(reorder(value, true)))).toBe(shapeKey(shapeOf(value)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test('tells different shapes apart: equal keys exactly when the shapes are equal', () => {
    const key = fc.constantFrom('a', 'b', '', '"', ':', ',', '{', '}', '[', ']', '{}', '[]', 'a:b', '"a":{}');
    const value = fc.letrec<{ v: Json }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constant(1), fc.array(tie('v'), { maxLength: 2 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(value, value, (x, y) => {
        const [sx, sy] = [shapeOf(x), shapeOf(y)];
        expect(shapeKey(sx) === shapeKey(sy)).toBe(JSON.stringify(plain(sx)) === JSON.stringify(plain(sy)));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('shapeKeyOf', () => {
  test("is the key of the value's shape, for any value, fields set to undefined included", () => {
    const key = fc.constantFrom('a', 'b', '', '"', ':', '{', '[', '__proto__', 'é', '\ud83d\ude00', 'Z');
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(1, 'x', null, true, undefined),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(shapeKeyOf(v)).toBe(shapeKey(shapeOf(v)));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('specializeSchema', () => {
  test('drops the properties the object lacks, but keeps one with a default, cut to the shape of the default', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        a: { type: 'string' },
        b: {
          type: 'object',
          default: { c: 1 },
          additionalProperties: false,
          properties: { c: { type: 'integer' }, d: { type: 'string' }, e: { type: 'string', default: 'E' } },
        },
      },
    };
    expect(specializeSchema(schema, shapeOf({}))).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { b: { type: 'object', default: { c: 1 }, additionalProperties: false, properties: { c: { type: 'integer' }, e: { type: 'string', default: 'E' } } } },
    });
    expect(compare(schema, [{}, { b: {} }, { b: { c: 'x' } }, { a: 1, b: { d: 2 } }], { useDefaults: true })).toEqual([
      [],
      [],
      ['/b/c type must be integer {"type":"integer"}'],
      ['/a type must be string {"type":"string"}', '/b/d type must be string {"type":"string"}'],
    ]);
  });

  test('a field whose value is undefined is absent to ajv, which fills in its default: the cut schema must allow for it', () => {
    // JSON and YAML never hold undefined, but objects built in code do; structuredClone keeps it
    const schema = {
      type: 'object',
      properties: { t: { type: 'object', default: { c: 'Owner' }, additionalProperties: false, properties: { c: { type: 'string' } } } },
    };
    compare(schema, [{ t: undefined }], { useDefaults: true });
  });

  test('inlines a $ref, and keeps its siblings beside the referenced schema', () => {
    const definitions = { A: { type: 'object', properties: { a: { type: 'string' }, z: { type: 'string' } }, required: ['a'] } };
    const resolve = (ref: string) => (definitions as Record<string, unknown>)[ref.slice(DEFINITION_REF.length)];
    const schema = { properties: { x: { $ref: '#/definitions/A', description: 'an A', required: ['b'] }, y: { $ref: '#/definitions/A' } } };
    expect(specializeSchema(schema, shapeOf({ x: { a: 1 }, y: {} }), resolve)).toEqual({
      properties: {
        x: { description: 'an A', required: ['b'], allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }] },
        y: { type: 'object', properties: {}, required: ['a'] },
      },
    });
    expect(compare(schema, [{ x: { a: 1 }, y: {} }, { x: { a: 'a', b: 1 }, y: { a: 'a' } }], { resolve, definitions })).toEqual([
      [
        '/x required must have required property \'b\' {"missingProperty":"b"}',
        '/x/a type must be string {"type":"string"}',
        '/y required must have required property \'a\' {"missingProperty":"a"}',
      ],
      [],
    ]);
  });

  test('a $ref whose siblings include an allOf: both the sibling allOf and the reference apply', () => {
    const definitions = { A: { type: 'object', properties: { a: { type: 'string' } } } };
    const resolve = (ref: string) => (definitions as Record<string, unknown>)[ref.slice(DEFINITION_REF.length)];
    const schema = { properties: { x: { $ref: '#/definitions/A', allOf: [{ required: ['b'] }] } } };
    compare(schema, [{ x: { a: 1 } }], { resolve, definitions });
  });

  test('a $ref under a keyword it does not cut (patternProperties) still resolves when the definitions are not in the schema', () => {
    const definitions = { A: { type: 'object', patternProperties: { '^p': { $ref: '#/definitions/B' } } }, B: { type: 'string' } };
    const resolve = (ref: string) => (definitions as Record<string, unknown>)[ref.slice(DEFINITION_REF.length)];
    compare({ $ref: '#/definitions/A' }, [{ p1: 1 }], { resolve, definitions });
  });

  test('no vendored schema puts a default under oneOf/anyOf/not, where ajv itself defaults inconsistently', () => {
    // ajv skips defaults inside anyOf/oneOf/not except in a $ref it compiles apart, which an inlined copy
    // is not: the one case where a cut schema could default differently (see specializeSchema). It stays
    // out of reach while no vendored schema has such a default; this fails if one ever does.
    const defaultsUnderJunctor = (node: unknown, under: boolean): boolean => {
      if (Array.isArray(node)) return node.some((n) => defaultsUnderJunctor(n, under));
      if (!isRecord(node)) return false;
      if (under && 'default' in node) return true;
      return Object.entries(node).some(([key, value]) => key !== 'default' && key !== 'enum' && defaultsUnderJunctor(value, under || ['oneOf', 'anyOf', 'not'].includes(key)));
    };
    const crds = path.join(ROOT, 'schemas', 'crds');
    const crdFiles = fs.readdirSync(crds).flatMap((group) => fs.readdirSync(path.join(crds, group)).map((file) => path.join(crds, group, file)));
    expect(crdFiles.length).toBeGreaterThan(5);
    for (const file of crdFiles) {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
      for (const version of doc.spec.versions) expect([file, defaultsUnderJunctor(version.schema?.openAPIV3Schema, false)]).toEqual([file, false]);
    }
    const k8s = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'k8s', 'v1.28.0-definitions.json'), 'utf8'));
    expect(defaultsUnderJunctor(k8s, false)).toBe(false);
  });

  test('a recursive definition whose recursive property has a default is cut in finite time', () => {
    const definitions = { N: { type: 'object', properties: { v: { type: 'integer' }, child: { $ref: '#/definitions/N', default: {} } } } };
    const resolve = (ref: string) => (definitions as Record<string, unknown>)[ref.slice(DEFINITION_REF.length)];
    compare({ $ref: '#/definitions/N' }, [{ v: 'x' }, { child: { child: { v: 1.5 } } }], { resolve, definitions });
  });

  test('cuts the schema of a map, additionalProperties, to the merged shape of its values', () => {
    const schema = {
      type: 'object',
      properties: { known: { type: 'string' } },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { x: { type: 'integer' }, y: { type: 'string' }, w: { type: 'boolean' } },
      },
    };
    const obj = { known: 's', m1: { x: 1 }, m2: { y: 2 } };
    expect((specializeSchema(schema, shapeOf(obj)) as Json).additionalProperties.properties).toEqual({ x: { type: 'integer' }, y: { type: 'string' } });
    expect(compare(schema, [obj, { m1: { x: 'a', q: 1 }, m2: 3 }, { known: 1 }])).toEqual([
      ['/m2/y type must be string {"type":"string"}'],
      [
        '/m1 additionalProperties must NOT have additional properties {"additionalProperty":"q"}',
        '/m1/x type must be integer {"type":"integer"}',
        '/m2 type must be object {"type":"object"}',
      ],
      ['/known type must be string {"type":"string"}'],
    ]);
    // a boolean additionalProperties stays as it is
    expect(specializeSchema({ additionalProperties: false }, shapeOf({ a: 1 }))).toEqual({ additionalProperties: false });
  });

  test('leaves items out where the value is not a list, keeps them where it is one (empty too)', () => {
    const schema = { type: 'object', properties: { l: { type: 'array', minItems: 1, items: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } } } };
    expect((specializeSchema(schema, shapeOf({ l: 'str' })) as Json).properties.l).toEqual({ type: 'array', minItems: 1 });
    expect((specializeSchema(schema, shapeOf({ l: [] })) as Json).properties.l.items).toEqual({ type: 'object', properties: {}, required: ['a'] });
    expect(compare(schema, [{ l: 'str' }, { l: [] }, { l: [{}, { a: 1 }, 'x'] }, { l: { 0: {} } }])).toEqual([
      ['/l type must be array {"type":"array"}'],
      ['/l minItems must NOT have fewer than 1 items {"limit":1}'],
      [
        '/l/0 required must have required property \'a\' {"missingProperty":"a"}',
        '/l/1/a type must be string {"type":"string"}',
        '/l/2 type must be object {"type":"object"}',
      ],
      ['/l type must be array {"type":"array"}'],
    ]);
  });

  test('cuts the branches of allOf, anyOf, oneOf and not to the same shape as the node', () => {
    const branch = (name: string, type: string) => ({ type: 'object', properties: { [name]: { type }, other: { type: 'string' } }, required: [name] });
    const schema = {
      type: 'object',
      allOf: [branch('a', 'string')],
      anyOf: [branch('b', 'integer'), branch('c', 'integer')],
      oneOf: [branch('d', 'boolean'), { properties: { d: { type: 'boolean' } }, additionalProperties: false }],
      not: { properties: { e: { const: 'forbidden' } }, required: ['e'] },
    };
    const obj = { a: 'x', b: 1, d: true };
    const cutSchema = specializeSchema(schema, shapeOf(obj)) as Json;
    expect(cutSchema.allOf[0].properties).toEqual({ a: { type: 'string' } });
    expect(cutSchema.anyOf.map((b: Json) => Object.keys(b.properties))).toEqual([['b'], []]);
    expect(cutSchema.oneOf[1].properties).toEqual({ d: { type: 'boolean' } });
    expect(cutSchema.not.properties).toEqual({});
    const required = (name: string) => ` required must have required property '${name}' {"missingProperty":"${name}"}`;
    const additional = (name: string) => ` additionalProperties must NOT have additional properties {"additionalProperty":"${name}"}`;
    const anyOf = ' anyOf must match a schema in anyOf {}';
    expect(compare(schema, [obj, { a: 'x', c: 2, d: true, e: 'forbidden' }, { a: 1, b: 'x', c: 'y', d: 'z' }, {}, { d: true }])).toEqual([
      [],
      [' not must NOT be valid {}'],
      [
        additional('a'),
        additional('b'),
        additional('c'),
        anyOf,
        ' oneOf must match exactly one schema in oneOf {"passingSchemas":null}',
        '/a type must be string {"type":"string"}',
        '/b type must be integer {"type":"integer"}',
        '/c type must be integer {"type":"integer"}',
        '/d type must be boolean {"type":"boolean"}',
      ],
      [anyOf, required('a'), required('b'), required('c')],
      // both oneOf branches pass
      [anyOf, ' oneOf must match exactly one schema in oneOf {"passingSchemas":[0,1]}', required('a'), required('b'), required('c')],
    ]);
  });
});

/* ---------- 4: the per-shape cache of the real entry points ---------- */

describe('the validators of the entry points, one per kind and shape', () => {
  test('crdSchemaErrors: two SecretStores of different shapes, one valid, one broken deep in a field only it has', () => {
    const valid = example('SecretStore');
    const other = example('SecretStore');
    other.spec.provider = { vault: { server: 'https://vault.example.com', auth: { kubernetes: { mountPath: 'kubernetes', role: 7, serviceAccountRef: { name: 'sa' } } } } };
    const before = crdSchemaErrors(valid);
    const broken = crdSchemaErrors(other);
    const after = crdSchemaErrors(valid);
    expect(before).toEqual([]);
    expect(after).toEqual([]);
    expect(broken).toEqual([expect.stringMatching(/^SecretStore \S+: \/spec\/provider\/vault\/auth\/kubernetes\/role must be string$/)]);
    // the same shape with a valid value passes: the validator of that shape is right both ways
    other.spec.provider.vault.auth.kubernetes.role = 'reader';
    expect(crdSchemaErrors(other)).toEqual([]);
    // and the first shape broken is caught by the first shape's validator
    valid.spec.provider.azurekv.authType = 'Nope';
    expect(crdSchemaErrors(valid)).toEqual([expect.stringMatching(/\/spec\/provider\/azurekv\/authType must be one of /)]);
  });

  test('crdSchemaErrors: a field added to a list element changes the shape, and its error is found', () => {
    const plainOne = example('ExternalSecret');
    const deeper = example('ExternalSecret');
    deeper.spec.data[0].remoteRef.decodingStrategy = 'Rot13';
    expect(crdSchemaErrors(plainOne)).toEqual([]);
    expect(crdSchemaErrors(deeper)).toEqual([expect.stringMatching(/\/spec\/data\/0\/remoteRef\/decodingStrategy must be one of /)]);
    expect(crdSchemaErrors(plainOne)).toEqual([]);
  });

  test('crdSchemaErrors: a field set to undefined (in an object built in code) is absent, and defaulted, as ajv sees it', () => {
    const release = example('HelmRelease');
    expect(crdSchemaErrors(release)).toEqual([]);
    // ajv takes undefined for absent and fills in status' default, {observedGeneration: -1}: valid by the whole schema
    const built = { ...release, status: undefined };
    const subject = subjects.get('HelmRelease (defaults)')!;
    expect(outcome(subject.whole(), built).errors).toEqual([]);
    expect(crdSchemaErrors(built)).toEqual([]);
  });

  test('crdSchemaErrors leaves the object as it was, whether its schema brings defaults or not', () => {
    // HelmRelease's and ExternalSecret's schemas bring defaults: validated on a copy. Cut to the example's
    // shapes, ClusterImageSet's and AzureClusterIdentity's bring none: validated as they are.
    for (const kind of ['HelmRelease', 'ExternalSecret', 'ClusterImageSet', 'AzureClusterIdentity']) {
      const obj = example(kind);
      const before = structuredClone(obj);
      expect(crdSchemaErrors(obj)).toEqual([]);
      expect(obj).toStrictEqual(before);
    }
  });

  test('kubernetesSchemaErrors: two Deployments of different shapes, one valid, one broken deep in a field only it has', () => {
    const valid = example('Deployment');
    const other = example('Deployment');
    other.spec.template.spec.containers[0].livenessProbe = { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'X', value: 5 }] } };
    expect(kubernetesSchemaErrors(valid)).toEqual([]);
    expect(kubernetesSchemaErrors(other)).toEqual([
      expect.stringMatching(/^Deployment \S+: \/spec\/template\/spec\/containers\/0\/livenessProbe\/httpGet\/httpHeaders\/0\/value must be string$/),
    ]);
    expect(kubernetesSchemaErrors(valid)).toEqual([]);
    other.spec.template.spec.containers[0].livenessProbe.httpGet.httpHeaders[0].value = '5';
    expect(kubernetesSchemaErrors(other)).toEqual([]);
  });

  test('kubernetesSchemaErrors: ServiceAccount and Secret with extra fields of the wrong type', () => {
    const sa = example('ServiceAccount');
    expect(kubernetesSchemaErrors(sa)).toEqual([]);
    const withSecrets = example('ServiceAccount');
    withSecrets.secrets = [{ name: 'a' }, { name: 'b', uid: 3 }];
    expect(kubernetesSchemaErrors(withSecrets)).toEqual([expect.stringMatching(/\/secrets\/1\/uid must be string$/)]);
    const secret = example('Secret');
    const typed = example('Secret');
    typed.immutable = 'yes';
    expect(kubernetesSchemaErrors(secret)).toEqual([]);
    expect(kubernetesSchemaErrors(typed)).toEqual([expect.stringMatching(/\/immutable must be boolean$/)]);
    expect(kubernetesSchemaErrors(secret)).toEqual([]);
  });
});
