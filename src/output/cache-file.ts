/**
 * The synth cache on disk (synth-cache.ts says what it holds and when a part is taken): one JSON file per
 * OUT in the cache folder, and the texts file it names. Both are read as any input is, bounded and
 * validated, and written to a temporary name and renamed; nothing here ever fails a synth.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isRecord } from '../core/objects';
import { byCodePoint } from '../core/compare';
import { parseInputJson } from '../inputs/json';
import { INPUT_LIMITS } from '../inputs/limits';
import type { KnownFile } from '../check/artifacts';
import type { ClusterChecked } from '../check/check';
import type { Finding } from '../check/finding';
import { SUMMARY_FILE } from '../core/summary';
import { canonical } from './out-ownership';
import { CachedPart, clusterPart, isClusterPart, PartId, partOf, sha256, sizeOfIdentity, SynthCache } from './synth-cache';

/** The first field of the cache file; another value (an older wisynth's) is a cache that is not used. */
const CACHE_FORMAT = 'wisynth synth cache 2';

/**
 * The cache of the OUT folder `outDir` in the cache folder: named by a hash of OUT's path, so that nothing is
 * written beside OUT (a GitOps repository holds it) and two OUTs never share one.
 */
export function cacheFileOf(cacheDir: string, outDir: string): string {
  return path.join(cacheDir, `${sha256(canonical(outDir)).slice(0, 32)}.json`);
}

/**
 * The cache folder the CLI uses, from its environment: WISYNTH_CACHE_DIR, else wisynth/ in the XDG cache
 * folder (XDG_CACHE_HOME, else ~/.cache); none without HOME.
 */
export function cacheDirFrom(env: NodeJS.ProcessEnv): string | undefined {
  if (env.WISYNTH_CACHE_DIR) return path.resolve(env.WISYNTH_CACHE_DIR);
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : env.HOME ? path.join(env.HOME, '.cache') : undefined;
  return base && path.join(base, 'wisynth');
}

/**
 * The cache of OUT, or the reason there is none to use. It is read like any input: a regular file of
 * bounded size, JSON of the shape written here, every path one a part holds. Anything else is no cache.
 */
export function readCache(cacheDir: string, outDir: string): { readonly cache: SynthCache } | { readonly problem: string } {
  const file = cacheFileOf(cacheDir, outDir);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return { problem: 'there is no cache of a previous synth' };
  }
  if (!stat.isFile()) return { problem: `${file} is not a regular file` };
  if (stat.size > INPUT_LIMITS.outFileBytes) return { problem: `${file} is larger than any synth writes` };
  const parsed = parseInputJson(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) return { problem: `${file} is ${parsed.problem}` };
  const value = parsed.value;
  if (!isRecord(value) || value.format !== CACHE_FORMAT || value.out !== canonical(outDir) || !isRecord(value.parts)) return { problem: `${file} is not a cache of this wisynth for ${outDir}` };
  if (value.docs !== undefined && !isRecord(value.docs)) return { problem: `${file} is not a cache of this wisynth for ${outDir}` };
  const cache = new Map<PartId, CachedPart>();
  let bytes: Buffer | string | undefined;
  const texts: RecordedTexts = { bytes: () => (bytes ??= readTexts(cacheDir, file, value.texts)), decoded: new Map(), docs: value.docs ?? {} };
  for (const [id, part] of Object.entries(value.parts)) {
    if (!isRecord(part) || typeof part.key !== 'string' || !isRecord(part.files)) return { problem: `${file}: part ${JSON.stringify(id)} is not of the shape synth writes` };
    const files = Object.entries(part.files);
    const bad = files.find(([f, identity]) => partOf(f) !== id || typeof identity !== 'string');
    if (bad) return { problem: `${file}: part ${JSON.stringify(id)} lists ${JSON.stringify(bad[0])}, which is no file of it` };
    const checked = part.checked === undefined ? undefined : checkedFindings(part.checked, part.files);
    if (checked === null) return { problem: `${file}: part ${JSON.stringify(id)} has findings of another shape than check makes` };
    const contents = part.contents === undefined ? undefined : knownContents(part.contents, part.files as Record<string, string>, texts);
    if (typeof contents === 'string') return { problem: contents };
    if (contents === null) return { problem: `${file}: part ${JSON.stringify(id)} records contents that are not those of its files` };
    const clusterChecked = part.clusterChecked === undefined ? undefined : clusterFindings(part.clusterChecked, id);
    if (clusterChecked === null) return { problem: `${file}: part ${JSON.stringify(id)} has cluster findings of another shape than check makes` };
    cache.set(id as PartId, {
      key: part.key,
      files: Object.fromEntries(files) as Record<string, string>,
      ...(checked && { checked }),
      ...(contents && { contents }),
      ...(clusterChecked && { clusterChecked }),
    });
  }
  return { cache };
}

