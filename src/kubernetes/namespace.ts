import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';

/** Properties of a `Namespace`. */
export interface NamespaceProps {
  /** Name of the namespace (a DNS label). */
  readonly name: string;
}

/** A Kubernetes Namespace (`v1`); use it to create the namespace that service accounts and workloads live in. */
export class Namespace extends Construct {
  /** Name of the namespace. */
  public readonly name: string;

  protected readonly apiObject: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: props.name },
    });
  }
}
