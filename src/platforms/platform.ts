import type { AzureSide } from '../azure/fleet-stack';
import type { ClusterSummary, IssuerStatement, WebhookInstall } from '../core/summary';
import type { KubernetesSide } from '../kubernetes/cluster-chart';
import type { Cluster } from '../model/cluster';
import type { ClusterDocument } from '../model/fleet-document';
import type { ClusterPlan, SelfManagedPlan } from '../model/fleet-plan';
import type { PlatformModel } from '../model/platform-model';

/**
 * One platform, whole: how the loader builds its clusters and how they are planned (PlatformModel), and
 * what sets it apart on each side: the cluster's own Azure resources (an AKS cluster, an issuer's storage),
 * the Kubernetes objects only it needs (the webhook on self-managed clusters), its cluster files, and what
 * `check` must know of them. Everything shared lives in model/, azure/ and kubernetes/.
 */
export interface Platform<K extends Cluster = Cluster, C extends ClusterPlan = ClusterPlan, D extends ClusterDocument = ClusterDocument>
  extends PlatformModel<K, D>,
    AzureSide<C>,
    KubernetesSide<C> {
  /** Files for OUT/clusters/<cluster>/ (kind config, kubeadm patch, values), by name. */
  clusterFiles(cluster: C, context?: ClusterFileContext): ReadonlyMap<string, ClusterFile>;
  /** What summary.json says of the cluster that only its platform knows, for `check`. */
  summary(cluster: C, context: SummaryContext): PlatformSummary;
}

/**
 * A file of OUT/clusters/<cluster>/: its text, and for a YAML file that states the cluster's issuer, the value
 * it is the YAML of, which check then reads instead of parsing the text back.
 */
export interface ClusterFile {
  readonly text: string;
  readonly doc?: Record<string, unknown>;
}

/** What the summary of a cluster may name besides the cluster's plan. */
export interface SummaryContext {
  readonly subscriptionId: string;
  /** The file of OUT of the Terraform stack that holds the cluster's Azure resources. */
  readonly stackFile: string;
}

/** What a platform tells `check` of one of its clusters, through summary.json. */
export interface PlatformSummary extends Pick<ClusterSummary, 'aks' | 'externalServiceAccounts'> {
  /** The files of OUT it writes that state the cluster's issuer. */
  readonly issuerStatedIn: readonly IssuerStatement[];
  readonly webhook: WebhookInstall;
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
