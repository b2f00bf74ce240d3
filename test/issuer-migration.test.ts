/**
 * A cluster that moves to a new issuer (recreated, or replaced blue-green) keeps a FIC for every federated
 * service account on each previous issuer, beside the current one, until the entry is removed; the FICs
 * count against Entra's 20 per identity; check and graph tell which FICs are for which issuer.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { checkOut } from '../src/check/check';
import { readArtifacts } from '../src/check/artifacts';
import { TrustModel } from '../src/check/trust';
import { trustGraphMarkdown } from '../src/graph/trust-graph';
import YAML from 'yaml';
import { AksCluster, ExternalIssuerCluster, Fleet, FleetError, loadFleetFile, ManagedIdentity, planFleet, ResourceGroup, synthesizeFleet } from '../src/index';
import { copyExampleInputs, ROOT } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const AZURE = { tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', location: 'westeurope' };
const OLD_AKS = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/0f1e2d3c-4b5a-4968-8776-655443322110/';
const EKS = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C64F4A2B1E8D7C3F6A9B0E2D1C4F7A8';
const OLD_EKS = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-migration-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A recreated AKS cluster (new issuer, read by Terraform) and an EKS cluster, each moving away from its old issuer. */
function fleet(previous: { aks?: Array<string | { issuer: string; retireAfter?: string }>; eks?: string[] } = {}, workloads = 1) {
  const f = new Fleet(new Construct(undefined as unknown as Construct, 'user'), 'fleet', { name: 'shop', azure: AZURE, baseDir: work });
  const group = ResourceGroup.fromExisting(f, 'group', { name: 'rg-shop' });
  const identity = new ManagedIdentity(f, 'api', { name: 'id-shop', resourceGroup: group });
  const aks = AksCluster.fromExisting(f, 'aks-shop', { resourceGroup: group, previousIssuers: previous.aks });
  const eks = new ExternalIssuerCluster(f, 'eks-shop', { issuerUrl: EKS, previousIssuers: previous.eks });
  for (let i = 0; i < workloads; i++) {
    aks.addWorkload({ namespace: 'shop', serviceAccount: `api-${i}`, identity });
    eks.addWorkload({ namespace: 'shop', serviceAccount: `api-${i}`, identity });
  }
  return f;
}

describe('the plan', () => {
  test('each federated service account gets a FIC on each previous issuer, beside the current one', () => {
    const plan = planFleet(fleet({ aks: [{ issuer: OLD_AKS, retireAfter: '2027-01-31' }], eks: [OLD_EKS] }));
    const fics = plan.federatedCredentials.map((f) => [f.cluster, f.issuer.kind === 'literal' ? f.issuer.value : `(issuer of ${f.issuer.cluster})`, f.subject, f.previousIssuer ?? false]);
    expect(fics).toEqual([
      ['aks-shop', '(issuer of aks-shop)', 'system:serviceaccount:shop:api-0', false],
      ['aks-shop', OLD_AKS, 'system:serviceaccount:shop:api-0', true],
      ['eks-shop', EKS, 'system:serviceaccount:shop:api-0', false],
      ['eks-shop', OLD_EKS, 'system:serviceaccount:shop:api-0', true],
    ]);
    expect(new Set(plan.federatedCredentials.map((f) => f.name)).size).toBe(4);
    expect(plan.clusters.map((c) => c.previousIssuers)).toEqual([[{ issuer: OLD_AKS, retireAfter: '2027-01-31' }], [{ issuer: OLD_EKS }]]);
  });

  test('the FICs count against the 20 of an identity: a migration that would exceed them is refused, naming the identity', () => {
    expect(planFleet(fleet({ aks: [OLD_AKS] }, 6)).federatedCredentials).toHaveLength(18);
    const refused = (() => {
      try {
        planFleet(fleet({ aks: [OLD_AKS], eks: [OLD_EKS] }, 6));
      } catch (e) {
        return e as FleetError;
      }
      return undefined;
    })();
    expect(refused?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^identity "id-shop" would carry 24 federated credentials .*; Entra allows 20, and 12 of them are for previous issuers$/)]);
    expect(refused?.issues[0].fix).toMatch(/retire a previous issuer first/);
  });

  test.each([
    ['a previous issuer that is no issuer URL', { eks: ['http://oidc.example.com/old'] }, /previousIssuers\[0\]/],
    ['one listed twice', { eks: [OLD_EKS, OLD_EKS] }, /"https:\/\/oidc\.eks\..*" is listed twice/],
    ['the current issuer itself', { eks: [EKS] }, /is the cluster's issuer itself/],
    ['a retireAfter that is no day', { aks: [{ issuer: OLD_AKS, retireAfter: '2027-02-30' }] }, /retireAfter "2027-02-30" is not a day of the calendar/],
  ])('%s is refused', (_name, previous, message) => {
    expect(() => planFleet(fleet(previous))).toThrow(message);
  });

  test('blue-green: the old cluster still in the fleet, the new one listing its issuer, share one FIC per subject (Entra allows one)', () => {
    const f = new Fleet(new Construct(undefined as unknown as Construct, 'user'), 'fleet', { name: 'shop', azure: AZURE, baseDir: work });
    const group = ResourceGroup.fromExisting(f, 'group', { name: 'rg-shop' });
    const identity = new ManagedIdentity(f, 'api', { name: 'id-shop', resourceGroup: group });
    new ExternalIssuerCluster(f, 'eks-blue', { issuerUrl: OLD_EKS }).addWorkload({ namespace: 'shop', serviceAccount: 'api', identity });
    new ExternalIssuerCluster(f, 'eks-green', { issuerUrl: EKS, previousIssuers: [OLD_EKS] }).addWorkload({ namespace: 'shop', serviceAccount: 'api', identity });
    const plan = planFleet(f);
    expect(plan.federatedCredentials.map((f) => [f.cluster, (f.issuer as Json).value])).toEqual([
      ['eks-blue', OLD_EKS],
      ['eks-green', EKS],
    ]);
  });
});

