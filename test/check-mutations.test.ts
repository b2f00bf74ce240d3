/**
 * `wisynth check` against single faults: the example is synthesized once, then each case copies the
 * output, breaks exactly one thing on disk (as a person or a tool would, by editing the files), and
 * expects exactly one error that names the rule, the file and the object of that fault, quotes the
 * wrong value where there is one, and says how to fix it.
 */
import { createHash, generateKeyPairSync, JsonWebKey } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { CheckReport } from '../src/check/check';
import type { Finding } from '../src/check/finding';
import { main } from '../src/cli/main';
import { ROOT } from './support';

/** Parsed YAML or JSON, edited field by field. */
type Json = any;

const STACK = 'terraform/stacks/contoso/cdk.tf.json';
const FIC = 'azurerm_federated_identity_credential';
const WEBHOOK_AUDIENCE = 'api://AzureADTokenExchange';
const CLIENT_ID = 'azure.workload.identity/client-id';
const KIND_DEV_FIC = 'fic_id-orders_kind-dev_orders_orders-worker';
const KIND_DEV_SA = 'kubernetes/kind-dev/serviceaccount_orders_orders-worker.yaml';
const KIND_DEV_KUSTOMIZATION = 'kubernetes/kind-dev/kustomization.yaml';
const INSTALL_CONFIG = 'kubernetes/ocp-prod/secret_ocp-prod_ocp-prod-install-config.yaml';
const INSTALL_CONFIG_OBJECT = 'Secret ocp-prod/ocp-prod-install-config install-config.yaml';
const MANIFESTS = 'kubernetes/ocp-prod/secret_ocp-prod_ocp-prod-manifests.yaml';
const AUTHENTICATION = 'cluster-authentication-02-config.yaml';
const WEBHOOK_RELEASE = 'helmrelease_azure-workload-identity-system_workload-identity-webhook.yaml';
const KIND_DEV_JWKS = 'oidc/kind-dev/openid/v1/jwks';
const KIND_DEV_DISCOVERY = 'oidc/kind-dev/.well-known/openid-configuration';

