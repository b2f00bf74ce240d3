import * as path from 'path';
import { INPUT_KINDS } from '../inputs/kinds';
import { parseInputJson } from '../inputs/json';
import { readInputFile } from '../inputs/read-file';
import { hiveSecretContentProblems, hiveSecretFiles, HiveSecretContents, HiveSecretRole } from '../kubernetes/hive-secret-files';
import type { FleetPlan } from '../model/fleet-plan';
import { FleetError, FleetIssue } from '../model/issues';

/** The secret files that hold JSON: refused when they nest deeper than any reader of them walks. */
const JSON_ROLES: readonly HiveSecretRole[] = ['pullSecret', 'installerCredentials'];

/**
 * The Secret files of every Hive cluster in `secrets.mode: files`, by cluster: read from the files the
 * fleet names (relative to its folder; regular files of at most INPUT_LIMITS.secretBytes) and checked
 * before anything is written. Problems name the file as the fleet wrote it, never its contents.
 */
export function readHiveSecretFiles(plan: FleetPlan, baseDir: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const issues: FleetIssue[] = [];
  for (const cluster of plan.clusters) {
    const hive = cluster.openshift;
    if (hive?.secrets.mode !== 'files') continue;
    const { signingKeyFile, pullSecretFile, installerCredentialsFile } = hive.secrets;
    const fix = `check openshiftHive.secrets of cluster ${cluster.name}`;
    const before = issues.length;
    const read = (file: string): string => {
      try {
        return readInputFile(path.resolve(baseDir, file), { ...INPUT_KINDS.secret, fix }, file);
      } catch (e) {
        if (!(e instanceof FleetError)) throw e;
        issues.push(...e.issues);
        return '';
      }
    };
    const contents: HiveSecretContents = { signingKey: read(signingKeyFile), pullSecret: read(pullSecretFile), installerCredentials: read(installerCredentialsFile) };
    if (issues.length > before) continue;
    const files: Record<HiveSecretRole, string> = { signingKey: signingKeyFile, pullSecret: pullSecretFile, installerCredentials: installerCredentialsFile };
    for (const role of JSON_ROLES) {
      const parsed = parseInputJson(contents[role]);
      // what is not JSON at all is said below, by what the file should hold
      if (!parsed.ok && parsed.kind === 'limit') issues.push({ file: files[role], message: parsed.problem, fix: 'point the secrets of the cluster at the right files' });
    }
    if (issues.length > before) continue;
    const problems = hiveSecretContentProblems(hive, contents);
    if (problems.length > 0) {
      issues.push(...problems.map((p) => ({ file: p.slice(0, p.indexOf(':')), message: p.slice(p.indexOf(':') + 2), fix: 'point the secrets of the cluster at the right files' })));
      continue;
    }
    out.set(cluster.name, hiveSecretFiles(hive, contents));
  }
  if (issues.length > 0) throw new FleetError(issues);
  return out;
}
