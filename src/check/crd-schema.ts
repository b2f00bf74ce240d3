import type Ajv from 'ajv';
import type { CodeOptions, ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { LIST_MAP_KEYS, LIST_TYPE } from './crd-keyword-judges';
import { isRecord, objectLabel } from '../core/objects';
import { shapeKeyOf, shapeOf, specializeSchema } from './schema-shape';
import { PROJECT_ROOT } from '../core/project-root';
import { newAjv, UNOPTIMIZED_CODE } from './ajv-code';
import { schemaValidator } from './schema-validators';

/** The vendored CRDs, `<group>/<file>.json`, one CRD a file (see schemas/SOURCES.md). */
const CRD_DIR = path.join(PROJECT_ROOT, 'schemas', 'crds');

const PRESERVE_UNKNOWN = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';
const EMBEDDED_RESOURCE = 'x-kubernetes-embedded-resource';

/** Keywords of CRD schemas that only annotate, or that `structural()` has already turned into JSON Schema. */
const ANNOTATIONS = ['example', 'externalDocs', PRESERVE_UNKNOWN, INT_OR_STRING, EMBEDDED_RESOURCE, LIST_MAP_KEYS, 'x-kubernetes-map-type'];

/**
 * What is wrong with a custom resource by the vendored CRD of its group, version and kind, one
 * message per fault, e.g. `HelmRelease flux-system/podinfo: /spec/chart must have required property 'spec'`.
 * Empty when the object is valid; undefined when no vendored CRD serves that kind.
 *
 * Stricter than the API server in one way, on purpose: an unknown field is an error wherever the
 * schema does not say `x-kubernetes-preserve-unknown-fields` (the API server would prune it, or
 * refuse it under strict field validation); a typo must not pass silently. Defaults are applied
 * first, as the API server does. The `x-kubernetes-validations` rules are evaluated when they stay
 * within the CEL that `./cel` knows and skipped otherwise (transition rules, `url()`, `duration()`,
 * ...); `format` is not checked.
 */
export function crdSchemaErrors(obj: unknown): string[] | undefined {
  if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  const { group, version } = splitApiVersion(obj.apiVersion);
  const compiled = crdSchemas().validator(group, version, obj.kind, obj);
  if (!compiled) return undefined;
  const { validate, defaults } = compiled;
  // the API server defaults before it validates; defaulting writes into the object, so a copy (ajv writes
  // into it for nothing else: no coercion, no removal of fields)
  const faults = validate(defaults ? structuredClone(obj) : obj) ? [] : readableErrors(validate.errors ?? []);
  const label = objectLabel(obj);
  return [...new Set(faults)].map((message) => `${label}: ${message}`);
}

/** The schema crdSchemaErrors validates a custom resource against; undefined when no vendored CRD serves its kind. */
export function crdSchemaOf(obj: Record<string, unknown> & { readonly apiVersion: string; readonly kind: string }): Record<string, unknown> | undefined {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return crdSchemas().schemaOf(group, version, obj.kind, obj);
}

/** `group/version/kind` of every version the vendored CRDs serve, sorted. */
export function vendoredCustomResourceKinds(): string[] {
  return crdSchemas().servedKinds();
}

/** The group and version of `group/version`; the core group (`v1`) is the empty string. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** A validator of one kind and shape, and whether its schema brings defaults (which validating writes in). */
interface CompiledSchema {
  readonly validate: ValidateFunction;
  readonly defaults: boolean;
}

/** The CRDs of a group are read when an object of that group is first checked, a schema compiled when its kind is. */
class CrdSchemas {
  private ajv?: Ajv;
  /** group to (`version/kind` to openAPIV3Schema of a served version). */
  private readonly groups = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly validators = new Map<string, CompiledSchema>();

  /** The validator for objects of this kind and shape. */
  validator(group: string, version: string, kind: string, obj: unknown): CompiledSchema | undefined {
    const key = `${group}/${version}/${kind}|${shapeKeyOf(obj)}`;
    let compiled = this.validators.get(key);
    if (!compiled) {
      const ready = this.schemaOf(group, version, kind, obj);
      if (ready === undefined) return undefined;
      // a property named `default` counts too: then the object is copied for nothing, never written into
      compiled = { validate: schemaValidator('crd', () => (this.ajv ??= crdAjv()), ready), defaults: JSON.stringify(ready).includes('"default":') };
      this.validators.set(key, compiled);
    }
    return compiled;
  }

  /**
   * The schema objects of this kind and shape are validated against: the CRD's cut to the shape (see
   * specializeSchema), then made structural. Cutting first makes only the part an object reaches structural,
   * not a whole CRD (SecretStore: forty providers); both orders give the same schema for the fields the object
   * has, as `structural` changes each node by what the node holds.
   */
  schemaOf(group: string, version: string, kind: string, obj: unknown): Record<string, unknown> | undefined {
    const schema = this.group(group).get(`${version}/${kind}`);
    return schema === undefined ? undefined : (structural(specializeSchema(schema, shapeOf(obj)), true) as Record<string, unknown>);
  }

  servedKinds(): string[] {
    const groups = fs.readdirSync(CRD_DIR).sort();
    return groups.flatMap((group) => [...this.group(group).keys()].map((versionKind) => `${group}/${versionKind}`)).sort();
  }

  private group(group: string): Map<string, Record<string, unknown>> {
    let schemas = this.groups.get(group);
    if (schemas) return schemas;
    schemas = new Map();
    const dir = path.join(CRD_DIR, group);
    // group names are DNS names: no path can be smuggled in through an apiVersion
    const files = /^[a-z0-9.-]+$/.test(group) && fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
    for (const file of files) {
      const doc: unknown = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      if (!isRecord(doc) || doc.kind !== 'CustomResourceDefinition' || !isRecord(doc.spec)) continue;
      const { spec } = doc;
      if (spec.group !== group || !isRecord(spec.names) || typeof spec.names.kind !== 'string') continue;
      for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
        if (isRecord(v) && v.served === true && isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema)) {
          schemas.set(`${v.name}/${spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
    this.groups.set(group, schemas);
    return schemas;
  }
}

/**
 * The ajv that CRD schemas compile with: their annotations, CEL rules and list types; defaults applied unless
 * told (`code`: how it generates code; scripts/generate-schema-validators.js asks for source).
 */
export function crdAjv(useDefaults = true, code: CodeOptions = UNOPTIMIZED_CODE): Ajv {
  const ajv = newAjv({
    allErrors: true,
    // the vendored CRDs' schemas are held to the JSON Schema meta-schema by a test (kubernetes-schema.test.ts),
    // not at every compile: compiling the meta-schema cost 30 ms of every check
    validateSchema: false,
    useDefaults,
    validateFormats: false,
    strictTypes: false,
    strictTuples: false,
    // the patterns are Go (RE2) expressions; Unicode mode would refuse some of their escapes
    unicodeRegExp: false,
    code,
  });
  ajv.addVocabulary(ANNOTATIONS);
  // their code is generated with ajv's, loaded with it
  for (const keyword of (require('./crd-keywords') as typeof import('./crd-keywords')).CRD_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

let schemas: CrdSchemas | undefined;

function crdSchemas(): CrdSchemas {
  schemas ??= new CrdSchemas();
  return schemas;
}

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties'];
/** Keywords under which a schema only adds value checks to the node it sits in (structural schemas' junctors). */
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'];

/**
 * A structural schema made ready for ajv: int-or-string typed as `integer` or `string`, sets made
 * unique, the implicit `apiVersion`/`kind`/`metadata` of embedded resources declared, and every object
 * with `properties` closed to other fields unless it preserves unknown fields. Inside `allOf`/`anyOf`/
 * `oneOf`/`not` nothing is closed: there a `properties` lists only what it constrains.
 */
export function structural(node: unknown, closable: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => structural(item, closable));
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAPS.includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, structural(sub, closable)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = structural(value, closable);
    } else if (JUNCTORS.includes(key) || key === 'not') {
      out[key] = structural(value, false);
    } else {
      out[key] = value;
    }
  }
  if (out[INT_OR_STRING] === true) {
    if (Array.isArray(out.anyOf) && out.anyOf.every((branch) => isRecord(branch) && Object.keys(branch).join() === 'type')) delete out.anyOf;
    out.type ??= ['integer', 'string'];
  }
  if (out[LIST_TYPE] === 'set') out.uniqueItems = true;
  if (out[EMBEDDED_RESOURCE] === true && isRecord(out.properties)) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (closable && isRecord(out.properties) && out[PRESERVE_UNKNOWN] !== true && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function readableErrors(errors: readonly ErrorObject[]): string[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  // a failed `anyOf`/`oneOf` reports each branch too; its own line says it
  const branchOf = (e: ErrorObject) =>
    combinators.some((c) => c !== e && c.instancePath === e.instancePath && e.schemaPath.startsWith(`${c.schemaPath}/`));
  return errors.filter((e) => !branchOf(e)).map((e) => `${errorPath(e)} ${errorMessage(e)}`);
}

/** Where the fault is: a rule's `fieldPath` (`.spec.chart`) points below the node the rule sits on. */
function errorPath(error: ErrorObject): string {
  const fieldPath = (error.params as { fieldPath?: unknown }).fieldPath;
  const below = typeof fieldPath === 'string' && /^(\.[A-Za-z0-9_-]+)+$/.test(fieldPath) ? fieldPath.replace(/\./g, '/') : '';
  return `${error.instancePath}${below}` || '/';
}

function errorMessage(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `must NOT have unknown field '${(error.params as { additionalProperty: string }).additionalProperty}'`;
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type': {
      const type = (error.params as { type: string | string[] }).type;
      return `must be ${Array.isArray(type) ? type.join(' or ') : String(type).split(',').join(' or ')}`;
    }
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}
