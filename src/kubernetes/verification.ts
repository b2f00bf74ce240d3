import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { LABEL_USE } from '../model/constants';

/** The `nonroot` user of the distroless base image the msal-go quick-start image is built on. */
const DISTROLESS_NONROOT_UID = 65532;

/** Well-known node label the kubelet sets to the node's operating system. */
const NODE_SELECTOR_OS = 'kubernetes.io/os';

/** Properties of a `VerificationDeployment`. */
export interface VerificationDeploymentProps {
  /** Namespace of the Deployment; the service account must live there too. */
  readonly namespace: string;
  /** Name of the Deployment, also its selector label `app.kubernetes.io/name`. */
  readonly name: string;
  /** The workload-identity service account the pod runs as. */
  readonly serviceAccountName: string;
  /** Image that reads the secret with the injected identity (azwi's msal-go quick start). */
  readonly image: string;
  /** Vault URI, passed as KEYVAULT_URL. */
  readonly keyVaultUrl: string;
  /** Secret to read, passed as SECRET_NAME. */
  readonly secretName: string;
}

/**
 * A Deployment (`apps/v1`) of one pod that proves the trust chain end to end: the webhook mutates it (pod label
 * `azure.workload.identity/use: "true"`), it exchanges its token for the identity of its
 * service account and reads a Key Vault secret. Its log shows the secret or the Entra error.
 * Use it once per service account to check a new setup before real workloads depend on it.
 */
export class VerificationDeployment extends Construct {
  /** Namespace of the Deployment. */
  public readonly namespace: string;
  /** Name of the Deployment. */
  public readonly name: string;

  protected readonly apiObject: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: VerificationDeploymentProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.name = props.name;

    const selectorLabels = { 'app.kubernetes.io/name': props.name };
    this.apiObject = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: selectorLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selectorLabels },
        template: {
          metadata: { labels: { ...selectorLabels, [LABEL_USE]: 'true' } },
          spec: {
            serviceAccountName: props.serviceAccountName,
            // Linux nodes only, as the quick start's pod (Azure/azure-workload-identity,
            // docs/book/src/quick-start.md, "7. Deploy workload"): a cluster may also have Windows nodes.
            nodeSelector: { [NODE_SELECTOR_OS]: 'linux' },
            containers: [
              {
                name: 'verify',
                image: props.image,
                env: [
                  { name: 'KEYVAULT_URL', value: props.keyVaultUrl },
                  { name: 'SECRET_NAME', value: props.secretName },
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
                  limits: { memory: k8s.Quantity.fromString('64Mi') },
                },
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: DISTROLESS_NONROOT_UID,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  privileged: false,
                  capabilities: { drop: ['ALL'] },
                  // with the fields above, what the "restricted" Pod Security Standard asks for
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    });
  }
}
