/** What `wisynth check` reports: one fault, where it is, and how to fix it. */

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  /** Stable id of the invariant, e.g. `fic-issuer`; the README lists them. */
  readonly rule: string;
  /** The file, relative to OUT, with `/`; or an input of check (`--aks-show`), as the user named it. */
  readonly file: string;
  /** The object in it: `Kind namespace/name`, a Terraform `type.id`, or a JSON field. */
  readonly object: string;
  readonly message: string;
  readonly fix: string;
}

/** Findings in a stable order: by file, then object, then rule. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [f.file, f.object, f.rule, f.message];
  return [...findings].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}
