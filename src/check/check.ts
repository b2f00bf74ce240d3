import { Artifacts, readArtifacts, StagedOut } from './artifacts';
import { Finding, sortFindings } from './finding';
import { CheckOptions, FileRule, Rule } from './rule';
import { RULES } from './rules';
import { TrustModel } from './trust';

export interface CheckReport {
  /** True when no finding is an error. */
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly findings: readonly Finding[];
}

/** Reads OUT back from disk and checks every invariant; throws NotAnOutFolder when OUT is no synth output. */
export function checkOut(outDir: string, options: CheckOptions = {}, rules: readonly Rule[] = RULES): CheckReport {
  return checkWritten(outDir, options, rules).report;
}

/** What a synth knows of the files it has just put into OUT (its staging), so check need not find it again. */
export interface Written extends StagedOut {
  /**
   * Files taken unchanged from the previous OUT, where they were checked, by path: the findings the file
   * rules made on them then. The file rules run over the other files only; every other rule runs over all.
   */
  readonly checked?: ReadonlyMap<string, readonly Finding[]>;
}

/**
 * `checkOut` for a synth: also, for the next synth, the findings of the file rules by file (each file of
 * OUT listed) and what was read.
 */
export function checkWritten(
  outDir: string,
  options: CheckOptions,
  rules: readonly Rule[] = RULES,
  written: Written = {},
): { readonly report: CheckReport; readonly fileFindings: ReadonlyMap<string, readonly Finding[]>; readonly artifacts: Artifacts } {
  const artifacts = readArtifacts(outDir, written);
  const model = new TrustModel(artifacts);
  const checked = written.checked ?? new Map<string, readonly Finding[]>();
  const fileRules = rules.flatMap((rule) => ('fileRule' in rule ? [rule.fileRule as FileRule] : []));
  const unchecked = fileRules.length > 0 && checked.size > 0 ? except(artifacts, checked) : artifacts;
  const fresh = fileRules.flatMap((rule) => rule(unchecked));
  const fileFindings = new Map<string, Finding[]>(artifacts.files.map((f) => [f.path, [...(checked.get(f.path) ?? [])]]));
  for (const f of fresh) {
    const list = fileFindings.get(f.file);
    if (list) list.push(f);
    else fileFindings.set(f.file, [f]);
  }
  const findings = sortFindings([...artifacts.problems, ...rules.filter((rule) => !('fileRule' in rule)).flatMap((rule) => rule(model, options)), ...fileFindings.values()].flat());
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { report: { ok: errors === 0, errors, warnings: findings.length - errors, findings }, fileFindings, artifacts };
}

/** The files, objects and stacks of OUT but those `checked`. */
function except(artifacts: Artifacts, checked: ReadonlyMap<string, unknown>): Pick<Artifacts, 'files' | 'objects' | 'stacks'> {
  return {
    files: artifacts.files.filter((f) => !checked.has(f.path)),
    objects: artifacts.objects.filter((o) => !checked.has(o.file)),
    stacks: artifacts.stacks.filter((s) => !checked.has(s.file)),
  };
}

/** How a finding reads in a terminal: `error: file: object: message [rule]` and a fix line. */
export function formatFinding(f: Finding): string {
  return `${f.severity}: ${f.file}: ${f.object}: ${f.message} [${f.rule}]\n  fix: ${f.fix}`;
}
