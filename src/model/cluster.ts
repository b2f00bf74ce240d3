import { Construct } from 'constructs';
import type { PlatformName } from './fleet-plan';
import type { Tags } from './tags';
import { Workload, WorkloadProps } from './workload';


/** A Kubernetes cluster whose service accounts federate into Azure identities. */
export abstract class Cluster extends Construct {
  public abstract readonly platform: PlatformName;
  public readonly clusterName: string;
  /** Tags of the resources made for this cluster alone (its AKS cluster, issuer storage, identities, groups), over the fleet's. */
  public readonly tags: Tags;

  constructor(scope: Construct, id: string, name?: string, tags: Tags = {}) {
    super(scope, id);
    this.clusterName = name ?? id;
    this.tags = tags;
  }

  /** Adds a service account that acts as an Azure identity. @default id `<namespace>:<serviceAccount>` */
  public addWorkload(props: WorkloadProps, id?: string): Workload {
    return new Workload(this, id ?? `${props.namespace}:${props.serviceAccount}`, props);
  }

  public get workloads(): Workload[] {
    return this.node.children.filter((c): c is Workload => c instanceof Workload);
  }
}
