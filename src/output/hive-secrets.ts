import * as fs from 'fs';
import * as path from 'path';
import { hiveSecretContentProblems, hiveSecretFiles, HiveSecretContents } from '../kubernetes/hive-secret-files';
import type { FleetPlan } from '../model/fleet-plan';
import { FleetError, FleetIssue } from '../model/issues';

/**
 * The Secret files of every Hive cluster in `secrets.mode: files`, by cluster: read from the files the
 * fleet names (relative to its folder) and checked before anything is written.
 */
export function readHiveSecretFiles(plan: FleetPlan, baseDir: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const issues: FleetIssue[] = [];
  for (const cluster of plan.clusters) {
    const hive = cluster.openshift;
    if (hive?.secrets.mode !== 'files') continue;
    const { signingKeyFile, pullSecretFile, installerCredentialsFile } = hive.secrets;
    const read = (file: string): string => {
      try {
        return fs.readFileSync(path.resolve(baseDir, file), 'utf8');
      } catch (e) {
        issues.push({ file, message: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, fix: `check openshiftHive.secrets of cluster ${cluster.name}` });
        return '';
      }
    };
    const contents: HiveSecretContents = { signingKey: read(signingKeyFile), pullSecret: read(pullSecretFile), installerCredentials: read(installerCredentialsFile) };
    if (issues.length > 0) continue;
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
