import type Ajv from 'ajv';
import type { Options } from 'ajv';

/**
 * How check's schema validators (kubernetes-schema, crd-schema) have ajv generate their code: without its
 * optimizing passes (ajv lib/compile/codegen/index.ts, `optimize`), which drop empty blocks and inline names
 * used once, the same checks either way. A check compiles a validator per kind and shape and runs each a
 * few thousand times at most: the passes, and the JIT compiling them, cost more (about 55 of 145 ms of CPU
 * for the example's validators) than the shorter code saves.
 */
export const UNOPTIMIZED_CODE = { optimize: false } as const;

/**
 * A new ajv. The package is loaded when check first compiles a schema, not before: the validators compiled
 * ahead of time (schema-validators.ts) need none of it, and loading it took 20 ms.
 */
export function newAjv(options: Options): Ajv {
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  return new AjvClass(options);
}
