import * as fs from 'fs';
import * as path from 'path';
import { byCodePoint } from '../core/compare';
import { groupBy } from '../core/group';
import { excerpt } from '../core/excerpt';
import { journalsBeside } from '../core/out-journal';
import { FleetError, FleetIssue, SourcePath } from '../core/issues';
import { parseInputJson } from '../inputs/json';
import { INPUT_KINDS } from '../inputs/kinds';
import { INPUT_LIMITS } from '../inputs/limits';
import { describeFileType, formatBytes, openProblem, ReadOptions, readInputFile } from '../inputs/read-file';
import { isPlainYaml, parseYamlValues } from '../inputs/yaml';
import { generatorProblem, ISSUER_STATEMENT_FORMS, type SynthSummary } from '../core/summary';
import { Finding } from './finding';
import { isRecord, objectLabel } from '../core/objects';

/** A text file of OUT, relative path with `/`. */
export interface OutFile {
  readonly path: string;
  readonly text: string;
}

/** One document of a YAML file under OUT/kubernetes. */
export interface KubeObject {
  readonly file: string;
  /** The cluster folder it is in (its name under kubernetes/). */
  readonly folder: string;
  readonly obj: Record<string, unknown>;
  /** `Kind namespace/name` */
  readonly label: string;
}

/** One cdktf stack's `cdk.tf.json`, with lookups by Terraform address. */
export interface TerraformStack {
  readonly name: string;
  readonly file: string;
  /** `type` → `id` → the resource block. */
  readonly resources: ReadonlyMap<string, ReadonlyMap<string, Record<string, unknown>>>;
  readonly data: ReadonlyMap<string, ReadonlyMap<string, Record<string, unknown>>>;
  /** Output name → its `value` expression. */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** Stacks it declares a dependency on (manifest.json). */
  readonly dependencies: readonly string[];
  readonly json: Record<string, unknown>;
}

/** Everything `check` and `graph` read from OUT, parsed once; nothing comes from memory of a synth. */
export interface Artifacts {
  readonly summary: SynthSummary;
  /** Every text file outside `secrets/` and Terraform's working files. */
  readonly files: readonly OutFile[];
  readonly stacks: readonly TerraformStack[];
  /** Documents of kubernetes/<folder>/*.yaml, kustomization.yaml excluded. */
  readonly objects: readonly KubeObject[];
  /** What could not be read or parsed, as findings. */
  readonly problems: readonly Finding[];
}

/** An OUT a synth has staged, as check reads it before it is put in place. */
export interface StagedOut {
  /**
   * Files synth has just written into the staging folder, by path under it: the text, and for a YAML file of
   * the cluster folders the documents it serialized into it. A file of that path and size, within its limit,
   * is taken from memory instead of read again; its documents are taken instead of parsing the text when the
   * text is of the plain form that parses back to them (see `isPlainYaml`). The folders are walked and every
   * entry checked all the same, and any other file is read from disk.
   */
  readonly written?: ReadonlyMap<string, KnownFile>;
  /**
   * The size on disk of files synth has just written, by path under the staging folder, from the lstat it
   * makes of each once all are written (the synth cache's record of them). A written file its folder's
   * listing gives as a regular file, of a size here, is not stat'ed again.
   */
  readonly sizes?: ReadonlyMap<string, number>;
  /**
   * YAML texts synth rendered into string values of what it wrote (core/yaml's embeddedYaml), with the value
   * each is the YAML of: a rule that reads such a text takes the value where the text is plain and the value
   * one mapping, as it takes the documents of a written file.
   */
  readonly embedded?: ReadonlyMap<string, unknown>;
  /**
   * Folders of OUT that are elsewhere, by path under OUT: the parts a re-synth keeps in the previous OUT.
   * They are read there, as if they were in the staging folder.
   */
  readonly mounts?: ReadonlyMap<string, string>;
  /**
   * The files the mounted folders hold, when synth has found that they hold nothing else: every entry of OUT
   * one the previous synth wrote (out-ownership's assertReplaceable), each file of a part it keeps still the
   * one recorded (synth-cache's reusableParts). The mounted folders are then not listed again: their entries
   * are these files and the folders on their way.
   */
  readonly mountedFiles?: readonly string[];
  /**
   * Files read before and unchanged since (the synth cache's records of the parts kept), by path under OUT:
   * their text, and a YAML file's documents, taken instead of reading and parsing the file again.
   */
  readonly read?: ReadonlyMap<string, KnownFile>;
}

