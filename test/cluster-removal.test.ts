/**
 * Removing a cluster from the fleet removes exactly its part of the Azure side: its FICs, its issuer's
 * hosting, its AKS cluster and the identities, roles and groups made for it alone. Nothing another
 * cluster or the fleet uses (declared identities, vaults, groups) is destroyed, and no other resource is
 * replaced or changed. For each cluster of the example, the Terraform before and after its removal are
 * compared, block by block, the way `terraform plan` would see them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { FleetError, parseFleet, synthesizeFleet } from '../src/index';
import { copyExampleInputs, ROOT } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-removal-'));
  copyExampleInputs(work);
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every resource and data block of OUT's stacks, by `<stack> <address>`, with its content. */
function blocks(fleetText: string, layout: 'single' | 'perCluster'): Map<string, string> {
  const doc = YAML.parse(fleetText);
  doc.terraform = { ...doc.terraform, stackLayout: layout };
  const out = fs.mkdtempSync(path.join(work, 'out-'));
  fs.rmSync(out, { recursive: true });
  synthesizeFleet(parseFleet(YAML.stringify(doc), work), { outDir: out, check: false });
  const found = new Map<string, string>();
  const stacks = path.join(out, 'terraform', 'stacks');
  for (const stack of fs.readdirSync(stacks)) {
    const json = JSON.parse(fs.readFileSync(path.join(stacks, stack, 'cdk.tf.json'), 'utf8')) as Json;
    for (const [kind, prefix] of [['resource', ''], ['data', 'data.']] as const) {
      for (const [type, byName] of Object.entries<Json>(json[kind] ?? {})) {
        for (const [name, block] of Object.entries<Json>(byName)) {
          const { '//': _metadata, ...content } = block;
          found.set(`${stack} ${prefix}${type}.${name}`, JSON.stringify(content));
        }
      }
    }
  }
  return found;
}

function without(cluster: string): string {
  const doc = YAML.parse(EXAMPLE);
  doc.clusters = doc.clusters.filter((c: Json) => c.name !== cluster);
  return YAML.stringify(doc);
}

