import { Construct } from 'constructs';
import { Fleet } from './fleet';
import { Workload, WorkloadProps } from './workload';

/** Platforms wisynth knows; each has one file under src/platforms. */
export type PlatformName = 'aks' | 'self-managed' | 'capz' | 'openshift-hive';

/** A Kubernetes cluster whose service accounts federate into Azure identities. */
export abstract class Cluster extends Construct {
  public abstract readonly platform: PlatformName;
  public readonly clusterName: string;

  constructor(scope: Fleet, id: string, name?: string) {
    super(scope, id);
    this.clusterName = name ?? id;
  }

  /** Adds a service account that acts as an Azure identity. @default id `<namespace>:<serviceAccount>` */
  public addWorkload(props: WorkloadProps, id?: string): Workload {
    return new Workload(this, id ?? `${props.namespace}:${props.serviceAccount}`, props);
  }

  public get workloads(): Workload[] {
    return this.node.children.filter((c): c is Workload => c instanceof Workload);
  }
}
