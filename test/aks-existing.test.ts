/**
 * An AKS cluster that exists: the AKS guide turns workload identity on with `az aks update
 * --enable-oidc-issuer --enable-workload-identity`. The azurerm provider has no resource that changes two
 * settings of a cluster it does not manage, so wisynth reads the cluster (a data source: the issuer comes
 * from the cluster, and the plan stops while its OIDC issuer is off), writes that command into
 * OUT/clusters/<cluster>/enable-workload-identity.sh, and `check --aks-show` compares what the cluster
 * reports with OUT.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CheckReport } from '../src/check/check';
import type { Finding } from '../src/check/finding';
import { ROOT, copyExampleInputs, runCli } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const SUB = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const STACK = 'terraform/stacks/contoso/cdk.tf.json';
const ISSUER_URL_FORM = /existing:\n {8}issuerUrl: (\S+)\n/;
const LEGACY_ISSUER = ISSUER_URL_FORM.exec(EXAMPLE)![1];
const DATA_ID = 'aks_aks-legacy';
const ISSUER_REF = `\${data.azurerm_kubernetes_cluster.${DATA_ID}.oidc_issuer_url}`;
const SCRIPT = 'clusters/aks-legacy/enable-workload-identity.sh';

let work: string;
let cases = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-aks-existing-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** The example with aks-legacy known by `existing` (YAML lines at its indentation) instead of its issuer URL. */
function withExisting(lines: string): string {
  return EXAMPLE.replace(ISSUER_URL_FORM, `existing:\n${lines.replace(/^/gm, '        ')}\n`);
}

const BY_GROUP = withExisting('resourceGroup: rg-billing-legacy\nname: billing-aks');

interface Synthesized {
  readonly dir: string;
  readonly out: string;
  readonly tf: Json;
  readonly summary: Json;
  read(rel: string): string;
}

async function synth(text: string, extra: string[] = []): Promise<Synthesized> {
  const dir = path.join(work, `case-${++cases}`);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out', ...extra], dir);
  if (run.code !== 0) throw new Error(`synth failed: ${run.stderr}`);
  const out = path.join(dir, 'out');
  const read = (rel: string) => fs.readFileSync(path.join(out, ...rel.split('/')), 'utf8');
  return { dir, out, tf: JSON.parse(read(STACK)), summary: JSON.parse(read('summary.json')), read };
}

async function findings(s: Synthesized, args: string[]): Promise<{ code: number; findings: readonly Finding[]; stderr: string }> {
  const run = await runCli(['check', 'out', '--json', ...args], s.dir);
  return { code: run.code, findings: run.stdout ? (JSON.parse(run.stdout) as CheckReport).findings : [], stderr: run.stderr };
}