/* ---------- running the CLI in process ---------- */

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...argv: string[]): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { cwd: ROOT, env: {}, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function checkJson(dir: string): Promise<{ code: number; report: CheckReport }> {
  const { code, stdout } = await run('check', dir, '--json');
  return { code, report: JSON.parse(stdout) as CheckReport };
}

const errorsOf = (report: CheckReport): Finding[] => report.findings.filter((f) => f.severity === 'error');

/* ---------- editing files of OUT ---------- */

let work: string;
let pristine: string;
let copies = 0;

/** A fresh copy of the synthesized example. */
function copyOfPristine(): string {
  const dir = path.join(work, `case-${++copies}`);
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}

const file = (dir: string, rel: string) => path.join(dir, ...rel.split('/'));
const readText = (dir: string, rel: string) => fs.readFileSync(file(dir, rel), 'utf8');
const writeText = (dir: string, rel: string, text: string) => fs.writeFileSync(file(dir, rel), text);

function editJson(dir: string, rel: string, edit: (doc: Json) => void): void {
  const doc = JSON.parse(readText(dir, rel));
  edit(doc);
  writeText(dir, rel, `${JSON.stringify(doc, null, 2)}\n`);
}

function editYaml(dir: string, rel: string, edit: (doc: Json) => void): void {
  const doc = yaml.load(readText(dir, rel));
  edit(doc);
  writeText(dir, rel, yaml.dump(doc, { lineWidth: -1 }));
}

/** Edits YAML held as a string (a Secret's stringData entry, a kubeadm patch), and keeps it YAML. */
function editEmbedded(text: string, edit: (doc: Json) => void): string {
  const doc = yaml.load(text);
  edit(doc);
  return yaml.dump(doc, { lineWidth: -1 });
}

const editStack = (dir: string, edit: (resources: Json) => void) => editJson(dir, STACK, (tf) => edit(tf.resource));

function editInstallConfig(dir: string, edit: (installConfig: Json) => void): void {
  editYaml(dir, INSTALL_CONFIG, (secret) => {
    secret.stringData['install-config.yaml'] = editEmbedded(secret.stringData['install-config.yaml'], edit);
  });
}

/** A copy of a Terraform resource under a new id, its cdktf metadata following. */
function copyResource(block: Json, id: string): Json {
  const copy = structuredClone(block);
  copy['//'] = { metadata: { ...copy['//'].metadata, path: `contoso/${id}/Default`, uniqueId: id } };
  return copy;
}

/** Adds files to a cluster folder and lists them in its kustomization.yaml, as synth would. */
function addToFolder(dir: string, folder: string, files: Record<string, Json>): void {
  for (const [name, doc] of Object.entries(files)) writeText(dir, `${folder}/${name}`, yaml.dump(doc));
  editYaml(dir, `${folder}/kustomization.yaml`, (k) => {
    k.resources = [...k.resources, ...Object.keys(files)].sort();
  });
}

/** A PEM header built from parts, so this file never holds one literally. */
const PRIVATE_KEY_HEADER = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');

/** An RSA key made now: never one that anything trusts. */
const freshKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

/* ---------- the faults ---------- */

interface Expected {
  readonly rule: string;
  readonly file: string;
  readonly object: string;
}

interface Mutation {
  readonly name: string;
  /** Breaks one thing in the copy; returns the wrong values the error message should quote. */
  readonly mutate: (dir: string) => string[] | void;
  readonly expect: Expected;
  /** Values the message must not quote (secrets). */
  readonly hides?: readonly string[];
}

const SECRET_VALUE = `s3cr3t-${createHash('sha256').update('check-mutations').digest('hex').slice(0, 16)}`;

const MUTATIONS: Mutation[] = [
  {
    name: 'the aks-legacy FIC issuer lost its trailing slash',
    mutate: (dir) => {
      let issuer = '';
      editStack(dir, (r) => {
        const fic = r[FIC]['fic_id-orders_aks-legacy_orders_orders-api'];
        issuer = fic.issuer = fic.issuer.replace(/\/$/, '');
      });
      return [issuer, 'trailing slash'];
    },
    expect: { rule: 'fic-issuer', file: STACK, object: `${FIC}.fic_id-orders_aks-legacy_orders_orders-api` },
  },
  {
    name: 'a namespace typo in the kind-dev orders-worker FIC subject',
    mutate: (dir) => {
      editStack(dir, (r) => {
        r[FIC][KIND_DEV_FIC].subject = 'system:serviceaccount:ordres:orders-worker';
      });
      return ['system:serviceaccount:ordres:orders-worker'];
    },
    expect: { rule: 'fic-subject', file: STACK, object: `${FIC}.${KIND_DEV_FIC}` },
  },
  {
    name: 'a wrong audience on a webhook FIC',
    mutate: (dir) => {
      editStack(dir, (r) => {
        r[FIC][KIND_DEV_FIC].audience = ['api://AzureADTokenExchange/wrong'];
      });
      return ['api://AzureADTokenExchange/wrong'];
    },
    expect: { rule: 'fic-audience', file: STACK, object: `${FIC}.${KIND_DEV_FIC}` },
  },
  {
    name: 'an OpenShift operator FIC with the webhook audience instead of openshift',
    mutate: (dir) => {
      editStack(dir, (r) => {
        r[FIC]['fic_ocp-prod-openshift-ingress-operator-cloud-credentials_ingress-operator'].audience = [WEBHOOK_AUDIENCE];
      });
      return [WEBHOOK_AUDIENCE, '"openshift"'];
    },
    expect: { rule: 'fic-audience', file: STACK, object: `${FIC}.fic_ocp-prod-openshift-ingress-operator-cloud-credentials_ingress-operator` },
  },
  {
    name: 'the verify Deployment pod template lost the azure.workload.identity/use label',
    mutate: (dir) => {
      editYaml(dir, 'kubernetes/aks-prod/deployment_orders_verify-orders-api.yaml', (d) => {
        delete d.spec.template.metadata.labels['azure.workload.identity/use'];
      });
      return ['orders/orders-api', 'azure.workload.identity/use'];
    },
    expect: { rule: 'pod-label', file: 'kubernetes/aks-prod/deployment_orders_verify-orders-api.yaml', object: 'Deployment orders/verify-orders-api' },
  },
  {
    name: 'a 21st FIC on identity id-orders',
    mutate: (dir) => {
      const sa = yaml.load(readText(dir, KIND_DEV_SA)) as Json;
      expect(sa.metadata.annotations[CLIENT_ID]).toEqual(expect.any(String));
      const files: Record<string, Json> = {};
      editStack(dir, (r) => {
        const template = r[FIC][KIND_DEV_FIC];
        const onIdentity = () => Object.values(r[FIC]).filter((f: Json) => f.parent_id === template.parent_id).length;
        for (let i = 1; onIdentity() < 21; i++) {
          const name = `orders-worker-${i}`;
          files[`serviceaccount_orders_${name}.yaml`] = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { annotations: sa.metadata.annotations, name, namespace: 'orders' } };
          const id = `${KIND_DEV_FIC}-${i}`;
          r[FIC][id] = { ...copyResource(template, id), name: `kind-dev_orders_${name}`, subject: `system:serviceaccount:orders:${name}` };
        }
      });
      addToFolder(dir, 'kubernetes/kind-dev', files);
      return ['id-orders', '21 FICs'];
    },
    expect: { rule: 'fic-limit', file: STACK, object: 'azurerm_user_assigned_identity.identity_id-orders' },
  },
  {
    name: 'a tampered kid in the kind-dev JWKS',
    mutate: (dir) => {
      editJson(dir, KIND_DEV_JWKS, (jwks) => {
        jwks.keys[0].kid = 'tampered-kid-0000000000000000000000000000000';
      });
      return ['tampered-kid-0000000000000000000000000000000'];
    },
    expect: { rule: 'jwks', file: KIND_DEV_JWKS, object: 'keys[0]' },
  },
  {
    name: 'a second key in the kind-dev JWKS that is no public key',
    mutate: (dir) => {
      editJson(dir, KIND_DEV_JWKS, (jwks) => {
        jwks.keys.push({ use: 'sig', kty: 'RSA', kid: 'broken', alg: 'RS256', e: 'AQAB' });
      });
      return ["is not a public key Node's crypto can read"];
    },
    expect: { rule: 'jwks', file: KIND_DEV_JWKS, object: 'keys[1]' },
  },
  {
    name: 'a kind-dev JWKS without the key the cluster signs with',
    mutate: (dir) => {
      const signingKeyId = JSON.parse(readText(dir, 'summary.json')).clusters.find((c: Json) => c.name === 'kind-dev').signingKeyId;
      const { publicKey } = freshKey();
      const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
      const { n, e } = publicKey.export({ format: 'jwk' }) as JsonWebKey;
      editJson(dir, KIND_DEV_JWKS, (jwks) => {
        jwks.keys = [{ use: 'sig', kty: 'RSA', kid, alg: 'RS256', n, e }];
      });
      return [signingKeyId];
    },
    expect: { rule: 'jwks', file: KIND_DEV_JWKS, object: 'keys' },
  },
  {
    name: 'a private key dropped under kubernetes/',
    mutate: (dir) => {
      const pem = freshKey().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(pem).toContain(PRIVATE_KEY_HEADER);
      writeText(dir, 'kubernetes/kind-dev/sa.key', pem);
      return ['kubernetes/kind-dev/sa.key'];
    },
    expect: { rule: 'secret', file: 'kubernetes/kind-dev/sa.key', object: '(file)' },
    hides: ['PRIVATE KEY-----'],
  },
  {
    name: 'the ClusterDeployment allows 2 install attempts',
    mutate: (dir) => {
      editYaml(dir, 'kubernetes/ocp-prod/clusterdeployment_ocp-prod_ocp-prod.yaml', (cd) => {
        cd.spec.installAttemptsLimit = 2;
      });
      return ['is 2'];
    },
    expect: { rule: 'openshift-install', file: 'kubernetes/ocp-prod/clusterdeployment_ocp-prod_ocp-prod.yaml', object: 'ClusterDeployment ocp-prod/ocp-prod spec.installAttemptsLimit' },
  },
  {
    name: 'install-config credentialsMode Mint',
    mutate: (dir) => {
      editInstallConfig(dir, (ic) => {
        ic.credentialsMode = 'Mint';
      });
      return ['"Mint"'];
    },
    expect: { rule: 'openshift-install', file: INSTALL_CONFIG, object: `${INSTALL_CONFIG_OBJECT}: credentialsMode` },
  },
  {
    name: 'install-config resourceGroupName is the OIDC resource group',
    mutate: (dir) => {
      editInstallConfig(dir, (ic) => {
        ic.platform.azure.resourceGroupName = 'ocp-prod-oidc';
      });
      return ['"ocp-prod-oidc"'];
    },
    expect: { rule: 'openshift-install', file: INSTALL_CONFIG, object: `${INSTALL_CONFIG_OBJECT}: platform.azure.resourceGroupName` },
  },
  {
    name: "install-config region differs from the ClusterDeployment's",
    mutate: (dir) => {
      editInstallConfig(dir, (ic) => {
        ic.platform.azure.region = 'northeurope';
      });
      return ['"northeurope"', '"westeurope"'];
    },
    expect: { rule: 'openshift-install', file: INSTALL_CONFIG, object: `${INSTALL_CONFIG_OBJECT}: platform.azure.region` },
  },
  {
    name: "kind-dev's API server service-account-issuer flag got a trailing slash",
    mutate: (dir) => {
      let issuer = '';
      editYaml(dir, 'clusters/kind-dev/kind-cluster.yaml', (kind) => {
        kind.kubeadmConfigPatches = kind.kubeadmConfigPatches.map((patch: string) =>
          editEmbedded(patch, (p) => {
            if (p.kind !== 'ClusterConfiguration') return;
            issuer = p.apiServer.extraArgs['service-account-issuer'] += '/';
          }),
        );
      });
      expect(issuer).toMatch(/\/$/);
      return [issuer, 'trailing slash'];
    },
    expect: { rule: 'api-server-issuer', file: 'clusters/kind-dev/kind-cluster.yaml', object: 'kubeadmConfigPatches ClusterConfiguration service-account-issuer' },
  },
  {
    name: 'the OpenShift Authentication serviceAccountIssuer changed',
    mutate: (dir) => {
      const issuer = 'https://stcontosooidcocpprod.blob.core.windows.net/ocp-prod-old';
      editYaml(dir, MANIFESTS, (secret) => {
        secret.stringData[AUTHENTICATION] = editEmbedded(secret.stringData[AUTHENTICATION], (auth) => {
          auth.spec.serviceAccountIssuer = issuer;
        });
      });
      return [issuer];
    },
    expect: { rule: 'issuer-sources', file: MANIFESTS, object: `Secret ocp-prod/ocp-prod-manifests ${AUTHENTICATION}: Authentication spec.serviceAccountIssuer` },
  },
  {
    name: 'a wrong jwks_uri in the kind-dev discovery document',
    mutate: (dir) => {
      const uri = 'https://stcontosooidckinddev.blob.core.windows.net/kind-dev/keys.json';
      editJson(dir, KIND_DEV_DISCOVERY, (doc) => {
        doc.jwks_uri = uri;
      });
      return [uri];
    },
    expect: { rule: 'discovery', file: KIND_DEV_DISCOVERY, object: 'jwks_uri' },
  },
  {
    name: 'the webhook HelmRelease copied onto AKS',
    mutate: (dir) => {
      const release = yaml.load(readText(dir, `kubernetes/kind-dev/${WEBHOOK_RELEASE}`));
      addToFolder(dir, 'kubernetes/aks-prod', { [WEBHOOK_RELEASE]: release });
      return ['aks-prod'];
    },
    expect: { rule: 'webhook', file: `kubernetes/aks-prod/${WEBHOOK_RELEASE}`, object: 'HelmRelease azure-workload-identity-system/workload-identity-webhook' },
  },
  {
    name: 'the FIC of an annotated service account deleted',
    mutate: (dir) => {
      editStack(dir, (r) => {
        delete r[FIC]['fic_id-reports_aks-prod_reports_report-builder'];
      });
      return ['system:serviceaccount:reports:report-builder'];
    },
    expect: { rule: 'sa-federation', file: 'kubernetes/aks-prod/serviceaccount_reports_report-builder.yaml', object: 'ServiceAccount reports/report-builder' },
  },
  {
    name: 'a duplicate FIC under a new resource id and name',
    mutate: (dir) => {
      const id = `${KIND_DEV_FIC}_copy`;
      editStack(dir, (r) => {
        r[FIC][id] = { ...copyResource(r[FIC][KIND_DEV_FIC], id), name: 'kind-dev_orders_orders-worker_copy' };
      });
      return ['system:serviceaccount:orders:orders-worker', `${FIC}.${KIND_DEV_FIC}`];
    },
    expect: { rule: 'fic-duplicate', file: STACK, object: `${FIC}.${KIND_DEV_FIC}_copy` },
  },
  {
    name: 'the AKS OIDC issuer turned off',
    mutate: (dir) => {
      editStack(dir, (r) => {
        r.azurerm_kubernetes_cluster['aks_aks-prod'].oidc_issuer_enabled = false;
      });
      return ['oidc_issuer_enabled is false'];
    },
    expect: { rule: 'aks-issuer', file: STACK, object: 'azurerm_kubernetes_cluster.aks_aks-prod' },
  },
  {
    name: 'a ServiceAccount that is schema-invalid (automountServiceAccountToken: "yes")',
    mutate: (dir) => {
      editYaml(dir, KIND_DEV_SA, (sa) => {
        sa.automountServiceAccountToken = 'yes';
      });
      return ['automountServiceAccountToken'];
    },
    expect: { rule: 'schema', file: KIND_DEV_SA, object: 'ServiceAccount orders/orders-worker' },
  },
  {
    name: 'a YAML file in kubernetes/kind-dev that kustomization.yaml does not list',
    mutate: (dir) => {
      writeText(dir, 'kubernetes/kind-dev/configmap_orders_settings.yaml', yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'orders' }, data: { LOG_LEVEL: 'debug' } }));
      return ['configmap_orders_settings.yaml'];
    },
    expect: { rule: 'kustomization', file: KIND_DEV_KUSTOMIZATION, object: 'resources' },
  },
  {
    name: 'a role assignment scoped to an undeclared key vault',
    mutate: (dir) => {
      editStack(dir, (r) => {
        r.azurerm_role_assignment['role_id-orders_key-vault-secrets-user_f4b991e9'].scope = '${azurerm_key_vault.nope.id}';
      });
      return ['azurerm_key_vault.nope'];
    },
    expect: { rule: 'terraform-reference', file: STACK, object: 'azurerm_role_assignment.role_id-orders_key-vault-secrets-user_f4b991e9' },
  },
  {
    name: 'an azure_client_secret in a ccoctl credentials manifest',
    mutate: (dir) => {
      const key = 'openshift-ingress-operator-cloud-credentials-credentials.yaml';
      editYaml(dir, MANIFESTS, (secret) => {
        secret.stringData[key] = editEmbedded(secret.stringData[key], (credentials) => {
          credentials.stringData.azure_client_secret = SECRET_VALUE;
        });
      });
      return ['azure_client_secret'];
    },
    expect: { rule: 'secret', file: MANIFESTS, object: 'Secret ocp-prod/ocp-prod-manifests' },
    hides: [SECRET_VALUE],
  },
];

