/**
 * The domain rules (issuer, subject, audience, naming) and the OUT contract (README), checked on the synthesized
 * example as written to disk: Terraform JSON and Kubernetes YAML are read back and parsed,
 * and the expected values come from the fleet file, never from wisynth's own code.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { main } from '../src/cli/main';
import type { ClusterSummary } from '../src/core/summary';
import { ROOT, assertLibIsCurrent, copyExampleInputs, readTree } from './support';

/** Parsed JSON or YAML, read field by field. */
type Json = any;

const EXAMPLE = path.join(ROOT, 'examples', 'fleet.yaml');
const AUDIENCE = 'api://AzureADTokenExchange';
const CLIENT_ID = 'azure.workload.identity/client-id';
const TENANT_ID = 'azure.workload.identity/tenant-id';
const TOKEN_EXPIRATION = 'azure.workload.identity/service-account-token-expiration';
const PENDING = /^WISYNTH_PENDING:([A-Za-z0-9_-]+)$/;

interface WorkloadDoc {
  namespace: string;
  serviceAccount: string;
  identity: string;
  tokenExpirationSeconds?: number;
  verify?: { keyVault: string; secretName: string };
}
interface ClusterDoc {
  name: string;
  platform: 'aks' | 'self-managed' | 'capz' | 'openshift-hive' | 'external-issuer';
  aks?: { existing?: { issuerUrl: string } };
  externalIssuer?: { issuerUrl: string };
  selfManaged?: { issuer: { hosting: 'blobContainer' | 'staticWebsite'; storageAccount: string; container?: string } };
  capz?: { identity: string; namespace?: string; managerServiceAccount?: string; serviceOperatorServiceAccount?: string };
  openshiftHive?: { namespace?: string; storageAccount: string; secrets: { mode: string; hub?: string; identity?: string; serviceAccount?: string } };
  workloads: WorkloadDoc[];
}
interface FleetDoc {
  name: string;
  azure: { tenantId: string; subscriptionId: string };
  identities: Array<{ name: string; resourceGroup: string; existing?: { clientId: string } }>;
  keyVaults: Array<{ name: string }>;
  clusters: ClusterDoc[];
}

const exampleText = fs.readFileSync(EXAMPLE, 'utf8');
const fleet = yaml.load(exampleText) as FleetDoc;
for (const cluster of fleet.clusters) cluster.workloads ??= [];

/** Every service account of a cluster that federates: its workloads, and on CAPZ clusters CAPZ and ASO (kubernetes-sigs/cluster-api-provider-azure docs/book/src/topics/workload-identity.md). */
function federatedAccounts(cluster: ClusterDoc): Array<{ identity: string; subject: string }> {
  const accounts = cluster.workloads.map((w) => ({ identity: w.identity, subject: `system:serviceaccount:${w.namespace}:${w.serviceAccount}` }));
  // External Secrets Operator on a Hive hub reads an OpenShift cluster's secrets as a service account of the hub
  for (const hosted of fleet.clusters) {
    const secrets = hosted.openshiftHive?.secrets;
    if (secrets?.hub !== cluster.name) continue;
    accounts.push({ identity: secrets.identity!, subject: `system:serviceaccount:${hosted.openshiftHive!.namespace ?? hosted.name}:${secrets.serviceAccount ?? 'hive-secrets-reader'}` });
  }
  const capz = cluster.capz;
  if (capz) {
    const namespace = capz.namespace ?? 'capz-system';
    for (const sa of [capz.managerServiceAccount ?? 'capz-manager', capz.serviceOperatorServiceAccount ?? 'azureserviceoperator-default']) {
      accounts.push({ identity: capz.identity, subject: `system:serviceaccount:${namespace}:${sa}` });
    }
  }
  return accounts;
}

interface K8sObject {
  file: string;
  obj: Json;
}

