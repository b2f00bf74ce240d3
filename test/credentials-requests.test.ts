import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CredentialsRequestPlan } from '../src/model/fleet-plan';
import { FleetError, FleetIssue } from '../src/model/issues';
import {
  ccoctlIdentityName,
  ccoctlRoleScopes,
  DEFAULT_TOKEN_PATH,
  OPENSHIFT_AUDIENCE,
  readCredentialsRequests,
} from '../src/openshift/credentials-requests';

const EXAMPLES = path.join(__dirname, '..', 'examples', 'openshift', 'credentialsrequests');
const SHOWN = 'openshift/credentialsrequests';
const CLUSTER_API_FILE = '0000_30_cluster-api_01_credentials-request.azure.yaml';
const GROUPS = { installation: 'inst-rg', dnsZone: 'dns-rg' };
const WITH_NETWORK = { ...GROUPS, network: 'net-rg' };

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-credentials-requests-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A fresh folder below `work` holding the given files (a value of null makes a sub-folder). */
function folder(files: Record<string, string | null>): string {
  const dir = fs.mkdtempSync(path.join(work, 'crs-'));
  for (const [name, text] of Object.entries(files)) {
    if (text === null) fs.mkdirSync(path.join(dir, name));
    else fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A copy of the examples whose cluster-api request carries `feature-gate: <value>`. */
function examplesWithFeatureGate(value: string): string {
  const dir = fs.mkdtempSync(path.join(work, 'examples-'));
  fs.cpSync(EXAMPLES, dir, { recursive: true });
  const file = path.join(dir, CLUSTER_API_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const changed = text.replace('release.openshift.io/feature-gate: "ClusterAPIMachineManagement"', `release.openshift.io/feature-gate: "${value}"`);
  expect(changed).not.toBe(text);
  fs.writeFileSync(file, changed);
  return dir;
}

function issuesOf(fn: () => unknown): readonly FleetIssue[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FleetError);
    return (e as FleetError).issues;
  }
  throw new Error('expected a FleetError');
}

/** A CredentialsRequest document; `spec` replaces the default spec's fields. */
function request(name: string, spec: Record<string, string> = {}, annotations = ''): string {
  const fields = {
    secretRef: `\n    name: ${name}-creds\n    namespace: ${name}-ns`,
    serviceAccountNames: `\n  - ${name}-sa`,
    providerSpec: '\n    apiVersion: cloudcredential.openshift.io/v1\n    kind: AzureProviderSpec\n    permissions:\n    - Microsoft.Network/dnsZones/A/write',
    ...spec,
  };
  return [
    'apiVersion: cloudcredential.openshift.io/v1',
    'kind: CredentialsRequest',
    'metadata:',
    `  name: ${name}`,
    '  namespace: openshift-cloud-credential-operator',
    ...(annotations ? ['  annotations:', ...annotations.split('\n').map((a) => `    ${a}`)] : []),
    'spec:',
    ...Object.entries(fields)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `  ${k}:${v}`),
    '',
  ].join('\n');
}

interface Expected {
  readonly file: string;
  readonly secret: string;
  readonly identity: string;
  readonly subjects: readonly string[];
  readonly permissions: number;
  readonly someActions: readonly string[];
  readonly dataPermissions: readonly string[];
  readonly scopes: readonly string[];
  readonly scopesWithNetwork: readonly string[];
}

