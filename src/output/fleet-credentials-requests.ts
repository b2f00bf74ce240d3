import { Cluster } from '../model/cluster';
import * as path from 'path';
import type { Fleet } from '../model/fleet';
import { FleetError, FleetIssue, issueAt } from '../model/issues';
import { OpenShiftHiveCluster } from '../platforms/openshift-hive/cluster';
import type { CredentialsRequestSet } from '../model/fleet-plan';
import { readCredentialsRequests } from '../openshift/credentials-requests';

/**
 * Reads the CredentialsRequests of every OpenShift cluster of a fleet, by cluster name, for
 * `planFleet`'s `credentialsRequests`. Folders are relative to the fleet's base folder.
 */
export function loadCredentialsRequests(fleet: Fleet): Map<string, CredentialsRequestSet> {
  const sets = new Map<string, CredentialsRequestSet>();
  const issues: FleetIssue[] = [];
  // clusters of one release share a folder: each folder is read once (its problems are each cluster's)
  const read = new Map<string, CredentialsRequestSet | FleetError>();
  for (const cluster of fleet.membersOf(Cluster)) {
    if (!(cluster instanceof OpenShiftHiveCluster)) continue;
    const folder = path.resolve(fleet.baseDir, cluster.credentialsRequests);
    const key = JSON.stringify([folder, cluster.credentialsRequests, cluster.techPreview]);
    if (!read.has(key)) read.set(key, readOrError(() => readCredentialsRequests(folder, cluster.credentialsRequests, { techPreview: cluster.techPreview })));
    const set = read.get(key)!;
    if (!(set instanceof FleetError)) {
      sets.set(cluster.clusterName, set);
      continue;
    }
    // Problems inside a request name its file; a missing folder is also the fleet field's problem.
    issues.push(...set.issues.map((i) => (i.file === cluster.credentialsRequests ? issueAt(cluster, ['openshiftHive', 'credentialsRequests'], i.message, i.fix) : i)));
  }
  if (issues.length > 0) throw new FleetError(issues);
  return sets;
}

function readOrError<T>(read: () => T): T | FleetError {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    return e;
  }
}