/** Findings by file, every file one of the part's and each finding on it, or null. */
function checkedFindings(value: unknown, files: Record<string, unknown>): Record<string, readonly Finding[]> | null {
  if (!isRecord(value)) return null;
  const entries = Object.entries(value);
  if (entries.length !== Object.keys(files).length) return null;
  for (const [path, findings] of entries) {
    if (!(path in files) || !Array.isArray(findings) || !findings.every((f) => isFinding(f) && f.file === path)) return null;
  }
  return value as Record<string, readonly Finding[]>;
}

/** What the cluster rules found of a cluster part: the hash of its summary entry, findings on its files or on summary.json; or null. */
function clusterFindings(value: unknown, id: string): ClusterChecked | null {
  if (!isRecord(value) || Object.keys(value).length !== 2 || typeof value.entry !== 'string' || !/^[0-9a-f]{64}$/.test(value.entry) || !Array.isArray(value.findings)) return null;
  if (!isClusterPart(id) || !value.findings.every((f) => isFinding(f) && (f.file === SUMMARY_FILE || partOf(f.file) === id))) return null;
  return value as unknown as ClusterChecked;
}

/** The texts file, read when first needed, each text decoded once, and the documents recorded of each text (by where it starts). */
interface RecordedTexts {
  readonly bytes: () => Buffer | string;
  readonly decoded: Map<string, string>;
  readonly docs: Record<string, unknown>;
}

/**
 * The contents of every file of a part: its text, the bytes at `at` of the texts file, of the size its
 * identity records, and a YAML file's documents (`docs: true`: those recorded for its text). Null when
 * they are not that; the texts file's problem when it cannot be read. Files of one text get one string
 * and one list of documents, which check only reads.
 */
function knownContents(value: unknown, files: Record<string, string>, texts: RecordedTexts): Record<string, KnownFile> | string | null {
  if (!isRecord(value)) return null;
  const entries = Object.entries(value);
  if (entries.length !== Object.keys(files).length) return null;
  const contents: Record<string, KnownFile> = {};
  for (const [path, known] of entries) {
    if (!(path in files) || !isRecord(known) || Object.keys(known).some((k) => k !== 'at' && k !== 'docs') || (known.docs !== undefined && known.docs !== true)) return null;
    const at = known.at;
    const size = sizeOfIdentity(files[path]);
    if (!Array.isArray(at) || at.length !== 2 || !at.every((n) => Number.isSafeInteger(n) && n >= 0) || at[1] !== size) return null;
    const docs = known.docs ? texts.docs[String(at[0])] : undefined;
    if (known.docs && !Array.isArray(docs)) return null;
    const range = `${at[0]}+${at[1]}`;
    let text = texts.decoded.get(range);
    if (text === undefined) {
      const bytes = texts.bytes();
      if (typeof bytes === 'string') return bytes;
      if (at[0] + at[1] > bytes.length) return null;
      text = bytes.toString('utf8', at[0], at[0] + at[1]);
      // bytes that are no UTF-8 decode to U+FFFD, of another length
      if (Buffer.byteLength(text) !== size) return null;
      texts.decoded.set(range, text);
    }
    contents[path] = { text, ...(Array.isArray(docs) && { docs }) };
  }
  return contents;
}

