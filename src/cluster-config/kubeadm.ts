import { apiServerFlags, CONTROLLER_MANAGER_FLAGS } from './api-server-flags';

/** kubeadm v1beta4 takes extraArgs as a list of {name, value}. */
function argList(flags: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(flags).map(([name, value]) => ({ name, value }));
}

/**
 * The fields to merge into a kubeadm ClusterConfiguration (v1beta4) so the API server signs tokens for the
 * hosted issuer. Put the key pair at the node paths first (`/etc/kubernetes/pki/sa.key`, `sa.pub`).
 */
export function kubeadmClusterConfiguration(issuer: string): Record<string, unknown> {
  return {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    apiServer: { extraArgs: argList(apiServerFlags(issuer)) },
    controllerManager: { extraArgs: argList(CONTROLLER_MANAGER_FLAGS) },
  };
}
