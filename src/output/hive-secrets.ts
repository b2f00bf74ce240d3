import type { KeyObject } from 'crypto';
import * as path from 'path';
import { INPUT_KINDS } from '../inputs/kinds';
import { parseInputJson } from '../inputs/json';
import { readInputFile } from '../inputs/read-file';
import { hiveSecretContentProblemsByRole, hiveSecretFiles, HiveSecretContents, HiveSecretRole } from '../kubernetes/hive-secret-files';
import type { Fleet } from '../model/fleet';
import type { FleetPlan } from '../model/fleet-plan';
import { FleetError, FleetIssue, issueAt } from '../model/issues';
import { OpenShiftHiveCluster } from '../platforms/openshift-hive/cluster';
import type { PublicSigningKey } from '../oidc/keys';
import { publishedKeyProblem, signingKeyProblems } from '../openshift/signing-key';

/** The secret files that hold JSON: refused when they nest deeper than any reader of them walks. */
const JSON_ROLES: readonly HiveSecretRole[] = ['pullSecret', 'installerCredentials'];

/**
 * The contents of the secret files of every Hive cluster in `secrets.mode: files`, by cluster name: read
 * from the files the fleet names (relative to its folder; regular files of at most INPUT_LIMITS.secretBytes)
 * and checked before anything is planned or written. Problems name the file as the fleet wrote it, never
 * its contents; every problem of every cluster comes in one FleetError. `keys` are the public keys planning
 * read (undefined when they could not be read): each signing key must be the private half of its cluster's.
 */
export function readHiveSecretContents(fleet: Fleet, keys: ReadonlyMap<string, PublicSigningKey> | undefined): Map<string, HiveSecretContents> {
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
    // the signing key as the installer reads it (src/openshift/signing-key.ts): PKCS#1 RSA >= 2048, the published key's private half
    const publicKeyFile = cluster.serviceAccountKeys.publicKeyFiles[0];
    for (const p of signingKeyProblems(contents.signingKey, publishedKeyOf(keys, publicKeyFile), { signingKeyFile, publicKeyFile })) {
      issues.push({ ...issueAt(cluster, ['openshiftHive', 'secrets', 'signingKeyFile'], p.message, p.fix), file: signingKeyFile });
    }
    // the signing key was judged above (signingKeyProblems refuses all the PEM test refuses, and says how to fix it)
    const problems = hiveSecretContentProblemsByRole(cluster, contents).filter((p) => p.role !== 'signingKey');
    if (problems.length > 0) {
      issues.push(...problems.map((p) => ({ file: p.file, message: p.message, fix: 'point the secrets of the cluster at the right files' })));
      continue;
    }
    if (issues.length > before) continue;
    out.set(cluster.clusterName, contents);
  }
  if (issues.length > 0) throw new FleetError(issues);
  return out;
}

/**
 * The key a cluster publishes, to match the signing key against, from the keys planning read
 * (loadServiceAccountKeys); undefined when it could not be read or is refused, which is reported at
 * openshiftHive.publicKeyFile.
 */
function publishedKeyOf(keys: ReadonlyMap<string, PublicSigningKey> | undefined, file: string | undefined): KeyObject | undefined {
  const key = file === undefined ? undefined : keys?.get(file)?.key;
  return key && !publishedKeyProblem(key) ? key : undefined;
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
