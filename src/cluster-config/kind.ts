import { toYaml } from '../output/yaml';
import { clusterConfigurationPatch, NODE_PRIVATE_KEY, NODE_PUBLIC_KEY } from './api-server-flags';

export interface KindConfigProps {
  readonly clusterName: string;
  readonly issuer: string;
  /** Host paths as written in the fleet (relative to the fleet file's folder); kind mounts them read-only. */
  readonly publicKeyFile: string;
  readonly privateKeyFile: string;
}

/**
 * A kind `Cluster` (v1alpha4) whose control plane signs service-account tokens for the hosted issuer:
 * the key pair is mounted into the node, the kubeadm patch sets the flags.
 */
export function kindClusterConfig(props: KindConfigProps): Record<string, unknown> {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: props.clusterName,
    nodes: [
      {
        role: 'control-plane',
        extraMounts: [
          { hostPath: props.publicKeyFile, containerPath: NODE_PUBLIC_KEY, readOnly: true },
          { hostPath: props.privateKeyFile, containerPath: NODE_PRIVATE_KEY, readOnly: true },
        ],
      },
    ],
    kubeadmConfigPatches: [toYaml(clusterConfigurationPatch(props.issuer))],
  };
}
