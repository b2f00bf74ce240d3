import * as crypto from 'crypto';
import type { ClusterSummary } from '../core/summary';
import { groupBy } from '../core/group';
import { Artifacts, readArtifacts, StagedOut } from './artifacts';
import { ClusterPart } from './cluster-part';
import { Finding, sortFindings } from './finding';
import { CheckOptions, ClusterRule, FileRule, Rule } from './rule';
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
  /**
   * Clusters whose part was taken unchanged from the previous OUT, where it was checked, by name: the findings
   * the cluster rules made on it then, under which summary entry. A cluster whose entry is the same takes
   * them; the cluster rules run for every other.
   */
  readonly clusterChecked?: ReadonlyMap<string, ClusterChecked>;
}

/** What the cluster rules found of one cluster, and the SHA-256 of its summary.json entry they read. */
export interface ClusterChecked {
  readonly entry: string;
  readonly findings: readonly Finding[];
}

/**
 * `checkOut` for a synth: also, for the next synth, the findings of the file rules by file (each file of
 * OUT listed), those of the cluster rules by cluster (each cluster whose part alone they read), and what was read.
 */
export function checkWritten(
  outDir: string,
  options: CheckOptions,
  rules: readonly Rule[] = RULES,
  written: Written = {},
): {
  readonly report: CheckReport;
  readonly fileFindings: ReadonlyMap<string, readonly Finding[]>;
  readonly clusterFindings: ReadonlyMap<string, ClusterChecked>;
  readonly artifacts: Artifacts;
} {
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
  const clusterRules = rules.flatMap((rule) => ('clusterRule' in rule ? [rule.clusterRule as ClusterRule] : []));
  const clusterFindings = ofClusters(artifacts, clusterRules, written.clusterChecked ?? new Map());
  const overAll = rules.filter((rule) => !('fileRule' in rule) && !('clusterRule' in rule)).flatMap((rule) => rule(model, options));
  const findings = sortFindings([...artifacts.problems, ...overAll, ...clusterFindings.found, ...fileFindings.values()].flat());
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { report: { ok: errors === 0, errors, warnings: findings.length - errors, findings }, fileFindings, clusterFindings: clusterFindings.recorded, artifacts };
}

/**
 * The cluster rules' findings on every cluster of the summary: those known of a cluster under the same entry,
 * else the rules' over its part; and what to record of each cluster named once whose part alone they read.
 */
function ofClusters(artifacts: Artifacts, rules: readonly ClusterRule[], known: ReadonlyMap<string, ClusterChecked>): { found: Finding[]; recorded: Map<string, ClusterChecked> } {
  const recorded = new Map<string, ClusterChecked>();
  if (rules.length === 0) return { found: [], recorded };
  const named = groupBy(artifacts.summary.clusters, (c) => c.name);
  const found = artifacts.summary.clusters.flatMap((summary) => {
    const entry = named.get(summary.name)!.length === 1 ? entryHash(summary) : undefined;
    const before = entry === undefined ? undefined : known.get(summary.name);
    if (before && before.entry === entry) {
      recorded.set(summary.name, before);
      return before.findings;
    }
    const part = new ClusterPart(artifacts, summary);
    const findings = rules.flatMap((rule) => rule(part));
    if (entry !== undefined && part.readPartOnly) recorded.set(summary.name, { entry, findings });
    return findings;
  });
  return { found, recorded };
}

function entryHash(summary: ClusterSummary): string {
  return crypto.createHash('sha256').update(JSON.stringify(summary)).digest('hex');
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
