/**
 * The install-config fields a user sets (sshKey, featureSet, networking, publish) and a cluster on its
 * own network (networkResourceGroup + virtualNetwork + both subnets): a variant of the example's
 * ocp-prod through the CLI, the Hive objects validated against the vendored CRDs, and the installer's
 * refusals made before anything is written.
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { crdSchemaErrors } from '../src/check/crd-schema';
import { main } from '../src/cli/main';
import { networkingProblems, OPENSHIFT_NETWORKING_DEFAULT, sshPublicKeyLine } from '../src/openshift/install-config-rules';
import { copyExampleInputs, editOnce, expectRefused, readTree, ROOT } from './support';

type Json = any;

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');

/** An OpenSSH ed25519 public key line, made here (type name, then the 32-byte key, each length-prefixed). */
function ed25519Line(comment = 'ops@contoso'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const withLength = (b: Buffer) => {
    const out = Buffer.concat([Buffer.alloc(4), b]);
    out.writeUInt32BE(b.length, 0);
    return out;
  };
  return `ssh-ed25519 ${Buffer.concat([withLength(Buffer.from('ssh-ed25519')), withLength(raw)]).toString('base64')} ${comment}`;
}
const SSH_KEY = ed25519Line();

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-install-config-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const edit = (from: string, to: string, text = EXAMPLE): string => editOnce(text, from, to);

/** Lines added under ocp-prod's openshiftHive, after storageAccount. */
const withHive = (lines: string, text = EXAMPLE) => edit('      storageAccount: stcontosooidcocpprod\n', `      storageAccount: stcontosooidcocpprod\n${lines}`, text);

async function synth(name: string, text: string, sshKey = `${SSH_KEY}\n`) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  copyExampleInputs(dir);
  fs.writeFileSync(path.join(dir, 'keys', 'ocp-prod', 'id_ed25519.pub'), sshKey);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  const out = path.join(dir, 'out');
  const stderr: string[] = [];
  const code = await main(['synth', '-c', path.join(dir, 'fleet.yaml'), '-o', out], { cwd: dir, env: {}, out: () => {}, err: (l) => stderr.push(l) });
  const files = code === 0 ? readTree(out) : new Map<string, Buffer>();
  const objects: Json[] = [...files.entries()].filter(([f]) => f.startsWith('kubernetes/ocp-prod/') && !f.endsWith('kustomization.yaml')).map(([, c]) => yaml.load(c.toString()));
  return { code, out, stderr: stderr.join('\n'), objects };
}

const installConfigOf = (objects: Json[]): Json => yaml.load(objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'ocp-prod-install-config').stringData['install-config.yaml']);

/** The own-network variant of ocp-prod: its group, virtual network and subnets, an SSH key, tech preview, set networking, Internal. */
const OWN_NETWORK = withHive(
  [
    '      networkResourceGroup: rg-contoso-aks',
    '      virtualNetwork: vnet-ocp-prod',
    '      controlPlaneSubnet: snet-ocp-master',
    '      computeSubnet: snet-ocp-worker',
    '      sshKey: keys/ocp-prod/id_ed25519.pub',
    '      techPreview: true',
    '      publish: Internal',
    '      networking:',
    '        machineNetwork: [{ cidr: 10.20.0.0/16 }]',
    '        clusterNetwork: [{ cidr: 10.132.0.0/14, hostPrefix: 23 }]',
    '        serviceNetwork: [172.31.0.0/16]',
    '',
  ].join('\n'),
);

describe('ocp-prod on its own network, with the install-config fields set', () => {
  let s: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    s = await synth('own-network', OWN_NETWORK);
  });

  test('the install-config names the network, the SSH key, the feature set, networking and publish', () => {
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const config = installConfigOf(s.objects);
    expect(config.platform.azure).toMatchObject({ networkResourceGroupName: 'rg-contoso-aks', virtualNetwork: 'vnet-ocp-prod', controlPlaneSubnet: 'snet-ocp-master', computeSubnet: 'snet-ocp-worker' });
    expect(config.sshKey).toBe(SSH_KEY);
    expect(config.featureSet).toBe('TechPreviewNoUpgrade');
    expect(config.publish).toBe('Internal');
    expect(config.networking).toEqual({ clusterNetwork: [{ cidr: '10.132.0.0/14', hostPrefix: 23 }], machineNetwork: [{ cidr: '10.20.0.0/16' }], serviceNetwork: ['172.31.0.0/16'], networkType: 'OVNKubernetes' });
  });

  test('the worker MachinePool is on the same virtual network and compute subnet (Hive ignores the group without them)', () => {
    // openshift/hive apis/hive/v1/azure/machinepool.go: NetworkResourceGroupName is ignored unless VirtualNetwork is set
    const pool = s.objects.find((o) => o.kind === 'MachinePool');
    expect(pool.spec.platform.azure).toMatchObject({ networkResourceGroupName: 'rg-contoso-aks', virtualNetwork: 'vnet-ocp-prod', computeSubnet: 'snet-ocp-worker' });
    expect(pool.spec.platform.azure).not.toHaveProperty('controlPlaneSubnet');
  });

  test('MachinePool and ClusterDeployment are valid against the vendored Hive CRDs', () => {
    const hive = s.objects.filter((o) => o.kind === 'MachinePool' || o.kind === 'ClusterDeployment');
    expect(hive.map((o) => o.kind).sort()).toEqual(['ClusterDeployment', 'MachinePool']);
    for (const obj of hive) expect(crdSchemaErrors(obj)).toEqual([]);
  });
});

