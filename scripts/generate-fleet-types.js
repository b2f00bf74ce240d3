#!/usr/bin/env node
/*
 * Writes src/model/fleet-document.generated.ts, the TypeScript types of a fleet file, from
 * schemas/fleet.schema.json with json-schema-to-typescript, so that the types cannot drift from the
 * schema ajv validates against.
 *
 *   node scripts/generate-fleet-types.js            (npm run generate:types)
 *   const { generateFleetTypes } = require('./scripts/generate-fleet-types');
 *   const text = await generateFleetTypes();        // what the file must hold, byte for byte
 *
 * The output depends on the schema, the options below and the locked versions of
 * json-schema-to-typescript and prettier only: no timestamps, no paths of this machine, no
 * prettier configuration file is read. test/fleet-document-types.test.ts regenerates it and fails
 * when the committed file differs.
 *
 * json-schema-to-typescript ignores `if`/`then`/`else`, and the schema picks the shape of a cluster
 * (by `platform`), of a Terraform backend (by `type`) and of the Hive secrets (by `mode`) with them.
 * So the generator is given a type view of the schema (`typeView`), never written anywhere: each
 * such set of conditionals becomes a `oneOf` of one variant per value of the discriminating
 * property, the base schema merged with the branch that applies. Only that one form of conditional
 * is rewritten; any other `if` in the schema stops the generator with an error rather than be typed
 * wrongly. ajv keeps validating against the schema file itself.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { compile } = require('json-schema-to-typescript');

// The prettier json-schema-to-typescript depends on, in its standalone build: the same formatting
// as the generator's own `format: true`, but without the dynamic import() that jest's module
// sandbox refuses, so the test can regenerate the file in-process. No configuration file is read.
const fromGenerator = { paths: [path.dirname(require.resolve('json-schema-to-typescript'))] };
const prettier = require(require.resolve('prettier/standalone', fromGenerator));
const PRETTIER_PLUGINS = [require(require.resolve('prettier/plugins/typescript', fromGenerator)), require(require.resolve('prettier/plugins/estree', fromGenerator))];

const ROOT = path.join(__dirname, '..');
const SCHEMA_PATH = path.join(ROOT, 'schemas', 'fleet.schema.json');
const OUTPUT_PATH = path.join(ROOT, 'src', 'model', 'fleet-document.generated.ts');

const BANNER = [
  '/**',
  ' * GENERATED from schemas/fleet.schema.json by scripts/generate-fleet-types.js: do not edit by hand.',
  ' * Change the schema, then run `npm run generate:types`; test/fleet-document-types.test.ts fails',
  ' * while this file and the schema disagree. The names the code uses are in fleet-document.ts.',
  ' */',
].join('\n');

/** Fixed, so the file is the same on every machine. */
const OPTIONS = Object.freeze({
  bannerComment: BANNER,
  // JSON Schema's own default: an object without `additionalProperties: false` is open
  additionalProperties: true,
  declareExternallyReferenced: true,
  unreachableDefinitions: false,
  // `minItems: 1` stays a rule of the schema; the types stay plain arrays
  ignoreMinAndMaxItems: true,
  strictIndexSignatures: false,
  unknownAny: true,
  enableConstEnums: true,
  inferStringEnumKeysFromValues: false,
  // formatted below, with STYLE
  format: false,
});

