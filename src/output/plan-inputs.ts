import type { Fleet } from '../model/fleet';
import type { FleetPlan } from '../model/fleet-plan';
import { IssueCollector } from '../core/issues';
import type { FleetIssue } from '../model/issues';
import type { PlanOptions } from '../model/plan';
import type { OutputValues } from '../model/plan-outputs';
import { planFleet as planWithInputs } from '../platforms';
import { loadServiceAccountKeys } from './fleet-keys';
import { loadCredentialsRequests } from './fleet-credentials-requests';
import { loadSshKeys } from './fleet-ssh-keys';
import { hiveSecretFilesOf, readHiveSecretContents } from './hive-secrets';

/** What planning a fleet reads from disk besides the fleet: public keys, CredentialsRequests and SSH keys. */
export function loadPlanInputs(fleet: Fleet): Required<Pick<PlanOptions, 'keys' | 'credentialsRequests' | 'sshKeys'>> {
  return { keys: loadServiceAccountKeys(fleet), credentialsRequests: loadCredentialsRequests(fleet), sshKeys: loadSshKeys(fleet) };
}

/**
 * Plans a fleet: names, ARM IDs, issuers, FIC edges and the values both sides share. The public keys,
 * CredentialsRequests and SSH keys the fleet names are read from disk (relative to its baseDir) unless the
 * options give them. Throws a FleetError listing every problem, before anything is written.
 */
export function planFleet(fleet: Fleet, options: PlanOptions = {}): FleetPlan {
  const issues = new IssueCollector();
  const keys = options.keys ?? issues.attempt(() => loadServiceAccountKeys(fleet));
  const credentialsRequests = options.credentialsRequests ?? issues.attempt(() => loadCredentialsRequests(fleet));
  const sshKeys = options.sshKeys ?? issues.attempt(() => loadSshKeys(fleet));
  // an input that could not be read is reported once, and the plan still reports its own problems
  const plan = issues.attempt(() => planWithInputs(fleet, { ...options, keys, credentialsRequests, sshKeys, inputsReported: options.inputsReported || issues.count > 0 }));
  issues.throwIfAny();
  return plan!;
}

/** A plan, and the Secret files of OUT/secrets/ (by cluster) of the clusters in `secrets.mode: files`. */
export interface PlanFromDisk {
  readonly plan: FleetPlan;
  readonly secretFiles: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Reads everything the fleet names on disk (public keys, CredentialsRequests, SSH keys, Hive secret files) and plans
 * it. Every problem comes in one FleetError, `earlier` ones (of the fleet file, or of outputs files) first:
 * the plan still runs when an input could not be read, so its own problems are reported in the same run.
 */
export function planFromDisk(fleet: Fleet, outputs?: OutputValues, earlier: readonly FleetIssue[] = []): PlanFromDisk {
  const issues = new IssueCollector(earlier);
  const inputsBefore = issues.count;
  const keys = issues.attempt(() => loadServiceAccountKeys(fleet));
  const credentialsRequests = issues.attempt(() => loadCredentialsRequests(fleet));
  const sshKeys = issues.attempt(() => loadSshKeys(fleet));
  const secrets = issues.attempt(() => readHiveSecretContents(fleet, keys));
  const plan = issues.attempt(() => planWithInputs(fleet, { outputs, keys, credentialsRequests, sshKeys, inputsReported: issues.count > inputsBefore }));
  // A step that gave nothing raised a FleetError, whose issues end the run here.
  issues.throwIfAny();
  return { plan: plan!, secretFiles: hiveSecretFilesOf(plan!, secrets!) };
}
