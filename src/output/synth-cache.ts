/**
 * The synth cache: which parts of OUT (a Terraform stack's file, a cluster's folders) the previous synth wrote
 * from which inputs, so that a re-synth renders only the parts whose inputs changed and takes the others from
 * the previous OUT. Correctness never rests on it: a part is taken only when the content hash of everything
 * that produced it is the one recorded, and each of its files in OUT is still the very file synth wrote
 * (same inode, size, modification and change time, to the nanosecond; a write of any kind changes the
 * change time). Any doubt, and the part is synthesized.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import type { FleetPlan } from '../model/fleet-plan';
import { groupBy } from '../core/group';
import { stackParts } from '../azure/stack-parts';
import type { KnownFile } from '../check/artifacts';
import type { ClusterChecked } from '../check/check';
import type { Finding } from '../check/finding';
import { codeFingerprint } from './code-fingerprint';
import { CLUSTER_FOLDERS } from '../core/summary';

/** A part of OUT that is rendered, or taken from the previous OUT, as a whole. */
export type PartId = `stack ${string}` | `cluster ${string}`;

export const stackPart = (stack: string): PartId => `stack ${stack}`;
export const clusterPart = (cluster: string): PartId => `cluster ${cluster}`;
export const isClusterPart = (id: string): boolean => id.startsWith('cluster ');

/**
 * The part a file of OUT belongs to, or undefined for the files written at every synth (summary, manifest,
 * secrets). Every file synth writes into a stack's folder is the stack's (Terraform's working files there are
 * no file of OUT's list).
 */
export function partOf(file: string): PartId | undefined {
  const folder = partFolderOf(file);
  if (!folder) return undefined;
  const name = folder.slice(folder.lastIndexOf('/') + 1);
  return folder.startsWith('terraform/') ? stackPart(name) : clusterPart(name);
}

/** The folders of OUT whose entries are the parts' folders: a cluster's folder in each of the first three, a stack's in the last. */
export const PART_CONTAINERS = [...CLUSTER_FOLDERS, 'terraform/stacks'] as const;

/** The folder of the part a file of OUT is in (`kubernetes/<cluster>`, `terraform/stacks/<stack>`), or undefined. */
export function partFolderOf(file: string): string | undefined {
  for (const container of PART_CONTAINERS) {
    if (!file.startsWith(`${container}/`)) continue;
    const end = file.indexOf('/', container.length + 1);
    return end > container.length + 1 ? file.slice(0, end) : undefined;
  }
  return undefined;
}

/** Where the part files synth writes are rendered from, apart from the plan. */
export interface PartContext {
  /** OUT, absolute: kind's host paths are written relative to OUT/clusters/<cluster>. */
  readonly outDir: string;
  /** Where OUT/terraform finally lives: a local backend's state path is relative to it. */
  readonly terraformDir: string;
  /** The fleet file's folder, against which its paths resolve. */
  readonly baseDir: string;
}

/**
 * The key of every part: a SHA-256 of wisynth's code and libraries, the context, and the plan's data the part
 * is rendered from. A stack reads the plan's fleet-wide data (groups, vaults, every identity) besides its own
 * share of it; a cluster's folders read its cluster plan alone.
 */
export function partKeys(plan: FleetPlan, context: PartContext): ReadonlyMap<PartId, string> {
  const keys = new Map<PartId, string>();
  const base = [codeFingerprint(), JSON.stringify(context)];
  // a cluster plan's own hash stands for it in its stack's key: no plan is held as text longer than it is hashed
  const clusterHashes = new Map(plan.clusters.map((c) => [c.name, sha256(JSON.stringify(c))]));
  for (const c of plan.clusters) keys.set(clusterPart(c.name), sha256(...base, 'cluster', clusterHashes.get(c.name)!));
  const { clusters, federatedCredentials, roleAssignments, outputs, pending, resolvedOutputs, warnings, stacks, ...fleetWide } = plan;
  const fleetHash = sha256(JSON.stringify({ ...fleetWide, stacks: { layout: stacks.layout, shared: stacks.shared } }));
  for (const stack of stacks.stacks) {
    const parts = stackParts(plan, stack.name);
    const own = JSON.stringify({ stack, ...parts, clusters: parts.clusters.map((c) => c.name) });
    keys.set(stackPart(stack.name), sha256(...base, 'stack', fleetHash, own, ...parts.clusters.map((c) => clusterHashes.get(c.name)!)));
  }
  return keys;
}

/** One part as the cache records it: its key, and each of its files with the identity of the file synth wrote. */
export interface CachedPart {
  readonly key: string;
  /** Path under OUT → `dev:ino:size:mtimeNs:ctimeNs`. */
  readonly files: Readonly<Record<string, string>>;
  /** When check ran on the part: path under OUT → the findings of the file rules on it. */
  readonly checked?: Readonly<Record<string, readonly Finding[]>>;
  /** When check ran on the part: path under OUT → the file as check read it (its text, a YAML file's documents). */
  readonly contents?: Readonly<Record<string, KnownFile>>;
  /** A cluster's part, when check ran and its cluster rules read the part alone: what they found, under which summary entry. */
  readonly clusterChecked?: ClusterChecked;
}

export type SynthCache = ReadonlyMap<PartId, CachedPart>;

/**
 * The parts that can be taken from the previous OUT as they are, with their files: the key is the one
 * recorded, the previous summary lists exactly the files recorded (`owned`), and each is the file recorded.
 * `locate` gives a file's place on disk (a part of OUT may be redirected).
 */
export function reusableParts(cache: SynthCache, keys: ReadonlyMap<PartId, string>, owned: Iterable<string>, locate: (file: string) => string): ReadonlyMap<PartId, CachedPart> {
  const ownedByPart = groupBy(owned, partOf);
  const reusable = new Map<PartId, CachedPart>();
  for (const [id, key] of keys) {
    const cached = cache.get(id);
    const files = ownedByPart.get(id);
    if (cached?.key !== key || !files || files.length !== Object.keys(cached.files).length) continue;
    if (files.every((f) => cached.files[f] !== undefined && fileIdentity(locate(f)) === cached.files[f])) reusable.set(id, cached);
  }
  return reusable;
}

/** A file's identity on disk, or undefined when it is not a regular file. */
export function fileIdentity(file: string): string | undefined {
  let stat: fs.BigIntStats;
  try {
    stat = fs.lstatSync(file, { bigint: true });
  } catch {
    return undefined;
  }
  return stat.isFile() ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : undefined;
}

/** The size in bytes that a file identity (`fileIdentity`) records. */
export function sizeOfIdentity(identity: string): number {
  return Number(identity.split(':')[2]);
}

/** The SHA-256 of texts, each ended by a NUL (which JSON and hex never hold). */
export function sha256(...texts: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const text of texts) hash.update(text).update('\0');
  return hash.digest('hex');
}

