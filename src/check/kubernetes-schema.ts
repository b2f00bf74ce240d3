import type Ajv from 'ajv';
import type { CodeOptions, ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { isRecord, objectLabel } from '../core/objects';
import { shapeKeyOf, shapeOf, specializeSchema } from './schema-shape';
import { PROJECT_ROOT } from '../core/project-root';
import { newAjv, UNOPTIMIZED_CODE } from './ajv-code';
import { schemaValidator } from './schema-validators';

/** The vendored core API schema (see schemas/SOURCES.md). */
const DEFINITIONS_FILE = path.join(PROJECT_ROOT, 'schemas', 'k8s', 'v1.28.0-definitions.json');
/** How the definitions refer to each other. */
const DEFINITION_REF = '#/definitions/';

/** Kubernetes' OpenAPI extensions in the definitions: annotations for ajv, they validate nothing. */
const KUBERNETES_KEYWORDS = [
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-unions',
];

interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

interface Definitions {
  readonly definitions: Record<string, { readonly 'x-kubernetes-group-version-kind'?: readonly GroupVersionKind[] }>;
}

/** Loaded on first use: reading and compiling the schema costs time a CLI run may not need. */
class CoreSchemas {
  private ajv?: Ajv;
  /** `group/version/kind` to definition name. */
  private readonly definitionOf = new Map<string, string>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly definitions: Definitions['definitions'];

  constructor() {
    const definitions = JSON.parse(fs.readFileSync(DEFINITIONS_FILE, 'utf8')) as Definitions;
    for (const [name, definition] of Object.entries(definitions.definitions)) {
      for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
        const key = gvkKey(gvk);
        if (!this.definitionOf.has(key)) this.definitionOf.set(key, name);
      }
    }
    this.definitions = definitions.definitions;
  }

  /** The validator of a group/version/kind for objects of this shape, or undefined when the schema has none. */
  validator(gvk: GroupVersionKind, obj: unknown): ValidateFunction | undefined {
    const name = this.definitionOf.get(gvkKey(gvk));
    if (name === undefined) return undefined;
    const key = `${name}|${shapeKeyOf(obj)}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = schemaValidator('core', () => (this.ajv ??= coreAjv()), this.schema(name, obj));
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** The schema an object is validated against: its kind's definition cut to its shape (see specializeSchema). */
  schemaOf(gvk: GroupVersionKind, obj: unknown): Record<string, unknown> | undefined {
    const name = this.definitionOf.get(gvkKey(gvk));
    return name === undefined ? undefined : this.schema(name, obj);
  }

  private schema(name: string, obj: unknown): Record<string, unknown> {
    const resolve = (ref: string) => this.definitions[ref.slice(DEFINITION_REF.length)];
    return specializeSchema({ $ref: `${DEFINITION_REF}${name}` }, shapeOf(obj), resolve) as Record<string, unknown>;
  }
}

/** The ajv that the core schema compiles with (`code`: how it generates code; scripts/generate-schema-validators.js asks for source). */
export function coreAjv(code: CodeOptions = UNOPTIMIZED_CODE): Ajv {
  // `int32`, `int-or-string` and the like are OpenAPI formats ajv does not know; types are checked all the same.
  // The definitions are held to the JSON Schema meta-schema by a test (kubernetes-schema.test.ts), not at every compile.
  const ajv = newAjv({ allErrors: true, verbose: true, validateSchema: false, validateFormats: false, strictTypes: false, strictTuples: false, code });
  ajv.addVocabulary(KUBERNETES_KEYWORDS);
  return ajv;
}

let schemas: CoreSchemas | undefined;

/**
 * What is wrong with a Kubernetes object by the core API schema of Kubernetes 1.28, one
 * message per fault, e.g. `Deployment orders/verify: /spec/template/spec/containers/0/image must be string`.
 * Empty when the object is valid. Unknown fields pass, as the schema allows them; a kind the
 * schema does not define (a custom resource) gives one message saying so. One rule of the API
 * server that the schema leaves out is checked too: every container names an image.
 */
export function kubernetesSchemaErrors(obj: unknown): string[] {
  if (!isRecord(obj)) return ['object: must be a mapping with apiVersion, kind and metadata'];
  const label = objectLabel(obj);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [`${label}: apiVersion and kind must be strings`];
  }
  schemas ??= new CoreSchemas();
  const validate = schemas.validator(gvkOf(apiVersion, kind), obj);
  if (!validate) return [`${label}: no schema is known for apiVersion ${apiVersion}, kind ${kind}`];
  const schemaFaults = validate(obj) ? [] : readableErrors(validate.errors ?? []);
  return [...new Set([...schemaFaults, ...containersWithoutImage(obj)].map((message) => `${label}: ${message}`))];
}

/** The schema kubernetesSchemaErrors validates an object of a built-in kind against; undefined when the core API defines no such kind. */
export function coreSchemaOf(obj: Record<string, unknown> & { readonly apiVersion: string; readonly kind: string }): Record<string, unknown> | undefined {
  schemas ??= new CoreSchemas();
  return schemas.schemaOf(gvkOf(obj.apiVersion, obj.kind), obj);
}

function gvkOf(apiVersion: string, kind: string): GroupVersionKind {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return { group, version, kind };
}

/** Lists of a pod spec whose containers must each name an image. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * The schema marks a container's `image` optional (for tools that fill it in later), but the API server
 * refuses a pod or pod template without one (validateContainerCommon): caught here, wherever the pod spec sits.
 */
function containersWithoutImage(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => containersWithoutImage(item, `${at}/${i}`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const here = `${at}/${key}`;
    if (!CONTAINER_LISTS.includes(key) || !Array.isArray(inner)) return containersWithoutImage(inner, here);
    return inner.flatMap((container, i) =>
      isRecord(container) && (container.image === undefined || container.image === '') ? [`${here}/${i} must have required property 'image'`] : [],
    );
  });
}

function readableErrors(errors: readonly ErrorObject[]): string[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  // a failed `oneOf` (IntOrString, Quantity) reports each branch too; one line says it all
  const branchOfOneOf = (e: ErrorObject) =>
    oneOfs.some((o) => o !== e && o.instancePath === e.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`));
  return errors.filter((e) => !branchOfOneOf(e)).map((e) => `${e.instancePath || '/'} ${errorMessage(e)}`);
}

function errorMessage(error: ErrorObject): string {
  if (error.keyword === 'oneOf' && Array.isArray(error.schema)) {
    const types = (error.schema as unknown[]).map((branch) => (isRecord(branch) ? branch.type : undefined));
    if (types.every((t) => typeof t === 'string')) return `must be ${types.join(' or ')}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? `fails ${error.keyword}`;
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}