test('defaults unchanged: the example\'s install-config has no sshKey, featureSet or network names, and the installer\'s networking', async () => {
  const s = await synth('defaults', EXAMPLE);
  expect(s.code).toBe(0);
  const config = installConfigOf(s.objects);
  expect(config).not.toHaveProperty('sshKey');
  expect(config).not.toHaveProperty('featureSet');
  expect(config.publish).toBe('External');
  expect(config.networking).toEqual(OPENSHIFT_NETWORKING_DEFAULT);
  expect(Object.keys(config.platform.azure).sort()).toEqual(['baseDomainResourceGroupName', 'cloudName', 'region', 'resourceGroupName']);
  expect(Object.keys(s.objects.find((o) => o.kind === 'MachinePool').spec.platform.azure).sort()).toEqual(['osDisk', 'type']);
});

describe('refused before anything is written, with the field and the fix', () => {
  test.each([
    // openshift/installer pkg/types/azure/validation/platform.go ValidatePlatform
    ['installer: a virtual network needs both subnets and the network group', withHive('      virtualNetwork: vnet-ocp-prod\n'), 'openshiftHive.networkResourceGroup', 'virtualNetwork is set without networkResourceGroup, controlPlaneSubnet, computeSubnet'],
    // openshift/installer docs/user/azure/customization.md: all four or none
    ['installer: a network group alone is not a network', withHive('      networkResourceGroup: rg-contoso-aks\n'), 'openshiftHive.virtualNetwork', 'networkResourceGroup is set without virtualNetwork, controlPlaneSubnet, computeSubnet'],
    // openshift/installer pkg/types/azure/validation/platform.go: subnets need the virtual network and the group
    ['installer: subnets need the virtual network', withHive('      networkResourceGroup: rg-contoso-aks\n      controlPlaneSubnet: a\n      computeSubnet: b\n'), 'openshiftHive.virtualNetwork', 'without virtualNetwork'],
    // openshift/installer pkg/types/validation/installconfig.go validateClusterNetwork
    ['installer: hostPrefix must not be larger than the cluster network', withHive('      networking:\n        clusterNetwork: [{ cidr: 10.128.0.0/24, hostPrefix: 23 }]\n'), 'openshiftHive.networking.clusterNetwork[0].hostPrefix', 'hostPrefix >= 24'],
    // openshift/installer pkg/types/validation/installconfig.go validateServiceNetwork
    ['installer: the service network must not overlap the machine network', withHive('      networking:\n        serviceNetwork: [10.0.128.0/17]\n'), 'openshiftHive.networking.serviceNetwork[0]', 'overlaps machineNetwork[0] 10.0.0.0/16'],
    // openshift/installer pkg/validate/validate.go SubnetCIDR
    ['installer: a CIDR is its network address', withHive('      networking:\n        machineNetwork: [{ cidr: 10.0.0.1/16 }]\n'), 'openshiftHive.networking.machineNetwork[0].cidr', 'has host bits set'],
    // openshift/installer pkg/types/validation/installconfig.go validateNetworking
    ['installer: OpenShiftSDN is gone', withHive('      networking:\n        networkType: OpenShiftSDN\n'), 'openshiftHive.networking.networkType', 'OpenShiftSDN is not supported'],
    // openshift/installer pkg/types/validation/installconfig.go validateNetworkNotOverlapDefaultOVNSubnets
    ['installer: no network in OVN-Kubernetes\' internal subnets', withHive('      networking:\n        machineNetwork: [{ cidr: 100.64.0.0/16 }]\n'), 'openshiftHive.networking.machineNetwork[0].cidr', 'default join subnet'],
  ])('%s', async (_rule, text, field, message) => {
    expectRefused(await synth(`bad-${_rule.replace(/\W+/g, '-')}`, text), field, message);
  });

  test.each([
    // openshift/installer pkg/validate/validate.go SSHPublicKey: an authorized_keys line
    ['installer: sshKey is an OpenSSH public key line', 'not a key\n', 'does not start with one of ssh-ed25519'],
    ['installer: sshKey is one line', `${SSH_KEY}\n${SSH_KEY}\n`, 'more than one line'],
    // the PEM label is put together here, so that no file of the repository reads as a committed key
    ['installer: sshKey is not a private key', `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----\nb3Blbn\n-----END OPENSSH ${'PRIVATE'} KEY-----\n`, 'holds a private key'],
  ])('%s', async (_rule, content, message) => {
    const r = await synth(`bad-${_rule.replace(/\W+/g, '-')}`, withHive('      sshKey: keys/ocp-prod/id_ed25519.pub\n'), content);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('openshiftHive.sshKey');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('b3Blbn');
    expect(fs.existsSync(r.out)).toBe(false);
  });

  test('one run reports every problem: a missing SSH key file and a bad network together', async () => {
    const r = await synth('bad-all-at-once', withHive('      sshKey: keys/ocp-prod/missing.pub\n      virtualNetwork: vnet-ocp-prod\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('keys/ocp-prod/missing.pub: file not found');
    expect(r.stderr).toContain('virtualNetwork is set without');
  });
});

describe('the checks themselves', () => {
  test('the installer\'s default networking has no problem', () => {
    expect(networkingProblems(OPENSHIFT_NETWORKING_DEFAULT)).toEqual([]);
  });

  test('IPv6 and malformed CIDRs are refused', () => {
    const problems = networkingProblems({ ...OPENSHIFT_NETWORKING_DEFAULT, machineNetwork: [{ cidr: 'fd00::/48' }, { cidr: '10.0.0.256/16' }] });
    expect(problems.map((p) => p.field.join('.'))).toEqual(['networking.machineNetwork.0.cidr', 'networking.machineNetwork.1.cidr']);
  });

  test('an ssh key line keeps its comment and drops the newline; a mislabelled key is refused', () => {
    expect(sshPublicKeyLine(`${SSH_KEY}\n`)).toEqual({ key: SSH_KEY });
    expect(sshPublicKeyLine(SSH_KEY.replace('ssh-ed25519', 'ssh-rsa'))).toEqual({ problem: 'has a key whose encoded type is not "ssh-rsa"' });
  });
});

describe('check sees a cluster network that the install-config and the MachinePool do not agree on (openshift-install)', () => {
  // openshift/installer pkg/types/azure/validation/platform.go (all four or none);
  // openshift/hive apis/hive/v1/azure/machinepool.go (the pool's network)
  let s: Awaited<ReturnType<typeof synth>>;
  let files: Map<string, Buffer>;
  beforeAll(async () => {
    s = await synth('own-network-check', OWN_NETWORK);
    files = readTree(s.out);
  });

  /** Runs check on a copy of OUT with one YAML file of kubernetes/ocp-prod changed. */
  async function checkWith(prefix: string, change: (doc: Json) => void): Promise<Json[]> {
    const copy = path.join(work, `check-${prefix}`);
    fs.cpSync(s.out, copy, { recursive: true });
    const [file] = [...files.keys()].filter((f) => f.startsWith(`kubernetes/ocp-prod/${prefix}`));
    const doc = yaml.load(files.get(file)!.toString()) as Json;
    change(doc);
    fs.writeFileSync(path.join(copy, file), yaml.dump(doc));
    const out: string[] = [];
    await main(['check', copy, '--json'], { cwd: work, env: {}, out: (l) => out.push(l), err: () => {} });
    return JSON.parse(out.join('\n')).findings.filter((f: Json) => f.rule === 'openshift-install');
  }

  test('as synthesized: no finding', async () => {
    expect(await checkWith('machinepool_', () => {})).toEqual([]);
  });

  test('an install-config with three of the four network fields', async () => {
    const found = await checkWith('secret_ocp-prod_ocp-prod-install-config', (secret) => {
      const config = yaml.load(secret.stringData['install-config.yaml']) as Json;
      delete config.platform.azure.computeSubnet;
      secret.stringData['install-config.yaml'] = yaml.dump(config);
    });
    expect(found).toEqual([expect.objectContaining({ object: expect.stringContaining('platform.azure.computeSubnet'), message: expect.stringContaining('is missing while networkResourceGroupName, virtualNetwork, controlPlaneSubnet are set') })]);
  });

  test('a MachinePool on another virtual network', async () => {
    const found = await checkWith('machinepool_', (pool) => {
      pool.spec.platform.azure.virtualNetwork = 'vnet-elsewhere';
    });
    expect(found).toEqual([expect.objectContaining({ object: expect.stringContaining('spec.platform.azure.virtualNetwork'), message: expect.stringContaining('"vnet-elsewhere"') })]);
  });
});