/** A file of OUT as check read it: its text, and the documents of a YAML file of the cluster folders. */
export interface KnownFile {
  readonly text: string;
  readonly docs?: readonly unknown[];
}

/** Not read: the Hive secrets (never checked, never quoted), and what Terraform writes into a stack folder. */
const SKIPPED_TOP = new Set(['secrets']);
const TERRAFORM_WORKING_FILES = new Set(['.terraform', '.terraform.lock.hcl', '.terraform.tfstate.lock.info', 'terraform.tfstate', 'terraform.tfstate.backup', 'terraform.tfstate.d']);
const SUMMARY = 'summary.json';
const RESTORE = 'restore the file from a synth, or synth again';

/** Thrown when OUT is not a synthesized folder at all: a usage error, not a finding. */
export class NotAnOutFolder extends Error {}

/**
 * Reads OUT back, bounded: summary.json first (a FleetError naming each field of it that does not have the
 * shape synth writes, so no rule has to doubt it), then every regular file, each of at most
 * INPUT_LIMITS.outFileBytes (outYamlFileBytes for YAML), no more than outFiles of them and outTotalBytes
 * together. Symbolic links, FIFOs, sockets and devices are findings, never followed or opened; so is a
 * file that cannot be read or parsed, and a limit reached (what lies beyond it is not read).
 *
 * `staged`: what a synth knows of the OUT it is about to put in place (StagedOut).
 */
export function readArtifacts(outDir: string, staged: StagedOut = {}): Artifacts {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(outDir);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) throw new NotAnOutFolder(`${outDir} is not a folder`);
  const problems: Finding[] = [];
  for (const journal of journalsBeside(outDir)) {
    problems.push(
      unreadable('.', `is being replaced by a synth, or a synth was killed while it replaced it: part of it may be new and part old (${path.basename(journal)} beside it lists the moves)`, 'wait for that synth to end, or run synth again: it completes the replacement'),
    );
  }
  const summaryFile = readSummaryFile(outDir);
  const summary = summaryOf(summaryFile.text, path.join(outDir, SUMMARY));
  const files = readTextFiles(outDir, summaryFile, problems, staged);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const budget = { aliasNodes: INPUT_LIMITS.outYamlAliasNodes };
  for (const f of files) if (KUBERNETES_YAML.test(f.path) && !parsedYaml.has(f)) parseOutYaml(f, problems, budget);
  const artifacts = {
    summary,
    files,
    stacks: readStacks(byPath, problems),
    objects: readObjects(files),
    problems,
  };
  embedded.set(artifacts, knownYaml(files, staged.embedded));
  return artifacts;
}

function readSummaryFile(outDir: string): OutFile {
  const file = path.join(outDir, SUMMARY);
  try {
    fs.lstatSync(file);
  } catch {
    throw new NotAnOutFolder(`${outDir} has no summary.json, so it is not an output folder of wisynth synth`);
  }
  try {
    return { path: SUMMARY, text: readInputFile(file, INPUT_KINDS.outFile, file, { noFollow: true }) };
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    throw new NotAnOutFolder(`${file} ${e.issues[0].message}, so it is not the summary wisynth synth writes`);
  }
}

/**
 * summary.json as the rules read it, or why not: not JSON or no `clusters` list (not a summary at all: a
 * NotAnOutFolder), or fields of another shape than synth writes (a FleetError naming each, at most
 * MAX_SUMMARY_ISSUES). Fields that older summaries lack are taken as empty; fields it does not know are kept.
 */
