/**
 * `check`'s api-server-issuer rule against single faults in a synthesized OUT: kube-apiserver issues
 * tokens with its first `--service-account-issuer` and accepts any of them
 * (kubernetes/kubernetes `pkg/kubeapiserver/options/authentication.go`), Entra compares `iss` byte for byte.
 * - an API server file whose issuers lack the FIC's issuer: an error on that file, reported once;
 * - a FIC whose issuer is only a previous (non-first) issuer of an API server: a warning on the FIC, not fic-issuer;
 *   kubeadm's default there: an error (Entra cannot fetch its discovery document);
 * - a FIC whose issuer no API server knows: still fic-issuer.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { CheckReport } from '../src/check/check';
import type { Finding } from '../src/check/finding';
import { runCli, writeKeyPair } from './support';

/** Parsed YAML or JSON. */
type Json = any;

const TENANT = '0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const SUBSCRIPTION = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const KUBEADM_OLD = 'https://issuer.example.com/kubeadm-old';
const GS_OLD = 'https://issuer.example.com/gs-old';
const KIND_ISSUER = 'https://stwisynthkindair.blob.core.windows.net/kind';
const KUBEADM_ISSUER = 'https://stwisynthkadmair.blob.core.windows.net/kubeadm';
const GS_ISSUER = 'https://stwisynthgsair.blob.core.windows.net/gsp';
const STACK = 'terraform/stacks/air/cdk.tf.json';
const FIC = 'azurerm_federated_identity_credential';
const KIND_FILE = 'clusters/kind-air/kind-cluster.yaml';
const KUBEADM_FILE = 'clusters/kubeadm-air/kubeadm-cluster-configuration.yaml';
const GS_FILE = 'clusters/gs-air/giantswarm-values.yaml';
const GS_OBJECT = 'cluster.providerIntegration.controlPlane.kubeadmConfig.clusterConfiguration.apiServer.serviceAccountIssuers';

function cluster(name: string, distribution: string, account: string, container: string, extra: string): string {
  return `  - name: ${name}
    platform: self-managed
    selfManaged:
      distribution: ${distribution}${extra}
      issuer:
        hosting: blobContainer
        storageAccount: ${account}
        resourceGroup: rg-air
        container: ${container}
      serviceAccountKeys:
        publicKeyFiles:
          - keys/sa.pub${distribution === 'giantswarm' ? '' : '\n        privateKeyFile: keys/sa.key'}
    workloads:
      - namespace: orders
        serviceAccount: orders-api
        identity: id-orders
        createNamespace: true`;
}

const FLEET = `name: air
azure:
  tenantId: ${TENANT}
  subscriptionId: ${SUBSCRIPTION}
  location: westeurope
resourceGroups:
  - name: rg-air
identities:
  - name: id-orders
    resourceGroup: rg-air
clusters:
${cluster('kind-air', 'kind', 'stwisynthkindair', 'kind', '')}
${cluster('kubeadm-air', 'kubeadm', 'stwisynthkadmair', 'kubeadm', `\n      previousIssuers:\n        - ${KUBEADM_OLD}\n        - ${DEFAULT_ISSUER}`)}
${cluster('gs-air', 'giantswarm', 'stwisynthgsair', 'gsp', `\n      previousIssuers:\n        - ${GS_OLD}`)}
`;

let dir: string;
let out: string;
let copies = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-api-server-issuer-'));
  writeKeyPair(path.join(dir, 'keys'));
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), FLEET);
  const synth = await runCli(['synth', '-c', path.join(dir, 'fleet.yaml'), '-o', 'out'], dir);
  if (synth.code !== 0) throw new Error(`synth failed (${synth.code}):\n${synth.stdout}\n${synth.stderr}`);
  out = path.join(dir, 'out');
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const to = path.join(dir, `case-${++copies}`);
  fs.cpSync(out, to, { recursive: true });
  return to;
}

const file = (at: string, rel: string) => path.join(at, ...rel.split('/'));

function editYaml(at: string, rel: string, edit: (doc: Json) => void): void {
  const doc = yaml.load(fs.readFileSync(file(at, rel), 'utf8')) as Json;
  edit(doc);
  fs.writeFileSync(file(at, rel), yaml.dump(doc));
}

function editStack(at: string, edit: (resources: Json) => void): void {
  const doc = JSON.parse(fs.readFileSync(file(at, STACK), 'utf8'));
  edit(doc.resource);
  fs.writeFileSync(file(at, STACK), `${JSON.stringify(doc, null, 2)}\n`);
}

/**
 * The copy as an older wisynth wrote it, before previous issuers had FICs of their own: no FIC on a previous
 * issuer, and no `previousIssuers` in summary.json (the API server files still list them).
 */
