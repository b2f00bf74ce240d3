/**
 * How check's schema validators (kubernetes-schema, crd-schema) have ajv generate their code: without its
 * optimizing passes (ajv lib/compile/codegen/index.ts, `optimize`), which drop empty blocks and inline names
 * used once, the same checks either way. A check compiles a validator per kind and shape and runs each a
 * few thousand times at most: the passes, and the JIT compiling them, cost more (about 55 of 145 ms of CPU
 * for the example's validators) than the shorter code saves.
 */
export const UNOPTIMIZED_CODE = { optimize: false } as const;
