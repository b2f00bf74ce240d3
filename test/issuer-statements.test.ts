/**
 * summary.json lists, per cluster, the files that state its issuer and their form (written by the cluster's
 * platform); `check` compares exactly those, so no rule of its own names a platform's files. The same for
 * how the webhook reaches each cluster.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CheckReport } from '../src/check/check';
import { copyExampleInputs, runCli } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

let work: string;
let out: string;
let summary: Json;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-issuer-statements-'));
  copyExampleInputs(work);
  const run = await runCli(['synth', '-o', 'out'], work);
  if (run.code !== 0) throw new Error(run.stderr);
  out = path.join(work, 'out');
  summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const statementsOf = (name: string) => summary.clusters.find((c: Json) => c.name === name).issuerStatedIn;

/** check on a copy of OUT whose summary.json (and files) `change` edited. */
async function checkWith(change: (copy: string, s: Json) => void): Promise<CheckReport> {
  const copy = fs.mkdtempSync(path.join(work, 'copy-'));
  fs.cpSync(out, copy, { recursive: true });
  const s = JSON.parse(fs.readFileSync(path.join(copy, 'summary.json'), 'utf8'));
  change(copy, s);
  fs.writeFileSync(path.join(copy, 'summary.json'), JSON.stringify(s, null, 2));
  return JSON.parse((await runCli(['check', copy, '--json'], work)).stdout) as CheckReport;
}

test('each hosted issuer lists its API server configuration and its discovery document; OpenShift its manifests; a new AKS cluster its resource', () => {
  expect(statementsOf('kind-dev')).toEqual([
    { file: 'clusters/kind-dev/kind-cluster.yaml', form: 'kind-config' },
    { file: 'oidc/kind-dev/.well-known/openid-configuration', form: 'discovery' },
  ]);
  expect(statementsOf('gs-prod').map((s: Json) => s.form)).toEqual(['giantswarm-values', 'discovery']);
  expect(statementsOf('ocp-prod').map((s: Json) => s.form)).toEqual(['discovery', 'openshift-manifests']);
  // a new AKS cluster states it in its Terraform resource; one known by its issuer URL, in the fleet alone
  expect(statementsOf('aks-prod')).toEqual([{ file: 'terraform/stacks/contoso/cdk.tf.json', form: 'aks-cluster', name: 'aks-prod' }]);
  expect(statementsOf('aks-legacy')).toBeUndefined();
  for (const c of summary.clusters) for (const s of c.issuerStatedIn ?? []) expect(summary.files).toContain(s.file);
});

test("check compares the files the summary lists: a statement naming another cluster's discovery document disagrees", async () => {
  const report = await checkWith((_copy, s) => {
    const kind = s.clusters.find((c: Json) => c.name === 'kind-dev');
    kind.issuerStatedIn = [{ file: 'oidc/gs-prod/.well-known/openid-configuration', form: 'discovery' }];
  });
  expect(report.findings.filter((f) => f.rule === 'issuer-sources' && f.severity === 'error')).toEqual([
    expect.objectContaining({ file: 'oidc/gs-prod/.well-known/openid-configuration', object: 'issuer' }),
  ]);
});

test('an AKS statement whose stack holds no cluster of its name is an error naming both', async () => {
  const report = await checkWith((_copy, s) => {
    s.clusters.find((c: Json) => c.name === 'aks-prod').issuerStatedIn = [{ file: 'terraform/stacks/contoso/cdk.tf.json', form: 'aks-cluster', name: 'aks-other' }];
  });
  expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
    expect.objectContaining({ rule: 'issuer-sources', file: 'summary.json', message: expect.stringMatching(/terraform\/stacks\/contoso\/cdk\.tf\.json holds no azurerm_kubernetes_cluster \(resource or data source\) named "aks-other"/) }),
  ]);
});

test('a listed file missing from OUT is an error naming it', async () => {
  const report = await checkWith((copy) => fs.rmSync(path.join(copy, 'clusters', 'gs-prod', 'giantswarm-values.yaml')));
  expect(report.findings).toContainEqual(
    expect.objectContaining({ severity: 'error', rule: 'issuer-sources', file: 'summary.json', object: expect.stringContaining('clusters/gs-prod/giantswarm-values.yaml') }),
  );
});

