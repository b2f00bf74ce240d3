/**
 * The node identity of a CAPZ workload cluster can do its job: CAPZ runs the cloud provider on the
 * machines as the first user-assigned identity, which "should have the `Contributor` role on the resource
 * group or [...] on the subscription" (kubernetes-sigs/cluster-api-provider-azure
 * docs/book/src/topics/vm-identity.md). By default it gets Contributor on the workload cluster's resource
 * group; `nodeIdentityRole`/`nodeIdentityScopes` override that, an empty list is warned about, and
 * `wisynth check` reports a node identity that no role assignment of the stacks names.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { CheckReport } from '../src/check/check';
import type { Finding } from '../src/check/finding';
import { loadFleetFile, synthesizeFleet } from '../src/index';
import { copyExampleInputs, editOnce, ROOT, runCli } from './support';

/** Parsed YAML or JSON, read field by field. */
type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const SUB = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const STACK = 'terraform/stacks/contoso/cdk.tf.json';
const NODE_PRINCIPAL = '${azurerm_user_assigned_identity.identity_id-capz-work-1-nodes.principal_id}';
const RULE = 'capz-node-identity';
const WORKLOAD_CLUSTER = '        - name: capz-work-1\n          nodeIdentity: id-capz-work-1-nodes\n';

let work: string;
let cases = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-capz-node-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** The example with `from` (exactly once) replaced by `to`. */
const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

/** The example with lines added to the workload cluster capz-work-1. */
const withWorkloadClusterLines = (lines: string, text = EXAMPLE) => edit(WORKLOAD_CLUSTER, `${WORKLOAD_CLUSTER}${lines}`, text);

interface Synthesized {
  readonly out: string;
  readonly tf: Json;
  readonly warnings: string[];
}

/** Synthesizes a fleet text beside a copy of the example's inputs. */
function synth(text: string): Synthesized {
  const dir = path.join(work, `case-${++cases}`);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const out = path.join(dir, 'out');
  synthesizeFleet(loadFleetFile(path.join(dir, 'fleet.yaml')), { outDir: out });
  const read = (rel: string) => fs.readFileSync(path.join(out, ...rel.split('/')), 'utf8');
  return { out, tf: JSON.parse(read(STACK)), warnings: JSON.parse(read('summary.json')).warnings };
}

/** [role, scope] of every role assignment of the node identity. */
const nodeRoles = (s: Synthesized): Array<[string, string]> =>
  Object.values<Json>(s.tf.resource.azurerm_role_assignment ?? {})
    .filter((r) => r.principal_id === NODE_PRINCIPAL)
    .map((r) => [r.role_definition_name, r.scope]);

async function check(dir: string): Promise<readonly Finding[]> {
  const { stdout } = await runCli(['check', dir, '--json'], ROOT);
  return (JSON.parse(stdout) as CheckReport).findings;
}

const ofRule = (findings: readonly Finding[]) => findings.filter((f) => f.rule === RULE);

describe('default: Contributor on the workload cluster\'s resource group when the fleet makes it, else on the subscription', () => {
  let example: Synthesized;
  beforeAll(() => {
    example = synth(EXAMPLE);
  });

  test('the example\'s node identity is Contributor on the subscription, since CAPZ makes capz-work-1\'s group only after apply', () => {
    expect(nodeRoles(example)).toEqual([['Contributor', `/subscriptions/${SUB}`]]);
  });

  test('the role is on the identity the AzureMachineTemplates name as their first user-assigned identity', () => {
    const dir = path.join(example.out, 'kubernetes', 'capz-mgmt');
    const templates = fs
      .readdirSync(dir)
      .map((f) => yaml.load(fs.readFileSync(path.join(dir, f), 'utf8')) as Json)
      .filter((o) => o.kind === 'AzureMachineTemplate');
    expect(templates).toHaveLength(2);
    for (const t of templates) {
      expect(t.spec.template.spec.identity).toBe('UserAssigned');
      expect(t.spec.template.spec.userAssignedIdentities[0].providerID).toBe(
        `azure:///subscriptions/${SUB}/resourceGroups/rg-contoso-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-capz-work-1-nodes`,
      );
    }
    expect(example.tf.resource.azurerm_user_assigned_identity['identity_id-capz-work-1-nodes']).toMatchObject({ name: 'id-capz-work-1-nodes' });
  });

  test('no plan warning about the node identity, and check is silent about it', async () => {
    expect(example.warnings.filter((w) => w.includes('id-capz-work-1-nodes'))).toEqual([]);
    expect(ofRule(await check(example.out))).toEqual([]);
  });

  test('a resourceGroup the fleet does not declare: still the subscription', async () => {
    const s = synth(withWorkloadClusterLines('          resourceGroup: rg-capz-work-1\n'));
    expect(nodeRoles(s)).toEqual([['Contributor', `/subscriptions/${SUB}`]]);
  });

  test('a resource group of the fleet with that name: the scope refers to it, so Terraform creates the group first', () => {
    const text = edit('  - name: rg-contoso-oidc\n', '  - name: rg-contoso-oidc\n  - name: capz-work-1\n');
    const s = synth(text);
    expect(nodeRoles(s)).toEqual([['Contributor', '${azurerm_resource_group.rg_capz-work-1.id}']]);
    expect(s.tf.resource.azurerm_resource_group['rg_capz-work-1']).toMatchObject({ name: 'capz-work-1' });
    expect(s.warnings.filter((w) => w.includes('id-capz-work-1-nodes'))).toEqual([]);
  });
});

