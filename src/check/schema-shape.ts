import { isRecord } from './objects';

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
  if (isRecord(value)) return { fields: new Map(Object.entries(value).map(([k, v]) => [k, shapeOf(v)])) };
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
  const fields = shape.fields ? `{${[...shape.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${shapeKey(v)}`).join(',')}}` : '';
  return `${fields}${shape.items ? `[${shapeKey(shape.items)}]` : ''}`;
}

/**
 * The schema cut down to what an object of this shape reaches: `properties` it has (and those that
 * bring a default, which the validator would fill in), `items` and `additionalProperties` for the
 * elements it has, `$ref`s inlined where reached. Validating the object against it gives the same
 * errors, at the same paths, as against the whole schema, while compiling a fraction of it: the
 * vendored CRDs run to thousands of nodes (SecretStore: forty providers) of which an object uses a few.
 */
export function specializeSchema(schema: unknown, shape: Shape, resolveRef: (ref: string) => unknown = unresolvable): unknown {
  if (Array.isArray(schema)) return schema.map((branch) => specializeSchema(branch, shape, resolveRef));
  if (!isRecord(schema)) return schema;
  if (typeof schema.$ref === 'string') {
    const { $ref, ...siblings } = schema;
    const target = specializeSchema(resolveRef($ref), shape, resolveRef);
    return Object.keys(siblings).length === 0 ? target : { ...(specializeSchema(siblings, shape, resolveRef) as object), allOf: [target] };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'properties':
        if (isRecord(value)) out.properties = reachedProperties(value, shape, resolveRef);
        break;
      case 'items':
        if (shape.items) out.items = specializeSchema(value, shape.items, resolveRef);
        break;
      case 'additionalProperties':
        out.additionalProperties = isRecord(value) ? specializeSchema(value, valuesOf(shape), resolveRef) : value;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
      case 'not':
        out[key] = specializeSchema(value, shape, resolveRef);
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

function reachedProperties(properties: Record<string, unknown>, shape: Shape, resolveRef: (ref: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(properties)) {
    const field = shape.fields?.get(name);
    if (field) out[name] = specializeSchema(sub, field, resolveRef);
    else if (isRecord(sub) && 'default' in sub) out[name] = specializeSchema(sub, shapeOf(sub.default), resolveRef);
  }
  return out;
}

/** The merged shape of a map's values. */
function valuesOf(shape: Shape): Shape {
  const values = [...(shape.fields?.values() ?? [])];
  return values.length === 0 ? {} : values.reduce(mergeShapes);
}

function unresolvable(ref: string): never {
  throw new Error(`schema reference ${ref} cannot be resolved here`);
}
