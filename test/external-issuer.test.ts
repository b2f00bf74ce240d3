/**
 * `platform: external-issuer`: a cluster whose OIDC issuer someone else hosts (EKS, GKE, any Kubernetes
 * with a public issuer). wisynth writes its FICs on the issuer as given, its annotated service accounts
 * and the webhook install (only AKS runs the webhook for itself), and `check` proves them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { CheckReport } from '../src/check/check';
import { ExternalIssuerCluster, Fleet, ManagedIdentity, ResourceGroup, synthesizeFleet } from '../src/index';
import { readTree, runCli } from './support';

/** Parsed YAML or JSON, read field by field. */
type Json = any;

/** An EKS issuer: its id is upper-case hexadecimal, and Entra compares it byte for byte. */
const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C64F4A2B1E8D7C3F6A9B0E2D1C4F7A8';
const STACK = 'terraform/stacks/ext/cdk.tf.json';

const fleetYaml = (externalIssuer: string) => `name: ext
azure:
  tenantId: 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a
  subscriptionId: 2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c
  location: westeurope
resourceGroups:
  - name: rg-ids
identities:
  - name: id-shop
    resourceGroup: rg-ids
clusters:
  - name: eks-prod
    platform: external-issuer
${externalIssuer}    workloads:
      - namespace: shop
        serviceAccount: shop-api
        identity: id-shop
        createNamespace: true
`;
const FLEET = fleetYaml(`    externalIssuer:\n      issuerUrl: ${ISSUER}\n`);

let work: string;
let cases = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-external-issuer-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

