import { byCodePoint } from '../core/compare';
import { isRecord } from '../core/objects';

/**
 * Which fields an object has, down to its leaves, with the elements of each list (and the values of
 * each map) merged: the part of a schema that validating the object can reach depends on nothing else.
 */
export interface Shape {
  readonly fields?: ReadonlyMap<string, Shape>;
  readonly items?: Shape;
}

export function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return value.length === 0 ? { items: {} } : { items: value.map(shapeOf).reduce(mergeShapes) };
  // ajv treats a field set to undefined (possible in objects built in code) as absent
  if (isRecord(value)) return { fields: new Map(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, shapeOf(v)] as const]))) };
  return {};
}

function mergeShapes(a: Shape, b: Shape): Shape {
  const fields = a.fields || b.fields ? new Map(a.fields) : undefined;
  for (const [k, v] of b.fields ?? []) fields!.set(k, fields!.has(k) ? mergeShapes(fields!.get(k)!, v) : v);
  const items = a.items && b.items ? mergeShapes(a.items, b.items) : (a.items ?? b.items);
  return { ...(fields ? { fields } : {}), ...(items ? { items } : {}) };
}

/** A stable string per shape: objects of one shape share one compiled validator. */
export function shapeKey(shape: Shape): string {
  const fields = shape.fields ? `{${[...shape.fields].sort(([a], [b]) => byCodePoint(a, b)).map(([k, v]) => `${JSON.stringify(k)}:${shapeKey(v)}`).join(',')}}` : '';
  return `${fields}${shape.items ? `[${shapeKey(shape.items)}]` : ''}`;
}

/**
 * `shapeKey(shapeOf(value))`, without making the shape of each mapping on the way: only a list's, whose
 * elements merge. A validator is looked up per object by it, and the shape made only to compile one.
 */
export function shapeKeyOf(value: unknown): string {
  if (Array.isArray(value)) return shapeKey(shapeOf(value));
  if (!isRecord(value)) return '';
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort(byCodePoint);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${shapeKeyOf(value[k])}`).join(',')}}`;
}

/**
 * The schema cut down to what an object of this shape reaches: `properties` it has (and those that
 * bring a default, which the validator would fill in), `items` and `additionalProperties` for the
 * elements it has, `$ref`s inlined where reached. Validating the object against it gives the same
 * errors, at the same paths, as against the whole schema, while compiling a fraction of it: the
 * vendored CRDs run to thousands of nodes (SecretStore: forty providers) of which an object uses a few.
 * A `$ref` under a keyword that is not cut (`patternProperties`, `if`, ...) or one re-entered with the
 * same shape (recursion) stays a reference, and the definitions it needs go along as `definitions`.
 * One difference remains, in ajv rather than here: ajv skips defaults under `oneOf`/`anyOf`/`not`
 * except in a `$ref` it compiles apart, which an inlined copy is not; no vendored schema puts a
 * default there.
 */
export function specializeSchema(schema: unknown, shape: Shape, resolveRef: (ref: string) => unknown = unresolvable): unknown {
  const specializer = new Specializer(resolveRef);
  const out = specializer.specialize(schema, shape);
  const definitions = specializer.definitionsOfKeptRefs(out);
  return definitions && isRecord(out) ? { ...out, definitions } : out;
}

const DEFINITION_REF = '#/definitions/';

class Specializer {
  /** `$ref|shape` being inlined on the current path: met again, it is recursion. */
  private readonly inlining = new Set<string>();

  constructor(private readonly resolveRef: (ref: string) => unknown) {}

  specialize(schema: unknown, shape: Shape): unknown {
    if (Array.isArray(schema)) return schema.map((branch) => this.specialize(branch, shape));
    if (!isRecord(schema)) return schema;
    if (typeof schema.$ref === 'string') return this.reference(schema, shape);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      switch (key) {
        case 'properties':
          if (isRecord(value)) out.properties = this.reachedProperties(value, shape);
          break;
        case 'items':
          if (shape.items) out.items = this.specialize(value, shape.items);
          break;
        case 'additionalProperties':
          out.additionalProperties = isRecord(value) ? this.specialize(value, valuesOf(shape)) : value;
          break;
        case 'allOf':
        case 'anyOf':
        case 'oneOf':
        case 'not':
          out[key] = this.specialize(value, shape);
          break;
        default:
          out[key] = value;
      }
    }
    return out;
  }

  /** The definitions that references kept in `schema` need, transitively; undefined when there are none. */
  definitionsOfKeptRefs(schema: unknown): Record<string, unknown> | undefined {
    const definitions: Record<string, unknown> = {};
    const pending = refsIn(schema);
    while (pending.length > 0) {
      const ref = pending.pop()!;
      if (!ref.startsWith(DEFINITION_REF)) throw new Error(`schema reference ${ref} is not to #/definitions/`);
      const name = ref.slice(DEFINITION_REF.length);
      if (name in definitions) continue;
      definitions[name] = this.resolveRef(ref);
      pending.push(...refsIn(definitions[name]));
    }
    return Object.keys(definitions).length > 0 ? definitions : undefined;
  }

  private reference(schema: Record<string, unknown>, shape: Shape): unknown {
    const { $ref, ...siblings } = schema as Record<string, unknown> & { $ref: string };
    const key = `${$ref}|${shapeKey(shape)}`;
    if (this.inlining.has(key)) return schema;
    this.inlining.add(key);
    const target = this.specialize(this.resolveRef($ref), shape);
    this.inlining.delete(key);
    if (Object.keys(siblings).length === 0) return target;
    const rest = this.specialize(siblings, shape) as Record<string, unknown>;
    return { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), target] };
  }

  private reachedProperties(properties: Record<string, unknown>, shape: Shape): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(properties)) {
      const field = shape.fields?.get(name);
      if (field) out[name] = this.specialize(sub, field);
      else if (isRecord(sub) && 'default' in sub) out[name] = this.specialize(sub, shapeOf(sub.default));
    }
    return out;
  }
}

/** `$ref` values anywhere in a schema. */
function refsIn(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(refsIn);
  if (!isRecord(schema)) return [];
  return Object.entries(schema).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

/** The merged shape of a map's values. */
function valuesOf(shape: Shape): Shape {
  const values = [...(shape.fields?.values() ?? [])];
  return values.length === 0 ? {} : values.reduce(mergeShapes);
}

function unresolvable(ref: string): never {
  throw new Error(`schema reference ${ref} cannot be resolved here`);
}
