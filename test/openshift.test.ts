/**
 * OpenShift on Hive, end to end through synth: for the release's real CredentialsRequests, the Azure
 * side follows ccoctl's rules (openshift/cloud-credential-operator pkg/cmd/provisioning/azure), the hub side refers to it consistently, and no
 * secret value reaches OUT/terraform or OUT/kubernetes in either secrets mode.
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { crdSchemaErrors } from '../src/check/crd-schema';
import { main } from '../src/cli/main';
import { copyExampleInputs, editOnce, readTree, ROOT } from './support';

/** Parsed YAML or JSON, read field by field. */
type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const CR_DIR = path.join(ROOT, 'examples', 'openshift', 'credentialsrequests');
const SUB = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const rg = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;
const PRIVATE_KEY_BLOCK = new RegExp(['-----BEGIN [A-Z0-9 ]*', 'PRIVATE KEY-----'].join(''));

/**
 * The release's CredentialsRequests as ccoctl treats them, written out by hand from the files and
 * ccoctl's naming: identity `<cluster>-<secret namespace>-<secret name>`, its service accounts,
 * and whether ccoctl also scopes it to the DNS-zone group (ingress) or a network group.
 */
const EXPECTED: Array<{ request: string; identity: string; namespace: string; serviceAccounts: string[]; dns: boolean; network: boolean }> = [
  { request: 'openshift-ingress-azure', identity: 'ocp-prod-openshift-ingress-operator-cloud-credentials', namespace: 'openshift-ingress-operator', serviceAccounts: ['ingress-operator'], dns: true, network: true },
  { request: 'openshift-azure-cloud-controller-manager', identity: 'ocp-prod-openshift-cloud-controller-manager-azure-cloud-credentials', namespace: 'openshift-cloud-controller-manager', serviceAccounts: ['cloud-controller-manager'], dns: false, network: true },
  { request: 'openshift-machine-api-azure', identity: 'ocp-prod-openshift-machine-api-azure-cloud-credentials', namespace: 'openshift-machine-api', serviceAccounts: ['machine-api-controllers'], dns: false, network: true },
  { request: 'openshift-image-registry-azure', identity: 'ocp-prod-openshift-image-registry-installer-cloud-credentials', namespace: 'openshift-image-registry', serviceAccounts: ['cluster-image-registry-operator', 'registry'], dns: false, network: true },
  { request: 'openshift-cloud-network-config-controller-azure', identity: 'ocp-prod-openshift-cloud-network-config-controller-cloud-credentials', namespace: 'openshift-cloud-network-config-controller', serviceAccounts: ['cloud-network-config-controller'], dns: false, network: true },
  { request: 'azure-disk-csi-driver-operator', identity: 'ocp-prod-openshift-cluster-csi-drivers-azure-disk-credentials', namespace: 'openshift-cluster-csi-drivers', serviceAccounts: ['azure-disk-csi-driver-operator', 'azure-disk-csi-driver-controller-sa', 'azure-disk-csi-driver-node-sa'], dns: false, network: false },
  { request: 'azure-file-csi-driver-operator', identity: 'ocp-prod-openshift-cluster-csi-drivers-azure-file-credentials', namespace: 'openshift-cluster-csi-drivers', serviceAccounts: ['azure-file-csi-driver-operator', 'azure-file-csi-driver-controller-sa', 'azure-file-csi-driver-node-sa'], dns: false, network: true },
];

