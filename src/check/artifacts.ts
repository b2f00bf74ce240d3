import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { SynthSummary } from '../output/summary';
import { Finding } from './finding';
import { isRecord, objectLabel } from './objects';

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

const SKIPPED_DIRS = new Set(['secrets', '.terraform']);

/** Thrown when OUT is not a synthesized folder at all: a usage error, not a finding. */
export class NotAnOutFolder extends Error {}

export function readArtifacts(outDir: string): Artifacts {
  if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory()) throw new NotAnOutFolder(`${outDir} is not a folder`);
  const files = readTextFiles(outDir);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const problems: Finding[] = [];
  const summaryFile = byPath.get('summary.json');
  if (!summaryFile) throw new NotAnOutFolder(`${outDir} has no summary.json, so it is not an output folder of wisynth synth`);
  const summary = parseJson(summaryFile, problems) as SynthSummary | undefined;
  if (!summary || !Array.isArray(summary.clusters)) {
    throw new NotAnOutFolder(`${path.join(outDir, 'summary.json')} is not a wisynth summary (no clusters list)`);
  }
  return {
    summary: { ...summary, resolvedOutputs: summary.resolvedOutputs ?? {} },
    files,
    stacks: readStacks(byPath, problems),
    objects: readObjects(files, problems),
    problems,
  };
}

function readTextFiles(root: string, dir = ''): OutFile[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => !(dir === '' && SKIPPED_DIRS.has(e.name)) && e.name !== '.terraform')
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) return readTextFiles(root, rel);
      if (!e.isFile()) return [];
      return [{ path: rel, text: fs.readFileSync(path.join(root, rel), 'utf8') }];
    });
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

function readObjects(files: readonly OutFile[], problems: Finding[]): KubeObject[] {
  return files
    .filter((f) => /^kubernetes\/[^/]+\/[^/]+\.ya?ml$/.test(f.path) && !/\/kustomization\.ya?ml$/.test(f.path))
    .flatMap((f) => {
      const folder = f.path.split('/')[1];
      const docs = parseYamlDocuments(f, problems);
      return docs.filter(isRecord).map((obj) => ({ file: f.path, folder, obj, label: objectLabel(obj) }));
    });
}

export function parseJson(file: OutFile, problems: Finding[]): unknown {
  try {
    return JSON.parse(file.text);
  } catch (e) {
    problems.push(unreadable(file.path, `is not valid JSON: ${(e as Error).message}`, 'restore the file from a synth, or fix the syntax'));
    return undefined;
  }
}

export function parseYamlDocuments(file: OutFile, problems: Finding[]): unknown[] {
  try {
    return yaml.loadAll(file.text).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    problems.push(unreadable(file.path, `is not valid YAML: ${(e as yaml.YAMLException).message.split('\n')[0]}`, 'restore the file from a synth, or fix the syntax'));
    return [];
  }
}

/** Parses JSON whose errors the reader reports already; undefined when it is not JSON. */
export function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses YAML held in a string (a Secret's stringData entry, a kubeadm patch); undefined when it is not a mapping. */
export function parseEmbeddedYaml(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = yaml.load(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function unreadable(file: string, what: string, fix: string): Finding {
  return { severity: 'error', rule: 'readable', file, object: '(file)', message: `${file} ${what}`, fix };
}

/** The objects applied to `cluster`: its own folder's, and those of the Hive clusters it hosts. */
export function objectsAppliedTo(artifacts: Artifacts, cluster: string): KubeObject[] {
  const folders = new Set(artifacts.summary.clusters.filter((c) => (c.appliedTo ?? c.name) === cluster).map((c) => c.folder));
  return artifacts.objects.filter((o) => folders.has(`kubernetes/${o.folder}`));
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
