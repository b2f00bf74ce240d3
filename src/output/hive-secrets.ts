import * as path from 'path';
import { INPUT_KINDS } from '../inputs/kinds';
import { parseInputJson } from '../inputs/json';
import { readInputFile } from '../inputs/read-file';
import { hiveSecretContentProblems, hiveSecretFiles, HiveSecretContents, HiveSecretRole } from '../kubernetes/hive-secret-files';
import type { Fleet } from '../model/fleet';
import type { FleetPlan } from '../model/fleet-plan';
import { FleetError, FleetIssue } from '../model/issues';
import { OpenShiftHiveCluster } from '../model/openshift-hive-cluster';

/** The secret files that hold JSON: refused when they nest deeper than any reader of them walks. */
const JSON_ROLES: readonly HiveSecretRole[] = ['pullSecret', 'installerCredentials'];

/**
 * The contents of the secret files of every Hive cluster in `secrets.mode: files`, by cluster name: read
 * from the files the fleet names (relative to its folder; regular files of at most INPUT_LIMITS.secretBytes)
 * and checked before anything is planned or written. Problems name the file as the fleet wrote it, never
 * its contents; every problem of every cluster comes in one FleetError.
 */
export function readHiveSecretContents(fleet: Fleet): Map<string, HiveSecretContents> {
  const out = new Map<string, HiveSecretContents>();
  const issues: FleetIssue[] = [];
  for (const cluster of fleet.node.findAll()) {
    if (!(cluster instanceof OpenShiftHiveCluster) || cluster.secrets.mode !== 'files') continue;
    const { signingKeyFile, pullSecretFile, installerCredentialsFile } = cluster.secrets;
    const fix = `check openshiftHive.secrets of cluster ${cluster.clusterName}`;
    const before = issues.length;
    const read = (file: string): string => {
      try {
        return readInputFile(path.resolve(fleet.baseDir, file), { ...INPUT_KINDS.secret, fix }, file);
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
    const problems = hiveSecretContentProblems(cluster, contents);
    if (problems.length > 0) {
      issues.push(...problems.map((p) => ({ file: p.slice(0, p.indexOf(':')), message: p.slice(p.indexOf(':') + 2), fix: 'point the secrets of the cluster at the right files' })));
      continue;
    }
    out.set(cluster.clusterName, contents);
  }
  if (issues.length > 0) throw new FleetError(issues);
  return out;
}

/** The Secret files of OUT/secrets/<cluster>/, by cluster, from the planned clusters and the contents read. */
export function hiveSecretFilesOf(plan: FleetPlan, contents: ReadonlyMap<string, HiveSecretContents>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const cluster of plan.clusters) {
    const read = contents.get(cluster.name);
    if (cluster.openshift?.secrets.mode === 'files' && read) out.set(cluster.name, hiveSecretFiles(cluster.openshift, read));
  }
  return out;
}
