import type { Construct } from 'constructs';
import type { FleetStack } from '../azure/fleet-stack';
import type { PlatformName } from '../model/cluster';
import type { ClusterPlan } from '../model/fleet-plan';

/** What sets one platform apart, on each side; everything shared lives in azure/ and kubernetes/. */
export interface Platform {
  readonly name: PlatformName;
  /** Adds the cluster's own Azure resources (an AKS cluster, an issuer's storage) to the stack. */
  addAzureResources(stack: FleetStack, cluster: ClusterPlan): void;
  /** Adds the objects only this platform needs (the webhook on self-managed clusters) to the cluster's chart. */
  addKubernetesObjects(chart: Construct, cluster: ClusterPlan): void;
  /** Files for OUT/clusters/<cluster>/ (kind config, kubeadm patch, values), by name. */
  clusterFiles(cluster: ClusterPlan, context?: ClusterFileContext): ReadonlyMap<string, string>;
}

/** Where the cluster files go, so that paths in them can be written relative to that folder. */
export interface ClusterFileContext {
  /** The final OUT/clusters/<cluster> folder. */
  readonly clusterDir: string;
  /** The fleet's base folder: file paths in the fleet are relative to it. */
  readonly baseDir: string;
}
