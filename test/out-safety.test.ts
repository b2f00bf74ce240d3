/**
 * Synth never deletes what it did not write, and an interrupted or concurrent synth leaves OUT complete,
 * old or new (issue 12, item 1). Refusals run the CLI in process (`main`); interruptions run the real CLI
 * (`node bin/wisynth.js`, from lib/) on a synthetic fleet and kill it at points spread over its run.
 *
 * Every refusal asserts the exit code, that the message names the path and carries a fix, and that
 * nothing changed on disk: neither OUT nor anything beside it (no lock, staging or old folder left).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli/main';
import { assertLibIsCurrent, copyExampleInputs, readTree, ROOT } from './support';

const BIN = path.join(ROOT, 'bin', 'wisynth.js');
const EXAMPLE_FLEET = path.join(ROOT, 'examples', 'fleet.yaml');

// A script, not a module of src/: required, with its shape stated here.
const generator = require('../scripts/synthetic-fleet') as {
  writeSyntheticFleet(dir: string, options: { clusters: number; workloads?: number }): string;
};

let work: string;
beforeEach(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-out-safety-')));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  readonly err: string;
}

/** Every entry below `dir`, hidden ones included: file bytes, a link's target, or an empty folder. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (rel: string): void => {
    const names = fs.readdirSync(path.join(dir, rel)).sort();
    if (names.length === 0) entries.set(rel, 'empty folder');
    for (const name of names) {
      const own = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, own);
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) entries.set(own, `link to ${fs.readlinkSync(full)}`);
      else if (stat.isDirectory()) walk(own);
      else entries.set(own, `${(stat.mode & 0o777).toString(8)} ${fs.readFileSync(full).toString('base64')}`);
    }
  };
  walk('');
  return entries;
}

async function cli(args: readonly string[], cwd: string = work, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const err: string[] = [];
  const code = await main(args, { cwd, env, out: () => undefined, err: (line) => err.push(line) });
  return { code, err: err.join('\n') };
}

/** The example fleet with its inputs in `dir`, optionally edited; returns the fleet file. */
function project(dir: string, edit: (text: string) => string = (t) => t): string {
  fs.mkdirSync(dir, { recursive: true });
  copyExampleInputs(dir);
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(EXAMPLE_FLEET, 'utf8')));
  return file;
}

/** Replaces exactly one occurrence, so a changed example fails loudly instead of testing nothing. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** The example synthesized once, copied wherever a test needs a previous OUT. */
let exampleOut: string | undefined;
afterAll(() => {
  if (exampleOut) fs.rmSync(path.dirname(exampleOut), { recursive: true, force: true });
});

/** A wisynth OUT of the example at `out`: what a previous synth left there. */
async function previousOut(out: string): Promise<void> {
  if (!exampleOut) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-out-safety-example-'));
    const fleet = project(path.join(dir, 'p'));
    expect((await cli(['synth', '-c', fleet, '-o', 'dist'], dir)).code).toBe(0);
    exampleOut = path.join(dir, 'dist');
  }
  fs.cpSync(exampleOut, out, { recursive: true });
}

