import { at } from '../artifacts';
import { Finding } from '../finding';
import { fromClusterRule } from '../rule';

/** Namespaces every Kubernetes cluster has from the start: a service account there needs no Namespace object. */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * A service account whose namespace wisynth does not create (`createNamespace: false`, listed per cluster in
 * summary.json `externalNamespaces`) is rejected by the API server when the namespace does not exist, and
 * `kubectl apply -k` of the folder fails there. Warn when the cluster's folder holds no Namespace of that
 * name, so a missing Namespace is not silent; it may well exist already on the cluster, hence a warning.
 */
export const externalNamespacesRule = fromClusterRule((part) => {
  const summary = part.summary;
  const inFolder = part.objects();
  const namespaces = new Set(inFolder.filter((o) => o.obj.kind === 'Namespace').map((o) => at(o.obj, 'metadata', 'name')));
  return (summary.externalNamespaces ?? []).flatMap(({ namespace, serviceAccounts }) => {
    if (namespaces.has(namespace) || BUILT_IN_NAMESPACES.has(namespace)) return [];
    return serviceAccounts.map((name): Finding => {
      const object = inFolder.find(
        (o) => o.obj.kind === 'ServiceAccount' && at(o.obj, 'metadata', 'namespace') === namespace && at(o.obj, 'metadata', 'name') === name,
      );
      return {
        severity: 'warning',
        rule: 'external-namespace',
        file: object?.file ?? 'summary.json',
        object: object?.label ?? `ServiceAccount ${namespace}/${name}`,
        message: `ServiceAccount ${namespace}/${name} of cluster ${summary.name} is in namespace "${namespace}", which wisynth does not create (createNamespace: false) and ${summary.folder}/ holds no Namespace for; applying the folder fails unless the namespace already exists on the cluster`,
        fix: `create namespace "${namespace}" on the cluster before applying ${summary.folder}/ (kubectl create namespace ${namespace}), or set createNamespace: true on the workload so wisynth writes it`,
      };
    });
  });
});