/** Prettier's options, fixed here: prettier/standalone reads no .prettierrc or .editorconfig. */
const STYLE = Object.freeze({
  parser: 'typescript',
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: true,
  quoteProps: 'as-needed',
  trailingComma: 'all',
  bracketSpacing: true,
  arrowParens: 'always',
  endOfLine: 'lf',
});

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];
const SCHEMAS = ['items', 'additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'not'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const BRANCH_KEYS = new Set(['title', 'description', 'additionalProperties', 'required', 'properties']);

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(at, message) {
  throw new Error(`${at || '#'}: ${message} (scripts/generate-fleet-types.js rewrites only if/then/else on one property's const)`);
}

/** `{ property, value }` of an `if` of the form `{ properties: { P: { const: V } }, required?: [P] }`. */
function discriminant(cond, at) {
  const keys = Object.keys(cond);
  const props = isObject(cond.properties) ? Object.keys(cond.properties) : [];
  const ok =
    keys.every((k) => k === 'properties' || k === 'required') &&
    props.length === 1 &&
    isObject(cond.properties[props[0]]) &&
    Object.keys(cond.properties[props[0]]).join() === 'const' &&
    (cond.required === undefined || (cond.required.length === 1 && cond.required[0] === props[0]));
  if (!ok) fail(`${at}/if`, 'an `if` this generator cannot type');
  return { property: props[0], value: cond.properties[props[0]].const };
}

/** The conditionals of a node: its own if/then/else, or an allOf made only of if/then(/else). */
function conditionalsOf(node, at) {
  if ('if' in node) {
    if (node.allOf) fail(at, '`if` beside `allOf`');
    return { list: [{ if: node.if, then: node.then, else: node.else, at }], rest: ['if', 'then', 'else'] };
  }
  if (Array.isArray(node.allOf) && node.allOf.some((s) => isObject(s) && 'if' in s)) {
    node.allOf.forEach((s, i) => {
      if (!isObject(s) || !Object.keys(s).every((k) => k === 'if' || k === 'then' || k === 'else')) fail(`${at}/allOf/${i}`, 'an allOf that mixes conditionals with other schemas');
    });
    return { list: node.allOf.map((s, i) => ({ ...s, at: `${at}/allOf/${i}` })), rest: ['allOf'] };
  }
  return undefined;
}

/** One variant: the base object with the branch that applies to `value` merged in. */
function variant(base, property, value, branch, at) {
  const baseProps = base.properties || {};
  const b = branch || {};
  Object.keys(b).forEach((k) => BRANCH_KEYS.has(k) || fail(at, `a branch with "${k}"`));
  const closed = b.additionalProperties === false || (b.additionalProperties === undefined && base.additionalProperties === false);
  const names = [...Object.keys(b.properties || {})];
  if (!closed) for (const name of Object.keys(baseProps)) if (!names.includes(name)) names.push(name);
  if (!names.includes(property)) names.unshift(property);
  const properties = {};
  for (const name of names) {
    const own = b.properties && b.properties[name];
    const inherited = baseProps[name];
    if (name === property) {
      if (own !== undefined && own !== true && !(isObject(own) && own.const === value && Object.keys(own).join() === 'const')) fail(at, `the branch gives "${name}" a schema of its own`);
      const { enum: _enum, const: _const, type: _type, ...annotations } = isObject(inherited) ? inherited : {};
      properties[name] = { ...annotations, const: value };
    } else if (own === undefined || own === true) {
      properties[name] = inherited === undefined ? true : inherited;
    } else if (inherited !== undefined && inherited !== true) {
      fail(at, `"${name}" has a schema in both the base and the branch`);
    } else {
      properties[name] = own;
    }
  }
  const required = [...new Set([...(base.required || []), ...(b.required || [])])].filter((n) => n in properties);
  const out = {};
  if (b.title !== undefined) out.title = b.title;
  if (b.description !== undefined) out.description = b.description;
  out.type = 'object';
  out.additionalProperties = closed ? false : b.additionalProperties !== undefined ? b.additionalProperties : base.additionalProperties !== undefined ? base.additionalProperties : true;
  out.required = required;
  out.properties = properties;
  return out;
}

/**
 * The schema as json-schema-to-typescript should see it: conditionals on a discriminating property
 * turned into a `oneOf` of variants (see the header). Returns a new schema; the argument is not changed.
 */
function typeView(schema, at = '#') {
  if (Array.isArray(schema)) return schema.map((s, i) => typeView(s, `${at}/${i}`));
  if (!isObject(schema)) return schema;
  let node = schema;
  if (typeof node.$ref === 'string' && Object.keys(node).some((k) => k !== '$ref')) {
    // `$ref` beside annotations: said the way the rest of the schema says it, so the generator names
    // the referenced type once instead of declaring a copy (SelfManaged1) for the annotated use
    const { $ref, ...siblings } = node;
    if (!Object.keys(siblings).every((k) => k === 'description' || k === 'title')) fail(at, '`$ref` beside keywords other than annotations');
    node = { ...siblings, allOf: [{ $ref }] };
  }
  const conds = conditionalsOf(node, at);
  if (conds) {
    const found = conds.list.map((c) => ({ ...c, ...discriminant(c.if, c.at) }));
    const property = found[0].property;
    if (found.some((c) => c.property !== property)) fail(at, 'conditionals on more than one property');
    const values = node.properties && node.properties[property] && node.properties[property].enum;
    if (!Array.isArray(values)) fail(at, `"${property}" is not an enum of the base schema`);
    const base = { ...node };
    for (const k of conds.rest) delete base[k];
    const variants = values.map((value) => {
      const branches = found.flatMap((c) => (c.value === value ? (c.then ? [c.then] : []) : c.else ? [c.else] : []));
      if (branches.length > 1) fail(at, `more than one branch applies to ${property}: ${JSON.stringify(value)}`);
      return variant(base, property, value, branches[0], `${at}[${property}=${JSON.stringify(value)}]`);
    });
    node = {};
    for (const k of ['title', 'description', '$schema', '$id', 'definitions', '$defs']) if (base[k] !== undefined) node[k] = base[k];
    node.oneOf = variants;
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'if' || key === 'then' || key === 'else') fail(at, 'an `if` left over');
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, typeView(sub, `${at}/${key}/${name}`)]));
    } else if (SCHEMAS.includes(key) || SCHEMA_LISTS.includes(key)) {
      out[key] = typeView(value, `${at}/${key}`);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The text of src/model/fleet-document.generated.ts for a schema (default: the schema file). */
async function generateFleetTypes(schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'))) {
  const code = await compile(typeView(structuredClone(schema)), 'FleetDocument', { ...OPTIONS, cwd: path.dirname(SCHEMA_PATH) });
  return prettier.format(code, { ...STYLE, plugins: PRETTIER_PLUGINS });
}

async function main() {
  const text = await generateFleetTypes();
  const relative = path.relative(ROOT, OUTPUT_PATH);
  const before = fs.existsSync(OUTPUT_PATH) ? fs.readFileSync(OUTPUT_PATH, 'utf8') : undefined;
  if (before === text) {
    console.log(`${relative} is up to date`);
    return;
  }
  fs.writeFileSync(OUTPUT_PATH, text);
  console.log(`wrote ${relative}`);
}

module.exports = { generateFleetTypes, typeView, SCHEMA_PATH, OUTPUT_PATH, OPTIONS, STYLE };

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