function summaryOf(text: string, file: string): SynthSummary {
  const parsed = parseInputJson(text);
  if (!parsed.ok) throw new NotAnOutFolder(`${file} is not a wisynth summary: ${parsed.kind === 'syntax' ? 'it is ' : ''}${parsed.problem}`);
  const value = parsed.value;
  if (!isRecord(value) || !Array.isArray(value.clusters)) throw new NotAnOutFolder(`${file} is not a wisynth summary (no clusters list)`);
  const foreign = generatorProblem(value);
  if (foreign) throw new NotAnOutFolder(`${path.dirname(file)}: its ${foreign}`);
  const issues: FleetIssue[] = [];
  const fix = `synth again to write ${SUMMARY} anew: check trusts what it says of each cluster, so it must keep the shape synth writes`;
  const wrong = (at: SourcePath, what: string, v: unknown): void => {
    if (issues.length < MAX_SUMMARY_ISSUES) issues.push({ file, source: at, message: `must be ${what}, not ${v === undefined ? 'missing' : excerpt(v)}`, fix });
    else if (issues.length === MAX_SUMMARY_ISSUES) issues.push({ file, message: 'and more fields of another shape, not shown', fix });
  };
  const str = (at: SourcePath, v: unknown, optional = false): void => {
    if (typeof v !== 'string' && !(optional && v === undefined)) wrong(at, 'a string', v);
  };
  const list = (at: SourcePath, v: unknown, item: (at: SourcePath, v: unknown) => void): void => {
    if (v === undefined) return;
    if (!Array.isArray(v)) return wrong(at, 'a list', v);
    v.forEach((x, i) => item([...at, i], x));
  };
  const record = (at: SourcePath, v: unknown, fields: Record<string, 'string' | 'string?' | 'strings'>): void => {
    if (!isRecord(v)) return wrong(at, 'an object', v);
    for (const [key, type] of Object.entries(fields)) {
      if (type === 'strings') {
        if (!Array.isArray(v[key])) wrong([...at, key], 'a list of strings', v[key]);
        else list([...at, key], v[key], (a, x) => str(a, x));
      } else str([...at, key], v[key], type === 'string?');
    }
  };
  str(['fleet'], value.fleet);
  list(['stacks'], value.stacks, (at, v) => str(at, v));
  list(['clusters'], value.clusters, (at, v) => {
    record(at, v, { name: 'string', platform: 'string', folder: 'string', issuer: 'string', appliedTo: 'string?', signingKeyId: 'string?' });
    if (isRecord(v)) {
      list([...at, 'previousIssuers'], v.previousIssuers, (a, x) => record(a, x, { issuer: 'string', retireAfter: 'string?' }));
      list([...at, 'issuerStatedIn'], v.issuerStatedIn, (a, x) => {
        record(a, x, { file: 'string', form: 'string', name: 'string?' });
        if (isRecord(x) && typeof x.form === 'string' && !(ISSUER_STATEMENT_FORMS as readonly string[]).includes(x.form)) wrong([...a, 'form'], `one of ${ISSUER_STATEMENT_FORMS.join(', ')}`, x.form);
      });
      if (v.webhook !== undefined) {
        const w = v.webhook;
        if (!isRecord(w) || (w.managed !== true && w.managed !== false)) wrong([...at, 'webhook'], '{"managed": true} or {"managed": false, "valuesFiles": [...]}', w);
        else if (w.managed === false) record([...at, 'webhook'], w, { valuesFiles: 'strings' });
      }
      list([...at, 'externalServiceAccounts'], v.externalServiceAccounts, (a, x) => record(a, x, { namespace: 'string', name: 'string', audience: 'string', installedBy: 'string' }));
      list([...at, 'externalNamespaces'], v.externalNamespaces, (a, x) => record(a, x, { namespace: 'string', serviceAccounts: 'strings' }));
    }
  });
  list(['placeholders'], value.placeholders, (at, v) => record(at, v, { output: 'string', usedBy: 'strings' }));
  if (value.resolvedOutputs !== undefined) {
    if (!isRecord(value.resolvedOutputs)) wrong(['resolvedOutputs'], 'an object of output names and values', value.resolvedOutputs);
    else for (const [k, v] of Object.entries(value.resolvedOutputs)) str(['resolvedOutputs', k], v);
  }
  list(['warnings'], value.warnings, (at, v) => str(at, v));
  list(['skippedCredentialsRequests'], value.skippedCredentialsRequests, (at, v) => record(at, v, { cluster: 'string', name: 'string', file: 'string', reason: 'string' }));
  list(['files'], value.files, (at, v) => str(at, v));
  if (issues.length > 0) throw new FleetError(issues);
  return {
    ...value,
    stacks: value.stacks ?? [],
    placeholders: value.placeholders ?? [],
    resolvedOutputs: value.resolvedOutputs ?? {},
    warnings: value.warnings ?? [],
    skippedCredentialsRequests: value.skippedCredentialsRequests ?? [],
    files: value.files ?? [],
  } as unknown as SynthSummary;
}

