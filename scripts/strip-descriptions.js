#!/usr/bin/env node
/*
 * Removes the `description` annotations from a JSON Schema file (Kubernetes OpenAPI
 * definitions) or from the schemas of a CustomResourceDefinition YAML file, to keep
 * vendored copies small.
 *
 *   node scripts/strip-descriptions.js INPUT.json OUTPUT.json
 *   node scripts/strip-descriptions.js [--served-only] INPUT.yaml OUTPUT.yaml
 *   node scripts/strip-descriptions.js [--served-only] INPUT.yaml OUTPUT.json
 *
 * A CRD written as JSON (how schemas/crds vendors them: check parses JSON many times faster than
 * YAML at every run) is its file's one document, indented by two spaces, keys in the order read.
 *
 * Only schema annotations go: a property that happens to be named "description"
 * (a key of a `properties` map) stays, and so does data such as `enum`, `default`
 * or `x-kubernetes-*` values. In a CRD only each version's `schema.openAPIV3Schema`
 * is touched; every other field of every document is written back as read. With
 * `--served-only` a CRD keeps only the versions it serves (`served: true`): the API server
 * refuses objects of the others, so they only add size and would make `cdk8s import`
 * generate classes nobody can apply.
 */
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');

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

/** A CRD document with the schema of each version stripped; any other document unchanged. */
function stripCrd(doc, { servedOnly = false } = {}) {
  if (!isObject(doc) || doc.kind !== 'CustomResourceDefinition' || !isObject(doc.spec)) return doc;
  const spec = { ...doc.spec };
  if (Array.isArray(spec.versions)) {
    const kept = servedOnly ? spec.versions.filter((version) => isObject(version) && version.served === true) : spec.versions;
    spec.versions = kept.map((version) =>
      isObject(version) && isObject(version.schema) && isObject(version.schema.openAPIV3Schema)
        ? { ...version, schema: { ...version.schema, openAPIV3Schema: stripSchema(version.schema.openAPIV3Schema) } }
        : version,
    );
  }
  // apiextensions.k8s.io/v1beta1 kept one schema for all versions here
  if (isObject(spec.validation) && isObject(spec.validation.openAPIV3Schema)) {
    spec.validation = { ...spec.validation, openAPIV3Schema: stripSchema(spec.validation.openAPIV3Schema) };
  }
  return { ...doc, spec };
}

/** The stripped text of a YAML file of CRDs: each document in js-yaml's block style, `---` between them. */
function stripCrdYaml(text, options) {
  const docs = yaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
  return docs.map((doc) => yaml.dump(stripCrd(doc, options), { noRefs: true, lineWidth: -1 })).join('---\n');
}

/** The stripped text of a YAML file of one CRD, as JSON. */
function stripCrdJson(text, options) {
  const docs = yaml.loadAll(text).filter((doc) => doc !== null && doc !== undefined);
  if (docs.length !== 1) throw new Error(`a CRD written as JSON is one document, not ${docs.length}`);
  return `${JSON.stringify(stripCrd(docs[0], options), null, 2)}\n`;
}

function main(argv) {
  const servedOnly = argv[0] === '--served-only';
  const files = servedOnly ? argv.slice(1) : argv;
  const yamlInput = files.length === 2 && /\.ya?ml$/i.test(files[0]);
  if (files.length !== 2 || (servedOnly && !yamlInput)) {
    process.stderr.write('usage: node scripts/strip-descriptions.js INPUT.json OUTPUT.json\n');
    process.stderr.write('       node scripts/strip-descriptions.js [--served-only] INPUT.yaml OUTPUT.yaml|OUTPUT.json\n');
    return 2;
  }
  const [input, output] = files;
  const text = fs.readFileSync(input, 'utf8');
  if (yamlInput) {
    fs.writeFileSync(output, /\.json$/i.test(output) ? stripCrdJson(text, { servedOnly }) : stripCrdYaml(text, { servedOnly }));
  } else {
    fs.writeFileSync(output, JSON.stringify(stripSchema(JSON.parse(text)), null, 2) + '\n');
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { stripSchema, stripCrd, stripCrdYaml, stripCrdJson };
