import * as path from 'path';
import type { Fleet } from '../model/fleet';
import type { FleetPlan } from '../model/fleet-plan';
import { OpenShiftHiveCluster } from '../platforms/openshift-hive/cluster';
import { SelfManagedCluster } from '../platforms/self-managed/cluster';
import type { SynthInput } from './out-ownership';

/**
 * Everything a synth of this fleet reads, or that Terraform writes for it, by absolute path: OUT must hold
 * none of them. Paths in the fleet are relative to its folder, which holds the fleet file itself; the
 * private key is only referenced, never read, and the local state folder is written by Terraform, but a
 * re-synth would delete them all the same.
 */
export function synthInputs(fleet: Fleet, plan: FleetPlan, files: { readonly fleetFile?: string; readonly outputsFiles?: readonly string[] }): SynthInput[] {
  const at = (what: string, file: string): SynthInput => ({ what, path: path.resolve(fleet.baseDir, file) });
  const inputs: SynthInput[] = [
    at("the fleet's folder (where the fleet's relative paths resolve)", '.'),
    ...(files.fleetFile ? [at('the fleet file', files.fleetFile)] : []),
    ...(files.outputsFiles ?? []).map((file) => at('the outputs file', file)),
  ];
  for (const c of fleet.node.findAll()) {
    if (c instanceof SelfManagedCluster) {
      inputs.push(...c.serviceAccountKeys.publicKeyFiles.map((file) => at('the public key', file)));
      if (c.serviceAccountKeys.privateKeyFile) inputs.push(at('the private signing key', c.serviceAccountKeys.privateKeyFile));
    }
    if (c instanceof OpenShiftHiveCluster) inputs.push(at('the CredentialsRequests folder', c.credentialsRequests));
    if (c instanceof OpenShiftHiveCluster && c.sshKeyFile !== undefined) inputs.push(at('the SSH public key', c.sshKeyFile));
  }
  for (const cluster of plan.clusters) {
    const secrets = cluster.openshift?.secrets;
    if (secrets?.mode === 'files') {
      inputs.push(...[secrets.signingKeyFile, secrets.pullSecretFile, secrets.installerCredentialsFile].map((file) => at('the Hive secret file', file)));
    }
  }
  if (plan.backend.type === 'local') inputs.push(at('the local Terraform state folder', plan.backend.stateDir));
  return inputs;
}
