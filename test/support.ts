/** Helpers shared by the tests that read a synthesized OUT back from disk. */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');

/** Every file below a folder: relative `/` path to content, in code-point order. */
export function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(root, rel)));
    }
  };
  walk('');
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Tests that run bin/wisynth.js run lib/: refuse to test a stale build. */
export function assertLibIsCurrent(): void {
  const newest = (dir: string, ext: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith(ext))
      .reduce((max, e) => Math.max(max, fs.statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs), 0);
  const lib = path.join(ROOT, 'lib');
  if (!fs.existsSync(path.join(lib, 'src', 'cli', 'main.js')) || newest(path.join(ROOT, 'src'), '.ts') > newest(lib, '.js')) {
    throw new Error('lib/ is missing or older than src/: run `npm run build` (`npm test` does it)');
  }
}

/**
 * A signing pair laid out as `wisynth keygen -o DIR` lays it out (DIR/sa.key PKCS#1 mode 0600, DIR/sa.pub
 * SPKI), but RSA 2048: where the key's size is not what a test is about, a fifth of keygen's time.
 */
export function writeKeyPair(dir: string): { readonly privateKeyPem: string; readonly publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKeyPem);
  return { privateKeyPem, publicKeyPem };
}

/** `text` with `from`, which must occur in it exactly once, replaced by `to`: an edit that cannot miss silently. */
export function editOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once in the text it edits`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Copies the example's inputs (public keys, CredentialsRequests) beside a copy of the example fleet, so its paths resolve there. */
export function copyExampleInputs(fleetDir: string): void {
  for (const dir of ['keys', 'openshift']) {
    fs.cpSync(path.join(ROOT, 'examples', dir), path.join(fleetDir, dir), { recursive: true });
  }
}

/** What a CLI run in process printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process, as `wisynth ARGV` in `cwd`, with an empty environment unless given. */
export async function runCli(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { main } = await import('../src/cli/main');
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** 1-based line where the only occurrence of `marker` in `text` starts (it may span lines). */
export function lineWhereStarts(text: string, marker: string): number {
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) throw new Error(`"${marker}" must occur exactly once`);
  return text.slice(0, at).split('\n').length;
}

/** A synth the fleet's mistake refused: exit 1, the field and what is wrong on stderr, a fix, and no OUT written. */
export function expectRefused(run: { readonly code: number; readonly stderr: string; readonly out: string }, field: string, message: string): void {
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(field);
  expect(run.stderr).toContain(message);
  expect(run.stderr).toMatch(/\n {2}fix: \S/);
  expect(fs.existsSync(run.out)).toBe(false);
}
