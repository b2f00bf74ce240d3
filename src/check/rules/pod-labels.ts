import { LABEL_USE } from '../../model/constants';
import { at, objectsAppliedTo, KubeObject } from '../artifacts';
import { Finding } from '../finding';
import { isRecord } from '../../core/objects';
import { Rule } from '../rule';

/** Where each workload kind keeps its pod template. */
const POD_TEMPLATES: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/**
 * The webhook mutates only pods labelled `azure.workload.identity/use: "true"`: a pod that runs as an
 * annotated service account without the label starts without a token and fails at its first Azure call.
 */
export const podLabelsRule: Rule = (model) =>
  model.clusters.flatMap((cluster) => {
    const annotated = new Set(cluster.serviceAccounts.filter((sa) => sa.clientId !== undefined).map((sa) => `${sa.namespace}/${sa.name}`));
    return objectsAppliedTo(model.artifacts, cluster.summary.name).flatMap((o): Finding[] => {
      const templatePath = typeof o.obj.kind === 'string' ? POD_TEMPLATES[o.obj.kind] : undefined;
      if (!templatePath) return [];
      const template = templatePath.length === 0 ? o.obj : at(o.obj, ...templatePath);
      const spec = at(template, 'spec');
      const serviceAccount = isRecord(spec) ? (spec.serviceAccountName ?? spec.serviceAccount) : undefined;
      if (typeof serviceAccount !== 'string' || !annotated.has(`${namespaceOf(o)}/${serviceAccount}`)) return [];
      if (at(template, 'metadata', 'labels', LABEL_USE) === 'true') return [];
      const where = templatePath.length === 0 ? 'metadata.labels' : `${templatePath.join('.')}.metadata.labels`;
      return [
        {
          severity: 'error',
          rule: 'pod-label',
          file: o.file,
          object: o.label,
          message: `runs as ServiceAccount ${namespaceOf(o)}/${serviceAccount}, which has an Azure identity, but ${where} lacks ${LABEL_USE}: "true"; the webhook injects no token and Azure calls fail`,
          fix: `add ${LABEL_USE}: "true" to ${where}`,
        },
      ];
    });
  });

function namespaceOf(o: KubeObject): string {
  const ns = at(o.obj, 'metadata', 'namespace');
  return typeof ns === 'string' ? ns : 'default';
}
