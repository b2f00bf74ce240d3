/**
 * The whole output of the embedded example, file by file, as `npm run synth` writes it to dist/.
 * A change here is a change users see: review the diff, then update with `npx jest -u`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFleetFile, synthesizeFleet } from '../src/index';

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'fleet.yaml');

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-snapshot-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every file below a folder: relative `/` path to text, in sorted order. */
function readTree(root: string): Record<string, string> {
  const files: Array<[string, string]> = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.push([rel, fs.readFileSync(path.join(root, rel), 'utf8')]);
    }
  };
  walk('');
  return Object.fromEntries(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

test('the example fleet synthesizes to the reviewed output', () => {
  // The repository's layout, examples/fleet.yaml beside dist/, so that the relative state path is
  // the one `npm run synth` writes, on any machine.
  const fleetFile = path.join(work, 'examples', 'fleet.yaml');
  fs.mkdirSync(path.dirname(fleetFile));
  fs.copyFileSync(EXAMPLE, fleetFile);
  const out = path.join(work, 'dist');
  synthesizeFleet(loadFleetFile(fleetFile), { outDir: out });
  expect(readTree(out)).toMatchSnapshot();
});