/** The change `terraform plan` would show for the removal: what goes, what comes, what changes in place. */
function removal(cluster: string, layout: 'single' | 'perCluster') {
  const before = blocks(EXAMPLE, layout);
  const after = blocks(without(cluster), layout);
  return {
    before,
    after,
    destroyed: [...before.keys()].filter((k) => !after.has(k)).sort(),
    created: [...after.keys()].filter((k) => !before.has(k)).sort(),
    changed: [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort(),
  };
}

/** What the example makes for one cluster alone, by address: every such block names the cluster (or, for OpenShift, its identities). */
const isOwnBlock = (cluster: string) => (key: string) => key.split(' ')[1].includes(cluster);

/** The identities a cluster's entry names: its workloads', CAPZ's and its nodes', the Hive secret reader's. */
function identitiesOf(cluster: string): Set<string> {
  const entry = YAML.parse(EXAMPLE).clusters.find((c: Json) => c.name === cluster);
  return new Set<string>([
    ...(entry.workloads ?? []).map((w: Json) => w.identity),
    ...(entry.capz ? [entry.capz.identity, ...(entry.capz.workloadClusters ?? []).map((w: Json) => w.nodeIdentity)] : []),
    ...(entry.openshiftHive?.secrets?.identity ? [entry.openshiftHive.secrets.identity] : []),
  ]);
}

/** A role assignment the cluster implies (CAPZ's Contributor, the secret reader's vault role): its principal is one of the cluster's identities. */
const isImpliedGrant = (cluster: string, before: ReadonlyMap<string, string>) => (key: string) => {
  if (!key.split(' ')[1].startsWith('azurerm_role_assignment.')) return false;
  const principal = /azurerm_user_assigned_identity\.identity_([^.]+)\.principal_id/.exec(JSON.parse(before.get(key)!).principal_id ?? '');
  return principal !== null && identitiesOf(cluster).has(principal[1]);
};

/** Blocks of what the fleet declares for all: its groups, identities and vaults. */
const declared = YAML.parse(EXAMPLE);
const SHARED = new Set<string>([
  ...declared.resourceGroups.map((g: Json) => `azurerm_resource_group.rg_${g.name}`),
  ...declared.identities.map((i: Json) => `azurerm_user_assigned_identity.identity_${i.name}`),
  ...declared.keyVaults.map((v: Json) => `azurerm_key_vault.keyvault_${v.name}`),
]);

test('the shared blocks the removals must keep are there to keep: every declared identity and vault, and each group the fleet creates', () => {
  const addresses = new Set([...blocks(EXAMPLE, 'single').keys()].map((k) => k.split(' ')[1]));
  const existing = [...declared.resourceGroups, ...declared.identities, ...declared.keyVaults].filter((d: Json) => d.existing).map((d: Json) => d.name);
  const created = [...SHARED].filter((name) => !existing.some((e: string) => name.endsWith(`_${e}`)));
  expect(created.filter((name) => !addresses.has(name))).toEqual([]);
  expect(created.length).toBeGreaterThan(8);
});

const REMOVABLE = ['aks-legacy', 'kind-dev', 'gs-prod', 'capz-mgmt', 'eks-orders', 'ocp-prod'];

describe.each(['single', 'perCluster'] as const)('stackLayout %s', (layout) => {
  test.each(REMOVABLE)('removing %s destroys its own blocks only, and creates or changes nothing', (cluster) => {
    const { before, after, destroyed, created, changed } = removal(cluster, layout);
    expect(destroyed.length).toBeGreaterThan(0);
    expect(destroyed.filter((k) => !isOwnBlock(cluster)(k) && !isImpliedGrant(cluster, before)(k))).toEqual([]);
    expect(destroyed.filter((k) => SHARED.has(k.split(' ')[1]))).toEqual([]);
    expect(created).toEqual([]);
    expect(changed).toEqual([]);
    // and every block that is the cluster's goes
    expect([...after.keys()].filter(isOwnBlock(cluster))).toEqual([]);
  });
});

test('the destroy list of a self-managed cluster: its FICs, its issuer storage and documents, its roles', () => {
  const { destroyed } = removal('kind-dev', 'single');
  const types = [...new Set(destroyed.map((k) => k.split(' ')[1].replace(/^data\./, '').split('.')[0]))].sort();
  expect(types).toEqual(expect.arrayContaining(['azurerm_federated_identity_credential', 'azurerm_storage_account', 'azurerm_storage_blob']));
  expect(destroyed.some((k) => /azurerm_user_assigned_identity/.test(k))).toBe(false);
});

test('removing a cluster that a Hive cluster names as its hub is refused, naming the Hive cluster', () => {
  expect(() => parseFleet(without('aks-prod'), work)).toThrow(/cluster "aks-prod" is not declared/);
});

describe("a removed cluster's stack (perCluster) whose local state still holds resources", () => {
  const fleetText = (text: string) => {
    const doc = YAML.parse(text);
    doc.terraform = { ...doc.terraform, stackLayout: 'perCluster' };
    return YAML.stringify(doc);
  };
  const state = (resources: Json[]) => JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 3, lineage: 'x', outputs: {}, resources });
  const stateFile = () => path.join(work, 'terraform-state', 'contoso-kind-dev.tfstate');

  test('is refused, naming the state file, what it holds and the destroy to run first; once destroyed, the removal goes through', () => {
    const out = path.join(work, 'orphans');
    synthesizeFleet(parseFleet(fleetText(EXAMPLE), work), { outDir: out, check: false });
    fs.mkdirSync(path.dirname(stateFile()), { recursive: true });
    const storage = { mode: 'managed', type: 'azurerm_storage_account', name: 'oidc_kind-dev', provider: 'provider["registry.terraform.io/hashicorp/azurerm"]', instances: [{ schema_version: 4, attributes: {} }] };
    fs.writeFileSync(stateFile(), state([{ mode: 'data', type: 'azurerm_client_config', name: 'current', provider: storage.provider, instances: [{ attributes: {} }] }, storage]));
    const before = fs.readFileSync(path.join(out, 'summary.json'), 'utf8');
    let refused: Error | undefined;
    try {
      synthesizeFleet(parseFleet(fleetText(without('kind-dev')), work), { outDir: out, check: false });
    } catch (e) {
      refused = e as Error;
    }
    expect(refused).toBeInstanceOf(FleetError);
    const [issue] = (refused as FleetError).issues;
    expect(issue.file).toBe(stateFile());
    expect(issue.message).toMatch(/the state of stack contoso-kind-dev still holds 1 resource\(s\), but the fleet no longer has that stack/);
    expect(issue.fix).toMatch(/terraform destroy in .*stacks[/\\]contoso-kind-dev/);
    expect(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe(before);

    // after `terraform destroy`, the state lists no managed resource
    fs.writeFileSync(stateFile(), state([]));
    synthesizeFleet(parseFleet(fleetText(without('kind-dev')), work), { outDir: out, check: false });
    expect(fs.existsSync(path.join(out, 'terraform', 'stacks', 'contoso-kind-dev'))).toBe(false);
  });

  test('a state file that is no Terraform state is refused as well, not taken for empty', () => {
    const out = path.join(work, 'orphans-unreadable');
    fs.rmSync(stateFile(), { force: true });
    synthesizeFleet(parseFleet(fleetText(EXAMPLE), work), { outDir: out, check: false });
    fs.writeFileSync(stateFile(), '{"version": 4}');
    expect(() => synthesizeFleet(parseFleet(fleetText(without('kind-dev')), work), { outDir: out, check: false })).toThrow(/is no Terraform state \(no resources list\)/);
    fs.rmSync(stateFile());
  });
});
