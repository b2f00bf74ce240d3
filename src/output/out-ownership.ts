import * as fs from 'fs';
import * as path from 'path';
import { INPUT_LIMITS } from '../inputs/limits';
import { parseInputJson } from '../inputs/json';
import { INPUT_KINDS } from '../inputs/kinds';
import { readInputFile } from '../inputs/read-file';
import { isRecord } from '../core/objects';
import { FleetError } from '../core/issues';
import { ReplaceRefused } from './atomic-dir';
import {
  GRAPH_FILE,
  OUT_TOP_LEVEL,
  SUMMARY_FILE,
  generatorProblem,
  TERRAFORM_STATE_FILES,
  TERRAFORM_STATE_LOCK,
  TERRAFORM_WORKING_FILES,
} from '../core/summary';

/** A folder synth replaces as a whole: OUT, or a part of it redirected by cdktf's or cdk8s's CLI. */
export interface OutTarget {
  /** Absolute path. */
  readonly dir: string;
  /** How the user names it, for messages: `OUT`, `CDKTF_OUTDIR`, `CDK8S_OUTDIR`. */
  readonly label: string;
  /** How the user chooses another one. */
  readonly option: string;
  /** Where its files are listed in summary.json: '' for OUT, `terraform/` or `kubernetes/` for a part. */
  readonly prefix: '' | 'terraform/' | 'kubernetes/';
}

/** Something synth reads (or Terraform writes): OUT must not hold it, or a re-synth would delete it. */
export interface SynthInput {
  readonly what: string;
  readonly path: string;
}

const MAX_NAMED = 5;

/**
 * Refuses targets that overlap: a part inside OUT other than at its own place, OUT inside a part, two parts
 * in one another. Replacing one would delete or orphan the other.
 */
export function assertTargetsApart(targets: readonly OutTarget[]): void {
  for (const t of targets) {
    if (path.dirname(t.dir) === t.dir) throw new ReplaceRefused(t.dir, `${t.label} is the root of the file system`, `choose a folder of its own (${t.option})`);
  }
  for (const a of targets) {
    for (const b of targets) {
      if (a === b || !isInside(canonical(a.dir), canonical(b.dir))) continue;
      const where = canonical(a.dir) === canonical(b.dir) ? 'the same folder as' : 'inside';
      throw new ReplaceRefused(a.dir, `${a.label} is ${where} ${b.label} (${b.dir}): replacing ${b.label} would delete it`, `choose a ${a.label} outside ${b.dir} (${a.option}), or unset it`);
    }
  }
}

/** Refuses a target that holds an input: the fleet's folder, a key, CredentialsRequests, secret or outputs files, the local state. */
export function assertHoldsNoInput(target: OutTarget, inputs: readonly SynthInput[]): void {
  const dir = canonical(target.dir);
  for (const input of inputs) {
    const real = canonical(input.path);
    if (!isInside(real, dir)) continue;
    const rel = path.relative(dir, real);
    throw new ReplaceRefused(
      target.dir,
      rel === ''
        ? `${target.label} is ${input.what}: every synth replaces ${target.label} as a whole, so all of it would be deleted`
        : `${target.label} holds ${input.what} ${rel}: every synth replaces ${target.label} as a whole, so it would be deleted`,
      rel === ''
        ? `give ${target.label} a folder of its own (${target.option}), e.g. a new folder dist beside the fleet file`
        : `keep inputs outside ${target.label}: move ${rel} out of ${target.dir}, or choose another output folder (${target.option})`,
    );
  }
}

/** What a previous wisynth OUT says it wrote: the paths of its summary.json `files`. */
export type OwnedFiles = ReadonlySet<string>;

/**
 * The files a previous synth listed in OUT/summary.json, or the reason OUT is not wisynth's.
 * A summary counts when it carries SUMMARY_GENERATOR (or is format 0, written before the marker existed,
 * recognised by its exact shape) and every listed path lies in OUT's layout.
 */
export function readOwnedFiles(outDir: string): { readonly files: OwnedFiles } | { readonly problem: string } {
  const file = path.join(outDir, SUMMARY_FILE);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return { problem: `it has no ${SUMMARY_FILE}` };
  }
  if (!stat.isFile()) return { problem: `its ${SUMMARY_FILE} is not a regular file` };
  if (stat.size > INPUT_LIMITS.outFileBytes) return { problem: `its ${SUMMARY_FILE} is larger than any wisynth writes` };
  const parsed = parseInputJson(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) return { problem: `its ${SUMMARY_FILE} is ${parsed.problem}` };
  const s = parsed.value as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return { problem: `its ${SUMMARY_FILE} is not a JSON object` };
  const foreign = generatorProblem(s);
  if (foreign) return { problem: `its ${foreign}` };
  if (!Array.isArray(s.files)) return { problem: `its ${SUMMARY_FILE} has no "files" list` };
  const bad = s.files.find((f) => !isLayoutPath(f));
  if (bad !== undefined) return { problem: `its ${SUMMARY_FILE} lists ${JSON.stringify(bad)}, a path synth never writes` };
  return { files: new Set(s.files as string[]) };
}

