/**
 * Every kind of bad fleet file ends the same way: exit 1, an error that names the file, the line and
 * the field, a fix, no stack trace, and nothing written.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliRun, copyExampleInputs, editOnce, lineWhereStarts, ROOT, runCli } from './support';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const STACK_LINE = /^\s+at /m;

/** The example with `from` (which must occur exactly once) replaced by `to`. */
const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

/** 1-based line of the only line of `text` that contains `marker`. */
function lineOf(text: string, marker: string): number {
  const lines = text.split('\n').map((l, i) => ({ l, i })).filter(({ l }) => l.includes(marker));
  if (lines.length !== 1) throw new Error(`"${marker}" must be on exactly one line, found ${lines.length}`);
  return lines[0].i + 1;
}

const HEADER = `azure:
  tenantId: 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a
  subscriptionId: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
  location: westeurope
resourceGroups:
  - name: rg-a
`;

/** 21 workloads on one identity, 11 in one cluster and 10 in another: the 20-FIC limit counts across clusters. */
function twentyOneFics(): string {
  const workloads = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => `      - namespace: ${prefix}\n        serviceAccount: sa-${i}\n        identity: id-shared\n`).join('');
  return `${HEADER}identities:
  - name: id-shared
    resourceGroup: rg-a
clusters:
  - name: east
    platform: aks
    aks:
      resourceGroup: rg-a
    workloads:
${workloads(11, 'east-ns')}  - name: west
    platform: aks
    aks:
      resourceGroup: rg-a
    workloads:
${workloads(10, 'west-ns')}`;
}

/** Two existing clusters that share an issuer, each declaring the same service account on one identity. */
const SHARED_ISSUER = `${HEADER}identities:
  - name: id-shared
    resourceGroup: rg-a
clusters:
  - name: blue
    platform: aks
    aks:
      existing:
        issuerUrl: https://oidc.example.com/fleet/
    workloads:
      - namespace: app
        serviceAccount: api
        identity: id-shared
  - name: green
    platform: aks
    aks:
      existing:
        issuerUrl: https://oidc.example.com/fleet/
    workloads:
      - namespace: app
        serviceAccount: api
        identity: id-shared
`;

const MISSING_IDENTITY_FIELD = `${HEADER}identities:
  - name: id-a
    resourceGroup: rg-a
clusters:
  - name: c1
    platform: aks
    aks:
      resourceGroup: rg-a
    workloads:
      - namespace: app
        serviceAccount: api
`;

const LEGACY_ISSUER = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c/';

interface BadInput {
  /** The rule the input breaks. */
  readonly rule: string;
  readonly yaml: string;
  /** The field path as printed, or null when the error is about the file as a whole (syntax). */
  readonly field: string | null;
  /** A unique text on the expected line. */
  readonly lineMarker: string;
  readonly fix: string;
  /** A fragment of the message, when the rule needs more than the field to be recognised. */
  readonly message?: string;
  /** How many errors the input deserves: one mistake, one error, unless it really breaks several rules. @default 1 */
  readonly errors?: number;
}

