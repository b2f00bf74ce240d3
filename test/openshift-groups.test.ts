/**
 * The resource groups of an OpenShift cluster as the installer and ccoctl check them: the installation
 * and OIDC groups in the cluster's region, and an installation group that holds nothing else of the
 * fleet (Hive's deprovision deletes it with all it holds). Variants of the example's ocp-prod, through
 * the CLI; each refusal names the field, what is wrong and the fix, and nothing is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli/main';
import { copyExampleInputs, editOnce, expectRefused, ROOT } from './support';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-openshift-groups-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

const withHive = (lines: string, text = EXAMPLE) => edit('      storageAccount: stcontosooidcocpprod\n', `      storageAccount: stcontosooidcocpprod\n${lines}`, text);
const withGroup = (lines: string, text = EXAMPLE) => edit('resourceGroups:\n', `resourceGroups:\n${lines}`, text);

async function synth(name: string, text: string) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const out = path.join(dir, 'out');
  const stderr: string[] = [];
  const code = await main(['synth', '-c', path.join(dir, 'fleet.yaml'), '-o', out], { cwd: dir, env: {}, out: () => {}, err: (l) => stderr.push(l) });
  return { code, out, stderr: stderr.join('\n') };
}

test('the example passes: its installation group ocp-prod holds nothing else, and both groups are in westeurope', async () => {
  expect((await synth('example', EXAMPLE)).code).toBe(0);
});

test('a declared, empty installation group in the cluster\'s region is accepted', async () => {
  const text = withHive('      installationResourceGroup: rg-ocp-install\n', withGroup('  - name: rg-ocp-install\n    location: westeurope\n'));
  const r = await synth('region-spelling', text);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

describe('refused', () => {
  const EMPTY = 'must be empty when the install starts';
  test.each([
    // openshift/installer pkg/asset/installconfig/azure/validation.go validateResourceGroup ("expected to in region")
    ['installer: the installation group is in the cluster\'s region', withHive('      installationResourceGroup: rg-ocp-install\n', withGroup('  - name: rg-ocp-install\n    location: northeurope\n')), 'openshiftHive.installationResourceGroup', 'is in northeurope, but the cluster is in westeurope'],
    // openshift/cloud-credential-operator pkg/cmd/provisioning/azure/create_oidc_issuer.go ensureResourceGroup
    ['ccoctl: an existing OIDC group is in the cluster\'s region', withHive('      oidcResourceGroup: rg-ocp-oidc\n', withGroup('  - name: rg-ocp-oidc\n    existing: true\n    location: eastus\n')), 'openshiftHive.oidcResourceGroup', 'ccoctl refuses a group in another region'],
    ['ccoctl: the default OIDC group follows openshiftHive.region, a declared one must too', withHive('      region: northeurope\n      oidcResourceGroup: rg-contoso-oidc\n      installationResourceGroup: rg-ocp-ne\n', withGroup('  - name: rg-ocp-ne\n    location: northeurope\n')), 'openshiftHive.oidcResourceGroup', 'is in westeurope, but the cluster is in northeurope'],
    // openshift/installer pkg/asset/installconfig/azure/validation.go validateResourceGroup ("resource group must be empty")
    ['installer: no identity in the installation group', withHive('      installationResourceGroup: rg-contoso-identities\n'), 'openshiftHive.installationResourceGroup', 'identity "id-orders"'],
    ['installer: no key vault in the installation group (the Hive secrets vault)', withHive('      installationResourceGroup: rg-contoso-identities\n'), 'openshiftHive.installationResourceGroup', 'key vault "kv-contoso-hive"'],
    ['installer: no AKS cluster in the installation group', withHive('      installationResourceGroup: rg-contoso-aks\n'), 'openshiftHive.installationResourceGroup', 'AKS cluster aks-prod'],
    ['installer: no issuer storage account in the installation group', withHive('      installationResourceGroup: rg-contoso-oidc\n'), 'openshiftHive.installationResourceGroup', 'issuer storage account'],
    ['installer: no DNS zone in the installation group', withHive('      installationResourceGroup: rg-contoso-dns\n'), 'openshiftHive.installationResourceGroup', 'the DNS zone of ocp.contoso.com'],
    ['installer: not the cluster\'s own network group', withHive('      installationResourceGroup: rg-contoso-aks\n      networkResourceGroup: rg-contoso-aks\n      virtualNetwork: vnet-ocp\n      controlPlaneSubnet: snet-master\n      computeSubnet: snet-worker\n'), 'openshiftHive.installationResourceGroup', 'the virtual network of OpenShift cluster ocp-prod'],
  ])('%s', async (_rule, text, field, message) => {
    expectRefused(await synth(`bad-${_rule.replace(/\W+/g, '-')}`, text), field, message);
  });

  test('installer: two OpenShift clusters cannot share an installation group', async () => {
    const ocp = EXAMPLE.slice(EXAMPLE.indexOf('  - name: ocp-prod\n'));
    const second = ocp
      .slice(0, ocp.indexOf('\n  - name: ', 1) > 0 ? ocp.indexOf('\n  - name: ', 1) + 1 : ocp.length)
      .replace('name: ocp-prod', 'name: ocp-dev')
      .replace('storageAccount: stcontosooidcocpprod', 'storageAccount: stcontosooidcocpdev\n      installationResourceGroup: rg-ocp-shared');
    const first = withGroup('  - name: rg-ocp-shared\n', withHive('      installationResourceGroup: rg-ocp-shared\n'));
    const text = first.endsWith('\n') ? `${first}${second}` : `${first}\n${second}`;
    const r = await synth('bad-shared-installation', text);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(EMPTY);
    expect(r.stderr).toContain('the installation of OpenShift cluster');
    expect(fs.existsSync(r.out)).toBe(false);
  });
});
