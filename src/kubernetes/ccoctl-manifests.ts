/**
 * The manifests `ccoctl azure create-all` writes for the installer (its `manifests/` folder), with the
 * same file names and key order. Unlike ccoctl, every string value is double-quoted, so that an
 * all-digit id (a subscription, a tenant) stays a string when the installer reads it back (ccoctl's
 * `secretManifestTemplate`, openshift/cloud-credential-operator `pkg/cmd/provisioning/azure/create_managed_identities.go`,
 * writes them bare: its own test subscription id 123456789 would be read as a number).
 */
import * as yaml from 'js-yaml';
import type { CredentialsRequestPlan } from '../model/fleet-plan';
import { DEFAULT_TOKEN_PATH } from '../openshift/credentials-requests';
import { byCodePoint } from '../core/compare';
import { embeddedYaml } from '../core/yaml';

export interface CcoctlManifestValues {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly region: string;
  readonly issuer: string;
  /** Client id of each request's identity, by request name. */
  readonly clientIds: ReadonlyMap<string, string>;
}

/** File name to YAML text, sorted by file name. */
export function ccoctlManifests(requests: readonly CredentialsRequestPlan[], values: CcoctlManifestValues): Map<string, string> {
  const files = new Map<string, string>();
  for (const request of requests) {
    const clientId = values.clientIds.get(request.name);
    if (clientId === undefined) throw new Error(`no client id for CredentialsRequest ${request.name}`);
    files.set(
      `${request.secretNamespace}-${request.secretName}-credentials.yaml`,
      quoted(
        secret(request.secretNamespace, request.secretName, {
          azure_client_id: clientId,
          azure_tenant_id: values.tenantId,
          azure_region: values.region,
          azure_subscription_id: values.subscriptionId,
          azure_federated_token_file: request.cloudTokenPath ?? DEFAULT_TOKEN_PATH,
        }),
      ),
    );
  }
  files.set(
    'cluster-authentication-02-config.yaml',
    quoted({ apiVersion: 'config.openshift.io/v1', kind: 'Authentication', metadata: { name: 'cluster' }, spec: { serviceAccountIssuer: values.issuer } }),
  );
  files.set('azure-ad-pod-identity-webhook-config.yaml', quoted(secret('openshift-cloud-credential-operator', 'azure-credentials', { azure_tenant_id: values.tenantId })));
  return new Map([...files].sort(([a], [b]) => byCodePoint(a, b)));
}

/** An Opaque Secret, its keys in the order of ccoctl's template. */
function secret(namespace: string, name: string, stringData: Record<string, string>): object {
  return { apiVersion: 'v1', stringData, kind: 'Secret', metadata: { name, namespace }, type: 'Opaque' };
}

function quoted(value: object): string {
  return embeddedYaml(value, (v) => yaml.dump(v, { forceQuotes: true, quotingType: '"', lineWidth: -1, noRefs: true, sortKeys: false }));
}