/** Writes what `az aks show --output json` prints (the fields check reads, and some it does not). */
function aksShow(dir: string, file: string, fields: { name?: string; group?: string; oidc?: boolean | null; issuerUrl?: string | null; workloadIdentity?: boolean | null }): string {
  const json = {
    id: `/subscriptions/${SUB}/resourcegroups/${fields.group ?? 'rg-billing-legacy'}/providers/Microsoft.ContainerService/managedClusters/${fields.name ?? 'billing-aks'}`,
    location: 'westeurope',
    name: fields.name ?? 'billing-aks',
    resourceGroup: fields.group ?? 'rg-billing-legacy',
    kubernetesVersion: '1.30.6',
    oidcIssuerProfile: fields.oidc === null ? null : { enabled: fields.oidc ?? true, issuerUrl: fields.issuerUrl === undefined ? LEGACY_ISSUER : fields.issuerUrl },
    securityProfile: { workloadIdentity: fields.workloadIdentity === null ? null : { enabled: fields.workloadIdentity ?? true } },
  };
  fs.writeFileSync(path.join(dir, file), `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

describe('an existing cluster known by group and name', () => {
  let s: Synthesized;
  beforeAll(async () => {
    s = await synth(BY_GROUP);
  });

  test('Terraform reads the cluster and manages nothing of it', () => {
    expect(s.tf.data.azurerm_kubernetes_cluster[DATA_ID]).toMatchObject({ name: 'billing-aks', resource_group_name: 'rg-billing-legacy' });
    const managed = Object.values<Json>(s.tf.resource.azurerm_kubernetes_cluster ?? {}).map((c) => c.name);
    expect(managed).toEqual(['aks-prod']);
  });

  test('the plan stops while the OIDC issuer is off, and says which command turns it on', () => {
    const [condition] = s.tf.data.azurerm_kubernetes_cluster[DATA_ID].lifecycle.postcondition;
    expect(condition.condition).toBe('${self.oidc_issuer_enabled}');
    expect(condition.error_message).toContain(
      `az aks update --subscription '${SUB}' --resource-group 'rg-billing-legacy' --name 'billing-aks' --enable-oidc-issuer --enable-workload-identity`,
    );
  });

  test("every FIC of the cluster carries the issuer read from it, and the issuer is an output for the cluster's side", () => {
    const fics = Object.values<Json>(s.tf.resource.azurerm_federated_identity_credential).filter((f) => f.name.startsWith('aks-legacy_'));
    expect(fics.length).toBeGreaterThan(0);
    for (const fic of fics) expect(fic.issuer).toBe(ISSUER_REF);
    expect(s.tf.output['aks_aks-legacy_oidc_issuer_url'].value).toBe(ISSUER_REF);
    const legacy = s.summary.clusters.find((c: Json) => c.name === 'aks-legacy');
    expect(legacy).toMatchObject({ issuer: 'WISYNTH_PENDING:aks_aks-legacy_oidc_issuer_url', aks: { name: 'billing-aks', resourceGroup: 'rg-billing-legacy', subscriptionId: SUB } });
  });

  test('with the outputs after apply, the issuer is the value Terraform read', async () => {
    const outputs = path.join(work, `outputs-${cases}.json`);
    fs.writeFileSync(outputs, JSON.stringify({ 'aks_aks-legacy_oidc_issuer_url': { value: LEGACY_ISSUER, type: 'string', sensitive: false } }));
    const after = await synth(BY_GROUP, ['--outputs', outputs]);
    expect(after.summary.clusters.find((c: Json) => c.name === 'aks-legacy').issuer).toBe(LEGACY_ISSUER);
    expect(after.summary.resolvedOutputs['aks_aks-legacy_oidc_issuer_url']).toBe(LEGACY_ISSUER);
  });

  test('the script runs the two az commands of the guide, each value one shell word', () => {
    const bin = path.join(work, 'fake-az');
    fs.mkdirSync(bin, { recursive: true });
    // prints its arguments, one per line, so the test sees how the shell split them
    fs.writeFileSync(path.join(bin, 'az'), '#!/bin/sh\nfor a in "$@"; do printf "<%s>\\n" "$a"; done\n', { mode: 0o755 });
    const printed = execFileSync('sh', [path.join(s.out, ...SCRIPT.split('/'))], { env: { PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    const where = ['<--subscription>', `<${SUB}>`, '<--resource-group>', '<rg-billing-legacy>', '<--name>', '<billing-aks>'];
    expect(printed.trim().split('\n')).toEqual([
      '<aks>', '<update>', ...where, '<--enable-oidc-issuer>', '<--enable-workload-identity>', '<--output>', '<none>',
      '<aks>', '<show>', ...where, '<--output>', '<json>',
    ]);
  });

  test('a group name with the characters Azure allows stays one word', async () => {
    const odd = await synth(
      BY_GROUP.replace('  - name: rg-billing-legacy\n', "  - name: rg-(billing).legacy_1\n").replace(/resourceGroup: rg-billing-legacy/g, 'resourceGroup: rg-(billing).legacy_1'),
    );
    expect(odd.read(SCRIPT)).toContain("--resource-group 'rg-(billing).legacy_1' --name 'billing-aks'");
  });

  test('check passes on the synthesized folder', async () => {
    const run = await findings(s, []);
    expect(run.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('check reports a read of the cluster without the postcondition', async () => {
    const tf = structuredClone(s.tf);
    delete tf.data.azurerm_kubernetes_cluster[DATA_ID].lifecycle;
    fs.writeFileSync(path.join(s.out, ...STACK.split('/')), JSON.stringify(tf, null, 2));
    try {
      const run = await findings(s, []);
      expect(run.findings.filter((f) => f.rule === 'aks-issuer')).toEqual([
        expect.objectContaining({ severity: 'error', object: `data.azurerm_kubernetes_cluster.${DATA_ID}`, message: expect.stringContaining('empty issuer') }),
      ]);
    } finally {
      fs.writeFileSync(path.join(s.out, ...STACK.split('/')), JSON.stringify(s.tf, null, 2));
    }
  });

  test('`${self.…}` is accepted only as a postcondition: anywhere else it is an expression synth never writes', async () => {
    const tf = structuredClone(s.tf);
    const [id] = Object.keys(tf.resource.azurerm_federated_identity_credential);
    tf.resource.azurerm_federated_identity_credential[id].issuer = '${self.oidc_issuer_url}';
    fs.writeFileSync(path.join(s.out, ...STACK.split('/')), JSON.stringify(tf, null, 2));
    try {
      const run = await findings(s, []);
      expect(run.findings).toContainEqual(expect.objectContaining({ rule: 'terraform-expression', object: `azurerm_federated_identity_credential.${id}.issuer` }));
    } finally {
      fs.writeFileSync(path.join(s.out, ...STACK.split('/')), JSON.stringify(s.tf, null, 2));
    }
  });

  describe('check --aks-show', () => {
    test('a cluster with both features on passes (names and groups compared without case, as Azure does)', async () => {
      const file = aksShow(s.dir, 'on.json', { name: 'Billing-AKS', group: 'RG-Billing-Legacy' });
      const run = await findings(s, ['--aks-show', file]);
      expect(run.findings.filter((f) => f.rule === 'aks-show')).toEqual([]);
      expect(run.code).toBe(0);
    });

    test('a cluster with both off: one error each, the fix naming the script synth wrote', async () => {
      const file = aksShow(s.dir, 'off.json', { oidc: false, issuerUrl: null, workloadIdentity: null });
      const run = await findings(s, ['--aks-show', file]);
      const shown = run.findings.filter((f) => f.rule === 'aks-show');
      expect(shown.map((f) => [f.severity, f.file, f.object])).toEqual([
        ['error', 'off.json', 'oidcIssuerProfile.enabled'],
        ['error', 'off.json', 'securityProfile.workloadIdentity.enabled'],
      ]);
      for (const f of shown) expect(f.fix).toContain(`sh ${SCRIPT}`);
      expect(run.code).toBe(1);
    });

    test('an `az aks show` of a cluster the folder does not hold is an error naming the ones it holds', async () => {
      const file = aksShow(s.dir, 'other.json', { name: 'someone-else' });
      const run = await findings(s, ['--aks-show', file]);
      expect(run.findings.filter((f) => f.rule === 'aks-show')).toEqual([
        expect.objectContaining({ severity: 'error', object: 'name', message: expect.stringContaining('aks-prod in rg-contoso-aks, billing-aks in rg-billing-legacy') }),
      ]);
    });

    test('a file that is no `az aks show` output is refused with file, field and fix, exit 1', async () => {
      fs.writeFileSync(path.join(s.dir, 'wrong.json'), JSON.stringify({ name: 7, oidcIssuerProfile: { enabled: 'yes' } }));
      fs.writeFileSync(path.join(s.dir, 'array.json'), '[]');
      const run = await runCli(['check', 'out', '--aks-show', 'wrong.json', '--aks-show', 'array.json', '--aks-show', 'missing.json'], s.dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('wrong.json: name must be a string, not 7');
      expect(run.stderr).toContain('wrong.json: resourceGroup must be a string, not missing');
      expect(run.stderr).toContain('wrong.json: oidcIssuerProfile.enabled must be true or false, not "yes"');
      expect(run.stderr).toContain('array.json: must hold one JSON object, the cluster');
      expect(run.stderr).toContain('missing.json: file not found');
      expect(run.stderr).toContain('fix: pass what `az aks show -g <group> -n <cluster> --output json` printed');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });

    test('reads are bounded: a device is refused before it is read', async () => {
      const run = await runCli(['check', 'out', '--aks-show', '/dev/zero'], s.dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('/dev/zero: is a device, not a regular file');
    });

    test('a JSON file given without --aks-show is a usage error that names the option', async () => {
      const run = await runCli(['check', 'out', 'on.json'], s.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('did you mean --aks-show on.json?');
    });
  });
});

describe('an existing cluster known by its issuer URL', () => {
  let s: Synthesized;
  beforeAll(async () => {
    s = await synth(EXAMPLE);
  });

  test('nothing is read from Azure and no script is written: the FICs carry the URL as given', () => {
    expect(s.tf.data?.azurerm_kubernetes_cluster).toBeUndefined();
    expect(s.summary.files).not.toContain(SCRIPT);
    const fics = Object.values<Json>(s.tf.resource.azurerm_federated_identity_credential).filter((f) => f.name.startsWith('aks-legacy_'));
    for (const fic of fics) expect(fic.issuer).toBe(LEGACY_ISSUER);
  });

  test('check --aks-show finds the URL the cluster reports without its trailing slash, and says so', async () => {
    const file = aksShow(s.dir, 'show.json', { name: 'aks-legacy', group: 'rg-anything', issuerUrl: LEGACY_ISSUER.replace(/\/$/, '') });
    const run = await findings(s, ['--aks-show', file]);
    expect(run.findings.filter((f) => f.rule === 'aks-show')).toEqual([
      expect.objectContaining({
        object: 'oidcIssuerProfile.issuerUrl',
        message: expect.stringContaining('(they differ by a trailing slash)'),
        fix: expect.stringContaining('aks.existing.resourceGroup'),
      }),
    ]);
  });

  test('with both features off, the fix is the az command itself (no script exists)', async () => {
    const file = aksShow(s.dir, 'off.json', { name: 'aks-legacy', group: 'rg-x', oidc: false, issuerUrl: null, workloadIdentity: false });
    const run = await findings(s, ['--aks-show', file]);
    const fixes = run.findings.filter((f) => f.rule === 'aks-show').map((f) => f.fix);
    expect(fixes).toHaveLength(2);
    for (const fix of fixes) expect(fix).toContain(`az aks update --subscription '${SUB}' --resource-group 'rg-x' --name 'aks-legacy' --enable-oidc-issuer --enable-workload-identity`);
  });
});

describe('fleet mistakes in aks.existing', () => {
  async function synthErrors(text: string): Promise<string> {
    const dir = path.join(work, `bad-${++cases}`);
    fs.mkdirSync(dir);
    copyExampleInputs(dir);
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
    const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
    expect(run.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    return run.stderr;
  }

  test.each([
    ['issuerUrl with resourceGroup', `resourceGroup: rg-billing-legacy\nissuerUrl: ${LEGACY_ISSUER}`, 'clusters[1].aks.existing: "resourceGroup" cannot go with "issuerUrl"'],
    ['nothing', '{}', 'clusters[1].aks.existing: gives neither resourceGroup nor issuerUrl'],
    ['a name without a group', 'name: billing-aks', 'clusters[1].aks.existing: gives neither resourceGroup nor issuerUrl'],
    ['a name with issuerUrl', `name: billing-aks\nissuerUrl: ${LEGACY_ISSUER}`, 'clusters[1].aks.existing: "name" cannot go with "issuerUrl"'],
    ['an undeclared group', 'resourceGroup: rg-nowhere', 'rg-nowhere'],
    ['an invalid AKS name', 'resourceGroup: rg-billing-legacy\nname: billing aks', 'clusters[1].aks.existing.name'],
  ])('%s', async (_what, lines, expected) => {
    expect(await synthErrors(withExisting(lines))).toContain(expected);
  });
});