/* ---------- the tests ---------- */

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-check-mutations-'));
  pristine = path.join(work, 'pristine');
  const synth = await run('synth', '-c', path.join(ROOT, 'examples', 'fleet.yaml'), '-o', pristine);
  if (synth.code !== 0) throw new Error(`synth of the example failed (${synth.code}):\n${synth.stderr}`);
}, 120_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the unmutated example', () => {
  // aks-legacy's billing and orders namespaces are not created by wisynth (createNamespace: false) and its folder has no Namespace
  const EXTERNAL_NAMESPACE_WARNINGS = ['ServiceAccount billing/billing-api', 'ServiceAccount orders/orders-api'];

  test('passes in text mode: exit 0, no error, warnings only for placeholders and namespaces wisynth does not create', async () => {
    const { code, stdout, stderr } = await run('check', pristine);
    expect(code).toBe(0);
    expect(stdout).toMatch(/passed, 0 error\(s\), \d+ warning\(s\)/);
    expect(stderr).not.toMatch(/^error:/m);
    for (const line of stderr.split('\n').filter((l) => /^warning:/.test(l))) expect(line).toMatch(/\[(placeholder|external-namespace)\]$/);
  });

  test('passes with --json, in the report shape {ok, errors, warnings, findings[]}', async () => {
    const { code, report } = await checkJson(pristine);
    expect(code).toBe(0);
    expect(Object.keys(report).sort()).toEqual(['errors', 'findings', 'ok', 'warnings']);
    expect(report).toMatchObject({ ok: true, errors: 0, warnings: report.findings.length });
    expect(Array.isArray(report.findings)).toBe(true);
    for (const f of report.findings) {
      expect(Object.keys(f).sort()).toEqual(['file', 'fix', 'message', 'object', 'rule', 'severity']);
      expect(f).toMatchObject({ severity: 'warning', rule: expect.stringMatching(/^(placeholder|external-namespace)$/) });
      for (const key of ['file', 'object', 'message', 'fix'] as const) expect(f[key]).toEqual(expect.any(String));
    }
    expect(report.findings.filter((f) => f.rule === 'external-namespace').map((f) => f.object)).toEqual(EXTERNAL_NAMESPACE_WARNINGS);
  });

  test('fails with --strict, and only because of placeholders', async () => {
    const { code, stdout } = await run('check', pristine, '--json', '--strict');
    const report = JSON.parse(stdout) as CheckReport;
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.errors).toBeGreaterThan(0);
    expect(new Set(report.findings.map((f) => `${f.severity} ${f.rule}`))).toEqual(new Set(['error placeholder', 'warning external-namespace']));
  });
});

