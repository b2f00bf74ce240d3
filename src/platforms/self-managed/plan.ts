import { buildJwks } from '../../oidc/jwks';
import { signingAlgorithms } from '../../oidc/discovery';
import { OUTPUT_NAMES } from '../../core/names';
import type { IssuerStorageImports, PlannedValue, PreviousIssuer, SelfManagedPlan } from '../../model/fleet-plan';
import { DISCOVERY_PATH, JWKS_PATH } from '../../oidc/paths';
import { planPreviousIssuers } from '../../model/previous-issuers';
import type { PlanContext } from '../../model/plan-context';
import type { PlatformPlan } from '../../model/platform-model';
import type { SelfManagedCluster } from './cluster';

/** A self-managed cluster: its issuer, hosted on Azure Storage, and the files its API server reads. */
export function planSelfManaged(c: SelfManagedCluster, ctx: PlanContext): PlatformPlan {
  const { issuer, selfManaged, federatedPreviousIssuers } = planHostedIssuer(c, ctx, 'selfManaged');
  return { issuer, part: { platform: 'self-managed', selfManaged }, previousIssuers: federatedPreviousIssuers };
}

/**
 * The issuer wisynth hosts for a cluster (self-managed, CAPZ and OpenShift ones): its storage, its
 * documents' keys and the issuer URL. `statedUnder` is the fleet-file section that states it.
 */
