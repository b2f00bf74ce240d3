/**
 * Each kind of value (src/core/values.ts) against rows that read like its rule: the good ones pass,
 * each bad one fails for the reason it shows. Then the fleet schema: every definition that names a
 * kind holds that kind's pattern, and agrees with the validator on every row of that kind.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import {
  ARM_SCOPE_PATTERN,
  BLOB_NAME_PREFIX_PATTERN,
  DNS_LABEL_PATTERN,
  DNS_SUBDOMAIN_PATTERN,
  FILE_PATH_PATTERN,
  GUID_PATTERN,
  IMAGE_REFERENCE_PATTERN,
  KUBERNETES_VERSION_PATTERN,
  NAME_RULES,
  namePattern,
  NameKind,
  RBAC_ACTION_PATTERN,
  REGION_PATTERN,
  ROLE_NAME_PATTERN,
  textProblem,
  VALUE_RULES,
  ValueKind,
  valueProblem,
  VM_SIZE_PATTERN,
} from '../src/core/values';
import { ROOT } from './support';

/** A row: the value, and undefined when it is good or a fragment of the reason when it is bad. */
type Row = readonly [value: string, reason?: string];

const ZWSP = '\u200b';
const GUID = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const AKS = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c/';
const SHA256 = 'a'.repeat(64);

/** Rows every text kind shares: what `textProblem` refuses. */
const TEXT_BAD: Row[] = [
  ['', 'is empty'],
  ['x\ny', 'control character'],
  ['x\ty', 'control character'],
  ['x\u2028y', 'control character'],
  [`x${ZWSP}y`, 'invisible character'],
  ['x\u202ey', 'invisible character'],
  ['\ufeffx', 'invisible character'],
];

