/**
 * "JWKS updates without a gap": what a key rotation replaces on the Azure side. azurerm replaces a storage
 * blob whose content changes (delete, then create: hashicorp/terraform-provider-azurerm
 * `internal/services/storage/storage_blob_resource.go`, source_content is ForceNew), and the JWKS is absent in
 * between. This measures, for the whole rotation of README "Key rotation", which blob contents change between
 * consecutive synths of a kubeadm and a kind cluster:
 *   step 0 [old]; step 1 [old, new]; step 2 [new, old] with privateKeyFile new (the swap); step 3 [new].
 * The discovery document never changes; the JWKS twice (the key set changes), not at the swap (it is sorted by kid).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { buildJwks, jwksJson } from '../src/oidc/jwks';
import { readPublicKeyFile } from '../src/oidc/keys';
import { runCli, writeKeyPair } from './support';

/** Parsed YAML or JSON. */
type Json = any;

const CLUSTERS = [
  { name: 'kadm-rot', distribution: 'kubeadm', account: 'stwisynthkadmrot', container: 'kubeadm' },
  { name: 'kind-rot', distribution: 'kind', account: 'stwisynthkindrot', container: 'kind' },
] as const;

interface Step {
  readonly label: string;
  readonly publicKeyFiles: readonly string[];
  readonly privateKeyFile: string;
}

const OLD = { pub: 'keys/old/sa.pub', key: 'keys/old/sa.key' };
const NEW = { pub: 'keys/new/sa.pub', key: 'keys/new/sa.key' };
const STEPS: readonly Step[] = [
  { label: 'step 0 [old]', publicKeyFiles: [OLD.pub], privateKeyFile: OLD.key },
  { label: 'step 1 [old, new]', publicKeyFiles: [OLD.pub, NEW.pub], privateKeyFile: OLD.key },
  { label: 'step 2 [new, old] (swap)', publicKeyFiles: [NEW.pub, OLD.pub], privateKeyFile: NEW.key },
  { label: 'step 3 [new]', publicKeyFiles: [NEW.pub], privateKeyFile: NEW.key },
];

function fleetYaml(step: Step): string {
  const cluster = (c: (typeof CLUSTERS)[number]) => `  - name: ${c.name}
    platform: self-managed
    selfManaged:
      distribution: ${c.distribution}
      issuer:
        hosting: blobContainer
        storageAccount: ${c.account}
        resourceGroup: rg-rot
        container: ${c.container}
      serviceAccountKeys:
        publicKeyFiles:
${step.publicKeyFiles.map((f) => `          - ${f}`).join('\n')}
        privateKeyFile: ${step.privateKeyFile}
    workloads:
      - namespace: orders
        serviceAccount: orders-api
        identity: id-orders
        createNamespace: true`;
  return `name: rot
azure:
  tenantId: 0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b
  subscriptionId: 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d
  location: westeurope
resourceGroups:
  - name: rg-rot
identities:
  - name: id-orders
    resourceGroup: rg-rot
clusters:
${CLUSTERS.map(cluster).join('\n')}
`;
}

/** What one synth of one cluster produced, for comparing steps. */
interface Measured {
  readonly discoveryBlob: string;
  readonly jwksBlob: string;
  readonly jwksFile: string;
  readonly signingKeyId: string;
  /** The JWKS as it would be without sorting: the keys in publicKeyFiles order. */
  readonly unsortedJwks: string;
  readonly clusterFiles: ReadonlyMap<string, string>;
}

