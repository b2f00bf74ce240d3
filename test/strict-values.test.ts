/**
 * Strict values at every edge (issue 12, item 4): each value that comes in, from the fleet file, a
 * fleet built in code, a CredentialsRequest or a Terraform outputs file, is checked by its kind. A bad
 * one ends in exit 1 with the file, the field and the fix, and nothing written; `check` refuses a client
 * id that is no identity's. Every row here synthesized and passed `check` before.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { CheckReport } from '../src/check/check';
import { FleetError } from '../src/core/issues';
import { AksCluster, CapzManagementCluster, Fleet, KeyVault, ManagedIdentity, planFleet, ResourceGroup } from '../src/index';
import { CliRun, copyExampleInputs, editOnce, lineWhereStarts, ROOT, runCli } from './support';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const LEGACY = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c/';
const INGRESS_CR = 'openshift/credentialsrequests/00-ingress-credentials-request.azure.yaml';
const ZWSP = '\u200b';
const STACK_LINE = /^\s+at /m;
const CLIENT_ID = 'azure.workload.identity/client-id';

/** `text` with `from` (which must occur exactly once) replaced by `to`. */
const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

const lineOf = lineWhereStarts;

const run = (argv: string[], cwd: string): Promise<CliRun> => runCli(argv, cwd);

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-strict-values-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A fresh folder with the fleet and the example's inputs; OUT is `<dir>/out`, not created. */
function scenario(name: string, fleet = EXAMPLE): { dir: string; file: string; out: string } {
  const dir = fs.mkdtempSync(path.join(work, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}-`));
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, fleet);
  copyExampleInputs(dir);
  return { dir, file, out: path.join(dir, 'out') };
}

/** The error block (head and fix line) that starts with `head`, or a failure that shows stderr. */
function issueStartingWith(stderr: string, head: (line: string) => boolean): string {
  const line = stderr.split('\n').find((l) => l.startsWith('error: ') && head(l));
  if (!line) throw new Error(`no such error; stderr was:\n${stderr}`);
  return stderr.slice(stderr.indexOf(line)).split('\n').slice(0, 2).join('\n');
}

/** The refusal every bad input ends in: exit 1, errors with fixes, no stack trace, nothing written. */
function expectRefused(r: CliRun, out: string, errors = 1): void {
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(errors);
  expect(r.stderr).toContain(`${errors} problem(s); nothing was written`);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toContain('unexpectedly');
  expect(fs.existsSync(out)).toBe(false);
}

/* ---------- the fleet file, every platform's fields ---------- */

interface FleetCase {
  readonly name: string;
  readonly yaml: string;
  /** The field path as printed. */
  readonly field: string;
  /** Unique text on the line the error points at. */
  readonly marker: string;
  /** A fragment of the message, and one of the fix. */
  readonly message: string;
  readonly fix: string;
}

const EKS = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C64F4A2B1E8D7C3F6A9B0E2D1C4F7A8';

/** The same bad issuer, given as an existing AKS cluster's URL and as an external issuer: both follow the issuer rules. */
const issuerCases = (name: string, to: string, message: string): FleetCase[] => [
  {
    name: `aks.existing.issuerUrl ${name}`,
    yaml: edit(`issuerUrl: ${LEGACY}`, `issuerUrl: ${to}`),
    field: 'clusters[1].aks.existing.issuerUrl',
    marker: `issuerUrl: ${to}`,
    message,
    fix: 'az aks show',
  },
  {
    name: `externalIssuer.issuerUrl ${name}`,
    yaml: edit(`issuerUrl: ${EKS}`, `issuerUrl: ${to}`),
    field: 'clusters[5].externalIssuer.issuerUrl',
    marker: `issuerUrl: ${to}`,
    message,
    fix: 'kubectl get --raw /.well-known/openid-configuration',
  },
];

const FLEET_CASES: FleetCase[] = [
  ...issuerCases('with a trailing space', `'${LEGACY} '`, 'has leading or trailing whitespace'),
  ...issuerCases('with a newline', `"${LEGACY}\\n"`, 'contains a control character'),
  ...issuerCases('with a tab inside', `"https://westeurope.oic.prod-aks.azure.com/\\tx/"`, 'contains a control character'),
  ...issuerCases('with a zero-width space', `"${LEGACY}\\u200b"`, 'contains an invisible character'),
  ...issuerCases('with ?query', `'${LEGACY}?api-version=2024'`, 'has a query'),
  ...issuerCases('with #fragment', `'${LEGACY}#keys'`, 'has a fragment'),
  ...issuerCases('with user:pass@', LEGACY.replace('https://', 'https://user:pass@'), 'user name or password'),
  ...issuerCases('with an uppercase host', LEGACY.replace('westeurope.oic', 'WestEurope.oic'), 'capital letters in its host'),
  ...issuerCases('with a non-ASCII host', LEGACY.replace('westeurope.oic', 'wésteurope.oic'), 'non-ASCII host: write it in punycode ("xn--wsteurope-b4a.oic'),
  ...issuerCases('with .. segments', 'https://westeurope.oic.prod-aks.azure.com/a/../b/', '"." or ".." path segment'),
  ...issuerCases('with an unescaped space in the path', "'https://oidc.example.com/a b/'", 'contains whitespace'),
  ...issuerCases('with a Terraform expression', 'https://oidc.example.com/${var.x}/', 'path that a URL cannot hold'),
  ...issuerCases('in uppercase HTTPS', LEGACY.replace('https://', 'HTTPS://'), 'in lowercase'),
  ...issuerCases('at an Entra host', 'https://sts.windows.net/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/', 'is an Entra issuer'),
  ...issuerCases('longer than 600 characters', `https://oidc.example.com/${'a'.repeat(600)}`, 'Entra allows at most 600'),
  {
    name: "azure.location 'westeurope '",
    yaml: edit('  location: westeurope\n', "  location: 'westeurope '\n"),
    field: 'azure.location',
    marker: "location: 'westeurope '",
    message: 'value "westeurope "',
    fix: 'Azure region name: lowercase letters and digits, no spaces',
  },
  {
    name: 'resourceGroups[].location "West Europe"',
    yaml: edit('  - name: rg-contoso-identities\n', '  - name: rg-contoso-identities\n    location: West Europe\n'),
    field: 'resourceGroups[0].location',
    marker: 'location: West Europe',
    message: 'value "West Europe"',
    fix: 'Azure region name',
  },
  {
    name: 'identities[].location with a tab',
    yaml: edit('  - name: id-reports\n    resourceGroup: rg-contoso-identities\n', '  - name: id-reports\n    resourceGroup: rg-contoso-identities\n    location: "westeurope\\t"\n'),
    field: 'identities[1].location',
    marker: 'location: "westeurope\\t"',
    message: 'value "westeurope\\t"',
    fix: 'Azure region name',
  },
  {
    name: 'keyVaults[].location WestEurope',
    yaml: edit('  - name: kv-contoso-hive\n    resourceGroup: rg-contoso-identities\n', '  - name: kv-contoso-hive\n    resourceGroup: rg-contoso-identities\n    location: WestEurope\n'),
    field: 'keyVaults[1].location',
    marker: 'location: WestEurope',
    message: 'value "WestEurope"',
    fix: 'Azure region name',
  },
  {
    name: 'aks.location with a space',
    yaml: edit('      resourceGroup: rg-contoso-aks\n', '      resourceGroup: rg-contoso-aks\n      location: west europe\n'),
    field: 'clusters[0].aks.location',
    marker: 'location: west europe',
    message: 'value "west europe"',
    fix: 'Azure region name',
  },
  {
    name: 'aks.kubernetesVersion with a newline',
    yaml: edit('      resourceGroup: rg-contoso-aks\n', '      resourceGroup: rg-contoso-aks\n      kubernetesVersion: "1.29\\n"\n'),
    field: 'clusters[0].aks.kubernetesVersion',
    marker: 'kubernetesVersion:',
    message: 'value "1.29\\n"',
    fix: 'a Kubernetes version <major>.<minor> or <major>.<minor>.<patch>',
  },
  {
    name: 'aks.kubernetesVersion v1.29',
    yaml: edit('      resourceGroup: rg-contoso-aks\n', '      resourceGroup: rg-contoso-aks\n      kubernetesVersion: v1.29\n'),
    field: 'clusters[0].aks.kubernetesVersion',
    marker: 'kubernetesVersion:',
    message: 'value "v1.29"',
    fix: 'e.g. 1.29 or 1.29.4',
  },
  {
    name: 'aks.nodePool.vmSize with spaces',
    yaml: edit('        vmSize: Standard_D2s_v5\n        nodeCount: 2', '        vmSize: Standard D2s v5\n        nodeCount: 2'),
    field: 'clusters[0].aks.nodePool.vmSize',
    marker: 'vmSize: Standard D2s v5',
    message: 'value "Standard D2s v5"',
    fix: 'Azure VM size name',
  },
  {
    name: 'workloads[].verify.image with a newline',
    yaml: edit('          secretName: hello\n', '          secretName: hello\n          image: "nginx\\nx"\n'),
    field: 'clusters[0].workloads[0].verify.image',
    marker: 'image: "nginx',
    message: 'value "nginx\\nx"',
    fix: 'a container image reference',
  },
  {
    name: 'workloads[].verify.image with a Terraform expression as its tag',
    yaml: edit('          secretName: hello\n', '          secretName: hello\n          image: ghcr.io/app:${TAG}\n'),
    field: 'clusters[0].workloads[0].verify.image',
    marker: 'image: ghcr.io/app',
    message: 'value "ghcr.io/app:${TAG}"',
    fix: 'a container image reference',
  },
  {
    name: 'workloads[].serviceAccount with a newline',
    yaml: edit('        serviceAccount: report-builder\n', '        serviceAccount: "report-builder\\n"\n'),
    field: 'clusters[0].workloads[1].serviceAccount',
    marker: 'serviceAccount: "report-builder',
    message: 'value "report-builder\\n"',
    fix: 'a Kubernetes service account name, a DNS subdomain',
  },
  {
    name: 'workloads[].namespace with a zero-width space',
    yaml: edit('      - namespace: reports\n', `      - namespace: "reports${ZWSP}"\n`),
    field: 'clusters[0].workloads[1].namespace',
    marker: '- namespace: "reports',
    message: 'value "reports\\u200b"',
    fix: 'a Kubernetes namespace, a DNS label',
  },
  {
    name: 'azure.tenantId padded with spaces',
    yaml: edit('tenantId: 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', 'tenantId: " 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a "'),
    field: 'azure.tenantId',
    marker: 'tenantId:',
    message: 'value " 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a "',
    fix: 'az account show --query tenantId',
  },
  {
    name: 'azure.subscriptionId with a zero-width space',
    yaml: edit('subscriptionId: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b\n', `subscriptionId: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b${ZWSP}"\n`),
    field: 'azure.subscriptionId',
    marker: 'subscriptionId:',
    message: 'value "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b\\u200b"',
    fix: 'az account show --query id',
  },
  {
    name: 'identities[].existing.clientId empty',
    yaml: edit('      clientId: 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', '      clientId: ""'),
    field: 'identities[6].existing.clientId',
    marker: 'clientId: ""',
    message: 'value ""',
    fix: 'az identity show',
  },
  {
    name: 'identities[].roles[].role with a trailing space',
    yaml: edit('      - role: Storage Blob Data Reader\n', "      - role: 'Storage Blob Data Reader '\n"),
    field: 'identities[0].roles[0].role',
    marker: "role: 'Storage Blob Data Reader '",
    message: 'value "Storage Blob Data Reader "',
    fix: 'the name of an Azure role',
  },
  {
    name: 'identities[].roles[].scope with a space',
    yaml: edit('/resourceGroups/rg-data/providers', '/resourceGroups/rg data/providers'),
    field: 'identities[0].roles[0].scope',
    marker: 'scope: /subscriptions',
    message: 'value "/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourc',
    fix: 'an ARM id such as /subscriptions/<id>/resourceGroups/<name>, without spaces',
  },
  {
    name: 'the fleet name in capitals',
    yaml: edit('name: contoso\n', 'name: Contoso\n'),
    field: 'name',
    marker: 'name: Contoso',
    message: 'value "Contoso"',
    fix: 'fleet name: lowercase letters, digits and "-"',
  },
  {
    name: 'terraform.backend.keyPrefix with a newline (azurerm)',
    yaml: edit(
      '    type: local\n    path: terraform-state',
      '    type: azurerm\n    resourceGroupName: rg-state\n    storageAccountName: stcontosostate\n    containerName: tfstate\n    keyPrefix: "fleet/\\n"',
    ),
    field: 'terraform.backend.keyPrefix',
    marker: 'keyPrefix:',
    message: 'value "fleet/\\n"',
    fix: 'without control characters',
  },
  {
    name: 'terraform.backend.containerName with "--" (azurerm)',
    yaml: edit('    type: local\n    path: terraform-state', '    type: azurerm\n    resourceGroupName: rg-state\n    storageAccountName: stcontosostate\n    containerName: tf--state'),
    field: 'terraform.backend.containerName',
    marker: 'containerName:',
    message: 'value "tf--state"',
    fix: 'blob container name: lowercase letters, digits and single hyphens',
  },
  {
    name: 'selfManaged.issuer.location with a newline (kind)',
    yaml: edit('        container: kind-dev\n', '        container: kind-dev\n        location: "westeurope\\n"\n'),
    field: 'clusters[2].selfManaged.issuer.location',
    marker: 'location: "westeurope',
    message: 'value "westeurope\\n"',
    fix: 'Azure region name',
  },
  {
    name: 'selfManaged.serviceAccountKeys.privateKeyFile with a trailing space (kind)',
    yaml: edit('        privateKeyFile: keys/kind-dev/sa.key\n', "        privateKeyFile: 'keys/kind-dev/sa.key '\n"),
    field: 'clusters[2].selfManaged.serviceAccountKeys.privateKeyFile',
    marker: "privateKeyFile: 'keys/kind-dev/sa.key '",
    message: 'value "keys/kind-dev/sa.key "',
    fix: 'a file path without control characters or whitespace around it',
  },
  {
    name: 'selfManaged.serviceAccountKeys.publicKeyFiles[] with a newline (Giant Swarm)',
    yaml: edit('          - keys/gs-prod/sa.pub\n', '          - "keys/gs-prod/sa.pub\\n"\n'),
    field: 'clusters[3].selfManaged.serviceAccountKeys.publicKeyFiles[0]',
    marker: '- "keys/gs-prod/sa.pub',
    message: 'value "keys/gs-prod/sa.pub\\n"',
    fix: 'a file path',
  },
  {
    name: 'capz.namespace in capitals',
    yaml: edit('      identity: id-capz\n', '      identity: id-capz\n      namespace: CAPZ-System\n'),
    field: 'clusters[4].capz.namespace',
    marker: 'namespace: CAPZ-System',
    message: 'value "CAPZ-System"',
    fix: 'a Kubernetes namespace',
  },
  {
    name: 'capz.managerServiceAccount with a newline',
    yaml: edit('      identity: id-capz\n', '      identity: id-capz\n      managerServiceAccount: "capz-manager\\n"\n'),
    field: 'clusters[4].capz.managerServiceAccount',
    marker: 'managerServiceAccount:',
    message: 'value "capz-manager\\n"',
    fix: 'a Kubernetes service account name',
  },
  {
    name: 'capz.role with a newline',
    yaml: edit('      identity: id-capz\n', '      identity: id-capz\n      role: "Contributor\\n"\n'),
    field: 'clusters[4].capz.role',
    marker: 'role: "Contributor',
    message: 'value "Contributor\\n"',
    fix: 'the name of an Azure role',
  },
  {
    name: 'capz.clusterIdentity.name with an underscore',
    yaml: edit('      identity: id-capz\n', '      identity: id-capz\n      clusterIdentity:\n        name: cluster_identity\n'),
    field: 'clusters[4].capz.clusterIdentity.name',
    marker: 'name: cluster_identity',
    message: 'value "cluster_identity"',
    fix: 'a Kubernetes object name',
  },
  {
    name: 'capz.workloadClusters[].location with a trailing space',
    yaml: edit('          nodeIdentity: id-capz-work-1-nodes\n', "          nodeIdentity: id-capz-work-1-nodes\n          location: 'westeurope '\n"),
    field: 'clusters[4].capz.workloadClusters[0].location',
    marker: "location: 'westeurope '",
    message: 'value "westeurope "',
    fix: 'Azure region name',
  },
  {
    name: 'capz.workloadClusters[].controlPlane.vmSize with a newline',
    yaml: edit('            vmSize: Standard_D4s_v5\n', '            vmSize: "Standard_D4s_v5\\n"\n'),
    field: 'clusters[4].capz.workloadClusters[0].controlPlane.vmSize',
    marker: 'vmSize: "Standard_D4s_v5',
    message: 'value "Standard_D4s_v5\\n"',
    fix: 'Azure VM size name',
  },
  {
    name: 'openshiftHive.baseDomain with a newline',
    yaml: edit('      baseDomain: ocp.contoso.com\n', '      baseDomain: "ocp.contoso.com\\nx"\n'),
    field: 'clusters[6].openshiftHive.baseDomain',
    marker: 'baseDomain: "ocp',
    message: 'value "ocp.contoso.com\\nx"',
    fix: 'a DNS domain such as ocp.contoso.com',
  },
  {
    name: 'openshiftHive.baseDomain in capitals',
    yaml: edit('      baseDomain: ocp.contoso.com\n', '      baseDomain: OCP.Contoso.com\n'),
    field: 'clusters[6].openshiftHive.baseDomain',
    marker: 'baseDomain: OCP',
    message: 'value "OCP.Contoso.com"',
    fix: 'a DNS domain',
  },
  {
    name: 'openshiftHive.releaseImage with a newline',
    yaml: edit('releaseImage: quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64', 'releaseImage: "quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64\\n"'),
    field: 'clusters[6].openshiftHive.releaseImage',
    marker: 'releaseImage:',
    message: 'value "quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64\\n"',
    fix: 'a container image reference',
  },
  {
    name: 'openshiftHive.releaseImage with a capital in its repository',
    yaml: edit('releaseImage: quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64', 'releaseImage: quay.io/OpenShift/ocp-release:4.19.10-x86_64'),
    field: 'clusters[6].openshiftHive.releaseImage',
    marker: 'releaseImage:',
    message: 'value "quay.io/OpenShift/ocp-release:4.19.10-x86_64"',
    fix: 'the repository in lowercase',
  },
  {
    name: 'openshiftHive.region West-Europe',
    yaml: edit('      baseDomain: ocp.contoso.com\n', '      baseDomain: ocp.contoso.com\n      region: West-Europe\n'),
    field: 'clusters[6].openshiftHive.region',
    marker: 'region: West-Europe',
    message: 'value "West-Europe"',
    fix: 'Azure region name',
  },
  {
    name: 'openshiftHive.namespace in capitals',
    yaml: edit('      baseDomain: ocp.contoso.com\n', '      baseDomain: ocp.contoso.com\n      namespace: OCP\n'),
    field: 'clusters[6].openshiftHive.namespace',
    marker: 'namespace: OCP',
    message: 'value "OCP"',
    fix: 'a Kubernetes namespace',
  },
  {
    name: 'openshiftHive.storageAccount with a hyphen',
    yaml: edit('      storageAccount: stcontosooidcocpprod\n', '      storageAccount: st-contoso-ocp\n'),
    field: 'clusters[6].openshiftHive.storageAccount',
    marker: 'storageAccount: st-contoso-ocp',
    message: 'value "st-contoso-ocp"',
    fix: 'storage account name',
  },
  {
    name: 'openshiftHive.publicKeyFile with a newline',
    yaml: edit('      publicKeyFile: keys/ocp-prod/sa.pub\n', '      publicKeyFile: "keys/ocp-prod/sa.pub\\n"\n'),
    field: 'clusters[6].openshiftHive.publicKeyFile',
    marker: 'publicKeyFile:',
    message: 'value "keys/ocp-prod/sa.pub\\n"',
    fix: 'a file path',
  },
  {
    name: 'openshiftHive.compute.vmSize in lowercase',
    yaml: edit('      publicKeyFile: keys/ocp-prod/sa.pub\n', '      publicKeyFile: keys/ocp-prod/sa.pub\n      compute:\n        vmSize: standard_d4s_v5\n'),
    field: 'clusters[6].openshiftHive.compute.vmSize',
    marker: 'vmSize: standard_d4s_v5',
    message: 'value "standard_d4s_v5"',
    fix: 'Azure VM size name',
  },
  {
    name: 'openshiftHive.secrets.serviceAccount with a space',
    yaml: edit('        hub: aks-prod\n', '        hub: aks-prod\n        serviceAccount: hive secrets\n'),
    field: 'clusters[6].openshiftHive.secrets.serviceAccount',
    marker: 'serviceAccount: hive secrets',
    message: 'value "hive secrets"',
    fix: 'a Kubernetes service account name',
  },
  {
    name: 'openshiftHive.secrets.remoteKeys.pullSecret with an underscore',
    yaml: edit('        hub: aks-prod\n', '        hub: aks-prod\n        remoteKeys:\n          pullSecret: pull_secret\n'),
    field: 'clusters[6].openshiftHive.secrets.remoteKeys.pullSecret',
    marker: 'pullSecret: pull_secret',
    message: 'value "pull_secret"',
    fix: 'Key Vault secret name: letters, digits and hyphens',
  },
];

describe('the fleet file', () => {
  test('the table has a distinct input per row', () => {
    expect(new Set(FLEET_CASES.map((c) => c.name)).size).toBe(FLEET_CASES.length);
    expect(new Set(FLEET_CASES.map((c) => c.yaml)).size).toBe(FLEET_CASES.length);
  });

  test('the example itself synthesizes and passes check', async () => {
    const s = scenario('good');
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test.each(FLEET_CASES)('$name: exit 1 naming file, line, field and fix', async (c) => {
    const s = scenario(c.name, c.yaml);
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    const line = lineOf(c.yaml, c.marker);
    const issue = issueStartingWith(r.stderr, (l) => l.startsWith(`error: ${s.file}:${line}:`) && l.includes(` ${c.field}: `));
    expect(issue.split('\n')[0]).toContain(c.message);
    expect(issue.split('\n')[1]).toMatch(/^ {2}fix: \S/);
    expect(issue.split('\n')[1]).toContain(c.fix);
    expectRefused(r, s.out);
  });
});

/* ---------- a fleet built in code: the plan checks what the schema would have ---------- */

const AZURE = { tenantId: '11111111-2222-4333-8444-555555555555', subscriptionId: '66666666-7777-4888-9999-000000000000', location: 'westeurope' };

/** The issues of planning a fleet; none when it plans. */
function planIssues(fleet: Fleet, options: Parameters<typeof planFleet>[1] = {}) {
  try {
    planFleet(fleet, options);
    return [];
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    return [...e.issues];
  }
}

describe('a fleet built in code', () => {
  const small = (azure: Partial<typeof AZURE> = {}) => {
    const fleet = new Fleet({ name: 'unit', azure: { ...AZURE, ...azure }, baseDir: '/fleet' });
    const group = new ResourceGroup(fleet, 'rg-unit');
    const identity = new ManagedIdentity(fleet, 'id-app', { resourceGroup: group });
    return { fleet, group, identity };
  };

  test.each([
    ['the fleet location', () => small({ location: 'westeurope ' }).fleet, '(fleet)', 'location "westeurope " has leading or trailing whitespace', 'Azure region name'],
    [
      'an existing AKS cluster issuer with a query',
      () => {
        const { fleet, identity } = small();
        AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/?x=1' }).addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
        return fleet;
      },
      'aks-a',
      'issuerUrl "https://oidc.example.com/a/?x=1" has a query',
      'az aks show',
    ],
    [
      'an AKS kubernetesVersion with a newline',
      () => {
        const { fleet, group, identity } = small();
        new AksCluster(fleet, 'aks-b', { resourceGroup: group, kubernetesVersion: '1.29\n' }).addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
        return fleet;
      },
      'aks-b',
      'kubernetesVersion "1.29\\n" contains a control character',
      'a Kubernetes version',
    ],
    [
      'an existing identity client id padded',
      () => {
        const { fleet, group } = small();
        const existing = ManagedIdentity.fromExisting(fleet, 'id-old', { name: 'id-old', resourceGroup: group, clientId: ' 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
        AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' }).addWorkload({ namespace: 'app', serviceAccount: 'api', identity: existing });
        return fleet;
      },
      'id-old',
      'clientId " 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f" has leading or trailing whitespace',
      'az identity show',
    ],
    [
      'a verification image with a newline',
      () => {
        const { fleet, group, identity } = small();
        const vault = new KeyVault(fleet, 'kv-unit-demo', { resourceGroup: group });
        AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' }).addWorkload({
          namespace: 'app',
          serviceAccount: 'api',
          identity,
          verify: { keyVault: vault, secretName: 's', image: 'nginx\nx' },
        });
        return fleet;
      },
      'aks-a/app:api',
      'image "nginx\\nx" contains a control character',
      'a container image reference',
    ],
    [
      'a resource group location in capitals',
      () => {
        const { fleet, identity } = small();
        const group = new ResourceGroup(fleet, 'rg-two', { location: 'WestEurope' });
        new ManagedIdentity(fleet, 'id-two', { resourceGroup: group });
        AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' }).addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
        return fleet;
      },
      'rg-two',
      'location "WestEurope" has capital letters',
      'Azure region name',
    ],
    [
      'a CAPZ workload cluster location with a space',
      () => {
        const { fleet, group, identity } = small();
        const nodes = new ManagedIdentity(fleet, 'id-nodes', { resourceGroup: group });
        const capz = new CapzManagementCluster(fleet, 'capz-a', {
          distribution: 'kind',
          issuer: { hosting: 'blobContainer', storageAccount: 'stunitcapz', resourceGroup: group },
          serviceAccountKeys: { publicKeyFiles: ['sa.pub'], privateKeyFile: 'sa.key' },
          capz: { identity },
        });
        capz.addWorkloadCluster({ name: 'work', nodeIdentity: nodes, location: 'west europe' });
        return fleet;
      },
      'capz-a/work',
      'location "west europe" contains a space',
      'Azure region name',
    ],
  ])('%s', (_, build, construct, message, fix) => {
    const issues = planIssues(build());
    const issue = issues.find((i) => i.message.includes(message));
    if (!issue) throw new Error(`no issue "${message}"; issues were:\n${issues.map((i) => `${i.construct}: ${i.message}`).join('\n')}`);
    expect(issue.construct).toBe(construct);
    expect(issue.fix).toContain(fix);
  });

  test('outputs given to planFleet directly are checked too, without a file to name', () => {
    const { fleet, identity } = small();
    AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' }).addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
    const issues = planIssues(fleet, { outputs: new Map([['identity_id-app_client_id', 'not-a-guid']]) });
    expect(issues).toEqual([expect.objectContaining({ message: 'Terraform output "identity_id-app_client_id": "not-a-guid" is not a GUID (8-4-4-4-12 hexadecimal digits)' })]);
    expect(issues[0].file).toBeUndefined();
    const warned = planFleet(fleet, { outputs: new Map([['identity_id-ap_client_id', '00000000-0000-4000-8000-000000000001']]) }).warnings;
    expect(warned).toContain('Terraform output "identity_id-ap_client_id" is not one this fleet declares, so it is ignored: did you mean "identity_id-app_client_id"?');
  });
});

/* ---------- CredentialsRequests ---------- */

interface RequestCase {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** Unique text of the edited request on the line the error points at (the key of the field). */
  readonly marker: string;
  readonly message: string;
  readonly fix: string;
}

const REQUEST_CASES: RequestCase[] = [
  { name: 'a service account name with a newline', from: '  - ingress-operator\n', to: '  - "ingress-operator\\nx"\n', marker: 'serviceAccountNames:', message: 'spec.serviceAccountNames[0] "ingress-operator\\nx" contains a control character', fix: 'a DNS subdomain' },
  { name: 'a service account name with a dot (it becomes a FIC name)', from: '  - ingress-operator\n', to: '  - ingress.operator\n', marker: 'serviceAccountNames:', message: 'spec.serviceAccountNames[0] (ccoctl names its federated credential after it) "ingress.operator" is not allowed', fix: 'letters, digits, "-" and "_"' },
  { name: 'a service account name in capitals', from: '  - ingress-operator\n', to: '  - Ingress-Operator\n', marker: 'serviceAccountNames:', message: 'spec.serviceAccountNames[0] "Ingress-Operator" has capital letters', fix: 'a DNS subdomain' },
  { name: 'a secret namespace in capitals', from: '    namespace: openshift-ingress-operator\n', to: '    namespace: OpenShift-Ingress-Operator\n', marker: 'namespace: OpenShift', message: 'spec.secretRef.namespace "OpenShift-Ingress-Operator" has capital letters', fix: 'a DNS label' },
  { name: 'a secret name with a space', from: '    name: cloud-credentials\n', to: '    name: cloud credentials\n', marker: 'name: cloud credentials', message: 'spec.secretRef.name "cloud credentials" is not a DNS subdomain', fix: 'set spec.secretRef' },
  { name: 'metadata.name with a trailing space', from: '  name: openshift-ingress-azure\n', to: "  name: 'openshift-ingress-azure '\n", marker: "name: 'openshift-ingress-azure '", message: 'metadata.name "openshift-ingress-azure " has leading or trailing whitespace', fix: 'a DNS subdomain' },
  { name: 'a permission that is a Terraform expression', from: '    - Microsoft.Network/dnsZones/A/delete\n', to: '    - ${file("/etc/passwd")}\n', marker: 'permissions:', message: 'spec.providerSpec.permissions[0] "${file(\\"/etc/passwd\\")}" is not an Azure operation', fix: 'Microsoft.Network/virtualNetworks/subnets/read' },
  { name: 'a permission with a space', from: '    - Microsoft.Network/dnsZones/A/delete\n', to: '    - Microsoft.Network/dns Zones/A/delete\n', marker: 'permissions:', message: 'spec.providerSpec.permissions[0] "Microsoft.Network/dns Zones/A/delete" is not an Azure operation', fix: 'an Azure operation' },
  { name: 'a permission with a newline', from: '    - Microsoft.Network/dnsZones/A/delete\n', to: '    - "Microsoft.Network/dnsZones/A/delete\\n"\n', marker: 'permissions:', message: 'spec.providerSpec.permissions[0] "Microsoft.Network/dnsZones/A/delete\\n" contains a control character', fix: 'an Azure operation' },
  { name: 'a data permission that is no operation', from: '    kind: AzureProviderSpec\n', to: '    kind: AzureProviderSpec\n    dataPermissions:\n    - read all blobs\n', marker: 'dataPermissions:', message: 'spec.providerSpec.dataPermissions[0] "read all blobs" is not an Azure operation', fix: 'an Azure operation' },
  { name: 'a role name with a trailing space', from: '    kind: AzureProviderSpec\n', to: "    kind: AzureProviderSpec\n    roleBindings:\n    - role: 'Contributor '\n", marker: 'roleBindings:', message: 'spec.providerSpec.roleBindings[0].role "Contributor " has leading or trailing whitespace', fix: 'the name of an Azure role' },
  { name: 'a relative cloudTokenPath', from: '  serviceAccountNames:\n', to: '  cloudTokenPath: var/run/token\n  serviceAccountNames:\n', marker: 'cloudTokenPath:', message: 'spec.cloudTokenPath "var/run/token" is not an absolute path', fix: 'an absolute path such as /var/run/secrets/openshift/serviceaccount/token; give the path of the projected token' },
];

describe('CredentialsRequests', () => {
  test.each(REQUEST_CASES)('$name: exit 1 naming the file, line, field and fix', async (c) => {
    const s = scenario(`cr ${c.name}`);
    const file = path.join(s.dir, ...INGRESS_CR.split('/'));
    const text = edit(c.from, c.to, fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, text);
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    const issue = issueStartingWith(r.stderr, (l) => l.startsWith(`error: ${INGRESS_CR}:${lineOf(text, c.marker)}: CredentialsRequest `));
    expect(issue.split('\n')[0]).toContain(c.message);
    expect(issue.split('\n')[1]).toContain(c.fix);
    expectRefused(r, s.out);
  });

  test('a secret name with a dot is a Kubernetes name, but not in the identity name ccoctl makes of it', async () => {
    const s = scenario('cr identity name');
    const file = path.join(s.dir, ...INGRESS_CR.split('/'));
    fs.writeFileSync(file, edit('    name: cloud-credentials\n', '    name: cloud.credentials\n', fs.readFileSync(file, 'utf8')));
    const r = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    const issue = issueStartingWith(r.stderr, (l) => l.includes(' clusters[6].openshiftHive.credentialsRequests: '));
    expect(issue).toContain('CredentialsRequest openshift-ingress-azure');
    expect(issue).toContain('user-assigned identity name "ocp-prod-openshift-ingress-operator-cloud.credentials" is not allowed');
    expect(issue.split('\n')[1]).toContain('correct spec.secretRef');
    expectRefused(r, s.out);
  });
});

/* ---------- Terraform outputs files ---------- */

const GOOD_ID = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';
const cdktf = (outputs: Record<string, unknown>) => ({ contoso: outputs });
const terraform = (outputs: Record<string, unknown>) => Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, type: 'string', sensitive: false }]));