const BAD_INPUTS: BadInput[] = [
  {
    rule: 'CAPZ identity not declared',
    yaml: edit('      identity: id-capz\n', '      identity: id-capx\n'),
    field: 'clusters[4].capz.identity',
    lineMarker: 'identity: id-capx',
    message: 'identity "id-capx" is not declared',
    fix: 'did you mean "id-capz"?',
  },
  {
    rule: 'CAPZ workload cluster machines given CAPZ\'s own identity',
    yaml: edit('          nodeIdentity: id-capz-work-1-nodes', '          nodeIdentity: id-capz'),
    field: 'clusters[4].capz.workloadClusters[0].nodeIdentity',
    lineMarker: 'nodeIdentity: id-capz\n',
    message: 'node identity "id-capz" is CAPZ\'s own identity',
    fix: 'give the machines an identity of their own',
  },
  {
    rule: 'CAPZ workload cluster in a namespace the AzureClusterIdentity does not allow',
    yaml: edit('      workloadClusters:\n        - name: capz-work-1\n', '      clusterIdentity:\n        allowedNamespaces: [default]\n      workloadClusters:\n        - name: capz-work-1\n          namespace: capi-team-a\n'),
    field: 'clusters[4].capz.workloadClusters[0].namespace',
    lineMarker: 'namespace: capi-team-a',
    message: 'namespace "capi-team-a" of workload cluster capz-work-1 is not in clusterIdentity.allowedNamespaces',
    fix: 'add "capi-team-a" to capz.clusterIdentity.allowedNamespaces',
  },
  {
    rule: 'CAPZ field misspelt',
    yaml: edit('      workloadClusters:\n', '      workloadCluster:\n'),
    field: 'clusters[4].capz.workloadCluster',
    lineMarker: 'workloadCluster:',
    message: 'unknown field "workloadCluster"',
    fix: 'did you mean "workloadClusters"?',
  },
  {
    rule: 'CAPZ OS disk too small',
    yaml: edit('            vmSize: Standard_D2s_v5\n', '            vmSize: Standard_D2s_v5\n            osDiskSizeGB: 10\n'),
    field: 'clusters[4].capz.workloadClusters[0].workers.osDiskSizeGB',
    lineMarker: 'osDiskSizeGB: 10',
    message: 'osDiskSizeGB 10 is outside 30-4095',
    fix: 'use whole GB from 30 to 4095',
  },
  {
    rule: 'a workload claiming the CAPZ manager\'s service account',
    yaml: edit('    capz:\n', '    workloads:\n      - namespace: capz-system\n        serviceAccount: capz-manager\n        identity: id-orders\n    capz:\n'),
    field: 'clusters[4].workloads[0].serviceAccount',
    lineMarker: 'serviceAccount: capz-manager',
    message: 'service account capz-system/capz-manager of cluster "capz-mgmt" is declared twice (also at clusters[4])',
    fix: 'keep one workload per service account',
  },
  {
    rule: 'YAML syntax error (unclosed flow sequence)',
    yaml: edit('  location: westeurope', '  location: [westeurope'),
    field: null,
    lineMarker: 'terraform:',
    message: 'not valid YAML',
    fix: 'correct the YAML syntax',
  },
  {
    rule: 'YAML duplicate key',
    yaml: edit('  location: westeurope\n', '  location: westeurope\n  location: northeurope\n'),
    field: null,
    lineMarker: 'location: northeurope',
    message: 'duplicated mapping key',
    fix: 'correct the YAML syntax',
  },
  {
    rule: 'unknown field gets a did-you-mean',
    yaml: edit('        tokenExpirationSeconds: 7200', '        tokenExpirationSecond: 7200'),
    field: 'clusters[0].workloads[1].tokenExpirationSecond',
    lineMarker: 'tokenExpirationSecond:',
    message: 'unknown field "tokenExpirationSecond"',
    fix: 'did you mean "tokenExpirationSeconds"?',
  },
  {
    rule: 'missing required field (workload without identity)',
    yaml: MISSING_IDENTITY_FIELD,
    field: 'clusters[0].workloads[0]',
    lineMarker: '- namespace: app',
    message: 'missing required field "identity"',
    fix: 'add identity:',
  },
  {
    rule: 'wrong type (nodeCount is a string)',
    yaml: edit('nodeCount: 2', 'nodeCount: two'),
    field: 'clusters[0].aks.nodePool.nodeCount',
    lineMarker: 'nodeCount: two',
    message: 'must be an integer',
    fix: 'write an integer here',
  },
  {
    rule: 'wrong type (clusters is a mapping)',
    yaml: `${HEADER}clusters:\n  name: c1\n`,
    field: 'clusters',
    lineMarker: 'clusters:',
    message: 'must be an array',
    fix: 'write an array here',
  },
  {
    rule: 'bad enum: platform kind',
    yaml: edit('  - name: aks-prod\n    platform: aks', '  - name: aks-prod\n    platform: kind'),
    field: 'clusters[0].platform',
    lineMarker: 'platform: kind',
    message: 'value "kind" is not allowed',
    fix: 'use one of: aks',
  },
  {
    rule: 'bad enum: cloud',
    yaml: edit('  location: westeurope\n', '  location: westeurope\n  cloud: azurestack\n'),
    field: 'azure.cloud',
    lineMarker: 'cloud: azurestack',
    message: 'value "azurestack" is not allowed',
    fix: 'use one of: public, usgovernment, china',
  },
  {
    rule: 'tenantId is not a GUID',
    yaml: edit('tenantId: 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', 'tenantId: contoso.onmicrosoft.com'),
    field: 'azure.tenantId',
    lineMarker: 'tenantId: contoso',
    message: 'value "contoso.onmicrosoft.com"',
    fix: 'az account show --query tenantId',
  },
  {
    rule: 'undeclared identity',
    yaml: edit('        identity: id-reports', '        identity: id-report'),
    field: 'clusters[0].workloads[1].identity',
    lineMarker: 'identity: id-report',
    message: 'identity "id-report" is not declared',
    fix: 'did you mean "id-reports"?',
  },
  {
    rule: 'undeclared key vault (verification pod)',
    yaml: edit('          keyVault: kv-contoso-wi-demo', '          keyVault: kv-elsewhere'),
    field: 'clusters[0].workloads[0].verify.keyVault',
    lineMarker: 'keyVault: kv-elsewhere',
    message: 'key vault "kv-elsewhere" is not declared',
    fix: 'declare it under keyVaults',
  },
  {
    rule: 'undeclared resource group',
    yaml: edit('  - name: id-reports\n    resourceGroup: rg-contoso-identities', '  - name: id-reports\n    resourceGroup: rg-nowhere'),
    field: 'identities[1].resourceGroup',
    lineMarker: 'resourceGroup: rg-nowhere',
    message: 'resource group "rg-nowhere" is not declared',
    fix: 'declare it under resourceGroups',
  },
  {
    rule: 'identity name must start with a letter or digit',
    yaml: EXAMPLE.split('id-reports').join('_id-reports'),
    field: 'identities[1].name',
    lineMarker: '- name: _id-reports',
    message: 'value "_id-reports"',
    fix: 'user-assigned identity name: letters, digits, "-" and "_", starting with a letter or digit',
  },
  {
    rule: 'identity name shorter than 3 characters',
    yaml: EXAMPLE.split('id-reports').join('ir'),
    field: 'identities[1].name',
    lineMarker: '- name: ir',
    message: 'value "ir"',
    fix: '3-128 characters',
  },
  {
    rule: 'key vault name with "--"',
    yaml: EXAMPLE.split('kv-contoso-wi-demo').join('kv-contoso--demo'),
    field: 'keyVaults[0].name',
    lineMarker: '- name: kv-contoso--demo',
    message: 'value "kv-contoso--demo"',
    fix: 'key vault name: letters, digits and single hyphens',
  },
  {
    rule: 'key vault name longer than 24 characters',
    yaml: EXAMPLE.split('kv-contoso-wi-demo').join('kv-contoso-workload-identity'),
    field: 'keyVaults[0].name',
    lineMarker: '- name: kv-contoso-workload-identity',
    message: 'value "kv-contoso-workload-identity"',
    fix: '3-24 characters',
  },
  {
    rule: 'cluster name must be lowercase',
    yaml: edit('  - name: aks-legacy', '  - name: AKS-Legacy'),
    field: 'clusters[1].name',
    lineMarker: 'name: AKS-Legacy',
    message: 'value "AKS-Legacy"',
    fix: 'cluster name: lowercase letters, digits and "-"',
  },
  {
    rule: 'storage account of the state backend must be lowercase',
    yaml: edit(
      '    type: local\n    path: terraform-state',
      '    type: azurerm\n    resourceGroupName: rg-state\n    storageAccountName: StContosoState\n    containerName: tfstate',
    ),
    field: 'terraform.backend.storageAccountName',
    lineMarker: 'storageAccountName: StContosoState',
    message: 'value "StContosoState"',
    fix: 'storage account name: lowercase letters and digits only; 3-24 characters',
  },
  {
    rule: 'stack layout is single or perCluster',
    yaml: edit('    path: terraform-state', '    path: terraform-state\n  stackLayout: percluster'),
    field: 'terraform.stackLayout',
    lineMarker: 'stackLayout: percluster',
    message: 'value "percluster" is not allowed',
    fix: 'use one of: single, perCluster',
  },
  {
    rule: 'namespace is not a DNS label',
    yaml: edit('      - namespace: reports', '      - namespace: Reports_Team'),
    field: 'clusters[0].workloads[1].namespace',
    lineMarker: 'namespace: Reports_Team',
    message: 'value "Reports_Team"',
    fix: 'a Kubernetes namespace, a DNS label',
  },
  {
    rule: 'tokenExpirationSeconds below 3600',
    yaml: edit('tokenExpirationSeconds: 7200', 'tokenExpirationSeconds: 100'),
    field: 'clusters[0].workloads[1].tokenExpirationSeconds',
    lineMarker: 'tokenExpirationSeconds: 100',
    message: 'tokenExpirationSeconds 100 is outside 3600-86400',
    fix: 'use whole seconds from 3600 to 86400',
  },
  {
    rule: '21 workloads on one identity across two clusters (20-FIC limit)',
    yaml: twentyOneFics(),
    field: 'identities[0].name',
    lineMarker: '- name: id-shared',
    message: 'would carry 21 federated credentials',
    fix: 'split the workloads across more identities',
  },
  {
    rule: 'duplicate issuer+subject on one identity (two clusters, one issuer)',
    yaml: SHARED_ISSUER,
    field: 'identities[0].name',
    lineMarker: '- name: id-shared',
    message: 'two federated credentials with issuer https://oidc.example.com/fleet/ and subject system:serviceaccount:app:api',
    fix: 'issuer+subject to be unique per identity',
  },
  {
    rule: 'same service account declared twice in one cluster',
    yaml: edit('        serviceAccount: report-builder', '        serviceAccount: orders-api').split('      - namespace: reports').join('      - namespace: orders'),
    field: 'clusters[0].workloads[1].serviceAccount',
    lineMarker: 'serviceAccount: orders-api\n        identity: id-reports',
    message: 'service account orders/orders-api of cluster "aks-prod" is declared twice',
    fix: 'keep one workload per service account',
  },
  {
    rule: 'issuer URL is not https',
    yaml: edit(LEGACY_ISSUER, LEGACY_ISSUER.replace('https:', 'http:')),
    field: 'clusters[1].aks.existing.issuerUrl',
    lineMarker: 'issuerUrl: http://',
    message: 'is not https',
    fix: 'copy it byte for byte from `az aks show',
  },
  {
    rule: 'issuer URL is an Entra issuer',
    yaml: edit(LEGACY_ISSUER, 'https://login.microsoftonline.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/v2.0'),
    field: 'clusters[1].aks.existing.issuerUrl',
    lineMarker: 'issuerUrl: https://login.microsoftonline.com/',
    message: 'is an Entra issuer',
    fix: 'copy it byte for byte from `az aks show',
  },
  {
    rule: 'aks.existing combined with resourceGroup',
    yaml: edit('    aks:\n      existing:\n', '    aks:\n      resourceGroup: rg-contoso-aks\n      existing:\n'),
    field: 'clusters[1].aks.resourceGroup',
    lineMarker: 'resourceGroup: rg-contoso-aks\n      existing:',
    message: '"resourceGroup" cannot go with aks.existing',
    fix: 'an existing cluster is known by aks.existing alone',
  },
  {
    rule: 'role scope is not an ARM id',
    yaml: edit(
      'scope: /subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stcontosoorders',
      'scope: storageAccounts/stcontosoorders',
    ),
    field: 'identities[0].roles[0].scope',
    lineMarker: 'scope: storageAccounts/stcontosoorders',
    message: 'value "storageAccounts/stcontosoorders"',
    fix: 'an ARM id such as /subscriptions/<id>/resourceGroups/<name>',
  },
  {
    rule: 'a public key file that does not exist',
    yaml: edit('          - keys/kind-dev/sa.pub', '          - keys/kind-dev/sa-old.pub'),
    field: 'clusters[2].selfManaged.serviceAccountKeys.publicKeyFiles[0]',
    lineMarker: '- keys/kind-dev/sa-old.pub',
    message: 'keys/kind-dev/sa-old.pub: file not found',
    fix: 'check the path of the public key file',
  },
  {
    rule: 'a kind cluster without the private key its API server signs with',
    yaml: edit('        privateKeyFile: keys/kind-dev/sa.key\n', ''),
    field: 'clusters[2].selfManaged.serviceAccountKeys',
    // A mapping's place is its first field's line.
    lineMarker: 'serviceAccountKeys:\n        publicKeyFiles:\n          - keys/kind-dev',
    message: 'a kind cluster needs privateKeyFile',
    fix: 'add privateKeyFile',
  },
  {
    rule: 'two clusters hosting their issuers in one storage account',
    yaml: edit('        storageAccount: stcontosooidcgsprod', '        storageAccount: stcontosooidckinddev'),
    field: 'clusters[3].selfManaged.issuer.storageAccount',
    lineMarker: 'storageAccount: stcontosooidckinddev\n        resourceGroup: rg-contoso-oidc\n      serviceAccountKeys',
    message: 'issuer storage account "stcontosooidckinddev" is declared twice (also at clusters[2])',
    fix: 'give each issuer storage account its own name',
  },
  {
    rule: 'issuer storage account with capitals',
    yaml: edit('        storageAccount: stcontosooidckinddev', '        storageAccount: StContosoOidc'),
    field: 'clusters[2].selfManaged.issuer.storageAccount',
    lineMarker: 'storageAccount: StContosoOidc',
    message: 'value "StContosoOidc"',
    fix: 'storage account name: lowercase letters and digits only',
  },
];