/**
 * Refuses to replace a target that is not empty and holds anything the previous synth did not list
 * (`owned`, undefined when there is no wisynth OUT to ask), apart from Terraform's working files in stack
 * folders and `graph.md` at the top of OUT. `ownerProblem` says why `owned` is missing.
 */
export function assertReplaceable(target: OutTarget, owned: OwnedFiles | undefined, ownerProblem?: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target.dir);
  } catch {
    return; // missing: nothing to lose
  }
  if (stat.isSymbolicLink()) {
    throw new ReplaceRefused(target.dir, `${target.label} is a symbolic link; synth replaces the folder by rename, which would replace the link, not what it points to`, `name the folder it points to (${target.option})`);
  }
  if (!stat.isDirectory()) {
    throw new ReplaceRefused(target.dir, `${target.label} exists and is not a folder`, `choose a new or empty folder (${target.option}), or move the file away`);
  }
  if (fs.readdirSync(target.dir).length === 0) return;
  if (!owned) {
    const why = target.prefix === '' ? ownerProblem ?? 'no wisynth summary.json' : `no summary.json of OUT lists its files${ownerProblem ? ` (OUT: ${ownerProblem})` : ''}`;
    throw new ReplaceRefused(
      target.dir,
      `${target.label} is not empty and ${why}, so wisynth did not write it`,
      `choose a new or empty folder (${target.option}); if an earlier wisynth wrote it, delete it first${target.prefix === 'kubernetes/' ? '' : ' (moving out any terraform.tfstate* of its stacks/*/ folders)'}`,
    );
  }
  const { foreign, locked } = walkPrevious(target, owned);
  if (foreign.length > 0) {
    const named = foreign.slice(0, MAX_NAMED).join(', ') + (foreign.length > MAX_NAMED ? ` and more` : '');
    throw new ReplaceRefused(
      target.dir,
      `${target.label} holds ${named}, which wisynth did not write (not in the files of OUT's summary.json); synth replaces ${target.label} as a whole, so it would be deleted`,
      `move ${foreign.length === 1 ? 'it' : 'them'} out of ${target.label}, or choose another output folder (${target.option})`,
    );
  }
  if (locked) {
    const shown = locked.rel ? `${target.label}/${locked.rel}` : target.label;
    throw locked.error.code === 'EROFS'
      ? new ReplaceRefused(target.dir, `cannot replace ${target.label}: ${shown} is on a read-only file system`, `point ${target.option} at a writable disk`)
      : new ReplaceRefused(
          target.dir,
          `cannot replace ${target.label}: this user may not change ${shown} (${locked.error.code ?? 'permission denied'}), so the previous output could not be removed`,
          `make it writable (chmod -R u+w ${target.dir}), or choose another output folder (${target.option})`,
        );
  }
}

/**
 * Refuses to go on while Terraform holds a local state lock in a stack folder (it may be writing state
 * there right now), or when a stack folder holding state would be dropped because the fleet no longer has
 * that stack. `terraformDir` is where the previous Terraform part is; `stacks` the stacks about to be written.
 */
export function assertNoStateLost(terraformDir: string, stacks: readonly string[], localStateDir?: string): void {
  const stacksDir = path.join(terraformDir, 'stacks');
  for (const stack of listDirs(stacksDir)) {
    const dir = path.join(stacksDir, stack);
    if (localStateDir !== undefined && !stacks.includes(stack)) assertStateEmpty(path.join(localStateDir, `${stack}.tfstate`), stack, dir);
    if (fs.existsSync(path.join(dir, TERRAFORM_STATE_LOCK))) {
      throw new ReplaceRefused(path.join(dir, TERRAFORM_STATE_LOCK), 'Terraform holds the lock of the state in this stack folder: it is running there, or it was interrupted', 'wait for terraform to finish; if it was interrupted, run `terraform force-unlock` in that folder');
    }
    const state = TERRAFORM_STATE_FILES.filter((f) => fs.existsSync(path.join(dir, f)));
    if (state.length > 0 && !stacks.includes(stack)) {
      throw new ReplaceRefused(
        dir,
        `this stack folder holds Terraform state (${state.join(', ')}), but the fleet no longer has stack ${stack}: synth would drop the folder`,
        `move the state out of ${dir} (or run terraform destroy there first), then synth again`,
      );
    }
  }
}

/**
 * The local state of a stack the fleet no longer has (a removed cluster's, in the perCluster layout) must hold
 * no resource: Terraform destroys only what a configuration it runs still names, so those resources would
 * stay in Azure with nothing to remove them. A state it cannot read is refused too.
 */