test('synth checks what it wrote and says so; --no-check skips it', async () => {
  const checked = await run('synth', '-c', path.join(ROOT, 'examples', 'fleet.yaml'), '-o', path.join(work, 'synth-checked'));
  expect(checked.code).toBe(0);
  expect(checked.stdout).toMatch(/^check .*synth-checked: passed, \d+ warning\(s\)/m);
  const unchecked = await run('synth', '-c', path.join(ROOT, 'examples', 'fleet.yaml'), '-o', path.join(work, 'synth-unchecked'), '--no-check');
  expect(unchecked.code).toBe(0);
  expect(unchecked.stdout).not.toMatch(/^check /m);
});

test('a folder without summary.json is a usage error (exit 2)', async () => {
  const dir = copyOfPristine();
  fs.rmSync(file(dir, 'summary.json'));
  const { code, stdout, stderr } = await run('check', dir, '--json');
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toContain('summary.json');
  expect(stderr).toContain('fix:');
});

describe.each(MUTATIONS)('$name', ({ mutate, expect: expected, hides }) => {
  let dir: string;
  let values: string[];
  beforeAll(() => {
    dir = copyOfPristine();
    values = mutate(dir) ?? [];
  });

  test(`--json: exit 1 and one error, ${expected.rule} on ${expected.object}`, async () => {
    const { code, report } = await checkJson(dir);
    const errors = errorsOf(report);
    // the whole errors are compared, so a failure prints every one of them
    expect(errors).toEqual([expect.objectContaining(expected)]);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, errors: 1 });
    for (const value of values) expect(errors[0].message).toContain(value);
    for (const value of hides ?? []) expect(JSON.stringify(report)).not.toContain(value);
    expect(errors[0].fix).not.toBe('');
  });

  test('text mode: exit 1, the error with its fix on stderr', async () => {
    const { code, stdout, stderr } = await run('check', dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAILED, 1 error\(s\)/);
    expect(stderr).toContain(`error: ${expected.file}: ${expected.object}: `);
    expect(stderr).toContain(`[${expected.rule}]`);
    expect(stderr).toContain('fix:');
    for (const value of hides ?? []) expect(stderr).not.toContain(value);
  });
});
