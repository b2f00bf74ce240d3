import type { AksShow } from './aks-show';
import type { Artifacts } from './artifacts';
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
