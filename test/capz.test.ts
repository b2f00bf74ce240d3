/**
 * CAPZ as a platform: CAPZ's workload identity rules (kubernetes-sigs/cluster-api-provider-azure docs/book/src/topics/workload-identity.md) on both sides of the synthesized example, the
 * CAPZ objects against the vendored CRDs, `wisynth capz patch` through the CLI, and imports/ as
 * `cdk8s import` generates it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { crdSchemaErrors } from '../src/check/crd-schema';
import { main } from '../src/cli/main';
import { loadFleetFile, parseFleet, synthesizeFleet } from '../src/index';
import { copyExampleInputs, editOnce, readTree, ROOT } from './support';

/** Parsed YAML or JSON, read field by field. */
type Json = any;

const EXAMPLE_FILE = path.join(ROOT, 'examples', 'fleet.yaml');
const EXAMPLE = fs.readFileSync(EXAMPLE_FILE, 'utf8');
const SUB = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const TENANT = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const NODE_IDENTITY_ID = `/subscriptions/${SUB}/resourceGroups/rg-contoso-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-capz-work-1-nodes`;

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-capz-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

interface Synthesized {
  resources: Record<string, Record<string, Json>>;
  outputs: Record<string, Json>;
  /** Objects of OUT/kubernetes/<cluster>/ by kind. */
  objects(cluster: string, kind: string): Json[];
  files: Map<string, Buffer>;
}

/** Synthesizes a fleet text (beside a copy of the example keys) and reads OUT back. */
function synth(name: string, text: string, outputs?: Map<string, string>): Synthesized {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const out = path.join(dir, 'out');
  synthesizeFleet(loadFleetFile(path.join(dir, 'fleet.yaml')), { outDir: out, outputs });
  const files = readTree(out);
  const tf = JSON.parse(files.get('terraform/stacks/contoso/cdk.tf.json')!.toString());
  return {
    resources: tf.resource,
    outputs: tf.output,
    files,
    objects: (cluster, kind) =>
      [...files.entries()]
        .filter(([f]) => f.startsWith(`kubernetes/${cluster}/`) && !f.endsWith('kustomization.yaml'))
        .map(([, content]) => yaml.load(content.toString()) as Json)
        .filter((o) => o.kind === kind),
  };
}

/** The example with `from` (exactly once) replaced by `to`. */
const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

