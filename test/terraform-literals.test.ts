/**
 * Every value wisynth is given reaches Terraform as a literal. Terraform reads a JSON string where an
 * expression may stand as a template (hashicorp/hcl json/spec.md, "Strings"): `${` opens an
 * interpolation and `%{` a directive, `$${` and `%%{` are their escapes. So a value from input must
 * arrive escaped, and the only expressions in a stack are the references wisynth makes itself.
 *
 * `decode` below is Terraform's reading of a template literal, written out for the test: it turns
 * `$${` into `${` and `%%{` into `%{`, and fails on any other `${` or `%{` unless it is one of
 * wisynth's references (which it keeps as `‹reference›`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, TerraformOutput, TerraformStack, Testing, Token } from 'cdktf';
import fc from 'fast-check';
import { buildExampleFleet } from '../examples/fleet';
import { AzureAksCluster } from '../src/azure/aks-cluster';
import { CustomRole } from '../src/azure/custom-role';
import { FederatedCredential } from '../src/azure/federated-credential';
import { addFleetStacks, synthesizeStacks } from '../src/azure/fleet-stack';
import { Identity } from '../src/azure/identity';
import { AzureKeyVault } from '../src/azure/key-vault';
import { OidcIssuerStorage } from '../src/azure/oidc-issuer-storage';
import { AzureResourceGroup } from '../src/azure/resource-group';
import { RoleAssignment } from '../src/azure/role-assignment';
import { terraformLiteral, terraformLiterals } from '../src/azure/terraform-literal';
import { foreignSequence } from '../src/check/rules/terraform-expressions';
import { main } from '../src/cli/main';
import {
  AksCluster as FleetAksCluster,
  Fleet,
  FleetError,
  KeyVault as FleetKeyVault,
  ManagedIdentity,
  ResourceGroup as FleetResourceGroup,
  loadFleetFile,
  planFleet,
  synthesizeFleet,
} from '../src/index';
import type { FleetPlan } from '../src/index';
import { loadPlanInputs } from '../src/output/plan-inputs';
import { PLATFORMS } from '../src/platforms';
import { copyExampleInputs, ROOT } from './support';

const EXAMPLES = path.join(ROOT, 'examples');
const SEED = 20250612;
/** What an attacker (or a careless CredentialsRequest) writes: a file read, a directive, and escapes that must survive. */
const HOSTILE = '${file("/etc/passwd")}%{if true}x%{endif}$${y}%%{z}';

// ---------------------------------------------------------------------------------------------
// Terraform's reading of a stack's strings

const REFERENCE = '(?:data\\.)?[a-z][a-z0-9]*_[a-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_-]*\\.[a-z_][a-z0-9_]*';
const OWN_INTERPOLATION = new RegExp(`\\$\\{(${REFERENCE}|trimsuffix\\(${REFERENCE}, "[^"\\\\$%{}]*"\\))\\}`, 'y');

/** A string as Terraform reads it; throws on an interpolation or directive that wisynth does not write. */
function decode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      out += `${text[i]}{`;
      i += 3;
    } else if (text.startsWith('${', i)) {
      OWN_INTERPOLATION.lastIndex = i;
      const m = OWN_INTERPOLATION.exec(text);
      if (!m) throw new Error(`unescaped interpolation at ${i} of ${JSON.stringify(text)}`);
      out += `‹${m[1]}›`;
      i = OWN_INTERPOLATION.lastIndex;
    } else if (text.startsWith('%{', i)) {
      throw new Error(`unescaped directive at ${i} of ${JSON.stringify(text)}`);
    } else {
      out += text[i++];
    }
  }
  return out;
}

type Json = Record<string, unknown>;

/** Every string of a stack that Terraform reads as a template (keys of maps included), by JSON path. */
function templateStrings(stack: Json): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const walk = (value: unknown, at: string, skip: readonly string[] = []): void => {
    if (typeof value === 'string') found.push([at, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (skip.includes(k)) continue;
        found.push([`${at}.${k} (key)`, k]);
        walk(v, `${at}.${k}`);
      }
    }
  };
  // `terraform` (backend, providers) and output descriptions are read verbatim; `//` is a comment.
  for (const [section, blocks] of Object.entries(stack)) {
    if (section === 'terraform' || section === '//') continue;
    for (const [type, byName] of Object.entries(blocks as Json)) {
      if (section === 'output' || section === 'provider') walk(byName, `${section}.${type}`, ['//', 'description']);
      else for (const [name, body] of Object.entries(byName as Json)) walk(body, `${section === 'data' ? 'data.' : ''}${type}.${name}`, ['//']);
    }
  }
  return found;
}

