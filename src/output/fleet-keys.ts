import { Cluster } from '../model/cluster';
import * as path from 'path';
import { Fleet } from '../model/fleet';
import { FleetError, FleetIssue, issueAt } from '../model/issues';
import { SelfManagedCluster } from '../platforms/self-managed/cluster';
import { PublicSigningKey, readPublicKeyFile } from '../oidc/keys';

/**
 * Reads the public keys every self-managed cluster of the fleet publishes (files relative to the fleet's
 * base folder), keyed by the path as written; every bad key is reported at its place in the fleet file.
 */
export function loadServiceAccountKeys(fleet: Fleet): Map<string, PublicSigningKey> {
  const keys = new Map<string, PublicSigningKey>();
  const issues: FleetIssue[] = [];
  for (const cluster of fleet.membersOf(Cluster)) {
    if (!(cluster instanceof SelfManagedCluster)) continue;
    cluster.serviceAccountKeys.publicKeyFiles.forEach((file, index) => {
      if (keys.has(file)) return;
      try {
        keys.set(file, readPublicKeyFile(path.resolve(fleet.baseDir, file), file));
      } catch (e) {
        if (!(e instanceof FleetError)) throw e;
        const field = ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles', index];
        issues.push(...e.issues.map((i) => issueAt(cluster, field, `${file}: ${i.message}`, i.fix)));
      }
    });
  }
  if (issues.length > 0) throw new FleetError(issues);
  return keys;
}