/** Field problems of one summary.json that are listed; a summary wrong all over gets a line for the rest. */
const MAX_SUMMARY_ISSUES = 20;

/** Files below OUT in code-point order of their paths' parts (depth first), without recursion. */
function readTextFiles(root: string, summary: OutFile, problems: Finding[], { written, sizes, mounts = new Map(), mountedFiles, read: before }: StagedOut): OutFile[] {
  const { located, mountedIn } = mountedView(root, mounts);
  const held = mountedFiles && entriesHeld(mounts, mountedFiles);
  const files: OutFile[] = [];
  let total = 0;
  let count = 0;
  let stopped = false;
  const stop = (message: string): void => {
    stopped = true;
    problems.push(unreadable('.', message, 'remove what synth did not write from OUT, or synth again into an empty folder'));
  };
  // the entries still to visit, the next one last; `file` when the folder's listing gives a regular file,
  // `folder` when it gives a folder (a symbolic link is neither), or synth has found a mounted one to be one
  type Entry = { readonly name: string; readonly file?: boolean; readonly folder?: boolean };
  const pending: Array<Omit<Entry, 'name'> & { readonly rel: string; readonly depth: number }> = [];
  const visitFolder = (rel: string, depth: number): void => {
    const names: Entry[] = [];
    const add = (entry: Entry): boolean => {
      if (++count > INPUT_LIMITS.outFiles) {
        stop(`holds more than ${INPUT_LIMITS.outFiles} files and folders; check read no further`);
        return false;
      }
      names.push(entry);
      return true;
    };
    for (const name of mountedIn.get(rel) ?? []) if (!add({ name, folder: held?.has(rel ? `${rel}/${name}` : name) })) return;
    const heldHere = held?.get(rel);
    if (heldHere) {
      for (const [name, file] of heldHere) if (!add({ name, file, folder: !file })) return;
      return sortPending(rel, names, depth);
    }
    const dir = located(rel);
    let handle: fs.Dir | undefined;
    let entries: Iterable<fs.Dirent>;
    try {
      // A folder of a synth's staging, which synth made (mkdtemp: this user's alone) and wrote, is listed at
      // once; any other through the bounded reader, an entry at a time, however many it holds.
      if (written && (dir === root || dir.startsWith(`${root}${path.sep}`))) entries = fs.readdirSync(dir, { withFileTypes: true });
      else entries = entriesOf((handle = fs.opendirSync(dir)));
    } catch (e) {
      // a folder of the staging that holds mounted folders only
      if (mountedIn.has(rel) && (e as NodeJS.ErrnoException).code === 'ENOENT') return sortPending(rel, names, depth);
      problems.push(unreadable(rel, `cannot be read: ${openProblem(e as NodeJS.ErrnoException)}`, "check the folder's permissions, or synth again"));
      return;
    }
    try {
      for (const entry of entries) {
        if (rel === '' ? SKIPPED_TOP.has(entry.name) : TERRAFORM_WORKING_FILES.has(entry.name) && /^terraform\/stacks\/[^/]+$/.test(rel)) continue;
        if (entry.name === '.terraform') continue;
        if (mountedIn.get(rel)?.has(entry.name)) continue;
        if (!add({ name: entry.name, file: entry.isFile(), folder: entry.isDirectory() })) return;
      }
    } finally {
      handle?.closeSync();
    }
    sortPending(rel, names, depth);
  };
  const sortPending = (rel: string, names: Entry[], depth: number): void => {
    names.sort((a, b) => byCodePoint(b.name, a.name));
    for (const { name, file, folder } of names) pending.push({ rel: rel ? `${rel}/${name}` : name, depth, file, folder });
  };
  const enterFolder = (rel: string, depth: number): void => {
    if (depth >= INPUT_LIMITS.outDepth) problems.push(unreadable(rel, `is a folder ${depth} levels deep in OUT; check reads no deeper than ${INPUT_LIMITS.outDepth}`, 'remove what synth did not write from OUT, or synth again'));
    else visitFolder(rel, depth + 1);
  };
  const kindOf = (rel: string) => (/\.ya?ml$/.test(rel) ? INPUT_KINDS.outYamlFile : INPUT_KINDS.outFile);
  const read = (rel: string, options: ReadOptions): string | undefined => {
    try {
      return readInputFile(located(rel), kindOf(rel), rel, { noFollow: true, ...options });
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      problems.push(...e.issues.map((i) => unreadable(rel, i.message, i.fix)));
      return undefined;
    }
  };
  const overBudget = (size: number, rel: string): boolean => {
    if (total + size <= INPUT_LIMITS.outTotalBytes) return false;
    stop(`holds files of more than ${formatBytes(INPUT_LIMITS.outTotalBytes)} together; check read no further than ${rel}`);
    return true;
  };
  visitFolder('', 1);
  while (!stopped && pending.length > 0) {
    const { rel, depth, file, folder } = pending.pop()!;
    if (folder) {
      enterFolder(rel, depth);
      continue;
    }
    if (rel === SUMMARY) {
      files.push(summary);
      total += Buffer.byteLength(summary.text);
      continue;
    }
    // A file synth did not just write, listed as a regular file: opened without an lstat first (the open
    // follows no link and does not block, and the descriptor is checked), its size counted once read.
    if (file && !written?.has(rel)) {
      const known = before?.get(rel);
      const text = known?.text ?? read(rel, { known: 'file' });
      if (text === undefined) continue;
      const size = Buffer.byteLength(text);
      if (overBudget(size, rel)) break;
      total += size;
      const f = { path: rel, text };
      files.push(f);
      if (known?.docs) parsedYaml.set(f, known.docs);
      continue;
    }
    // a file synth has just written and stat'ed, listed as a regular file: its size is known
    let known: fs.Stats | 'file' = 'file';
    let size = file ? sizes?.get(rel) : undefined;
    if (size === undefined) {
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(located(rel));
      } catch (e) {
        if (mountedIn.has(rel) && (e as NodeJS.ErrnoException).code === 'ENOENT') {
          visitFolder(rel, depth + 1);
          continue;
        }
        problems.push(unreadable(rel, `cannot be read: ${openProblem(e as NodeJS.ErrnoException)}`, RESTORE));
        continue;
      }
      if (stat.isDirectory()) {
        enterFolder(rel, depth);
        continue;
      }
      if (stat.isSymbolicLink()) {
        problems.push(unreadable(rel, 'is a symbolic link; synth writes none, and check does not follow it', 'replace it with the file it points to, or synth again'));
        continue;
      }
      if (!stat.isFile()) {
        problems.push(unreadable(rel, `is ${describeFileType(stat)}, not a file; synth writes only files and folders`, 'remove it, or synth again'));
        continue;
      }
      known = stat;
      size = stat.size;
    }
    if (overBudget(size, rel)) break;
    const writtenFile = written?.get(rel);
    const taken = writtenFile !== undefined && size <= kindOf(rel).limit && Buffer.byteLength(writtenFile.text) === size ? writtenFile : undefined;
    const text = taken?.text ?? read(rel, { known });
    if (text === undefined) continue;
    total += size;
    const f = { path: rel, text };
    files.push(f);
    // js-yaml reads its own output of plain data back as that data; any other text is parsed
    if (taken?.docs && (KUBERNETES_YAML.test(rel) || CLUSTER_YAML.test(rel)) && isPlainYaml(text)) parsedYaml.set(f, taken.docs.filter((d) => d !== null && d !== undefined));
  }
  return files;
}

