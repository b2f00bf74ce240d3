/** The API server and controller-manager flags that make a cluster sign tokens for a hosted issuer. */

/** Where kubeadm keeps the service-account key pair on a control-plane node. */
export const NODE_PKI_DIR = '/etc/kubernetes/pki';
export const NODE_PUBLIC_KEY = `${NODE_PKI_DIR}/sa.pub`;
export const NODE_PRIVATE_KEY = `${NODE_PKI_DIR}/sa.key`;

export function apiServerFlags(issuer: string): Record<string, string> {
  return {
    'service-account-issuer': issuer,
    'service-account-key-file': NODE_PUBLIC_KEY,
    'service-account-signing-key-file': NODE_PRIVATE_KEY,
  };
}

export const CONTROLLER_MANAGER_FLAGS: Record<string, string> = {
  'service-account-private-key-file': NODE_PRIVATE_KEY,
};

/**
 * kubeadm ClusterConfiguration fields with map-style extraArgs and no apiVersion: kind converts such a
 * patch for kubeadm v1beta4 (Kubernetes >= 1.36), which a pinned apiVersion would prevent.
 */
export function clusterConfigurationPatch(issuer: string): Record<string, unknown> {
  return {
    kind: 'ClusterConfiguration',
    apiServer: { extraArgs: apiServerFlags(issuer) },
    controllerManager: { extraArgs: CONTROLLER_MANAGER_FLAGS },
  };
}
