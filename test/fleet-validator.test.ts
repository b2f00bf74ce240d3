/**
 * src/model/fleet-validator.generated.ts is the fleet schema compiled ahead of time by
 * scripts/generate-fleet-validator.js: it must be what the script generates from the schema, byte for
 * byte, and it must judge a document as the schema compiled at run time with the same options does.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as yaml from 'js-yaml';
import { validateFleetDocument } from '../src/model/fleet-schema';
import { ROOT } from './support';

// A script, not a module of src/: required, with its shape stated here.
const generator = require('../scripts/generate-fleet-validator') as {
  generateFleetValidator(schema?: object): string;
  AJV_OPTIONS: object;
  SCHEMA_PATH: string;
  OUTPUT_PATH: string;
};

test('the committed validator is what the schema generates, byte for byte', () => {
  const committed = fs.readFileSync(generator.OUTPUT_PATH, 'utf8');
  if (committed !== generator.generateFleetValidator()) {
    throw new Error('src/model/fleet-validator.generated.ts is not what schemas/fleet.schema.json generates: run `npm run generate:types` and commit the result');
  }
});

test('it finds the errors the schema compiled at run time finds, in the same order', () => {
  const compiled = new Ajv(generator.AJV_OPTIONS).compile(JSON.parse(fs.readFileSync(generator.SCHEMA_PATH, 'utf8')));
  const example = yaml.load(fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8')) as any;
  const edits: Array<[string, (doc: any) => void]> = [
    ['the example as it is', () => undefined],
    ['a required field missing', (d) => delete d.azure.tenantId],
    ['a value of the wrong type', (d) => (d.clusters[0].workloads = 'all')],
    ['an unknown platform', (d) => (d.clusters[0].platform = 'eks')],
    ['a field the schema does not have', (d) => (d.clusters[1].colour = 'blue')],
    ['a value outside its enum', (d) => ((d.terraform ??= {}).stackLayout = 'sideways')],
    ['a wrong backend type', (d) => (d.terraform = { backend: { type: 's3' } })],
    ['errors in several entries', (d) => d.clusters.forEach((c: any) => (c.name = 42))],
  ];
  for (const [what, edit] of edits) {
    const doc = structuredClone(example);
    edit(doc);
    const atRunTime = compiled(doc) ? [] : compiled.errors;
    expect({ what, errors: validateFleetDocument(doc) }).toEqual({ what, errors: atRunTime });
    if (what !== 'the example as it is') expect({ what, found: atRunTime!.length > 0 }).toEqual({ what, found: true });
  }
});