/**
 * The entries of each mounted folder, and of each folder below one, from the files they hold: by folder, each
 * name and whether it is a file (else a folder on the way to one).
 */
function entriesHeld(mounts: ReadonlyMap<string, string>, files: readonly string[]): Map<string, Map<string, boolean>> {
  const held = new Map<string, Map<string, boolean>>([...mounts.keys()].map((mount) => [mount, new Map()]));
  for (const file of files) {
    const parts = file.split('/');
    let inside = false;
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      inside ||= mounts.has(folder);
      if (!inside) continue;
      let entries = held.get(folder);
      if (!entries) held.set(folder, (entries = new Map()));
      entries.set(parts[i], i === parts.length - 1);
    }
  }
  return held;
}

function* entriesOf(handle: fs.Dir): Generator<fs.Dirent> {
  for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) yield entry;
}

/**
 * Where each path under OUT is on disk (in `root`, or in a mounted folder), and the names that the mounted
 * folders add to each folder on their way: `terraform/stacks/a` adds `terraform` to OUT, `stacks` to
 * `terraform` and `a` to `terraform/stacks`.
 */
function mountedView(root: string, mounts: ReadonlyMap<string, string>): { located: (rel: string) => string; mountedIn: ReadonlyMap<string, ReadonlySet<string>> } {
  const mountedIn = new Map<string, Set<string>>();
  for (const mount of mounts.keys()) {
    const parts = mount.split('/');
    parts.forEach((name, i) => {
      const parent = parts.slice(0, i).join('/');
      const names = mountedIn.get(parent) ?? new Set<string>();
      mountedIn.set(parent, names.add(name));
    });
  }
  const located = (rel: string): string => {
    if (mounts.size > 0) {
      for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
        const at = mounts.get(rel.slice(0, i));
        if (at !== undefined) return path.join(at, ...rel.slice(i + 1).split('/'));
      }
      const at = mounts.get(rel);
      if (at !== undefined) return at;
    }
    return path.join(root, rel);
  };
  return { located, mountedIn };
}

