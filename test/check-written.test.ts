/**
 * synth hands its check the texts it has just written, so that they are not read back: a file of the same
 * path and size is taken from memory, anything else (another size, a file synth did not write) from disk,
 * and the folders are walked and checked all the same.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readArtifacts } from '../src/check/artifacts';
import { synthesizeFleet } from '../src/index';
import { parseFleet } from '../src/platforms';
import { ROOT } from './support';

let out: string;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-check-written-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  out = path.join(dir, 'out');
  synthesizeFleet(parseFleet(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8'), dir), { outDir: out, check: false });
});
afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

const FILE = 'kubernetes/aks-prod/kustomization.yaml';
const textOf = (written?: ReadonlyMap<string, string>) => readArtifacts(out, { texts: written }).files.find((f) => f.path === FILE)?.text;

test('a written text of the same size stands for the file; one of another size does not', () => {
  const onDisk = fs.readFileSync(path.join(out, ...FILE.split('/')), 'utf8');
  const sameSize = onDisk.replace(/resources:/, 'resourcez:');
  expect(textOf(new Map([[FILE, sameSize]]))).toBe(sameSize);
  expect(textOf(new Map([[FILE, `${onDisk}# more\n`]]))).toBe(onDisk);
  expect(textOf()).toBe(onDisk);
});

test('a file synth did not write is still read from disk', () => {
  fs.writeFileSync(path.join(out, 'kubernetes', 'aks-prod', 'stray.yaml'), 'kind: ConfigMap\n');
  const artifacts = readArtifacts(out, { texts: new Map([[FILE, 'x']]) });
  expect(artifacts.files.map((f) => f.path)).toContain('kubernetes/aks-prod/stray.yaml');
  fs.rmSync(path.join(out, 'kubernetes', 'aks-prod', 'stray.yaml'));
});
