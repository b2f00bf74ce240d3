import * as path from 'path';
import { Command } from 'commander';
import { FleetError } from '../model/issues';
import { generateSigningKeyPair } from '../oidc/keys';
import { CliContext } from './context';
import { EXIT_USAGE } from './exit-codes';
import { cdk8sYaml, cdktfJson } from './init-templates/tools';
import { fleetNameProblem, INIT_PLATFORMS, InitPlatform, STARTER_CREDENTIALS_REQUESTS, STARTER_RELEASE_IMAGE, starterFleet } from './init-templates/fleet';
import { occupied, OutputTarget, targetIssues, writeOutputFile } from './output-target';
import { given, onUnexpectedArgument } from './usage';

/** The mode of a private key file, as `wisynth keygen` writes it. */
const PRIVATE_KEY_MODE = 0o600;
const DEFAULT_NAME = 'my-fleet';

/** One file init writes, relative to its folder. */
interface StarterFile {
  readonly rel: string;
  /** What it is, printed after it. */
  readonly what: string;
  content(): string;
  readonly mode?: number;
}

/**
 * `wisynth init [--platform P] [-o DIR] [--name NAME]`: a commented starter fleet that synthesizes as
 * written (DIR/fleet.yaml), the cdktf and cdk8s configurations that run it, and the signing key pair
 * of the platforms with a self-hosted issuer (DIR/keys/<cluster>/). Never overwrites a file.
 */
export function initCommand(ctx: CliContext): Command {
  const command = new Command('init')
    .description('write a commented starter fleet for one platform: DIR/fleet.yaml, DIR/cdktf.json, DIR/cdk8s.yaml, and DIR/keys/<cluster>/ where the platform needs a signing key')
    .option('--platform <platform>', `platform of the starter cluster: ${INIT_PLATFORMS.join(', ')}`, 'aks')
    .option('-o, --out <dir>', 'folder to write into (created if missing); no file in it is overwritten', '.')
    .option('--name <name>', 'fleet name: names the Terraform stack and prefixes the starter\'s Azure names', DEFAULT_NAME)
    .action((opts: { platform: string; out: string; name: string }) => {
      if (!(INIT_PLATFORMS as readonly string[]).includes(opts.platform)) {
        command.error(`error: unknown platform '${opts.platform}'\n  fix: --platform takes one of ${INIT_PLATFORMS.join(', ')}`, { exitCode: EXIT_USAGE, code: 'wisynth.unknownPlatform' });
      }
      const nameProblem = fleetNameProblem(opts.name);
      if (nameProblem) command.error(`error: --name ${nameProblem}\n  fix: give a name such as ${DEFAULT_NAME}`, { exitCode: EXIT_USAGE, code: 'wisynth.badName' });
      const platform = opts.platform as InitPlatform;
      const starter = starterFleet(platform, opts.name);
      const target: OutputTarget = { shown: opts.out, path: path.resolve(ctx.cwd, opts.out), kind: 'folder', what: 'starter folder', option: '-o' };
      const shown = (rel: string): string => path.join(opts.out, rel);

      // Generated only once every target is known to be free, and both halves at once.
      let keyPair: { privateKeyPem: string; publicKeyPem: string } | undefined;
      const keys = (): { privateKeyPem: string; publicKeyPem: string } => (keyPair ??= generateSigningKeyPair());
      const keyDir = `keys/${starter.cluster}`;
      const files: StarterFile[] = [
        { rel: 'fleet.yaml', what: `the ${platform} starter fleet: replace the values marked REPLACE`, content: () => starter.text },
        { rel: 'cdktf.json', what: 'for the cdktf CLI: runs wisynth synth -c fleet.yaml', content: () => cdktfJson(opts.name) },
        { rel: 'cdk8s.yaml', what: 'for the cdk8s CLI: runs wisynth synth -c fleet.yaml', content: () => cdk8sYaml() },
        ...(starter.keys
          ? [
              { rel: `${keyDir}/sa.key`, what: 'private signing key (RSA 4096, PKCS#1, mode 0600): keep it secret and never commit it', content: () => keys().privateKeyPem, mode: PRIVATE_KEY_MODE },
              { rel: `${keyDir}/sa.pub`, what: 'public signing key, published in the JWKS', content: () => keys().publicKeyPem },
            ]
          : []),
      ];

      // Every reason not to write, at once, before anything is written.
      const problems = targetIssues([target], ctx.cwd);
      for (const file of files) {
        if (!occupied(path.resolve(target.path, file.rel))) continue;
        problems.push({
          file: shown(file.rel),
          message: 'already exists; wisynth init never overwrites a file, so nothing was written',
          fix: `choose another -o (an empty or new folder), or remove ${shown(file.rel)}`,
        });
      }
      if (problems.length > 0) throw new FleetError(problems);

      ctx.writing = [target];
      for (const file of files) writeOutputFile(path.resolve(target.path, file.rel), file.content(), file.mode);
      ctx.writing = undefined;
      for (const file of files) ctx.out(`wrote ${shown(file.rel)}: ${file.what}`);
      for (const line of nextSteps(platform, starter.cluster, opts.out)) ctx.out(line);
    });
  return onUnexpectedArgument(command, (arg, c) => {
    if ((INIT_PLATFORMS as readonly string[]).includes(arg)) return `did you mean --platform ${arg}?`;
    return given(c, 'out') ? 'init writes into the folder named by -o; --platform and --name choose the starter' : `did you mean -o ${arg}? (init writes into the folder named by -o)`;
  });
}

/** What to run next, from the folder init wrote. */
function nextSteps(platform: InitPlatform, cluster: string, out: string): string[] {
  const lines = ['next:'];
  if (path.normalize(out) !== '.') lines.push(`  cd ${out}`);
  lines.push('  edit fleet.yaml: replace every value marked REPLACE (tenant, subscription, globally unique names)');
  if (platform === 'openshift-hive') {
    lines.push(
      '  # synth needs the release\'s CredentialsRequests, which only oc can extract:',
      `  oc adm release extract --credentials-requests --cloud=azure --to=${STARTER_CREDENTIALS_REQUESTS} ${STARTER_RELEASE_IMAGE}`,
    );
  }
  lines.push('  wisynth synth -c fleet.yaml -o dist', '  wisynth check dist');
  if (platform === 'openshift-hive') {
    lines.push(
      '  # then extract again with the install-config wisynth wrote (the install-config.yaml key of',
      `  # dist/kubernetes/${cluster}/secret_${cluster}_${cluster}-install-config.yaml), and synth again:`,
      `  oc adm release extract --credentials-requests --cloud=azure --included --install-config=install-config.yaml --to=${STARTER_CREDENTIALS_REQUESTS} ${STARTER_RELEASE_IMAGE}`,
    );
  }
  lines.push('then deploy: README "Deploying" (terraform apply, then synth again with --outputs outputs.json --strict)');
  if (platform === 'self-managed' || platform === 'capz') lines.push(`  and README "${platform === 'capz' ? 'Cluster API Provider Azure (CAPZ)' : 'Self-managed clusters'}" for creating the cluster from dist/clusters/${cluster}/`);
  if (platform === 'openshift-hive') lines.push(`  after apply, store keys/${cluster}/sa.key, the pull secret and the installer credentials in the key vault (README "OpenShift on Hive")`);
  return lines;
}
