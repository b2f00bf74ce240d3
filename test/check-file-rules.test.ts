/**
 * The file rules of `wisynth check` (secrets, placeholders, schemas, kustomization, Terraform
 * references) on the synthesized example read back from disk: silent on what synth writes, and
 * each catches a concrete fault made by hand in a copy of the files.
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { KubeObject, readArtifacts } from '../src/check/artifacts';
import { Finding, sortFindings } from '../src/check/finding';
import { CheckOptions, oncePerText, Rule } from '../src/check/rule';
import { kustomizationRule } from '../src/check/rules/kustomization';
import { placeholdersRule } from '../src/check/rules/placeholders';
import { schemasRule } from '../src/check/rules/schemas';
import { secretsRule } from '../src/check/rules/secrets';
import { terraformReferencesRule } from '../src/check/rules/terraform-references';
import { TrustModel } from '../src/check/trust';
import { loadFleetFile, synthesizeFleet } from '../src/index';
import { ROOT } from './support';

const EXAMPLE = path.join(ROOT, 'examples', 'fleet.yaml');
const STACK = 'terraform/stacks/contoso/cdk.tf.json';
const FILE_RULES: Record<string, Rule> = {
  secret: secretsRule,
  placeholder: placeholdersRule,
  schema: schemasRule,
  kustomization: kustomizationRule,
  'terraform-reference': terraformReferencesRule,
};

let work: string;
/** The example as synth writes it, outputs still pending. */
let pending: string;
/** The example synthesized again with every Terraform output known. */
let resolved: string;
let copies = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-file-rules-'));
  pending = path.join(work, 'pending');
  resolved = path.join(work, 'resolved');
  // check: false, so these tests see what synth writes whatever the other rules say
  const summary = synthesizeFleet(loadFleetFile(EXAMPLE), { outDir: pending, check: false });
  const outputs = new Map(summary.placeholders.map((p, i) => [p.output, fakeOutput(p.output, i)]));
  synthesizeFleet(loadFleetFile(EXAMPLE), { outDir: resolved, outputs, check: false });
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function fakeOutput(name: string, i: number): string {
  return name.endsWith('_url') ? `https://issuer.example.com/${name}` : `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
}

/** A copy of a synthesized OUT, broken by `edit`, read back as `check` reads it. */
function broken(from: string, edit: (out: string) => void): TrustModel {
  const out = path.join(work, `copy-${++copies}`);
  fs.cpSync(from, out, { recursive: true });
  edit(out);
  return modelOf(out);
}

function modelOf(out: string): TrustModel {
  return new TrustModel(readArtifacts(out));
}

function run(rule: Rule, model: TrustModel, options: CheckOptions = {}): readonly Finding[] {
  return rule(model, options);
}

/** What a user acts on: which rule, where, and how bad. */
function where(f: Finding): Pick<Finding, 'rule' | 'file' | 'object' | 'severity'> {
  return { rule: f.rule, file: f.file, object: f.object, severity: f.severity };
}

function editYaml<T>(out: string, rel: string, edit: (doc: T) => void): void {
  const file = path.join(out, rel);
  const doc = yaml.load(fs.readFileSync(file, 'utf8')) as T;
  edit(doc);
  fs.writeFileSync(file, yaml.dump(doc));
}

interface TerraformJson {
  provider: Record<string, Array<Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: unknown }>;
}

function editStack(out: string, edit: (json: TerraformJson) => void): void {
  const file = path.join(out, STACK);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

function privateKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
}

/** A line from the middle of a PEM block: key material that must never reach a message. */
function keyMaterial(pem: string): string {
  return pem.split('\n')[3];
}

describe('on the example as synth writes it', () => {
  test.each(Object.keys(FILE_RULES).filter((r) => r !== 'placeholder'))('%s finds nothing', (rule) => {
    expect(run(FILE_RULES[rule], modelOf(pending))).toEqual([]);
    expect(run(FILE_RULES[rule], modelOf(resolved), { strict: true })).toEqual([]);
  });

  test('placeholder finds nothing once every Terraform output is known, even with --strict', () => {
    expect(run(placeholdersRule, modelOf(resolved), { strict: true })).toEqual([]);
  });

  test('placeholder warns once per pending output, naming every file that still holds it', () => {
    const findings = run(placeholdersRule, modelOf(pending));
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(new Set(findings.map((f) => f.object)).size).toBe(findings.length);
    const orders = findings.find((f) => f.object === 'identity_id-orders_client_id')!;
    expect(where(orders)).toEqual({
      rule: 'placeholder',
      file: 'kubernetes/aks-legacy/serviceaccount_orders_orders-api.yaml',
      object: 'identity_id-orders_client_id',
      severity: 'warning',
    });
    expect(orders.message).toContain('WISYNTH_PENDING:identity_id-orders_client_id');
    expect(orders.message).toContain('4 files');
    for (const file of ['kubernetes/aks-legacy/serviceaccount_orders_orders-api.yaml', 'kubernetes/aks-prod/serviceaccount_orders_orders-api.yaml', 'kubernetes/eks-orders/serviceaccount_orders_orders-api.yaml', 'kubernetes/kind-dev/serviceaccount_orders_orders-worker.yaml']) {
      expect(orders.message).toContain(file);
    }
    expect(orders.fix).toBe('apply the Terraform stack, then synth again with --outputs <outputs file>');
    // summary.json and the Terraform outputs name pending outputs on purpose: never reported
    expect(findings.map((f) => f.file).filter((f) => f === 'summary.json' || f.startsWith('terraform/'))).toEqual([]);
    expect(findings.map((f) => f.object)).not.toContain('aks_aks-prod_oidc_issuer_url');
  });

  test('placeholder is an error with --strict', () => {
    const findings = run(placeholdersRule, modelOf(pending), { strict: true });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
  });
});

describe('secret', () => {
  test('a PEM private key in a cluster file is found, and its text is never printed', () => {
    const pem = privateKeyPem();
    const model = broken(resolved, (out) => fs.appendFileSync(path.join(out, 'clusters/kind-dev/webhook-values.yaml'), `signingKey: |\n  ${pem.trim().split('\n').join('\n  ')}\n`));
    const findings = run(secretsRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'secret', file: 'clusters/kind-dev/webhook-values.yaml', object: '(file)', severity: 'error' }]);
    expect(`${findings[0].message} ${findings[0].fix}`).not.toContain(keyMaterial(pem));
  });

  test('a base64 PEM key in a Secret written under kubernetes/ names the Secret', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'signing-key', namespace: 'orders' }, data: { 'sa.key': Buffer.from(pem).toString('base64') } };
    const model = broken(resolved, (out) => fs.writeFileSync(path.join(out, 'kubernetes/kind-dev/secret_orders_signing-key.yaml'), yaml.dump(secret)));
    const findings = run(secretsRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'secret', file: 'kubernetes/kind-dev/secret_orders_signing-key.yaml', object: 'Secret orders/signing-key', severity: 'error' }]);
    expect(findings[0].message).not.toContain(secret.data['sa.key'].slice(0, 40));
  });

  test('a pull secret inlined in the install-config.yaml a Secret carries is found by its key path, value not shown', () => {
    const pullSecret = '{"auths":{"cloud.openshift.com":{"auth":"c2VjcmV0LXRva2VuLXZhbHVl"}}}';
    const file = 'kubernetes/ocp-prod/secret_ocp-prod_ocp-prod-install-config.yaml';
    const model = broken(resolved, (out) =>
      editYaml<{ stringData: Record<string, string> }>(out, file, (secret) => {
        const installConfig = yaml.load(secret.stringData['install-config.yaml']) as Record<string, unknown>;
        secret.stringData['install-config.yaml'] = yaml.dump({ ...installConfig, pullSecret });
      }),
    );
    const findings = run(secretsRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'secret', file, object: 'Secret ocp-prod/ocp-prod-install-config', severity: 'error' }]);
    expect(findings[0].message).toContain('stringData.install-config.yaml: pullSecret');
    expect(`${findings[0].message} ${findings[0].fix}`).not.toContain('c2VjcmV0LXRva2VuLXZhbHVl');
  });

  test('a client secret written into the azurerm provider is found; one read from a variable is not', () => {
    const model = broken(resolved, (out) =>
      editStack(out, (json) => {
        json.provider.azurerm[0].client_secret = 'hunter2-not-a-real-secret';
        json.provider.azurerm[0].client_certificate_password = '${var.certificate_password}';
      }),
    );
    const findings = run(secretsRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'secret', file: STACK, object: 'provider.azurerm', severity: 'error' }]);
    expect(findings[0].message).toMatch(/^client_secret /);
    expect(`${findings[0].message} ${findings[0].fix}`).not.toContain('hunter2');
  });
});

describe('placeholder', () => {
  test('a placeholder left in eight files is one finding that lists five of them and counts the rest', () => {
    const accounts = fs.readdirSync(path.join(resolved, 'kubernetes'), { recursive: true, encoding: 'utf8' }).filter((f) => /\/serviceaccount_[^/]+\.yaml$/.test(f)).sort();
    expect(accounts).toHaveLength(8);
    const model = broken(resolved, (out) => {
      for (const account of accounts) {
        editYaml<{ metadata: { annotations: Record<string, string> } }>(out, `kubernetes/${account}`, (sa) => {
          sa.metadata.annotations['azure.workload.identity/client-id'] = 'WISYNTH_PENDING:identity_id-orders_client_id';
        });
      }
      // Terraform's files name outputs by design
      editStack(out, (json) => (json.output['identity_id-orders_client_id'].value = 'WISYNTH_PENDING:identity_id-orders_client_id'));
    });
    const findings = run(placeholdersRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'placeholder', file: `kubernetes/${accounts[0]}`, object: 'identity_id-orders_client_id', severity: 'warning' }]);
    expect(findings[0].message).toContain('8 files');
    expect(findings[0].message).toContain(`kubernetes/${accounts[4]} and 3 more`);
    expect(findings[0].message).not.toContain(accounts[5]);
  });
});

describe('schema', () => {
  test('a Deployment with a string for replicas is invalid by the Kubernetes 1.28 schema', () => {
    const file = 'kubernetes/aks-prod/deployment_orders_verify-orders-api.yaml';
    const model = broken(resolved, (out) => editYaml<{ spec: { replicas: unknown } }>(out, file, (d) => (d.spec.replicas = 'two')));
    const findings = run(schemasRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'schema', file, object: 'Deployment orders/verify-orders-api', severity: 'error' }]);
    expect(findings[0].message).toContain('/spec/replicas');
    expect(findings[0].fix).toContain('/spec/replicas');
    expect(findings[0].fix).toContain('Kubernetes 1.28');
  });

  test('an AzureClusterIdentity of an unknown type is invalid by its vendored CRD', () => {
    const file = 'kubernetes/capz-mgmt/azureclusteridentity_default_cluster-identity.yaml';
    const model = broken(resolved, (out) => editYaml<{ spec: { type: string } }>(out, file, (i) => (i.spec.type = 'ServicePrincipalSecret')));
    const findings = run(schemasRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'schema', file, object: 'AzureClusterIdentity default/cluster-identity', severity: 'error' }]);
    expect(findings[0].message).toContain('/spec/type');
    expect(findings[0].fix).toContain('CRD');
  });
});

describe('files of one text', () => {
  // most files of a fleet's cluster folders are alike, and the object rules judge each text's objects once
  test('a fault in a file copied into another cluster folder is reported in both', () => {
    const file = 'kubernetes/aks-prod/deployment_orders_verify-orders-api.yaml';
    const copy = 'kubernetes/aks-legacy/deployment_orders_verify-orders-api.yaml';
    const pem = privateKeyPem();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'signing-key', namespace: 'orders' }, data: { 'sa.key': Buffer.from(pem).toString('base64') } };
    const model = broken(resolved, (out) => {
      editYaml<{ spec: { replicas: unknown } }>(out, file, (d) => (d.spec.replicas = 'two'));
      fs.copyFileSync(path.join(out, file), path.join(out, copy));
      for (const cluster of ['kind-dev', 'aks-prod']) fs.writeFileSync(path.join(out, `kubernetes/${cluster}/secret_orders_signing-key.yaml`), yaml.dump(secret));
    });
    expect(run(schemasRule, model).map(where)).toEqual([
      { rule: 'schema', file, object: 'Deployment orders/verify-orders-api', severity: 'error' },
      { rule: 'schema', file: copy, object: 'Deployment orders/verify-orders-api', severity: 'error' },
    ].sort((a, b) => (a.file < b.file ? -1 : 1)));
    expect(sortFindings(run(secretsRule, model)).map((f) => f.file)).toEqual(['kubernetes/aks-prod/secret_orders_signing-key.yaml', 'kubernetes/kind-dev/secret_orders_signing-key.yaml']);
  });

  test('each object of each distinct text is judged once, and its verdict given to the same object of every file of that text', () => {
    const object = (file: string, name: string): KubeObject => ({ file, folder: file.split('/')[1], obj: { kind: 'ConfigMap', metadata: { name } }, label: `ConfigMap ${name}` });
    const objects = [object('kubernetes/a/x.yaml', 'one'), object('kubernetes/a/x.yaml', 'two'), object('kubernetes/b/x.yaml', 'one'), object('kubernetes/b/x.yaml', 'two'), object('kubernetes/c/x.yaml', 'three'), object('kubernetes/d/x.yaml', 'four')];
    const text = 'kind: ConfigMap\nmetadata: {name: one}\n---\nkind: ConfigMap\nmetadata: {name: two}\n';
    // d/x.yaml is no file it was given: judged every time
    const files = [{ path: 'kubernetes/a/x.yaml', text }, { path: 'kubernetes/b/x.yaml', text }, { path: 'kubernetes/c/x.yaml', text: 'kind: ConfigMap\nmetadata: {name: three}\n' }];
    const judged: string[] = [];
    const nameOf = oncePerText({ files, objects, stacks: [] }, (o) => {
      judged.push(o.file);
      return (o.obj.metadata as { name: string }).name;
    });
    expect([...objects, objects[5]].map(nameOf)).toEqual(['one', 'two', 'one', 'two', 'three', 'four', 'four']);
    expect(judged).toEqual(['kubernetes/a/x.yaml', 'kubernetes/a/x.yaml', 'kubernetes/c/x.yaml', 'kubernetes/d/x.yaml', 'kubernetes/d/x.yaml']);
  });
});

describe('kustomization', () => {
  test('a cluster folder without kustomization.yaml', () => {
    const model = broken(resolved, (out) => fs.rmSync(path.join(out, 'kubernetes/kind-dev/kustomization.yaml')));
    expect(run(kustomizationRule, model).map(where)).toEqual([{ rule: 'kustomization', file: 'kubernetes/kind-dev/kustomization.yaml', object: '(file)', severity: 'error' }]);
  });

  test('a listed file that is gone, and a YAML file that is not listed', () => {
    const file = 'kubernetes/aks-prod/kustomization.yaml';
    const listed = (yaml.load(fs.readFileSync(path.join(resolved, file), 'utf8')) as { resources: string[] }).resources;
    const gone = listed.indexOf('namespace_reports.yaml');
    const model = broken(resolved, (out) => {
      fs.rmSync(path.join(out, 'kubernetes/aks-prod/namespace_reports.yaml'));
      fs.writeFileSync(path.join(out, 'kubernetes/aks-prod/configmap_orders_settings.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'orders' } }));
    });
    const findings = run(kustomizationRule, model);
    expect(findings.map(where)).toEqual([
      { rule: 'kustomization', file, object: `resources[${gone}]`, severity: 'error' },
      { rule: 'kustomization', file, object: 'resources', severity: 'error' },
    ]);
    expect(findings[0].message).toContain('"namespace_reports.yaml"');
    expect(findings[1].message).toContain('configmap_orders_settings.yaml');
  });
});

describe('terraform-reference', () => {
  const fic = (json: TerraformJson): [string, Record<string, unknown>] => Object.entries(json.resource.azurerm_federated_identity_credential)[0];

  test('a federated credential whose parent identity is not in the stack', () => {
    let address = '';
    const model = broken(resolved, (out) =>
      editStack(out, (json) => {
        const [id, block] = fic(json);
        address = `azurerm_federated_identity_credential.${id}`;
        block.parent_id = '${azurerm_user_assigned_identity.identity_id-gone.id}';
      }),
    );
    const findings = run(terraformReferencesRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'terraform-reference', file: STACK, object: address, severity: 'error' }]);
    expect(findings[0].message).toContain('azurerm_user_assigned_identity.identity_id-gone');
    expect(findings[0].message).toContain('parent_id');
  });

  test('references embedded in longer strings, in functions and in depends_on are each checked', () => {
    const model = broken(resolved, (out) =>
      editStack(out, (json) => {
        json.output.joined = { value: 'id=${azurerm_resource_group.rg_rg-contoso-aks.id}/tenant=${data.azurerm_client_config.gone.tenant_id}' };
        json.output.trimmed = { value: '${trimsuffix(azurerm_storage_account.oidc_gone_account.primary_web_endpoint, "/")}' };
        const blob = Object.values(json.resource.azurerm_storage_blob).find((b) => Array.isArray(b.depends_on))!;
        blob.depends_on = ['azurerm_storage_account_static_website.oidc_gone_website'];
      }),
    );
    const findings = sortFindings(run(terraformReferencesRule, model));
    const objects = findings.map((f) => f.object);
    expect(objects).toEqual([expect.stringMatching(/^azurerm_storage_blob\./), 'output.joined', 'output.trimmed']);
    expect(findings[0].message).toContain('depends_on[0]');
    expect(findings[0].message).toContain('azurerm_storage_account_static_website.oidc_gone_website');
    expect(findings[1].message).toContain('data source data.azurerm_client_config.gone');
    expect(findings[1].message).not.toContain('refers to resource azurerm_resource_group');
    expect(findings[2].message).toContain('azurerm_storage_account.oidc_gone_account');
  });

  test('a reference in depends_on, written in ${…} there, is reported once, at its place in depends_on', () => {
    const model = broken(resolved, (out) =>
      editStack(out, (json) => {
        const blob = Object.values(json.resource.azurerm_storage_blob).find((b) => Array.isArray(b.depends_on))!;
        blob.depends_on = ['${azurerm_storage_account_static_website.oidc_gone_website}'];
      }),
    );
    const findings = run(terraformReferencesRule, model);
    expect(findings.map((f) => f.message.split(' refers to ')[0])).toEqual(['depends_on[0]']);
  });

  test('variables, locals, for-expression names, string literals and escaped interpolations are no addresses', () => {
    const model = broken(resolved, (out) =>
      editStack(out, (json) => {
        json.output.not_addresses = {
          value: '${var.some_thing.id} ${local.my_local.x} ${[for item_x in var.items : item_x.name_y]} ${format("%s", "azurerm_gone.x.id")} $${azurerm_gone.escaped.id}',
        };
      }),
    );
    expect(run(terraformReferencesRule, model)).toEqual([]);
  });

  test('a stack that depends on a stack the manifest does not list', () => {
    const model = broken(resolved, (out) => {
      const file = path.join(out, 'terraform/manifest.json');
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
      manifest.stacks.contoso.dependencies.push('network');
      fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    });
    const findings = run(terraformReferencesRule, model);
    expect(findings.map(where)).toEqual([{ rule: 'terraform-reference', file: 'terraform/manifest.json', object: 'stacks.contoso.dependencies', severity: 'error' }]);
    expect(findings[0].message).toContain('"network"');
  });
});