interface OutputsCase {
  readonly name: string;
  readonly json: unknown;
  /** The JSON path printed after the file. */
  readonly at: string;
  readonly message: string;
}

const OUTPUTS_CASES: OutputsCase[] = [
  { name: 'an empty client id (cdktf)', json: cdktf({ 'identity_id-orders_client_id': '' }), at: 'contoso.identity_id-orders_client_id', message: 'Terraform output "identity_id-orders_client_id": "" is empty' },
  { name: 'a client id that is not a GUID (cdktf)', json: cdktf({ 'identity_id-orders_client_id': 'not-a-guid' }), at: 'contoso.identity_id-orders_client_id', message: '"not-a-guid" is not a GUID' },
  { name: 'a client id padded with spaces (cdktf)', json: cdktf({ 'identity_id-orders_client_id': ` ${GOOD_ID} ` }), at: 'contoso.identity_id-orders_client_id', message: 'has leading or trailing whitespace' },
  { name: 'a client id with a zero-width character (cdktf)', json: cdktf({ 'identity_id-orders_client_id': `${GOOD_ID}${ZWSP}` }), at: 'contoso.identity_id-orders_client_id', message: `"${GOOD_ID}\\u200b" contains an invisible character` },
  { name: 'a client id with a newline (terraform output -json)', json: terraform({ 'identity_id-reports_client_id': `${GOOD_ID}\n` }), at: 'identity_id-reports_client_id.value', message: 'contains a control character' },
  { name: 'a client id that is a number (terraform output -json)', json: { 'identity_id-reports_client_id': { value: 42, type: 'number', sensitive: false } }, at: 'identity_id-reports_client_id.value', message: 'is a number, not a string' },
  { name: 'a principal id that is not a GUID', json: cdktf({ 'identity_id-orders_principal_id': 'principal' }), at: 'contoso.identity_id-orders_principal_id', message: '"principal" is not a GUID' },
  { name: 'an http issuer (terraform output -json)', json: terraform({ 'aks_aks-prod_oidc_issuer_url': 'http://westeurope.oic.prod-aks.azure.com/x/y/' }), at: 'aks_aks-prod_oidc_issuer_url.value', message: 'is not https' },
  { name: 'an issuer with a trailing space (cdktf)', json: cdktf({ 'aks_aks-prod_oidc_issuer_url': 'https://westeurope.oic.prod-aks.azure.com/x/y/ ' }), at: 'contoso.aks_aks-prod_oidc_issuer_url', message: 'has leading or trailing whitespace' },
  { name: 'a static website issuer with a query (cdktf)', json: cdktf({ 'oidc_gs-prod_issuer_url': 'https://stcontosooidcgsprod.z6.web.core.windows.net/?sv=1' }), at: 'contoso.oidc_gs-prod_issuer_url', message: 'has a query' },
  { name: 'a static website issuer in capitals (cdktf)', json: cdktf({ 'oidc_gs-prod_issuer_url': 'https://STcontosooidcgsprod.z6.web.core.windows.net/' }), at: 'contoso.oidc_gs-prod_issuer_url', message: 'capital letters in its host' },
  { name: 'an issuer at an Entra host (cdktf, nested by construct)', json: { contoso: { fleet: { 'aks_aks-prod_oidc_issuer_url': 'https://login.microsoftonline.com/x/v2.0' } } }, at: 'contoso.fleet.aks_aks-prod_oidc_issuer_url', message: 'is an Entra issuer' },
];