function readStacks(byPath: ReadonlyMap<string, OutFile>, problems: Finding[]): TerraformStack[] {
  const manifestFile = byPath.get('terraform/manifest.json');
  if (!manifestFile) {
    problems.push(unreadable('terraform/manifest.json', 'is missing', 'synth again: cdktf writes it beside the stacks'));
    return [];
  }
  const manifest = parseJson(manifestFile, problems);
  if (!isRecord(manifest) || !isRecord(manifest.stacks)) return [];
  return Object.entries(manifest.stacks).flatMap(([name, entry]) => {
    const rel = isRecord(entry) && typeof entry.synthesizedStackPath === 'string' ? entry.synthesizedStackPath : `stacks/${name}/cdk.tf.json`;
    const file = path.posix.join('terraform', rel);
    const stackFile = byPath.get(file);
    if (!stackFile) {
      problems.push(unreadable(file, `is missing, but terraform/manifest.json lists stack ${name}`, 'synth again, or remove the stack from the manifest'));
      return [];
    }
    const json = parseJson(stackFile, problems);
    if (!isRecord(json)) return [];
    const dependencies = isRecord(entry) && Array.isArray(entry.dependencies) ? entry.dependencies.filter((d): d is string => typeof d === 'string') : [];
    return [
      {
        name,
        file,
        resources: blocks(json.resource),
        data: blocks(json.data),
        outputs: new Map(Object.entries(isRecord(json.output) ? json.output : {}).map(([k, v]) => [k, isRecord(v) ? v.value : undefined])),
        dependencies,
        json,
      },
    ];
  });
}

function blocks(value: unknown): Map<string, Map<string, Record<string, unknown>>> {
  const out = new Map<string, Map<string, Record<string, unknown>>>();
  if (!isRecord(value)) return out;
  for (const [type, byId] of Object.entries(value)) {
    if (!isRecord(byId)) continue;
    out.set(type, new Map(Object.entries(byId).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))));
  }
  return out;
}

/** The YAML files of the cluster folders: their objects, and the kustomization the kustomization rule reads. */
const KUBERNETES_YAML = /^kubernetes\/[^/]+\/[^/]+\.ya?ml$/;

/** The YAML files of OUT/clusters/<cluster>/ (kind, kubeadm and Giant Swarm configuration): the rules read each as one mapping. */
const CLUSTER_YAML = /^clusters\/[^/]+\/[^/]+\.ya?ml$/;

/** Documents of the YAML files of OUT, parsed once (under one alias budget for all of OUT) and kept for the rules. */
const parsedYaml = new WeakMap<OutFile, readonly unknown[]>();