let dir: string;
/** measured[step][cluster name] */
const measured: Array<Record<string, Measured>> = [];
const checkErrors: Array<{ step: string; errors: unknown[] }> = [];
/** The whole Terraform JSON of each step. */
const terraform: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-jwks-rotation-'));
  for (const pair of [OLD, NEW]) writeKeyPair(path.join(dir, path.dirname(pair.key)));
  for (const [i, step] of STEPS.entries()) {
    fs.writeFileSync(path.join(dir, `fleet-${i}.yaml`), fleetYaml(step));
    const out = path.join(dir, `out-${i}`);
    const synth = await runCli(['synth', '-c', `fleet-${i}.yaml`, '-o', `out-${i}`], dir);
    if (synth.code !== 0) throw new Error(`${step.label}: synth exited ${synth.code}:\n${synth.stdout}\n${synth.stderr}`);
    const check = await runCli(['check', `out-${i}`, '--json'], dir);
    checkErrors.push({ step: step.label, errors: (JSON.parse(check.stdout).findings as Json[]).filter((f) => f.severity === 'error') });

    terraform.push(fs.readFileSync(path.join(out, 'terraform/stacks/rot/cdk.tf.json'), 'utf8'));
    const tf = JSON.parse(terraform[i]).resource;
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const byCluster: Record<string, Measured> = {};
    for (const c of CLUSTERS) {
      const [accountId] = Object.entries(tf.azurerm_storage_account as Record<string, Json>).find(([, a]) => a.name === c.account)!;
      const blobs = Object.values(tf.azurerm_storage_blob as Record<string, Json>).filter((b) => b.storage_account_name === `\${azurerm_storage_account.${accountId}.name}`);
      expect(blobs.map((b) => b.name).sort()).toEqual(['.well-known/openid-configuration', 'openid/v1/jwks']);
      const content = (name: string) => String(blobs.find((b) => b.name === name)!.source_content);
      const folder = path.join(out, 'clusters', c.name);
      byCluster[c.name] = {
        discoveryBlob: content('.well-known/openid-configuration'),
        jwksBlob: content('openid/v1/jwks'),
        jwksFile: fs.readFileSync(path.join(out, 'oidc', c.name, 'openid', 'v1', 'jwks'), 'utf8'),
        signingKeyId: summary.clusters.find((s: Json) => s.name === c.name).signingKeyId,
        unsortedJwks: jwksJson(buildJwks(step.publicKeyFiles.map((f) => readPublicKeyFile(path.join(dir, f))))),
        clusterFiles: new Map(fs.readdirSync(folder).map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')])),
      };
    }
    measured.push(byCluster);
  }
}, 180_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The steps (1-based index of the later synth) at which a value differs from the previous step's. */
function changedAt(values: readonly string[]): number[] {
  return values.flatMap((v, i) => (i > 0 && v !== values[i - 1] ? [i] : []));
}

describe.each(CLUSTERS.map((c) => [c.name, c] as const))('%s: blobs replaced by a full key rotation', (name, c) => {
  const series = (pick: (m: Measured) => string) => measured.map((m) => pick(m[name]));

  test('the discovery document never changes', () => {
    expect(changedAt(series((m) => m.discoveryBlob))).toEqual([]);
  });

  test('the JWKS blob changes at steps 1 and 3 only: two replacements per rotation, none at the swap', () => {
    expect(changedAt(series((m) => m.jwksBlob))).toEqual([1, 3]);
  });

  test('the swap is a real reorder: the signing key changes at step 2, and an unsorted JWKS would be replaced three times', () => {
    expect(changedAt(series((m) => m.signingKeyId))).toEqual([2]);
    expect(changedAt(series((m) => m.unsortedJwks))).toEqual([1, 2, 3]);
    // the hosted JWKS holds exactly the keys of the unsorted one, in kid order
    for (const m of measured.map((s) => s[name])) {
      const kids = (text: string) => (JSON.parse(text).keys as Json[]).map((k) => k.kid as string);
      expect(kids(m.jwksBlob)).toEqual([...kids(m.unsortedJwks)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(kids(m.jwksBlob)).toContain(m.signingKeyId);
    }
  });

  test('OUT/oidc jwks is the blob content byte for byte at every step', () => {
    for (const m of measured.map((s) => s[name])) expect(Buffer.from(m.jwksFile)).toEqual(Buffer.from(m.jwksBlob));
  });

  test('the swap does change the cluster side, where signing happens', () => {
    const [, before, after] = measured.map((s) => s[name].clusterFiles);
    if (c.distribution === 'kubeadm') {
      const file = 'kubeadm-cluster-configuration.yaml';
      expect(after.get(file)).not.toBe(before.get(file));
      // the first public key is the signing key's, at sa.pub (its private key goes to sa.key)
      expect(before.get(file)).toContain(`#   ${OLD.pub} -> /etc/kubernetes/pki/sa.pub`);
      expect(after.get(file)).toContain(`#   ${NEW.pub} -> /etc/kubernetes/pki/sa.pub`);
    } else {
      const file = 'kind-cluster.yaml';
      expect(after.get(file)).not.toBe(before.get(file));
      const signingMount = (text: string) =>
        (yaml.load(text) as Json).nodes[0].extraMounts.find((m: Json) => m.containerPath === '/etc/kubernetes/pki/sa.key').hostPath as string;
      expect(signingMount(before.get(file)!)).toMatch(/keys\/old\/sa\.key$/);
      expect(signingMount(after.get(file)!)).toMatch(/keys\/new\/sa\.key$/);
    }
  });
});

test('the swap changes nothing on the Azure side: the Terraform JSON of step 2 is that of step 1', () => {
  expect(changedAt(terraform)).toEqual([1, 3]);
});

test('wisynth check finds no error at any step (its rules take a JWKS in kid order)', () => {
  expect(checkErrors).toEqual(STEPS.map((s) => ({ step: s.label, errors: [] })));
});