interface Synth {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
/** A project folder laid out like the repository: examples/fleet.yaml and dist/ side by side. */
let project: string;
let fleetFile: string;
let out: string;
let files: Map<string, string>;
let tf: Json;
let summary: Json;
let objects: Map<string, K8sObject[]>;

/** Every file of OUT as text. */
function readTexts(root: string): Map<string, string> {
  return new Map([...readTree(root)].map(([file, bytes]) => [file, bytes.toString('utf8')]));
}

async function synth(...args: string[]): Promise<Synth> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(['synth', ...args], {
    cwd: project,
    env: {},
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** Objects of each cluster folder, kustomization.yaml left out. */
function clusterObjects(tree: Map<string, string>): Map<string, K8sObject[]> {
  const byCluster = new Map<string, K8sObject[]>();
  for (const [file, text] of tree) {
    const m = /^kubernetes\/([^/]+)\/([^/]+\.yaml)$/.exec(file);
    if (!m || m[2] === 'kustomization.yaml') continue;
    const list = byCluster.get(m[1]) ?? [];
    for (const obj of yaml.loadAll(text)) list.push({ file, obj });
    byCluster.set(m[1], list);
  }
  return byCluster;
}

function serviceAccount(tree: Map<string, K8sObject[]>, cluster: string, namespace: string, name: string): Json {
  const found = (tree.get(cluster) ?? [])
    .map((o) => o.obj)
    .filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === namespace && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

function resources(type: string): Record<string, Json> {
  return tf.resource?.[type] ?? {};
}

/** The Terraform key of the one resource of a type with this Azure name. */
function keyNamed(type: string, name: string): string {
  const keys = Object.entries(resources(type))
    .filter(([, r]) => r.name === name)
    .map(([key]) => key);
  expect(keys).toHaveLength(1);
  return keys[0];
}

const ref = (type: string, key: string, attribute: string): string => `\${${type}.${key}.${attribute}}`;

function identityDoc(name: string): FleetDoc['identities'][number] {
  const found = fleet.identities.find((i) => i.name === name);
  if (!found) throw new Error(`identity ${name} is not in the example`);
  return found;
}

/** What a FIC's parent_id must be: a reference to a new identity, the predictable ARM ID of an existing one. */
function identityParent(name: string): string {
  const doc = identityDoc(name);
  if (doc.existing) {
    return `/subscriptions/${fleet.azure.subscriptionId}/resourceGroups/${doc.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  }
  return ref('azurerm_user_assigned_identity', keyNamed('azurerm_user_assigned_identity', name), 'id');
}

/** The issuer every FIC of a cluster must carry. */
function clusterIssuer(cluster: ClusterDoc): string {
  if (cluster.externalIssuer) return cluster.externalIssuer.issuerUrl;
  if (cluster.openshiftHive) return `https://${cluster.openshiftHive.storageAccount}.blob.core.windows.net/${cluster.name}`;
  const hosted = cluster.selfManaged?.issuer;
  if (hosted?.hosting === 'blobContainer') return `https://${hosted.storageAccount}.blob.core.windows.net/${hosted.container ?? 'oidc'}`;
  if (hosted) return ref('azurerm_storage_account', keyNamed('azurerm_storage_account', hosted.storageAccount), 'primary_web_endpoint');
  return cluster.aks!.existing
    ? cluster.aks!.existing.issuerUrl
    : ref('azurerm_kubernetes_cluster', keyNamed('azurerm_kubernetes_cluster', cluster.name), 'oidc_issuer_url');
}

const fics = (): Json[] => Object.values(resources('azurerm_federated_identity_credential'));
/** The FICs of OpenShift operators (one per CredentialsRequest service account): their rules are tested in openshift.test.ts. */
const isOpenShiftOperatorFic = (f: Json): boolean => fleet.clusters.some((c) => c.openshiftHive && f.issuer === clusterIssuer(c));
/** Service accounts through which External Secrets Operator reads Hive clusters' secrets, one per such cluster. */
const hiveSecretReaders = fleet.clusters.filter((c) => c.openshiftHive?.secrets.hub).length;
/** The cluster whose API server issues the tokens of a service account written to `cluster`'s folder (a Hive cluster's is its hub's). */
const tokenIssuerOf = (cluster: ClusterDoc): ClusterDoc => fleet.clusters.find((c) => c.name === cluster.openshiftHive?.secrets.hub) ?? cluster;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-rules-'));
  project = path.join(work, 'project');
  fleetFile = path.join(project, 'examples', 'fleet.yaml');
  fs.mkdirSync(path.dirname(fleetFile), { recursive: true });
  fs.copyFileSync(EXAMPLE, fleetFile);
  copyExampleInputs(path.dirname(fleetFile));
  out = path.join(project, 'dist');
  const result = await synth('-c', fleetFile, '-o', out);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  files = readTexts(out);
  tf = JSON.parse(files.get('terraform/stacks/contoso/cdk.tf.json') ?? 'null');
  summary = JSON.parse(files.get('summary.json') ?? 'null');
  objects = clusterObjects(files);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('OUT layout', () => {
  test('only the files of the contract: Terraform stacks, cluster folders, summary.json', () => {
    const selfManaged = fleet.clusters.filter((c) => c.selfManaged || c.openshiftHive).map((c) => c.name).join('|');
    const external = fleet.clusters.filter((c) => c.externalIssuer).map((c) => c.name).join('|');
    const allowed = [
      /^summary\.json$/,
      /^terraform\/manifest\.json$/,
      /^terraform\/stacks\/[^/]+\/cdk\.tf\.json$/,
      /^kubernetes\/[^/]+\/[^/]+\.yaml$/,
      new RegExp(`^oidc/(${selfManaged})/(\\.well-known/openid-configuration|openid/v1/jwks)$`),
      new RegExp(`^clusters/(${selfManaged})/[^/]+\\.yaml$`),
      // a cluster whose issuer is hosted elsewhere gets the webhook, and its Helm values
      new RegExp(`^clusters/(${external})/webhook-values\\.yaml$`),
      new RegExp(`^clusters/(${selfManaged})/service-account-keys\\.pem$`),
    ];
    const stray = [...files.keys()].filter((f) => !allowed.some((pattern) => pattern.test(f)));
    expect(stray).toEqual([]);
  });

  test('terraform/manifest.json names each stack and its cdk.tf.json, which exists', () => {
    const manifest = JSON.parse(files.get('terraform/manifest.json')!);
    expect(Object.keys(manifest.stacks)).toEqual([fleet.name]);
    expect(summary.stacks).toEqual([fleet.name]);
    for (const [name, stack] of Object.entries<Json>(manifest.stacks)) {
      expect(stack.synthesizedStackPath).toBe(`stacks/${name}/cdk.tf.json`);
      expect(files.has(`terraform/${stack.synthesizedStackPath}`)).toBe(true);
    }
  });

  test('one folder under kubernetes/ per cluster of the fleet, as summary.json says', () => {
    const folders = [...new Set([...files.keys()].filter((f) => f.startsWith('kubernetes/')).map((f) => f.split('/')[1]))];
    expect(folders.sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
    expect((summary.clusters as ClusterSummary[]).map(({ name, platform, folder }) => ({ name, platform, folder }))).toEqual(fleet.clusters.map((c) => ({ name: c.name, platform: c.platform, folder: `kubernetes/${c.name}` })));
  });

  test('summary.json lists exactly the files written', () => {
    expect(summary.files).toEqual([...files.keys()]);
  });
});

describe('federated identity credentials', () => {
  test('one FIC per federated service account (workloads; CAPZ and ASO): issuer of its cluster, its subject, on its identity', () => {
    let accounts = 0;
    for (const cluster of fleet.clusters) {
      for (const a of federatedAccounts(cluster)) {
        accounts++;
        const matching = fics().filter((f) => f.parent_id === identityParent(a.identity) && f.subject === a.subject);
        // the same identity and subject on another cluster is another FIC, told apart by its issuer
        expect(matching.filter((f) => f.issuer === clusterIssuer(cluster))).toHaveLength(1);
      }
    }
    expect(fleet.clusters.some((c) => c.capz)).toBe(true);
    expect(fics().filter((f) => !isOpenShiftOperatorFic(f))).toHaveLength(accounts);
  });

  test('FICs of the new AKS cluster take its issuer from azurerm_kubernetes_cluster.<cluster>.oidc_issuer_url', () => {
    const created = fleet.clusters.filter((c) => c.aks && !c.aks.existing);
    expect(created.length).toBeGreaterThan(0);
    for (const cluster of created) {
      const key = keyNamed('azurerm_kubernetes_cluster', cluster.name);
      const own = fics().filter((f) => f.issuer === `\${azurerm_kubernetes_cluster.${key}.oidc_issuer_url}`);
      expect(own).toHaveLength(federatedAccounts(cluster).length);
    }
  });

  test('FICs of the existing cluster carry its issuer URL byte for byte, trailing slash included', () => {
    const existing = fleet.clusters.filter((c) => c.aks?.existing);
    expect(existing.length).toBeGreaterThan(0);
    for (const cluster of existing) {
      const issuer = cluster.aks!.existing!.issuerUrl;
      expect(issuer.endsWith('/')).toBe(true);
      const own = fics().filter((f) => f.issuer === issuer);
      expect(own.map((f) => f.subject).sort()).toEqual(cluster.workloads.map((w) => `system:serviceaccount:${w.namespace}:${w.serviceAccount}`).sort());
    }
    // no FIC carries a variant of it (slash dropped, case changed)
    const issuers = new Set(fleet.clusters.map(clusterIssuer));
    expect(fics().filter((f) => !issuers.has(f.issuer))).toEqual([]);
  });

  test('every annotated ServiceAccount has exactly one FIC with its subject on the identity that feeds its client-id', () => {
    let checked = 0;
    for (const cluster of fleet.clusters) {
      for (const { obj } of objects.get(cluster.name) ?? []) {
        if (obj.kind !== 'ServiceAccount' || obj.metadata.annotations?.[CLIENT_ID] === undefined) continue;
        const clientId: string = obj.metadata.annotations[CLIENT_ID];
        let parent: string;
        const pending = PENDING.exec(clientId);
        if (pending) {
          const source = /^\$\{azurerm_user_assigned_identity\.([^.]+)\.client_id\}$/.exec(tf.output?.[pending[1]]?.value ?? '');
          expect(source).not.toBeNull();
          parent = ref('azurerm_user_assigned_identity', source![1], 'id');
        } else {
          const owner = fleet.identities.find((i) => i.existing?.clientId === clientId);
          expect(owner).toBeDefined();
          parent = identityParent(owner!.name);
        }
        const subject = `system:serviceaccount:${obj.metadata.namespace}:${obj.metadata.name}`;
        expect(fics().filter((f) => f.parent_id === parent && f.subject === subject && f.issuer === clusterIssuer(tokenIssuerOf(cluster)))).toHaveLength(1);
        checked++;
      }
    }
    expect(hiveSecretReaders).toBeGreaterThan(0);
    expect(checked).toBe(fleet.clusters.reduce((n, c) => n + c.workloads.length, 0) + hiveSecretReaders);
  });

  test(`audience is exactly ["${AUDIENCE}"], and ["openshift"] on an OpenShift cluster's issuer`, () => {
    expect(fics().filter(isOpenShiftOperatorFic).length).toBeGreaterThan(0);
    for (const fic of fics()) expect(fic.audience).toEqual([isOpenShiftOperatorFic(fic) ? 'openshift' : AUDIENCE]);
  });
});

describe('Azure resources', () => {
  test('role assignments to identities say principal_type ServicePrincipal', () => {
    const toIdentities = Object.values(resources('azurerm_role_assignment')).filter((r) =>
      /^\$\{(data\.)?azurerm_user_assigned_identity\.[^.]+\.principal_id\}$/.test(r.principal_id),
    );
    expect(toIdentities.length).toBeGreaterThan(0);
    for (const assignment of toIdentities) expect(assignment.principal_type).toBe('ServicePrincipal');
  });

  test('the verification identity has "Key Vault Secrets User" on the vault', () => {
    const verifying = fleet.clusters.flatMap((c) => c.workloads).filter((w) => w.verify);
    expect(verifying.length).toBeGreaterThan(0);
    for (const w of verifying) {
      const identity = ref('azurerm_user_assigned_identity', keyNamed('azurerm_user_assigned_identity', w.identity), 'principal_id');
      const vault = ref('azurerm_key_vault', keyNamed('azurerm_key_vault', w.verify!.keyVault), 'id');
      const grants = Object.values(resources('azurerm_role_assignment')).filter(
        (r) => r.principal_id === identity && r.scope === vault && r.role_definition_name === 'Key Vault Secrets User',
      );
      expect(grants).toHaveLength(1);
      expect(grants[0].principal_type).toBe('ServicePrincipal');
    }
  });

  test('key vaults use RBAC authorization (the 4.x name) and purge protection', () => {
    for (const { name } of fleet.keyVaults) {
      const vault = resources('azurerm_key_vault')[keyNamed('azurerm_key_vault', name)];
      expect(vault).toMatchObject({ rbac_authorization_enabled: true, purge_protection_enabled: true, tenant_id: fleet.azure.tenantId });
      expect(vault).not.toHaveProperty('enable_rbac_authorization');
    }
  });

  test('the new AKS cluster has the OIDC issuer and workload identity enabled; the existing one is not created', () => {
    const created = fleet.clusters.filter((c) => c.aks && !c.aks.existing).map((c) => c.name);
    expect(Object.values(resources('azurerm_kubernetes_cluster')).map((r) => r.name).sort()).toEqual(created.sort());
    for (const aks of Object.values(resources('azurerm_kubernetes_cluster'))) {
      expect(aks).toMatchObject({ oidc_issuer_enabled: true, workload_identity_enabled: true });
    }
  });

  test('existing groups and identities are referred to, neither created nor imported', () => {
    const groups = Object.values(resources('azurerm_resource_group')).map((r) => r.name);
    expect(groups).not.toContain('rg-billing-legacy');
    // OpenShift clusters make one identity per CredentialsRequest, named `<cluster>-...` (openshift.test.ts)
    const openshift = fleet.clusters.filter((c) => c.openshiftHive).map((c) => `${c.name}-`);
    const identities = Object.values(resources('azurerm_user_assigned_identity')).map((r) => r.name as string).filter((n) => !openshift.some((p) => n.startsWith(p)));
    expect(identities.sort()).toEqual(fleet.identities.filter((i) => !i.existing).map((i) => i.name).sort());
    expect(tf).not.toHaveProperty('import');
  });

  test('an output declares the client id of every new identity', () => {
    const outputs: Record<string, Json> = tf.output ?? {};
    for (const identity of fleet.identities.filter((i) => !i.existing)) {
      const value = ref('azurerm_user_assigned_identity', keyNamed('azurerm_user_assigned_identity', identity.name), 'client_id');
      expect(Object.values(outputs).filter((o) => o.value === value)).toHaveLength(1);
    }
  });

  test('the local state path is relative, from the stack folder to the state folder beside the fleet file', () => {
    const statePath: string = tf.terraform.backend.local.path;
    expect(path.isAbsolute(statePath)).toBe(false);
    const stackDir = path.join(out, 'terraform', 'stacks', fleet.name);
    expect(path.resolve(stackDir, statePath)).toBe(path.join(project, 'examples', 'terraform-state', `${fleet.name}.tfstate`));
  });

  test("synth loads single azurerm classes, never the provider's 1,500-module index", () => {
    assertLibIsCurrent();
    const script = `
      const { main } = require(${JSON.stringify(path.join(ROOT, 'lib', 'src', 'cli', 'main.js'))});
      const quiet = () => {};
      main(['synth', '-c', ${JSON.stringify(fleetFile)}, '-o', ${JSON.stringify(path.join(work, 'index-check'))}],
           { cwd: ${JSON.stringify(work)}, env: {}, out: quiet, err: (l) => process.stderr.write(l + '\\n') })
        .then((code) => process.stdout.write(JSON.stringify({ code,
          loaded: Object.keys(require.cache).filter((f) => f.includes('provider-azurerm')) })));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const { code, loaded } = JSON.parse(child.stdout) as { code: number; loaded: string[] };
    expect(code).toBe(0);
    expect(loaded.length).toBeGreaterThan(0); // the probe sees the provider's modules at all
    expect(loaded.filter((f) => /provider-azurerm[\\/]lib[\\/]index\.js$/.test(f))).toEqual([]);
    expect(loaded.length).toBeLessThan(100);
  });
});

describe('service accounts and values known after apply', () => {
  const placeholders = (): Array<{ output: string; usedBy: string[] }> => summary.placeholders;

  test('without outputs, a new identity\'s client-id is WISYNTH_PENDING:<its output>, listed in summary.json', () => {
    const used = new Set<string>();
    for (const cluster of fleet.clusters) {
      for (const w of cluster.workloads) {
        const clientId: string = serviceAccount(objects, cluster.name, w.namespace, w.serviceAccount).metadata.annotations[CLIENT_ID];
        const identity = identityDoc(w.identity);
        if (identity.existing) {
          expect(clientId).toBe(identity.existing.clientId);
          continue;
        }
        const pending = PENDING.exec(clientId);
        expect(pending).not.toBeNull();
        const output = pending![1];
        used.add(output);
        const client = ref('azurerm_user_assigned_identity', keyNamed('azurerm_user_assigned_identity', w.identity), 'client_id');
        expect(tf.output[output]?.value).toBe(client);
        const listed = placeholders().find((p) => p.output === output);
        expect(listed).toBeDefined();
        expect(listed!.usedBy.some((u) => u.includes(`kubernetes/${cluster.name}`) && u.includes(`${w.namespace}/${w.serviceAccount}`))).toBe(true);
      }
      if (cluster.capz) {
        // CAPZ's AzureClusterIdentity waits for its identity's client id in the same way
        const identity = (objects.get(cluster.name) ?? []).find((o) => o.obj.kind === 'AzureClusterIdentity')!.obj;
        const pending = PENDING.exec(identity.spec.clientID);
        expect(pending).not.toBeNull();
        used.add(pending![1]);
        expect(tf.output[pending![1]]?.value).toBe(ref('azurerm_user_assigned_identity', keyNamed('azurerm_user_assigned_identity', cluster.capz.identity), 'client_id'));
        const listed = placeholders().find((p) => p.output === pending![1]);
        expect(listed!.usedBy).toContain(`kubernetes/${cluster.name}: AzureClusterIdentity ${identity.metadata.namespace}/${identity.metadata.name} clientID`);
      }
    }
    // OpenShift clusters wait for their operators' and their secret reader's client ids, in their own folder
    for (const cluster of fleet.clusters.filter((c) => c.openshiftHive)) {
      const text = [...files.entries()].filter(([f]) => f.startsWith(`kubernetes/${cluster.name}/`)).map(([, c]) => c.toString()).join('\n');
      const found = [...text.matchAll(/WISYNTH_PENDING:([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
      expect(found.length).toBeGreaterThan(0);
      for (const output of found) {
        used.add(output);
        expect(placeholders().find((p) => p.output === output)!.usedBy.some((u) => u.startsWith(`kubernetes/${cluster.name}: `))).toBe(true);
      }
    }
    // The rest are the issuers of static websites, known after apply too.
    const websites = fleet.clusters.filter((c) => c.selfManaged?.issuer.hosting === 'staticWebsite').map((c) => `oidc_${c.name}_issuer_url`);
    expect(placeholders().map((p) => p.output).sort()).toEqual([...used, ...websites].sort());
  });

  /** What an apply would report: every declared output, with made-up but well-formed values. */
  function appliedValues(): Map<string, string> {
    return new Map(
      Object.keys(tf.output).map((name, i) => [
        name,
        name.endsWith('_issuer_url')
          ? `https://westeurope.oic.prod-aks.azure.com/${fleet.azure.tenantId}/00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}/`
          : `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      ]),
    );
  }

  const formats: Array<[string, (values: Map<string, string>) => unknown]> = [
    ['cdktf deploy --outputs-file ({stack: {name: value}})', (values) => ({ [fleet.name]: Object.fromEntries(values) })],
    [
      'terraform output -json ({name: {value, type, sensitive}})',
      (values) => Object.fromEntries([...values].map(([name, value]) => [name, { sensitive: false, type: 'string', value }])),
    ],
  ];

  test.each(formats)('after synth --outputs FILE from %s, client-ids carry the resolved ids', async (format, write) => {
    const values = appliedValues();
    const outputsFile = path.join(work, `outputs-${format.split(' ')[0]}.json`);
    fs.writeFileSync(outputsFile, JSON.stringify(write(values), null, 2));
    const resolvedOut = path.join(project, `resolved-${format.split(' ')[0]}`); // beside dist/: same relative state path
    expect(await synth('-c', fleetFile, '-o', resolvedOut, '--outputs', outputsFile)).toMatchObject({ code: 0, stderr: '' });

    const resolved = readTexts(resolvedOut);
    const resolvedObjects = clusterObjects(resolved);
    let replaced = 0;
    for (const cluster of fleet.clusters) {
      for (const w of cluster.workloads) {
        const before: string = serviceAccount(objects, cluster.name, w.namespace, w.serviceAccount).metadata.annotations[CLIENT_ID];
        const after: string = serviceAccount(resolvedObjects, cluster.name, w.namespace, w.serviceAccount).metadata.annotations[CLIENT_ID];
        const pending = PENDING.exec(before);
        if (pending) replaced++;
        expect(after).toBe(pending ? values.get(pending[1]) : before);
      }
    }
    expect(replaced).toBeGreaterThan(0);
    expect(JSON.parse(resolved.get('summary.json')!).placeholders).toEqual([]);
    expect([...resolved.values()].filter((text) => text.includes('WISYNTH_PENDING'))).toEqual([]);
    // outputs feed the cluster side only: the Terraform JSON does not change after apply
    expect(resolved.get('terraform/stacks/contoso/cdk.tf.json')).toBe(files.get('terraform/stacks/contoso/cdk.tf.json'));
  });

  test('--strict without outputs exits 1, names each missing output and writes nothing', async () => {
    const before = fs.readdirSync(project).sort();
    const strictOut = path.join(project, 'strict');
    const result = await synth('-c', fleetFile, '-o', strictOut, '--strict');
    expect(result.code).toBe(1);
    expect(placeholders().length).toBeGreaterThan(0);
    for (const { output } of placeholders()) expect(result.stderr).toContain(output);
    expect(fs.existsSync(strictOut)).toBe(false);
    expect(fs.readdirSync(project).sort()).toEqual(before); // no staging folder left behind

    // over a previous OUT, too, nothing changes
    expect((await synth('-c', fleetFile, '-o', out, '--strict')).code).toBe(1);
    expect(readTexts(out)).toEqual(files);
  });

  test('--strict with some outputs names only the ones still missing', async () => {
    const [known, ...missing] = placeholders().map((p) => p.output);
    expect(missing.length).toBeGreaterThan(0);
    const outputsFile = path.join(work, 'outputs-partial.json');
    fs.writeFileSync(outputsFile, JSON.stringify({ [known]: { value: '00000000-0000-4000-8000-000000000001', type: 'string', sensitive: false } }));
    const result = await synth('-c', fleetFile, '-o', path.join(work, 'partial'), '--outputs', outputsFile, '--strict');
    expect(result.code).toBe(1);
    for (const output of missing) expect(result.stderr).toContain(`"${output}"`);
    expect(result.stderr).not.toContain(`"${known}"`);
  });

  test('--strict with complete outputs succeeds', async () => {
    const outputsFile = path.join(work, 'outputs-complete.json');
    fs.writeFileSync(outputsFile, JSON.stringify({ [fleet.name]: Object.fromEntries(appliedValues()) }));
    const strictOut = path.join(work, 'strict-complete');
    expect(await synth('-c', fleetFile, '-o', strictOut, '--outputs', outputsFile, '--strict')).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(fs.readFileSync(path.join(strictOut, 'summary.json'), 'utf8')).placeholders).toEqual([]);
  });

  test("tenant-id is the fleet's tenant on every service account", () => {
    const accounts = [...objects.values()].flat().filter((o) => o.obj.kind === 'ServiceAccount');
    expect(accounts.length).toBe(fleet.clusters.reduce((n, c) => n + c.workloads.length, 0) + hiveSecretReaders);
    for (const { obj } of accounts) expect(obj.metadata.annotations[TENANT_ID]).toBe(fleet.azure.tenantId);
  });

  test('token-expiration is annotated only where it is not the default 3600', async () => {
    const expect3600 = (tree: Map<string, K8sObject[]>, doc: FleetDoc): void => {
      for (const cluster of doc.clusters) {
        for (const w of cluster.workloads ?? []) {
          const annotations = serviceAccount(tree, cluster.name, w.namespace, w.serviceAccount).metadata.annotations;
          const seconds = w.tokenExpirationSeconds;
          expect(annotations[TOKEN_EXPIRATION]).toBe(seconds !== undefined && seconds !== 3600 ? String(seconds) : undefined);
        }
      }
    };
    expect(fleet.clusters.some((c) => c.workloads.some((w) => w.tokenExpirationSeconds !== undefined))).toBe(true);
    expect3600(objects, fleet);

    // a workload that states the default explicitly gets no annotation either
    const variant = yaml.load(exampleText) as FleetDoc;
    variant.clusters[1].workloads[0].tokenExpirationSeconds = 3600;
    const variantFile = path.join(project, 'examples', 'fleet-3600.yaml');
    fs.writeFileSync(variantFile, yaml.dump(variant));
    const variantOut = path.join(work, 'variant-3600');
    expect((await synth('-c', variantFile, '-o', variantOut)).code).toBe(0);
    expect3600(clusterObjects(readTexts(variantOut)), variant);
  });
});

describe('cluster side', () => {
  test('the verification Deployment: webhook label on the pod, non-root, no escalation, vault URL and secret name', () => {
    for (const cluster of fleet.clusters) {
      const deployments = (objects.get(cluster.name) ?? []).map((o) => o.obj).filter((o) => o.kind === 'Deployment');
      const verifying = cluster.workloads.filter((w) => w.verify);
      expect(deployments).toHaveLength(verifying.length);
      for (const w of verifying) {
        const [deployment] = deployments.filter((d) => d.metadata.namespace === w.namespace && d.spec.template.spec.serviceAccountName === w.serviceAccount);
        expect(deployment).toBeDefined();
        const pod = deployment.spec.template;
        expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
        expect(pod.spec.containers.length).toBeGreaterThan(0);
        for (const container of pod.spec.containers) {
          expect(container.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot).toBe(true);
          expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
          expect(container.image).toMatch(/^ghcr\.io\/azure\/azure-workload-identity\/msal-go[:@]/);
          const env = Object.fromEntries((container.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
          expect(env).toMatchObject({ KEYVAULT_URL: `https://${w.verify!.keyVault}.vault.azure.net/`, SECRET_NAME: w.verify!.secretName });
        }
      }
    }
  });

  test('no webhook on AKS clusters: AKS runs its own, a second one conflicts', () => {
    for (const cluster of fleet.clusters.filter((c) => c.platform === 'aks')) {
      const kinds = (objects.get(cluster.name) ?? []).map((o) => o.obj.kind);
      expect(kinds.filter((k) => /^Helm|MutatingWebhookConfiguration/.test(k))).toEqual([]);
      const texts = [...files].filter(([f]) => f.startsWith(`kubernetes/${cluster.name}/`)).map(([, text]) => text);
      expect(texts.filter((t) => /workload-identity-webhook|azure-workload-identity-system/.test(t))).toEqual([]);
    }
  });

  test('each cluster folder has a kustomization.yaml listing exactly the other YAML files of the folder', () => {
    for (const cluster of fleet.clusters) {
      const folder = `kubernetes/${cluster.name}/`;
      const kustomization = yaml.load(files.get(`${folder}kustomization.yaml`) ?? '') as Json;
      expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
      const others = [...files.keys()].filter((f) => f.startsWith(folder) && f.endsWith('.yaml') && f !== `${folder}kustomization.yaml`).map((f) => f.slice(folder.length));
      expect(others.length).toBeGreaterThan(0);
      expect([...kustomization.resources].sort()).toEqual(others.sort());
      expect(new Set(kustomization.resources).size).toBe(kustomization.resources.length);
    }
  });
});

describe('determinism of what is written', () => {
  // (paths inside pods, such as /var/run/secrets/..., are not this machine's)
  test('no absolute path of this machine appears in any file', () => {
    const machinePaths = [work, fs.realpathSync(work), os.tmpdir(), process.cwd(), ROOT, os.homedir()].filter((p) => p.length > 1);
    const leaks = [...files].flatMap(([file, text]) => [
      ...machinePaths.filter((p) => text.includes(p)).map((p) => `${file}: ${p}`),
      ...(text.includes(path.basename(work)) ? [`${file}: temp folder name`] : []),
      ...(/(^|[\s"'=:])(\/(tmp|home|Users|private)\/|\/var\/(?!run\/secrets\/)|[A-Za-z]:\\)/m.test(text) ? [`${file}: absolute path`] : []),
    ]);
    expect(leaks).toEqual([]);
  });

  test('no timestamp appears in any file', () => {
    const stamps = [/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/, /\b(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/, /\b1\d{9}(\d{3})?\b/];
    const found = [...files].flatMap(([file, text]) => stamps.filter((s) => s.test(text)).map((s) => `${file}: ${s}`));
    expect(found).toEqual([]);
  });
});