/** Written by reading the vendored files; ccoctl --name is `mycluster`. */
const REAL: Record<string, Expected> = {
  'openshift-ingress-azure': {
    file: '00-ingress-credentials-request.azure.yaml',
    secret: 'openshift-ingress-operator/cloud-credentials',
    identity: 'mycluster-openshift-ingress-operator-cloud-credentials',
    subjects: ['system:serviceaccount:openshift-ingress-operator:ingress-operator'],
    permissions: 6,
    someActions: ['Microsoft.Network/dnsZones/A/delete', 'Microsoft.Network/privateDnsZones/A/write', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
    dataPermissions: [],
    scopes: ['inst-rg', 'dns-rg'],
    scopesWithNetwork: ['inst-rg', 'dns-rg', 'net-rg'],
  },
  'openshift-azure-cloud-controller-manager': {
    file: '0000_26_cloud-controller-manager-operator_14_credentialsrequest-azure.yaml',
    secret: 'openshift-cloud-controller-manager/azure-cloud-credentials',
    identity: 'mycluster-openshift-cloud-controller-manager-azure-cloud-credentials',
    subjects: ['system:serviceaccount:openshift-cloud-controller-manager:cloud-controller-manager'],
    permissions: 30,
    someActions: ['Microsoft.Compute/virtualMachines/read', 'Microsoft.Network/loadBalancers/write', 'Microsoft.Network/applicationSecurityGroups/joinNetworkSecurityRule/action'],
    dataPermissions: [],
    scopes: ['inst-rg'],
    scopesWithNetwork: ['inst-rg', 'net-rg'],
  },
  'openshift-machine-api-azure': {
    file: '0000_30_machine-api-operator_00_credentials-request.azure.yaml',
    secret: 'openshift-machine-api/azure-cloud-credentials',
    identity: 'mycluster-openshift-machine-api-azure-cloud-credentials',
    subjects: ['system:serviceaccount:openshift-machine-api:machine-api-controllers'],
    // 39 entries: Microsoft.Compute/galleries/images/versions/read is listed twice upstream
    permissions: 39,
    someActions: ['Microsoft.Compute/availabilitySets/delete', 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'Microsoft.Resources/subscriptions/resourceGroups/read'],
    dataPermissions: [],
    scopes: ['inst-rg'],
    scopesWithNetwork: ['inst-rg', 'net-rg'],
  },
  'openshift-image-registry-azure': {
    file: '01-registry-credentials-request-azure.yaml',
    secret: 'openshift-image-registry/installer-cloud-credentials',
    identity: 'mycluster-openshift-image-registry-installer-cloud-credentials',
    subjects: ['system:serviceaccount:openshift-image-registry:cluster-image-registry-operator', 'system:serviceaccount:openshift-image-registry:registry'],
    permissions: 25,
    someActions: ['Microsoft.Storage/storageAccounts/listKeys/action', 'Microsoft.Resources/tags/write', 'Microsoft.Network/virtualNetworks/join/action'],
    dataPermissions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
    ],
    scopes: ['inst-rg'],
    scopesWithNetwork: ['inst-rg', 'net-rg'],
  },
  'openshift-cloud-network-config-controller-azure': {
    file: '02-cncc-credentials.azure.yaml',
    secret: 'openshift-cloud-network-config-controller/cloud-credentials',
    identity: 'mycluster-openshift-cloud-network-config-controller-cloud-credentials',
    subjects: ['system:serviceaccount:openshift-cloud-network-config-controller:cloud-network-config-controller'],
    permissions: 7,
    someActions: ['Microsoft.Network/networkInterfaces/write', 'Microsoft.Network/loadBalancers/backendAddressPools/join/action'],
    dataPermissions: [],
    scopes: ['inst-rg'],
    scopesWithNetwork: ['inst-rg', 'net-rg'],
  },
  'azure-disk-csi-driver-operator': {
    file: '03_credentials_request_azure.yaml',
    secret: 'openshift-cluster-csi-drivers/azure-disk-credentials',
    identity: 'mycluster-openshift-cluster-csi-drivers-azure-disk-credentials',
    subjects: [
      'system:serviceaccount:openshift-cluster-csi-drivers:azure-disk-csi-driver-operator',
      'system:serviceaccount:openshift-cluster-csi-drivers:azure-disk-csi-driver-controller-sa',
      'system:serviceaccount:openshift-cluster-csi-drivers:azure-disk-csi-driver-node-sa',
    ],
    permissions: 25,
    someActions: ['Microsoft.Compute/disks/write', 'Microsoft.Resources/subscriptions/resourceGroups/*/read', 'Microsoft.KeyVault/vaults/deploy/action'],
    dataPermissions: [],
    // not one of the network-scoped requests
    scopes: ['inst-rg'],
    scopesWithNetwork: ['inst-rg'],
  },
  'azure-file-csi-driver-operator': {
    file: '03_credentials_request_azure_file.yaml',
    secret: 'openshift-cluster-csi-drivers/azure-file-credentials',
    identity: 'mycluster-openshift-cluster-csi-drivers-azure-file-credentials',
    subjects: [
      'system:serviceaccount:openshift-cluster-csi-drivers:azure-file-csi-driver-operator',
      'system:serviceaccount:openshift-cluster-csi-drivers:azure-file-csi-driver-controller-sa',
      'system:serviceaccount:openshift-cluster-csi-drivers:azure-file-csi-driver-node-sa',
    ],
    permissions: 30,
    someActions: ['Microsoft.Storage/storageAccounts/read', 'Microsoft.Storage/storageAccounts/fileServices/shares/write', 'Microsoft.Network/privateDnsOperationStatuses/read'],
    dataPermissions: [],
    scopes: ['inst-rg'],
    scopesWithNetwork: ['inst-rg', 'net-rg'],
  },
};

