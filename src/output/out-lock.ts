import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ReplaceRefused } from './atomic-dir';

/** Who holds a lock: written into the lock file as JSON. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A lock file still empty after this long was left by a synth that died while creating it. */
const EMPTY_LOCK_GRACE_MS = 10_000;

export interface OutLock {
  /** The lock file, `.<dir>.lock` beside the folder. */
  readonly file: string;
  /** Removes the lock file, if it is still this process's. */
  release(): void;
}

/**
 * Takes the lock of a folder synth is about to replace: `.<dir>.lock` beside it, created with O_EXCL so
 * only one process can make it, holding this process's pid and host. A second synth on the same folder
 * fails at once, naming the holder. A lock whose holder is gone (same host, pid no longer alive, or our own
 * pid, which a container reuses) is stale: it is taken over. A lock from another host is never taken over,
 * because its pid cannot be checked from here.
 */
export function lockBeside(dir: string): OutLock {
  const file = path.join(path.dirname(dir), `.${path.basename(dir)}.lock`);
  const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(file, `${JSON.stringify(me)}\n`)) {
      return { file, release: () => releaseIfMine(file) };
    }
    const text = readLock(file, dir);
    if (text === undefined) continue; // released between our create and our read: try again
    const holder = parseHolder(text);
    if (isStale(holder, file) && takeOver(file, text, dir)) continue;
    throw held(dir, file, holder);
  }
  throw held(dir, file, parseHolder(readLock(file, dir) ?? ''));
}

/**
 * Creates the lock file with its content; false when it exists already. The content is written to a file
 * of this process's own first and hard-linked to the lock's name, which fails when a lock exists: a lock is
 * never seen without its holder, even when its synth is killed while taking it. Where the file system has
 * no hard links, the lock is created empty and then written (an empty lock is then taken over only after
 * EMPTY_LOCK_GRACE_MS).
 */
function create(file: string, content: string): boolean {
  const own = `${file}${NEW}${process.pid}`;
  removeDeadTemporaries(file);
  try {
    fs.writeFileSync(own, content, { mode: 0o644 });
    fs.linkSync(own, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    return createInPlace(file, content);
  } finally {
    fs.rmSync(own, { force: true });
  }
}

/** The names of the lock's content before it is linked: `.<dir>.lock.new-<pid>`. */
const NEW = '.new-';

/** What a synth killed between writing its lock's content and linking it left: files of pids no longer alive here. */
function removeDeadTemporaries(file: string): void {
  const prefix = `${path.basename(file)}${NEW}`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

/** Creates the lock file with O_EXCL and writes it: for file systems without hard links. */
function createInPlace(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, content);
  } catch (e) {
    fs.rmSync(file, { force: true }); // a full disk must not leave an empty lock behind
    throw e;
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function isStale(holder: Holder | undefined, file: string): boolean {
  if (!holder) {
    // Empty or torn: a synth is writing it right now, or died in the microseconds between create and write.
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat === undefined || Date.now() - stat.mtimeMs > EMPTY_LOCK_GRACE_MS;
  }
  return holder.host === os.hostname() && (holder.pid === process.pid || !isAlive(holder.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock, unless another synth replaced it since we read it: two synths may find the same
 * stale lock at once, and the later must not delete the lock the earlier just made. So the lock is first
 * renamed to a name of our own (atomic), then compared with what was judged stale; a live one is put back.
 */
function takeOver(file: string, staleText: string, dir: string): boolean {
  const mine = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, mine);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true; // someone removed it: try to create
    throw e;
  }
  const taken = readLock(mine, dir);
  if (taken === staleText) {
    fs.rmSync(mine, { force: true });
    return true;
  }
  try {
    fs.linkSync(mine, file); // put the live lock back; fails if yet another one exists, which then holds
  } catch {
    // nothing more to do: the next synth on this folder sees the newer lock
  }
  fs.rmSync(mine, { force: true });
  return false;
}

function releaseIfMine(file: string): void {
  let text: string | undefined;
  try {
    text = readLock(file, path.dirname(file));
  } catch {
    return;
  }
  const holder = parseHolder(text ?? '');
  if (holder?.pid === process.pid && holder.host === os.hostname()) fs.rmSync(file, { force: true });
}

function held(dir: string, file: string, holder: Holder | undefined): ReplaceRefused {
  const who = holder ? `pid ${holder.pid} on host ${holder.host}, since ${holder.since}` : 'a process that is creating the lock right now';
  const fix = holder
    ? `wait for that synth to finish; if no wisynth runs as pid ${holder.pid} on ${holder.host}, delete ${file} and synth again`
    : `wait a few seconds and synth again; if this persists, delete ${file}`;
  return new ReplaceRefused(dir, `another wisynth synth is writing it (${who}; lock ${file})`, fix);
}

function parseHolder(text: string): Holder | undefined {
  try {
    const v = JSON.parse(text) as Partial<Holder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string') {
      return { pid: v.pid, host: v.host, since: typeof v.since === 'string' ? v.since : 'an unknown time' };
    }
  } catch {
    // not JSON (yet)
  }
  return undefined;
}

/** The lock file's text (a line of JSON), undefined when it is gone; refuses anything that is not a small regular file. */
function readLock(file: string, dir: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw code === 'ELOOP' ? notALock(file, dir) : e; // ELOOP: a symbolic link, which O_NOFOLLOW refuses
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw notALock(file, dir);
    const buffer = Buffer.alloc(4096);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function notALock(file: string, dir: string): ReplaceRefused {
  return new ReplaceRefused(file, `is where synth keeps the lock of ${dir}, but it is not a lock file synth wrote (a folder, a link or a special file)`, `remove ${file}, or choose another output folder`);
}
