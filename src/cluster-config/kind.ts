import { embeddedYaml } from '../core/yaml';
import { clusterConfigurationPatch, NODE_PRIVATE_KEY, NODE_PUBLIC_KEY, NODE_PUBLIC_KEY_BUNDLE } from './api-server-flags';

export interface KindConfigProps {
  readonly clusterName: string;
  readonly issuer: string;
  /*
   * Host paths, relative to the folder `kind create cluster` runs in (kind makes a relative hostPath absolute
   * against the current directory); kind mounts them read-only.
   */
  /** The signing key's public half, at kubeadm's sa.pub. */
  readonly publicKeyFile: string;
  readonly privateKeyFile: string;
  /** The bundle of every published public key (OUT/clusters/<cluster>/service-account-keys.pem). */
  readonly publicKeyBundleFile: string;
}

/**
 * A kind `Cluster` (v1alpha4) whose control plane signs service-account tokens for the hosted issuer:
 * the key pair and the bundle of all published keys are mounted into the node, the kubeadm patch sets the
 * flags. The API server verifies with the bundle, so a key listed second (during a rotation) still verifies
 * the tokens it signed: kind's patch merge keeps one value per flag name (kubernetes-sigs/kind
 * `pkg/internal/patch/kubeadm_merge.go`, mergeExtraArgs), so one file must hold them all.
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
          { hostPath: props.publicKeyBundleFile, containerPath: NODE_PUBLIC_KEY_BUNDLE, readOnly: true },
        ],
      },
    ],
    kubeadmConfigPatches: [embeddedYaml(clusterConfigurationPatch(props.issuer))],
  };
}