/** The FIC subjects by the rule: the secret's namespace and each service account. */
const subjectsOf = (r: CredentialsRequestPlan): string[] => r.serviceAccountNames.map((sa) => `system:serviceaccount:${r.secretNamespace}:${sa}`);

describe('the real CredentialsRequests', () => {
  const { requests, skipped } = readCredentialsRequests(EXAMPLES, SHOWN, { techPreview: false });

  test('7 are kept in file-name order, the tech-preview one skipped with its reason', () => {
    expect(requests.map((r) => r.name)).toEqual(Object.keys(REAL));
    expect(requests.map((r) => r.file)).toEqual(Object.values(REAL).map((e) => `${SHOWN}/${e.file}`));
    expect(skipped).toEqual([
      {
        file: `${SHOWN}/${CLUSTER_API_FILE}`,
        name: 'openshift-cluster-api-azure',
        reason: `feature-gated (release.openshift.io/feature-gate=ClusterAPIMachineManagement): skipped by wisynth's own filter, not ccoctl's (ccoctl reads only release.openshift.io/feature-set); oc decides which gated requests a cluster needs: \`oc adm release extract --credentials-requests --cloud=azure --included --install-config=<install-config.yaml> --to=<folder> <release image>\``,
      },
    ]);
  });

  test.each(Object.entries(REAL))('%s', (name, e) => {
    const r = requests.find((x) => x.name === name)!;
    expect(`${r.secretNamespace}/${r.secretName}`).toBe(e.secret);
    expect(ccoctlIdentityName('mycluster', r)).toBe(e.identity);
    expect(subjectsOf(r)).toEqual(e.subjects);
    expect(r.permissions).toHaveLength(e.permissions);
    expect(r.permissions).toEqual(expect.arrayContaining([...e.someActions]));
    expect(r.dataPermissions).toEqual(e.dataPermissions);
    expect(r.roleBindings).toEqual([]);
    expect(r.cloudTokenPath).toBeUndefined();
    expect(ccoctlRoleScopes(r, GROUPS)).toEqual(e.scopes);
    expect(ccoctlRoleScopes(r, WITH_NETWORK)).toEqual(e.scopesWithNetwork);
  });

  test('the audience and default token path are ccoctl’s', () => {
    expect(OPENSHIFT_AUDIENCE).toBe('openshift');
    expect(DEFAULT_TOKEN_PATH).toBe('/var/run/secrets/openshift/serviceaccount/token');
  });

  test('with techPreview the feature-gated request is still skipped: its value is not TechPreviewNoUpgrade', () => {
    const result = readCredentialsRequests(EXAMPLES, SHOWN, { techPreview: true });
    expect(result.requests.map((r) => r.name)).toEqual(Object.keys(REAL));
    expect(result.skipped).toEqual([
      { file: `${SHOWN}/${CLUSTER_API_FILE}`, name: 'openshift-cluster-api-azure', reason: `feature-gated (release.openshift.io/feature-gate=ClusterAPIMachineManagement): skipped by wisynth's own filter, not ccoctl's (ccoctl reads only release.openshift.io/feature-set); oc decides which gated requests a cluster needs: \`oc adm release extract --credentials-requests --cloud=azure --included --install-config=<install-config.yaml> --to=<folder> <release image>\`` },
    ]);
  });

  test('with the value TechPreviewNoUpgrade it is kept with techPreview, and skipped without', () => {
    const dir = examplesWithFeatureGate('TechPreviewNoUpgrade');
    const without = readCredentialsRequests(dir, SHOWN, { techPreview: false });
    expect(without.skipped.map((s) => s.reason)).toEqual([`feature-gated (release.openshift.io/feature-gate=TechPreviewNoUpgrade): skipped by wisynth's own filter, not ccoctl's (ccoctl reads only release.openshift.io/feature-set); oc decides which gated requests a cluster needs: \`oc adm release extract --credentials-requests --cloud=azure --included --install-config=<install-config.yaml> --to=<folder> <release image>\``]);

    const { requests: kept, skipped: none } = readCredentialsRequests(dir, SHOWN, { techPreview: true });
    expect(none).toEqual([]);
    expect(kept).toHaveLength(8);
    const capi = kept[2];
    expect(capi.name).toBe('openshift-cluster-api-azure');
    expect(capi.file).toBe(`${SHOWN}/${CLUSTER_API_FILE}`);
    expect(ccoctlIdentityName('mycluster', capi)).toBe('mycluster-openshift-cluster-api-capz-manager-bootstrap-credentials');
    expect(subjectsOf(capi)).toEqual(['system:serviceaccount:openshift-cluster-api:capi-controllers']);
    expect(capi.cloudTokenPath).toBe('/var/run/secrets/azure/tokens');
    expect(capi.permissions).toHaveLength(58);
    expect(capi.permissions).toEqual(expect.arrayContaining(['Microsoft.ApiManagement/service/groups/delete', 'Microsoft.Authorization/roleAssignments/write', 'Microsoft.Resources/subscriptions/resourceGroups/write']));
    expect(capi.dataPermissions).toEqual([]);
    expect(ccoctlRoleScopes(capi, WITH_NETWORK)).toEqual(['inst-rg']);
  });
});