describe('overrides', () => {
  test('nodeIdentityRole and nodeIdentityScopes: the role at each scope, instead of the default', () => {
    const scope = `/subscriptions/${SUB}/resourceGroups/rg-capz-work-1-network`;
    const s = synth(withWorkloadClusterLines(`          nodeIdentityRole: Virtual Machine Contributor\n          nodeIdentityScopes:\n            - ${scope}\n            - resourceGroup: rg-contoso-aks\n`));
    expect(nodeRoles(s).sort()).toEqual(
      [
        ['Virtual Machine Contributor', scope],
        ['Virtual Machine Contributor', '${azurerm_resource_group.rg_rg-contoso-aks.id}'],
      ].sort(),
    );
  });

  test('the subscription as the scope', () => {
    const s = synth(withWorkloadClusterLines(`          nodeIdentityScopes: [/subscriptions/${SUB}]\n`));
    expect(nodeRoles(s)).toEqual([['Contributor', `/subscriptions/${SUB}`]]);
    expect(s.warnings.filter((w) => w.includes('id-capz-work-1-nodes'))).toEqual([]);
  });

  test('an empty nodeIdentityScopes: no role, a plan warning that the cloud provider will fail, and a check warning', async () => {
    const s = synth(withWorkloadClusterLines('          nodeIdentityScopes: []\n'));
    expect(nodeRoles(s)).toEqual([]);
    const warned = s.warnings.filter((w) => w.includes('id-capz-work-1-nodes'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/capz-work-1 gets no role \(nodeIdentityScopes is empty\): the cloud provider .* will fail/);
    const findings = ofRule(await check(s.out));
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('warning');
  });

  test('an invalid nodeIdentityRole is refused where it is written', () => {
    const dir = path.join(work, `case-${++cases}`);
    fs.mkdirSync(dir);
    copyExampleInputs(dir);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), withWorkloadClusterLines('          nodeIdentityRole: ""\n'));
    let error: Json;
    try {
      synthesizeFleet(loadFleetFile(path.join(dir, 'fleet.yaml')), { outDir: path.join(dir, 'out') });
    } catch (e) {
      error = e;
    }
    expect(error?.issues?.map((i: Json) => i.source)).toContainEqual(['clusters', 4, 'capz', 'workloadClusters', 0, 'nodeIdentityRole']);
  });
});

describe(`check rule ${RULE}: a node identity without any role assignment`, () => {
  let pristine: string;
  let baseline: readonly Finding[];
  beforeAll(async () => {
    pristine = synth(EXAMPLE).out;
    baseline = await check(pristine);
  });

  test('the synthesized example passes it', () => {
    expect(ofRule(baseline)).toEqual([]);
  });

  test('mutation: the node identity\'s role assignment removed from the stack is reported, exactly once, and nothing else changes', async () => {
    const dir = path.join(work, `case-${++cases}`);
    fs.cpSync(pristine, dir, { recursive: true });
    const file = path.join(dir, ...STACK.split('/'));
    const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
    const assignments = tf.resource.azurerm_role_assignment;
    const removed = Object.keys(assignments).filter((id) => assignments[id].principal_id === NODE_PRINCIPAL);
    expect(removed).toHaveLength(1);
    delete assignments[removed[0]];
    fs.writeFileSync(file, `${JSON.stringify(tf, null, 2)}\n`);

    const findings = await check(dir);
    const key = (f: Finding) => `${f.rule} ${f.file} ${f.object} ${f.message}`;
    const added = findings.filter((f) => !baseline.some((b) => key(b) === key(f)));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      severity: 'warning',
      rule: RULE,
      file: 'kubernetes/capz-mgmt/azuremachinetemplate_default_capz-work-1-control-plane.yaml',
      object: 'AzureMachineTemplate default/capz-work-1-control-plane',
    });
    expect(added[0].message).toContain('id-capz-work-1-nodes');
    expect(added[0].message).toContain('AzureMachineTemplate default/capz-work-1-md-0');
    expect(added[0].fix).toMatch(/Contributor/);
  });

  test('perCluster stacks: the role is found in whichever stack holds it, and its removal there is reported', async () => {
    const dir = path.join(work, `case-${++cases}`);
    fs.mkdirSync(dir);
    copyExampleInputs(dir);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), edit('terraform:\n', 'terraform:\n  stackLayout: perCluster\n'));
    const out = path.join(dir, 'out');
    synthesizeFleet(loadFleetFile(path.join(dir, 'fleet.yaml')), { outDir: out });
    expect(ofRule(await check(out))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'manifest.json'), 'utf8'));
    let removed = 0;
    for (const entry of Object.values<Json>(manifest.stacks)) {
      const file = path.join(out, 'terraform', entry.synthesizedStackPath);
      if (!fs.existsSync(file)) continue;
      const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
      const assignments = tf.resource?.azurerm_role_assignment ?? {};
      for (const id of Object.keys(assignments)) {
        if (String(assignments[id].principal_id).endsWith('identity_id-capz-work-1-nodes.principal_id}')) {
          delete assignments[id];
          removed++;
        }
      }
      fs.writeFileSync(file, `${JSON.stringify(tf, null, 2)}\n`);
    }
    expect(removed).toBe(1);
    const findings = ofRule(await check(out));
    expect(findings.map((f) => [f.severity, f.object])).toEqual([['warning', 'AzureMachineTemplate default/capz-work-1-control-plane']]);
  });

  test('mutation: another identity\'s role assignment removed is not this rule\'s finding', async () => {
    const dir = path.join(work, `case-${++cases}`);
    fs.cpSync(pristine, dir, { recursive: true });
    const file = path.join(dir, ...STACK.split('/'));
    const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
    const assignments = tf.resource.azurerm_role_assignment;
    for (const id of Object.keys(assignments)) if (assignments[id].principal_id !== NODE_PRINCIPAL) delete assignments[id];
    fs.writeFileSync(file, `${JSON.stringify(tf, null, 2)}\n`);
    expect(ofRule(await check(dir))).toEqual([]);
  });
});