/** The permissions of each real request, read straight from its file (not through wisynth). */
function requestSpecs(): Map<string, { permissions: string[]; dataPermissions: string[] }> {
  const specs = new Map<string, { permissions: string[]; dataPermissions: string[] }>();
  for (const file of fs.readdirSync(CR_DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of yaml.loadAll(fs.readFileSync(path.join(CR_DIR, file), 'utf8')) as Json[]) {
      specs.set(doc.metadata.name, { permissions: doc.spec.providerSpec.permissions ?? [], dataPermissions: doc.spec.providerSpec.dataPermissions ?? [] });
    }
  }
  return specs;
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-openshift-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

async function synth(name: string, text: string, extra: (dir: string) => void = () => {}): Promise<{ out: string; files: Map<string, Buffer>; tf: Json; stdout: string; stderr: string; code: number }> {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  extra(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const out = path.join(dir, 'out');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(['synth', '-c', path.join(dir, 'fleet.yaml'), '-o', out], { cwd: dir, env: {}, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  const files = code === 0 ? readTree(out) : new Map<string, Buffer>();
  const tf = code === 0 ? JSON.parse(files.get('terraform/stacks/contoso/cdk.tf.json')!.toString()) : undefined;
  return { out, files, tf, stdout: stdout.join('\n'), stderr: stderr.join('\n'), code };
}

const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

const objectsOf = (files: Map<string, Buffer>, cluster: string): Json[] =>
  [...files.entries()].filter(([f]) => f.startsWith(`kubernetes/${cluster}/`) && !f.endsWith('kustomization.yaml')).map(([, c]) => yaml.load(c.toString()));

describe('the example\'s ocp-prod, from the release\'s real CredentialsRequests', () => {
  let s: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    s = await synth('example', EXAMPLE);
    expect(s.code).toBe(0);
  });
  const resources = (type: string): Json[] => Object.values(s.tf.resource[type] ?? {});
  const identityRef = (name: string) => `\${azurerm_user_assigned_identity.identity_${name}.id}`;
  const issuer = 'https://stcontosooidcocpprod.blob.core.windows.net/ocp-prod';

  test('the tech-preview request is skipped and said so; the other seven each get an identity named as ccoctl names it', () => {
    expect(s.stdout).toContain('ocp-prod: skipped CredentialsRequest openshift-cluster-api-azure (openshift/credentialsrequests/0000_30_cluster-api_01_credentials-request.azure.yaml): feature-gated (release.openshift.io/feature-gate=ClusterAPIMachineManagement): skipped by wisynth\'s own filter');
    const made = resources('azurerm_user_assigned_identity').filter((i) => i.name.startsWith('ocp-prod-'));
    expect(made.map((i) => i.name).sort()).toEqual(EXPECTED.map((e) => e.identity).sort());
    for (const identity of made) expect(identity.resource_group_name).toBe('${azurerm_resource_group.rg_ocp-prod-oidc.name}');
  });

  test('one FIC per service account: named after it, subject in the secret\'s namespace, audience openshift, the cluster\'s issuer', () => {
    for (const e of EXPECTED) {
      const own = resources('azurerm_federated_identity_credential').filter((f) => f.parent_id === identityRef(e.identity));
      expect(own.map((f) => [f.name, f.subject]).sort()).toEqual(e.serviceAccounts.map((sa) => [sa, `system:serviceaccount:${e.namespace}:${sa}`]).sort());
      for (const fic of own) {
        expect(fic.audience).toEqual(['openshift']);
        expect(fic.issuer).toBe(issuer);
      }
    }
  });

  test('a custom role per request: named like its identity, the request\'s permissions as actions and dataPermissions as data actions, defined at the subscription', () => {
    const specs = requestSpecs();
    const roles = resources('azurerm_role_definition');
    expect(roles).toHaveLength(EXPECTED.length);
    for (const e of EXPECTED) {
      const role = roles.find((r) => r.name === e.identity);
      const spec = specs.get(e.request)!;
      expect(role.scope).toBe(`/subscriptions/${SUB}`);
      expect(role.assignable_scopes).toEqual([`/subscriptions/${SUB}`]);
      expect(role.permissions[0].actions).toEqual(spec.permissions);
      expect(role.permissions[0].data_actions ?? []).toEqual(spec.dataPermissions);
    }
    expect(specs.get('openshift-image-registry-azure')!.dataPermissions).toHaveLength(5);
  });

  test('role assignments: the installation group for all, and the DNS-zone group for ingress only', () => {
    const assignments = resources('azurerm_role_assignment').filter((a) => String(a.principal_id).includes('identity_ocp-prod-'));
    for (const e of EXPECTED) {
      const own = assignments.filter((a) => a.principal_id === `\${azurerm_user_assigned_identity.identity_${e.identity}.principal_id}`);
      const scopes = own.map((a) => a.scope).sort();
      expect(scopes).toEqual([rg('ocp-prod'), ...(e.dns ? [rg('rg-contoso-dns')] : [])].sort());
      for (const a of own) expect(a.role_definition_id).toBe(`\${azurerm_role_definition.role_definition_${e.identity}.role_definition_resource_id}`);
    }
  });

  test('the OIDC and installation groups are created, distinct, and nothing is placed in the installation group', () => {
    const groups = resources('azurerm_resource_group').map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['ocp-prod', 'ocp-prod-oidc']));
    const text = JSON.stringify(s.tf.resource);
    expect(text).not.toContain('rg_ocp-prod.name');
  });

  test('the manifests Secret holds ccoctl\'s files for exactly the kept requests, on the issuer of the FICs and the discovery document', () => {
    const manifests = objectsOf(s.files, 'ocp-prod').find((o) => o.kind === 'Secret' && o.metadata.name === 'ocp-prod-manifests');
    const files = manifests.stringData as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(
      [...EXPECTED.map((e) => `${e.namespace}-${e.identity.slice('ocp-prod-'.length + e.namespace.length + 1)}-credentials.yaml`), 'azure-ad-pod-identity-webhook-config.yaml', 'cluster-authentication-02-config.yaml'].sort(),
    );
    const authentication = yaml.load(files['cluster-authentication-02-config.yaml']) as Json;
    expect(crdSchemaErrors(authentication)).toEqual([]);
    expect(authentication.spec.serviceAccountIssuer).toBe(issuer);
    expect(JSON.parse(s.files.get('oidc/ocp-prod/.well-known/openid-configuration')!.toString()).issuer).toBe(issuer);
    const ingress = yaml.load(files['openshift-ingress-operator-cloud-credentials-credentials.yaml']) as Json;
    expect(ingress.stringData.azure_client_id).toBe('WISYNTH_PENDING:identity_ocp-prod-openshift-ingress-operator-cloud-credentials_client_id');
    expect(s.tf.output['identity_ocp-prod-openshift-ingress-operator-cloud-credentials_client_id'].value).toBe(
      '${azurerm_user_assigned_identity.identity_ocp-prod-openshift-ingress-operator-cloud-credentials.client_id}',
    );
  });

  test('the hub reads the secrets as hive-secrets-reader: FIC on the hub\'s issuer, Secrets User on the vault', () => {
    const fic = resources('azurerm_federated_identity_credential').find((f) => f.subject === 'system:serviceaccount:ocp-prod:hive-secrets-reader');
    expect(fic).toMatchObject({ issuer: '${azurerm_kubernetes_cluster.aks_aks-prod.oidc_issuer_url}', audience: ['api://AzureADTokenExchange'], parent_id: identityRef('id-hive-secrets') });
    const grant = resources('azurerm_role_assignment').find((a) => a.principal_id === '${azurerm_user_assigned_identity.identity_id-hive-secrets.principal_id}');
    expect(grant).toMatchObject({ role_definition_name: 'Key Vault Secrets User', scope: '${azurerm_key_vault.keyvault_kv-contoso-hive.id}' });
  });

  test('ClusterDeployment: one install attempt, the install-config\'s region, and a Manual credentials mode in an install-config that names the installation group', () => {
    const objects = objectsOf(s.files, 'ocp-prod');
    const cd = objects.find((o) => o.kind === 'ClusterDeployment');
    expect(cd.spec.installAttemptsLimit).toBe(1);
    const installConfig = yaml.load(objects.find((o) => o.metadata.name === cd.spec.provisioning.installConfigSecretRef.name).stringData['install-config.yaml']) as Json;
    expect(installConfig).toMatchObject({ credentialsMode: 'Manual', metadata: { name: 'ocp-prod' }, platform: { azure: { resourceGroupName: 'ocp-prod', region: cd.spec.platform.azure.region } } });
  });

  test('no private key block and no secret value under terraform/ or kubernetes/', () => {
    const checked = [...s.files.entries()].filter(([f]) => /^(terraform|kubernetes)\//.test(f));
    expect(checked.length).toBeGreaterThan(10);
    for (const [file, content] of checked) {
      const text = content.toString();
      expect({ file, privateKey: PRIVATE_KEY_BLOCK.test(text), secretKeys: /clientSecret|"auths"/.test(text) }).toEqual({ file, privateKey: false, secretKeys: false });
    }
    expect([...s.files.keys()].some((f) => f.startsWith('secrets/'))).toBe(false);
  });
});

test('with a network resource group, ccoctl\'s six network users are also assigned there, and only they', async () => {
  // the installer takes the network group only with the virtual network and both subnets (openshift/installer pkg/types/azure/validation/platform.go)
  const text = edit('      storageAccount: stcontosooidcocpprod\n', '      storageAccount: stcontosooidcocpprod\n      networkResourceGroup: rg-contoso-aks\n      virtualNetwork: vnet-ocp\n      controlPlaneSubnet: snet-master\n      computeSubnet: snet-worker\n');
  const s = await synth('network', text);
  expect(s.code).toBe(0);
  const assignments: Json[] = Object.values(s.tf.resource.azurerm_role_assignment);
  for (const e of EXPECTED) {
    const scopes = assignments.filter((a) => a.principal_id === `\${azurerm_user_assigned_identity.identity_${e.identity}.principal_id}`).map((a) => a.scope).sort();
    expect({ request: e.request, scopes }).toEqual({ request: e.request, scopes: [rg('ocp-prod'), ...(e.dns ? [rg('rg-contoso-dns')] : []), ...(e.network ? [rg('rg-contoso-aks')] : [])].sort() });
  }
});

describe('secrets.mode: files', () => {
  const SECRET_MARK = 'hunter2-never-commit';
  let s: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    const text = edit(
      '        mode: externalSecrets\n        keyVault: kv-contoso-hive\n        identity: id-hive-secrets\n        hub: aks-prod\n',
      '        mode: files\n        signingKeyFile: keys/ocp-prod/sa.key\n        pullSecretFile: secrets/pull-secret.json\n        installerCredentialsFile: secrets/osServicePrincipal.json\n',
    );
    s = await synth('files', text, (dir) => {
      // the installer's signing key is the private half of the published key
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      fs.writeFileSync(path.join(dir, 'keys', 'ocp-prod', 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
      fs.writeFileSync(path.join(dir, 'keys', 'ocp-prod', 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
      fs.mkdirSync(path.join(dir, 'secrets'));
      fs.writeFileSync(path.join(dir, 'secrets', 'pull-secret.json'), JSON.stringify({ auths: { 'quay.io': { auth: SECRET_MARK } } }));
      fs.writeFileSync(path.join(dir, 'secrets', 'osServicePrincipal.json'), JSON.stringify({ subscriptionId: SUB, clientId: 'c', clientSecret: SECRET_MARK, tenantId: 't' }));
    });
  });

  test('the three Secrets are written under secrets/ocp-prod/ only, with mode 0600', () => {
    expect(s.code).toBe(0);
    const secretFiles = [...s.files.keys()].filter((f) => f.startsWith('secrets/'));
    expect(secretFiles.sort()).toEqual([
      'secrets/ocp-prod/ocp-prod-azure-credentials.yaml',
      'secrets/ocp-prod/ocp-prod-bound-service-account-signing-key.yaml',
      'secrets/ocp-prod/ocp-prod-pull-secret.yaml',
    ]);
    for (const file of secretFiles) expect(fs.statSync(path.join(s.out, file)).mode & 0o777).toBe(0o600);
    const signing = yaml.load(s.files.get('secrets/ocp-prod/ocp-prod-bound-service-account-signing-key.yaml')!.toString()) as Json;
    expect(PRIVATE_KEY_BLOCK.test(signing.stringData['bound-service-account-signing-key.key'])).toBe(true);
  });

  test('no private key block and no secret value anywhere under terraform/ or kubernetes/', () => {
    for (const [file, content] of s.files) {
      if (!/^(terraform|kubernetes)\//.test(file)) continue;
      const text = content.toString();
      expect({ file, privateKey: PRIVATE_KEY_BLOCK.test(text), value: text.includes(SECRET_MARK) }).toEqual({ file, privateKey: false, value: false });
    }
    expect(objectsOf(s.files, 'ocp-prod').map((o) => o.kind)).not.toContain('ExternalSecret');
  });
});

describe('OpenShift mistakes are refused before anything is written', () => {
  test.each([
    ['the installation group is the OIDC group', edit('      storageAccount: stcontosooidcocpprod\n', '      storageAccount: stcontosooidcocpprod\n      installationResourceGroup: rg-contoso-oidc\n      oidcResourceGroup: rg-contoso-oidc\n'), 'is also the OIDC resource group'],
    ['an install-config name starting with "login"', edit('  - name: ocp-prod\n', '  - name: login-ocp\n'), 'login'],
    ['a CredentialsRequests folder that does not exist', edit('credentialsRequests: openshift/credentialsrequests', 'credentialsRequests: openshift/credreqs'), 'cannot read the CredentialsRequests: folder not found'],
    ['a hub that is not a cluster of the fleet', edit('        hub: aks-prod', '        hub: aks-hub'), 'cluster "aks-hub" is not declared'],
  ])('%s', async (_rule, text, message) => {
    const r = await synth(`bad-${_rule.replace(/\W+/g, '-')}`, text);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/\n {2}fix: \S/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(r.out)).toBe(false);
  });
});