/** The decoded strings of a stack by path; fails the test on any string Terraform would evaluate. */
function decodedStrings(stack: Json): Map<string, string> {
  return new Map(templateStrings(stack).map(([at, text]) => [at, decode(text)]));
}

/** The decoded strings at paths ending in `.<attribute>` or `.<attribute>[i]`. */
function decodedAt(stack: Json, attribute: string): string[] {
  const tail = new RegExp(`\\.${attribute}(\\[\\d+\\])?$`);
  return [...decodedStrings(stack)].filter(([at]) => tail.test(at)).map(([, text]) => text);
}

function synthStack(build: (stack: TerraformStack) => void): Json {
  const stack = new TerraformStack(Testing.app(), 'literals');
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}

/** The Terraform JSON of every stack of a plan, by stack name, rendered the way synth renders it. */
function renderPlan(plan: FleetPlan): Map<string, Json> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-literals-tf-'));
  try {
    const app = new App({ outdir: dir, stackTraces: false });
    addFleetStacks(app, plan, { finalTerraformDir: dir, platforms: PLATFORMS });
    synthesizeStacks(app, dir);
    return new Map(plan.stacks.stacks.map((s) => [s.name, JSON.parse(fs.readFileSync(path.join(dir, 'stacks', s.name, 'cdk.tf.json'), 'utf8')) as Json]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The escaping function

describe('terraformLiteral', () => {
  const RUNS = 2000;
  const unit = fc.constantFrom('$', '%', '{', '}', 'a', '"', '\\', '\n', '~');

  test(`${RUNS} random strings of $ % { } decode back to themselves, and never hold an unescaped opener`, () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), (text) => {
        const written = terraformLiteral(text);
        expect(decode(written)).toBe(text);
        expect(foreignSequence(written)).toBeUndefined();
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('escapes only the literal text beside a reference (100 stacks of random mixes)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit, maxLength: 12 }), fc.string({ unit, maxLength: 12 })), { minLength: 1, maxLength: 12 }), (pairs) => {
        const expected: Record<string, string> = {};
        const json = synthStack((stack) => {
          const group = new AzureResourceGroup(stack, 'rg', { name: 'rg', location: 'westeurope' });
          pairs.forEach(([before, after], i) => {
            const mixed = `${before}${group.id}${after}`;
            if (before.endsWith('$')) {
              // `$` + `${` is Terraform's `$${`: the reference would be lost, so it is refused.
              expect(() => terraformLiteral(mixed)).toThrow(/directly before a reference/);
              return;
            }
            new TerraformOutput(stack, `o${i}`, { value: terraformLiteral(mixed) });
            expected[`o${i}`] = `${before}‹azurerm_resource_group.rg.id›${after}`;
          });
        });
        const outputs = Object.entries((json.output ?? {}) as Record<string, { value: string }>).map(([name, o]) => [name, decode(o.value)]);
        expect(Object.fromEntries(outputs)).toEqual(expected);
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  test('refuses text that looks like a cdktf token but is none', () => {
    expect(() => terraformLiteral('a${TfToken[TOKEN.999999]}b')).toThrow(/looks like a cdktf token/);
    expect(() => terraformLiteral('#{TfToken[TOKEN.999998]}')).toThrow(/looks like a cdktf token/);
    expect(() => terraformLiteral('x&{TfToken[TOKEN.999997]}')).toThrow(/looks like a cdktf token/);
  });

  test('passes tokens of lists and maps through, whole', () => {
    const list = Token.asList(Lazy.anyValue({ produce: () => ['a'] }));
    const map = Token.asStringMap(Lazy.anyValue({ produce: () => ({ a: 'b' }) }));
    expect(terraformLiterals({ list, map })).toEqual({ list, map });
  });

  test('leaves text without an opener as it is', () => {
    for (const text of ['', 'westeurope', '$web', '100%', '{"a":1}', 'a$b%c}{']) expect(terraformLiteral(text)).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------
// Each construct of src/azure, each string it is given

describe('the constructs of src/azure write every string they are given as a literal', () => {
  let groups = 0;
  const existingGroup = (scope: TerraformStack, name = 'rg-x') => AzureResourceGroup.fromExisting(scope, `group-${groups++}`, { name, armId: `/subscriptions/s/resourceGroups/${name}` });
  const identityIn = (stack: TerraformStack, id = '/subscriptions/s/resourceGroups/rg-x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x') =>
    Identity.fromExisting(stack, 'id', { name: 'id-x', resourceGroup: existingGroup(stack), armId: id });
  const aks = (over: Partial<ConstructorParameters<typeof AzureAksCluster>[2]>) => (stack: TerraformStack) =>
    new AzureAksCluster(stack, 'aks', { name: 'aks', resourceGroup: existingGroup(stack), location: 'westeurope', dnsPrefix: 'aks', vmSize: 'Standard_D2s_v5', nodeCount: 1, ...over });
  const fic = (over: Partial<ConstructorParameters<typeof FederatedCredential>[2]>) => (stack: TerraformStack) =>
    new FederatedCredential(stack, 'fic', {
      name: 'fic',
      issuer: 'https://issuer/',
      subject: 'system:serviceaccount:a:b',
      audience: 'api://AzureADTokenExchange',
      ...over,
      identity: over.identity ?? identityIn(stack),
    });
  const role = (over: Partial<ConstructorParameters<typeof CustomRole>[2]>) => (stack: TerraformStack) =>
    new CustomRole(stack, 'role', { name: 'role', description: 'd', scope: '/subscriptions/s', actions: ['a'], dataActions: ['d'], ...over });
  const storage = (over: Partial<ConstructorParameters<typeof OidcIssuerStorage>[2]>) => (stack: TerraformStack) =>
    new OidcIssuerStorage(stack, 'oidc', {
      hosting: 'blobContainer',
      accountName: 'st',
      resourceGroup: existingGroup(stack),
      location: 'westeurope',
      container: 'c',
      blobIssuerUrl: 'https://st.blob.core.windows.net/c',
      jwksJson: '{"keys":[]}',
      discoveryJson: (issuer, jwksUri) => JSON.stringify({ issuer, jwks_uri: jwksUri }),
      logicalIdPrefix: 'oidc',
      ...over,
    });

  const v = HOSTILE;
  const rows: Array<[string, (stack: TerraformStack) => unknown, string, string]> = [
    ['AzureResourceGroup name', (s) => new AzureResourceGroup(s, 'rg', { name: v, location: 'westeurope' }), 'name', v],
    ['AzureResourceGroup location', (s) => new AzureResourceGroup(s, 'rg', { name: 'rg', location: v }), 'location', v],
    ['Identity name', (s) => new Identity(s, 'id', { name: v, resourceGroup: existingGroup(s), location: 'westeurope' }), 'name', v],
    ['Identity location', (s) => new Identity(s, 'id', { name: 'id', resourceGroup: existingGroup(s), location: v }), 'location', v],
    ['Identity resource group (existing, by name)', (s) => new Identity(s, 'id', { name: 'id', resourceGroup: existingGroup(s, v), location: 'westeurope' }), 'resource_group_name', v],
    ['existing Identity name (data source)', (s) => Identity.fromExisting(s, 'id', { name: v, resourceGroup: existingGroup(s), armId: '/x' }).clientId, 'name', v],
    ['AzureKeyVault name', (s) => new AzureKeyVault(s, 'kv', { name: v, resourceGroup: existingGroup(s), location: 'westeurope', tenantId: 't', sku: 'standard', softDeleteRetentionDays: 7 }), 'name', v],
    ['AzureKeyVault location', (s) => new AzureKeyVault(s, 'kv', { name: 'kv', resourceGroup: existingGroup(s), location: v, tenantId: 't', sku: 'standard', softDeleteRetentionDays: 7 }), 'location', v],
    ['AzureKeyVault tenantId', (s) => new AzureKeyVault(s, 'kv', { name: 'kv', resourceGroup: existingGroup(s), location: 'westeurope', tenantId: v, sku: 'standard', softDeleteRetentionDays: 7 }), 'tenant_id', v],
    ['AzureAksCluster name', aks({ name: v }), 'name', v],
    ['AzureAksCluster location', aks({ location: v }), 'location', v],
    ['AzureAksCluster dnsPrefix', aks({ dnsPrefix: v }), 'dns_prefix', v],
    ['AzureAksCluster kubernetesVersion', aks({ kubernetesVersion: v }), 'kubernetes_version', v],
    ['AzureAksCluster vmSize', aks({ vmSize: v }), 'vm_size', v],
    ['FederatedCredential name', fic({ name: v }), 'name', v],
    ['FederatedCredential issuer', fic({ issuer: `https://issuer/${v}/` }), 'issuer', `https://issuer/${v}/`],
    ['FederatedCredential subject', fic({ subject: `system:serviceaccount:${v}:b` }), 'subject', `system:serviceaccount:${v}:b`],
    ['FederatedCredential audience', fic({ audience: v }), 'audience', v],
    ['FederatedCredential parent (an existing identity\'s ARM ID)', (s) => fic({ identity: identityIn(s, `/subscriptions/s/${v}`) })(s), 'parent_id', `/subscriptions/s/${v}`],
    ['RoleAssignment built-in role name', (s) => new RoleAssignment(s, 'ra', { role: v, scope: '/subscriptions/s', principalId: 'p' }), 'role_definition_name', v],
    ['RoleAssignment role definition id', (s) => new RoleAssignment(s, 'ra', { role: { definitionId: v }, scope: '/subscriptions/s', principalId: 'p' }), 'role_definition_id', v],
    ['RoleAssignment scope', (s) => new RoleAssignment(s, 'ra', { role: 'Reader', scope: `/subscriptions/s/resourceGroups/${v}`, principalId: 'p' }), 'scope', `/subscriptions/s/resourceGroups/${v}`],
    ['RoleAssignment principal id', (s) => new RoleAssignment(s, 'ra', { role: 'Reader', scope: '/subscriptions/s', principalId: v }), 'principal_id', v],
    ['CustomRole name', role({ name: v }), 'name', v],
    ['CustomRole description', role({ description: v }), 'description', v],
    ['CustomRole scope', role({ scope: v }), 'assignable_scopes', v],
    ['CustomRole action', role({ actions: ['a', v] }), 'actions', v],
    ['CustomRole data action', role({ dataActions: [v] }), 'data_actions', v],
    ['OidcIssuerStorage account name', storage({ accountName: v }), 'name', v],
    ['OidcIssuerStorage location', storage({ location: v }), 'location', v],
    ['OidcIssuerStorage container', storage({ container: v }), 'name', v],
    ['OidcIssuerStorage issuer (in the discovery document)', storage({ blobIssuerUrl: `https://x/${v}` }), 'source_content', JSON.stringify({ issuer: `https://x/${v}`, jwks_uri: `https://x/${v}/openid/v1/jwks` })],
    ['OidcIssuerStorage JWKS', storage({ jwksJson: `{"keys":[{"kid":${JSON.stringify(v)}}]}` }), 'source_content', `{"keys":[{"kid":${JSON.stringify(v)}}]}`],
  ];

  test.each(rows)('%s', (_what, build, attribute, expected) => {
    const json = synthStack((stack) => void build(stack));
    expect(decodedAt(json, attribute)).toContain(expected);
    expect(JSON.stringify(json)).toContain(JSON.stringify(terraformLiteral(expected)).slice(1, -1));
  });

  test('an ARM ID made of a new group\'s reference and literal text escapes the text only', () => {
    const json = synthStack((stack) => {
      const group = new AzureResourceGroup(stack, 'rg', { name: 'rg', location: 'westeurope' });
      new RoleAssignment(stack, 'ra', { role: 'Reader', scope: `${group.id}/providers/${v}`, principalId: 'p' });
      new FederatedCredential(stack, 'fic', { name: 'fic', identity: new Identity(stack, 'id', { name: 'id', resourceGroup: group, location: 'westeurope' }), issuer: v, subject: 's', audience: 'a' });
    });
    expect(decodedAt(json, 'scope')).toEqual([`‹azurerm_resource_group.rg.id›/providers/${v}`]);
    expect(decodedAt(json, 'parent_id')).toEqual(['‹azurerm_user_assigned_identity.id.id›']);
    expect(decodedAt(json, 'resource_group_name')).toEqual(['‹azurerm_resource_group.rg.name›', '‹azurerm_resource_group.rg.name›']);
  });

  test('a static website\'s discovery document keeps its references and escapes the rest', () => {
    const json = synthStack(storage({ hosting: 'staticWebsite', blobIssuerUrl: undefined, discoveryJson: (issuer, jwksUri) => JSON.stringify({ issuer, jwks_uri: jwksUri, alg: [v] }) }));
    const endpoint = 'azurerm_storage_account.oidc_account.primary_web_endpoint';
    // the references stand inside the document's JSON text as templates: their quotes are Terraform's, not JSON's
    const document = JSON.stringify({ issuer: 'ISSUER', jwks_uri: 'ENDPOINT/openid/v1/jwks', alg: [v] })
      .replace('ISSUER', `‹${endpoint}›`)
      .replace('ENDPOINT', `‹trimsuffix(${endpoint}, "/")›`);
    expect(decodedAt(json, 'source_content')).toContain(document);
  });
});

// ---------------------------------------------------------------------------------------------
// Inputs: what CredentialsRequests and fleets hand to the constructs

describe('values from input reach Terraform as literals, or are refused', () => {
  const outcomes = { escaped: 0, refused: 0 };
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-literals-'));
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
    process.stdout.write(`terraform literals: ${outcomes.escaped} input values reached Terraform escaped, ${outcomes.refused} were refused\n`);
  });

  const INGRESS = 'openshift/credentialsrequests/00-ingress-credentials-request.azure.yaml';
  const REGISTRY = 'openshift/credentialsrequests/01-registry-credentials-request-azure.yaml';
  /** Replaces the first `from` in a copied file (through a function: a replacement string would read `$$` as `$`). */
  const replaceIn = (file: string, from: string, to: string) => (dir: string) => {
    const at = path.join(dir, file);
    const text = fs.readFileSync(at, 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(at, text.replace(from, () => to));
  };
  const yamlQuoted = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const PERMISSION = '${file("/etc/passwd")}';
  const SUBSCRIPTION = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
  const group = (fleet: Fleet, name: string) => fleet.node.findChild(name) as FleetResourceGroup;

  interface Row {
    readonly what: string;
    /** Changes the copied example inputs (CredentialsRequests). */
    readonly files?: (dir: string) => void;
    /** Adds to the example fleet, through the code API (no schema applies there). */
    readonly fleet?: (fleet: Fleet) => void;
    /** The attribute where the value lands, and the value Terraform must read there, byte for byte. */
    readonly attribute: string;
    readonly expected: string;
  }

  const rows: Row[] = [
    {
      what: 'a CredentialsRequest permission',
      files: replaceIn(INGRESS, '    permissions:\n', `    permissions:\n    - ${yamlQuoted(PERMISSION)}\n`),
      attribute: 'actions',
      expected: PERMISSION,
    },
    {
      what: 'a CredentialsRequest data permission',
      files: replaceIn(REGISTRY, '    dataPermissions:\n', `    dataPermissions:\n      - ${yamlQuoted(HOSTILE)}\n`),
      attribute: 'data_actions',
      expected: HOSTILE,
    },
    {
      what: "a CredentialsRequest role binding's role name",
      files: replaceIn(INGRESS, '    kind: AzureProviderSpec\n', `    kind: AzureProviderSpec\n    roleBindings:\n    - role: ${yamlQuoted(`Reader${HOSTILE}`)}\n`),
      attribute: 'role_definition_name',
      expected: `Reader${HOSTILE}`,
    },
    {
      what: "a CredentialsRequest secret's name (in the identity's and the custom role's name)",
      files: replaceIn(INGRESS, '    name: cloud-credentials\n', `    name: ${yamlQuoted(`cloud-credentials${HOSTILE}`)}\n`),
      attribute: 'name',
      expected: `ocp-prod-openshift-ingress-operator-cloud-credentials${HOSTILE}`,
    },
    {
      what: "a resource group's location",
      fleet: (f) => new ManagedIdentity(f, 'id-x', { resourceGroup: new FleetResourceGroup(f, 'rg-x', { location: `westeurope${HOSTILE}` }) }),
      attribute: 'location',
      expected: `westeurope${HOSTILE}`,
    },
    {
      what: "an identity's location",
      fleet: (f) => new ManagedIdentity(f, 'id-x', { resourceGroup: group(f, 'rg-contoso-identities'), location: `westeurope${HOSTILE}` }),
      attribute: 'location',
      expected: `westeurope${HOSTILE}`,
    },
    {
      what: "a key vault's location",
      fleet: (f) => new FleetKeyVault(f, 'kv-x', { resourceGroup: group(f, 'rg-contoso-identities'), location: `westeurope${HOSTILE}` }),
      attribute: 'location',
      expected: `westeurope${HOSTILE}`,
    },
    ...(['location', 'dnsPrefix', 'kubernetesVersion'] as const).map((prop) => ({
      what: `an AKS cluster's ${prop}`,
      fleet: (f: Fleet) => new FleetAksCluster(f, 'aks-x', { resourceGroup: group(f, 'rg-contoso-aks'), [prop]: `v1${HOSTILE}` }),
      attribute: { location: 'location', dnsPrefix: 'dns_prefix', kubernetesVersion: 'kubernetes_version' }[prop],
      expected: `v1${HOSTILE}`,
    })),
    {
      what: "an AKS node pool's VM size",
      fleet: (f) => new FleetAksCluster(f, 'aks-x', { resourceGroup: group(f, 'rg-contoso-aks'), nodePool: { vmSize: `Standard_D2s_v5${HOSTILE}` } }),
      attribute: 'vm_size',
      expected: `Standard_D2s_v5${HOSTILE}`,
    },
    {
      what: "a role grant's role name",
      fleet: (f) => (f.node.findChild('id-orders') as ManagedIdentity).grantRole(`Reader${HOSTILE}`, group(f, 'rg-contoso-aks')),
      attribute: 'role_definition_name',
      expected: `Reader${HOSTILE}`,
    },
    {
      what: "a role grant's scope (an ARM ID)",
      fleet: (f) => (f.node.findChild('id-orders') as ManagedIdentity).grantRole('Reader', `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-data${HOSTILE}`),
      attribute: 'scope',
      expected: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-data${HOSTILE}`,
    },
    {
      what: "an existing AKS cluster's issuer URL (in its FICs)",
      fleet: (f) =>
        FleetAksCluster.fromIssuerUrl(f, 'aks-x', { issuerUrl: `https://westeurope.oic.prod-aks.azure.com/${HOSTILE}/` }).addWorkload({
          namespace: 'orders',
          serviceAccount: 'orders-api',
          identity: f.node.findChild('id-orders') as ManagedIdentity,
        }),
      attribute: 'issuer',
      expected: `https://westeurope.oic.prod-aks.azure.com/${HOSTILE}/`,
    },
  ];

  test.each(rows.map((r) => [r.what, r] as const))('%s', (_what, row) => {
    const dir = fs.mkdtempSync(path.join(work, 'fleet-'));
    copyExampleInputs(dir);
    row.files?.(dir);
    let plan: FleetPlan;
    try {
      const fleet = buildExampleFleet(dir);
      row.fleet?.(fleet);
      plan = planFleet(fleet, loadPlanInputs(fleet));
    } catch (e) {
      // Refused where the value can never be valid: a clean FleetError that says what and how to fix it, not a crash.
      expect(e).toBeInstanceOf(FleetError);
      expect((e as FleetError).issues.length).toBeGreaterThan(0);
      for (const issue of (e as FleetError).issues) expect([issue.message.trim() !== '', issue.fix.trim() !== '']).toEqual([true, true]);
      outcomes.refused++;
      return;
    }
    const stacks = [...renderPlan(plan).values()];
    const landed = stacks.flatMap((stack) => decodedAt(stack, row.attribute));
    expect(landed).toContain(row.expected);
    expect(stacks.map((s) => JSON.stringify(s)).join('')).toContain(JSON.stringify(terraformLiteral(row.expected)).slice(1, -1));
    outcomes.escaped++;
  });
});

// ---------------------------------------------------------------------------------------------
// The plan: every one of its strings, whatever validated it

describe('no string of a plan can become a Terraform expression', () => {
  /** Fields that name Terraform things or select variants: the renderer builds ids and outputs from them. */
  const STRUCTURAL = new Set(['logicalId', 'storageLogicalId', 'clientIdOutput', 'principalIdOutput', 'output', 'outputs', 'pending', 'resolvedOutputs', 'warnings', 'stacks', 'kind', 'platform', 'hosting', 'distribution', 'mode', 'type', 'cloud']);

  /** The plan with `mark` applied to every string but the structural ones (names in every place alike, so lookups still match). */
  function marked(plan: FleetPlan, mark: (s: string) => string): FleetPlan {
    const walk = (value: unknown, key?: string): unknown => {
      if (key !== undefined && STRUCTURAL.has(key)) return value;
      if (typeof value === 'string') return mark(value);
      if (Array.isArray(value)) return value.map((v) => walk(v));
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    };
    const byMarkedKey = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).map(([k, s]) => [mark(k), s]));
    const out = walk(plan) as FleetPlan;
    return { ...out, name: plan.name, stacks: { ...plan.stacks, ofCluster: byMarkedKey(plan.stacks.ofCluster), ofIdentity: byMarkedKey(plan.stacks.ofIdentity) } };
  }

  let plan: FleetPlan;
  beforeAll(() => {
    const fleet = loadFleetFile(path.join(EXAMPLES, 'fleet.yaml'));
    plan = planFleet(fleet, loadPlanInputs(fleet));
  });

  // no `/`: the OpenShift platform names role assignments by the last segment of their scope's ARM ID
  const SUFFIX = '${file("x")}%{if true}x%{endif}$${y}%%{z}';

  test('the example plan with a hostile suffix on every value: every template string decodes, the suffix arrives literally', () => {
    const stacks = renderPlan(marked(plan, (s) => `${s}${SUFFIX}`));
    let carriers = 0;
    for (const json of stacks.values()) {
      for (const text of decodedStrings(json).values()) if (text.includes(SUFFIX)) carriers++;
      // Terraform reads the backend verbatim: there the value stands as it is.
      expect(JSON.stringify((json.terraform as Json).backend)).toContain(JSON.stringify(SUFFIX).slice(1, -1));
    }
    // every resource of the example carries input (names, locations, ...): far more than one string each
    const resources = [...stacks.values()].reduce((n, json) => n + Object.values((json.resource ?? {}) as Record<string, Json>).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);
    expect(carriers).toBeGreaterThan(resources);
  });

  test.each(['${TfToken[TOKEN.0]}', 'a#{TfToken[TOKEN.1]}', '&{TfToken[TOKEN.2]}'])('a plan value holding a cdktf token marker (%s) is refused', (marker) => {
    const forged = marked(plan, (s) => (s === 'Microsoft.Network/dnsZones/A/delete' ? marker : s));
    expect(() => renderPlan(forged)).toThrow(FleetError);
    expect(() => renderPlan(forged)).toThrow(/customRole\.actions\[\d+\] of the planned fleet holds "TfToken\["/);
  });
});

// ---------------------------------------------------------------------------------------------
// check: what it accepts, and a hand-edited stack

describe('wisynth check reports every interpolation that synth would not write', () => {
  let work: string;
  let out: string;
  const STACK = 'terraform/stacks/contoso/cdk.tf.json';

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-literals-check-'));
    out = path.join(work, 'out');
    synthesizeFleet(loadFleetFile(path.join(EXAMPLES, 'fleet.yaml')), { outDir: out });
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function check(dir: string): Promise<{ code: number; errors: Array<Record<string, string>> }> {
    const lines: string[] = [];
    const code = await main(['check', dir, '--json'], { cwd: work, env: {}, out: (l) => lines.push(l), err: () => undefined });
    const report = JSON.parse(lines.join('\n')) as { findings: Array<Record<string, string>> };
    return { code, errors: report.findings.filter((f) => f.severity === 'error') };
  }

  /** A copy of OUT whose stack has one string changed by hand. */
  function edited(name: string, change: (stack: Json) => void): string {
    const copy = path.join(work, name);
    fs.cpSync(out, copy, { recursive: true });
    const file = path.join(copy, STACK);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
    change(json);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    return copy;
  }

  const firstOf = (json: Json, type: string): [string, Json] => Object.entries((json.resource as Record<string, Record<string, Json>>)[type])[0];

  test('the synthesized example passes', async () => {
    expect(await check(out)).toEqual({ code: 0, errors: [] });
  });

  test('a hand-inserted ${file("x")} fails check with exactly that finding', async () => {
    let object = '';
    const dir = edited('interpolation', (json) => {
      const [name, role] = firstOf(json, 'azurerm_role_definition');
      const permissions = role.permissions as Array<{ actions: string[] }>;
      permissions[0].actions.push('${file("x")}');
      object = `azurerm_role_definition.${name}.permissions[0].actions[${permissions[0].actions.length - 1}]`;
    });
    const { code, errors } = await check(dir);
    expect(code).toBe(1);
    expect(errors).toEqual([
      {
        severity: 'error',
        rule: 'terraform-expression',
        file: STACK,
        object,
        message: expect.stringContaining('the value holds the interpolation "${file(\\"x\\")}", which Terraform would evaluate'),
        fix: expect.stringMatching(/write "\$\{" as "\$\$\{" and "%\{" as "%%\{"/),
      },
    ]);
  });

  test('a hand-inserted directive fails check; the same text escaped passes', async () => {
    const directive = edited('directive', (json) => {
      firstOf(json, 'azurerm_resource_group')[1].location = '%{if true}westeurope%{endif}';
    });
    const { errors } = await check(directive);
    expect(errors.map((f) => [f.rule, f.object.replace(/\.[^.]+\.location$/, '.*.location')])).toEqual([['terraform-expression', 'azurerm_resource_group.*.location']]);
    expect(errors[0].message).toContain('template directive "%{if true}westeurope%{endif}"');

    const escaped = edited('escaped', (json) => {
      firstOf(json, 'azurerm_resource_group')[1].location = terraformLiteral('%{if true}${file("x")}');
    });
    expect(await check(escaped)).toEqual({ code: 0, errors: [] });
  });

  test("what Terraform reads verbatim is not read (an output's description, cdktf's comments); a map's keys are", async () => {
    let object = '';
    const dir = edited('verbatim', (json) => {
      Object.values(json.output as Record<string, Json>)[0].description = 'read verbatim: ${file("x")}';
      (json['//'] as Json).note = '${file("x")}';
      const [name, group] = firstOf(json, 'azurerm_resource_group');
      group.tags = { ...(group.tags as Json), '${file("y")}': 'v' };
      object = `azurerm_resource_group.${name}.tags.\${file("y")}`;
    });
    const { errors } = await check(dir);
    expect(errors.map((f) => [f.rule, f.object])).toEqual([['terraform-expression', object]]);
    expect(errors[0].message).toContain('the key holds the interpolation');
  });

  test.each([
    ['${var.location}', false],
    ['${azurerm_resource_group.rg.name}${file("x")}', false],
    ['${~azurerm_resource_group.rg.name}', false],
    ['${azurerm_resource_group.rg}', false],
    ['${lower(azurerm_resource_group.rg.name)}', false],
    ['${trimsuffix(azurerm_storage_account.a.primary_web_endpoint, "${x}")}', false],
    ['$${var.x} and %%{if}', true],
    ['$$${var.x}', true],
    ['${azurerm_resource_group.rg.name}/x', true],
    ['${data.azurerm_client_config.current.object_id}', true],
    ['${trimsuffix(azurerm_storage_account.a.primary_web_endpoint, "/")}/openid/v1/jwks', true],
  ])('%s passes: %s', async (text, passes) => {
    const dir = edited(`grammar-${Buffer.from(text).toString('hex').slice(0, 40)}`, (json) => {
      firstOf(json, 'azurerm_resource_group')[1].location = text;
    });
    const { errors } = await check(dir);
    expect(errors.filter((f) => f.rule === 'terraform-expression')).toHaveLength(passes ? 0 : 1);
  });
});

// ---------------------------------------------------------------------------------------------
// Scale: the synthetic fleets of the benchmark

test('check passes on a large synthetic fleet, one stack per cluster', () => {
  const generator = require('../scripts/synthetic-fleet') as { writeSyntheticFleet(dir: string, options: object): string };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-literals-scale-'));
  try {
    const fleetFile = generator.writeSyntheticFleet(path.join(work, 'fleet'), { clusters: 100, workloads: 5, stackLayout: 'perCluster' });
    const summary = synthesizeFleet(loadFleetFile(fleetFile), { outDir: path.join(work, 'out') });
    expect(summary.stacks.length).toBe(101);
    expect(summary.check?.findings.filter((f) => f.rule === 'terraform-expression')).toEqual([]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
