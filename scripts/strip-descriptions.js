#!/usr/bin/env node
/*
 * Removes the `description` annotations from a JSON Schema file (Kubernetes OpenAPI
 * definitions, CRD schemas) to keep vendored copies small.
 *
 *   node scripts/strip-descriptions.js INPUT.json OUTPUT.json
 *
 * Only schema annotations go: a property that happens to be named "description"
 * (a key of a `properties` map) stays, and so does data such as `enum`, `default`
 * or `x-kubernetes-*` values.
 */
'use strict';
const fs = require('fs');

/** Keywords whose value is a map from names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
/** Keywords whose value is one schema. */
const SCHEMAS = new Set([
  'items', 'additionalItems', 'additionalProperties', 'propertyNames', 'contains',
  'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties',
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stripSchema(schema) {
  if (Array.isArray(schema)) return schema.map(stripSchema); // `items` as a tuple
  if (!isObject(schema)) return schema; // boolean schemas
  const result = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      result[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripSchema(sub)]));
    } else if (key === 'dependencies' && isObject(value)) {
      // draft-07: each value is a schema or a list of property names
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, isObject(sub) ? stripSchema(sub) : sub]),
      );
    } else if (SCHEMAS.has(key)) {
      result[key] = stripSchema(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      result[key] = value.map(stripSchema);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: node scripts/strip-descriptions.js INPUT.json OUTPUT.json\n');
    return 2;
  }
  const [input, output] = argv;
  const schema = JSON.parse(fs.readFileSync(input, 'utf8'));
  fs.writeFileSync(output, JSON.stringify(stripSchema(schema), null, 2) + '\n');
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { stripSchema };
