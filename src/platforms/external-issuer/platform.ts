import { OUT_PATHS } from '../../core/summary';
import { WEBHOOK_VALUES_FILE, WorkloadIdentityWebhook, webhookHelmValues } from '../../kubernetes/webhook';
import type { ClusterPlanOf } from '../../model/fleet-plan';
import { Platform } from '../platform';
import type { ClusterDocumentOf } from '../../model/platform-model';
import type { ExternalIssuerCluster } from './cluster';
import { loadExternalIssuerCluster } from './load';
import { planExternalIssuer } from './plan';

/**
 * A cluster whose issuer someone else hosts (EKS, GKE, any Kubernetes with a public issuer): nothing on
 * the Azure side but its FICs, which carry the issuer as given. Cluster side: the azure-workload-identity
 * webhook, which only AKS runs for itself (Azure/azure-workload-identity docs/book/src/installation.md:
 * managed clusters other than AKS install it like self-managed ones).
 */
export const externalIssuer: Platform<ExternalIssuerCluster, ClusterPlanOf<'external-issuer'>, ClusterDocumentOf<'external-issuer'>> = {
  name: 'external-issuer',
  load: loadExternalIssuerCluster,
  plan: planExternalIssuer,

  addAzureResources() {},

  addKubernetesObjects(chart, cluster) {
    new WorkloadIdentityWebhook(chart, 'webhook', { tenantId: cluster.tenantId, authorityHost: cluster.authorityHost });
  },

  clusterFiles(cluster) {
    return new Map([[WEBHOOK_VALUES_FILE, { text: webhookHelmValues({ tenantId: cluster.tenantId, authorityHost: cluster.authorityHost }) }]]);
  },

  // the issuer is in the fleet only: no file of OUT states it
  summary(cluster) {
    return { issuerStatedIn: [], webhook: { managed: false, valuesFiles: [OUT_PATHS.clusterFile(cluster.name, WEBHOOK_VALUES_FILE)] } };
  },
};
