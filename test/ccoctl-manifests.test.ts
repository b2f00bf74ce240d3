import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as os from 'os';
import * as path from 'path';
import { crdSchemaErrors } from '../src/check/crd-schema';
import type { CredentialsRequestPlan } from '../src/model/fleet-plan';
import { ccoctlManifests } from '../src/kubernetes/ccoctl-manifests';
import { readCredentialsRequests } from '../src/openshift/credentials-requests';

const EXAMPLES = path.join(__dirname, '..', 'examples', 'openshift', 'credentialsrequests');
const GOLDEN = path.join(__dirname, 'fixtures', 'ccoctl-golden');
const CLUSTER_API_FILE = '0000_30_cluster-api_01_credentials-request.azure.yaml';

/** The inputs ccoctl's own tests rendered the golden files with. */
const GOLDEN_VALUES = {
  tenantId: 'testTenantID',
  subscriptionId: '123456789',
  region: 'testregion',
  issuer: 'https://testinfraname.blob.core.windows.net/testinfraname',
  clientIds: new Map([
    ['openshift-ingress-azure', 'testClientID'],
    ['openshift-cluster-api-azure', 'testClientID'],
  ]),
};
/** ccoctl's test renders the webhook's Secret with another tenant. */
const WEBHOOK_TENANT = '987654321';
const WEBHOOK_FILE = 'azure-ad-pod-identity-webhook-config.yaml';

let work: string;
let requests: CredentialsRequestPlan[];

/** The real ingress and cluster-api requests; the latter kept by marking a copy TechPreviewNoUpgrade. */
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-ccoctl-manifests-'));
  fs.copyFileSync(path.join(EXAMPLES, '00-ingress-credentials-request.azure.yaml'), path.join(work, '00-ingress-credentials-request.azure.yaml'));
  const capi = fs.readFileSync(path.join(EXAMPLES, CLUSTER_API_FILE), 'utf8');
  fs.writeFileSync(path.join(work, CLUSTER_API_FILE), capi.replace('"ClusterAPIMachineManagement"', '"TechPreviewNoUpgrade"'));
  requests = readCredentialsRequests(work, 'crs', { techPreview: true }).requests;
  expect(requests.map((r) => r.name)).toEqual(['openshift-ingress-azure', 'openshift-cluster-api-azure']);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const failsafe = (text: string): unknown => yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA });

describe('the manifests ccoctl writes for the installer', () => {
  test('one Secret per request, the Authentication and the webhook Secret, sorted by file name', () => {
    expect([...ccoctlManifests(requests, GOLDEN_VALUES).keys()]).toEqual([
      'azure-ad-pod-identity-webhook-config.yaml',
      'cluster-authentication-02-config.yaml',
      'openshift-cluster-api-capz-manager-bootstrap-credentials-credentials.yaml',
      'openshift-ingress-operator-cloud-credentials-credentials.yaml',
    ]);
  });

  test.each([
    'cluster-authentication-02-config.yaml',
    'openshift-cluster-api-capz-manager-bootstrap-credentials-credentials.yaml',
    'openshift-ingress-operator-cloud-credentials-credentials.yaml',
    WEBHOOK_FILE,
  ])('%s equals the golden rendering', (file) => {
    const values = file === WEBHOOK_FILE ? { ...GOLDEN_VALUES, tenantId: WEBHOOK_TENANT } : GOLDEN_VALUES;
    const ours = ccoctlManifests(requests, values).get(file)!;
    const golden = fs.readFileSync(path.join(GOLDEN, file), 'utf8');
    expect(failsafe(ours)).toEqual(failsafe(golden));
    // the same lines in the same order; only the quotes and the final newline differ
    expect(ours.replace(/"/g, '')).toBe(`${golden}\n`);
  });

  test('every stringData value loads as a string with the default schema', () => {
    for (const [file, text] of ccoctlManifests(requests, GOLDEN_VALUES)) {
      const obj = yaml.load(text) as { kind: string; stringData?: Record<string, unknown> };
      if (obj.kind !== 'Secret') continue;
      for (const [key, value] of Object.entries(obj.stringData!)) expect([file, key, typeof value]).toEqual([file, key, 'string']);
    }
    // unquoted, as ccoctl writes it, the subscription would be a number
    const golden = yaml.load(fs.readFileSync(path.join(GOLDEN, 'openshift-ingress-operator-cloud-credentials-credentials.yaml'), 'utf8')) as { stringData: Record<string, unknown> };
    expect(golden.stringData.azure_subscription_id).toBe(123456789);
  });

  test('an all-digit client id and tenant survive as strings', () => {
    const files = ccoctlManifests(requests, { ...GOLDEN_VALUES, tenantId: '0123', clientIds: new Map(requests.map((r) => [r.name, '0123456789'])) });
    const secret = yaml.load(files.get('openshift-ingress-operator-cloud-credentials-credentials.yaml')!) as { stringData: Record<string, unknown> };
    expect(secret.stringData).toEqual({
      azure_client_id: '0123456789',
      azure_tenant_id: '0123',
      azure_region: 'testregion',
      azure_subscription_id: '123456789',
      azure_federated_token_file: '/var/run/secrets/openshift/serviceaccount/token',
    });
    expect((yaml.load(files.get(WEBHOOK_FILE)!) as { stringData: unknown }).stringData).toEqual({ azure_tenant_id: '0123' });
  });

  test('values YAML would read as something else stay the same strings', () => {
    const tricky = ['true', 'null', '~', '1e3', '0x1F', '2024-01-01', 'a: b # c', "it's", '"quoted"', '- item', 'two\nlines', 'tab\there', 'ünïcode'];
    for (const value of tricky) {
      const files = ccoctlManifests(requests, { ...GOLDEN_VALUES, region: value, issuer: value });
      const secret = yaml.load(files.get('openshift-ingress-operator-cloud-credentials-credentials.yaml')!) as { stringData: Record<string, unknown> };
      expect(secret.stringData.azure_region).toBe(value);
      const auth = yaml.load(files.get('cluster-authentication-02-config.yaml')!) as { spec: { serviceAccountIssuer: unknown } };
      expect(auth.spec.serviceAccountIssuer).toBe(value);
    }
  });

  test('the Authentication validates against the vendored CRD', () => {
    const auth = yaml.load(ccoctlManifests(requests, GOLDEN_VALUES).get('cluster-authentication-02-config.yaml')!);
    expect(crdSchemaErrors(auth)).toEqual([]);
  });

  test('a request without a client id is a programming error', () => {
    expect(() => ccoctlManifests(requests, { ...GOLDEN_VALUES, clientIds: new Map() })).toThrow('no client id for CredentialsRequest openshift-ingress-azure');
  });

  test('no requests still give the Authentication and the webhook Secret', () => {
    expect([...ccoctlManifests([], GOLDEN_VALUES).keys()]).toEqual([WEBHOOK_FILE, 'cluster-authentication-02-config.yaml']);
  });
});
