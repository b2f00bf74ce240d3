/**
 * Replacing a folder entry by entry, for a re-synth that leaves most parts of OUT as they are: the parts that
 * changed, and the files written at every synth, are moved from staging into the folder (the previous ones
 * into a trash folder beside it), and the unchanged parts are never touched. A journal beside the folder,
 * written before the first move, lists every move; a synth killed among them leaves the folder part old and
 * part new, and the next synth (under the lock) completes the moves from the journal before anything else.
 * The staging was complete and checked when the journal was written, so completing them is always right.
 * `wisynth check` refuses a folder beside such a journal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { byCodePoint } from '../core/compare';
import { FleetError } from '../core/issues';
import { JOURNAL_INFIX, journalsBeside } from '../core/out-journal';
import { parseInputJson } from '../inputs/json';
import { INPUT_LIMITS } from '../inputs/limits';
import { discardStaging, hiddenPrefix, ReplaceRefused, STAGING } from './atomic-dir';

/*
 * Two more names beside a folder `<dir>` (the README lists them with the others):
 *   .<dir>.commit-<pid>       the journal of a replacement in place
 *   .<dir>.replaced-XXXXXX    the entries it replaced, until they are removed
 */
const REPLACED = '.replaced-';
const JOURNAL_FORMAT = 'wisynth replacement in place 1';

/** One move: the entry (relative, with `/`) and whether staging holds a new one, or the folder loses it. */
interface Move {
  readonly entry: string;
  readonly replaced: boolean;
}

interface Journal {
  readonly format: typeof JOURNAL_FORMAT;
  /** Names beside the folder: the staging the new entries come from, the trash the previous ones go to. */
  readonly staging: string;
  readonly trash: string;
  readonly moves: readonly Move[];
  /** Folders whose entries are moved one by one (`containers` of `replaceInPlace`): removed when left empty. */
  readonly containers: readonly string[];
}

/**
 * Puts the content of `staging` in place of `dest`, keeping the entries `kept` of `dest` as they are: every
 * other entry of either folder is moved (from `dest` into a trash folder, from `staging` into `dest`).
 * An entry is a name directly in `dest` or in one of the `containers` (relative folders, with `/`), whose
 * entries are taken one by one; `kept` are such entries. The steps are yielded, for tests to stop at any of
 * them as a kill would; the result is the trash folder, which the caller removes with `discardStaging` once
 * everything is in place. A move that fails (a folder in use, permissions) undoes the moves before it, and
 * the error is thrown with `dest` and `staging` as they were; should undoing fail too, the journal and
 * staging stay for the next synth to complete the moves, and the error is a HalfReplaced.
 */
export function* replaceInPlace(staging: string, dest: string, containers: readonly string[], kept: ReadonlySet<string>): Generator<void, string, void> {
  const moves = movesOf(staging, dest, new Set(containers), kept);
  const trash = fs.mkdtempSync(`${hiddenPrefix(dest)}${REPLACED}`);
  const journal: Journal = { format: JOURNAL_FORMAT, staging: path.basename(staging), trash: path.basename(trash), moves, containers: [...containers].sort(byCodePoint) };
  const file = `${hiddenPrefix(dest)}${JOURNAL_INFIX}${process.pid}`;
  try {
    fs.writeFileSync(`${file}.new`, `${JSON.stringify(journal)}\n`);
    fs.renameSync(`${file}.new`, file);
  } catch (e) {
    fs.rmSync(`${file}.new`, { force: true });
    discardStaging(trash);
    throw e;
  }
  yield;
  let done = 0;
  const made: string[] = [];
  try {
    for (const move of moves) {
      applyMove(move, staging, dest, trash, made);
      done++;
      yield;
    }
  } catch (e) {
    try {
      // the failed move may be half done: it is undone with the others
      moves.slice(0, done + 1).reverse().forEach((move) => undoMove(move, staging, dest, trash));
      made.reverse().forEach(removeEmptyFolders);
    } catch (undoing) {
      throw new HalfReplaced(dest, file, e as Error, undoing as Error);
    }
    fs.rmSync(file);
    discardStaging(trash);
    throw e;
  }
  finish(journal, dest, file);
  return trash;
}

/** The moves that make `dest` the content of `staging` but `kept`, in code-point order of the entries. */
function movesOf(staging: string, dest: string, containers: ReadonlySet<string>, kept: ReadonlySet<string>): Move[] {
  const moves = new Map<string, boolean>();
  const visit = (rel: string): void => {
    const names = new Map<string, { staged: boolean; folder: boolean }>();
    for (const [root, staged] of [[dest, false], [staging, true]] as const) {
      for (const e of listing(path.join(root, rel))) {
        const known = names.get(e.name);
        names.set(e.name, { staged: staged || (known?.staged ?? false), folder: e.isDirectory() && (known?.folder ?? true) });
      }
    }
    for (const [name, { staged, folder }] of names) {
      const entry = rel ? `${rel}/${name}` : name;
      if (folder && containers.has(entry)) visit(entry);
      else if (!kept.has(entry)) moves.set(entry, staged);
    }
  };
  visit('');
  return [...moves].sort(([a], [b]) => byCodePoint(a, b)).map(([entry, replaced]) => ({ entry, replaced }));
}

