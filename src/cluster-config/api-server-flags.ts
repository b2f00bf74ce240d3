/**
 * The API server and controller-manager flags that make a cluster sign tokens for a hosted issuer.
 *
 * What kube-apiserver takes (kubernetes/kubernetes `pkg/kubeapiserver/options/authentication.go`, the flag help,
 * also in kubernetes/website `content/en/docs/reference/command-line-tools-reference/kube-apiserver.md`; and
 * Azure/azure-workload-identity `docs/book/src/topics/self-managed-clusters/service-account-key-rotation.md`):
 * - `--service-account-key-file`: "The specified file can contain multiple keys, and the flag can be specified
 *   multiple times with different files"; every key found verifies tokens.
 * - `--service-account-issuer`: "When this flag is specified multiple times, the first is used to generate
 *   tokens and all are used to determine which issuers are accepted."
 * - `--service-account-signing-key-file`: the one private key tokens are signed with.
 */

/** Where kubeadm keeps the service-account key pair on a control-plane node. */
export const NODE_PKI_DIR = '/etc/kubernetes/pki';
export const NODE_PUBLIC_KEY = `${NODE_PKI_DIR}/sa.pub`;
export const NODE_PRIVATE_KEY = `${NODE_PKI_DIR}/sa.key`;
/** kind: the bundle of every published public key, mounted from OUT/clusters/<cluster>/. */
export const NODE_PUBLIC_KEY_BUNDLE = `${NODE_PKI_DIR}/sa-verify-keys.pub`;
/** Its name under OUT/clusters/<cluster>/. */
export const PUBLIC_KEY_BUNDLE_FILE = 'service-account-keys.pem';

/** kubeadm: where the n-th published public key goes on the node (the first is kubeadm's own sa.pub). */
export function nodePublicKeyPath(index: number): string {
  return index === 0 ? NODE_PUBLIC_KEY : `${NODE_PKI_DIR}/sa-${index}.pub`;
}

export interface ApiServerArg {
  readonly name: string;
  readonly value: string;
}

/**
 * The API server's service-account flags as a kubeadm v1beta4 list (duplicates allowed): the issuers, the
 * signing one first; one key file per entry of `keyFiles`; the signing key.
 */
export function apiServerArgs(issuers: readonly string[], keyFiles: readonly string[]): ApiServerArg[] {
  return [
    ...issuers.map((value) => ({ name: 'service-account-issuer', value })),
    ...keyFiles.map((value) => ({ name: 'service-account-key-file', value })),
    { name: 'service-account-signing-key-file', value: NODE_PRIVATE_KEY },
  ];
}

export const CONTROLLER_MANAGER_FLAGS: Record<string, string> = {
  'service-account-private-key-file': NODE_PRIVATE_KEY,
};

/** One PEM file holding every key, in JWKS order (kube-apiserver reads all keys of a file). */
export function publicKeyBundle(pems: readonly string[]): string {
  return pems.map((pem) => `${pem.trim()}\n`).join('');
}

/**
 * kubeadm ClusterConfiguration fields with map-style extraArgs and no apiVersion: kind converts such a
 * patch for kubeadm v1beta4 (Kubernetes >= 1.36), which a pinned apiVersion would prevent. kind merges the
 * entries by flag name (kubernetes-sigs/kind `pkg/internal/patch/kubeadm_merge.go`, mergeExtraArgs: an entry
 * whose name is already there replaces its value), so each flag appears once here: one issuer, and one key
 * file that is the bundle of all published keys.
 */
export function clusterConfigurationPatch(issuer: string): Record<string, unknown> {
  return {
    kind: 'ClusterConfiguration',
    apiServer: {
      extraArgs: {
        'service-account-issuer': issuer,
        'service-account-key-file': NODE_PUBLIC_KEY_BUNDLE,
        'service-account-signing-key-file': NODE_PRIVATE_KEY,
      },
    },
    controllerManager: { extraArgs: CONTROLLER_MANAGER_FLAGS },
  };
}
