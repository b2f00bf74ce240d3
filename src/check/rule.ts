import type { AksShow } from './aks-show';
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