const ROWS: Record<ValueKind, Row[]> = {
  guid: [
    [GUID],
    [GUID.toUpperCase()],
    ['', 'is empty'],
    ['not-a-guid', 'is not a GUID'],
    [` ${GUID} `, 'leading or trailing whitespace'],
    [`${GUID}${ZWSP}`, 'invisible character'],
    [`${GUID}\n`, 'control character'],
    [GUID.replace(/-/g, ''), 'is not a GUID'],
    [`{${GUID}}`, 'is not a GUID'],
    [GUID.slice(0, -1) + 'g', 'is not a GUID'],
  ],
  issuerUrl: [
    [AKS],
    ['https://stcontosooidckinddev.blob.core.windows.net/kind-dev'],
    ['https://stcontosooidcgsprod.z6.web.core.windows.net/'],
    ['https://token.actions.githubusercontent.com'],
    ['https://oidc.example.com:8443/fleet/'],
    ['https://[2001:db8::1]/oidc'],
    ['https://xn--wsteurope-d4a.example.com/'],
    ['https://oidc.example.com/a%20b'],
    [`${AKS} `, 'leading or trailing whitespace'],
    [`${AKS}\n`, 'control character'],
    [`${AKS}${ZWSP}`, 'invisible character'],
    ['https://oidc.example.com/a b/', 'contains whitespace'],
    [`${AKS}?api-version=1`, 'has a query'],
    [`${AKS}#frag`, 'has a fragment'],
    ['https://user:pass@oidc.example.com/', 'user name or password'],
    ['https://user@oidc.example.com/', 'user name or password'],
    ['https://WestEurope.oic.prod-aks.azure.com/x/', 'capital letters in its host'],
    ['https://wésteurope.example.com/', 'non-ASCII host: write it in punycode ("xn--wsteurope-b4a.example.com")'],
    ['https://oidc.example.com/a/../b/', '"." or ".." path segment'],
    ['https://oidc.example.com/./b', '"." or ".." path segment'],
    ['https://oidc.example.com/%2e%2E/b', '"." or ".." path segment'],
    ['http://oidc.example.com/', 'is not https'],
    ['HTTPS://oidc.example.com/', 'in lowercase'],
    ['oidc.example.com/fleet', 'is not an https:// URL'],
    ['https:///fleet', 'has no host'],
    ['https://oidc.example.com:0/', 'port'],
    ['https://oidc.example.com:70000/', 'port'],
    ['https://oidc_example.com/', 'not a DNS name'],
    ['https://oidc.example.com./', 'not a DNS name'],
    ['https://oidc.example.com\\fleet', 'backslash'],
    ['https://oidc.example.com/${file("/etc/passwd")}', 'path that a URL cannot hold'],
    ['https://oidc.example.com/é', 'path that a URL cannot hold'],
    ['https://oidc.example.com/%zz', 'path that a URL cannot hold'],
    ['https://login.microsoftonline.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/v2.0', 'is an Entra issuer (login.microsoftonline.com)'],
    ['https://sts.windows.net/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/', 'is an Entra issuer'],
    ['https://eu.login.microsoftonline.us/x', 'is an Entra issuer'],
    [`https://oidc.example.com/${'a'.repeat(600)}`, 'Entra allows at most 600'],
    ['', 'is empty'],
  ],
  region: [
    ['westeurope'],
    ['eastus2'],
    ['usgovvirginia'],
    ['westeurope ', 'leading or trailing whitespace'],
    ['West Europe', 'contains a space'],
    ['WestEurope', 'capital letters'],
    ['west-europe', 'is not an Azure region name'],
    ['2westeurope', 'is not an Azure region name'],
    ['westeurope\n', 'control character'],
  ],
  dnsLabel: [
    ['orders'],
    ['a'],
    ['a1-b2'],
    ['x'.repeat(63)],
    ['x'.repeat(64), 'at most 63'],
    ['Orders', 'capital letters'],
    ['orders_team', 'is not a DNS label'],
    ['-orders', 'is not a DNS label'],
    ['orders-', 'is not a DNS label'],
    ['a.b', 'is not a DNS label'],
    ['orders\n', 'control character'],
  ],
  dnsSubdomain: [
    ['orders-api'],
    ['ocp.contoso.com'],
    ['a.b-c.d'],
    [`${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(63)}.${'w'.repeat(61)}`],
    [`${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(63)}.${'w'.repeat(62)}`, 'at most 253'],
    ['Ocp.contoso.com', 'capital letters'],
    ['ocp..contoso.com', 'is not a DNS subdomain'],
    ['.ocp.contoso.com', 'is not a DNS subdomain'],
    ['ocp.contoso.com.', 'is not a DNS subdomain'],
    ['ocp_contoso', 'is not a DNS subdomain'],
    ['ocp.contoso.com\nx', 'control character'],
    ['ingress-operator\nx', 'control character'],
  ],
  imageReference: [
    ['ghcr.io/azure/azure-workload-identity/msal-go:latest'],
    ['quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64'],
    [`quay.io/openshift-release-dev/ocp-release@sha256:${SHA256}`],
    [`registry.example.com:5000/team/app:1.2.3@sha256:${SHA256}`],
    ['nginx'],
    ['library/ubuntu:22.04'],
    ['localhost/app__v2'],
    ['[::1]:5000/app'],
    ['my.registry/a--b/c.d_e'],
    ['nginx\nx', 'control character'],
    ['quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64\n', 'control character'],
    [' nginx', 'leading or trailing whitespace'],
    ['ghcr.io/Azure/app:1', 'capital letters in its repository name'],
    ['nginx:', 'is not an image reference'],
    ['nginx:-1', 'is not an image reference'],
    [`nginx:${'t'.repeat(129)}`, 'is not an image reference'],
    ['ghcr.io//app', 'is not an image reference'],
    ['ghcr.io/app/', 'is not an image reference'],
    ['app@sha256:abc', 'is not an image reference'],
    [`app@md5:${'a'.repeat(32)}`, 'algorithm "md5"'],
    [`app@sha256:${'A'.repeat(64)}`, 'not 64 lowercase hexadecimal digits'],
    [`app@sha256:${'a'.repeat(63)}`, 'not 64 lowercase hexadecimal digits'],
    ['ghcr.io/app:${TAG}', 'is not an image reference'],
    [`ghcr.io/${'a'.repeat(256)}`, 'repository name of 256 characters'],
    [`x/${'a'.repeat(1100)}`, 'longer than 1024'],
  ],
  kubernetesVersion: [
    ['1.29'],
    ['1.29.4'],
    ['1.0'],
    ['1.29\n', 'control character'],
    ['v1.29', 'starts with "v"'],
    ['1', 'is not a Kubernetes version'],
    ['1.29.4.1', 'is not a Kubernetes version'],
    ['1.029', 'is not a Kubernetes version'],
    ['1.29-preview', 'is not a Kubernetes version'],
    ['latest', 'is not a Kubernetes version'],
  ],
  vmSize: [
    ['Standard_D2s_v5'],
    ['Standard_M416-208s_v2'],
    ['Basic_A0'],
    ['Standard_D2s_v5\n', 'control character'],
    ['standard_d2s_v5', 'is not an Azure VM size'],
    ['D2s_v5', 'is not an Azure VM size'],
    ['Standard D2s v5', 'is not an Azure VM size'],
    ['Standard_', 'is not an Azure VM size'],
  ],
  roleName: [
    ['Contributor'],
    ['Storage Blob Data Reader'],
    ['Key Vault Secrets User'],
    ['Custom (team-a) role #1'],
    ['x'.repeat(512)],
    ['x'.repeat(513), 'at most 512'],
    [' Contributor', 'leading or trailing whitespace'],
    ['Contributor\n', 'control character'],
    [`Contri${ZWSP}butor`, 'invisible character'],
    ['', 'is empty'],
  ],
  rbacAction: [
    ['Microsoft.Network/virtualNetworks/subnets/read'],
    ['Microsoft.Network/*/read'],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'],
    ['Microsoft.Compute/locations/DiskOperations/read'],
    ['Microsoft.Resources/subscriptions/resourceGroups/*/read'],
    ['*/read'],
    ['*'],
    ['Microsoft.Network', 'names a provider but no operation'],
    ['Microsoft.Network/dnsZones/A/write\n', 'control character'],
    ['${file("/etc/passwd")}', 'is not an Azure operation'],
    ['Microsoft.Network//read', 'is not an Azure operation'],
    ['Microsoft.Network/dns zones/read', 'is not an Azure operation'],
    ['Network/read', 'is not an Azure operation'],
    ['Microsoft.Network/read/', 'is not an Azure operation'],
  ],
  armScope: [
    ['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'],
    ['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st1'],
    ['storageAccounts/st1', 'is not an ARM scope'],
    ['/subscriptions/not-a-guid', 'is not an ARM scope'],
    ['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/', 'is not an ARM scope'],
    ['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b//resourceGroups', 'is not an ARM scope'],
    ['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/rg data', 'is not an ARM scope'],
    ['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b\n', 'control character'],
  ],
  blobNamePrefix: [['wisynth/'], [''], ['team a/'], ['x'.repeat(960)], ['x'.repeat(961), 'at most 960'], ['a\nb', 'control character']],
  filePath: [['keys/kind-dev/sa.pub'], ['/abs/path with space/sa.pub'], ['', 'is empty'], ['keys/sa.pub ', 'leading or trailing whitespace'], ['keys/sa.pub\n', 'control character'], [`keys/${ZWSP}sa.pub`, 'invisible character']],
  absolutePath: [['/var/run/secrets/openshift/serviceaccount/token'], ['var/run/token', 'is not an absolute path'], ['/var/run\n/token', 'control character']],
  resourceGroup: [['rg-contoso'], ['rg.(team)_1'], ['x'.repeat(90)], ['x'.repeat(91), 'it must be 1-90'], ['rg.', 'is not allowed'], ['rg contoso', 'is not allowed'], ['rg\n', 'control character']],
  identity: [['id-orders'], ['id_orders'], ['ab', 'it must be 3-128'], ['_id', 'is not allowed'], ['id.orders', 'is not allowed'], [' id-orders', 'leading or trailing whitespace']],
  keyVault: [['kv-contoso-wi-demo'], ['kv-contoso--demo', 'is not allowed'], ['kv-contoso-workload-identity', 'it must be 3-24'], ['1kv', 'is not allowed'], ['kv-', 'is not allowed']],
  storageAccount: [['stcontosooidckinddev'], ['StContoso', 'is not allowed'], ['st', 'it must be 3-24'], ['st-contoso', 'is not allowed']],
  blobContainer: [['oidc'], ['kind-dev'], ['$web', 'is not allowed'], ['a--b', 'is not allowed'], ['ab', 'it must be 3-63'], ['Oidc', 'is not allowed'], ['-oidc', 'is not allowed']],
  aksCluster: [['aks-prod'], ['aks_prod'], ['-aks', 'is not allowed'], ['aks.prod', 'is not allowed']],
  dnsPrefix: [['aks-prod'], ['x'.repeat(54)], ['x'.repeat(55), 'it must be 1-54'], ['aks_prod', 'is not allowed']],
  federatedCredential: [['ingress-operator'], ['aks-prod_orders_orders-api'], ['ab', 'it must be 3-120'], ['sa.with.dots', 'is not allowed'], ['_sa', 'is not allowed']],
  keyVaultSecret: [['hello'], ['ocp-prod-pull-secret'], ['x'.repeat(127)], ['x'.repeat(128), 'it must be 1-127'], ['hello_world', 'is not allowed'], ['hello\n', 'control character']],
  clusterName: [['aks-prod'], ['AKS-Legacy', 'is not allowed'], ['aks_prod', 'is not allowed'], ['x'.repeat(64), 'it must be 1-63']],
  namespace: [['orders'], ['Reports_Team', 'is not allowed'], ['x'.repeat(64), 'it must be 1-63']],
  serviceAccount: [['orders-api'], ['sa.with.dots'], ['Orders', 'is not allowed'], ['sa\n', 'control character']],
  objectName: [['cluster-identity'], ['a.b'], ['A', 'is not allowed']],
  stackName: [['contoso'], ['Contoso', 'is not allowed'], ['contoso_fleet', 'is not allowed']],
};