describe('folders of several documents', () => {
  test('every document of every *.yaml/*.yml file is read; others skipped with a reason', () => {
    const dir = folder({
      'a.yaml': [
        '---',
        request('first'),
        '---',
        '# only a comment',
        '---',
        request('second', {}, 'release.openshift.io/feature-set: TechPreviewNoUpgrade'),
        '---',
        request('deleted', {}, 'release.openshift.io/delete: "true"'),
        '---',
        request('aws', { providerSpec: '\n    apiVersion: cloudcredential.openshift.io/v1\n    kind: AWSProviderSpec' }),
        '---',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n',
      ].join('\n'),
      'b.yml': request('third', { cloudTokenPath: ' /var/run/token', providerSpec: '\n    kind: AzureProviderSpec\n    roleBindings:\n    - role: Contributor' }),
      'c.yaml': '',
      'notes.txt': 'not: [yaml',
      'README.md': request('in-markdown'),
      'sub.yaml': null,
    });
    const { requests, skipped } = readCredentialsRequests(dir, 'crs', { techPreview: true });
    expect(requests.map((r) => [r.file, r.name])).toEqual([
      ['crs/a.yaml', 'first'],
      ['crs/a.yaml', 'second'],
      ['crs/b.yml', 'third'],
    ]);
    expect(requests[0]).toEqual({
      file: 'crs/a.yaml',
      name: 'first',
      secretNamespace: 'first-ns',
      secretName: 'first-creds',
      serviceAccountNames: ['first-sa'],
      permissions: ['Microsoft.Network/dnsZones/A/write'],
      dataPermissions: [],
      roleBindings: [],
    });
    expect(requests[2]).toMatchObject({ roleBindings: ['Contributor'], permissions: [], cloudTokenPath: '/var/run/token' });
    expect(skipped).toEqual([
      { file: 'crs/a.yaml', name: 'deleted', reason: 'marked for in-cluster deletion (release.openshift.io/delete: "true")' },
      { file: 'crs/a.yaml', name: 'aws', reason: 'spec.providerSpec.kind AWSProviderSpec is not AzureProviderSpec' },
      { file: 'crs/a.yaml', name: 'stray', reason: 'ConfigMap (v1) is not a CredentialsRequest (cloudcredential.openshift.io/v1)' },
    ]);
  });

  test('the older feature-set annotation is skipped without techPreview', () => {
    const dir = folder({ 'a.yaml': request('kept') + '---\n' + request('preview', {}, 'release.openshift.io/feature-set: TechPreviewNoUpgrade') });
    const { requests, skipped } = readCredentialsRequests(dir, 'crs', { techPreview: false });
    expect(requests.map((r) => r.name)).toEqual(['kept']);
    expect(skipped).toEqual([{ file: 'crs/a.yaml', name: 'preview', reason: 'tech-preview annotation release.openshift.io/feature-set=TechPreviewNoUpgrade; enable techPreview to include it' }]);
  });

  test('a trailing slash of the folder as written is not doubled', () => {
    const dir = folder({ 'a.yaml': request('one') });
    expect(readCredentialsRequests(dir, 'crs/', { techPreview: false }).requests[0].file).toBe('crs/a.yaml');
  });
});

