import { toYaml } from '../core/yaml';
import { apiServerArgs, CONTROLLER_MANAGER_FLAGS, nodePublicKeyPath } from './api-server-flags';

/** kubeadm v1beta4 takes extraArgs as a list of {name, value}. */
function argList(flags: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(flags).map(([name, value]) => ({ name, value }));
}

export interface KubeadmProps {
  readonly issuer: string;
  /** Accepted after `issuer`, in order (kubeadm's default issuer unless the fleet says otherwise). */
  readonly previousIssuers: readonly string[];
  /** The published public keys' files as written in the fleet, in JWKS order. */
  readonly publicKeyFiles: readonly string[];
}

/**
 * The fields to merge into a kubeadm ClusterConfiguration (v1beta4) so the API server signs tokens for the
 * hosted issuer, keeps accepting the previous issuers, and verifies with every published key. v1beta4's
 * `extraArgs` is a list of {name, value} that may repeat a name (kubernetes/kubernetes
 * `cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go`, Arg), so each issuer and each key file is one entry.
 */
export function kubeadmClusterConfiguration(props: KubeadmProps): Record<string, unknown> {
  return {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    apiServer: { extraArgs: apiServerArgs([props.issuer, ...props.previousIssuers], props.publicKeyFiles.map((_, i) => nodePublicKeyPath(i))) },
    controllerManager: { extraArgs: argList(CONTROLLER_MANAGER_FLAGS) },
  };
}

/** The fragment as a file, headed by where each key file goes on every control-plane node; `doc` is what its YAML holds. */
export function kubeadmClusterConfigurationFile(props: KubeadmProps): { readonly text: string; readonly doc: Record<string, unknown> } {
  const placement = props.publicKeyFiles.map((file, i) => `#   ${file} -> ${nodePublicKeyPath(i)}`);
  const doc = kubeadmClusterConfiguration(props);
  const text = ['# Merge into your kubeadm ClusterConfiguration. On every control-plane node, first put:', '#   the private key of the first public key -> /etc/kubernetes/pki/sa.key', ...placement, toYaml(doc)].join('\n');
  return { text, doc };
}
