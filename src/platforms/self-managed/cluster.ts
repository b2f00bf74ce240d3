import { Construct } from 'constructs';
import { KUBERNETES_DEFAULT_ISSUER } from '../../model/constants';
import { Cluster } from '../../model/cluster';
import { IResourceGroup } from '../../model/resource-group';
import type { Distribution, IssuerHosting, PreviousIssuer } from '../../model/fleet-plan';
import type { Tags } from '../../model/tags';


/** The Azure Storage account that hosts a cluster's discovery document and JWKS. */
export interface OidcIssuerProps {
  /** How the documents are served: a public blob container, or the account's static website. */
  readonly hosting: IssuerHosting;
  /** Globally unique storage account name (3-24 lowercase letters and digits). */
  readonly storageAccount: string;
  /** The group the storage account is created in. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Azure region of the storage account.
   * @default the resource group's location
   */
  readonly location?: string;
  /**
   * Container of the documents (blobContainer hosting only).
   * @default 'oidc' (staticWebsite hosting always uses '$web')
   */
  readonly container?: string;
  /**
   * The account, its container and documents exist (ccoctl made them): Terraform imports them (blob-container hosting).
   * @default false
   */
  readonly adopt?: boolean;
}

/** The keys the cluster's API server signs service-account tokens with. */
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
   * @default - none: required for kind and kubeadm; Giant Swarm manages its own key (publish its public key)
   */
  readonly privateKeyFile?: string;
}

/** Props of a `SelfManagedCluster`. */
export interface SelfManagedClusterProps {
  /**
   * Names the cluster's output folder.
   * @default the construct id
   */
  readonly name?: string;
  /** How the cluster is made: kind, kubeadm or Giant Swarm (OpenShift is `OpenShiftHiveCluster`'s). */
  readonly distribution: Distribution;
  /** Where the cluster's OIDC issuer is hosted. */
  readonly issuer: OidcIssuerProps;
  /** The signing keys whose public halves the issuer publishes. */
  readonly serviceAccountKeys: ServiceAccountKeysProps;
  /**
   * Issuers the cluster issued tokens under before: the API server keeps accepting them (each is one more
   * `service-account-issuer` after the hosted one, which alone signs), so existing tokens stay valid.
   * Drop one once the longest token lifetime has passed since the switch.
   * @default kubeadm and Giant Swarm: kubeadm's default `https://kubernetes.default.svc.cluster.local`;
   * kind: none (a cluster created from the generated config never had another issuer, and kind's patch
   * merge keeps one value per flag)
   */
  readonly previousIssuers?: ReadonlyArray<string | PreviousIssuer>;
  /**
   * Install the azure-workload-identity webhook with Flux (self-managed clusters need it; AKS runs its own).
   * @default true; on a CAPZ management cluster only when it has workloads of its own; never on OpenShift
   */
  readonly webhook?: boolean;
  /**
   * Tags of the resources made for this cluster (its issuer's storage account), over the fleet's.
   * @default - none: the fleet's tags alone
   */
  readonly tags?: Tags;
}

/**
 * A cluster whose OIDC issuer wisynth hosts on Azure Storage: kind, kubeadm or Giant Swarm. Use it for a
 * cluster you create yourself; wisynth writes the issuer, the API-server configuration and the webhook install.
 */
export class SelfManagedCluster extends Cluster {
  public readonly platform: 'self-managed' | 'capz' | 'openshift-hive' = 'self-managed';
  public readonly distribution: Distribution;
  public readonly issuer: Required<Omit<OidcIssuerProps, 'container' | 'adopt'>> & { readonly container: string; readonly adopt: boolean };
  public readonly serviceAccountKeys: ServiceAccountKeysProps;
  /** As declared; undefined takes the distribution's default (see `previousIssuers`). */
  public readonly previousIssuersOption?: readonly string[];
  private readonly webhookOption?: boolean;

  constructor(scope: Construct, id: string, props: SelfManagedClusterProps) {
    super(scope, id, props.name, props.tags, props.previousIssuers);
    this.distribution = props.distribution;
    this.issuer = {
      ...props.issuer,
      location: props.issuer.location ?? props.issuer.resourceGroup.location,
      container: props.issuer.hosting === 'staticWebsite' ? '$web' : (props.issuer.container ?? 'oidc'),
      adopt: props.issuer.adopt ?? false,
    };
    this.serviceAccountKeys = props.serviceAccountKeys;
    this.previousIssuersOption = props.previousIssuers && this.declaredPreviousIssuers.map((p) => p.issuer);
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
