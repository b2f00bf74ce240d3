/**
 * Synth as users run it, in real processes: the same input gives the same bytes wherever it
 * runs from, a failed synth leaves the previous OUT as it was, and a folder wisynth did not
 * write is never replaced.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ROOT, assertLibIsCurrent, copyExampleInputs, readTree } from './support';

const BIN = path.join(ROOT, 'bin', 'wisynth.js');
const EXAMPLE = path.join(ROOT, 'examples', 'fleet.yaml');

/** The environment without variables that would move parts of OUT elsewhere. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CDKTF_OUTDIR: _tf, CDK8S_OUTDIR: _k8s, ...env } = process.env;
  return { ...env, ...extra };
}

function wisynth(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8' });
}

let work: string;
let cwdA: string;
let cwdB: string;
/** The example synthesized once, from cwdA with TZ=UTC and LANG=C: the first side of the comparison below, and the previous OUT of the failed synths. */
let outA: string;
let synthA: ReturnType<typeof wisynth>;

beforeAll(() => {
  assertLibIsCurrent();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-determinism-'));
  cwdA = fs.mkdtempSync(path.join(work, 'cwd-a-'));
  cwdB = fs.mkdtempSync(path.join(work, 'cwd-b-'));
  outA = path.join(cwdA, 'out');
  synthA = wisynth(cwdA, ['synth', '-c', EXAMPLE, '-o', outA], { TZ: 'UTC', LANG: 'C' });
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('two synths from different working directories, time zones and locales write byte-identical trees', () => {
  const outB = path.join(cwdB, 'out');
  const a = synthA;
  const b = wisynth(cwdB, ['synth', '-c', EXAMPLE, '-o', outB], { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', CDK8S_DISABLE_SORT: '1' });
  expect(a).toMatchObject({ status: 0, stderr: '' });
  expect(b).toMatchObject({ status: 0, stderr: '' });

  const treeA = readTree(outA);
  const treeB = readTree(outB);
  expect(treeA.size).toBeGreaterThan(5);
  expect([...treeB.keys()]).toEqual([...treeA.keys()]);
  for (const [file, bytes] of treeA) {
    expect({ file, text: treeB.get(file)?.toString('utf8') }).toEqual({ file, text: bytes.toString('utf8') });
  }
});

describe('a failed synth leaves the previous OUT byte-identical', () => {
  let out: string;
  let good: Map<string, Buffer>;

  beforeAll(() => {
    // A copy of the example's OUT (synthesized once, above) as the previous OUT: the failed synths must leave it as it is.
    expect(synthA.status).toBe(0);
    out = path.join(cwdA, 'kept');
    fs.cpSync(outA, out, { recursive: true });
    good = readTree(out);
    expect(good.size).toBeGreaterThan(5);
  });

  /** The example with one thing wrong, as a fleet file beside it. */
  function badFleet(name: string, text: string): string {
    const file = path.join(cwdA, `${name}.yaml`);
    fs.writeFileSync(file, text);
    copyExampleInputs(cwdA);
    return file;
  }

  const example = (): Record<string, any> => yaml.load(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, any>;

  test.each<[string, string, () => string]>([
    ['YAML that does not parse', 'not valid YAML', () => `${fs.readFileSync(EXAMPLE, 'utf8')}\n  - : [unclosed\n`],
    [
      'a workload naming an undeclared identity',
      'identity "id-nobody" is not declared',
      () => {
        const doc = example();
        doc.clusters[0].workloads[1].identity = 'id-nobody';
        return yaml.dump(doc);
      },
    ],
    [
      'an identity with more FICs than Entra allows (found while planning)',
      'Entra allows 20',
      () => {
        const doc = example();
        doc.clusters[0].workloads = Array.from({ length: 21 }, (_, i) => ({ namespace: `team-${i}`, serviceAccount: 'api', identity: 'id-reports' }));
        return yaml.dump(doc);
      },
    ],
  ])('%s', (name, reason, text) => {
    const file = badFleet(name.replace(/\W+/g, '-'), text());
    const result = wisynth(cwdA, ['synth', '-c', file, '-o', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('nothing was written');
    expect(readTree(out)).toEqual(good);
    // nor is a staging folder or an old copy left beside it
    expect(fs.readdirSync(cwdA).filter((e) => e.startsWith('.kept') || e.startsWith('kept.'))).toEqual([]);
  });
});

test('-o naming a non-empty folder wisynth did not write (no summary.json) is refused, the folder untouched', () => {
  const mine = path.join(cwdB, 'my-project');
  fs.mkdirSync(path.join(mine, 'src'), { recursive: true });
  fs.writeFileSync(path.join(mine, 'README.md'), '# mine\n');
  fs.writeFileSync(path.join(mine, 'src', 'main.ts'), 'export {};\n');
  const before = readTree(mine);

  const result = wisynth(cwdB, ['synth', '-c', EXAMPLE, '-o', 'my-project']);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/my-project: OUT is not empty .*wisynth did not write it/);
  expect(readTree(mine)).toEqual(before);
  expect(fs.readdirSync(cwdB).filter((e) => e.includes('my-project')).sort()).toEqual(['my-project']);
});
