import type { AksShow } from './aks-show';
import type { Artifacts, KubeObject } from './artifacts';
import { groupBy } from '../core/group';
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
 * `judge` as a file rule calls it per object, but once per object of each distinct file text: files of one
 * text hold equal objects in the same order (parsed from that text, or serialized into it by synth), and most
 * files of a fleet's cluster folders are alike. `judge` must depend on the object's `obj` alone.
 */
export function oncePerText<T>(files: FileArtifacts, judge: (object: KubeObject) => T): (object: KubeObject) => T {
  const textOf = new Map(files.files.map((f) => [f.path, f.text]));
  const slots = new Map<KubeObject, { readonly judged: Map<number, T>; readonly index: number }>();
  const byText = new Map<string, Map<number, T>>();
  for (const [file, objects] of groupBy(files.objects, (o) => o.file)) {
    const text = textOf.get(file);
    if (text === undefined) continue;
    let judged = byText.get(text);
    if (!judged) byText.set(text, (judged = new Map()));
    objects.forEach((object, index) => slots.set(object, { judged: judged!, index }));
  }
  return (object) => {
    const slot = slots.get(object);
    if (!slot) return judge(object);
    if (!slot.judged.has(slot.index)) slot.judged.set(slot.index, judge(object));
    return slot.judged.get(slot.index)!;
  };
}
