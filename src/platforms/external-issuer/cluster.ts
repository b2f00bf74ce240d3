import type { PreviousIssuer } from '../../model/fleet-plan';
import { Construct } from 'constructs';
import { Cluster } from '../../model/cluster';
import type { Tags } from '../../model/tags';

/** Props of an `ExternalIssuerCluster`. */
export interface ExternalIssuerClusterProps {
  /**
   * Names the cluster's output folder.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * The issuer its API server puts in service-account tokens, byte for byte: someone else hosts its
   * discovery document and JWKS (EKS, GKE, any Kubernetes with a public issuer).
   */
  readonly issuerUrl: string;
  /**
   * Tags of the resources made for this cluster alone, over the fleet's.
   * @default - none: the fleet's tags alone
   */
  readonly tags?: Tags;
  /**
   * Issuers the cluster is moving away from (it was recreated, or replaced blue-green): each keeps a FIC
   * for every federated service account beside the current issuer's, until it is removed from the list.
   * @default - none
   */
  readonly previousIssuers?: ReadonlyArray<string | PreviousIssuer>;
}

/**
 * A cluster whose OIDC issuer is hosted outside the fleet: wisynth writes its FICs on the given issuer,
 * its annotated service accounts, and the webhook install that such clusters need. Use it for a cluster
 * that is neither AKS nor has an issuer wisynth hosts (EKS, GKE, ...).
 */
export class ExternalIssuerCluster extends Cluster {
  public readonly platform = 'external-issuer' as const;
  public readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: ExternalIssuerClusterProps) {
    super(scope, id, props.name, props.tags, props.previousIssuers);
    this.issuerUrl = props.issuerUrl;
  }
}
