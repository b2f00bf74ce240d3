#!/usr/bin/env node
/*
 * Writes src/model/fleet-validator.generated.ts, the fleet file's validator compiled ahead of time from
 * schemas/fleet.schema.json with ajv's standalone code generation (https://ajv.js.org/standalone.html):
 * compiling the schema when a run starts took 0.12 s of every synth, loading the compiled code takes
 * under 0.01 s. The options below are the only ones the validator is made with.
 *
 *   node scripts/generate-fleet-validator.js        (part of npm run generate:types)
 *   const { generateFleetValidator } = require('./scripts/generate-fleet-validator');
 *   const text = generateFleetValidator();           // what the file must hold, byte for byte
 *
 * The output depends on the schema and the locked version of ajv only. test/fleet-validator.test.ts
 * regenerates it and fails when the committed file differs, and compares its errors with those of the
 * schema compiled at run time.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const ROOT = path.join(__dirname, '..');
const SCHEMA_PATH = path.join(ROOT, 'schemas', 'fleet.schema.json');
const OUTPUT_PATH = path.join(ROOT, 'src', 'model', 'fleet-validator.generated.ts');

/** Every error, not the first; the schema's own keywords only where ajv knows them; each error with its schema and data. */
const AJV_OPTIONS = Object.freeze({ allErrors: true, strict: false, verbose: true });

const BANNER = [
  '/**',
  ' * GENERATED from schemas/fleet.schema.json by scripts/generate-fleet-validator.js (ajv standalone): do not',
  ' * edit by hand. Change the schema, then run `npm run generate:types`; test/fleet-validator.test.ts fails',
  ' * while this file and the schema disagree.',
  ' */',
  '// @ts-nocheck',
].join('\n');

/** The text of src/model/fleet-validator.generated.ts for a schema (default: the schema file). */
function generateFleetValidator(schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'))) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  return `${BANNER}\n${standaloneCode(ajv, ajv.compile(schema))}\n`;
}

function main() {
  const text = generateFleetValidator();
  const relative = path.relative(ROOT, OUTPUT_PATH);
  if (fs.existsSync(OUTPUT_PATH) && fs.readFileSync(OUTPUT_PATH, 'utf8') === text) {
    console.log(`${relative} is up to date`);
    return;
  }
  fs.writeFileSync(OUTPUT_PATH, text);
  console.log(`wrote ${relative}`);
}

module.exports = { generateFleetValidator, AJV_OPTIONS, SCHEMA_PATH, OUTPUT_PATH };

if (require.main === module) main();
