/**
 * src/model/fleet-document.generated.ts is generated from schemas/fleet.schema.json by
 * scripts/generate-fleet-types.js: regenerated here with the script's own function, it must be the
 * committed file byte for byte, so the types of a fleet file cannot drift from the schema ajv checks.
 */
import * as fs from 'fs';

// prettier's Node entry starts a dynamic import() as it loads, which jest's module sandbox refuses
// (the process dies of it). json-schema-to-typescript loads it even though the script turns its
// formatting off and formats with prettier/standalone itself; so here it gets that build instead.
jest.mock('prettier', () => jest.requireActual('prettier/standalone'));

// A script, not a module of src/: required, with its shape stated here.
const generator = require('../scripts/generate-fleet-types') as {
  generateFleetTypes(schema?: object): Promise<string>;
  typeView(schema: object): object;
  SCHEMA_PATH: string;
  OUTPUT_PATH: string;
};

const FIX = 'src/model/fleet-document.generated.ts is not what schemas/fleet.schema.json generates: run `npm run generate:types` and commit the result';

/** The first line where two texts differ, for the failure message. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  committed: ${JSON.stringify(a[i] ?? '(end of file)')}\n  generated: ${JSON.stringify(b[i] ?? '(end of file)')}`;
  }
  return 'no line differs (line endings or encoding?)';
}

function expectIdentical(committed: string, generated: string): void {
  if (committed !== generated) throw new Error(`${FIX}\nfirst difference at ${firstDifference(committed, generated)}`);
}

describe('fleet document types', () => {
  const schema = JSON.parse(fs.readFileSync(generator.SCHEMA_PATH, 'utf8')) as Record<string, any>;

  test('the committed file is what the schema generates, byte for byte', async () => {
    expect(fs.existsSync(generator.OUTPUT_PATH)).toBe(true);
    const committed = fs.readFileSync(generator.OUTPUT_PATH, 'utf8');
    expectIdentical(committed, await generator.generateFleetTypes());
  });

  test('the comparison sees a change of the schema (it is not vacuous)', async () => {
    const committed = fs.readFileSync(generator.OUTPUT_PATH, 'utf8');
    const changed = structuredClone(schema);
    changed.properties.keyVaults.items.properties.purgeProtection = { type: 'boolean' };
    const generated = await generator.generateFleetTypes(changed);
    expect(generated).toContain('purgeProtection?: boolean;');
    expect(() => expectIdentical(committed, generated)).toThrow(/run `npm run generate:types`/);
  });

  test('the file says it is generated, and from what', () => {
    const head = fs.readFileSync(generator.OUTPUT_PATH, 'utf8').split('\n').slice(0, 5).join('\n');
    expect(head).toContain('GENERATED from schemas/fleet.schema.json by scripts/generate-fleet-types.js');
    expect(head).toContain('do not edit by hand');
  });

  test('the type view leaves the schema itself as it was', () => {
    const before = JSON.stringify(schema);
    generator.typeView(schema);
    expect(JSON.stringify(schema)).toBe(before);
  });

  test('a conditional the type view cannot type stops the generator', async () => {
    const changed = structuredClone(schema);
    changed.properties.azure.if = { properties: { cloud: { enum: ['china'] } } };
    changed.properties.azure.then = { required: ['cloud'] };
    await expect(generator.generateFleetTypes(changed)).rejects.toThrow(/#\/properties\/azure\/if/);
  });
});
