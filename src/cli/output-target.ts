import * as fs from 'fs';
import * as path from 'path';
import { FleetIssue } from '../model/issues';

/**
 * Something a command writes, as the user named it. Commands check it before they start and list it
 * in `CliContext.writing`, so that an error while writing names it and the option that chose it.
 */
export interface OutputTarget {
  /** The path as the user wrote it, for messages. */
  readonly shown: string;
  /** The absolute path. */
  readonly path: string;
  /**
   * - `replaced-folder`: synth's OUT, written into a staging folder beside it and renamed into place,
   *   so its parent must be writable;
   * - `folder`: files are written inside it (keygen -o), created if missing;
   * - `file`: one file, written beside and renamed over (jwks -o, capz patch -o, OUT/graph.md).
   */
  readonly kind: 'replaced-folder' | 'folder' | 'file';
  /** What it is, for messages: "output folder", "JWKS file". */
  readonly what: string;
  /** How the user chose it, for the fix: "-o", "CDKTF_OUTDIR". */
  readonly option: string;
  /** For `file`: a file name to suggest when the user named a folder. */
  readonly example?: string;
}

/** A problem with a path, said so that a user can fix it. */
export interface PathProblem {
  /** The path the problem is about, as a user reads it. */
  readonly file: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * Why `target` cannot be written, found by looking at the disk: the target or a folder on its way is a
 * file, the folder it goes into is read-only or not writable. Nothing when it looks writable.
 * Also explains errors after the fact (Node's recursive mkdir reports a read-only disk as ENOENT).
 */
export function targetProblem(target: OutputTarget, cwd: string): PathProblem | undefined {
  const show = (p: string): string => (p === target.path ? target.shown : displayPath(p, cwd));
  const existing = statOf(target.path);
  if (existing instanceof Error) return accessProblem(target, existing, show(target.path));
  if (existing) {
    if (target.kind !== 'file' && !existing.isDirectory()) {
      return {
        file: target.shown,
        message: `the ${target.what} exists and is ${describe(existing)}, not a folder`,
        fix: `${target.option} names a folder${target.kind === 'replaced-folder' ? ' that wisynth replaces as a whole' : ''}: choose another one, or move ${target.shown} away`,
      };
    }
    if (target.kind === 'file' && existing.isDirectory()) {
      return {
        file: target.shown,
        message: `is a folder, but the ${target.what} is one file`,
        fix: fileFix(target),
      };
    }
    if (target.kind === 'file' && !existing.isFile()) {
      return {
        file: target.shown,
        message: `is ${describe(existing)}, not a regular file; the ${target.what} is written beside it and renamed over it`,
        fix: `${target.option} names a regular file${target.option === '-o' ? ' (leave out -o to print to standard output)' : ''}`,
      };
    }
  }
  // The folder that must be writable: where the file or the staging folder is made, or where mkdir starts.
  let dir = target.kind === 'folder' && existing ? target.path : path.dirname(target.path);
  for (;;) {
    const stat = statOf(dir);
    if (stat instanceof Error) return accessProblem(target, stat, show(dir));
    if (stat) {
      if (!stat.isDirectory()) {
        return {
          file: target.shown,
          message: `cannot write the ${target.what}: ${show(dir)} is ${describe(stat)}, not a folder`,
          fix: `choose another path with ${target.option}, or move ${show(dir)} away`,
        };
      }
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    return accessProblem(target, e as NodeJS.ErrnoException, show(dir));
  }
  return undefined;
}

function accessProblem(target: OutputTarget, e: NodeJS.ErrnoException, shownDir: string): PathProblem {
  switch (e.code) {
    case 'EROFS':
      return { file: target.shown, message: `cannot write the ${target.what}: ${shownDir} is on a read-only file system`, fix: `point ${target.option} at a writable disk` };
    case 'EACCES':
    case 'EPERM':
      return {
        file: target.shown,
        message: `cannot write the ${target.what}: permission denied on ${shownDir}`,
        fix: `make ${shownDir} writable for this user (chmod u+w ${shownDir}), or choose another ${target.option}`,
      };
    case 'ELOOP':
      return { file: target.shown, message: `cannot write the ${target.what}: ${shownDir} is a loop of symbolic links`, fix: 'fix or remove the symbolic link' };
    case 'ENAMETOOLONG':
      return { file: target.shown, message: `cannot write the ${target.what}: the path is too long`, fix: `choose a shorter path with ${target.option}` };
    default:
      return { file: target.shown, message: `cannot write the ${target.what}: ${shownDir}: ${e.code ?? e.message}`, fix: `check ${shownDir}, or choose another ${target.option}` };
  }
}

/** The fix when a folder stands where a file is written. */
export function fileFix(target: OutputTarget): string {
  return target.example === undefined
    ? `move ${target.shown} away: wisynth writes the ${target.what} there`
    : `${target.option} names the file to write: give a file path such as ${path.join(target.shown, target.example)}`;
}

/** The problems of each target, as issues of a FleetError (exit 1), so they are reported with the fleet's. */
export function targetIssues(targets: readonly OutputTarget[], cwd: string): FleetIssue[] {
  return targets.flatMap((t) => {
    const problem = targetProblem(t, cwd);
    return problem ? [problem] : [];
  });
}

/**
 * Writes one file so that a reader never sees half of it and a failed write (full disk) leaves the
 * previous file as it was: into a temporary file beside it, renamed over it. Creates missing folders.
 * `mode` for files that must stay private.
 */
export function writeOutputFile(file: string, content: string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    fs.rmSync(temp, { force: true });
    fs.writeFileSync(temp, content, mode === undefined ? undefined : { mode });
    if (mode !== undefined) fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** A path as a user reads it: relative to the working directory when it is inside it. */
export function displayPath(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** Whether `p` is `target` or belongs to writing it: inside it, a folder on its way, or its staging/temporary sibling. */
export function belongsTo(p: string, target: OutputTarget): boolean {
  const abs = path.resolve(p);
  if (abs === target.path || isInside(abs, target.path) || isInside(target.path, abs)) return true;
  const parent = path.dirname(target.path);
  const base = path.basename(target.path);
  if (!isInside(abs, parent)) return false;
  const first = path.relative(parent, abs).split(path.sep)[0];
  return first.startsWith(`.${base}.`) || first.startsWith(`${base}.`);
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The stat of `p`, nothing when it does not exist (or a part of its path is a file), or why it cannot be looked at. */
function statOf(p: string): fs.Stats | NodeJS.ErrnoException | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT' || err.code === 'ENOTDIR' ? undefined : err;
  }
}

function describe(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFile()) return 'a file';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Whether something, even a dangling symbolic link, stands at `file` (or a folder on its way is a file: targetIssues names that). */
export function occupied(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
