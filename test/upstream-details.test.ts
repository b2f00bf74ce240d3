/**
 * Details the upstream manifests and docs set (issue 13, item 6): the verification pod runs on Linux
 * nodes as the azure-workload-identity quick start's pod does; fleets in the national clouds plan
 * their FICs like any other (Entra lists no national cloud as unsupported); and service accounts in a
 * namespace wisynth does not create are listed in summary.json and reported by `check` when the
 * cluster's folder has no Namespace of that name.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { readArtifacts } from '../src/check/artifacts';
import { checkOut } from '../src/check/check';
import { objectSchemaErrors } from '../src/check/object-schema';
import { externalNamespacesRule } from '../src/check/rules/external-namespaces';
import { TrustModel } from '../src/check/trust';
import { FleetError, loadFleetFile, synthesizeFleet } from '../src/index';
import type { SynthSummary } from '../src/core/summary';

/** Parsed YAML or JSON, read field by field. */
type Json = any;

const ISSUER = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c/';

const TIDY_ISSUER = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/';

/** A small fleet: an existing AKS cluster with a created namespace, one it does not create, and `default`; another with only created ones. */
function fleetText(cloud?: string): string {
  return yaml.dump({
    name: 'details',
    azure: {
      tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a',
      subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      location: 'westeurope',
      ...(cloud ? { cloud } : {}),
    },
    resourceGroups: [{ name: 'rg-details' }],
    identities: [{ name: 'id-app', resourceGroup: 'rg-details' }],
    keyVaults: [{ name: 'kv-details-wi', resourceGroup: 'rg-details' }],
    clusters: [
      {
        name: 'aks-old',
        platform: 'aks',
        aks: { existing: { issuerUrl: ISSUER } },
        workloads: [
          { namespace: 'orders', serviceAccount: 'orders-api', identity: 'id-app', createNamespace: true, verify: { keyVault: 'kv-details-wi', secretName: 'hello' } },
          { namespace: 'billing', serviceAccount: 'billing-worker', identity: 'id-app' },
          { namespace: 'billing', serviceAccount: 'billing-api', identity: 'id-app' },
          { namespace: 'default', serviceAccount: 'tools', identity: 'id-app' },
        ],
      },
      {
        name: 'aks-tidy',
        platform: 'aks',
        aks: { existing: { issuerUrl: TIDY_ISSUER } },
        workloads: [{ namespace: 'reports', serviceAccount: 'report-builder', identity: 'id-app', createNamespace: true }],
      },
    ],
  });
}

let work: string;
let out: string;
let summary: SynthSummary;
let copies = 0;