describe('the output', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(work, 'out');
    synthesizeFleet(fleet({ aks: [{ issuer: OLD_AKS, retireAfter: '2027-01-31' }], eks: [OLD_EKS] }), { outDir: out });
  });

  test('summary.json lists the previous issuers, and check takes their FICs for the cluster', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Json;
    expect(summary.clusters.map((c: Json) => c.previousIssuers)).toEqual([[{ issuer: OLD_AKS, retireAfter: '2027-01-31' }], [{ issuer: OLD_EKS }]]);
    const model = new TrustModel(readArtifacts(out));
    const previous = model.federatedCredentials.filter((f) => model.clusterOf(f)?.previous).map((f) => [model.clusterOf(f)!.cluster.summary.name, f.issuer]);
    expect(previous.sort()).toEqual([['aks-shop', OLD_AKS], ['eks-shop', OLD_EKS]]);
    expect(checkOut(out, { today: '2026-12-01' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('after its retireAfter day, check warns that a previous issuer is still listed; before it, nothing', () => {
    expect(checkOut(out, { today: '2027-01-31' }).findings.filter((f) => f.rule === 'previous-issuer')).toEqual([]);
    expect(checkOut(out, { today: '2027-02-01' }).findings.filter((f) => f.rule === 'previous-issuer')).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'summary.json', object: 'clusters[0].previousIssuers[0]', message: expect.stringContaining(`previous issuer "${OLD_AKS}", to be retired after 2027-01-31`) }),
    ]);
  });

  test('without previousIssuers in summary.json (a FIC made by hand), the same FIC is on no cluster\'s issuer', () => {
    const copy = path.join(work, 'unlisted');
    fs.cpSync(out, copy, { recursive: true });
    const summary = JSON.parse(fs.readFileSync(path.join(copy, 'summary.json'), 'utf8')) as Json;
    for (const c of summary.clusters) delete c.previousIssuers;
    fs.writeFileSync(path.join(copy, 'summary.json'), JSON.stringify(summary, null, 2));
    expect(checkOut(copy).findings.filter((f) => f.rule === 'fic-issuer').map((f) => f.severity)).toEqual(['error', 'error']);
  });

  test('graph draws the previous issuer as a node of its own, with its FICs', () => {
    const graph = trustGraphMarkdown(new TrustModel(readArtifacts(out)));
    expect(graph).toContain(`previous issuer ${OLD_AKS}`);
    expect(graph).toContain(`previous issuer ${OLD_EKS}`);
  });

  test('removing the entry ends the migration: its FICs go, and nothing else of the Terraform changes', () => {
    const done = path.join(work, 'done');
    synthesizeFleet(fleet({ eks: [OLD_EKS] }), { outDir: done });
    const resources = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'terraform', 'stacks', 'shop', 'cdk.tf.json'), 'utf8')).resource as Json;
    const before = resources(out);
    const after = resources(done);
    const gone = Object.keys(before.azurerm_federated_identity_credential).filter((k) => !(k in after.azurerm_federated_identity_credential));
    expect(gone.map((k) => before.azurerm_federated_identity_credential[k].issuer)).toEqual([OLD_AKS]);
    for (const type of Object.keys(after)) for (const [id, block] of Object.entries<Json>(after[type])) expect({ id, block }).toEqual({ id, block: before[type][id] });
  });
});

test("the Hive hub's previous issuers reach its secret reader: External Secrets on the hub is one of its federated service accounts", () => {
  const dir = fs.mkdtempSync(path.join(work, 'hub-'));
  copyExampleInputs(dir);
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8'));
  doc.clusters.find((c: Json) => c.name === 'aks-prod').previousIssuers = [OLD_AKS];
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), YAML.stringify(doc));
  const plan = planFleet(loadFleetFile(path.join(dir, 'fleet.yaml')));
  const reader = plan.federatedCredentials.filter((f) => f.identity === 'id-hive-secrets').map((f) => [f.cluster, f.previousIssuer ?? false, f.subject]);
  expect(reader).toEqual([
    ['aks-prod', false, 'system:serviceaccount:ocp-prod:hive-secrets-reader'],
    ['aks-prod', true, 'system:serviceaccount:ocp-prod:hive-secrets-reader'],
  ]);
});