describe('errors', () => {
  const fixLine = (dir: string): string => `run \`oc adm release extract --credentials-requests --cloud=azure --included --install-config=<install-config.yaml> --to=${dir} <release image>\``;

  test('a folder that does not exist', () => {
    expect(issuesOf(() => readCredentialsRequests(path.join(work, 'missing'), 'missing', { techPreview: false }))).toEqual([
      { file: 'missing', message: 'cannot read the CredentialsRequests: folder not found', fix: fixLine('missing') },
    ]);
  });

  test('a file where the folder should be', () => {
    const dir = folder({ 'a.yaml': request('one') });
    const issues = issuesOf(() => readCredentialsRequests(path.join(dir, 'a.yaml'), 'crs/a.yaml', { techPreview: false }));
    expect(issues).toEqual([{ file: 'crs/a.yaml', message: 'cannot read the CredentialsRequests: is not a folder', fix: fixLine('crs/a.yaml') }]);
  });

  test.each([
    ['an empty folder', {}],
    ['a folder without CredentialsRequests', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'a.json': '{}', 'empty.yml': '---\n' }],
  ])('%s', (_, files) => {
    const issues = issuesOf(() => readCredentialsRequests(folder(files), 'crs', { techPreview: false }));
    expect(issues).toEqual([{ file: 'crs', message: expect.stringContaining('holds no CredentialsRequest'), fix: fixLine('crs') }]);
  });

  test('invalid YAML names the file and line', () => {
    const dir = folder({ 'good.yaml': request('good'), 'bad.yaml': request('bad') + '---\nkind: CredentialsRequest\nmetadata: x\n  name: y\n' });
    expect(issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }))).toEqual([
      { file: 'crs/bad.yaml:19', message: 'invalid YAML: Nested mappings are not allowed in compact mappings', fix: expect.any(String) },
    ]);
  });

  test.each([
    ['spec.secretRef.name', { secretRef: '\n    namespace: ns' }, 'spec.secretRef.name is missing', 7],
    ['spec.secretRef.namespace', { secretRef: '\n    name: creds' }, 'spec.secretRef.namespace is missing', 7],
    ['spec.secretRef', { secretRef: '' }, 'spec.secretRef.name is missing', 6],
    ['spec.serviceAccountNames missing', { serviceAccountNames: '' }, 'spec.serviceAccountNames is missing or empty', 6],
    ['spec.serviceAccountNames empty', { serviceAccountNames: ' []' }, 'spec.serviceAccountNames is missing or empty', 10],
    ['spec.providerSpec.permissions', { providerSpec: '\n    kind: AzureProviderSpec\n    permissions: Microsoft.Storage/*' }, 'spec.providerSpec.permissions is not a list of strings', 14],
  ])('%s', (_, spec, message, line) => {
    const dir = folder({ 'x.yaml': request('broken', spec) });
    const issues = issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }));
    expect(issues).toContainEqual({ file: `crs/x.yaml:${line}`, message: expect.stringContaining(`CredentialsRequest broken: ${message}`), fix: expect.any(String) });
  });

  test('a missing serviceAccountNames says why it matters', () => {
    const dir = folder({ 'x.yaml': request('broken', { serviceAccountNames: '' }) });
    const [issue] = issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }));
    expect(issue.message).toBe(
      'CredentialsRequest broken: spec.serviceAccountNames is missing or empty: ccoctl would create no federated credential, so the operator could never authenticate',
    );
    expect(issue.fix).toContain('spec.serviceAccountNames');
  });

  test('skipped documents are not checked', () => {
    const dir = folder({ 'x.yaml': request('ok') + '---\n' + request('gone', { serviceAccountNames: '', secretRef: '' }, 'release.openshift.io/delete: "true"') });
    expect(readCredentialsRequests(dir, 'crs', { techPreview: false }).skipped.map((s) => s.name)).toEqual(['gone']);
  });

  test('every problem of every file is reported at once', () => {
    const dir = folder({ 'a.yaml': request('a', { secretRef: '' }), 'b.yaml': request('b', { serviceAccountNames: '' }), 'c.yaml': 'x: [' });
    const issues = issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }));
    expect(issues.map((i) => (i.file ?? '').replace(/:\d+$/, ''))).toEqual(['crs/a.yaml', 'crs/a.yaml', 'crs/b.yaml', 'crs/c.yaml']);
  });

  test('two kept requests with the same secretRef', () => {
    const secretRef = '\n    name: shared\n    namespace: ns';
    const dir = folder({ 'a.yaml': request('one', { secretRef }), 'b.yaml': request('other', {}) + '---\n' + request('two', { secretRef }) });
    const issues = issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }));
    expect(issues).toEqual([
      {
        file: 'crs/b.yaml:18',
        message: 'CredentialsRequest two and CredentialsRequest one (crs/a.yaml:1) both name the Secret ns/shared: ccoctl would give them one identity',
        fix: expect.any(String),
      },
    ]);
  });

  test('two kept requests with the same name', () => {
    const dir = folder({ 'a.yaml': request('same'), 'b.yaml': request('same', { secretRef: '\n    name: other\n    namespace: ns' }) });
    const issues = issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }));
    expect(issues).toEqual([{ file: 'crs/b.yaml:1', message: 'a second CredentialsRequest is named same (the first is at crs/a.yaml:1)', fix: expect.any(String) }]);
  });

  test('a document that is not a mapping', () => {
    const dir = folder({ 'a.yaml': request('one') + '---\n- a list\n' });
    expect(issuesOf(() => readCredentialsRequests(dir, 'crs', { techPreview: false }))).toEqual([
      { file: 'crs/a.yaml:18', message: 'the document is not a mapping', fix: expect.any(String) },
    ]);
  });
});