function synth(name: string, cloud?: string): { dir: string; summary: SynthSummary } {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const fleetFile = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(fleetFile, fleetText(cloud));
  const outDir = path.join(dir, 'out');
  // check: false, so the tests see what synth writes whatever check says of it
  return { dir: outDir, summary: synthesizeFleet(loadFleetFile(fleetFile), { outDir, check: false }) };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-upstream-details-'));
  ({ dir: out, summary } = synth('public'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const readYaml = (dir: string, rel: string): Json => yaml.load(fs.readFileSync(path.join(dir, ...rel.split('/')), 'utf8'));
const writtenSummary = (dir: string): Json => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
const findingsOf = (dir: string) => externalNamespacesRule(new TrustModel(readArtifacts(dir)), {});

function copyOf(from: string): string {
  const dir = path.join(work, `copy-${++copies}`);
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/** Adds a Namespace object to the cluster folder and lists it in its kustomization.yaml, as synth would. */
function addNamespace(dir: string, name: string): void {
  const folder = 'kubernetes/aks-old';
  const file = `namespace_${name}.yaml`;
  fs.writeFileSync(path.join(dir, folder, file), yaml.dump({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const kustomization = readYaml(dir, `${folder}/kustomization.yaml`);
  kustomization.resources = [...kustomization.resources, file].sort();
  fs.writeFileSync(path.join(dir, folder, 'kustomization.yaml'), yaml.dump(kustomization));
}

describe('the verification pod', () => {
  const DEPLOYMENT = 'kubernetes/aks-old/deployment_orders_verify-orders-api.yaml';

  test('is pinned to Linux nodes: nodeSelector kubernetes.io/os: linux, as the quick start pod', () => {
    expect(readYaml(out, DEPLOYMENT).spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('is valid against the vendored Kubernetes schema, and the schema does read nodeSelector', () => {
    const deployment = readYaml(out, DEPLOYMENT);
    expect(objectSchemaErrors(deployment)).toEqual([]);
    deployment.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 1 };
    expect(objectSchemaErrors(deployment)).toEqual([expect.stringContaining('/spec/template/spec/nodeSelector/kubernetes.io~1os must be string')]);
  });
});

describe('national clouds', () => {
  // Entra's "Important considerations and restrictions for federated identity credentials"
  // (MicrosoftDocs/entra-docs docs/workload-id/workload-identity-federation-considerations.md,
  // "Unsupported regions (user-assigned managed identities)") lists single public regions, no national
  // cloud; so no cloud-wide warning is given (see the report of issue 13, item 6).
  test.each(['usgovernment', 'china'])('a fleet in %s plans its FICs with no more warnings than in the public cloud', (cloud) => {
    const national = synth(cloud, cloud);
    expect(national.summary.warnings).toEqual(summary.warnings);
    const stack = JSON.parse(fs.readFileSync(path.join(national.dir, 'terraform/stacks/details/cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource.azurerm_federated_identity_credential)).toHaveLength(5);
  });
});

describe('namespaces wisynth does not create', () => {
  test('summary.json lists them per cluster with their service accounts, sorted; a created namespace is not listed', () => {
    expect(writtenSummary(out).clusters[0].externalNamespaces).toEqual([
      { namespace: 'billing', serviceAccounts: ['billing-api', 'billing-worker'] },
      { namespace: 'default', serviceAccounts: ['tools'] },
    ]);
    expect(summary.clusters[0].externalNamespaces).toEqual(writtenSummary(out).clusters[0].externalNamespaces);
  });

  test('a cluster whose namespaces are all created has no externalNamespaces field', () => {
    expect(writtenSummary(out).clusters.filter((c: Json) => 'externalNamespaces' in c).map((c: Json) => c.name)).toEqual(['aks-old']);
  });

  test('`wisynth check` runs the rule: the warnings are in its report, and it still passes', () => {
    const report = checkOut(out);
    expect(report.ok).toBe(true);
    expect(report.findings.filter((f) => f.rule === 'external-namespace').map((f) => f.object)).toEqual([
      'ServiceAccount billing/billing-api',
      'ServiceAccount billing/billing-worker',
    ]);
  });

  test('check warns once per service account when the folder has no Namespace, naming namespace, service account and the fix', () => {
    const findings = findingsOf(out);
    expect(findings.map((f) => ({ severity: f.severity, rule: f.rule, file: f.file, object: f.object }))).toEqual([
      { severity: 'warning', rule: 'external-namespace', file: 'kubernetes/aks-old/serviceaccount_billing_billing-api.yaml', object: 'ServiceAccount billing/billing-api' },
      { severity: 'warning', rule: 'external-namespace', file: 'kubernetes/aks-old/serviceaccount_billing_billing-worker.yaml', object: 'ServiceAccount billing/billing-worker' },
    ]);
    for (const f of findings) {
      expect(f.message).toContain('"billing"');
      expect(f.message).toMatch(/ServiceAccount billing\/billing-(api|worker)/);
      expect(f.fix).toContain('create namespace "billing"');
      expect(f.fix).toContain('createNamespace: true');
    }
  });

  test('no warning for `default`, which every cluster has', () => {
    expect(findingsOf(out).filter((f) => f.message.includes('"default"'))).toEqual([]);
  });

  test('no warning once the folder holds a Namespace of that name', () => {
    const dir = copyOf(out);
    addNamespace(dir, 'billing');
    expect(findingsOf(dir)).toEqual([]);
  });

  test('a summary.json of before the field is read as listing none', () => {
    const dir = copyOf(out);
    const s = writtenSummary(dir);
    for (const c of s.clusters) delete c.externalNamespaces;
    fs.writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
    expect(findingsOf(dir)).toEqual([]);
  });

  test.each([
    ['a string', (c: Json) => (c.externalNamespaces = 'billing'), ['clusters', 0, 'externalNamespaces']],
    ['an entry without service accounts', (c: Json) => (c.externalNamespaces = [{ namespace: 'billing' }]), ['clusters', 0, 'externalNamespaces', 0, 'serviceAccounts']],
    ['a service account that is not a string', (c: Json) => (c.externalNamespaces = [{ namespace: 'billing', serviceAccounts: [7] }]), ['clusters', 0, 'externalNamespaces', 0, 'serviceAccounts', 0]],
  ])('a summary.json whose externalNamespaces holds %s is refused, naming the field', (_what, edit, source) => {
    const dir = copyOf(out);
    const s = writtenSummary(dir);
    edit(s.clusters[0]);
    fs.writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
    let thrown: unknown;
    try {
      readArtifacts(dir);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FleetError);
    expect((thrown as FleetError).issues).toEqual([expect.objectContaining({ source })]);
  });
});
