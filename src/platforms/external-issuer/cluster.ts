import { Construct } from 'constructs';
import { Cluster } from '../../model/cluster';
import type { Tags } from '../../model/tags';

export interface ExternalIssuerClusterProps {
  /** @default the construct id */
  readonly name?: string;
  /**
   * The issuer its API server puts in service-account tokens, byte for byte: someone else hosts its
   * discovery document and JWKS (EKS, GKE, any Kubernetes with a public issuer).
   */
  readonly issuerUrl: string;
  readonly tags?: Tags;
}

/**
 * A cluster whose OIDC issuer is hosted outside the fleet: wisynth writes its FICs on the given issuer,
 * its annotated service accounts, and the webhook install that such clusters need.
 */
export class ExternalIssuerCluster extends Cluster {
  public readonly platform = 'external-issuer' as const;
  public readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: ExternalIssuerClusterProps) {
    super(scope, id, props.name, props.tags);
    this.issuerUrl = props.issuerUrl;
  }
}
