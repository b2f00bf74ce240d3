import * as path from 'path';
import { belongsTo, displayPath, fileFix, OutputTarget, PathProblem, targetProblem } from './output-target';

/** What a command was doing when a file system call failed, so the message can name it. */
export interface FsErrorContext {
  readonly cwd: string;
  /** The outputs of the running command, once it writes (synth: OUT, CDKTF_OUTDIR, CDK8S_OUTDIR). */
  readonly writing?: readonly OutputTarget[];
  /** The input being read before anything is written (the fleet file), as the user named it and where it is. */
  readonly reading?: { readonly shown: string; readonly path: string };
}

interface Meaning {
  /** What happened, after the path. */
  readonly what: string;
  /** The fix when reading `path`. */
  readonly read: (path: string, cwd: string) => string;
  /** The fix when writing `target`. */
  readonly write: (target: OutputTarget, dir: string) => string;
}

const disk = (target: OutputTarget): string => `point ${target.option} at another disk`;

/**
 * Every file-system error code a user can meet, and what to do about it. Codes that mean a bug in
 * wisynth (EBADF, EINVAL, EFAULT) are not here: they stay "failed unexpectedly".
 */
const MEANINGS: Readonly<Record<string, Meaning>> = {
  ENOENT: {
    what: 'file not found',
    read: (_p, cwd) => `check the path (relative paths are taken from ${cwd})`,
    write: (_t, dir) => `a folder on the way (${dir}) disappeared while it was written: run again, and leave ${dir} alone meanwhile`,
  },
  EACCES: {
    what: 'permission denied',
    read: (p) => `make ${p} readable for this user (chmod u+r ${p}), or run as its owner`,
    write: (t, dir) => `make ${dir} writable for this user (chmod u+w ${dir}), or choose another ${t.option}`,
  },
  EROFS: {
    what: 'the file system is read-only',
    read: (p) => `check ${p}`,
    write: (t) => `point ${t.option} at a writable disk`,
  },
  ENOSPC: {
    what: 'no space left on the disk',
    read: () => 'free space on the disk, then run again',
    write: (t, dir) => `free space on the disk that holds ${dir} (df -h ${dir}), or ${disk(t)}; the files being written were removed`,
  },
  EDQUOT: {
    what: "this user's disk quota is used up",
    read: () => 'free space in your quota, then run again',
    write: (t) => `free space in your quota or ask for a larger one, or ${disk(t)}`,
  },
  EFBIG: {
    what: 'a file is larger than the file system allows',
    read: (p) => `check that ${p} is the right file`,
    write: (t) => disk(t),
  },
  ENOTDIR: {
    what: 'a part of the path is a file, not a folder',
    read: (p) => `check the path ${p}`,
    write: (t) => `choose another path with ${t.option}, or move the file in its way`,
  },
  EEXIST: {
    what: 'a file exists where a folder is needed',
    read: (p) => `check the path ${p}`,
    write: (t) => `choose another path with ${t.option}, or move the file in its way`,
  },
  EISDIR: {
    what: 'is a folder, not a file',
    read: (p) => `name the file, not the folder ${p}`,
    write: (t) => fileFix(t),
  },
  ENOTEMPTY: {
    what: 'a folder to be replaced is not empty',
    read: (p) => `check ${p}`,
    write: (t) => `another program wrote into ${t.shown} meanwhile: run again when it is done, or choose another ${t.option}`,
  },
  EBUSY: {
    what: 'is in use (a mount point, or held by another program)',
    read: (p) => `close the program that holds ${p}, then run again`,
    write: (t) => `choose another ${t.option} (not a mount point), or close the program that holds it`,
  },
  EXDEV: {
    what: 'cannot be moved to another file system',
    read: (p) => `check ${p}`,
    write: (t) => `keep ${t.option} on the same file system as the folder it is written beside`,
  },
  EMFILE: {
    what: 'too many open files in this process',
    read: () => 'raise the limit of open files (ulimit -n 4096), then run again',
    write: () => 'raise the limit of open files (ulimit -n 4096), then run again',
  },
  ENFILE: {
    what: 'too many open files on this machine',
    read: () => 'close programs that hold many files open (or raise fs.file-max), then run again',
    write: () => 'close programs that hold many files open (or raise fs.file-max), then run again',
  },
  ENAMETOOLONG: {
    what: 'the path is too long',
    read: () => 'use a shorter path',
    write: (t) => `choose a shorter path with ${t.option}`,
  },
  ELOOP: {
    what: 'is a loop of symbolic links',
    read: (p) => `fix or remove the symbolic link ${p}`,
    write: () => 'fix or remove the symbolic link',
  },
  EIO: {
    what: 'the disk reported an input/output error',
    read: () => 'check the disk and its connection (dmesg), then run again',
    write: (t) => `check the disk and its connection (dmesg), or ${disk(t)}`,
  },
  ENXIO: {
    what: 'is a device or socket without a reader, not a regular file',
    read: () => 'name a regular file',
    write: (t) => `${t.option} names a regular file`,
  },
  ESTALE: {
    what: 'the network file system lost the file (stale file handle)',
    read: () => 'remount the network file system, then run again',
    write: () => 'remount the network file system, then run again',
  },
  ETIMEDOUT: {
    what: 'the file system did not answer in time',
    read: () => 'check the network file system, then run again',
    write: () => 'check the network file system, then run again',
  },
  ERR_FS_FILE_TOO_LARGE: {
    what: 'is larger than 2 GiB, too large to read',
    read: (p) => `check that ${p} is the right file`,
    write: (t) => `check ${t.shown}`,
  },
};
/** Codes that mean the same to a user. */
const ALIASES: Readonly<Record<string, string>> = { EPERM: 'EACCES' };

