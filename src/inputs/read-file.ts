import * as fs from 'fs';
import { byCodePoint } from '../core/compare';
import { FleetError } from '../core/issues';

/** What an input file is, for messages: "public key", "fleet file", ... */
export interface InputKind {
  readonly what: string;
  /** Largest size accepted, in bytes. */
  readonly limit: number;
  /** How to fix a file that cannot be read. */
  readonly fix: string;
}

/**
 * Reads an input file as UTF-8 text, refusing at once anything that is not a regular file of at most
 * `kind.limit` bytes: folders, devices (`/dev/zero`), FIFOs (which would block forever), sockets and
 * symbolic-link loops. The file is opened without blocking and checked on the open descriptor, so a file
 * swapped after the check is still caught, and never more than the limit is read.
 * `shown` names the file in messages (the path as the user wrote it).
 */
export function readInputFile(file: string, kind: InputKind, shown: string = file): string {
  const fail = (message: string, fix = kind.fix): FleetError => new FleetError([{ file: shown, message: `${kind.what}: ${message}`, fix }]);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fail(openProblem(e as NodeJS.ErrnoException));
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw fail(`is ${describe(stat)}, not a regular file`);
    if (stat.size > kind.limit) throw fail(`is ${formatBytes(stat.size)}; at most ${formatBytes(kind.limit)} is read`, `check that this is the right file (${kind.fix})`);
    const buffer = Buffer.alloc(Math.min(stat.size, kind.limit) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > kind.limit) throw fail(`grew past ${formatBytes(kind.limit)} while it was read`, 'read it again once it is no longer being written');
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    if (e instanceof FleetError) throw e;
    throw fail(openProblem(e as NodeJS.ErrnoException));
  } finally {
    fs.closeSync(fd);
  }
}

/** The names in a folder, sorted by code point, refusing a folder with more than `limit` entries. */
export function readInputDir(dir: string, kind: InputKind, shown: string = dir): string[] {
  const fail = (message: string): FleetError => new FleetError([{ file: shown, message: `${kind.what}: ${message}`, fix: kind.fix }]);
  let handle: fs.Dir;
  try {
    handle = fs.opendirSync(dir);
  } catch (e) {
    throw fail(openProblem(e as NodeJS.ErrnoException));
  }
  const names: string[] = [];
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      names.push(entry.name);
      if (names.length > kind.limit) throw fail(`holds more than ${kind.limit} entries`);
    }
  } finally {
    handle.closeSync();
  }
  return names.sort(byCodePoint);
}

/** What a failed open or read says to a user. */
export function openProblem(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a regular file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'is a loop of symbolic links';
    case 'ENXIO':
      return 'is a socket or a device without a reader, not a regular file';
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

function describe(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** 1536 → "1.5 KiB" */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