export function planHostedIssuer(c: SelfManagedCluster, ctx: PlanContext, statedUnder: 'selfManaged' | 'openshiftHive'): { issuer: PlannedValue; selfManaged: SelfManagedPlan; federatedPreviousIssuers: readonly PreviousIssuer[] } {
  const { issuer: hosting, serviceAccountKeys: keys } = c;
  // an OpenShift cluster states these under openshiftHive, and derives its container and keys' list
  const openshift = statedUnder === 'openshiftHive';
  ctx.checkName(c, openshift ? ['openshiftHive', 'storageAccount'] : ['selfManaged', 'issuer', 'storageAccount'], 'storageAccount', hosting.storageAccount);
  ctx.checkDeclared(c, ['selfManaged', 'issuer', 'resourceGroup'], hosting.resourceGroup);
  if (hosting.hosting === 'blobContainer') ctx.checkName(c, openshift ? ['name'] : ['selfManaged', 'issuer', 'container'], 'blobContainer', hosting.container);
  if (!openshift) {
    if (hosting.location !== hosting.resourceGroup.location) ctx.checkValue(c, ['selfManaged', 'issuer', 'location'], 'region', hosting.location);
    keys.publicKeyFiles.forEach((file, i) => ctx.checkValue(c, ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles', i], 'filePath', file));
    if (keys.privateKeyFile !== undefined) ctx.checkValue(c, ['selfManaged', 'serviceAccountKeys', 'privateKeyFile'], 'filePath', keys.privateKeyFile);
  }
  if (keys.publicKeyFiles.length === 0) {
    ctx.issue(c, ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles'], 'no public key is listed', 'list the public key the API server signs with (`wisynth keygen -o keys/<cluster>` makes a pair)');
  }
  if (!keys.privateKeyFile && (c.distribution === 'kind' || c.distribution === 'kubeadm')) {
    ctx.issue(c, ['selfManaged', 'serviceAccountKeys'], `a ${c.distribution} cluster needs privateKeyFile, the key its API server signs with`, 'add privateKeyFile: the path of sa.key on the machine that creates the cluster (it is referenced, never read)');
  }
  if (hosting.adopt && hosting.hosting !== 'blobContainer') {
    ctx.issue(c, ['selfManaged', 'issuer', 'adopt'], 'only a blob-container issuer is adopted: a static website has no container to import', 'use blobContainer hosting, or leave adopt out so that the storage is created');
  }
  const previousIssuers = openshift ? [] : checkPreviousIssuers(c, ctx);
  const published = keys.publicKeyFiles.flatMap((file, index) => {
    const key = ctx.publicKey(file);
    if (!key) ctx.missingInput(c, ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles', index], `public key "${file}" was not loaded`, 'synthesize with synthesizeFleet or the CLI, which read the key files, or pass options.keys to planFleet');
    return key ? [key] : [];
  });
  // the cloud's storage suffix: ccoctl writes `blob.core.windows.net` whatever the cloud (create_oidc_issuer.go, uploadOIDCDocuments),
  // but the issuer must be where the account serves the documents
  const endpoint = ctx.endpoints.storageSuffix;
  const issuer: PlannedValue =
    hosting.hosting === 'blobContainer'
      ? { value: `https://${hosting.storageAccount}.blob.${endpoint}/${hosting.container}`, pending: false }
      : ctx.afterApply(OUTPUT_NAMES.hostedIssuer(c.clusterName));
  ctx.usePending(issuer, `oidc/${c.clusterName}: issuer`);
  ctx.usePending(issuer, `clusters/${c.clusterName}: service-account-issuer`);
  return {
    issuer,
    federatedPreviousIssuers: openshift ? [] : planPreviousIssuers(c, ctx, ['selfManaged', 'previousIssuers'], issuer),
    selfManaged: {
      distribution: c.distribution,
      webhook: c.webhook,
      hosting: hosting.hosting,
      storageAccount: hosting.storageAccount,
      resourceGroup: hosting.resourceGroup.groupName,
      location: hosting.location,
      container: hosting.container,
      storageLogicalId: ctx.logicalId('oidc', c.clusterName),
      storageTags: ctx.resourceTags(c, `storage account ${hosting.storageAccount}`, [c]),
      publicKeyFiles: keys.publicKeyFiles,
      privateKeyFile: keys.privateKeyFile,
      jwks: buildJwks(published),
      publicKeysPem: published.map((k) => String(k.key.export({ type: 'spki', format: 'pem' }))),
      previousIssuers,
      signingAlgorithms: signingAlgorithms(published),
      ...(hosting.adopt && hosting.hosting === 'blobContainer' && { importIds: storageImports(ctx, hosting.resourceGroup.groupName, hosting.storageAccount, hosting.container) }),
    },
  };
}

/**
 * The import ids of a blob-container issuer that exists (hashicorp/terraform-provider-azurerm
 * website/docs/r/storage_account, storage_container and storage_blob .html.markdown, Import): the container
 * by its resource-manager id, which goes with the `storage_account_id` it is declared with, each blob by its URL.
 */
function storageImports(ctx: PlanContext, group: string, account: string, container: string): IssuerStorageImports {
  const accountId = ctx.armId(group, `Microsoft.Storage/storageAccounts/${account}`);
  const blob = (name: string) => `https://${account}.blob.${ctx.endpoints.storageSuffix}/${container}/${name}`;
  return { account: accountId, container: `${accountId}/blobServices/default/containers/${container}`, discovery: blob(DISCOVERY_PATH), jwks: blob(JWKS_PATH) };
}

/**
 * The issuers the API server accepts after the hosted one (`selfManaged.previousIssuers`, checked one by one
 * with planPreviousIssuers, or the distribution's default). kind takes none: its patch merge keeps one value per flag name (kubernetes-sigs/kind
 * `pkg/internal/patch/kubeadm_merge.go`, mergeExtraArgs), and a cluster it creates has issued no earlier tokens.
 */
function checkPreviousIssuers(c: SelfManagedCluster, ctx: PlanContext): readonly string[] {
  const field = ['selfManaged', 'previousIssuers'];
  const declared = c.previousIssuersOption;
  if (c.distribution === 'kind' && declared && declared.length > 0) {
    ctx.issue(c, field, 'a kind cluster takes no previous issuers: kind merges kubeadm patches by flag name, so only one service-account-issuer reaches the API server', 'remove previousIssuers: a kind cluster created from the generated config has issued no tokens under another issuer');
    return [];
  }
  return c.previousIssuers;
}