/** Codes that mean a programming error: reported as a bug. */
const BUG_CODES = new Set(['EBADF', 'EINVAL', 'EFAULT', 'ENOSYS']);

/** Codes whose cause is better found by looking at the target on disk than by the code (Node reports EROFS as ENOENT in recursive mkdir). */
const PROBED = new Set(['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR']);

/** Codes that only a write raises, so an error without a path is the running command's output. */
const WRITE_ONLY = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EXDEV', 'ENOTEMPTY']);

/**
 * A file-system error (an errno exception from Node) as a user reads it: the path, what happened and
 * the fix. Nothing for errors that are not from the file system or that mean a bug in wisynth.
 */
export function describeFsError(e: unknown, ctx: FsErrorContext): PathProblem | undefined {
  // Not `instanceof Error`: errors of Node's own fs may come from another realm (a vm context, jest).
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code !== 'string') return undefined;
  const isSystem = /^E[A-Z0-9]+$/.test(err.code) && typeof err.syscall === 'string';
  const code = ALIASES[err.code] ?? err.code;
  const meaning = MEANINGS[code];
  if (!isSystem && !meaning) return undefined;
  if (BUG_CODES.has(code)) return undefined;

  const paths = [err.path, (err as { dest?: string }).dest].filter((p): p is string => typeof p === 'string');
  const writing = ctx.writing ?? [];
  const target =
    writing.find((t) => paths.some((p) => belongsTo(p, t))) ??
    (paths.length === 0 && (WRITE_ONLY.has(code) || err.syscall === 'write') ? writing[0] : undefined);
  const detail = meaning ? meaning.what : `${err.code}${err.syscall ? ` in ${err.syscall}` : ''}`;

  if (target) {
    if (PROBED.has(err.code)) {
      const found = targetProblem(target, ctx.cwd);
      if (found) return found;
    }
    const where = paths[0] ?? target.path;
    const dir = displayPath(where === target.path && target.kind !== 'folder' ? path.dirname(where) : where, ctx.cwd);
    const shownWhere = where === target.path ? target.shown : displayPath(where, ctx.cwd);
    // "is a folder", "is in use": said of the path; the rest after it, in parentheses, when it is not the target.
    const said = detail.startsWith('is ') ? `${shownWhere} ${detail}` : `${detail}${where === target.path ? '' : ` (${shownWhere})`}`;
    return {
      file: target.shown,
      message: `cannot write the ${target.what}: ${said}`,
      fix: meaning ? meaning.write(target, dir) : `check ${dir} and the disk it is on, then run again`,
    };
  }
  // Reading: the path as the user named it when it is the fleet file, else as Node resolved it.
  const where = paths[0] ?? (paths.length === 0 && writing.length === 0 ? ctx.reading?.path : undefined);
  const shown = where === undefined ? undefined : where === ctx.reading?.path ? ctx.reading.shown : where;
  return {
    file: shown ?? '(a file)',
    message: detail,
    fix: meaning ? meaning.read(shown ?? 'the file', ctx.cwd) : `check ${shown ?? 'the files named on the command line'} and the disk it is on, then run again`,
  };
}