const KINDS = Object.keys(VALUE_RULES) as ValueKind[];

describe('every kind has rows, good and bad', () => {
  test.each(KINDS)('%s', (kind) => {
    const rows = ROWS[kind];
    expect(rows.some(([, reason]) => reason === undefined)).toBe(true);
    expect(rows.some(([, reason]) => reason !== undefined)).toBe(true);
  });
});

describe.each(KINDS)('%s', (kind) => {
  const good = ROWS[kind].filter(([, reason]) => reason === undefined).map(([value]) => value);
  const bad = ROWS[kind].filter((row): row is readonly [string, string] => row[1] !== undefined);
  if (good.length > 0) {
    test.each(good.map((v) => [JSON.stringify(v).slice(0, 80), v]))('accepts %s', (_, value) => {
      expect(VALUE_RULES[kind].problem(value)).toBeUndefined();
    });
  }
  test.each(bad.map(([v, reason]) => [JSON.stringify(v).slice(0, 80), v, reason]))('refuses %s: %s', (_, value, reason) => {
    expect(VALUE_RULES[kind].problem(value)).toContain(reason);
  });
});

describe('text every kind refuses', () => {
  const textKinds = KINDS.filter((k) => k !== 'blobNamePrefix');
  test.each(TEXT_BAD.map(([v, reason]) => [JSON.stringify(v), v, reason!]))('%s', (_, value, reason) => {
    expect(textProblem(value)).toContain(reason);
    for (const kind of textKinds) expect(VALUE_RULES[kind].problem(value)).toBeDefined();
  });
});

