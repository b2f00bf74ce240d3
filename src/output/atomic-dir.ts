import * as fs from 'fs';
import * as path from 'path';

/**
 * Makes a sibling staging folder for `dest`, on the same file system so the final move is a rename.
 * Returns its path; the caller fills it and then calls `replaceDir` or `discardStaging`.
 */
export function makeStaging(dest: string): string {
  const parent = path.dirname(path.resolve(dest));
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `.${path.basename(dest)}.staging-`));
}

export function discardStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Refuses to replace a folder that holds something wisynth did not write, so `-o .` cannot wipe a project.
 * `marker` is a file every folder of this kind has (summary.json, manifest.json).
 */
export function assertReplaceable(dest: string, marker: string | undefined): void {
  if (!fs.existsSync(dest)) return;
  if (!fs.statSync(dest).isDirectory()) throw new Error(`${dest} exists and is not a folder`);
  const entries = fs.readdirSync(dest);
  if (entries.length > 0 && marker !== undefined && !entries.includes(marker)) {
    throw new ReplaceRefused(dest, marker);
  }
}

export class ReplaceRefused extends Error {
  constructor(public readonly dest: string, marker: string) {
    super(`refusing to replace ${dest}: it is not empty and has no ${marker}, so wisynth did not write it`);
  }
}

/** Puts `source` in place of `dest` by rename; the previous `dest` disappears only once the new one is in place. */
export function replaceDir(source: string, dest: string): void {
  const old = fs.existsSync(dest) ? `${dest}.old-${process.pid}` : undefined;
  if (old) fs.renameSync(dest, old);
  try {
    fs.renameSync(source, dest);
  } catch (e) {
    if (old) fs.renameSync(old, dest);
    throw e;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

/** Writes a file, creating its folder; `mode` for files that must stay private. */
export function writeFile(file: string, content: string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, mode === undefined ? undefined : { mode });
  if (mode !== undefined) fs.chmodSync(file, mode);
}
