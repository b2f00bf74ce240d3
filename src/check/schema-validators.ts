import * as crypto from 'crypto';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';

/** The two ajvs check compiles schemas with: the Kubernetes core API's (coreAjv) and the CRDs' (crdAjv). */
export type SchemaFlavor = 'core' | 'crd';

/** The version of ajv installed, which made the validators compiled ahead of time. */
const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;

/** Each flavor's generated module, loaded when a validator of that flavor is first looked for. */
const GENERATED: Record<SchemaFlavor, () => object> = {
  core: () => require('./core-validators.generated') as object,
  crd: () => require('./crd-validators.generated') as object,
};
const loaded = new Map<SchemaFlavor, Readonly<Record<string, ValidateFunction | undefined>>>();

function generated(flavor: SchemaFlavor): Readonly<Record<string, ValidateFunction | undefined>> {
  let validators = loaded.get(flavor);
  if (!validators) loaded.set(flavor, (validators = GENERATED[flavor]() as Record<string, ValidateFunction | undefined>));
  return validators;
}

/**
 * The name a validator compiled ahead of time has in its flavor's generated module: a hash of the flavor, the
 * ajv version and the schema (as `JSON.stringify` writes it). So a generated validator is only ever taken for
 * the very schema it was compiled from, by the same ajv; a schema changed in any way misses and is compiled.
 */
export function precompiledName(flavor: SchemaFlavor, schema: Record<string, unknown>): string {
  return `v${crypto.createHash('sha256').update(`${flavor}\n${AJV_VERSION}\n${JSON.stringify(schema)}`).digest('hex')}`;
}

/** The validator of a schema compiled ahead of time (scripts/generate-schema-validators.js), if it is one of those. */
export function precompiledValidator(flavor: SchemaFlavor, schema: Record<string, unknown>): ValidateFunction | undefined {
  return generated(flavor)[precompiledName(flavor, schema)];
}

/**
 * The validator of a schema that check's ajv of `flavor` would compile: the one compiled ahead of time when
 * there is one, else compiled now. Compiling the schemas of a synth's objects was a fixed cost of every check
 * (about 60 ms, ajv's compiler running cold); the schemas of the objects synth writes for the example and the
 * synthetic fleets are compiled ahead of time, any other when it is met.
 */
export function schemaValidator(flavor: SchemaFlavor, ajv: () => Ajv, schema: Record<string, unknown>): ValidateFunction {
  return precompiledValidator(flavor, schema) ?? ajv().compile(schema);
}
