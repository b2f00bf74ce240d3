import { Construct, IConstruct } from 'constructs';
import type { PlatformName, PreviousIssuer } from './fleet-plan';
import type { Tags } from './tags';
import { Workload, WorkloadProps } from './workload';


/** A cluster of the fleet, declared or existing; what importers return (`AksCluster.fromExisting`, ...). */
export interface ICluster extends IConstruct {
  readonly platform: PlatformName;
  /** Its name in the fleet: it names its folders of OUT. */
  readonly clusterName: string;
  /** The workloads declared on it, in the order they were added. */
  readonly workloads: Workload[];
  /** Adds a service account of this cluster that acts as an Azure identity; `id` defaults to `<namespace>:<serviceAccount>`. */
  addWorkload(props: WorkloadProps, id?: string): Workload;
}

/**
 * A Kubernetes cluster whose service accounts federate into Azure identities: the base of every platform's
 * cluster (AksCluster, SelfManagedCluster, ExternalIssuerCluster, ...); declare one of those, not this.
 */
export abstract class Cluster extends Construct implements ICluster {
  public abstract readonly platform: PlatformName;
  public readonly clusterName: string;
  /** Tags of the resources made for this cluster alone (its AKS cluster, issuer storage, identities, groups), over the fleet's. */
  public readonly tags: Tags;

  /** Issuers it is moving away from, as declared (an entry given as a string is `{ issuer }`). */
  public readonly declaredPreviousIssuers: readonly PreviousIssuer[];

  constructor(scope: Construct, id: string, name?: string, tags: Tags = {}, previousIssuers: ReadonlyArray<string | PreviousIssuer> = []) {
    super(scope, id);
    this.clusterName = name ?? id;
    this.tags = tags;
    this.declaredPreviousIssuers = previousIssuers.map((p) => (typeof p === 'string' ? { issuer: p } : p));
  }

  /** Adds a service account of this cluster that acts as an Azure identity; `id` defaults to `<namespace>:<serviceAccount>`. */
  public addWorkload(props: WorkloadProps, id?: string): Workload {
    return new Workload(this, id ?? `${props.namespace}:${props.serviceAccount}`, props);
  }

  /** The workloads declared on this cluster, in the order they were added. */
  public get workloads(): Workload[] {
    return this.node.children.filter((c): c is Workload => c instanceof Workload);
  }
}
