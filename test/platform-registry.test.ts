/**
 * One list of platforms: every platform folder of src/platforms is registered in PLATFORMS, and the fleet
 * schema's `platform` values are exactly the registered names, each with its own branch of the schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PLATFORMS } from '../src/platforms';
import { ROOT } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const schema: Json = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'fleet.schema.json'), 'utf8'));
const cluster = schema.properties.clusters.items;

test('each folder of src/platforms is a registered platform, under its own name', () => {
  const folders = fs
    .readdirSync(path.join(ROOT, 'src', 'platforms'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  expect([...PLATFORMS.keys()].sort()).toEqual(folders);
  for (const [name, platform] of PLATFORMS) expect(platform.name).toBe(name);
});

test("the schema's platforms are the registered ones, and each has its branch of the schema", () => {
  expect([...cluster.properties.platform.enum].sort()).toEqual([...PLATFORMS.keys()].sort());
  const branches = cluster.allOf.map((b: Json) => b.if.properties.platform.const).sort();
  expect(branches).toEqual([...PLATFORMS.keys()].sort());
});
