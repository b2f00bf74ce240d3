/**
 * `wisynth init`: for every platform, the starter it writes validates against the schema, names no real
 * tenant, and synthesizes and checks as written (openshift-hive: once the CredentialsRequests that only
 * `oc adm release extract` makes are there, and until then synth refuses naming that command). Never
 * overwrites; usage errors exit 2. CLI runs are in process (runCli).
 */
import { createPrivateKey, createPublicKey } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { readPublicKeyFile } from '../src/oidc/keys';
import { ROOT, readTree, runCli } from './support';

const PLATFORMS = ['aks', 'self-managed', 'capz', 'openshift-hive', 'external-issuer'] as const;
/** The cluster each starter is about (its keys go to keys/<cluster>/). */
const CLUSTER: Record<(typeof PLATFORMS)[number], string> = {
  aks: 'aks-dev',
  'self-managed': 'kind-dev',
  capz: 'capz-mgmt',
  'openshift-hive': 'ocp-dev',
  'external-issuer': 'ext-dev',
};
const WITH_KEYS = new Set(['self-managed', 'capz', 'openshift-hive']);
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
const EXTRACT = 'oc adm release extract --credentials-requests --cloud=azure';

const validateFleet = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'fleet.schema.json'), 'utf8')));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-init-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stands in for the user's `oc adm release extract`: the release's real CredentialsRequests the example uses. */
function extractCredentialsRequests(fleetDir: string): void {
  fs.cpSync(path.join(ROOT, 'examples', 'openshift', 'credentialsrequests'), path.join(fleetDir, 'openshift', 'credentialsrequests'), { recursive: true });
}

describe.each(PLATFORMS)('wisynth init --platform %s', (platform) => {
  test('writes a starter that validates, names no real tenant, and synthesizes and checks as written', async () => {
    const init = await runCli(['init', '--platform', platform, '-o', 'starter'], dir);
    expect(init).toMatchObject({ code: 0, stderr: '' });
    const starter = path.join(dir, 'starter');
    const expected = ['cdk8s.yaml', 'cdktf.json', 'fleet.yaml', ...(WITH_KEYS.has(platform) ? [`keys/${CLUSTER[platform]}/sa.key`, `keys/${CLUSTER[platform]}/sa.pub`] : [])];
    expect([...readTree(starter).keys()].sort()).toEqual(expected.sort());
    for (const file of expected) expect(init.stdout).toContain(`wrote ${path.join('starter', file)}`);
    expect(init.stdout).toContain('cd starter');
    expect(init.stdout).toContain('wisynth synth -c fleet.yaml -o dist');
    expect(init.stdout).toContain('wisynth check dist');

    const text = fs.readFileSync(path.join(starter, 'fleet.yaml'), 'utf8');
    const doc = load(text) as { azure: { tenantId: string; subscriptionId: string } };
    expect(validateFleet(doc) ? [] : validateFleet.errors).toEqual([]);
    // No real tenant or subscription: every GUID is the all-zero placeholder, marked to replace.
    expect(doc.azure.tenantId).toBe('00000000-0000-0000-0000-000000000000');
    expect(doc.azure.subscriptionId).toBe('00000000-0000-0000-0000-000000000000');
    expect(new Set(text.match(GUID))).toEqual(new Set(['00000000-0000-0000-0000-000000000000']));
    expect(text).toMatch(/# REPLACE: your Entra tenant .*az account show --query tenantId/);
    expect(text).toMatch(/# REPLACE: .*az account show --query id/);
    // Every field has a comment: each line with a value is a comment, or follows one at its indentation or above, or carries one.
    assertEveryFieldCommented(text);

    if (WITH_KEYS.has(platform)) {
      const keyDir = path.join(starter, 'keys', CLUSTER[platform]);
      expect(fs.statSync(path.join(keyDir, 'sa.key')).mode & 0o777).toBe(0o600);
      const pub = readPublicKeyFile(path.join(keyDir, 'sa.pub'));
      expect(pub.key.asymmetricKeyDetails?.modulusLength).toBe(4096);
      const priv = createPrivateKey(fs.readFileSync(path.join(keyDir, 'sa.key'), 'utf8'));
      expect(createPublicKey(priv).export({ type: 'spki', format: 'pem' })).toBe(fs.readFileSync(path.join(keyDir, 'sa.pub'), 'utf8'));
      // PKCS#1, the form ccoctl and the API server read (the label is built, so no file here reads as key material)
      expect(fs.readFileSync(path.join(keyDir, 'sa.key'), 'utf8').startsWith(['-----BEGIN RSA', 'PRIVATE KEY-----'].join(' '))).toBe(true);
      expect(text).toContain(`keys/${CLUSTER[platform]}/sa.pub`);
    }

    if (platform === 'openshift-hive') {
      // Without the release's CredentialsRequests synth cannot run: init says how to get them, and synth refuses naming the same command.
      expect(init.stdout).toContain(`${EXTRACT} --to=openshift/credentialsrequests quay.io/openshift-release-dev/ocp-release:`);
      expect(text).toContain(`${EXTRACT} --to=openshift/credentialsrequests`);
      const refused = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], starter);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('clusters[1].openshiftHive.credentialsRequests: cannot read the CredentialsRequests: folder not found');
      expect(refused.stderr).toContain(`fix: run \`${EXTRACT} --included --install-config=<install-config.yaml> --to=openshift/credentialsrequests <release image>\``);
      expect(fs.existsSync(path.join(starter, 'out'))).toBe(false);
      extractCredentialsRequests(starter);
    }

    const synth = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], starter);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    expect(synth.stdout).toContain('check out: passed');
    expect(fs.existsSync(path.join(starter, 'out', 'terraform', 'stacks', 'my-fleet', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(starter, 'out', 'kubernetes', CLUSTER[platform], 'kustomization.yaml'))).toBe(true);
    const check = await runCli(['check', 'out'], starter);
    expect(check.code).toBe(0);
  });
});

