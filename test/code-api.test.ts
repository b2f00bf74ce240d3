/**
 * The constructs say what the YAML says: examples/fleet.ts builds the same fleet as
 * examples/fleet.yaml, so both synthesize to the same bytes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExampleFleet } from '../examples/fleet';
import { loadFleetFile, synthesizeFleet } from '../src/index';
import { readTree } from './support';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');

let work: string;
let fromYaml: Map<string, Buffer>;
let fromCode: Map<string, Buffer>;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-code-api-'));
  // Both OUT folders sit at the same depth, so the relative state path (to examples/) is the same.
  synthesizeFleet(loadFleetFile(path.join(EXAMPLES, 'fleet.yaml')), { outDir: path.join(work, 'yaml') });
  synthesizeFleet(buildExampleFleet(EXAMPLES), { outDir: path.join(work, 'code') });
  fromYaml = readTree(path.join(work, 'yaml'));
  fromCode = readTree(path.join(work, 'code'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('the example writes Terraform, both cluster folders and the summary', () => {
  expect([...fromYaml.keys()]).toEqual(
    expect.arrayContaining([
      'summary.json',
      'terraform/manifest.json',
      'terraform/stacks/contoso/cdk.tf.json',
      'kubernetes/aks-prod/kustomization.yaml',
      'kubernetes/aks-legacy/kustomization.yaml',
    ]),
  );
});

test('the code-built fleet writes the same files as the YAML fleet', () => {
  expect([...fromCode.keys()]).toEqual([...fromYaml.keys()]);
});

test('every file the code-built fleet writes is byte-identical to the YAML fleet\'s', () => {
  for (const [file, bytes] of fromYaml) {
    const other = fromCode.get(file);
    // as text first, for a readable diff; then the bytes themselves
    expect({ file, text: other?.toString('utf8') }).toEqual({ file, text: bytes.toString('utf8') });
    expect(other !== undefined && other.equals(bytes)).toBe(true);
  }
});
