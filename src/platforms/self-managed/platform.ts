import * as path from 'path';
import { OidcIssuerStorage } from '../../azure/oidc-issuer-storage';
import { giantSwarmValues } from '../../cluster-config/giantswarm';
import { kindClusterConfig } from '../../cluster-config/kind';
import { publicKeyBundle, PUBLIC_KEY_BUNDLE_FILE } from '../../cluster-config/api-server-flags';
import { kubeadmClusterConfigurationFile } from '../../cluster-config/kubeadm';
import { discoveryDocument, discoveryJson } from '../../oidc/discovery';
import { hostedJwksJson } from '../../oidc/jwks';
import { IssuerStatement, OUT_PATHS } from '../../core/summary';
import { toYaml } from '../../core/yaml';
import { DISCOVERY_PATH } from '../../oidc/paths';
import { ClusterFile, HostedIssuerClusterPlan, Platform } from '../platform';
import { WEBHOOK_VALUES_FILE, WorkloadIdentityWebhook, webhookHelmValues } from '../../kubernetes/webhook';
import type { ClusterDocumentOf } from '../../model/platform-model';
import type { SelfManagedCluster } from './cluster';
import { loadSelfManagedCluster } from './load';
import { planSelfManaged } from './plan';

/** The configuration file of each distribution, in OUT/clusters/<cluster>/, and the form it states the issuer in. */
const CLUSTER_FILES = { kind: 'kind-cluster.yaml', kubeadm: 'kubeadm-cluster-configuration.yaml', giantswarm: 'giantswarm-values.yaml' } as const;
const FORMS = { kind: 'kind-config', kubeadm: 'kubeadm-configuration', giantswarm: 'giantswarm-values' } as const;

/**
 * Self-managed clusters (kind, kubeadm, Giant Swarm): nobody hosts the issuer for them. Azure side: a storage
 * account serving the discovery document and JWKS. Cluster side: the webhook (Flux), and the files that make
 * the API server sign tokens for that issuer.
 */
export const selfManaged: Platform<SelfManagedCluster, HostedIssuerClusterPlan, ClusterDocumentOf<'self-managed'>> = {
  name: 'self-managed',
  load: loadSelfManagedCluster,
  plan: planSelfManaged,
  uniqueNames: (c) => [{ what: 'issuer storage account', key: c.issuer.storageAccount, field: ['selfManaged', 'issuer', 'storageAccount'] }],

  addAzureResources(stack, cluster) {
    const plan = cluster.selfManaged;
    const storage = new OidcIssuerStorage(stack, plan.storageLogicalId, {
      hosting: plan.hosting,
      accountName: plan.storageAccount,
      resourceGroup: stack.resourceGroup(plan.resourceGroup),
      location: plan.location,
      container: plan.container,
      blobIssuerUrl: plan.hosting === 'blobContainer' ? cluster.issuer.value : undefined,
      jwksJson: hostedJwksJson(plan.jwks),
      discoveryJson: (issuer, jwksUri) => discoveryJson(discoveryDocument(issuer, plan.signingAlgorithms, jwksUri)),
      logicalIdPrefix: plan.storageLogicalId,
      tags: plan.storageTags,
      importFrom: plan.importIds,
    });
    if (plan.hosting === 'staticWebsite') stack.registerClusterIssuer(cluster.name, storage.issuerUrl);
  },

  addKubernetesObjects(chart, cluster) {
    if (cluster.selfManaged.webhook) new WorkloadIdentityWebhook(chart, 'webhook', { tenantId: cluster.tenantId, authorityHost: cluster.authorityHost });
  },

  clusterFiles(cluster, context) {
    const plan = cluster.selfManaged;
    const issuer = cluster.issuer.value;
    const files = new Map<string, ClusterFile>();
    const yamlOf = (doc: Record<string, unknown>): ClusterFile => ({ text: toYaml(doc), doc });
    switch (plan.distribution) {
      case 'kind': {
        // kind runs in OUT/clusters/<cluster>/ (cd there, then `kind create cluster --config kind-cluster.yaml`):
        // its relative hostPaths resolve against the current directory, so each is written relative to that folder.
        const hostPath = (fleetPath: string) =>
          context ? path.relative(context.clusterDir, path.resolve(context.baseDir, fleetPath)).split(path.sep).join('/') : fleetPath;
        files.set(PUBLIC_KEY_BUNDLE_FILE, { text: publicKeyBundle(plan.publicKeysPem) });
        files.set(
          CLUSTER_FILES.kind,
          yamlOf(
            kindClusterConfig({
              clusterName: cluster.name,
              issuer,
              publicKeyFile: hostPath(plan.publicKeyFiles[0]),
              privateKeyFile: hostPath(plan.privateKeyFile!),
              publicKeyBundleFile: PUBLIC_KEY_BUNDLE_FILE,
            }),
          ),
        );
        break;
      }
      case 'kubeadm':
        files.set(CLUSTER_FILES.kubeadm, kubeadmClusterConfigurationFile({ issuer, previousIssuers: plan.previousIssuers, publicKeyFiles: plan.publicKeyFiles }));
        break;
      case 'giantswarm':
        files.set(CLUSTER_FILES.giantswarm, yamlOf(giantSwarmValues(issuer, plan.previousIssuers)));
        break;
    }
    if (plan.webhook) files.set(WEBHOOK_VALUES_FILE, { text: webhookHelmValues({ tenantId: cluster.tenantId, authorityHost: cluster.authorityHost }) });
    return files;
  },

  summary(cluster) {
    const { distribution, webhook } = cluster.selfManaged;
    const configuration: IssuerStatement[] =
      distribution === 'openshift' ? [] : [{ file: OUT_PATHS.clusterFile(cluster.name, CLUSTER_FILES[distribution]), form: FORMS[distribution] }];
    return {
      issuerStatedIn: [...configuration, { file: OUT_PATHS.oidcFile(cluster.name, DISCOVERY_PATH), form: 'discovery' }],
      webhook: { managed: false, valuesFiles: webhook ? [OUT_PATHS.clusterFile(cluster.name, WEBHOOK_VALUES_FILE)] : [] },
    };
  },
};