describe('valueProblem', () => {
  test.each([
    [5, 'is a number, not a string'],
    [null, 'is null, not a string'],
    [['x'], 'is a list, not a string'],
    [{ a: 1 }, 'is an object, not a string'],
    [true, 'is a boolean, not a string'],
  ])('%p', (value, reason) => {
    expect(valueProblem('guid', value)).toBe(reason);
  });

  test('a huge value costs no more than the limit checks', () => {
    const started = Date.now();
    for (const kind of KINDS) VALUE_RULES[kind].problem(`${'a-'.repeat(200_000)}!`);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

/* ---------- the fleet schema holds the same rules ---------- */

interface Definition {
  readonly pattern?: string;
  readonly description?: string;
  readonly 'x-value-kind'?: ValueKind;
}

const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'fleet.schema.json'), 'utf8')) as { definitions: Record<string, Definition> };
const KINDED = Object.entries(SCHEMA.definitions).filter(([, d]) => d['x-value-kind'] !== undefined);

const PATTERNS: Partial<Record<ValueKind, string>> = {
  guid: GUID_PATTERN,
  region: REGION_PATTERN,
  dnsLabel: DNS_LABEL_PATTERN,
  dnsSubdomain: DNS_SUBDOMAIN_PATTERN,
  imageReference: IMAGE_REFERENCE_PATTERN,
  kubernetesVersion: KUBERNETES_VERSION_PATTERN,
  vmSize: VM_SIZE_PATTERN,
  roleName: ROLE_NAME_PATTERN,
  rbacAction: RBAC_ACTION_PATTERN,
  armScope: ARM_SCOPE_PATTERN,
  filePath: FILE_PATH_PATTERN,
  blobNamePrefix: BLOB_NAME_PREFIX_PATTERN,
};

/** Values a pattern cannot judge, left to the plan: a repository path over 255 characters behind an optional registry. */
const PLAN_ONLY = new Set([`ghcr.io/${'a'.repeat(256)}`]);

describe('fleet schema definitions', () => {
  test('name the kinds of values they hold (the scan is not vacuous)', () => {
    expect(KINDED.length).toBeGreaterThanOrEqual(20);
  });

  test.each(KINDED)('%s holds the pattern of its kind and a description stating the rule', (_, def) => {
    const kind = def['x-value-kind']!;
    const expected = kind in NAME_RULES ? namePattern(kind as NameKind) : PATTERNS[kind];
    expect(def.pattern).toBe(expected);
    expect(def.description).toEqual(expect.stringMatching(/\S{3}/));
  });

  test.each(KINDED)('%s agrees with the validator on every row of its kind', (_, def) => {
    const kind = def['x-value-kind']!;
    const validate = new Ajv({ strict: false }).compile(def);
    for (const [value] of [...ROWS[kind], ...TEXT_BAD].filter(([v]) => !PLAN_ONLY.has(v))) {
      expect([JSON.stringify(value), validate(value)]).toEqual([JSON.stringify(value), VALUE_RULES[kind].problem(value) === undefined]);
    }
  });
});
