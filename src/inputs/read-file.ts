import * as fs from 'fs';
import { byCodePoint } from '../core/compare';
import { FleetError } from '../core/issues';

/** What an input file is, for messages: "public key", "fleet file", ... */
export interface InputKind {
  readonly what: string;
  /** What the file should have been, in "is a folder, not a ...". @default 'regular file' */
  readonly file?: string;
  /** Largest size accepted, in bytes. */
  readonly limit: number;
  /** How to fix a file that cannot be read. */
  readonly fix: string;
}

export interface ReadOptions {
  /** Refuse a symbolic link instead of reading what it points to (OUT, which wisynth writes without any). */
  readonly noFollow?: boolean;
  /**
   * What the caller knows of the file (with `noFollow`): its lstat just made, or that its folder's listing
   * gives it as a regular file. The check before the open is not made again; the one on the descriptor is.
   */
  readonly known?: fs.Stats | 'file';
}

/**
 * Reads an input file as UTF-8 text, refusing at once anything that is not a regular file of at most
 * `kind.limit` bytes: folders, devices (`/dev/zero`), FIFOs (which would block forever), sockets and
 * symbolic-link loops. The path is checked before it is opened (a device is never opened) and again on
 * the open descriptor, so a file swapped in between is still caught; never more than the limit is read,
 * even from a file that grows or whose size the system does not report (/proc).
 * `shown` names the file in messages (the path as the user wrote it). Problems are FleetErrors.
 */
export function readInputFile(file: string, kind: InputKind, shown: string = file, options: ReadOptions = {}): string {
  const fail = (message: string, fix = kind.fix): FleetError => new FleetError([{ file: shown, message, fix }]);
  const regular = (stat: fs.Stats): void => {
    if (stat.isSymbolicLink()) throw fail('is a symbolic link, which is not followed here');
    if (!stat.isFile()) throw fail(`is ${describeFileType(stat)}, not a ${kind.file ?? 'regular file'}`);
    if (stat.size > kind.limit) throw fail(`is ${formatBytes(stat.size)}, more than the ${formatBytes(kind.limit)} a ${kind.what} may have`, `check that this is the right file (${kind.fix})`);
  };
  try {
    if (!options.noFollow) regular(fs.statSync(file));
    else if (options.known !== 'file') regular(options.known ?? fs.lstatSync(file));
  } catch (e) {
    throw e instanceof FleetError ? e : fail(openProblem(e as NodeJS.ErrnoException, kind));
  }
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (options.noFollow ? (fs.constants.O_NOFOLLOW ?? 0) : 0));
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    throw fail(options.noFollow && error.code === 'ELOOP' ? 'is a symbolic link, which is not followed here' : openProblem(error, kind));
  }
  try {
    const stat = fs.fstatSync(fd);
    regular(stat);
    let buffer = Buffer.alloc(Math.min(stat.size, kind.limit) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > kind.limit) throw fail(`grew past ${formatBytes(kind.limit)}, the most a ${kind.what} may have, while it was read`, `check that this is the right file (${kind.fix})`);
        const larger = Buffer.alloc(Math.min(buffer.length * 2, kind.limit + 1));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    if (e instanceof FleetError) throw e;
    throw fail(openProblem(e as NodeJS.ErrnoException, kind));
  } finally {
    fs.closeSync(fd);
  }
}

/** The names in a folder, sorted by code point, refusing a folder with more than `limit` entries. */
export function readInputDir(dir: string, kind: InputKind, shown: string = dir): string[] {
  const fail = (message: string): FleetError => new FleetError([{ file: shown, message, fix: kind.fix }]);
  let handle: fs.Dir;
  try {
    handle = fs.opendirSync(dir);
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    throw fail(error.code === 'ENOENT' ? 'folder not found' : error.code === 'ENOTDIR' ? 'is not a folder' : openProblem(error, kind));
  }
  const names: string[] = [];
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      names.push(entry.name);
      if (names.length > kind.limit) throw fail(`holds more than ${kind.limit} entries, more than a ${kind.what} may have`);
    }
  } catch (e) {
    throw e instanceof FleetError ? e : fail(openProblem(e as NodeJS.ErrnoException, kind));
  } finally {
    handle.closeSync();
  }
  return names.sort(byCodePoint);
}

/** What a failed open or read says to a user. */
export function openProblem(e: NodeJS.ErrnoException, kind?: Pick<InputKind, 'file'>): string {
  switch (e.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return `is a folder, not a ${kind?.file ?? 'regular file'}`;
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'is a loop of symbolic links';
    case 'ENXIO':
      return `is a socket or a device without a reader, not a ${kind?.file ?? 'regular file'}`;
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open on this machine';
    case 'EIO':
      return 'the disk reported an input/output error';
    default:
      return e.code ? `cannot be read (${e.code})` : `cannot be read (${e.message})`;
  }
}

/** What a file that is not a regular file is, for messages: "a folder", "a FIFO (named pipe)", ... */
export function describeFileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** 1536 → "1.5 KiB" */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
