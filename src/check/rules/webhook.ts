import { WEBHOOK_CHART, WEBHOOK_CHART_REPOSITORY_URL } from '../../kubernetes/webhook';
import { at, objectsAppliedTo, KubeObject } from '../artifacts';
import { Finding } from '../finding';
import { Rule } from '../rule';

/**
 * AKS runs the webhook as a managed add-on, so a second install there fights it; a self-managed
 * cluster whose service accounts ask for an identity needs the webhook installed (YAML or Helm values).
 */
export const webhookRule: Rule = (model) =>
  model.clusters.flatMap(({ summary: cluster, serviceAccounts }): Finding[] => {
    const objects = objectsAppliedTo(model.artifacts, cluster.name);
    const values = model.artifacts.files.find((f) => f.path === `clusters/${cluster.name}/webhook-values.yaml`);
    if (cluster.platform === 'aks') {
      const installs = objects.filter(isWebhookInstall).map((o) => ({ file: o.file, object: o.label }));
      if (values) installs.push({ file: values.path, object: '(file)' });
      return installs.map((where) => ({
        severity: 'error',
        rule: 'webhook',
        ...where,
        message: `installs the workload identity webhook on AKS cluster ${cluster.name}, which runs it as a managed add-on (workload_identity_enabled); two webhooks mutate the same pods`,
        fix: 'remove it: on AKS, enable workload identity on the cluster instead',
      }));
    }
    const annotated = serviceAccounts.find((sa) => sa.clientId !== undefined)?.object;
    if (!annotated || values || objects.some(isWebhookInstall)) return [];
    return [
      {
        severity: 'error',
        rule: 'webhook',
        file: annotated.file,
        object: annotated.label,
        message: `asks for an Azure identity on cluster ${cluster.name}, but neither ${cluster.folder} nor clusters/${cluster.name}/webhook-values.yaml installs the workload identity webhook; pods get no token`,
        fix: 'synth again with the webhook enabled for this cluster (selfManaged.webhook), or install the workload-identity-webhook chart',
      },
    ];
  });

function isWebhookInstall(o: KubeObject): boolean {
  const name = String(at(o.obj, 'metadata', 'name'));
  switch (o.obj.kind) {
    case 'HelmRelease':
      return at(o.obj, 'spec', 'chart', 'spec', 'chart') === WEBHOOK_CHART;
    case 'HelmRepository':
      return at(o.obj, 'spec', 'url') === WEBHOOK_CHART_REPOSITORY_URL;
    case 'MutatingWebhookConfiguration':
    case 'Deployment':
      return name.startsWith('azure-wi-webhook');
    default:
      return false;
  }
}
