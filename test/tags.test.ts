/**
 * Tags: the fleet's on every taggable resource it creates, a cluster's over them on that cluster's own
 * resources, and for OpenShift ccoctl's ownership tag `openshift.io_cloud-credential-operator_<name>: owned`
 * on its groups, storage account and identities, which `ccoctl azure delete` finds them by
 * (openshift/cloud-credential-operator `pkg/cmd/provisioning/azure/create_oidc_issuer.go`, createOIDCIssuer;
 * `create_managed_identities.go`). Text from the fleet file reaches Terraform as literals only.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CheckReport } from '../src/check/check';
import { copyExampleInputs, editOnce, ROOT, runCli } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const STACK = 'terraform/stacks/contoso/cdk.tf.json';
const OWNED = 'openshift.io_cloud-credential-operator_ocp-prod';
/** The resource types of azurerm 4.55 that take `tags`, of those wisynth writes. */
const TAGGABLE = ['azurerm_resource_group', 'azurerm_user_assigned_identity', 'azurerm_storage_account', 'azurerm_key_vault', 'azurerm_kubernetes_cluster'];

let work: string;
let cases = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-tags-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

async function synth(text: string): Promise<{ code: number; stderr: string; dir: string; tf?: Json }> {
  const dir = path.join(work, `case-${++cases}`);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const run = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], dir);
  const file = path.join(dir, 'out', ...STACK.split('/'));
  return { code: run.code, stderr: run.stderr, dir, tf: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined };
}

/** Every resource of the stack: [type, id, block]. */
const resources = (tf: Json): Array<[string, string, Json]> =>
  Object.entries<Json>(tf.resource).flatMap(([type, byId]) => Object.entries<Json>(byId).map(([id, block]): [string, string, Json] => [type, id, block]));

describe('the example', () => {
  let tf: Json;
  beforeAll(async () => {
    const s = await synth(EXAMPLE);
    expect(s.code).toBe(0);
    tf = s.tf;
  });

  test('every taggable resource the fleet creates carries the fleet\'s tags', () => {
    const taggable = resources(tf).filter(([type]) => TAGGABLE.includes(type));
    expect(taggable.length).toBeGreaterThan(20);
    for (const [type, id, block] of taggable) expect([type, id, block.tags?.costCenter]).toEqual([type, id, 'platform-identity']);
  });

  test('types the provider does not tag get no tags attribute (Terraform would refuse it)', () => {
    for (const [type, id, block] of resources(tf).filter(([type]) => !TAGGABLE.includes(type))) expect([type, id, block.tags]).toEqual([type, id, undefined]);
    for (const byId of Object.values<Json>(tf.data ?? {})) for (const block of Object.values<Json>(byId)) expect(block.tags).toBeUndefined();
  });

  test("ccoctl's ownership tag and the cluster's tags are on ocp-prod's groups, storage account and identities, and only there", () => {
    const owned = resources(tf).filter(([, , block]) => block.tags?.[OWNED] !== undefined);
    const names = owned.map(([type, , block]) => `${type} ${block.name}`).sort();
    const identities = Object.values<Json>(tf.resource.azurerm_user_assigned_identity).filter((i) => i.name.startsWith('ocp-prod-')).map((i) => `azurerm_user_assigned_identity ${i.name}`);
    expect(identities.length).toBe(7);
    expect(names).toEqual(
      ['azurerm_resource_group ocp-prod', 'azurerm_resource_group ocp-prod-oidc', 'azurerm_storage_account stcontosooidcocpprod', ...identities].sort(),
    );
    for (const [, , block] of owned) expect(block.tags).toEqual({ costCenter: 'platform-identity', environment: 'production', [OWNED]: 'owned' });
  });

  test('tags are written in code-point order of their names', () => {
    const [, , block] = resources(tf).find(([, , b]) => b.tags?.[OWNED] !== undefined)!;
    expect(Object.keys(block.tags)).toEqual(['costCenter', 'environment', OWNED]);
  });
});

describe('tags from the fleet file', () => {
  test("a cluster's tag wins over the fleet's of the same name, on the cluster's resources only", async () => {
    const s = await synth(edit('    tags:\n      environment: production\n', '    tags:\n      costCenter: openshift\n'));
    expect(s.code).toBe(0);
    const byName = (type: string, name: string) => Object.values<Json>(s.tf.resource[type]).find((b) => b.name === name);
    expect(byName('azurerm_resource_group', 'ocp-prod').tags.costCenter).toBe('openshift');
    expect(byName('azurerm_resource_group', 'rg-contoso-aks').tags.costCenter).toBe('platform-identity');
  });

  test('a tag that looks like a Terraform expression is written as a literal, and check passes', async () => {
    const s = await synth(edit('  costCenter: platform-identity\n', '  costCenter: platform-identity\n  "owner${path.module}": "${file(\\"/etc/passwd\\")}%{if true}x%{endif}"\n'));
    expect(s.code).toBe(0);
    const group = Object.values<Json>(s.tf.resource.azurerm_resource_group).find((b) => b.name === 'rg-contoso-aks');
    expect(group.tags).toMatchObject({ 'owner$${path.module}': '$${file("/etc/passwd")}%%{if true}x%%{endif}' });
    const check = await runCli(['check', 'out', '--json'], s.dir);
    expect((JSON.parse(check.stdout) as CheckReport).findings.filter((f) => f.rule === 'terraform-expression')).toEqual([]);
  });

  // Azure's limits (hashicorp/terraform-provider-azurerm internal/tags/validation.go,
  // internal/services/storage/validate/storage_account_tags.go; MicrosoftDocs/azure-docs
  // articles/azure-resource-manager/management/tag-resources.md "Limitations")
  test.each([
    ['a name with "/"', '  team/name: x\n', 'tags.team/name', 'holds "/", which Azure refuses in a tag name'],
    ['a name of 129 characters', `  ${'n'.repeat(129)}: x\n`, `tags.${'n'.repeat(129)}`, 'is 129 characters long; Azure allows 128'],
    ['a value of 257 characters', `  long: ${'v'.repeat(257)}\n`, 'tags.long', 'has a value of 257 characters; Azure allows 256'],
  ])('refused: %s, with field and fix', async (_what, line, field, message) => {
    const s = await synth(edit('  costCenter: platform-identity\n', `  costCenter: platform-identity\n${line}`));
    expect(s.code).toBe(1);
    expect(s.stderr).toContain(field);
    expect(s.stderr).toContain(message);
    expect(s.stderr).toContain('fix: tag names of at most 128 characters');
    expect(s.tf).toBeUndefined();
  });

  test('refused: a tag value that is not a string (the fleet schema says string)', async () => {
    const s = await synth(edit('  costCenter: platform-identity\n', '  costCenter: 4711\n'));
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/tags\.costCenter/);
  });

  test('refused: more than 50 tags on one resource, counting the cluster\'s and ccoctl\'s', async () => {
    const many = Array.from({ length: 48 }, (_, i) => `  t${String(i).padStart(2, '0')}: x\n`).join('');
    const s = await synth(edit('  costCenter: platform-identity\n', `  costCenter: platform-identity\n${many}`));
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('would carry 51 tags; Azure allows 50 on a resource');
    // the fleet's own resources carry 49 and are fine: only ocp-prod's are named
    expect(s.stderr).not.toContain('rg-contoso-aks would carry');
  });
});