function readObjects(files: readonly OutFile[]): KubeObject[] {
  return files
    .filter((f) => KUBERNETES_YAML.test(f.path) && !/\/kustomization\.ya?ml$/.test(f.path))
    .flatMap((f) => {
      const folder = f.path.split('/')[1];
      return (parsedYaml.get(f) ?? []).filter(isRecord).map((obj) => ({ file: f.path, folder, obj, label: objectLabel(obj) }));
    });
}

function parseOutYaml(file: OutFile, problems: Finding[], budget: { aliasNodes: number }): readonly unknown[] {
  const parsed = parseYamlValues(file.text, { aliasNodes: budget.aliasNodes });
  if (!parsed.ok) {
    const { kind, message, line, fix } = parsed.problem;
    const where = line === undefined ? '' : ` (line ${line})`;
    const limited = kind === 'limit' && budget.aliasNodes < INPUT_LIMITS.yamlAliasNodes ? ` (all YAML files of OUT together: synth writes no aliases)` : '';
    problems.push(unreadable(file.path, kind === 'syntax' ? `is not valid YAML${where}: ${message}` : `cannot be read${where}: ${message}${limited}`, kind === 'syntax' ? 'restore the file from a synth, or fix the syntax' : `${fix}; or restore the file from a synth`));
    parsedYaml.set(file, []);
    return [];
  }
  budget.aliasNodes -= parsed.aliasNodes;
  const docs = parsed.values.filter((d) => d !== null && d !== undefined);
  parsedYaml.set(file, docs);
  return docs;
}

export function parseJson(file: OutFile, problems: Finding[]): unknown {
  const parsed = parseInputJson(file.text);
  if (parsed.ok) return parsed.value;
  problems.push(unreadable(file.path, parsed.kind === 'syntax' ? `is ${parsed.problem}` : `cannot be read: ${parsed.problem}`, 'restore the file from a synth, or fix the syntax'));
  return undefined;
}

/** The documents of a YAML file of the cluster folders, as they were parsed when OUT was read. */
export function documentsOf(file: OutFile): readonly unknown[] | undefined {
  return parsedYaml.get(file);
}

/** The documents of a YAML file of OUT (parsed when OUT was read, for its cluster folders); problems go to `problems`. */
export function parseYamlDocuments(file: OutFile, problems: Finding[]): unknown[] {
  const known = parsedYaml.get(file);
  if (known) return [...known];
  return [...parseOutYaml(file, problems, { aliasNodes: INPUT_LIMITS.embeddedYamlAliasNodes })];
}

/** Parses JSON whose errors the reader reports already; undefined when it is not JSON (or nests too deep). */
export function parseJsonQuietly(text: string): unknown {
  const parsed = parseInputJson(text);
  return parsed.ok ? parsed.value : undefined;
}

const embedded = new WeakMap<object, Map<string, Record<string, unknown> | undefined>>();

/**
 * `parseEmbeddedYaml` for the rules over one OUT: each text is parsed once, however many rules read it.
 * `artifacts`: what the rule reads, the Artifacts or the files the file rules get (the same object unless a
 * re-synth keeps parts).
 */
export function embeddedYamlIn(artifacts: Pick<Artifacts, 'files'>, text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  let parsed = embedded.get(artifacts);
  if (!parsed) embedded.set(artifacts, (parsed = new Map()));
  if (!parsed.has(text)) parsed.set(text, parseEmbeddedYaml(text));
  return parsed.get(text);
}

/**
 * The mapping of each YAML text whose value is known, for `embeddedYamlIn` to take instead of parsing it:
 * YAML files of the cluster folders whose documents are known (synth serialized them, or the synth cache
 * recorded them as check read them), and plain texts synth rendered into string values of one mapping.
 */
function knownYaml(files: readonly OutFile[], rendered: ReadonlyMap<string, unknown> = new Map()): Map<string, Record<string, unknown> | undefined> {
  const known = new Map<string, Record<string, unknown> | undefined>();
  for (const [text, value] of rendered) if (isRecord(value) && isPlainYaml(text)) known.set(text, value);
  for (const f of files) {
    const docs = CLUSTER_YAML.test(f.path) ? parsedYaml.get(f) : undefined;
    if (docs) known.set(f.text, docs.length === 1 && isRecord(docs[0]) ? docs[0] : undefined);
  }
  return known;
}