describe('the example\'s CAPZ management cluster (capz-mgmt) and its workload cluster (capz-work-1)', () => {
  let out: Synthesized;
  beforeAll(() => {
    out = synth('example', EXAMPLE);
  });

  const fics = () => Object.values(out.resources.azurerm_federated_identity_credential);
  const capzIdentityId = '${azurerm_user_assigned_identity.identity_id-capz.id}';

  test('CAPZ and ASO each get a FIC on the CAPZ identity, on the issuer the kind API server signs with', () => {
    const own = fics().filter((f) => f.parent_id === capzIdentityId);
    expect(own.map((f) => f.subject).sort()).toEqual([
      'system:serviceaccount:capz-system:azureserviceoperator-default',
      'system:serviceaccount:capz-system:capz-manager',
    ]);
    const kind = yaml.load(out.files.get('clusters/capz-mgmt/kind-cluster.yaml')!.toString()) as Json;
    const flag = (yaml.load(kind.kubeadmConfigPatches[0]) as Json).apiServer.extraArgs['service-account-issuer'];
    const discovery = JSON.parse(out.files.get('oidc/capz-mgmt/.well-known/openid-configuration')!.toString());
    for (const fic of own) {
      expect(fic.audience).toEqual(['api://AzureADTokenExchange']);
      expect(fic.issuer).toBe(flag);
      expect(fic.issuer).toBe(discovery.issuer);
    }
  });

  test('the CAPZ identity is Contributor on the subscription, and has no other role', () => {
    const roles = Object.values(out.resources.azurerm_role_assignment).filter((r) => r.principal_id.includes('identity_id-capz.'));
    expect(roles.map((r) => [r.role_definition_name, r.scope])).toEqual([['Contributor', `/subscriptions/${SUB}`]]);
  });

  test('the node identity is created, gets no FIC, and its client id is an output', () => {
    expect(out.resources.azurerm_user_assigned_identity['identity_id-capz-work-1-nodes']).toMatchObject({ name: 'id-capz-work-1-nodes' });
    expect(fics().filter((f) => f.parent_id.includes('id-capz-work-1-nodes'))).toEqual([]);
    expect(out.outputs['identity_id-capz-work-1-nodes_client_id'].value).toBe('${azurerm_user_assigned_identity.identity_id-capz-work-1-nodes.client_id}');
    expect(out.outputs['identity_id-capz_client_id'].value).toBe('${azurerm_user_assigned_identity.identity_id-capz.client_id}');
  });

  test('AzureClusterIdentity: WorkloadIdentity, no clientSecret, the fleet tenant, the CAPZ identity\'s client id, the workload namespaces', () => {
    const [identity] = out.objects('capz-mgmt', 'AzureClusterIdentity');
    expect(identity.spec).toEqual({
      type: 'WorkloadIdentity',
      tenantID: TENANT,
      clientID: 'WISYNTH_PENDING:identity_id-capz_client_id',
      allowedNamespaces: { list: ['default'] },
    });
    expect(identity.metadata).toMatchObject({ name: 'cluster-identity', namespace: 'default' });
  });

  test('AzureCluster refers to that AzureClusterIdentity', () => {
    const [identity] = out.objects('capz-mgmt', 'AzureClusterIdentity');
    const [cluster] = out.objects('capz-mgmt', 'AzureCluster');
    expect(cluster.metadata).toEqual({ name: 'capz-work-1', namespace: 'default' });
    expect(cluster.spec.identityRef).toEqual({
      apiVersion: identity.apiVersion,
      kind: 'AzureClusterIdentity',
      name: identity.metadata.name,
      namespace: identity.metadata.namespace,
    });
    expect(cluster.spec).toMatchObject({ location: 'westeurope', resourceGroup: 'capz-work-1', subscriptionID: SUB });
  });

  test('control-plane and worker AzureMachineTemplates use the node identity by its azure:/// provider id', () => {
    const templates = out.objects('capz-mgmt', 'AzureMachineTemplate');
    expect(templates.map((t) => t.metadata.name).sort()).toEqual(['capz-work-1-control-plane', 'capz-work-1-md-0']);
    for (const t of templates) {
      expect(t.spec.template.spec.identity).toBe('UserAssigned');
      expect(t.spec.template.spec.userAssignedIdentities).toEqual([{ providerID: `azure://${NODE_IDENTITY_ID}` }]);
    }
    const byName = new Map(templates.map((t) => [t.metadata.name, t.spec.template.spec]));
    expect(byName.get('capz-work-1-control-plane')).toMatchObject({ vmSize: 'Standard_D4s_v5', dataDisks: [{ nameSuffix: 'etcddisk', diskSizeGB: 256, lun: 0 }] });
    expect(byName.get('capz-work-1-md-0')).toMatchObject({ vmSize: 'Standard_D2s_v5' });
  });

  test('no webhook on a management cluster without workloads of its own (CAPZ and ASO project their own tokens)', () => {
    expect(out.objects('capz-mgmt', 'HelmRelease')).toEqual([]);
    expect(out.files.has('clusters/capz-mgmt/webhook-values.yaml')).toBe(false);
  });

  test('every CAPZ object is valid by its vendored CRD', () => {
    for (const kind of ['AzureClusterIdentity', 'AzureCluster', 'AzureMachineTemplate']) {
      const objects = out.objects('capz-mgmt', kind);
      expect(objects.length).toBeGreaterThan(0);
      for (const obj of objects) expect(crdSchemaErrors(obj)).toEqual([]);
    }
  });
});

describe('the vendored CRDs catch broken CAPZ objects', () => {
  let out: Synthesized;
  beforeAll(() => {
    out = synth('crd', EXAMPLE);
  });
  const first = (kind: string): Json => structuredClone(out.objects('capz-mgmt', kind)[0]);

  test('an AzureClusterIdentity type outside the enum', () => {
    const identity = first('AzureClusterIdentity');
    identity.spec.type = 'Workload';
    expect(crdSchemaErrors(identity)).toEqual([expect.stringMatching(/\/spec\/type must be one of "ServicePrincipal", .*"WorkloadIdentity"/)]);
  });

  test('an AzureClusterIdentity without tenantID', () => {
    const identity = first('AzureClusterIdentity');
    delete identity.spec.tenantID;
    expect(crdSchemaErrors(identity)).toEqual([expect.stringMatching(/\/spec must have required property 'tenantID'/)]);
  });

  test('an AzureMachineTemplate identity outside the enum', () => {
    const template = first('AzureMachineTemplate');
    template.spec.template.spec.identity = 'UserAssignedMSI';
    expect(crdSchemaErrors(template)).toEqual([expect.stringMatching(/\/spec\/template\/spec\/identity must be one of "None", "SystemAssigned", "UserAssigned"$/)]);
  });

  test('an AzureMachineTemplate without vmSize, and a user-assigned identity without providerID', () => {
    const template = first('AzureMachineTemplate');
    delete template.spec.template.spec.vmSize;
    template.spec.template.spec.userAssignedIdentities = [{ resourceID: NODE_IDENTITY_ID }];
    expect(crdSchemaErrors(template)!.sort()).toEqual([
      expect.stringMatching(/\/spec\/template\/spec must have required property 'vmSize'/),
      expect.stringMatching(/\/spec\/template\/spec\/userAssignedIdentities\/0 must NOT have unknown field 'resourceID'/),
      expect.stringMatching(/\/spec\/template\/spec\/userAssignedIdentities\/0 must have required property 'providerID'/),
    ]);
  });

  test('an AzureCluster without location', () => {
    const cluster = first('AzureCluster');
    delete cluster.spec.location;
    expect(crdSchemaErrors(cluster)).toEqual([expect.stringMatching(/\/spec must have required property 'location'/)]);
  });
});