/** A signing pair the installer can read: the PKCS#1 private key, and its public half as SPKI. */
function signingPair(): { key: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { key: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

interface Refusal {
  readonly name: string;
  /** Prepares `work`; returns the arguments (and cwd, env) of the synth that must be refused. */
  readonly setup: () => Promise<{ args: string[]; cwd?: string; env?: NodeJS.ProcessEnv }>;
  /** Each must appear in the error output: the path at fault and words of the problem and fix. */
  readonly says: (w: string) => Array<string | RegExp>;
}

const STACK = 'terraform/stacks/contoso';

const REFUSALS: Refusal[] = [
  {
    name: '-o . in a project folder (fleet file, keys, notes and an old summary.json)',
    setup: async () => {
      project(path.join(work, 'p'));
      fs.writeFileSync(path.join(work, 'p', 'summary.json'), '{}\n');
      fs.writeFileSync(path.join(work, 'p', 'notes.txt'), 'keep\n');
      return { args: ['synth', '-c', 'fleet.yaml', '-o', '.'], cwd: path.join(work, 'p') };
    },
    says: (w) => [path.join(w, 'p'), /fleet/],
  },
  {
    name: 'an old summary.json without the generator marker and a project beside it',
    setup: async () => {
      const fleet = project(path.join(work, 'p'));
      fs.mkdirSync(path.join(work, 'dist'));
      fs.writeFileSync(path.join(work, 'dist', 'summary.json'), '{"files": ["summary.json"]}\n');
      fs.writeFileSync(path.join(work, 'dist', 'notes.txt'), 'keep\n');
      return { args: ['synth', '-c', fleet, '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), /generator/, /another tool/],
  },
  {
    name: 'a wisynth OUT with a file of the user in it',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      fs.writeFileSync(path.join(work, 'dist', 'notes.txt'), 'keep\n');
      fs.writeFileSync(path.join(work, 'dist', 'kubernetes', 'aks-prod', 'extra.yaml'), 'kind: ConfigMap\n');
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'notes.txt', 'kubernetes/aks-prod/extra.yaml', /move them out/],
  },
  {
    name: 'a wisynth OUT whose summary lists a path outside its layout',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      const file = path.join(work, 'dist', 'summary.json');
      const summary = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, JSON.stringify({ ...summary, files: [...summary.files, 'kubernetes/../notes.txt'] }));
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'kubernetes/../notes.txt', /never writes/],
  },
  {
    name: 'OUT holding the fleet file',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      return { args: ['synth', '-c', project(path.join(work, 'dist', 'project')), '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), /fleet/, /project/],
  },
  {
    name: 'OUT holding a public key the fleet reads',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      const fleet = project(path.join(work, 'p'), (t) => replaceOnce(t, '- keys/gs-prod/sa.pub', '- ../dist/gs-prod.pub'));
      fs.copyFileSync(path.join(work, 'p', 'keys', 'gs-prod', 'sa.pub'), path.join(work, 'dist', 'gs-prod.pub'));
      return { args: ['synth', '-c', fleet, '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'the public key gs-prod.pub'],
  },
  {
    name: 'OUT holding the private key a kind cluster mounts',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      const fleet = project(path.join(work, 'p'), (t) => replaceOnce(t, 'privateKeyFile: keys/kind-dev/sa.key', 'privateKeyFile: ../dist/clusters/sa.key'));
      return { args: ['synth', '-c', fleet, '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'the private signing key clusters/sa.key'],
  },
  {
    name: 'OUT holding the CredentialsRequests folder',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      const fleet = project(path.join(work, 'p'), (t) => replaceOnce(t, 'credentialsRequests: openshift/credentialsrequests', 'credentialsRequests: ../dist/credreqs'));
      fs.cpSync(path.join(work, 'p', 'openshift', 'credentialsrequests'), path.join(work, 'dist', 'credreqs'), { recursive: true });
      return { args: ['synth', '-c', fleet, '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'the CredentialsRequests folder credreqs'],
  },
  {
    name: 'OUT holding a Hive secret file (secrets.mode: files)',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      const fleet = project(path.join(work, 'p'), (t) =>
        replaceOnce(
          t,
          '        mode: externalSecrets\n        keyVault: kv-contoso-hive\n        identity: id-hive-secrets\n        hub: aks-prod\n',
          '        mode: files\n        signingKeyFile: keys/ocp-prod/sa.key\n        pullSecretFile: ../dist/pull-secret.json\n        installerCredentialsFile: osServicePrincipal.json\n',
        ),
      );
      const pair = signingPair();
      fs.writeFileSync(path.join(work, 'p', 'keys', 'ocp-prod', 'sa.key'), pair.key);
      fs.writeFileSync(path.join(work, 'p', 'keys', 'ocp-prod', 'sa.pub'), pair.pub);
      fs.writeFileSync(path.join(work, 'dist', 'pull-secret.json'), JSON.stringify({ auths: { 'quay.io': { auth: 'x' } } }));
      const principal = { subscriptionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', clientId: 'c', clientSecret: 's', tenantId: 't' };
      fs.writeFileSync(path.join(work, 'p', 'osServicePrincipal.json'), JSON.stringify(principal));
      return { args: ['synth', '-c', fleet, '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'pull-secret.json'],
  },
  {
    name: 'OUT holding an outputs file',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      fs.writeFileSync(path.join(work, 'dist', 'outputs.json'), '{}\n');
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist', '--outputs', 'dist/outputs.json'] };
    },
    says: (w) => [path.join(w, 'dist'), 'outputs.json'],
  },
  {
    name: "OUT holding the local backend's state folder",
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      const fleet = project(path.join(work, 'p'), (t) => replaceOnce(t, 'path: terraform-state', 'path: ../dist/terraform-state'));
      return { args: ['synth', '-c', fleet, '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), 'the local Terraform state folder terraform-state'],
  },
  {
    name: 'a foreign CDK8S_OUTDIR (a GitOps folder)',
    setup: async () => {
      fs.mkdirSync(path.join(work, 'gitops', 'prod'), { recursive: true });
      fs.writeFileSync(path.join(work, 'gitops', 'prod', 'kustomization.yaml'), 'resources: []\n');
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'], env: { CDK8S_OUTDIR: 'gitops' } };
    },
    says: (w) => [path.join(w, 'gitops'), 'CDK8S_OUTDIR'],
  },
  {
    name: 'a wisynth CDK8S_OUTDIR with a file of the user in it',
    setup: async () => {
      const fleet = project(path.join(work, 'p'));
      expect((await cli(['synth', '-c', fleet, '-o', 'dist'], work, { CDK8S_OUTDIR: 'k8s' })).code).toBe(0);
      fs.writeFileSync(path.join(work, 'k8s', 'aks-prod', 'mine.yaml'), 'kind: ConfigMap\n');
      return { args: ['synth', '-c', fleet, '-o', 'dist'], env: { CDK8S_OUTDIR: 'k8s' } };
    },
    says: (w) => [path.join(w, 'k8s'), 'aks-prod/mine.yaml', 'CDK8S_OUTDIR'],
  },
  {
    name: "a foreign CDKTF_OUTDIR (another cdktf app's output)",
    setup: async () => {
      fs.mkdirSync(path.join(work, 'cdktf.out', 'stacks', 'other'), { recursive: true });
      fs.writeFileSync(path.join(work, 'cdktf.out', 'manifest.json'), '{"version": "0.21.0", "stacks": {}}\n');
      fs.writeFileSync(path.join(work, 'cdktf.out', 'stacks', 'other', 'cdk.tf.json'), '{}\n');
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'], env: { CDKTF_OUTDIR: 'cdktf.out' } };
    },
    says: (w) => [path.join(w, 'cdktf.out'), 'CDKTF_OUTDIR'],
  },
  {
    name: 'CDKTF_OUTDIR inside OUT, not at OUT/terraform',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'], env: { CDKTF_OUTDIR: 'dist/tf' } };
    },
    says: (w) => [path.join(w, 'dist', 'tf'), /inside OUT/],
  },
  {
    name: 'OUT is a file',
    setup: async () => {
      fs.writeFileSync(path.join(work, 'dist'), 'not a folder\n');
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'] };
    },
    says: () => ['dist', /not a folder/],
  },
  {
    name: 'OUT is a symbolic link to a folder',
    setup: async () => {
      await previousOut(path.join(work, 'real'));
      fs.symlinkSync('real', path.join(work, 'dist'));
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist'), /symbolic link/],
  },
  {
    name: 'a stack folder with Terraform state, of a stack the fleet no longer has',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      fs.writeFileSync(path.join(work, 'dist', STACK, 'terraform.tfstate'), '{"version": 4}\n');
      return { args: ['synth', '-c', project(path.join(work, 'p'), (t) => replaceOnce(t, 'name: contoso\n', 'name: fabrikam\n')), '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist', STACK), 'terraform.tfstate', /no longer has stack contoso/, /move the state out/],
  },
  {
    name: 'a stack folder whose local state Terraform holds locked',
    setup: async () => {
      await previousOut(path.join(work, 'dist'));
      fs.writeFileSync(path.join(work, 'dist', STACK, 'terraform.tfstate'), '{"version": 4}\n');
      fs.writeFileSync(path.join(work, 'dist', STACK, '.terraform.tfstate.lock.info'), '{"ID": "x"}\n');
      return { args: ['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'] };
    },
    says: (w) => [path.join(w, 'dist', STACK, '.terraform.tfstate.lock.info'), /force-unlock/],
  },
];

describe('synth refuses to replace what it did not write, and changes nothing', () => {
  test.each(REFUSALS.map((r) => [r.name, r] as const))('%s', async (_name, refusal) => {
    const { args, cwd, env } = await refusal.setup();
    const before = snapshot(work);
    const run = await cli(args, cwd, env);
    expect(run.code).toBe(1);
    for (const s of refusal.says(work)) expect(run.err).toMatch(typeof s === 'string' ? new RegExp(escape(s)) : s);
    expect(run.err).toMatch(/\n\s+fix: \S/);
    expect(run.err).not.toMatch(/unexpectedly/);
    expect(snapshot(work)).toEqual(before);
  });
});

describe("Terraform's working files and what wisynth itself wrote", () => {
  test("local state and Terraform's working files in a stack folder survive a re-synth, byte for byte", async () => {
    const fleet = project(path.join(work, 'p'));
    await cli(['synth', '-c', fleet, '-o', 'dist']);
    const stack = path.join(work, 'dist', STACK);
    const working: Record<string, string> = {
      'terraform.tfstate': '{"version": 4, "serial": 7}\n',
      'terraform.tfstate.backup': '{"version": 4, "serial": 6}\n',
      'terraform.tfstate.d/staging/terraform.tfstate': '{"version": 4, "serial": 2}\n',
      '.terraform.lock.hcl': '# provider locks\n',
      '.terraform/providers/registry.terraform.io/hashicorp/azurerm/plugin': 'binary\n',
      '.terraform/environment': 'staging',
    };
    for (const [file, text] of Object.entries(working)) {
      fs.mkdirSync(path.dirname(path.join(stack, file)), { recursive: true });
      fs.writeFileSync(path.join(stack, file), text);
    }
    fs.writeFileSync(path.join(work, 'dist', 'graph.md'), '# graph\n'); // `wisynth graph` writes it; synth may replace it
    const run = await cli(['synth', '-c', fleet, '-o', 'dist']);
    expect(run).toEqual({ code: 0, err: expect.not.stringMatching(/error/) });
    for (const [file, text] of Object.entries(working)) expect(fs.readFileSync(path.join(stack, file), 'utf8')).toBe(text);
    expect(fs.readdirSync(work).sort()).toEqual(['dist', 'p']);
  });

  test('summary.json carries the generator marker; an OUT of format 0 (before the marker) is still replaced', async () => {
    const fleet = project(path.join(work, 'p'));
    await cli(['synth', '-c', fleet, '-o', 'dist']);
    const file = path.join(work, 'dist', 'summary.json');
    const { generator, ...formatZero } = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(generator).toEqual({ name: 'wisynth', format: 1 });
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))[0]).toBe('generator');
    fs.writeFileSync(file, JSON.stringify(formatZero, null, 2));
    expect((await cli(['synth', '-c', fleet, '-o', 'dist'])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).generator).toEqual({ name: 'wisynth', format: 1 });
  });

  test('CDKTF_OUTDIR and CDK8S_OUTDIR written by synth are replaced again', async () => {
    const fleet = project(path.join(work, 'p'));
    const env = { CDKTF_OUTDIR: 'cdktf.out', CDK8S_OUTDIR: 'k8s' };
    expect((await cli(['synth', '-c', fleet, '-o', 'dist'], work, env)).code).toBe(0);
    fs.writeFileSync(path.join(work, 'cdktf.out', 'stacks', 'contoso', 'terraform.tfstate'), '{"version": 4}\n');
    expect((await cli(['synth', '-c', fleet, '-o', 'dist'], work, env)).code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', 'contoso', 'terraform.tfstate'), 'utf8')).toBe('{"version": 4}\n');
    expect(fs.readdirSync(work).sort()).toEqual(['cdktf.out', 'dist', 'k8s', 'p']);
  });
});

/** A lock file as synth writes it. */
function writeLock(out: string, pid: number, host = os.hostname()): string {
  const file = path.join(path.dirname(out), `.${path.basename(out)}.lock`);
  fs.writeFileSync(file, `${JSON.stringify({ pid, host, since: '2026-01-01T00:00:00.000Z' })}\n`);
  return file;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid!;
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

describe('the lock beside OUT', () => {
  test.each([
    ['alive on this host', 'live'],
    ['on another host', 'remote'],
  ] as const)('a lock whose holder is %s refuses at once, naming the holder, and stays', async (_name, kind) => {
    await previousOut(path.join(work, 'dist'));
    const fleet = project(path.join(work, 'p'));
    const holder = kind === 'live' ? spawn('sleep', ['60']) : undefined;
    try {
      const pid = holder?.pid ?? 4242;
      const lock = writeLock(path.join(work, 'dist'), pid, kind === 'live' ? os.hostname() : 'build-agent-7');
      const before = snapshot(work);
      const started = Date.now();
      const run = await cli(['synth', '-c', fleet, '-o', 'dist']);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(new RegExp(`another wisynth synth is writing it \\(pid ${pid} on host ${kind === 'live' ? escape(os.hostname()) : 'build-agent-7'}`));
      expect(run.err).toMatch(new RegExp(`fix: wait for that synth to finish; if no wisynth runs as pid ${pid} .*, delete ${escape(lock)}`));
      expect(snapshot(work)).toEqual(before);
    } finally {
      holder?.kill('SIGKILL');
    }
  });

  test.each([
    ['a dead pid', () => deadPid()],
    ["this process's own pid (a container reuses pids)", () => process.pid],
  ])('a stale lock (%s) is taken over and removed', async (_name, pid) => {
    await previousOut(path.join(work, 'dist'));
    writeLock(path.join(work, 'dist'), pid());
    expect((await cli(['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'])).code).toBe(0);
    expect(fs.readdirSync(work).sort()).toEqual(['dist', 'p']);
  });

  test("the content of a lock a synth was killed before linking is removed; a live synth's is not", async () => {
    await previousOut(path.join(work, 'dist'));
    const holder = spawn('sleep', ['60']);
    try {
      fs.writeFileSync(path.join(work, `.dist.lock.new-${deadPid()}`), '{"pid":');
      fs.writeFileSync(path.join(work, `.dist.lock.new-${holder.pid}`), '{"pid":');
      expect((await cli(['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'])).code).toBe(0);
      expect(fs.readdirSync(work).sort()).toEqual([`.dist.lock.new-${holder.pid}`, 'dist', 'p']);
    } finally {
      holder.kill('SIGKILL');
      fs.rmSync(path.join(work, `.dist.lock.new-${holder.pid}`), { force: true });
    }
  });
});

describe('leftovers of an interrupted synth are recovered under the lock', () => {
  test('staging folders are removed', async () => {
    await previousOut(path.join(work, 'dist'));
    writeLock(path.join(work, 'dist'), deadPid());
    fs.mkdirSync(path.join(work, '.dist.staging-AbC123', 'kubernetes'), { recursive: true });
    fs.writeFileSync(path.join(work, '.dist.staging-AbC123', 'kubernetes', 'half.yaml'), 'kind: Nam');
    expect((await cli(['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'])).code).toBe(0);
    expect(fs.readdirSync(work).sort()).toEqual(['dist', 'p']);
  });

  test('OUT missing beside .OUT.old-<pid>: the old OUT is renamed back first (its state is carried into the new OUT)', async () => {
    await previousOut(path.join(work, 'dist'));
    fs.writeFileSync(path.join(work, 'dist', STACK, 'terraform.tfstate'), '{"serial": 9}\n');
    const pid = deadPid();
    fs.renameSync(path.join(work, 'dist'), path.join(work, `.dist.old-${pid}`));
    writeLock(path.join(work, 'dist'), pid);
    expect((await cli(['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'])).code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'dist', STACK, 'terraform.tfstate'), 'utf8')).toBe('{"serial": 9}\n');
    expect(fs.readdirSync(work).sort()).toEqual(['dist', 'p']);
  });

  test("OUT present beside .OUT.old-<pid>: the old one is removed; a user's dist.old-1 and .dist.old-mine are not", async () => {
    await previousOut(path.join(work, 'dist'));
    fs.cpSync(path.join(work, 'dist'), path.join(work, '.dist.old-12345'), { recursive: true });
    fs.mkdirSync(path.join(work, 'dist.old-1'));
    fs.writeFileSync(path.join(work, 'dist.old-1', 'backup.txt'), 'mine\n');
    fs.mkdirSync(path.join(work, '.dist.old-mine'));
    expect((await cli(['synth', '-c', project(path.join(work, 'p')), '-o', 'dist'])).code).toBe(0);
    expect(fs.readdirSync(work).sort()).toEqual(['.dist.old-mine', 'dist', 'dist.old-1', 'p']);
    expect(fs.readFileSync(path.join(work, 'dist.old-1', 'backup.txt'), 'utf8')).toBe('mine\n');
  });
});

// ---------------------------------------------------------------------------------------------------
// The real CLI on a synthetic fleet: killed at many points, interrupted, run concurrently.

/**
 * A synth of 16 clusters goes through every step (lock, staging, the two renames, cleanup); more clusters only
 * write more files into staging. The kill points follow the measured run time, so they spread over all of it.
 */
const CLUSTERS = 16;
const KILLS = 12;

function same(a: ReadonlyMap<string, Buffer>, b: ReadonlyMap<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v) === true);
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

describe('the real CLI, interrupted and concurrent (synthetic fleet)', () => {
  /** Two fleets that differ in every cluster (3 or 4 workloads) and in the key: no file list matches by chance. */
  const fleets: { [k in 'a' | 'b']: { file: string; ref: Map<string, Buffer> } } = {} as never;
  let base: string;
  let out: string;
  /** The fleet OUT holds now. */
  let current: 'a' | 'b';
  /** Wall time of the latest complete synth, so that kill points follow the machine's speed and load. */
  let runMs: number;

  const synthArgs = (fleet: 'a' | 'b'): string[] => [BIN, 'synth', '-c', fleets[fleet].file, '-o', out];
  /** Names beside OUT other than the fleets and OUT: leftovers. */
  const leftovers = (): string[] => fs.readdirSync(base).filter((n) => !['a', 'b', 'out'].includes(n));
  /** A complete synth of `fleet` over OUT, timed. */
  const synth = async (fleet: 'a' | 'b'): Promise<void> => {
    const started = Date.now();
    const child = spawn(process.execPath, synthArgs(fleet), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    expect({ ...(await exited(child)), stderr }).toEqual({ code: 0, signal: null, stderr: expect.any(String) });
    runMs = Date.now() - started;
    current = fleet;
  };

  beforeAll(async () => {
    assertLibIsCurrent();
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-interrupt-')));
    out = path.join(base, 'out');
    fleets.a = { file: generator.writeSyntheticFleet(path.join(base, 'a'), { clusters: CLUSTERS, workloads: 3 }), ref: new Map() };
    fleets.b = { file: generator.writeSyntheticFleet(path.join(base, 'b'), { clusters: CLUSTERS, workloads: 4 }), ref: new Map() };
    await synth('a');
    // Local state in a stack folder (the shared stack, in both fleets) must be in every OUT, old or new.
    const stack = path.join(out, 'terraform', 'stacks', 'bench');
    fs.writeFileSync(path.join(stack, 'terraform.tfstate'), '{"version": 4, "serial": 3}\n');
    fleets.a.ref = readTree(out);
    await synth('b');
    fleets.b.ref = readTree(out);
    expect(same(fleets.a.ref, fleets.b.ref)).toBe(false);
    expect(fleets.b.ref.get('terraform/stacks/bench/terraform.tfstate')?.toString()).toBe('{"version": 4, "serial": 3}\n');
  });

  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  test(`SIGKILL at ${KILLS} points from start to end: OUT is always the complete old or new output, and the next synth cleans up`, async () => {
    const seen: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Each round writes the other fleet over OUT, so the previous round's clean synth is this one's old OUT.
      const old = current;
      const next = old === 'a' ? 'b' : 'a';
      // From 3% to 100% of a run, and one at 150% (the kill then finds the synth done, or in its last steps).
      const delay = Math.round(runMs * (i === KILLS - 1 ? 1.5 : 0.03 + (0.97 * i) / (KILLS - 2)));
      const child = spawn(process.execPath, synthArgs(next), { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await exited(child);
      clearTimeout(timer);
      // A kill between the two renames leaves OUT missing and the old one complete beside it, for the next synth to rename back.
      const oldBeside = fs.readdirSync(base).find((n) => n.startsWith('.out.old-'));
      const now = fs.existsSync(out) ? readTree(out) : oldBeside ? readTree(path.join(base, oldBeside)) : new Map<string, Buffer>();
      const state = same(now, fleets[old].ref) ? (fs.existsSync(out) ? 'old' : 'old-beside') : same(now, fleets[next].ref) ? 'new' : 'BROKEN';
      seen.push(`${delay}ms:${state}`);
      expect({ delay, state }).toEqual({ delay, state: expect.stringMatching(/^(old|old-beside|new)$/) });

      await synth(next);
      expect(same(readTree(out), fleets[next].ref)).toBe(true);
      expect({ delay, leftovers: leftovers() }).toEqual({ delay, leftovers: [] });
    }
    console.log(`after SIGKILL at: ${seen.join(', ')} (latest synth ${runMs} ms)`);
    expect(seen.some((s) => s.endsWith(':old'))).toBe(true);
    expect(seen.some((s) => s.endsWith(':new'))).toBe(true);
    // About 12 x 1.5 runs: 15 s on 2 idle cores; the limit leaves room for a loaded, shared machine.
  }, 240_000);

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during the synth removes staging and lock, leaves OUT old, and ends with status %i', async (signal, status) => {
    const old = current;
    expect(leftovers()).toEqual([]);
    const child = spawn(process.execPath, synthArgs(old === 'a' ? 'b' : 'a'), { stdio: 'ignore' });
    const ended = exited(child);
    // Once its staging exists the handlers are installed and the long part of the run is ahead.
    for (const start = Date.now(); !fs.readdirSync(base).some((n) => n.startsWith('.out.staging-')); ) {
      if (Date.now() - start > runMs * 5) throw new Error('the synth never made its staging folder');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill(signal);
    const result = await ended;
    // Re-raised after the cleanup: killed by the signal (a shell reports 128 + n), or that exit code.
    expect(result.signal === signal || result.code === status).toBe(true);
    expect(leftovers()).toEqual([]);
    expect(same(readTree(out), fleets[old].ref)).toBe(true);
  });

  test('two synths at once on one OUT: each succeeds or is refused by the lock; OUT ends complete and clean', async () => {
    const next = current === 'a' ? 'b' : 'a';
    const results = await Promise.all(
      [0, 1].map(() => {
        const child = spawn(process.execPath, synthArgs(next), { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += d));
        return exited(child).then((r) => ({ ...r, stderr }));
      }),
    );
    for (const r of results.filter((r) => r.code !== 0)) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/another wisynth synth is writing it \(/);
    }
    expect(results.some((r) => r.code === 0)).toBe(true);
    expect(same(readTree(out), fleets[next].ref)).toBe(true);
    expect(leftovers()).toEqual([]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the real CLI, killed while it takes parts unchanged from the previous synth (synth cache)', () => {
  /** Two fleets that differ in one cluster: a synth of either over the other's OUT keeps all but two parts in place. */
  const fleets: { [k in 'a' | 'c']: { file: string; ref: Map<string, Buffer> } } = {} as never;
  let base: string;
  let out: string;
  let cacheDir: string;
  let runMs: number;

  const run = (fleet: 'a' | 'c') => spawn(process.execPath, [BIN, 'synth', '-c', fleets[fleet].file, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WISYNTH_CACHE_DIR: cacheDir } });
  /** A complete synth over OUT, timed; what it printed. */
  const synth = async (fleet: 'a' | 'c'): Promise<string> => {
    const started = Date.now();
    const child = run(fleet);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    expect({ ...(await exited(child)), stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    runMs = Date.now() - started;
    return stdout;
  };

  beforeAll(async () => {
    assertLibIsCurrent();
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-interrupt-cache-')));
    out = path.join(base, 'out');
    cacheDir = path.join(base, 'cache');
    const file = generator.writeSyntheticFleet(path.join(base, 'a'), { clusters: CLUSTERS, workloads: 3 });
    fleets.a = { file, ref: new Map() };
    fleets.c = { file: path.join(base, 'a', 'fleet-c.yaml'), ref: new Map() };
    fs.writeFileSync(fleets.c.file, fs.readFileSync(file, 'utf8').replace('namespace: team-0', 'namespace: team-moved'));
    await synth('c');
    fleets.c.ref = readTree(out);
    expect(await synth('a')).toMatch(/parts were unchanged and taken from the previous synth/);
    fleets.a.ref = readTree(out);
    expect(same(fleets.a.ref, fleets.c.ref)).toBe(false);
  });

  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('SIGKILL at any point leaves OUT the complete old or new output (or, among the moves, a journal beside it), and the next synth is that of the fleet', async () => {
    let current: 'a' | 'c' = 'a';
    const kills = 8;
    for (let i = 0; i < kills; i++) {
      const next: 'a' | 'c' = current === 'a' ? 'c' : 'a';
      const delay = Math.round(runMs * (0.05 + (1.1 * i) / (kills - 1)));
      const child = run(next);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await exited(child);
      clearTimeout(timer);
      const oldBeside = fs.readdirSync(base).find((n) => n.startsWith('.out.old-'));
      // killed among the moves of a replacement in place: the next synth completes them from the journal
      const journal = fs.readdirSync(base).some((n) => /^\.out\.commit-\d+$/.test(n));
      const now = fs.existsSync(out) ? readTree(out) : oldBeside ? readTree(path.join(base, oldBeside)) : new Map<string, Buffer>();
      const state = same(now, fleets[current].ref) ? 'old' : same(now, fleets[next].ref) ? 'new' : journal ? 'moving' : 'BROKEN';
      expect({ delay, state }).toEqual({ delay, state: expect.stringMatching(/^(old|new|moving)$/) });
      // whichever OUT and cache the kill left, the next synth writes exactly the fleet's output
      await synth(next);
      expect({ delay, same: same(readTree(out), fleets[next].ref) }).toEqual({ delay, same: true });
      expect(fs.readdirSync(base).filter((n) => !['a', 'out', 'cache'].includes(n))).toEqual([]);
      current = next;
    }
  }, 240_000);
});
