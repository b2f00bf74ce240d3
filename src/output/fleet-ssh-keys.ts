import { Cluster } from '../model/cluster';
import * as path from 'path';
import { INPUT_KINDS } from '../inputs/kinds';
import { readInputFile } from '../inputs/read-file';
import { sshPublicKeyLine } from '../openshift/install-config-rules';
import type { Fleet } from '../model/fleet';
import { FleetError, FleetIssue, issueAt } from '../model/issues';
import { OpenShiftHiveCluster } from '../platforms/openshift-hive/cluster';

/**
 * Reads `openshiftHive.sshKey` of every OpenShift cluster that names one, by cluster name: a regular file
 * of at most INPUT_LIMITS.publicKeyBytes (relative to the fleet's base folder) holding one OpenSSH public
 * key line, which becomes the install-config's `sshKey`. Every problem of every cluster comes in one
 * FleetError, at the field; messages name the file, never its content.
 */
export function loadSshKeys(fleet: Fleet): Map<string, string> {
  const keys = new Map<string, string>();
  const issues: FleetIssue[] = [];
  for (const cluster of fleet.membersOf(Cluster)) {
    if (!(cluster instanceof OpenShiftHiveCluster) || cluster.sshKeyFile === undefined) continue;
    const file = cluster.sshKeyFile;
    const field = ['openshiftHive', 'sshKey'];
    try {
      const line = sshPublicKeyLine(readInputFile(path.resolve(fleet.baseDir, file), INPUT_KINDS.sshPublicKey, file));
      if ('problem' in line) issues.push(issueAt(cluster, field, `${file}: ${line.problem}`, INPUT_KINDS.sshPublicKey.fix));
      else keys.set(cluster.clusterName, line.key);
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      issues.push(...e.issues.map((i) => issueAt(cluster, field, `${file}: ${i.message}`, i.fix)));
    }
  }
  if (issues.length > 0) throw new FleetError(issues);
  return keys;
}
