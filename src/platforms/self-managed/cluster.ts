import { Construct } from 'constructs';
import { KUBERNETES_DEFAULT_ISSUER } from '../../model/constants';
import { Cluster } from '../../model/cluster';
import { ResourceGroup } from '../../model/resource-group';
import type { Distribution, IssuerHosting } from '../../model/fleet-plan';
import type { Tags } from '../../model/tags';


export interface OidcIssuerProps {
  readonly hosting: IssuerHosting;
  /** Globally unique storage account name (3-24 lowercase letters and digits). */
  readonly storageAccount: string;
  readonly resourceGroup: ResourceGroup;
  /** @default the resource group's location */
  readonly location?: string;
  /**
   * Container of the documents (blobContainer hosting only).
   * @default 'oidc'
   */
  readonly container?: string;
}

export interface ServiceAccountKeysProps {
  /**
   * PEM public keys to publish in the JWKS (SPKI, PKCS#1 or X.509 certificate; RSA >= 2048, EC P-256/384/521),
   * relative to the fleet's base folder. The first is the one the API server signs with; keep an old key
   * listed after it until the tokens it signed have expired.
   */
  readonly publicKeyFiles: readonly string[];
  /**
   * The private signing key on the machine that creates the cluster (kind, kubeadm), relative to the fleet's
   * base folder. Only referenced in the generated configuration: never read, never copied.
   * @default none (Giant Swarm manages its own key: publish its public key)
   */
  readonly privateKeyFile?: string;
}

export interface SelfManagedClusterProps {
  /** @default the construct id */
  readonly name?: string;
  readonly distribution: Distribution;
  readonly issuer: OidcIssuerProps;
  readonly serviceAccountKeys: ServiceAccountKeysProps;
  /**
   * Issuers the cluster issued tokens under before: the API server keeps accepting them (each is one more
   * `service-account-issuer` after the hosted one, which alone signs), so existing tokens stay valid.
   * Drop one once the longest token lifetime has passed since the switch.
   * @default kubeadm and Giant Swarm: kubeadm's default `https://kubernetes.default.svc.cluster.local`;
   * kind: none (a cluster created from the generated config never had another issuer, and kind's patch
   * merge keeps one value per flag)
   */
  readonly previousIssuers?: readonly string[];
  /**
   * Install the azure-workload-identity webhook with Flux (self-managed clusters need it; AKS runs its own).
   * @default true
   */
  readonly webhook?: boolean;
  /** Tags of the resources made for this cluster (its issuer's storage account), over the fleet's. */
  readonly tags?: Tags;
}

/** A cluster whose OIDC issuer wisynth hosts on Azure Storage: kind, kubeadm or Giant Swarm. */
export class SelfManagedCluster extends Cluster {
  public readonly platform: 'self-managed' | 'capz' | 'openshift-hive' = 'self-managed';
  public readonly distribution: Distribution;
  public readonly issuer: Required<Omit<OidcIssuerProps, 'container'>> & { readonly container: string };
  public readonly serviceAccountKeys: ServiceAccountKeysProps;
  /** As declared; undefined takes the distribution's default (see `previousIssuers`). */
  public readonly previousIssuersOption?: readonly string[];
  private readonly webhookOption?: boolean;

  constructor(scope: Construct, id: string, props: SelfManagedClusterProps) {
    super(scope, id, props.name, props.tags);
    this.distribution = props.distribution;
    this.issuer = {
      ...props.issuer,
      location: props.issuer.location ?? props.issuer.resourceGroup.location,
      container: props.issuer.hosting === 'staticWebsite' ? '$web' : (props.issuer.container ?? 'oidc'),
    };
    this.serviceAccountKeys = props.serviceAccountKeys;
    this.previousIssuersOption = props.previousIssuers;
    this.webhookOption = props.webhook;
  }

  /** The issuers the API server accepts after the hosted one, in order. */
  public get previousIssuers(): readonly string[] {
    return this.previousIssuersOption ?? (this.distribution === 'kubeadm' || this.distribution === 'giantswarm' ? [KUBERNETES_DEFAULT_ISSUER] : []);
  }

  /** Whether the azure-workload-identity webhook is installed. */
  public get webhook(): boolean {
    return this.webhookOption ?? this.defaultWebhook();
  }

  protected defaultWebhook(): boolean {
    return true;
  }
}