async function synth(text: string): Promise<{ dir: string; code: number; stderr: string }> {
  const dir = path.join(work, `case-${++cases}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
  return { dir, code: run.code, stderr: run.stderr };
}

async function check(dir: string): Promise<CheckReport> {
  return JSON.parse((await runCli(['check', 'out', '--json'], dir)).stdout) as CheckReport;
}

describe('an EKS cluster federating into Entra', () => {
  let dir: string;
  let files: Map<string, Buffer>;
  let tf: Json;
  beforeAll(async () => {
    const s = await synth(FLEET);
    expect(s.stderr).toBe('');
    dir = s.dir;
    files = readTree(path.join(dir, 'out'));
    tf = JSON.parse(files.get(STACK)!.toString());
  });

  test('the FIC carries the issuer as given, byte for byte, with the service account as subject', () => {
    expect(Object.values<Json>(tf.resource.azurerm_federated_identity_credential)).toEqual([
      expect.objectContaining({ issuer: ISSUER, subject: 'system:serviceaccount:shop:shop-api', audience: ['api://AzureADTokenExchange'], name: 'eks-prod_shop_shop-api' }),
    ]);
  });

  test('nothing is made in Azure for the cluster itself: no issuer storage, no AKS cluster', () => {
    expect(Object.keys(tf.resource).sort()).toEqual(['azurerm_federated_identity_credential', 'azurerm_resource_group', 'azurerm_user_assigned_identity']);
  });

  test('the cluster gets the webhook (Flux HelmRepository and HelmRelease) and its Helm values, and the annotated service account', () => {
    const objects = [...files].filter(([f]) => f.startsWith('kubernetes/eks-prod/') && !f.endsWith('kustomization.yaml')).map(([, c]) => yaml.load(c.toString()) as Json);
    expect(objects.map((o) => o.kind).sort()).toEqual(['HelmRelease', 'HelmRepository', 'Namespace', 'Namespace', 'ServiceAccount']);
    const sa = objects.find((o) => o.kind === 'ServiceAccount');
    expect(sa.metadata.annotations['azure.workload.identity/tenant-id']).toBe('4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a');
    expect(files.has('clusters/eks-prod/webhook-values.yaml')).toBe(true);
  });

  test('summary.json records the platform and the issuer, and check passes', async () => {
    const summary = JSON.parse(files.get('summary.json')!.toString());
    expect(summary.clusters).toEqual([expect.objectContaining({ name: 'eks-prod', platform: 'external-issuer', issuer: ISSUER })]);
    const report = await check(dir);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('check: without the webhook install the annotated service account gets no token (webhook)', async () => {
    const copy = path.join(work, 'no-webhook');
    fs.cpSync(dir, copy, { recursive: true });
    const out = path.join(copy, 'out');
    for (const f of [...files.keys()].filter((f) => /helmre(lease|pository)_/.test(f) || f.endsWith('webhook-values.yaml'))) fs.rmSync(path.join(out, f));
    const kustomization = path.join(out, 'kubernetes', 'eks-prod', 'kustomization.yaml');
    const k = yaml.load(fs.readFileSync(kustomization, 'utf8')) as Json;
    k.resources = k.resources.filter((r: string) => !/helmre(lease|pository)_/.test(r));
    fs.writeFileSync(kustomization, yaml.dump(k));
    const report = await check(copy);
    // the values file summary.json lists is gone too: that is named on its own
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({ rule: 'webhook', object: 'ServiceAccount shop/shop-api' }),
      expect.objectContaining({ rule: 'webhook', file: 'summary.json', object: 'cluster eks-prod', message: expect.stringContaining('clusters/eks-prod/webhook-values.yaml') }),
    ]);
  });

  test('check: a FIC whose issuer lost its case is reported with the cluster it nearly matches (fic-issuer)', async () => {
    const copy = path.join(work, 'lower-case');
    fs.cpSync(dir, copy, { recursive: true });
    const stack = path.join(copy, 'out', ...STACK.split('/'));
    const mutated = structuredClone(tf);
    for (const fic of Object.values<Json>(mutated.resource.azurerm_federated_identity_credential)) fic.issuer = ISSUER.toLowerCase();
    fs.writeFileSync(stack, JSON.stringify(mutated, null, 2));
    const errors = (await check(copy)).findings.filter((f) => f.severity === 'error');
    expect(errors).toContainEqual(expect.objectContaining({ rule: 'fic-issuer', message: expect.stringContaining('(they differ in case)') }));
  });

  test('the same cluster said in TypeScript writes the same files', () => {
    const fleet = new Fleet({ name: 'ext', azure: { tenantId: '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', subscriptionId: '2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c', location: 'westeurope' }, baseDir: dir });
    const identity = new ManagedIdentity(fleet, 'id-shop', { resourceGroup: new ResourceGroup(fleet, 'rg-ids') });
    new ExternalIssuerCluster(fleet, 'eks-prod', { issuerUrl: ISSUER }).addWorkload({ namespace: 'shop', serviceAccount: 'shop-api', identity, createNamespace: true });
    const out = path.join(dir, 'from-code');
    synthesizeFleet(fleet, { outDir: out });
    const fromCode = readTree(out);
    for (const [file, content] of files) if (file !== 'summary.json') expect([file, fromCode.get(file)?.toString()]).toEqual([file, content.toString()]);
  });
});

describe('fleet mistakes', () => {
  test.each([
    ['no externalIssuer', '', 'missing required field "externalIssuer"'],
    ['no issuerUrl', '    externalIssuer: {}\n', 'missing required field "issuerUrl"'],
    ['http', '    externalIssuer:\n      issuerUrl: http://oidc.example.com\n', 'clusters[0].externalIssuer.issuerUrl'],
    ['a space at the end', `    externalIssuer:\n      issuerUrl: "${ISSUER} "\n`, 'has leading or trailing whitespace'],
  ])('%s: refused with field and fix, nothing written', async (_what, lines, message) => {
    const s = await synth(fleetYaml(lines));
    expect(s.code).toBe(1);
    expect(s.stderr).toContain(message);
    expect(s.stderr).toMatch(/\n {2}fix: \S/);
    expect(fs.existsSync(path.join(s.dir, 'out'))).toBe(false);
  });
});