function assertStateEmpty(stateFile: string, stack: string, stackDir: string): void {
  if (!fs.existsSync(stateFile)) return;
  const fix = `destroy the stack's resources first: run terraform destroy in ${stackDir} (or cdktf destroy ${stack}) while its cluster is still in the fleet, then remove the cluster and synth again`;
  let text: string;
  try {
    text = readInputFile(stateFile, INPUT_KINDS.terraformState);
  } catch (e) {
    if (e instanceof FleetError) throw new ReplaceRefused(stateFile, `the state of stack ${stack}, which the fleet no longer has, cannot be read: ${e.issues[0].message}`, fix);
    throw e;
  }
  const parsed = parseInputJson(text);
  const resources = parsed.ok && isRecord(parsed.value) ? parsed.value.resources : undefined;
  if (!Array.isArray(resources)) throw new ReplaceRefused(stateFile, `the state of stack ${stack}, which the fleet no longer has, is no Terraform state (no resources list)`, fix);
  // hashicorp/terraform internal/states/statefile/version4.go (resourceStateV4): mode "managed" with instances; "data" is reread
  const managed = resources.filter((r) => isRecord(r) && r.mode === 'managed' && Array.isArray(r.instances) && r.instances.length > 0);
  if (managed.length > 0) {
    throw new ReplaceRefused(stateFile, `the state of stack ${stack} still holds ${managed.length} resource(s), but the fleet no longer has that stack: Terraform would leave them in Azure, in no configuration`, fix);
  }
}

/** Copies Terraform's working files of each stack that is written again from the previous part into the staged one. */
export function carryTerraformWorkingFiles(previous: string, staged: string): void {
  const stacksDir = path.join(previous, 'stacks');
  for (const stack of listDirs(stacksDir)) {
    const target = path.join(staged, 'stacks', stack);
    if (!fs.existsSync(target)) continue;
    for (const name of TERRAFORM_WORKING_FILES) {
      const from = path.join(stacksDir, stack, name);
      // A copy, not a move: until the new OUT is in place, the previous one must stay complete.
      if (fs.existsSync(from)) fs.cpSync(from, path.join(target, name), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    }
  }
}

/** Folders among Terraform's working files of a previous OUT looked at for their permissions, at most. */
const MAX_WORKING_FOLDERS = 20_000;

/**
 * Entries below a target (relative, `/`) that the previous synth did not write, and the first folder of it
 * (relative) whose entries this user may not change: the previous output is moved aside and removed, so
 * every folder in it must be writable, Terraform's working folders too. One walk of the folders synth wrote.
 */
function walkPrevious(target: OutTarget, owned: OwnedFiles): { readonly foreign: string[]; readonly locked?: { readonly rel: string; readonly error: NodeJS.ErrnoException } } {
  const ancestors = new Set<string>();
  for (const file of owned) {
    for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) ancestors.add(file.slice(0, i));
  }
  const foreign: string[] = [];
  let locked: { rel: string; error: NodeJS.ErrnoException } | undefined;
  let workingFolders = 0;
  // `ours`: a folder synth wrote (every one is walked: they hold the files summary.json lists), whose entries
  // must be its own; else one of Terraform's, looked at for its permissions only
  const walk = (rel: string, ours: boolean): void => {
    if (locked || (!ours && ++workingFolders > MAX_WORKING_FOLDERS)) return;
    const dir = path.join(target.dir, rel);
    let entries: fs.Dirent[];
    try {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      locked = { rel, error: e as NodeJS.ErrnoException };
      return;
    }
    for (const entry of entries) {
      if (foreign.length > MAX_NAMED || locked) return;
      const own = rel ? `${rel}/${entry.name}` : entry.name;
      if (!ours) {
        if (entry.isDirectory()) walk(own, false);
        continue;
      }
      const full = target.prefix + own;
      if (entry.isDirectory() && ancestors.has(full)) {
        walk(own, true);
        continue;
      }
      // A listed path that became a folder is not ours any more; Terraform's working files may be either.
      const workingFile = isTerraformWorkingFile(full);
      const allowed = workingFile || (!entry.isDirectory() && (owned.has(full) || isGraphFile(full)));
      if (!allowed) foreign.push(entry.isDirectory() ? `${own}/` : own);
      else if (workingFile && entry.isDirectory()) walk(own, false);
    }
  };
  walk('', true);
  return { foreign, locked };
}

/** OUT/graph.md, or the temporary file `wisynth graph` writes it through (left when graph was killed). */
function isGraphFile(full: string): boolean {
  return full === GRAPH_FILE || /^\.graph\.md\.tmp-\d+$/.test(full);
}

/** terraform/stacks/<stack>/<one of Terraform's working files> */
function isTerraformWorkingFile(full: string): boolean {
  const parts = full.split('/');
  return parts.length === 4 && parts[0] === 'terraform' && parts[1] === 'stacks' && (TERRAFORM_WORKING_FILES as readonly string[]).includes(parts[3]);
}

/** A path synth may list: relative, normalized, `/`-separated, under one of OUT's top-level entries. */
function isLayoutPath(p: unknown): p is string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 4096) return false;
  const parts = p.split('/');
  return (OUT_TOP_LEVEL as readonly string[]).includes(parts[0]) && parts.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\') && !s.includes('\0'));
}

function listDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** `child` is `parent` or below it. */
function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The real path of `p`, resolving symbolic links of the part that exists, so that two names of one folder compare equal. */
export function canonical(p: string): string {
  const resolved = path.resolve(p);
  let existing = resolved;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    return path.join(fs.realpathSync(existing), path.relative(existing, resolved));
  } catch {
    return resolved;
  }
}
