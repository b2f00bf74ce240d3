import * as path from 'path';
import { WEBHOOK_AUDIENCE } from '../model/constants';
import { ClusterPlan, FleetPlan } from '../model/fleet-plan';
import { OPENSHIFT_AUDIENCE } from '../openshift/credentials-requests';

/** A service account that wisynth federates but does not write: CAPZ, ASO and OpenShift's operators install their own. */
export interface ExternalServiceAccount {
  readonly namespace: string;
  readonly name: string;
  /** The audience its tokens carry. */
  readonly audience: string;
  readonly installedBy: string;
}

/** One cluster in OUT/summary.json: where its files are and what `check` needs that no other file says. */
export interface ClusterSummary {
  readonly name: string;
  readonly platform: string;
  /** Its Kubernetes objects, relative to OUT. */
  readonly folder: string;
  /** The cluster the folder is applied to, when not this one (the Hive hub). */
  readonly appliedTo?: string;
  /** The issuer its tokens carry: the value, or a placeholder naming the Terraform output. */
  readonly issuer: string;
  /** `kid` of the key the API server signs with (self-hosted issuers). */
  readonly signingKeyId?: string;
  readonly externalServiceAccounts?: readonly ExternalServiceAccount[];
}

/** OUT/summary.json: what was written and what is still missing. */
export interface SynthSummary {
  readonly fleet: string;
  readonly stacks: readonly string[];
  readonly clusters: readonly ClusterSummary[];
  readonly placeholders: FleetPlan['pending'];
  readonly resolvedOutputs: FleetPlan['resolvedOutputs'];
  readonly warnings: FleetPlan['warnings'];
  /** CredentialsRequests that ccoctl would skip too (marked for deletion, tech preview), and why. */
  readonly skippedCredentialsRequests: ReadonlyArray<{ readonly cluster: string; readonly name: string; readonly file: string; readonly reason: string }>;
  readonly files: readonly string[];
}

export function clusterSummary(cluster: ClusterPlan): ClusterSummary {
  const secrets = cluster.openshift?.secrets;
  const external: ExternalServiceAccount[] = [
    ...(cluster.capz?.serviceAccounts.map((name) => ({ namespace: cluster.capz!.namespace, name, audience: WEBHOOK_AUDIENCE, installedBy: 'CAPZ' })) ?? []),
    ...(cluster.openshift?.identities.flatMap((i) =>
      i.request.serviceAccountNames.map((name) => ({ namespace: i.request.secretNamespace, name, audience: OPENSHIFT_AUDIENCE, installedBy: 'OpenShift' })),
    ) ?? []),
  ];
  return {
    name: cluster.name,
    platform: cluster.platform,
    folder: path.posix.join('kubernetes', cluster.name),
    ...(secrets?.mode === 'externalSecrets' ? { appliedTo: secrets.hub } : {}),
    issuer: cluster.issuer.value,
    ...(cluster.selfManaged ? { signingKeyId: cluster.selfManaged.jwks.keys[0].kid } : {}),
    ...(external.length > 0 ? { externalServiceAccounts: external } : {}),
  };
}