/** The texts file a cache names (`texts: {file, size}`), beside it: its bytes, or what is wrong with it. */
function readTexts(cacheDir: string, cacheFile: string, named: unknown): Buffer | string {
  const base = path.basename(cacheFile, '.json');
  if (!isRecord(named) || typeof named.file !== 'string' || !textsFileName(base).test(named.file) || !Number.isSafeInteger(named.size)) return `${cacheFile} names no texts file of its own`;
  const file = path.join(cacheDir, named.file);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return `${file}, which ${cacheFile} names, cannot be read`;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size !== named.size || stat.size > INPUT_LIMITS.outTotalBytes) return `${file} is not the texts file ${cacheFile} names`;
    const bytes = Buffer.alloc(stat.size);
    for (let n = 0; n < bytes.length; ) {
      const read = fs.readSync(fd, bytes, n, bytes.length - n, n);
      if (read === 0) return `${file} is shorter than ${cacheFile} says`;
      n += read;
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/** The texts files of the cache named `<base>.json`: `<base>.<16 hex>.texts`. */
function textsFileName(base: string): RegExp {
  return new RegExp(`^${base}\\.[0-9a-f]{16}\\.texts$`);
}

function isFinding(value: unknown): value is Finding {
  return (
    isRecord(value) &&
    (value.severity === 'error' || value.severity === 'warning') &&
    (['rule', 'file', 'object', 'message', 'fix'] as const).every((k) => typeof value[k] === 'string') &&
    Object.keys(value).length === 6
  );
}

/**
 * Records every part of the OUT just written, once it is in place: the identity of each of its files
 * (`identities`, by path under OUT; undefined for one that was no regular file), and when check ran, the
 * findings of its file rules on each and each as check read it (`checked`). Written to a temporary file and renamed,
 * so the cache is the old one or the new one; a synth killed before this leaves the old one, whose records
 * of the parts rendered anew match no file any more (the next synth renders them again), and whose records
 * of the parts kept are still right. OUT is in place already, so nothing here fails the synth:
 * a cache that cannot be written is no cache, and a folder or link of that name is left as it is.
 */
export function writeCache(
  cacheDir: string,
  outDir: string,
  keys: ReadonlyMap<PartId, string>,
  identities: ReadonlyMap<string, string | undefined>,
  checked?: {
    readonly findings: ReadonlyMap<string, readonly Finding[]>;
    readonly clusters: ReadonlyMap<string, ClusterChecked>;
    readonly contents: ReadonlyMap<string, KnownFile>;
  },
): void {
  const parts: Record<
    string,
    { key: string; files: Record<string, string>; checked?: Record<string, readonly Finding[]>; contents?: Record<string, { at: readonly [number, number]; docs?: true }>; clusterChecked?: ClusterChecked }
  > = {};
  const incomplete = new Set<string>();
  // the texts, one after the other in one file: read back at once, where 16,500 files are 16,500 reads;
  // each text once (most files of a fleet's cluster folders are alike), and the documents of each once
  const texts: string[] = [];
  const textAt = new Map<string, readonly [number, number]>();
  const docs: Record<number, readonly unknown[] | null> = {};
  let size = 0;
  for (const [file, identity] of [...identities].sort(([a], [b]) => byCodePoint(a, b))) {
    const id = partOf(file);
    const key = id && keys.get(id);
    if (!id || !key || identity === undefined) continue;
    const part = (parts[id] ??= { key, files: {}, ...(checked && { checked: {}, contents: {} }) });
    part.files[file] = identity;
    if (!checked) continue;
    part.checked![file] = checked.findings.get(file) ?? [];
    const known = checked.contents.get(file);
    if (!known) {
      incomplete.add(id);
      continue;
    }
    let at = textAt.get(known.text);
    if (!at) {
      textAt.set(known.text, (at = [size, Buffer.byteLength(known.text)]));
      texts.push(known.text);
      size += at[1];
    }
    // one text, one list of documents (check parsed it, or took what synth serialized into it)
    if (known.docs && docs[at[0]] === undefined) docs[at[0]] = jsonExact(known.docs) ? known.docs : null;
    part.contents![file] = { at, ...(known.docs && docs[at[0]] && { docs: true as const }) };
  }
  // a part some file of which check did not read (a limit reached) is read from disk next time, not recorded
  for (const id of incomplete) delete parts[id].contents;
  for (const [cluster, found] of checked?.clusters ?? []) {
    const part = parts[clusterPart(cluster)];
    if (part?.contents) part.clusterChecked = found;
  }
  const cacheFile = cacheFileOf(cacheDir, outDir);
  if (!replaceable(cacheFile)) return;
  bestEffort(() => removeUnused(cacheDir));
  // One synth at a time writes the cache of an OUT (it holds OUT's lock): names of its own are enough, and
  // a kill leaves nothing the next write does not replace. The texts file has a new name each time, which
  // the cache names: a cache is never read with another's texts.
  const base = path.basename(cacheFile, '.json');
  const textsFile = `${base}.${crypto.randomBytes(8).toString('hex')}.texts`;
  const temporary = [`${cacheFile}.new`, path.join(cacheDir, `${textsFile}.new`)];
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeInChunks(temporary[1], (put) => texts.forEach(put));
    fs.renameSync(temporary[1], path.join(cacheDir, textsFile));
    // what JSON.stringify writes of {format, out, texts, docs, parts}, a list of documents and a part at a time
    const head = JSON.stringify({ format: CACHE_FORMAT, out: canonical(outDir), texts: { file: textsFile, size } });
    writeInChunks(temporary[0], (put) => {
      put(`${head.slice(0, -1)},"docs":{`);
      Object.entries(docs)
        .filter(([, list]) => list !== null)
        .forEach(([at, list], i) => put(`${i > 0 ? ',' : ''}"${at}":${JSON.stringify(list)}`));
      put('},"parts":{');
      Object.entries(parts).forEach(([id, part], i) => put(`${i > 0 ? ',' : ''}${JSON.stringify(id)}:${JSON.stringify(part)}`));
      put('}}\n');
    });
    fs.renameSync(temporary[0], cacheFile);
    removeTexts(cacheDir, base, textsFile);
  } catch {
    // an old cache left behind is still right (see above), and its texts file with it
    for (const file of temporary) bestEffort(() => fs.rmSync(file, { force: true }));
    bestEffort(() => fs.rmSync(path.join(cacheDir, textsFile), { force: true }));
  }
}

