/** The fleet file's JSON Schema, and its errors said as fleet issues: field, what is wrong, the fix. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { closestName } from '../core/edit-distance';
import { EXCERPT_CHARS, excerpt } from '../core/excerpt';
import { FleetIssue, SourcePath } from './issues';
import generatedValidator from './fleet-validator.generated';

/** ajv's standalone code, which sets `errors` on itself as any validator does. */
const validateFleet = generatedValidator as unknown as ValidateFunction;

/** The errors of a fleet document against the schema: its validator is compiled ahead of time (scripts/generate-fleet-validator.js). */
export function validateFleetDocument(doc: unknown): ErrorObject[] {
  return validateFleet(doc) ? [] : [...(validateFleet.errors ?? [])];
}

/** Schema problems reported for one fleet; a file with more (a generated or alias-expanded one) gets a count of the rest. */
const MAX_SCHEMA_ISSUES = 50;

/** The section of the fleet file whose entries are referred to by name, and what the builder calls them. */
const NAMED_SECTIONS: Readonly<Record<string, string>> = { resourceGroups: 'resource group', identities: 'identity', keyVaults: 'key vault', clusters: 'cluster' };

/**
 * A copy of the document with every list entry (a mapping) that holds a schema error left out as a hole,
 * so the indexes of the others, and so their places in the file, stay as they are; the names of the
 * entries left out, as the builder keys them. Undefined when an error lies outside every such entry.
 */
export function withoutInvalidEntries(doc: object, errors: readonly ErrorObject[]): { doc: object; unbuilt: string[] } | undefined {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const unbuilt: string[] = [];
  const holes: Array<{ list: unknown[]; index: number }> = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const at = toPath(e.instancePath);
    let entry: { list: unknown[]; index: number; path: Array<string | number> } | undefined;
    let node: unknown = copy;
    for (let i = 0; i < at.length; i++) {
      const key = at[i];
      const parent = node;
      node = Array.isArray(parent) && typeof key === 'number' ? parent[key] : isMapping(parent) ? parent[key] : undefined;
      if (Array.isArray(parent) && typeof key === 'number' && isMapping(node)) entry = { list: parent, index: key, path: at.slice(0, i + 1) };
    }
    if (!entry) return undefined;
    holes.push(entry);
    const item = entry.list[entry.index];
    const section = entry.path.length === 2 ? NAMED_SECTIONS[String(entry.path[0])] : undefined;
    if (section && isMapping(item) && typeof item.name === 'string') unbuilt.push(`${section} ${item.name}`);
  }
  for (const { list, index } of holes) delete list[index];
  return { doc: copy, unbuilt };
}

/** The document with the holes of left-out entries closed, for validating what remains. */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.flatMap((v, i) => (i in value ? [compact(v)] : []));
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toPath(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Turns ajv's errors into one issue per field, worded for the person who wrote the file. */
export function schemaIssues(errors: ErrorObject[]): FleetIssue[] {
  const issues = new Map<string, FleetIssue>();
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const at = toPath(e.instancePath);
    let source: SourcePath = at;
    let message: string;
    let fix: string;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = String(p.additionalProperty);
        // a key too long to print stays out of the path: the message quotes its start
        source = field.length <= EXCERPT_CHARS ? [...at, field] : at;
        const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
        const near = closestName(field, allowed);
        message = `unknown field ${excerpt(field)}`;
        fix = near ? `did you mean "${near}"?` : `remove it; allowed here: ${allowed.join(', ')}`;
        break;
      }
      case 'required':
        source = at;
        message = `missing required field "${String(p.missingProperty)}"`;
        fix = `add ${String(p.missingProperty)}: (see docs/fleet-file.md, "Reference")`;
        break;
      case 'enum':
      case 'const': {
        const allowed = (p.allowedValues as unknown[] | undefined) ?? [p.allowedValue];
        message = `value ${excerpt(valueAt(e))} is not allowed`;
        fix = `use one of: ${allowed.map((v) => String(v)).join(', ')}`;
        break;
      }
      case 'type':
        message = `must be ${aOrAn(String(p.type).replace(',', ' or '))}`;
        fix = `write ${aOrAn(String(p.type).replace(',', ' or '))} here`;
        break;
      case 'pattern':
      case 'minLength':
      case 'maxLength': {
        const rule = (e.parentSchema as { description?: string } | undefined)?.description;
        message = `value ${excerpt(valueAt(e))} is not allowed here`;
        fix = rule ?? 'see docs/fleet-file.md, "Reference", for this field';
        break;
      }
      default:
        message = e.message ?? 'is not valid';
        fix = 'see docs/fleet-file.md, "Reference", for this field';
    }
    const key = `${source.join('/')}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (issues.size < MAX_SCHEMA_ISSUES) issues.set(key, { source, message, fix });
  }
  const shown = [...issues.values()];
  const unshown = seen.size - shown.length;
  if (unshown > 0) shown.push({ source: [], message: `and ${unshown} more problem(s) of the fleet's shape, not shown`, fix: 'correct the problems above and run again to see the rest' });
  return shown;
}

function valueAt(e: ErrorObject): unknown {
  return (e as ErrorObject & { data?: unknown }).data;
}

function aOrAn(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Maps the document onto constructs; name references become construct references. */
