/**
 * Teardown of an OpenShift cluster, the Terraform half: removing ocp-prod from the example fleet
 * removes exactly what ocp-prod owns and changes nothing else.
 *
 * The rule proven: **a cluster's removal from the fleet is a pure deletion of its own resources.**
 * Synthesizing the fleet without ocp-prod drops, from cdk.tf.json, exactly the addresses derived here
 * from the release's CredentialsRequests and ccoctl's naming (its identities, FICs, custom roles,
 * role assignments, issuer storage, the `<name>-oidc` and `<name>` groups, its outputs) plus the
 * hub's access to the Hive secrets (the hive-secrets-reader FIC and its Key Vault Secrets User
 * assignment). Every other resource, data source, output, provider and backend block is
 * byte-identical, so `terraform plan` can show nothing but destroys of ocp-prod's resources. On the
 * Kubernetes side, OUT/kubernetes/ocp-prod and OUT/oidc/ocp-prod disappear and every other file is
 * unchanged (the hub's own folder holds nothing of ocp-prod: the Hive objects live in ocp-prod's).
 *
 * The declared identity id-hive-secrets and vault kv-contoso-hive are the fleet's, not the
 * cluster's: they stay, untouched (the fleet accepts them without the cluster, so no other edit is
 * needed).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ROOT, copyExampleInputs, readTree, runCli } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const CR_DIR = path.join(ROOT, 'examples', 'openshift', 'credentialsrequests');
const CLUSTER = 'ocp-prod';
const TF = 'terraform/stacks/contoso/cdk.tf.json';

/** The example without the ocp-prod cluster entry: from its `  - name: ocp-prod` line to the next cluster entry or the end. */
function withoutCluster(text: string, name: string): string {
  const start = text.indexOf(`\n  - name: ${name}\n`);
  if (start < 0 || text.indexOf(`\n  - name: ${name}\n`, start + 1) >= 0) throw new Error(`cluster ${name} must occur exactly once`);
  const next = text.indexOf('\n  - name: ', start + 1);
  const removed = next < 0 ? text.slice(0, start + 1) : text.slice(0, start) + text.slice(next);
  // the entry sits under clusters:, the last top-level key of the example
  if (!/\nclusters:\n/.test(removed) || /\n[a-zA-Z]/.test(text.slice(start + 1, next < 0 ? undefined : next))) throw new Error(`cluster ${name} is not a plain clusters: entry`);
  return removed;
}

/**
 * The addresses ocp-prod owns, derived from the CredentialsRequests files (read here with js-yaml,
 * not through wisynth) and the README's rules: requests annotated `release.openshift.io/delete:
 * "true"` or with a feature-gate/feature-set annotation are skipped (techPreview is off in the
 * example); each kept request gets an identity `<cluster>-<secret namespace>-<secret name>`, a FIC per
 * service account, a custom role when it has permissions, an assignment at the installation group
 * (`<cluster>`) and, for ingress, at the DNS-zone group; and two outputs.
 */
function expectedGone(): { addresses: Set<string>; identities: string[] } {
  const addresses = new Set<string>();
  const identities: string[] = [];
  const add = (kind: string, type: string, name: string) => addresses.add(`${kind}.${type}.${name}`);
  for (const file of fs.readdirSync(CR_DIR).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of yaml.loadAll(fs.readFileSync(path.join(CR_DIR, file), 'utf8')) as Json[]) {
      if (!doc || doc.kind !== 'CredentialsRequest') continue;
      const annotations = doc.metadata.annotations ?? {};
      if (annotations['release.openshift.io/delete'] === 'true') continue;
      if ('release.openshift.io/feature-gate' in annotations || 'release.openshift.io/feature-set' in annotations) continue;
      const identity = `${CLUSTER}-${doc.spec.secretRef.namespace}-${doc.spec.secretRef.name}`;
      identities.push(identity);
      add('resource', 'azurerm_user_assigned_identity', `identity_${identity}`);
      for (const sa of doc.spec.serviceAccountNames) add('resource', 'azurerm_federated_identity_credential', `fic_${identity}_${sa}`);
      const spec = doc.spec.providerSpec;
      if ((spec.permissions ?? []).length + (spec.dataPermissions ?? []).length > 0) {
        add('resource', 'azurerm_role_definition', `role_definition_${identity}`);
        add('resource', 'azurerm_role_assignment', `role_${identity}_custom_${CLUSTER}`);
        if (doc.metadata.name === 'openshift-ingress-azure') add('resource', 'azurerm_role_assignment', `role_${identity}_custom_rg-contoso-dns`);
      }
      add('output', '', `identity_${identity}_client_id`);
      add('output', '', `identity_${identity}_principal_id`);
    }
  }
  for (const part of ['account', 'container']) add('resource', `azurerm_storage_${part}`, `oidc_${CLUSTER}_${part}`);
  for (const blob of ['discovery', 'jwks']) add('resource', 'azurerm_storage_blob', `oidc_${CLUSTER}_${blob}`);
  add('resource', 'azurerm_resource_group', `rg_${CLUSTER}-oidc`);
  add('resource', 'azurerm_resource_group', `rg_${CLUSTER}`);
  // the hub's External Secrets service account of ocp-prod: federated on the hub (aks-prod)
  add('resource', 'azurerm_federated_identity_credential', `fic_id-hive-secrets_aks-prod_${CLUSTER}_hive-secrets-reader`);
  return { addresses, identities };
}