/** Parses YAML held in a string (a Secret's stringData entry, a kubeadm patch); undefined when it is not one mapping. */
function parseEmbeddedYaml(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  const parsed = parseYamlValues(text, { aliasNodes: INPUT_LIMITS.embeddedYamlAliasNodes });
  if (!parsed.ok || parsed.values.length !== 1) return undefined;
  const value = parsed.values[0];
  return isRecord(value) ? value : undefined;
}

function unreadable(file: string, what: string, fix: string): Finding {
  return { severity: 'error', rule: 'readable', file, object: '(file)', message: `${file === '.' ? 'OUT' : file} ${what}`, fix };
}

/**
 * Lookups the rules share, built once per Artifacts: a rule that asks per cluster then costs what that
 * cluster has, not what OUT has, so check stays linear in the fleet.
 */
interface ArtifactIndex {
  readonly fileAt: ReadonlyMap<string, OutFile>;
  readonly stackAt: ReadonlyMap<string, TerraformStack>;
  /** Files by their first two path segments (`oidc/<cluster>`, `clusters/<cluster>`, `kubernetes/<cluster>`). */
  readonly filesIn: ReadonlyMap<string, readonly OutFile[]>;
  /** Objects by their folder, `kubernetes/<cluster>`. */
  readonly objectsIn: ReadonlyMap<string, readonly KubeObject[]>;
  /** The folders applied to each cluster: its own, and those of the Hive clusters it hosts. */
  readonly foldersAppliedTo: ReadonlyMap<string, readonly string[]>;
}

const indexes = new WeakMap<Artifacts, ArtifactIndex>();

function indexOf(artifacts: Artifacts): ArtifactIndex {
  let index = indexes.get(artifacts);
  if (!index) {
    index = {
      fileAt: new Map(artifacts.files.map((f) => [f.path, f])),
      stackAt: new Map(artifacts.stacks.map((s) => [s.file, s])),
      filesIn: groupBy(artifacts.files, (f) => /^[^/]+\/[^/]+(?=\/)/.exec(f.path)?.[0]),
      objectsIn: groupBy(artifacts.objects, (o) => `kubernetes/${o.folder}`),
      foldersAppliedTo: new Map([...groupBy(artifacts.summary.clusters, (c) => c.appliedTo ?? c.name)].map(([cluster, cs]) => [cluster, cs.map((c) => c.folder)])),
    };
    indexes.set(artifacts, index);
  }
  return index;
}

/** The file of OUT at `path`, if there is one. */
export function fileAt(artifacts: Artifacts, path: string): OutFile | undefined {
  return indexOf(artifacts).fileAt.get(path);
}

/** The Terraform stack whose file is `path`, if there is one. */
export function stackAt(artifacts: Artifacts, path: string): TerraformStack | undefined {
  return indexOf(artifacts).stackAt.get(path);
}

/** The files below `<top>/<name>/` (for example `oidc/<cluster>`), in OUT's order. */
export function filesIn(artifacts: Artifacts, top: string, name: string): readonly OutFile[] {
  return indexOf(artifacts).filesIn.get(`${top}/${name}`) ?? [];
}

/** The objects of one folder, `kubernetes/<cluster>`, in OUT's order. */
export function objectsIn(artifacts: Artifacts, folder: string): readonly KubeObject[] {
  return indexOf(artifacts).objectsIn.get(folder) ?? [];
}

/** The objects applied to `cluster`: its own folder's, and those of the Hive clusters it hosts. */
export function objectsAppliedTo(artifacts: Artifacts, cluster: string): KubeObject[] {
  const folders = indexOf(artifacts).foldersAppliedTo.get(cluster) ?? [];
  if (folders.length <= 1) return folders.length === 0 ? [] : [...objectsIn(artifacts, folders[0])];
  // a hub: its folder and its Hive clusters', in OUT's order
  const applied = new Set(folders);
  return artifacts.objects.filter((o) => applied.has(`kubernetes/${o.folder}`));
}

/** Reads a path of plain keys inside parsed YAML or JSON. */
export function at(value: unknown, ...keys: Array<string | number>): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof k === 'number') v = Array.isArray(v) ? v[k] : undefined;
    else v = isRecord(v) ? v[k] : undefined;
  }
  return v;
}
