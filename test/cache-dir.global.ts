/**
 * The CLIs the tests start as processes keep their synth cache in a folder of the test run, never in the
 * user's ~/.cache: set here (jest's globalSetup) before any worker starts, removed at the end (globalTeardown).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function setup(): void {
  process.env.WISYNTH_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-test-cache-'));
}

export function teardown(): void {
  if (process.env.WISYNTH_CACHE_DIR) fs.rmSync(process.env.WISYNTH_CACHE_DIR, { recursive: true, force: true });
}
