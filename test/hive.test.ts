/**
 * The hub-side objects of an OpenShift cluster provisioned by Hive, built from a hand-made plan in
 * both secrets modes: against the vendored CRDs and the core schema, their references, the
 * install-config rules, and that no secret value reaches the chart.
 */
import { App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { crdSchemaErrors } from '../src/check/crd-schema';
import { kubernetesSchemaErrors } from '../src/check/kubernetes-schema';
import { HiveCluster } from '../src/kubernetes/hive-cluster';
import { hiveSecretContentProblems, hiveSecretFiles } from '../src/kubernetes/hive-secret-files';
import { installConfigNameProblem } from '../src/openshift/install-config-rules';
import type { HiveSecretsPlan, OpenShiftHivePlan } from '../src/model/fleet-plan';
import { generateKeyPairSync } from 'crypto';

/** Parsed YAML or JSON, read field by field. */
type Json = any;

const CLUSTER = 'ocp-prod';
const TENANT = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const HUB_CLIENT_ID = '11111111-2222-4333-8444-555555555555';

const EXTERNAL: HiveSecretsPlan = {
  mode: 'externalSecrets',
  keyVaultUrl: 'https://kv-contoso-hive.vault.azure.net/',
  keyVault: 'kv-contoso-hive',
  storeName: 'hive-key-vault',
  hub: 'aks-prod',
  serviceAccount: { name: 'hive-secrets', clientId: { value: HUB_CLIENT_ID, pending: false }, tenantId: TENANT },
  remoteKeys: { signingKey: 'ocp-prod-signing-key', pullSecret: 'ocp-prod-pull-secret', installerCredentials: 'ocp-prod-installer' },
};

const FILES: HiveSecretsPlan = {
  mode: 'files',
  signingKeyFile: 'secrets/signing.key',
  pullSecretFile: 'secrets/pull-secret.json',
  installerCredentialsFile: 'secrets/osServicePrincipal.json',
};

function samplePlan(secrets: HiveSecretsPlan, changes: Partial<OpenShiftHivePlan> = {}): OpenShiftHivePlan {
  return {
    name: 'ocp-prod',
    namespace: 'hive-ocp-prod',
    baseDomain: 'ocp.contoso.com',
    region: 'westeurope',
    subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    cloudName: 'AzurePublicCloud',
    oidcResourceGroup: 'rg-ocp-prod-oidc',
    installationResourceGroup: 'ocp-prod',
    baseDomainResourceGroup: 'rg-contoso-dns',
    releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64',
    imageSetName: 'openshift-4.16.0',
    controlPlane: { vmSize: 'Standard_D8s_v3', replicas: 3, osDiskSizeGB: 1024 },
    compute: { vmSize: 'Standard_D4s_v3', replicas: 3, osDiskSizeGB: 128 },
    secretNames: {
      installConfig: 'ocp-prod-install-config',
      manifests: 'ocp-prod-manifests',
      pullSecret: 'ocp-prod-pull-secret',
      installerCredentials: 'ocp-prod-azure-credentials',
      signingKey: 'ocp-prod-signing-key',
    },
    secrets,
    identities: [],
    skipped: [],
    ...changes,
  };
}

const MANIFESTS = new Map([
  ['cluster-authentication-02-config.yaml', 'apiVersion: config.openshift.io/v1\nkind: Authentication\n'],
  ['openshift-ingress-operator-cloud-credentials-credentials.yaml', 'apiVersion: v1\nkind: Secret\n'],
]);

/** The chart's objects, as `chart.toJson()` gives them (validations run there). */
function build(plan: OpenShiftHivePlan, cluster = CLUSTER): Json[] {
  const chart = new Chart(new App(), 'x', { disableResourceNameHashes: true });
  new HiveCluster(chart, 'Hive', { cluster, plan, manifests: MANIFESTS });
  return chart.toJson();
}

const ofKind = (objects: Json[], kind: string): Json[] => objects.filter((o) => o.kind === kind);
const one = (objects: Json[], kind: string): Json => {
  const found = ofKind(objects, kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const installConfigOf = (objects: Json[]): Json => {
  const secret = ofKind(objects, 'Secret').find((s) => s.metadata.name === 'ocp-prod-install-config');
  return yaml.load(secret.stringData['install-config.yaml']);
};

const CORE_KINDS = ['Secret', 'ServiceAccount'];

// Fake, but shaped as the checks want.
// A real key made at test time: committed files must hold no key material, not even a fake one.
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const PULL_SECRET = JSON.stringify({ auths: { 'quay.io': { auth: 'd2lzeW50aDpGYWtlUHVsbFNlY3JldFRva2Vu', email: 'ops@contoso.com' } } });
const CLIENT_SECRET = 'wisynth~FakeClientSecret.Value_0123456789';
const INSTALLER_CREDENTIALS = JSON.stringify({ subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', clientId: 'a1b2c3d4-0000-4000-8000-000000000001', clientSecret: CLIENT_SECRET, tenantId: TENANT });
const CONTENTS = { signingKey: PRIVATE_KEY, pullSecret: PULL_SECRET, installerCredentials: INSTALLER_CREDENTIALS };

const HIVE_KINDS = ['ClusterImageSet', 'ClusterDeployment', 'MachinePool', 'Secret', 'Secret'];
const ESO_KINDS = ['ServiceAccount', 'SecretStore', 'ExternalSecret', 'ExternalSecret', 'ExternalSecret'];

describe.each([
  ['externalSecrets', EXTERNAL, [...HIVE_KINDS, ...ESO_KINDS]],
  ['files', FILES, HIVE_KINDS],
])('HiveCluster (secrets mode %s)', (_mode, secrets, kinds) => {
  const plan = samplePlan(secrets);
  const objects = build(plan);

  test('emits the Hive objects, and the ESO objects only with externalSecrets', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual([...kinds].sort());
  });

  test('every object validates: custom resources by the vendored CRDs, core objects by the core schema', () => {
    for (const obj of objects) {
      const errors = CORE_KINDS.includes(obj.kind) ? kubernetesSchemaErrors(obj) : crdSchemaErrors(obj);
      expect({ object: `${obj.kind} ${obj.metadata.name}`, errors }).toEqual({ object: `${obj.kind} ${obj.metadata.name}`, errors: [] });
    }
  });

  test('the ClusterDeployment allows one install attempt and is not installed yet', () => {
    const spec = one(objects, 'ClusterDeployment').spec;
    expect(spec.installAttemptsLimit).toBe(1);
    expect(spec.installed).toBe(false);
  });

  test('no Namespace: the chart adds namespaces', () => {
    expect(ofKind(objects, 'Namespace')).toEqual([]);
  });

  test('install-config: Manual credentials, the installation resource group, the ClusterDeployment\'s region', () => {
    const config = installConfigOf(objects);
    const deployment = one(objects, 'ClusterDeployment');
    expect(config.metadata.name).toBe(CLUSTER);
    expect(config.metadata.name).toBe(deployment.spec.clusterName);
    expect(config.credentialsMode).toBe('Manual');
    expect(config.platform.azure.resourceGroupName).toBe(plan.installationResourceGroup);
    expect(config.platform.azure.resourceGroupName).not.toBe(plan.oidcResourceGroup);
    expect(config.platform.azure.region).toBe(deployment.spec.platform.azure.region);
    expect(config.platform.azure.baseDomainResourceGroupName).toBe(deployment.spec.platform.azure.baseDomainResourceGroupName);
    expect(config.platform.azure).not.toHaveProperty('networkResourceGroupName');
    expect(config).not.toHaveProperty('pullSecret');
    expect(config).not.toHaveProperty('sshKey');
    expect(config.controlPlane).toEqual({ name: 'master', replicas: 3, platform: { azure: { type: 'Standard_D8s_v3', osDisk: { diskSizeGB: 1024 } } } });
  });

  test('the manifests Secret has one key a file', () => {
    const secret = ofKind(objects, 'Secret').find((s) => s.metadata.name === 'ocp-prod-manifests');
    expect(secret.stringData).toEqual(Object.fromEntries(MANIFESTS));
  });
});

describe('references of the ClusterDeployment', () => {
  const secretRefs = (deployment: Json): string[] => [
    deployment.spec.platform.azure.credentialsSecretRef.name,
    deployment.spec.provisioning.installConfigSecretRef.name,
    deployment.spec.provisioning.manifestsSecretRef.name,
    deployment.spec.pullSecretRef.name,
    deployment.spec.boundServiceAccountSigningKeySecretRef.name,
  ];

  test('externalSecrets: each resolves to an object of the chart (an ExternalSecret target counts as its Secret)', () => {
    const objects = build(samplePlan(EXTERNAL));
    const deployment = one(objects, 'ClusterDeployment');
    const secrets = new Set([
      ...ofKind(objects, 'Secret').map((s) => s.metadata.name),
      ...ofKind(objects, 'ExternalSecret').map((e) => e.spec.target.name),
    ]);
    expect(secretRefs(deployment).filter((name) => !secrets.has(name))).toEqual([]);
    expect(one(objects, 'ClusterImageSet').metadata.name).toBe(deployment.spec.provisioning.imageSetRef.name);
    expect(one(objects, 'MachinePool').spec.clusterDeploymentRef.name).toBe(deployment.metadata.name);
    for (const obj of objects) {
      if (obj.metadata.namespace !== undefined) expect(obj.metadata.namespace).toBe('hive-ocp-prod');
    }
  });

  test('externalSecrets: the ESO objects chain to the vault through the workload-identity service account', () => {
    const objects = build(samplePlan(EXTERNAL));
    const store = one(objects, 'SecretStore');
    const account = one(objects, 'ServiceAccount');
    expect(store.spec.provider.azurekv).toEqual({
      vaultUrl: EXTERNAL.mode === 'externalSecrets' && EXTERNAL.keyVaultUrl,
      authType: 'WorkloadIdentity',
      serviceAccountRef: { name: account.metadata.name },
    });
    expect(account.metadata.annotations).toEqual({ 'azure.workload.identity/client-id': HUB_CLIENT_ID, 'azure.workload.identity/tenant-id': TENANT });
    const externals = ofKind(objects, 'ExternalSecret');
    expect(externals.map((e) => [e.metadata.name, e.spec.data])).toEqual([
      ['ocp-prod-signing-key', [{ secretKey: 'bound-service-account-signing-key.key', remoteRef: { key: 'ocp-prod-signing-key' } }]],
      ['ocp-prod-pull-secret', [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'ocp-prod-pull-secret' } }]],
      ['ocp-prod-azure-credentials', [{ secretKey: 'osServicePrincipal.json', remoteRef: { key: 'ocp-prod-installer' } }]],
    ]);
    for (const e of externals) {
      expect(e.spec.secretStoreRef).toEqual({ name: store.metadata.name, kind: 'SecretStore' });
      expect(e.spec.refreshInterval).toBe('1h');
      expect(e.spec.target).toMatchObject({ name: e.metadata.name, creationPolicy: 'Owner' });
    }
    const pull = externals.find((e) => e.metadata.name === 'ocp-prod-pull-secret');
    expect(pull.spec.target.template).toEqual({ type: 'kubernetes.io/dockerconfigjson' });
    expect(externals.filter((e) => e.spec.target.template !== undefined)).toHaveLength(1);
  });

  test('files: no ESO object and no service account; the three secret refs resolve to the files\' Secrets', () => {
    const plan = samplePlan(FILES);
    const objects = build(plan);
    expect(objects.filter((o) => ['ExternalSecret', 'SecretStore', 'ServiceAccount'].includes(o.kind))).toEqual([]);
    const files = hiveSecretFiles(plan, CONTENTS);
    expect([...files.keys()].sort()).toEqual(['ocp-prod-azure-credentials.yaml', 'ocp-prod-pull-secret.yaml', 'ocp-prod-signing-key.yaml']);
    const fileSecrets = [...files.values()].map((text) => yaml.load(text) as Json);
    for (const secret of fileSecrets) {
      expect(kubernetesSchemaErrors(secret)).toEqual([]);
      expect(secret.metadata.namespace).toBe(plan.namespace);
    }
    const names = new Set([...ofKind(objects, 'Secret'), ...fileSecrets].map((s) => s.metadata.name));
    expect(secretRefs(one(objects, 'ClusterDeployment')).filter((name) => !names.has(name))).toEqual([]);
    const byName = new Map(fileSecrets.map((s) => [s.metadata.name, s]));
    expect(byName.get('ocp-prod-pull-secret')).toMatchObject({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': PULL_SECRET } });
    expect(byName.get('ocp-prod-signing-key').stringData).toEqual({ 'bound-service-account-signing-key.key': PRIVATE_KEY });
    expect(JSON.parse(byName.get('ocp-prod-azure-credentials').stringData['osServicePrincipal.json'])).toMatchObject({ clientSecret: CLIENT_SECRET });
  });
});

describe('the schema checks catch broken objects', () => {
  const objects = build(samplePlan(EXTERNAL));

  test('a ClusterDeployment with installAttemptsLimit as a string, or without clusterName', () => {
    const deployment = one(objects, 'ClusterDeployment');
    const asString = structuredClone(deployment);
    asString.spec.installAttemptsLimit = '1';
    expect(crdSchemaErrors(asString)).toEqual(['ClusterDeployment hive-ocp-prod/ocp-prod: /spec/installAttemptsLimit must be integer']);
    const nameless = structuredClone(deployment);
    delete nameless.spec.clusterName;
    expect(crdSchemaErrors(nameless)).toEqual(["ClusterDeployment hive-ocp-prod/ocp-prod: /spec must have required property 'clusterName'"]);
  });

  test('an ExternalSecret without remoteRef.key', () => {
    const external = structuredClone(ofKind(objects, 'ExternalSecret')[0]);
    delete external.spec.data[0].remoteRef.key;
    expect(crdSchemaErrors(external)).toEqual([
      "ExternalSecret hive-ocp-prod/ocp-prod-signing-key: /spec/data/0/remoteRef must have required property 'key'",
    ]);
  });
});

describe('install-config names', () => {
  test.each([
    ['a'.repeat(55), /at most 54/],
    ['Ocp-prod', /DNS label/],
    ['ocp_prod', /DNS label/],
    ['-ocp', /DNS label/],
    ['ocp-microsoft', /'microsoft'/],
    ['windows-ocp', /'windows'/],
    ['login-ocp', /start with 'login'/],
  ])('%s is refused', (name, problem) => {
    expect(installConfigNameProblem(name)).toMatch(problem);
  });

  test.each([['a'.repeat(54)], ['ocp-prod'], ['my-login'], ['0cp']])('%s is accepted', (name) => {
    expect(installConfigNameProblem(name)).toBeUndefined();
  });

  test('HiveCluster refuses a bad name when synthesized', () => {
    expect(() => build(samplePlan(EXTERNAL), 'login-ocp')).toThrow(/hive cluster login-ocp: cluster name 'login-ocp' must not start with 'login'/);
  });

  test('networkResourceGroupName only when set', () => {
    const config = installConfigOf(build(samplePlan(EXTERNAL, { networkResourceGroup: 'rg-contoso-network' })));
    expect(config.platform.azure.networkResourceGroupName).toBe('rg-contoso-network');
  });
});

describe('clouds', () => {
  test('a sovereign cloud reaches the ClusterDeployment, the install-config and the SecretStore', () => {
    const objects = build(samplePlan(EXTERNAL, { cloudName: 'AzureChinaCloud', region: 'chinanorth3' }));
    expect(one(objects, 'ClusterDeployment').spec.platform.azure.cloudName).toBe('AzureChinaCloud');
    expect(installConfigOf(objects).platform.azure.cloudName).toBe('AzureChinaCloud');
    expect(one(objects, 'SecretStore').spec.provider.azurekv.environmentType).toBe('ChinaCloud');
    for (const obj of objects) if (!CORE_KINDS.includes(obj.kind)) expect(crdSchemaErrors(obj)).toEqual([]);
  });

  test('an unknown cloud name is refused', () => {
    expect(() => build(samplePlan(EXTERNAL, { cloudName: 'AzureMoonCloud' }))).toThrow(/cloud name 'AzureMoonCloud'/);
  });
});

describe('secret values', () => {
  const plan = samplePlan(FILES);

  test('appear only in hiveSecretFiles\' output, never in the chart', () => {
    const chartText = JSON.stringify(build(plan));
    const filesText = [...hiveSecretFiles(plan, CONTENTS).values()].join('\n');
    for (const value of [PRIVATE_KEY.split('\n')[1], 'd2lzeW50aDpGYWtlUHVsbFNlY3JldFRva2Vu', CLIENT_SECRET]) {
      expect(chartText).not.toContain(value);
      expect(filesText).toContain(value);
    }
  });

  test('malformed contents are refused by file, without quoting them', () => {
    const bad = { signingKey: 'not a key', pullSecret: '{"auth": "x"}', installerCredentials: JSON.stringify({ clientId: 'c', clientSecret: 'hunter2' }) };
    const problems = hiveSecretContentProblems(plan, bad);
    expect(problems).toEqual([
      'secrets/signing.key: not a PEM private key (the service-account signing key)',
      'secrets/pull-secret.json: not a pull secret (a JSON object with "auths")',
      'secrets/osServicePrincipal.json: osServicePrincipal.json must be a JSON object with subscriptionId, tenantId',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(() => hiveSecretFiles(plan, bad)).toThrow(/not a PEM private key/);
  });

  test('hiveSecretFiles refuses a cluster whose secrets come from Key Vault', () => {
    expect(() => hiveSecretFiles(samplePlan(EXTERNAL), CONTENTS)).toThrow(/externalSecrets, not files/);
  });
});