/** Every resource, data source and output block by address (`resource.<type>.<name>`, `data.…`, `output..<name>`). */
function blocks(tf: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries<Json>(tf[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) out.set(`${kind}.${type}.${name}`, block);
    }
  }
  for (const [name, block] of Object.entries(tf.output ?? {})) out.set(`output..${name}`, block);
  return out;
}

let work: string;
let before: Map<string, Buffer>;
let after: Map<string, Buffer>;
let tfBefore: Json;
let tfAfter: Json;

async function synth(name: string, text: string): Promise<Map<string, Buffer>> {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
  if (run.code !== 0) throw new Error(`synth ${name} failed (${run.code}):\n${run.stderr}`);
  return readTree(path.join(dir, 'out'));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-teardown-'));
  before = await synth('with', EXAMPLE);
  after = await synth('without', withoutCluster(EXAMPLE, CLUSTER));
  tfBefore = JSON.parse(before.get(TF)!.toString());
  tfAfter = JSON.parse(after.get(TF)!.toString());
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('removing an OpenShift cluster from the fleet is a pure deletion of what it owns', () => {
  test('the edited fleet has no ocp-prod left, and still synthesizes', () => {
    const text = withoutCluster(EXAMPLE, CLUSTER);
    // only the example's header comment still mentions it
    expect(text.split('\n').filter((l) => !l.startsWith('#') && l.includes(CLUSTER))).toEqual([]);
    expect(text).toContain('  - name: capz-mgmt\n');
    expect(text).toContain('  - name: kv-contoso-hive\n');
    expect(text).toContain('  - name: id-hive-secrets\n');
  });

  test('the addresses that disappear are exactly ocp-prod\'s, and none appears', () => {
    const a = blocks(tfBefore);
    const b = blocks(tfAfter);
    const gone = [...a.keys()].filter((k) => !b.has(k)).sort();
    const added = [...b.keys()].filter((k) => !a.has(k));
    const { addresses, identities } = expectedGone();
    expect(identities).toHaveLength(7); // the release's 8 requests, the feature-gated cluster-api one skipped

    // the hub's Key Vault Secrets User assignment for ocp-prod's secrets: named with a hash, found by what it grants
    const vaultAccess = [...a.entries()].filter(
      ([k, v]) =>
        k.startsWith('resource.azurerm_role_assignment.') &&
        v.role_definition_name === 'Key Vault Secrets User' &&
        String(v.principal_id).includes('azurerm_user_assigned_identity.identity_id-hive-secrets.') &&
        String(v.scope).includes('kv-contoso-hive'),
    );
    expect(vaultAccess).toHaveLength(1);
    addresses.add(vaultAccess[0][0]);

    expect(gone).toEqual([...addresses].sort());
    expect(added).toEqual([]);
  });

  test('every other block is byte-identical: nothing of another cluster or of the fleet changes', () => {
    const a = blocks(tfBefore);
    const b = blocks(tfAfter);
    for (const [address, block] of b) expect([address, JSON.stringify(block)]).toEqual([address, JSON.stringify(a.get(address))]);
    expect(JSON.stringify(tfAfter.provider)).toBe(JSON.stringify(tfBefore.provider));
    expect(JSON.stringify(tfAfter.terraform)).toBe(JSON.stringify(tfBefore.terraform));
    // the declared identity and vault the hub used for ocp-prod's secrets are the fleet's: kept
    expect(b.has('resource.azurerm_user_assigned_identity.identity_id-hive-secrets')).toBe(true);
    expect([...b.keys()].some((k) => k.startsWith('resource.azurerm_key_vault.') && JSON.stringify(b.get(k)).includes('"kv-contoso-hive"'))).toBe(true);
    // cdktf's own metadata lists the outputs: it loses exactly the removed ones
    const outputsBefore = Object.keys(tfBefore['//']?.outputs?.contoso ?? {});
    const outputsAfter = Object.keys(tfAfter['//']?.outputs?.contoso ?? {});
    expect(outputsAfter).toEqual(outputsBefore.filter((o) => !o.startsWith(`identity_${CLUSTER}-`)));
  });

  test('no trace of ocp-prod is left in the Terraform', () => {
    const text = after.get(TF)!.toString();
    expect(text).not.toContain(CLUSTER);
    expect(text).not.toContain('stcontosooidcocpprod');
    expect(text).not.toContain('hive-secrets-reader');
  });

  test('Kubernetes and issuer files: ocp-prod\'s folders disappear, every other file is byte-identical', () => {
    const own = (f: string) => f.startsWith(`kubernetes/${CLUSTER}/`) || f.startsWith(`oidc/${CLUSTER}/`);
    const changedByDesign = new Set([TF, 'summary.json']);
    expect([...before.keys()].some((f) => f.startsWith(`kubernetes/${CLUSTER}/`))).toBe(true);
    expect([...after.keys()].filter(own)).toEqual([]);
    const kept = [...before.keys()].filter((f) => !own(f));
    expect([...after.keys()]).toEqual(kept);
    for (const f of kept.filter((k) => !changedByDesign.has(k))) expect([f, after.get(f)!.equals(before.get(f)!)]).toEqual([f, true]);
    // the hub's own folder held nothing of ocp-prod (the Hive objects are in kubernetes/ocp-prod/, applied to the hub)
    const hub = [...before.keys()].filter((f) => f.startsWith('kubernetes/aks-prod/'));
    expect(hub.length).toBeGreaterThan(0);
    for (const f of hub) expect(before.get(f)!.toString()).not.toContain(CLUSTER);
  });

  test('summary.json no longer names ocp-prod', () => {
    expect(before.get('summary.json')!.toString()).toContain(CLUSTER);
    expect(after.get('summary.json')!.toString()).not.toContain(CLUSTER);
  });
});