describe('CAPZ settings', () => {
  test('narrower scopes and another role replace Contributor on the subscription', () => {
    const out = synth(
      'scopes',
      edit(
        '      identity: id-capz\n',
        `      identity: id-capz\n      role: Virtual Machine Contributor\n      scopes:\n        - resourceGroup: rg-contoso-aks\n        - /subscriptions/${SUB}/resourceGroups/capz-work-1\n`,
      ),
    );
    const roles = Object.values(out.resources.azurerm_role_assignment).filter((r) => r.principal_id.includes('identity_id-capz.'));
    expect(roles.map((r) => [r.role_definition_name, r.scope]).sort()).toEqual([
      ['Virtual Machine Contributor', '${azurerm_resource_group.rg_rg-contoso-aks.id}'],
      ['Virtual Machine Contributor', `/subscriptions/${SUB}/resourceGroups/capz-work-1`],
    ]);
  });

  test('namespace and service accounts change the FIC subjects; allowedNamespaces "all" is {}', () => {
    const out = synth(
      'names',
      edit(
        '      identity: id-capz\n',
        '      identity: id-capz\n      namespace: capi-azure\n      managerServiceAccount: capz-controller\n      serviceOperatorServiceAccount: aso-controller\n      clusterIdentity:\n        name: wi\n        namespace: capi-identities\n        allowedNamespaces: all\n',
      ),
    );
    const subjects = Object.values(out.resources.azurerm_federated_identity_credential)
      .filter((f) => f.parent_id.includes('identity_id-capz.'))
      .map((f) => f.subject)
      .sort();
    expect(subjects).toEqual(['system:serviceaccount:capi-azure:aso-controller', 'system:serviceaccount:capi-azure:capz-controller']);
    const [identity] = out.objects('capz-mgmt', 'AzureClusterIdentity');
    expect(identity.metadata).toMatchObject({ name: 'wi', namespace: 'capi-identities' });
    expect(identity.spec.allowedNamespaces).toEqual({});
    expect(out.objects('capz-mgmt', 'AzureCluster')[0].spec.identityRef).toMatchObject({ name: 'wi', namespace: 'capi-identities' });
  });

  test('a workload of the management cluster brings the webhook and its own FIC', () => {
    const out = synth(
      'workload',
      edit('    capz:\n', '    workloads:\n      - namespace: tools\n        serviceAccount: backup\n        identity: id-orders\n    capz:\n'),
    );
    expect(out.objects('capz-mgmt', 'HelmRelease')).toHaveLength(1);
    expect(out.objects('capz-mgmt', 'ServiceAccount').map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['tools/backup']);
  });

  test('after apply, --outputs resolves the AzureClusterIdentity client id', () => {
    const out = synth('outputs', EXAMPLE, new Map([['identity_id-capz_client_id', '11111111-2222-4333-8444-555555555555']]));
    expect(out.objects('capz-mgmt', 'AzureClusterIdentity')[0].spec.clientID).toBe('11111111-2222-4333-8444-555555555555');
  });

  test('the code API builds the same plan as the YAML (defaults applied once)', () => {
    const fleet = parseFleet(EXAMPLE, path.join(ROOT, 'examples'));
    const mgmt = fleet.node.children.find((c) => (c as Json).clusterName === 'capz-mgmt') as Json;
    expect(mgmt.capz).toMatchObject({ namespace: 'capz-system', managerServiceAccount: 'capz-manager', serviceOperatorServiceAccount: 'azureserviceoperator-default', role: 'Contributor', scopes: [`/subscriptions/${SUB}`] });
    expect(mgmt.webhook).toBe(false);
  });
});