function withoutPreviousIssuerFics(at: string): void {
  editStack(at, (r) => {
    for (const [id, fic] of Object.entries<Json>(r[FIC])) if (/_previous_[0-9a-f]{8}$/.test(id) && fic) delete r[FIC][id];
  });
  const summary = JSON.parse(fs.readFileSync(file(at, 'summary.json'), 'utf8'));
  for (const c of summary.clusters) delete c.previousIssuers;
  fs.writeFileSync(file(at, 'summary.json'), JSON.stringify(summary, null, 2));
}

/** Copies the FIC of `cluster` under a new key with a new name and the given issuer; returns its address. */
function addFic(at: string, cluster: string, issuer: string): string {
  const id = `fic_id-orders_${cluster}_orders_orders-api-previous`;
  editStack(at, (r) => {
    const original = r[FIC][`fic_id-orders_${cluster}_orders_orders-api`];
    expect(original).toBeDefined();
    r[FIC][id] = { ...original, name: `${original.name}-previous`, issuer };
  });
  return `${FIC}.${id}`;
}

async function findings(at: string): Promise<Finding[]> {
  const r = await runCli(['check', at, '--json'], dir);
  return [...(JSON.parse(r.stdout) as CheckReport).findings];
}

const errorsOf = (all: Finding[]) => all.filter((f) => f.severity === 'error');
const ofRule = (all: Finding[], rule: string) => all.filter((f) => f.rule === rule);

test('the synthesized files are as this test assumes', () => {
  const kubeadm = yaml.load(fs.readFileSync(file(out, KUBEADM_FILE), 'utf8')) as Json;
  const issuers = kubeadm.apiServer.extraArgs.filter((a: Json) => a.name === 'service-account-issuer').map((a: Json) => a.value);
  expect(issuers).toEqual([KUBEADM_ISSUER, KUBEADM_OLD, DEFAULT_ISSUER]);
  const gs = yaml.load(fs.readFileSync(file(out, GS_FILE), 'utf8')) as Json;
  expect(GS_OBJECT.split('.').reduce((o: Json, k) => o[k], gs).map((i: Json) => i.url)).toEqual([GS_ISSUER, GS_OLD]);
  expect(fs.readFileSync(file(out, KIND_FILE), 'utf8')).toContain(KIND_ISSUER);
});

test('the untouched output passes, with no api-server-issuer finding', async () => {
  const all = await findings(copy());
  expect(errorsOf(all)).toEqual([]);
  expect(ofRule(all, 'api-server-issuer')).toEqual([]);
});

test("a kubeadm fragment without the cluster's issuer (previous ones left): one api-server-issuer error on the fragment", async () => {
  const at = copy();
  editYaml(at, KUBEADM_FILE, (doc) => {
    doc.apiServer.extraArgs = doc.apiServer.extraArgs.filter((a: Json) => a.value !== KUBEADM_ISSUER);
  });
  const errors = errorsOf(await findings(at));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ rule: 'api-server-issuer', file: KUBEADM_FILE, object: 'apiServer.extraArgs service-account-issuer' });
  expect(errors[0].message).toContain(`neither issues nor accepts tokens with issuer "${KUBEADM_ISSUER}"`);
  expect(errors[0].message).toContain(`it issues with "${KUBEADM_OLD}" and also accepts "${DEFAULT_ISSUER}"`);
  expect(errors[0].message).toContain(`${FIC}.fic_id-orders_kubeadm-air_orders_orders-api`);
  expect(errors[0].fix).toContain(`put "${KUBEADM_ISSUER}" first`);
});

test("a kubeadm fragment with the cluster's issuer second: still accepted, so issuer-sources alone reports the first value", async () => {
  const at = copy();
  editYaml(at, KUBEADM_FILE, (doc) => {
    const args: Json[] = doc.apiServer.extraArgs;
    const hosted = args.findIndex((a) => a.value === KUBEADM_ISSUER);
    const old = args.findIndex((a) => a.value === KUBEADM_OLD);
    [args[hosted], args[old]] = [args[old], args[hosted]];
  });
  const errors = errorsOf(await findings(at));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ rule: 'issuer-sources', file: KUBEADM_FILE, object: 'apiServer.extraArgs service-account-issuer' });
});

test("a kind patch whose issuer changed: one api-server-issuer error on the patch, naming the near miss", async () => {
  const at = copy();
  editYaml(at, KIND_FILE, (config) => {
    config.kubeadmConfigPatches = config.kubeadmConfigPatches.map((text: string) => {
      const patch = yaml.load(text) as Json;
      if (patch.kind === 'ClusterConfiguration') patch.apiServer.extraArgs['service-account-issuer'] = `${KIND_ISSUER}/`;
      return yaml.dump(patch);
    });
  });
  const errors = errorsOf(await findings(at));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ rule: 'api-server-issuer', file: KIND_FILE, object: 'kubeadmConfigPatches ClusterConfiguration service-account-issuer' });
  expect(errors[0].message).toContain(`neither issues nor accepts tokens with issuer "${KIND_ISSUER}"`);
  expect(errors[0].message).toContain(`it issues and accepts only "${KIND_ISSUER}/", they differ by a trailing slash`);
});