/** Line of a marker that may span two lines: the line where it starts. */
function expectedLine(text: string, marker: string): number {
  return marker.includes('\n') ? lineWhereStarts(text, marker) : lineOf(text, marker);
}

const run = (argv: string[], cwd: string): Promise<CliRun> => runCli(argv, cwd);

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-bad-input-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A fresh folder with the fleet file written in it; OUT is `<dir>/out`, not created. */
function scenario(name: string, yaml: string): { dir: string; file: string; out: string } {
  const dir = fs.mkdtempSync(path.join(work, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}-`));
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, yaml);
  copyExampleInputs(dir);
  return { dir, file, out: path.join(dir, 'out') };
}

describe('table of bad inputs', () => {
  it('has at least 18 distinct rules and inputs', () => {
    expect(new Set(BAD_INPUTS.map((b) => b.rule)).size).toBe(BAD_INPUTS.length);
    expect(new Set(BAD_INPUTS.map((b) => b.yaml)).size).toBe(BAD_INPUTS.length);
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(18);
  });

  it('starts from an example that synthesizes', async () => {
    const s = scenario('good', EXAMPLE);
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe.each(BAD_INPUTS)('synth refuses: $rule', (bad) => {
  it('exits 1 naming file, line, field and fix, with no stack trace and nothing written', async () => {
    const s = scenario(bad.rule, bad.yaml);
    const line = expectedLine(bad.yaml, bad.lineMarker);
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);

    expect(r.code).toBe(1);
    const heads = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    const head = heads.find((l) => l.startsWith(`error: ${s.file}:${line}:`) && (bad.field === null || l.includes(` ${bad.field}: `)));
    if (!head) throw new Error(`no error at ${s.file}:${line} ${bad.field ?? ''}; stderr was:\n${r.stderr}`);
    const issue = r.stderr.slice(r.stderr.indexOf(head)).split('\n').slice(0, 2).join('\n');
    if (bad.message) expect(issue).toContain(bad.message);
    expect(issue).toMatch(/\n {2}fix: \S/);
    expect(issue.split('\n')[1]).toContain(bad.fix);
    expect(heads).toHaveLength(bad.errors ?? 1);
    expect(r.stderr).toContain(`${bad.errors ?? 1} problem(s); nothing was written`);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
    expect(fs.existsSync(s.out)).toBe(false);
    expect(fs.readdirSync(s.dir).sort()).toEqual(['fleet.yaml', 'keys', 'openshift']);
  });
});

/** Every file below a folder with its bytes, for byte-for-byte comparison. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, e.name);
      if (e.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel)));
    }
  };
  walk('');
  return files;
}

describe('a failed synth over an existing OUT', () => {
  it('leaves the OUT of the last good synth byte-identical', async () => {
    const s = scenario('keeps-out', EXAMPLE);
    expect((await run(['synth', '-c', s.file, '-o', s.out], s.dir)).code).toBe(0);
    const before = snapshot(s.out);
    expect(before.size).toBeGreaterThan(3);

    fs.writeFileSync(s.file, edit('tokenExpirationSeconds: 7200', 'tokenExpirationSeconds: 100'));
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    expect(r.code).toBe(1);
    expect(snapshot(s.out)).toEqual(before);
    expect(fs.readdirSync(s.dir).sort()).toEqual(['fleet.yaml', 'keys', 'openshift', 'out']);
  });
});

describe('usage and missing files', () => {
  it('a missing -c file exits 1 with a clear message', async () => {
    const s = scenario('missing-config', EXAMPLE);
    const missing = path.join(s.dir, 'no-such-fleet.yaml');
    const r = await run(['synth', '-c', missing, '-o', s.out], s.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${missing}: file not found`);
    expect(r.stderr).toContain('fix: ');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(fs.existsSync(s.out)).toBe(false);
  });

  it('an unknown option exits 2', async () => {
    const s = scenario('unknown-option', EXAMPLE);
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--frobnicate'], s.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(fs.existsSync(s.out)).toBe(false);
  });

  it('an unknown command exits 2', async () => {
    const s = scenario('unknown-command', EXAMPLE);
    const r = await run(['synthesise', '-c', s.file], s.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'synthesise'");
  });
});

describe('the real executable', () => {
  it('exits 1 on a bad fleet file, with no stack trace', () => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'src', 'cli', 'main.js'))) {
      const built = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, encoding: 'utf8' });
      expect(built.status).toBe(0);
    }
    const s = scenario('bin', edit('        identity: id-reports', '        identity: id-report'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'wisynth.js'), 'synth', '-c', 'fleet.yaml', '-o', 'out'], {
      cwd: s.dir,
      encoding: 'utf8',
      env: { ...process.env, WISYNTH_DEBUG: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: fleet.yaml:${lineOf(fs.readFileSync(s.file, 'utf8'), 'identity: id-report')}`);
    expect(r.stderr).toContain('clusters[0].workloads[1].identity: identity "id-report" is not declared');
    expect(r.stderr).toContain('  fix: ');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(fs.existsSync(path.join(s.dir, 'out'))).toBe(false);
  });
});