test('a summary without the list (an older wisynth) is a warning for each hosted issuer, not silence', async () => {
  const report = await checkWith((_copy, s) => {
    for (const c of s.clusters) delete c.issuerStatedIn;
  });
  const warned = report.findings.filter((f) => f.rule === 'issuer-sources' && f.severity === 'warning').map((f) => f.message.match(/cluster (\S+)/)![1]);
  expect(warned.sort()).toEqual(['aks-prod', 'capz-mgmt', 'gs-prod', 'kind-dev', 'ocp-prod']);
});

test('an unknown form, or a list that is not one, is a summary of another shape: check stops with the field, not a crash', async () => {
  const copy = fs.mkdtempSync(path.join(work, 'copy-'));
  fs.cpSync(out, copy, { recursive: true });
  const s = JSON.parse(fs.readFileSync(path.join(copy, 'summary.json'), 'utf8'));
  s.clusters[0].issuerStatedIn = [{ file: 'x', form: 'helm-chart' }];
  s.clusters[1].webhook = { managed: 'yes' };
  fs.writeFileSync(path.join(copy, 'summary.json'), JSON.stringify(s, null, 2));
  const run = await runCli(['check', copy], work);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/clusters\[0\]\.issuerStatedIn\[0\]\.form.*must be one of kind-config, .*not "helm-chart"/);
  expect(run.stderr).toMatch(/clusters\[1\]\.webhook.*must be \{"managed": true\}/);
  expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
});

describe('how the webhook reaches each cluster, as its platform says in summary.json', () => {
  const webhookOf = (name: string) => summary.clusters.find((c: Json) => c.name === name).webhook;

  test('AKS runs it; self-managed clusters list their Helm values; CAPZ without workloads and OpenShift list none', () => {
    expect(webhookOf('aks-prod')).toEqual({ managed: true });
    expect(webhookOf('kind-dev')).toEqual({ managed: false, valuesFiles: ['clusters/kind-dev/webhook-values.yaml'] });
    expect(webhookOf('gs-prod')).toEqual({ managed: false, valuesFiles: ['clusters/gs-prod/webhook-values.yaml'] });
    expect(webhookOf('capz-mgmt')).toEqual({ managed: false, valuesFiles: [] });
    expect(webhookOf('ocp-prod')).toEqual({ managed: false, valuesFiles: [] });
    for (const c of summary.clusters) for (const f of c.webhook.valuesFiles ?? []) expect(summary.files).toContain(f);
  });

  test('check follows the summary, not a file name: a cluster said to be managed must carry no install', async () => {
    const report = await checkWith((_copy, s) => {
      s.clusters.find((c: Json) => c.name === 'kind-dev').webhook = { managed: true };
    });
    const webhook = report.findings.filter((f) => f.rule === 'webhook');
    expect(webhook.length).toBeGreaterThan(0);
    for (const f of webhook) expect(f).toMatchObject({ severity: 'error', file: expect.stringMatching(/^kubernetes\/kind-dev\//) });
  });

  test('a listed values file missing from OUT is an error naming it', async () => {
    const report = await checkWith((copy) => fs.rmSync(path.join(copy, 'clusters', 'gs-prod', 'webhook-values.yaml')));
    expect(report.findings.filter((f) => f.rule === 'webhook')).toEqual([
      expect.objectContaining({ severity: 'error', file: 'summary.json', object: 'cluster gs-prod', message: expect.stringContaining('clusters/gs-prod/webhook-values.yaml') }),
    ]);
  });

  test('with neither the objects nor values, annotated service accounts get no token: an error on the service account', async () => {
    const report = await checkWith((copy, s) => {
      const kind = s.clusters.find((c: Json) => c.name === 'kind-dev');
      kind.webhook = { managed: false, valuesFiles: [] };
      for (const f of fs.readdirSync(path.join(copy, 'kubernetes', 'kind-dev'))) if (/^helmre(lease|pository)_/.test(f)) fs.rmSync(path.join(copy, 'kubernetes', 'kind-dev', f));
    });
    expect(report.findings.filter((f) => f.rule === 'webhook')).toEqual([
      expect.objectContaining({ severity: 'error', file: expect.stringMatching(/^kubernetes\/kind-dev\/serviceaccount_/), message: expect.stringContaining('pods get no token') }),
    ]);
  });

  test('a summary without it (an older wisynth) is a warning for each cluster, not silence', async () => {
    const report = await checkWith((_copy, s) => {
      for (const c of s.clusters) delete c.webhook;
    });
    const warned = report.findings.filter((f) => f.rule === 'webhook').map((f) => [f.severity, f.object]);
    expect(warned.sort()).toEqual(summary.clusters.map((c: Json) => ['warning', `cluster ${c.name}`]).sort());
  });
});
