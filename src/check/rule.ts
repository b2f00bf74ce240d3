import type { AksShow } from './aks-show';
import type { Artifacts, KubeObject } from './artifacts';
import { groupBy } from '../core/group';
import { ClusterPart } from './cluster-part';
import { Finding } from './finding';
import { TrustModel } from './trust';

export interface CheckOptions {
  /** Placeholders left in the files are errors, not warnings. @default false */
  readonly strict?: boolean;
  /** What AKS clusters report of themselves (`--aks-show`), compared with OUT. */
  readonly aksShow?: readonly AksShow[];
  /** Today, YYYY-MM-DD, against which a previous issuer's `retireAfter` is read. @default the current day (UTC) */
  readonly today?: string;
}

/** One invariant (or a few that share their reading) over the files of OUT. */
export type Rule = (model: TrustModel, options: CheckOptions) => readonly Finding[];

/** The files of OUT a file rule reads: the text files, the Kubernetes objects and the Terraform stacks among them. */
export type FileArtifacts = Pick<Artifacts, 'files' | 'objects' | 'stacks'>;

/**
 * A rule whose findings on each file depend on that file alone (its text, its objects, its stack), each
 * finding on a file it was given. So a synth that took files unchanged from the previous OUT, where they were
 * checked, runs it over the other files only (check.ts).
 */
export type FileRule = (files: FileArtifacts) => readonly Finding[];

/** A file rule as a rule over all of OUT; `fileRule` keeps it, for check to run over part of OUT. */
export function fromFileRule(rule: FileRule): Rule & { readonly fileRule: FileRule } {
  return Object.assign((model: TrustModel) => rule(model.artifacts), { fileRule: rule });
}

/**
 * A rule whose findings on each cluster of summary.json come from the cluster's entry there and its part of
 * OUT alone, read through ClusterPart. So a synth that took a cluster's part unchanged from the previous OUT,
 * where it was checked under the same summary entry, takes the findings made then (check.ts).
 */
export type ClusterRule = (part: ClusterPart) => readonly Finding[];

/** A cluster rule as a rule over all of OUT; `clusterRule` keeps it, for check to run cluster by cluster. */
export function fromClusterRule(rule: ClusterRule): Rule & { readonly clusterRule: ClusterRule } {
  return Object.assign((model: TrustModel) => model.artifacts.summary.clusters.flatMap((c) => rule(new ClusterPart(model.artifacts, c))), { clusterRule: rule });
}

/**
 * `judge` as a file rule calls it per object, but once per object of each distinct file text: files of one
 * text hold equal objects in the same order (parsed from that text, or serialized into it by synth), and most
 * files of a fleet's cluster folders are alike. `judge` must depend on the object's `obj` alone.
 */
export function oncePerText<T>(files: FileArtifacts, judge: (object: KubeObject) => T): (object: KubeObject) => T {
  const slots = textSlots(files);
  const judged = new Map<number, T[]>();
  return (object) => {
    const slot = slots.get(object);
    if (!slot) return judge(object);
    let ofText = judged.get(slot.text);
    if (!ofText) judged.set(slot.text, (ofText = []));
    if (!(slot.index in ofText)) ofText[slot.index] = judge(object);
    return ofText[slot.index];
  };
}

/** Where each object is among those of its file's text: which distinct text (a number), and which object of it. */
type TextSlots = ReadonlyMap<KubeObject, { readonly text: number; readonly index: number }>;

const slotsOf = new WeakMap<FileArtifacts, TextSlots>();
const byFile = new WeakMap<FileArtifacts, ReadonlyMap<string, readonly KubeObject[]>>();

/** The objects of each file, in the file's order; grouped once per FileArtifacts for every rule that asks. */
export function objectsByFile(files: FileArtifacts): ReadonlyMap<string, readonly KubeObject[]> {
  let grouped = byFile.get(files);
  if (!grouped) byFile.set(files, (grouped = groupBy(files.objects, (o) => o.file)));
  return grouped;
}

/** The objects' slots, found once per FileArtifacts for every rule that judges by text. */
function textSlots(files: FileArtifacts): TextSlots {
  let slots = slotsOf.get(files);
  if (slots) return slots;
  const textOf = new Map(files.files.map((f) => [f.path, f.text]));
  const textIds = new Map<string, number>();
  const found = new Map<KubeObject, { readonly text: number; readonly index: number }>();
  for (const [file, objects] of objectsByFile(files)) {
    const text = textOf.get(file);
    if (text === undefined) continue;
    let id = textIds.get(text);
    if (id === undefined) textIds.set(text, (id = textIds.size));
    objects.forEach((object, index) => found.set(object, { text: id!, index }));
  }
  slotsOf.set(files, (slots = found));
  return slots;
}