describe('names and scopes', () => {
  const plan = (secretNamespace: string, secretName: string, name = 'openshift-ingress-azure'): CredentialsRequestPlan => ({
    file: 'x.yaml',
    name,
    secretNamespace,
    secretName,
    serviceAccountNames: ['sa'],
    permissions: [],
    dataPermissions: [],
    roleBindings: [],
  });

  test('the identity name is cut to 128 characters, plainly', () => {
    const r = plan('n'.repeat(60), 's'.repeat(60));
    const full = `cluster-${'n'.repeat(60)}-${'s'.repeat(60)}`;
    expect(full).toHaveLength(129);
    expect(ccoctlIdentityName('cluster', r)).toBe(full.slice(0, 128));
    expect(ccoctlIdentityName('cluster', plan('n'.repeat(59), 's'.repeat(60)))).toBe(`cluster-${'n'.repeat(59)}-${'s'.repeat(60)}`);
    // a cut may end in a dash: ccoctl does not tidy it
    expect(ccoctlIdentityName('c'.repeat(127), r)).toBe(`${'c'.repeat(127)}-`);
  });

  test('scopes are deduplicated in order installation, DNS zone, network', () => {
    const ingress = plan('ns', 's');
    expect(ccoctlRoleScopes(ingress, { installation: 'rg', dnsZone: 'rg', network: 'net' })).toEqual(['rg', 'net']);
    expect(ccoctlRoleScopes(ingress, { installation: 'rg', dnsZone: 'dns', network: 'rg' })).toEqual(['rg', 'dns']);
    expect(ccoctlRoleScopes(ingress, { installation: 'RG', dnsZone: 'rg', network: 'Rg' })).toEqual(['RG']);
    expect(ccoctlRoleScopes(plan('ns', 's', 'something-else'), { installation: 'rg', dnsZone: 'dns', network: 'net' })).toEqual(['rg']);
  });
});
