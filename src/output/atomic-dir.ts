import * as fs from 'fs';
import * as path from 'path';
import { FleetError } from '../model/issues';

/**
 * Synth refuses to replace a folder (OUT, CDKTF_OUTDIR, CDK8S_OUTDIR): it holds something wisynth did not
 * write, or an input, or another synth is writing it. Nothing was written. A FleetError with one issue,
 * so the CLI prints it as `error: <path>: <problem>` plus `fix: <fix>` and exits 1.
 */
export class ReplaceRefused extends FleetError {
  constructor(
    /** The folder (or file) at fault, absolute. */
    public readonly path: string,
    /** What is wrong with it. */
    public readonly problem: string,
    /** What the user can do. */
    public readonly fix: string,
  ) {
    super([{ file: path, message: problem, fix }]);
    this.name = 'ReplaceRefused';
  }
}

/*
 * Beside each folder `<dir>` that synth replaces, it uses three names of its own (the README lists them;
 * replace-in-place.ts uses two more):
 *   .<dir>.lock            the lock (out-lock.ts)
 *   .<dir>.staging-XXXXXX  the new content while it is written
 *   .<dir>.old-<pid>       the previous content, between the two renames that replace it
 * Hidden names, so that a user's `dist.old-1` backup is never mistaken for a leftover. Anything under
 * these names is a leftover of an interrupted synth once the lock is ours: `recoverLeftovers` cleans it.
 */
export const STAGING = '.staging-';
const OLD = '.old-';

/** `.<base>` of a folder, the prefix of the names synth uses beside it. */
export function hiddenPrefix(dir: string): string {
  return path.join(path.dirname(dir), `.${path.basename(dir)}`);
}

/**
 * Makes a sibling staging folder for `dest`, on the same file system so the final move is a rename.
 * Returns its path; the caller fills it and then calls `replaceDir` or `discardStaging`.
 */
export function makeStaging(dest: string): string {
  const resolved = path.resolve(dest);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  return fs.mkdtempSync(`${hiddenPrefix(resolved)}${STAGING}`);
}

/**
 * Removes a folder synth made (a staging folder, a previous OUT) as `rm -rf` does: by the types its listing
 * gives, one call per entry, where fs.rmSync also stats each (a third of the time for OUT's 20,000 entries).
 * Anything unusual (a file in its place, a permission, a busy entry) is left to fs.rmSync.
 */
export function discardStaging(staging: string): void {
  try {
    removeTree(staging);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function removeTree(dir: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const entry of entries) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) removeTree(entryPath);
    else fs.unlinkSync(entryPath);
  }
  fs.rmdirSync(dir);
}

/**
 * Puts `source` in place of `dest` by two renames. Returns where the previous `dest` went (undefined when
 * there was none): the caller removes it with `discardStaging` once everything is in place. A kill between
 * the renames leaves `dest` missing and the previous one complete under `.<dest>.old-<pid>`, which the next
 * synth renames back (`recoverLeftovers`); POSIX has no atomic swap of two non-empty folders.
 */
export function replaceDir(source: string, dest: string): string | undefined {
  const old = fs.existsSync(dest) ? `${hiddenPrefix(dest)}${OLD}${process.pid}` : undefined;
  if (old) {
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(dest, old);
  }
  try {
    fs.renameSync(source, dest);
  } catch (e) {
    if (old) fs.renameSync(old, dest);
    throw e;
  }
  return old;
}

/**
 * Cleans up after an interrupted synth; call it holding the lock of `dest`, so no live synth owns them.
 * If `dest` is missing and a previous version waits under `.<dest>.old-*`, it is renamed back: after any
 * interruption `dest` is again the complete old or the complete new folder. Every other staging and old
 * folder beside `dest` is removed; `beforeRemove` sees each old one first (its summary lists files that
 * redirected parts may still hold). Returns the leftovers it found, for messages and tests.
 */
export function recoverLeftovers(dest: string, beforeRemove?: (old: string) => void): string[] {
  const parent = path.dirname(dest);
  const prefix = `.${path.basename(dest)}`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const staging = names.filter((n) => n.startsWith(`${prefix}${STAGING}`));
  const olds = names
    .filter((n) => n.startsWith(`${prefix}${OLD}`) && /^\d+$/.test(n.slice(prefix.length + OLD.length)))
    .map((n) => path.join(parent, n))
    .filter((p) => fs.lstatSync(p).isDirectory());
  if (!fs.existsSync(dest) && olds.length > 0) {
    // Normally there is one; of several, the latest is the last complete OUT.
    const latest = olds.reduce((a, b) => (fs.statSync(b).mtimeMs > fs.statSync(a).mtimeMs ? b : a));
    fs.renameSync(latest, dest);
    olds.splice(olds.indexOf(latest), 1);
  }
  for (const name of staging) discardStaging(path.join(parent, name));
  for (const old of olds) {
    beforeRemove?.(old);
    discardStaging(old);
  }
  return [...staging.map((n) => path.join(parent, n)), ...olds];
}

/** Writes a file, creating its folder when it is not there yet; `mode` for files that must stay private. */
export function writeFile(file: string, content: string, mode?: number): void {
  const options = mode === undefined ? undefined : { mode };
  inFolderOf(file, () => fs.writeFileSync(file, content, options));
  if (mode !== undefined) fs.chmodSync(file, mode);
}

/**
 * Makes `file` with `make`, and its folder first when `make` finds it missing: most files go into a folder
 * that exists, so its mkdir is spent on the first file only.
 */
function inFolderOf(file: string, make: () => void): void {
  try {
    make();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    make();
  }
}
