import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { type AzureCloud, CLOUDS } from '../model/constants';
import { toYaml } from '../core/yaml';
import { Namespace } from './namespace';

/** Helm repository of the azure-workload-identity charts. */
export const WEBHOOK_CHART_REPOSITORY_URL = 'https://azure.github.io/azure-workload-identity/charts';
/** The chart, and the Helm release made of it on either path (Flux or `helm`). */
export const WEBHOOK_CHART = 'workload-identity-webhook';
export const WEBHOOK_CHART_VERSION_DEFAULT = '1.6.0';
export const WEBHOOK_NAMESPACE_DEFAULT = 'azure-workload-identity-system';
/** The file of OUT/clusters/<cluster>/ that holds the chart's values (`webhookHelmValues`), for a Helm install. */
export const WEBHOOK_VALUES_FILE = 'webhook-values.yaml';
/** Name of the Flux HelmRepository object. */
const REPOSITORY_NAME = 'azure-workload-identity';

/** A Go duration as Flux's CRDs accept it (`1h`, `10m30s`). */
const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** Properties of a `WorkloadIdentityWebhook`, and of its Helm values. */
export interface WorkloadIdentityWebhookProps {
  /** Entra tenant the webhook injects as AZURE_TENANT_ID when a service account names none (`azureTenantID`). */
  readonly tenantId: string;
  /**
   * Version of the `workload-identity-webhook` chart.
   * @default '1.6.0'
   */
  readonly chartVersion?: string;
  /**
   * Namespace of the webhook, and of the Flux objects that install it.
   * @default 'azure-workload-identity-system'
   */
  readonly namespace?: string;
  /**
   * Entra authority host of the cloud, which the webhook injects as AZURE_AUTHORITY_HOST; one of the
   * hosts in `CLOUDS` (the chart selects it by cloud name, `azureEnvironment`).
   * @default 'https://login.microsoftonline.com/' (the public cloud)
   */
  readonly authorityHost?: string;
  /**
   * How often Flux refreshes the repository index and reconciles the release (a Go duration).
   * @default '1h'
   */
  readonly interval?: string;
}

/**
 * The azure-workload-identity mutating webhook, installed by Flux: its Namespace, a HelmRepository
 * (`source.toolkit.fluxcd.io/v1`) and a HelmRelease (`helm.toolkit.fluxcd.io/v2`) of the
 * `workload-identity-webhook` chart. For self-managed clusters only: AKS runs its own webhook.
 * Without Flux, install the same release with `helm` and `webhookHelmValues()`.
 * Use it on a cluster whose API server signs tokens for a self-hosted issuer (kind, kubeadm, CAPZ).
 */
export class WorkloadIdentityWebhook extends Construct {
  /** Namespace of the webhook (the default applied). */
  public readonly namespace: string;
  /** Version of the chart installed (the default applied). */
  public readonly chartVersion: string;

  protected readonly namespaceObject: Namespace;
  protected readonly helmRepository: ApiObject;
  protected readonly helmRelease: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadIdentityWebhookProps) {
    super(scope, id);
    const settings = withDefaults(props);
    this.namespace = settings.namespace;
    this.chartVersion = settings.chartVersion;
    const { namespace, interval } = settings;

    this.node.addValidation({
      validate: () => [
        ...(props.tenantId.trim() === '' ? ['webhook: tenantId must not be empty (the chart requires azureTenantID)'] : []),
        ...(FLUX_DURATION.test(interval) ? [] : [`webhook: interval '${interval}' must be a Go duration such as 1h or 10m`]),
        ...(settings.chartVersion.trim() === '' ? ['webhook: chartVersion must not be empty'] : []),
      ],
    });

    // The chart's templates create no Namespace; emitting it here lets install.createNamespace stay false.
    this.namespaceObject = new Namespace(this, 'Namespace', { name: namespace });
    this.helmRepository = new ApiObject(this, 'HelmRepository', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: REPOSITORY_NAME, namespace },
      spec: { url: WEBHOOK_CHART_REPOSITORY_URL, interval },
    });
    this.helmRelease = new ApiObject(this, 'HelmRelease', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: WEBHOOK_CHART, namespace },
      spec: {
        interval,
        chart: {
          spec: {
            chart: WEBHOOK_CHART,
            version: settings.chartVersion,
            sourceRef: { kind: 'HelmRepository', name: REPOSITORY_NAME, namespace },
          },
        },
        // Flux would name the release `<targetNamespace>-<name>`; the same name as `helm install` gives
        releaseName: WEBHOOK_CHART,
        targetNamespace: namespace,
        install: { createNamespace: false },
        values: webhookValues(settings),
      },
    });
  }
}

/**
 * The Helm values file of the webhook, for clusters without Flux: the same values as the HelmRelease
 * of `WorkloadIdentityWebhook` (both come from one function). Its first lines give the command it
 * goes with; with the defaults:
 *
 *   helm upgrade --install workload-identity-webhook workload-identity-webhook \
 *     --repo https://azure.github.io/azure-workload-identity/charts --version 1.6.0 \
 *     --namespace azure-workload-identity-system --create-namespace --values <this file>
 */
export function webhookHelmValues(props: WorkloadIdentityWebhookProps): string {
  const settings = withDefaults(props);
  const header = [
    `# Values of the ${WEBHOOK_CHART} chart ${settings.chartVersion}, for:`,
    `#   helm upgrade --install ${WEBHOOK_CHART} ${WEBHOOK_CHART} \\`,
    `#     --repo ${WEBHOOK_CHART_REPOSITORY_URL} --version ${settings.chartVersion} \\`,
    `#     --namespace ${settings.namespace} --create-namespace --values <this file>`,
  ];
  return `${header.join('\n')}\n${toYaml(webhookValues(settings))}`;
}

type Settings = Required<WorkloadIdentityWebhookProps>;

function withDefaults(props: WorkloadIdentityWebhookProps): Settings {
  return {
    tenantId: props.tenantId,
    chartVersion: props.chartVersion ?? WEBHOOK_CHART_VERSION_DEFAULT,
    namespace: props.namespace ?? WEBHOOK_NAMESPACE_DEFAULT,
    authorityHost: props.authorityHost ?? CLOUDS.public.authorityHost,
    interval: props.interval ?? '1h',
  };
}

/** The chart's values: `azureTenantID` (required by the chart) and `azureEnvironment` (the cloud). */
function webhookValues(settings: Settings): { azureEnvironment: string; azureTenantID: string } {
  return { azureEnvironment: azureEnvironmentOf(settings.authorityHost), azureTenantID: settings.tenantId };
}

function azureEnvironmentOf(authorityHost: string): string {
  const clouds = Object.keys(CLOUDS) as AzureCloud[];
  const cloud = clouds.find((c) => CLOUDS[c].authorityHost === authorityHost);
  if (cloud === undefined) {
    const known = clouds.map((c) => CLOUDS[c].authorityHost).join(', ');
    throw new Error(`webhook: authority host ${authorityHost} is not one the chart can select (known: ${known})`);
  }
  return CLOUDS[cloud].environmentName;
}