/** Each line that sets a field has a comment of its own: on the line, or the comment lines just above it. */
function assertEveryFieldCommented(text: string): void {
  const lines = text.split('\n');
  const uncommented: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#') || line.includes(' # ')) return;
    const field = /^(\s*)(?:- )?([A-Za-z]+):/.exec(line);
    if (!field) return;
    // A comment right above, or the field is the one an entry's comment opens ("- name:" after "# ...").
    const above = lines[i - 1]?.trimStart() ?? '';
    if (above.startsWith('#')) return;
    // Fields of a block whose key line was commented (nodePool.vmSize, controlPlane.vmSize ...) are explained there.
    const indent = field[1].length;
    for (let j = i - 1; j >= 0; j--) {
      const prev = lines[j];
      if (prev.trim() === '') break;
      const prevIndent = prev.length - prev.trimStart().length;
      if (prevIndent < indent && !prev.trimStart().startsWith('#')) {
        if ((lines[j - 1] ?? '').trimStart().startsWith('#') && /:\s*$/.test(prev)) return;
        break;
      }
    }
    uncommented.push(`${i + 1}: ${line}`);
  });
  expect(uncommented).toEqual([]);
}

describe('wisynth init', () => {
  test('defaults: platform aks, into the current folder; cdktf.json and cdk8s.yaml run the user\'s fleet into OUT\'s layout', async () => {
    const init = await runCli(['init'], dir);
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(init.stdout).toContain('wrote fleet.yaml: the aks starter fleet');
    expect(init.stdout).not.toContain('cd ');
    const cdktf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8'));
    expect(cdktf).toMatchObject({ app: 'npx wisynth synth -c fleet.yaml', output: 'dist/terraform', language: 'typescript', sendCrashReports: 'false', projectId: 'wisynth-my-fleet' });
    const cdk8sText = fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8');
    expect(load(cdk8sText)).toEqual({ language: 'typescript', app: 'npx wisynth synth -c fleet.yaml', output: 'dist/kubernetes' });
    expect(cdk8sText).toContain('CDK8S_CHECK_UPGRADE=false');
    expect((load(fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8')) as { clusters: { platform: string }[] }).clusters[0].platform).toBe('aks');
  });

  test('is deterministic: the same starter byte for byte, wherever it is written', async () => {
    expect((await runCli(['init', '--platform', 'external-issuer', '-o', 'a'], dir)).code).toBe(0);
    expect((await runCli(['init', '--platform', 'external-issuer', '-o', 'b/c'], dir)).code).toBe(0);
    expect(readTree(path.join(dir, 'b/c'))).toEqual(readTree(path.join(dir, 'a')));
  });

  test('--name names the fleet and what is derived from it; the longest name it takes still synthesizes', async () => {
    const name = 'a234567890123-56';
    const init = await runCli(['init', '--platform', 'openshift-hive', '--name', name, '-o', 'ocp'], dir);
    expect(init.code).toBe(0);
    const starter = path.join(dir, 'ocp');
    const text = fs.readFileSync(path.join(starter, 'fleet.yaml'), 'utf8');
    expect(text).toContain(`name: ${name}\n`);
    expect(text).toContain(`kv-${name}-hive`);
    extractCredentialsRequests(starter);
    const synth = await runCli(['synth', '-c', 'fleet.yaml', '-o', 'out'], starter);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    expect(fs.existsSync(path.join(starter, 'out', 'terraform', 'stacks', name, 'cdk.tf.json'))).toBe(true);
  });

  test('refuses to overwrite: names every file that exists and the fix, and writes nothing', async () => {
    expect((await runCli(['init', '-o', 'here'], dir)).code).toBe(0);
    const before = readTree(path.join(dir, 'here'));
    const again = await runCli(['init', '--platform', 'external-issuer', '-o', 'here'], dir);
    expect(again.code).toBe(1);
    for (const file of ['fleet.yaml', 'cdktf.json', 'cdk8s.yaml']) {
      expect(again.stderr).toContain(`error: ${path.join('here', file)}: already exists; wisynth init never overwrites a file, so nothing was written`);
      expect(again.stderr).toContain(`fix: choose another -o (an empty or new folder), or remove ${path.join('here', file)}`);
    }
    expect(again.stdout).toBe('');
    expect(readTree(path.join(dir, 'here'))).toEqual(before);
  });

  test('one existing file is enough: nothing else is written, and no key is made', async () => {
    fs.mkdirSync(path.join(dir, 'kind', 'keys', 'kind-dev'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'kind', 'keys', 'kind-dev', 'sa.pub'), 'mine');
    const run = await runCli(['init', '--platform', 'self-managed', '-o', 'kind'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: kind/keys/kind-dev/sa.pub: already exists');
    expect(run.stderr).toMatch(/\n {2}fix: choose another -o/);
    expect([...readTree(path.join(dir, 'kind')).keys()]).toEqual(['keys/kind-dev/sa.pub']);
    expect(fs.readFileSync(path.join(dir, 'kind', 'keys', 'kind-dev', 'sa.pub'), 'utf8')).toBe('mine');
  });

  test('-o naming a file is refused, exit 1, before anything is written', async () => {
    fs.writeFileSync(path.join(dir, 'afile'), '');
    const run = await runCli(['init', '-o', 'afile'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: afile: the starter folder exists and is a file, not a folder');
  });

  test.each([
    ['an unknown platform', ['init', '--platform', 'eks'], "error: unknown platform 'eks'", 'fix: --platform takes one of aks, self-managed, capz, openshift-hive, external-issuer'],
    ['a platform given as an argument', ['init', 'capz'], "error: unexpected argument 'capz'", 'fix: did you mean --platform capz?'],
    ['a stray argument', ['init', 'somewhere'], "error: unexpected argument 'somewhere'", 'fix: did you mean -o somewhere?'],
    ['a stray argument after -o', ['init', '-o', 'x', 'y'], "error: unexpected argument 'y'", 'fix: init writes into the folder named by -o'],
    ['--platform given twice', ['init', '--platform', 'aks', '--platform', 'capz'], "error: option '--platform <platform>' is given 2 times", 'fix: give it once'],
    ['an invalid --name', ['init', '--name', 'My_Fleet'], "error: --name 'My_Fleet' is not a fleet name", 'fix: give a name such as my-fleet'],
    ['a --name too long for the derived names', ['init', '--name', 'a2345678901234567'], 'init takes at most 16', 'fix: give a name such as my-fleet'],
  ])('%s is a usage error: exit 2, the valid values, nothing written', async (_what, argv, message, fix) => {
    const run = await runCli(argv, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(fix);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
