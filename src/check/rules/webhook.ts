import { WEBHOOK_CHART, WEBHOOK_CHART_REPOSITORY_URL } from '../../kubernetes/webhook';
import { SUMMARY_FILE } from '../../core/summary';
import { at, fileAt, KubeObject, objectsAppliedTo } from '../artifacts';
import { Finding } from '../finding';
import { Rule } from '../rule';

/**
 * The webhook as each cluster's platform says it reaches the cluster (summary.json `webhook`): where the
 * platform runs it (AKS's managed add-on), a second install fights it; elsewhere, service accounts that
 * ask for an identity need it installed, by the folder's objects or the Helm values files listed.
 */
export const webhookRule: Rule = (model) =>
  model.clusters.flatMap(({ summary: cluster, serviceAccounts }): Finding[] => {
    const install = cluster.webhook;
    if (install === undefined) {
      return [
        {
          severity: 'warning',
          rule: 'webhook',
          file: SUMMARY_FILE,
          object: `cluster ${cluster.name}`,
          message: `does not say how the workload identity webhook reaches cluster ${cluster.name} (an older wisynth wrote it), so its install is not checked`,
          fix: 'synth again: summary.json then says it',
        },
      ];
    }
    const objects = objectsAppliedTo(model.artifacts, cluster.name);
    if (install.managed) {
      return objects.filter(isWebhookInstall).map((o) => ({
        severity: 'error',
        rule: 'webhook',
        file: o.file,
        object: o.label,
        message: `installs the workload identity webhook on ${cluster.platform} cluster ${cluster.name}, whose platform runs it as a managed add-on (on AKS: workload_identity_enabled); two webhooks mutate the same pods`,
        fix: 'remove it: enable workload identity on the cluster instead',
      }));
    }
    const missing = install.valuesFiles.filter((file) => fileAt(model.artifacts, file) === undefined);
    const listed: Finding[] = missing.map((file) => ({
      severity: 'error',
      rule: 'webhook',
      file: SUMMARY_FILE,
      object: `cluster ${cluster.name}`,
      message: `lists ${file} as the webhook's Helm values, but OUT has no such file`,
      fix: 'synth again into this OUT: a file synth wrote is missing',
    }));
    const annotated = serviceAccounts.find((sa) => sa.clientId !== undefined)?.object;
    if (!annotated || install.valuesFiles.length > missing.length || objects.some(isWebhookInstall)) return listed;
    const values = install.valuesFiles.length > 0 ? install.valuesFiles.join(', ') : 'a Helm values file of OUT';
    return [
      ...listed,
      {
        severity: 'error',
        rule: 'webhook',
        file: annotated.file,
        object: annotated.label,
        message: `asks for an Azure identity on cluster ${cluster.name}, but neither ${cluster.folder} nor ${values} installs the workload identity webhook; pods get no token`,
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