function listing(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * One move, from wherever a kill left it: the previous entry goes to the trash (unless it is gone already),
 * then the new one takes its place (unless it has already). Done twice, it does nothing the second time.
 * The folders it makes in `dest` for the new entry are added to `made`.
 */
function applyMove({ entry, replaced }: Move, staging: string, dest: string, trash: string, made: string[] = []): void {
  const [from, to, aside] = [staging, dest, trash].map((root) => path.join(root, ...entry.split('/')));
  const pending = replaced && exists(from);
  if ((pending || !replaced) && exists(to)) {
    if (exists(aside)) discardStaging(aside);
    fs.mkdirSync(path.dirname(aside), { recursive: true });
    fs.renameSync(to, aside);
  }
  if (pending) {
    const first = fs.mkdirSync(path.dirname(to), { recursive: true });
    if (first !== undefined) made.push(first);
    fs.renameSync(from, to);
  }
}

/** Removes a folder and the folders in it, as long as they hold nothing else. */
function removeEmptyFolders(dir: string): void {
  for (const e of listing(dir)) if (e.isDirectory()) removeEmptyFolders(path.join(dir, e.name));
  try {
    fs.rmdirSync(dir);
  } catch {
    // it holds something: not made for the moves alone
  }
}

/** A replacement in place that failed and could not be undone: the next synth completes it from its journal. */
export class HalfReplaced extends FleetError {
  constructor(dest: string, journal: string, failed: Error, undoing: Error) {
    super([
      {
        file: dest,
        message: `could not be replaced (${failed.message}), nor put back as it was (${undoing.message}): part of it is new, as ${journal} lists`,
        fix: 'remove the cause, then synth again: it completes the replacement from that list',
      },
    ]);
    this.name = 'HalfReplaced';
  }
}

/** One move taken back, from wherever it stopped: the new entry back to staging, the previous one back in place. */
function undoMove({ entry, replaced }: Move, staging: string, dest: string, trash: string): void {
  const [from, to, aside] = [staging, dest, trash].map((root) => path.join(root, ...entry.split('/')));
  if (replaced && !exists(from) && exists(to)) fs.renameSync(to, from);
  if (exists(aside) && !exists(to)) fs.renameSync(aside, to);
}

/** After the last move: containers left empty go (a full synth would not write them), then the journal. */
function finish(journal: Journal, dest: string, file: string): void {
  for (const container of [...journal.containers].sort((a, b) => byCodePoint(b, a))) {
    try {
      fs.rmdirSync(path.join(dest, ...container.split('/')));
    } catch {
      // not empty, or not there: either is as a full synth leaves it
    }
  }
  fs.rmSync(file);
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Completes every replacement in place that a kill interrupted, from its journal, then removes the trash
 * folders beside `dest` (`beforeRemove` sees each first: the previous summary.json is in one). Call it holding
 * the lock of `dest`, before `recoverLeftovers` (which removes the staging folders the moves come from). A
 * journal of another shape than synth writes is refused: what it would move is not known.
 */
export function completeReplacements(dest: string, beforeRemove?: (trash: string) => void): void {
  const parent = path.dirname(dest);
  for (const file of journalsBeside(dest)) {
    const journal = readJournal(file, dest);
    const [staging, trash] = [journal.staging, journal.trash].map((name) => path.join(parent, name));
    for (const move of journal.moves) applyMove(move, staging, dest, trash);
    finish(journal, dest, file);
  }
  const own = path.basename(hiddenPrefix(dest));
  for (const name of fs.readdirSync(parent)) {
    const entry = path.join(parent, name);
    // a journal a kill left before it was renamed into place: no move had begun
    if (name.startsWith(`${own}${JOURNAL_INFIX}`) && /^\d+\.new$/.test(name.slice(own.length + JOURNAL_INFIX.length))) fs.rmSync(entry, { force: true });
    if (!name.startsWith(`${own}${REPLACED}`) || !fs.lstatSync(entry).isDirectory()) continue;
    beforeRemove?.(entry);
    discardStaging(entry);
  }
}

function readJournal(file: string, dest: string): Journal {
  const refused = (problem: string): ReplaceRefused =>
    new ReplaceRefused(file, `${problem}, so what an interrupted synth was moving into ${dest} is not known`, `compare ${dest} with a synth into an empty folder, then delete ${file}`);
  const stat = fs.lstatSync(file);
  if (!stat.isFile() || stat.size > INPUT_LIMITS.outFileBytes) throw refused('is no journal synth writes');
  const parsed = parseInputJson(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) throw refused(`is ${parsed.problem}`);
  const j = parsed.value as Partial<Journal> | null;
  const own = path.basename(hiddenPrefix(dest));
  const shaped =
    typeof j === 'object' &&
    j !== null &&
    j.format === JOURNAL_FORMAT &&
    isSibling(j.staging, `${own}${STAGING}`) &&
    isSibling(j.trash, `${own}${REPLACED}`) &&
    Array.isArray(j.moves) &&
    j.moves.every((m) => typeof m === 'object' && m !== null && isEntry(m.entry) && typeof m.replaced === 'boolean') &&
    Array.isArray(j.containers) &&
    j.containers.every(isEntry);
  if (!shaped) throw refused('is not of the shape synth writes');
  return j as Journal;
}

/** A name of synth's own beside the folder, of the given prefix. */
function isSibling(name: unknown, prefix: string): name is string {
  return typeof name === 'string' && name.startsWith(prefix) && name.length > prefix.length && !/[/\\\0]/.test(name);
}

/** A relative path inside the folder: no empty, `.` or `..` part, no backslash or NUL. */
function isEntry(entry: unknown): entry is string {
  return typeof entry === 'string' && entry.split('/').every((p) => p !== '' && p !== '.' && p !== '..' && !/[\\\0]/.test(p));
}