/** Bytes a cache file is written through at a time. */
const CHUNK_BYTES = 2 ** 20;

/**
 * Writes the strings `write` puts, one after the other, into `file` through a buffer of CHUNK_BYTES: at
 * a thousand clusters the cache is some 25 MB, which would otherwise be held whole at the synth's peak.
 */
function writeInChunks(file: string, write: (put: (text: string) => void) => void): void {
  const fd = fs.openSync(file, 'w');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    const flush = (bytes: Buffer, length: number): void => {
      for (let at = 0; at < length; ) at += fs.writeSync(fd, bytes, at, length - at);
    };
    write((text) => {
      const length = Buffer.byteLength(text);
      if (used + length > CHUNK_BYTES) {
        flush(chunk, used);
        used = 0;
      }
      if (length > CHUNK_BYTES) flush(Buffer.from(text), length);
      else used += chunk.write(text, used);
    });
    flush(chunk, used);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes the texts files of the cache `<base>.json` but `except` (regular files of synth's names only). */
function removeTexts(cacheDir: string, base: string, except?: string): void {
  const name = textsFileName(base);
  for (const entry of fs.readdirSync(cacheDir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name !== except && name.test(entry.name)) bestEffort(() => fs.rmSync(path.join(cacheDir, entry.name), { force: true }));
  }
}

/** True when JSON gives back exactly these values: no number it cannot write (NaN, Infinity, -0). */
function jsonExact(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return false;
    if (Array.isArray(v)) for (const item of v) pending.push(item);
    else if (isRecord(v)) for (const key in v) pending.push(v[key]);
  }
  return true;
}

/** Removes the cache of OUT, if any (a synth without cache leaves none that could be stale); like writeCache, never fails. */
export function removeCache(cacheDir: string, outDir: string): void {
  const cacheFile = cacheFileOf(cacheDir, outDir);
  if (!replaceable(cacheFile)) return;
  bestEffort(() => fs.rmSync(cacheFile, { force: true }));
  bestEffort(() => removeTexts(cacheDir, path.basename(cacheFile, '.json')));
}

function bestEffort(action: () => void): void {
  try {
    action();
  } catch {
    // see writeCache
  }
}

/** A cache unused this long is of an OUT that is gone or forgotten: removed when another is written. */
const UNUSED_DAYS = 30;
const CACHE_NAME = /^[0-9a-f]{32}(?:\.json|\.[0-9a-f]{16}\.texts)(?:\.new)?$/;

/** Removes the caches (regular files of synth's names only) that no synth wrote for UNUSED_DAYS. */
function removeUnused(cacheDir: string): void {
  const before = Date.now() - UNUSED_DAYS * 24 * 3600 * 1000;
  for (const entry of fs.readdirSync(cacheDir, { withFileTypes: true })) {
    if (!entry.isFile() || !CACHE_NAME.test(entry.name)) continue;
    const file = path.join(cacheDir, entry.name);
    if (fs.lstatSync(file).mtimeMs < before) fs.rmSync(file, { force: true });
  }
}

/** Missing, or a regular file: anything else of the cache's name is not synth's. */
function replaceable(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return true;
  }
}