describe('wisynth capz patch', () => {
  const TEMPLATE = path.join(ROOT, 'test', 'fixtures', 'capz', 'cluster-template.yaml');
  const GENERATED = path.join(ROOT, 'test', 'fixtures', 'capz', 'capz-work-1.yaml');

  async function run(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(args, { cwd, env: {}, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  }

  test('without a fleet it prints the template with clusterctl variables and lists each edit on stderr', async () => {
    const r = await run(['capz', 'patch', TEMPLATE]);
    expect(r.code).toBe(0);
    const docs = yaml.loadAll(r.stdout) as Json[];
    const identity = docs.find((d) => d.kind === 'AzureClusterIdentity');
    expect(identity.spec).toEqual({ allowedNamespaces: {}, clientID: '${AZURE_CLIENT_ID}', tenantID: '${AZURE_TENANT_ID}', type: 'WorkloadIdentity' });
    expect(r.stderr).toContain('AzureClusterIdentity default/${CLUSTER_IDENTITY_NAME}: spec.clientSecret removed');
  });

  test('with -c and --cluster it writes the fleet cluster\'s values to -o, and a second run changes nothing', async () => {
    const dir = path.join(work, 'patch');
    fs.mkdirSync(dir);
    const outputs = path.join(dir, 'outputs.json');
    fs.writeFileSync(outputs, JSON.stringify({ 'identity_id-capz_client_id': { value: '11111111-2222-4333-8444-555555555555', type: 'string', sensitive: false } }));
    const first = path.join(dir, 'first.yaml');
    const args = ['-c', EXAMPLE_FILE, '--cluster', 'capz-work-1', '--outputs', outputs, '--strict'];
    const r = await run(['capz', 'patch', GENERATED, '-o', first, ...args]);
    expect(r.stderr).not.toContain('warning');
    expect(r.code).toBe(0);
    const docs = yaml.loadAll(fs.readFileSync(first, 'utf8')) as Json[];
    expect(docs.find((d) => d.kind === 'AzureClusterIdentity').spec).toMatchObject({ clientID: '11111111-2222-4333-8444-555555555555', tenantID: TENANT, type: 'WorkloadIdentity' });
    for (const t of docs.filter((d) => d.kind === 'AzureMachineTemplate')) {
      expect(t.spec.template.spec.userAssignedIdentities).toEqual([{ providerID: `azure://${NODE_IDENTITY_ID}` }]);
    }
    const again = await run(['capz', 'patch', first, ...args]);
    expect(again.code).toBe(0);
    expect(again.stdout + '\n').toBe(fs.readFileSync(first, 'utf8'));
    expect(again.stderr).toContain('already patched, nothing changed');
  });

  test('before apply the client id is a placeholder: a warning, or with --strict exit 1', async () => {
    const loose = await run(['capz', 'patch', GENERATED, '-c', EXAMPLE_FILE, '--cluster', 'capz-work-1']);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toContain('warning: the client id of identity id-capz is known only after apply');
    const strict = await run(['capz', 'patch', GENERATED, '-c', EXAMPLE_FILE, '--cluster', 'capz-work-1', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
  });

  test('an unknown workload cluster, a file with nothing to patch, and -c without --cluster', async () => {
    const unknown = await run(['capz', 'patch', GENERATED, '-c', EXAMPLE_FILE, '--cluster', 'capz-work-9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no CAPZ workload cluster is named "capz-work-9"');
    expect(unknown.stderr).toContain('fix: use one of: capz-work-1');

    const nothing = await run(['capz', 'patch', EXAMPLE_FILE]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('nothing to patch');
    expect(nothing.stderr).not.toMatch(/^\s+at /m);

    const usage = await run(['capz', 'patch', GENERATED, '-c', EXAMPLE_FILE]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('-c and --cluster go together');
  });
});

describe('imports/', () => {
  test('is exactly what `npm run import` (cdk8s import from cdk8s.yaml) generates from the vendored CRDs', () => {
    const fresh = path.join(work, 'imports');
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', '--output', fresh], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    expect(r.status).toBe(0);
    const committed = readTree(path.join(ROOT, 'imports'));
    const generated = readTree(fresh);
    expect([...generated.keys()]).toEqual([...committed.keys()]);
    for (const [file, content] of generated) expect({ file, same: content.equals(committed.get(file)!) }).toEqual({ file, same: true });
  });
});
