import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageAccountStaticWebsiteA } from '@cdktf/provider-azurerm/lib/storage-account-static-website';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IssuerHosting, IssuerStorageImports } from '../model/fleet-plan';
import { jwksUri as jwksUriOf } from '../oidc/discovery';
import { DISCOVERY_PATH, JWKS_PATH, OIDC_CONTENT_TYPE } from '../oidc/paths';
import { IResourceGroup } from './resource-group';
import { ResourceTags, tagsAttribute } from './tags';
import { terraformLiterals } from './terraform-literal';

/** Properties of an `OidcIssuerStorage`. */
export interface OidcIssuerStorageProps {
  /** How the documents are served: a public blob container (`blobContainer`) or the account's static website (`staticWebsite`). */
  readonly hosting: IssuerHosting;
  /** Globally unique name of the storage account. */
  readonly accountName: string;
  /** Group that holds the account. */
  readonly resourceGroup: IResourceGroup;
  /** Azure region of the account. */
  readonly location: string;
  /** Container of the documents; ignored for static-website hosting (`$web`). */
  readonly container: string;
  /**
   * The issuer of blob-container hosting, `https://<account>.blob.<suffix>/<container>`; required there (the
   * constructor throws without it) and ignored for a static website, whose issuer is its web endpoint, known after apply.
   * @default - none
   */
  readonly blobIssuerUrl?: string;
  /** The JWKS, as JSON text (hostedJwksJson: its keys in kid order). */
  readonly jwksJson: string;
  /** Builds the discovery document's JSON from the issuer and jwks_uri (Terraform expressions when after-apply). */
  readonly discoveryJson: (issuer: string, jwksUri: string) => string;
  /** Prefix of the Terraform logical ids of its resources. */
  readonly logicalIdPrefix: string;
  /**
   * Tags of the storage account (the provider tags neither containers nor blobs).
   * @default - none: no `tags` attribute is written
   */
  readonly tags?: ResourceTags;
  /**
   * The storage that exists (blob-container hosting): Terraform imports the account and container by ARM
   * id and each document by its blob URL (hashicorp/terraform-provider-azurerm website/docs/r/storage_*.html.markdown, Import).
   * The provider reads no blob's content back, so the first apply replaces both documents once.
   * @default - none: all is created
   */
  readonly importFrom?: IssuerStorageImports;
}

/**
 * A self-hosted OIDC issuer on Azure Storage (`azurerm_storage_account`, `azurerm_storage_container` or
 * `azurerm_storage_account_static_website`, two `azurerm_storage_blob`): the account (TLS 1.2), the public
 * container or the static website, and the two documents Entra fetches, both `application/json`. Use it for
 * a cluster that has no issuer of its own (kind, kubeadm, CAPZ), whose API server then signs for `issuerUrl`. Stricter than ccoctl's account
 * (openshift/cloud-credential-operator `pkg/cmd/provisioning/azure/create_oidc_issuer.go` sets StorageV2,
 * Standard_LRS and public blob access only): TLS 1.2 and HTTPS only are stated, whatever the defaults.
 */
export class OidcIssuerStorage extends Construct {
  /** The issuer string: literal for a blob container, the web endpoint (ends in `/`) for a static website. */
  public readonly issuerUrl: string;
  protected readonly account: StorageAccount;

  constructor(scope: Construct, id: string, props: OidcIssuerStorageProps) {
    super(scope, id);
    const website = props.hosting === 'staticWebsite';
    const named = <T extends { overrideLogicalId(id: string): void }>(resource: T, suffix: string): T => {
      resource.overrideLogicalId(`${props.logicalIdPrefix}_${suffix}`);
      return resource;
    };
    this.account = named(
      new StorageAccount(this, 'account', terraformLiterals({
        name: props.accountName,
        resourceGroupName: props.resourceGroup.name,
        location: props.location,
        accountKind: 'StorageV2',
        accountTier: 'Standard',
        accountReplicationType: 'LRS',
        minTlsVersion: 'TLS1_2',
        httpsTrafficOnlyEnabled: true,
        // A public container needs nested public access; the static website serves without it.
        allowNestedItemsToBePublic: !website,
        tags: tagsAttribute(props.tags),
      })),
      'account',
    );
    if (props.importFrom) this.account.importFrom(props.importFrom.account);

    let containerName: string;
    let dependsOn: ITerraformDependable[];
    let jwksUri: string;
    if (website) {
      const site = named(new StorageAccountStaticWebsiteA(this, 'website', terraformLiterals({ storageAccountId: this.account.id })), 'website');
      containerName = '$web';
      dependsOn = [site];
      this.issuerUrl = this.account.primaryWebEndpoint;
      jwksUri = `${Fn.trimsuffix(this.issuerUrl, '/')}/${JWKS_PATH}`;
    } else {
      const container = named(
        new StorageContainer(this, 'container', terraformLiterals({
          name: props.container,
          storageAccountId: this.account.id,
          // ccoctl's container is `container` (anonymous listing too); Entra only GETs two known paths, which `blob` allows
          containerAccessType: 'blob',
        })),
        'container',
      );
      if (props.importFrom) container.importFrom(props.importFrom.container);
      containerName = container.name;
      dependsOn = [];
      if (props.blobIssuerUrl === undefined) throw new Error(`issuer storage ${props.accountName}: blobIssuerUrl is required for blob-container hosting`);
      this.issuerUrl = props.blobIssuerUrl;
      jwksUri = jwksUriOf(this.issuerUrl);
    }

    const blob = (suffix: string, name: string, content: string) =>
      named(
        new StorageBlob(this, suffix, terraformLiterals({
          name,
          storageAccountName: this.account.name,
          storageContainerName: containerName,
          type: 'Block',
          contentType: OIDC_CONTENT_TYPE,
          sourceContent: content,
          dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
        })),
        suffix,
      );
    // A blob whose content changes is replaced: delete, then create (hashicorp/terraform-provider-azurerm
    // `internal/services/storage/storage_blob_resource.go`: source_content is ForceNew, and create refuses an
    // existing blob, so create_before_destroy cannot help; the names are fixed by the issuer). So each text
    // changes only when it must: the discovery document with the issuer, the JWKS with the key set (its keys
    // are sorted by kid, see hostedJwksJson), never with the order of publicKeyFiles.
    const discovery = blob('discovery', DISCOVERY_PATH, props.discoveryJson(this.issuerUrl, jwksUri));
    const jwks = blob('jwks', JWKS_PATH, props.jwksJson);
    if (props.importFrom) {
      discovery.importFrom(props.importFrom.discovery);
      jwks.importFrom(props.importFrom.jwks);
    }
  }
}