/** An error line about `file`, named as given on the command line or as its full path, followed by `rest`. */
function named(line: string, file: string, rest: string): boolean {
  return line.startsWith(`error: ${file}${rest}`) || line.startsWith(`error: ${path.basename(file)}${rest}`);
}

/** Writes an outputs file into the scenario, as text (JSON, or anything). */
function outputsFile(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('Terraform outputs files', () => {
  test.each(OUTPUTS_CASES)('$name: exit 1 naming the file, the output and the fix', async (c) => {
    const s = scenario(`outputs ${c.name}`);
    const file = outputsFile(s.dir, 'outputs.json', c.json);
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--outputs', 'outputs.json'], s.dir);
    const issue = issueStartingWith(r.stderr, (l) => named(l, file, ` ${c.at}: `));
    expect(issue.split('\n')[0]).toContain(c.message);
    expect(issue.split('\n')[1]).toContain('terraform output -json');
    expectRefused(r, s.out);
  });

  test('an upper-case GUID is a GUID: accepted', async () => {
    const s = scenario('outputs upper-case guid');
    outputsFile(s.dir, 'outputs.json', cdktf({ 'identity_id-orders_client_id': GOOD_ID.toUpperCase() }));
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--outputs', 'outputs.json'], s.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('a misspelt output name is a warning naming the closest declared one, on stderr and in summary.json', async () => {
    const s = scenario('outputs misspelt');
    outputsFile(s.dir, 'outputs.json', cdktf({ 'identity_id-order_client_id': GOOD_ID, 'identity_id-reports_client_id': GOOD_ID, 'not_ours_at_all': 'x' }));
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--outputs', 'outputs.json'], s.dir);
    expect(r.code).toBe(0);
    const misspelt = 'Terraform output "identity_id-order_client_id" (in outputs.json) is not one this fleet declares, so it is ignored: did you mean "identity_id-orders_client_id"?';
    const foreign = 'Terraform output "not_ours_at_all" (in outputs.json) is not one this fleet declares, so it is ignored';
    expect(r.stderr.split('\n')).toEqual(expect.arrayContaining([`warning: ${misspelt}`, `warning: ${foreign}`]));
    const summary = JSON.parse(fs.readFileSync(path.join(s.out, 'summary.json'), 'utf8')) as { warnings: string[]; resolvedOutputs: Record<string, string> };
    expect(summary.warnings).toEqual(expect.arrayContaining([misspelt, foreign]));
    // the summary names the file without the machine's folders
    expect(JSON.stringify(summary.warnings)).not.toContain(s.dir);
    expect(summary.resolvedOutputs).toEqual({ 'identity_id-reports_client_id': GOOD_ID });
  });

  test('JSON nested 5,000 levels deep is a clean error naming the file', async () => {
    const s = scenario('outputs deep');
    const file = outputsFile(s.dir, 'deep.json', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--outputs', 'deep.json'], s.dir);
    const issue = issueStartingWith(r.stderr, (l) => named(l, file, ': '));
    expect(issue).toContain('nests deeper than');
    expectRefused(r, s.out);
  });

  test.each([
    ['a list', '[1, 2]', 'must hold a JSON object, not a list'],
    ['not JSON', '{"a": ', 'not valid JSON'],
  ])('an outputs file holding %s is a clean error', async (_, content, message) => {
    const s = scenario(`outputs ${content}`);
    const file = outputsFile(s.dir, 'outputs.json', content);
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--outputs', 'outputs.json'], s.dir);
    expect(issueStartingWith(r.stderr, (l) => named(l, file, ': '))).toContain(message);
    expectRefused(r, s.out);
  });

  test('bad values in two files are reported together, each with its file', async () => {
    const s = scenario('outputs two files');
    const a = outputsFile(s.dir, 'a.json', cdktf({ 'identity_id-orders_client_id': 'x' }));
    const b = outputsFile(s.dir, 'b.json', terraform({ 'identity_id-reports_client_id': 'y' }));
    const r = await run(['synth', '-c', s.file, '-o', s.out, '--outputs', 'a.json', '--outputs', 'b.json'], s.dir);
    issueStartingWith(r.stderr, (l) => named(l, a, ' contoso.identity_id-orders_client_id: '));
    issueStartingWith(r.stderr, (l) => named(l, b, ' identity_id-reports_client_id.value: '));
    expectRefused(r, s.out, 2);
  });
});

/* ---------- check: client ids that belong to no identity ---------- */

type Json = any;

const KIND_DEV_SA = 'kubernetes/kind-dev/serviceaccount_orders_orders-worker.yaml';
const AKS_PROD_SA = 'kubernetes/aks-prod/serviceaccount_orders_orders-api.yaml';
const CLUSTER_IDENTITY = 'kubernetes/capz-mgmt/azureclusteridentity_default_cluster-identity.yaml';
const MANIFESTS = 'kubernetes/ocp-prod/secret_ocp-prod_ocp-prod-manifests.yaml';
const INGRESS_CREDENTIALS = 'openshift-ingress-operator-cloud-credentials-credentials.yaml';

/** One character of a value changed: the last hexadecimal digit (or letter) turned into another. */
function typo(value: string): string {
  const last = value[value.length - 1];
  return value.slice(0, -1) + (last === 'f' ? 'e' : last === 's' ? 'z' : 'f');
}

function editYaml(dir: string, rel: string, change: (doc: Json) => void): void {
  const file = path.join(dir, ...rel.split('/'));
  const doc = yaml.load(fs.readFileSync(file, 'utf8'));
  change(doc);
  fs.writeFileSync(file, yaml.dump(doc, { lineWidth: -1 }));
}

async function checkJson(dir: string): Promise<{ code: number; report: CheckReport }> {
  const r = await run(['check', dir, '--json'], ROOT);
  return { code: r.code, report: JSON.parse(r.stdout) as CheckReport };
}

interface CheckCase {
  readonly name: string;
  /** Which synthesized OUT to start from: placeholders, values resolved from an outputs file, or an existing identity on two workloads. */
  readonly from: 'pristine' | 'resolved' | 'shared';
  /** Breaks one thing; returns the values the message must quote. */
  readonly mutate: (dir: string) => string[];
  readonly file: string;
  readonly object: string;
}

const SHARED_FLEET = edit(
  '        identity: id-orders\n        createNamespace: true\n  - name: gs-prod',
  '        identity: id-orders\n        createNamespace: true\n      - namespace: billing\n        serviceAccount: billing-worker\n        identity: id-billing\n  - name: gs-prod',
);

const CHECK_CASES: CheckCase[] = [
  {
    name: 'a one-character typo in a client-id placeholder',
    from: 'pristine',
    mutate: (dir) => {
      let typed = '';
      editYaml(dir, AKS_PROD_SA, (sa) => {
        typed = sa.metadata.annotations[CLIENT_ID] = typo(sa.metadata.annotations[CLIENT_ID].replace(/_client_id$/, '')) + '_client_id';
      });
      return [typed, 'did you mean'];
    },
    file: AKS_PROD_SA,
    object: `ServiceAccount orders/orders-api ${CLIENT_ID}`,
  },
  {
    name: 'a client-id annotation that is not a GUID',
    from: 'pristine',
    mutate: (dir) => {
      editYaml(dir, AKS_PROD_SA, (sa) => {
        sa.metadata.annotations[CLIENT_ID] = 'orders-api-client';
      });
      return ['"orders-api-client" is not a GUID'];
    },
    file: AKS_PROD_SA,
    object: `ServiceAccount orders/orders-api ${CLIENT_ID}`,
  },
  {
    name: 'a one-character typo in a resolved client id',
    from: 'resolved',
    mutate: (dir) => {
      let typed = '';
      editYaml(dir, KIND_DEV_SA, (sa) => {
        typed = sa.metadata.annotations[CLIENT_ID] = typo(sa.metadata.annotations[CLIENT_ID]);
      });
      return [typed, 'is not the client id of identity id-orders'];
    },
    file: KIND_DEV_SA,
    object: `ServiceAccount orders/orders-worker ${CLIENT_ID}`,
  },
  {
    name: 'a resolved client id with a zero-width space after it',
    from: 'resolved',
    mutate: (dir) => {
      editYaml(dir, KIND_DEV_SA, (sa) => {
        sa.metadata.annotations[CLIENT_ID] += ZWSP;
      });
      return ['\\u200b', 'invisible character'];
    },
    file: KIND_DEV_SA,
    object: `ServiceAccount orders/orders-worker ${CLIENT_ID}`,
  },
  {
    name: 'a one-character typo in the CAPZ AzureClusterIdentity clientID',
    from: 'resolved',
    mutate: (dir) => {
      let typed = '';
      editYaml(dir, CLUSTER_IDENTITY, (ci) => {
        typed = ci.spec.clientID = typo(ci.spec.clientID);
      });
      return [typed, 'identity id-capz'];
    },
    file: CLUSTER_IDENTITY,
    object: 'AzureClusterIdentity default/cluster-identity spec.clientID',
  },
  {
    name: 'a one-character typo in an OpenShift credentials azure_client_id',
    from: 'resolved',
    mutate: (dir) => {
      let typed = '';
      editYaml(dir, MANIFESTS, (secret) => {
        const inner = yaml.load(secret.stringData[INGRESS_CREDENTIALS]) as Json;
        typed = inner.stringData.azure_client_id = typo(inner.stringData.azure_client_id);
        secret.stringData[INGRESS_CREDENTIALS] = yaml.dump(inner, { lineWidth: -1 });
      });
      return [typed, 'is no identity\'s client id'];
    },
    file: MANIFESTS,
    object: `Secret ocp-prod/ocp-prod-manifests ${INGRESS_CREDENTIALS}: Secret openshift-ingress-operator/cloud-credentials stringData.azure_client_id`,
  },
  {
    name: 'a one-character typo in one of two client ids of an existing identity',
    from: 'shared',
    mutate: (dir) => {
      let typed = '';
      editYaml(dir, 'kubernetes/kind-dev/serviceaccount_billing_billing-worker.yaml', (sa) => {
        typed = sa.metadata.annotations[CLIENT_ID] = typo(sa.metadata.annotations[CLIENT_ID]);
      });
      return [typed, 'for the same identity id-billing'];
    },
    file: 'kubernetes/kind-dev/serviceaccount_billing_billing-worker.yaml',
    object: `ServiceAccount billing/billing-worker ${CLIENT_ID}`,
  },
];

describe('check: client ids', () => {
  const outs: Record<CheckCase['from'], string> = { pristine: '', resolved: '', shared: '' };
  let copies = 0;

  beforeAll(async () => {
    const s = scenario('check pristine');
    outs.pristine = s.out;
    const synth = await run(['synth', '-c', s.file, '-o', s.out], s.dir);
    if (synth.code !== 0) throw new Error(synth.stderr);
    // every declared output, with a value of its kind
    const stack = JSON.parse(fs.readFileSync(path.join(s.out, 'terraform', 'stacks', 'contoso', 'cdk.tf.json'), 'utf8')) as { output: Record<string, unknown> };
    const values = Object.fromEntries(
      Object.keys(stack.output).map((name, i) => [name, name.endsWith('_issuer_url') ? `https://${name.replace(/_/g, '-')}.example.com/` : `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`]),
    );
    outputsFile(s.dir, 'outputs.json', cdktf(values));
    outs.resolved = path.join(s.dir, 'resolved');
    const resolved = await run(['synth', '-c', s.file, '-o', outs.resolved, '--outputs', 'outputs.json', '--strict'], s.dir);
    if (resolved.code !== 0) throw new Error(resolved.stderr);
    const shared = scenario('check shared', SHARED_FLEET);
    outs.shared = shared.out;
    const sharedSynth = await run(['synth', '-c', shared.file, '-o', shared.out], shared.dir);
    if (sharedSynth.code !== 0) throw new Error(sharedSynth.stderr);
  }, 120_000);

  test.each(['pristine', 'resolved', 'shared'] as const)('the %s output passes with no client-id finding', async (from) => {
    const { code, report } = await checkJson(outs[from]);
    expect(report.findings.filter((f) => f.rule === 'client-id')).toEqual([]);
    expect(code).toBe(0);
  });

  test('an upper-case spelling of a resolved client id is the same GUID', async () => {
    const dir = path.join(work, `check-copy-${++copies}`);
    fs.cpSync(outs.resolved, dir, { recursive: true });
    editYaml(dir, KIND_DEV_SA, (sa) => {
      sa.metadata.annotations[CLIENT_ID] = sa.metadata.annotations[CLIENT_ID].toUpperCase();
    });
    const { code, report } = await checkJson(dir);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  describe.each(CHECK_CASES)('$name', (c) => {
    test('exit 1 and exactly one error, of the client-id rule, with file, object, the value and a fix', async () => {
      const dir = path.join(work, `check-copy-${++copies}`);
      fs.cpSync(outs[c.from], dir, { recursive: true });
      const quoted = c.mutate(dir);
      const { code, report } = await checkJson(dir);
      const errors = report.findings.filter((f) => f.severity === 'error');
      expect(errors).toEqual([expect.objectContaining({ rule: 'client-id', file: c.file, object: c.object })]);
      for (const q of quoted) expect(errors[0].message + errors[0].fix).toContain(q);
      expect(errors[0].fix).not.toBe('');
      expect(code).toBe(1);
    });
  });
});
