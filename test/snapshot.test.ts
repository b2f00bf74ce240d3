/**
 * The whole output of the embedded example, file by file, as `npm run synth` writes it to dist/.
 * A change here is a change users see: review the diff, then update with `npx jest -u`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFleetFile, synthesizeFleet } from '../src/index';
import { copyExampleInputs, readTree } from './support';

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'fleet.yaml');

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-snapshot-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('the example fleet synthesizes to the reviewed output', () => {
  // The repository's layout, examples/fleet.yaml beside dist/, so that the relative state path is
  // the one `npm run synth` writes, on any machine.
  const fleetFile = path.join(work, 'examples', 'fleet.yaml');
  fs.mkdirSync(path.dirname(fleetFile));
  fs.copyFileSync(EXAMPLE, fleetFile);
  copyExampleInputs(path.dirname(fleetFile));
  const out = path.join(work, 'dist');
  synthesizeFleet(loadFleetFile(fleetFile), { outDir: out });
  expect(Object.fromEntries([...readTree(out)].map(([file, bytes]) => [file, bytes.toString('utf8')]))).toMatchSnapshot();
});
