import { WorkloadIdentityWebhook, webhookHelmValues } from '../kubernetes/webhook';
import type { ClusterPlanOf } from '../model/fleet-plan';
import { Platform } from './platform';

/**
 * A cluster whose issuer someone else hosts (EKS, GKE, any Kubernetes with a public issuer): nothing on
 * the Azure side but its FICs, which carry the issuer as given. Cluster side: the azure-workload-identity
 * webhook, which only AKS runs for itself (Azure/azure-workload-identity docs/book/src/installation.md:
 * managed clusters other than AKS install it like self-managed ones).
 */
export const externalIssuer: Platform<ClusterPlanOf<'external-issuer'>> = {
  name: 'external-issuer',

  addAzureResources() {},

  addKubernetesObjects(chart, cluster) {
    new WorkloadIdentityWebhook(chart, 'webhook', { tenantId: cluster.tenantId, authorityHost: cluster.authorityHost });
  },

  clusterFiles(cluster) {
    return new Map([['webhook-values.yaml', webhookHelmValues({ tenantId: cluster.tenantId, authorityHost: cluster.authorityHost })]]);
  },

  // the issuer is in Terraform (an AKS resource or data source) or in the fleet only: no file of OUT states it
  issuerStatements() {
    return [];
  },
};
