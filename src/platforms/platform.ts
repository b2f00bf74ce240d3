import type { AzureSide } from '../azure/fleet-stack';
import type { IssuerStatement } from '../core/summary';
import type { KubernetesSide } from '../kubernetes/cluster-chart';
import type { PlatformName } from '../model/cluster';
import type { ClusterPlan, SelfManagedPlan } from '../model/fleet-plan';

/**
 * What sets one platform apart, on each side: the cluster's own Azure resources (an AKS cluster, an
 * issuer's storage), the Kubernetes objects only it needs (the webhook on self-managed clusters), and its
 * cluster files; everything shared lives in azure/ and kubernetes/.
 */
export interface Platform<C extends ClusterPlan = ClusterPlan> extends AzureSide<C>, KubernetesSide<C> {
  readonly name: PlatformName;
  /** Files for OUT/clusters/<cluster>/ (kind config, kubeadm patch, values), by name. */
  clusterFiles(cluster: C, context?: ClusterFileContext): ReadonlyMap<string, string>;
  /** The files of OUT this platform writes that state the cluster's issuer (summary.json lists them for `check`). */
  issuerStatements(cluster: C): readonly IssuerStatement[];
}

/** The clusters whose issuer wisynth hosts: self-managed, CAPZ management and OpenShift clusters. */
export type HostedIssuerClusterPlan = Extract<ClusterPlan, { readonly selfManaged: SelfManagedPlan }>;

/** Where the cluster files go, so that paths in them can be written relative to that folder. */
export interface ClusterFileContext {
  /** The final OUT/clusters/<cluster> folder. */
  readonly clusterDir: string;
  /** The fleet's base folder: file paths in the fleet are relative to it. */
  readonly baseDir: string;
}
