import { readArtifacts } from './artifacts';
import { Finding, sortFindings } from './finding';
import { CheckOptions, Rule } from './rule';
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
/** `written`: texts synth has just written there, by path under OUT, which need not be read again (readArtifacts). */
export function checkOut(outDir: string, options: CheckOptions = {}, rules: readonly Rule[] = RULES, written?: ReadonlyMap<string, string>): CheckReport {
  const artifacts = readArtifacts(outDir, written);
  const model = new TrustModel(artifacts);
  const findings = sortFindings([...artifacts.problems, ...rules.flatMap((rule) => rule(model, options))]);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { ok: errors === 0, errors, warnings: findings.length - errors, findings };
}

/** How a finding reads in a terminal: `error: file: object: message [rule]` and a fix line. */
export function formatFinding(f: Finding): string {
  return `${f.severity}: ${f.file}: ${f.object}: ${f.message} [${f.rule}]\n  fix: ${f.fix}`;
}