test("Giant Swarm values whose issuer list lacks the cluster's issuer: one api-server-issuer error on the list", async () => {
  const at = copy();
  editYaml(at, GS_FILE, (doc) => {
    const api = doc.cluster.providerIntegration.controlPlane.kubeadmConfig.clusterConfiguration.apiServer;
    api.serviceAccountIssuers = api.serviceAccountIssuers.filter((i: Json) => i.url !== GS_ISSUER);
  });
  const errors = errorsOf(await findings(at));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ rule: 'api-server-issuer', file: GS_FILE, object: GS_OBJECT });
  expect(errors[0].message).toContain(`neither issues nor accepts tokens with issuer "${GS_ISSUER}"`);
});

test('synth writes the FICs of the declared previous issuers itself (none for the default issuer), and check takes them for the cluster\'s', async () => {
  const stack = JSON.parse(fs.readFileSync(file(out, STACK), 'utf8'));
  const previous = Object.values<Json>(stack.resource[FIC]).filter((f) => f.name.includes('_previous-'));
  expect(previous.map((f) => [f.issuer, f.subject]).sort()).toEqual([
    [GS_OLD, 'system:serviceaccount:orders:orders-api'],
    [KUBEADM_OLD, 'system:serviceaccount:orders:orders-api'],
  ]);
  const all = await findings(out);
  expect(errorsOf(all)).toEqual([]);
  expect(ofRule(all, 'api-server-issuer')).toEqual([]);
});

test("a FIC for the kubeadm cluster's previous issuer that summary.json does not list (an older OUT, a FIC made by hand): an api-server-issuer warning on it, and no fic-issuer", async () => {
  const at = copy();
  withoutPreviousIssuerFics(at);
  const address = addFic(at, 'kubeadm-air', KUBEADM_OLD);
  const all = await findings(at);
  expect(errorsOf(all)).toEqual([]);
  const mine = all.filter((f) => f.object === address);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ severity: 'warning', rule: 'api-server-issuer', file: STACK, object: address });
  expect(mine[0].message).toContain(`accepts it as a previous issuer but issues no new tokens with it (it issues with "${KUBEADM_ISSUER}")`);
  expect(mine[0].fix).toMatch(/until those tokens have expired.*then delete it/);
  expect(ofRule(all, 'fic-issuer')).toEqual([]);
});

test("a FIC for the Giant Swarm cluster's previous issuer that summary.json does not list: the same warning", async () => {
  const at = copy();
  withoutPreviousIssuerFics(at);
  const address = addFic(at, 'gs-air', GS_OLD);
  const all = await findings(at);
  expect(errorsOf(all)).toEqual([]);
  expect(ofRule(all, 'api-server-issuer')).toEqual([expect.objectContaining({ severity: 'warning', file: STACK, object: address })]);
  expect(ofRule(all, 'fic-issuer')).toEqual([]);
});

test("a FIC for kubeadm's default issuer, a previous issuer no one can discover: an api-server-issuer error, and no fic-issuer", async () => {
  const at = copy();
  const address = addFic(at, 'kubeadm-air', DEFAULT_ISSUER);
  const all = await findings(at);
  const errors = errorsOf(all);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ rule: 'api-server-issuer', file: STACK, object: address });
  expect(errors[0].message).toContain('cannot fetch a discovery document');
  expect(errors[0].fix).toMatch(/^delete the FIC/);
  expect(ofRule(all, 'fic-issuer')).toEqual([]);
});

test('a FIC whose issuer no API server knows: still a fic-issuer error, and no api-server-issuer', async () => {
  const at = copy();
  const address = addFic(at, 'kubeadm-air', 'https://issuer.example.com/nobody');
  const all = await findings(at);
  const errors = errorsOf(all);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ rule: 'fic-issuer', file: STACK, object: address });
  expect(ofRule(all, 'api-server-issuer')).toEqual([]);
});

test("a kubeadm FIC that lost a trailing slash: fic-issuer on the FIC, and api-server-issuer on each file of its cluster's API server", async () => {
  const at = copy();
  const id = 'fic_id-orders_kubeadm-air_orders_orders-api';
  editStack(at, (r) => {
    r[FIC][id].issuer = `${KUBEADM_ISSUER}/`;
  });
  const errors = errorsOf(await findings(at));
  expect(errors.map((f) => [f.rule, f.file, f.object])).toEqual([
    ['api-server-issuer', KUBEADM_FILE, 'apiServer.extraArgs service-account-issuer'],
    ['fic-issuer', STACK, `${FIC}.${id}`],
  ]);
  // the FIC is what is wrong: the file's finding says to correct it first
  expect(errors[0].fix).toMatch(new RegExp(`^correct the FIC's issuer to "${KUBEADM_ISSUER}"`));
});
