/**
 * The stand-in that spares the CLI loading archiver with cdktf: the CLI loads none of archiver's code, and
 * whoever uses archiver after all gets archiver itself. Run in child processes: jest's module registry is
 * not Node's module cache, which the stand-in lives in.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertLibIsCurrent, ROOT } from './support';

beforeAll(assertLibIsCurrent);

const DEFER = path.join(ROOT, 'lib', 'src', 'azure', 'defer-archiver.js');

/** Runs a script in a fresh node and returns what it printed as JSON. */
function inNode(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

/** Script text: the files of archiver's own code (not the stand-in's entry) in Node's module cache. */
const ARCHIVER_CODE_LOADED = `Object.keys(require.cache).filter((f) => /[\\\\/]archiver[\\\\/]lib[\\\\/]/.test(f)).length`;

test('the CLI loads cdktf without archiver', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-defer-'));
  try {
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, `process.on('exit', () => require('fs').writeSync(2, JSON.stringify({ cdktf: Object.keys(require.cache).some((f) => f.includes('cdktf')), archiver: ${ARCHIVER_CODE_LOADED} })));`);
    const run = spawnSync(process.execPath, ['--require', probe, path.join(ROOT, 'bin', 'wisynth.js'), '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stderr)).toEqual({ cdktf: true, archiver: 0 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('archiver as cdktf requires it is archiver at its first use', () => {
  const script = `
    require(${JSON.stringify(DEFER)}).deferArchiverLoad();
    require('cdktf');
    const before = ${ARCHIVER_CODE_LOADED};
    const file = require.resolve('archiver', { paths: [require('path').join(require.resolve('cdktf/package.json'), '..', 'lib', 'private')] });
    const archiver = require(file);
    const zip = archiver('zip', { zlib: { level: 9 } });
    console.log(JSON.stringify({ before, after: ${ARCHIVER_CODE_LOADED}, pipe: typeof zip.pipe, finalize: typeof zip.finalize, zip: archiver.isRegisteredFormat('zip'), same: require(file) === require.cache[file].exports }));`;
  const { after, ...rest } = inNode(script) as { after: number };
  expect(rest).toEqual({ before: 0, pipe: 'function', finalize: 'function', zip: true, same: true });
  expect(after).toBeGreaterThan(0);
});

test('a process that has loaded archiver keeps it', () => {
  const script = `
    const file = require.resolve('archiver', { paths: [require('path').join(require.resolve('cdktf/package.json'), '..', 'lib', 'private')] });
    const real = require(file);
    require(${JSON.stringify(DEFER)}).deferArchiverLoad();
    console.log(JSON.stringify({ kept: require(file) === real }));`;
  expect(inNode(script)).toEqual({ kept: true });
});
