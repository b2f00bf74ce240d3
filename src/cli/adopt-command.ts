import * as path from 'path';
import { Command } from 'commander';
import { readAksShowFiles } from '../check/aks-show';
import { excerpt } from '../core/excerpt';
import { FleetError, FleetIssue, IssueCollector } from '../core/issues';
import { valueProblem } from '../core/values';
import { readAzFederatedCredentials, readAzIdentities, readAzRoleAssignments } from '../inputs/az-exports';
import { readCcoctlOutput } from '../inputs/ccoctl-output';
import { readCredentialsRequests } from '../openshift/credentials-requests';
import { adoptFleet, IssuerCluster } from './adopt';
import type { CcoctlInput } from './adopt-ccoctl';
import { CliContext } from './context';
import { EXIT_USAGE } from './exit-codes';
import { fleetNameProblem } from './init-templates/fleet';
import { occupied, OutputTarget, targetIssues, writeOutputFile } from './output-target';
import { collect, onUnexpectedArgument } from './usage';

interface AdoptOptions {
  identities: string;
  federatedCredentials: string[];
  roleAssignments: string[];
  aksShow: string[];
  issuer: string[];
  ccoctl: string[];
  credentialsRequests: string[];
  name: string;
  out: string;
}

/**
 * `wisynth adopt --identities FILE [--federated-credentials FILE ...] [--role-assignments FILE ...]
 * [--aks-show FILE ...] [--name NAME] [-o FILE]`: a fleet file of what `az` printed of an existing
 * setup, whose synth imports every resource it maps. Reads files only (wisynth never calls Azure);
 * never overwrites a file.
 */
export function adoptCommand(ctx: CliContext): Command {
  const command = new Command('adopt')
    .description('write a fleet file that takes over an existing setup, from what `az` printed of it: synth then writes a Terraform import block for each identity, FIC and role assignment it maps')
    .requiredOption('--identities <file>', 'what `az identity list --output json` printed (or `-g <group>` for one group)')
    .option('--federated-credentials <file>', 'what `az identity federated-credential list --identity-name <identity> -g <group> --output json` printed; repeatable, one per identity', collect, [])
    .option('--role-assignments <file>', 'what `az role assignment list --all --output json` (or `--assignee <principal id>`) printed; repeatable', collect, [])
    .option('--aks-show <file>', 'what `az aks show -g <group> -n <cluster> --output json` printed; repeatable, one per AKS cluster', collect, [])
    .option('--issuer <cluster=url>', 'a cluster that is not AKS (azwi\'s self-managed clusters, EKS, GKE) by its issuer, byte for byte (`kubectl get --raw /.well-known/openid-configuration`); repeatable', collect, [])
    .option('--ccoctl <dir>', 'the folder `ccoctl azure create-all --output-dir` wrote for an OpenShift cluster; repeatable, each with its --credentials-requests', collect, [])
    .option('--credentials-requests <dir>', 'the CredentialsRequests folder that ccoctl was given (--credentials-requests-dir), one per --ccoctl, in the same order', collect, [])
    .option('--name <name>', 'fleet name: names the Terraform stack', 'adopted')
    .option('-o, --out <file>', 'the fleet file to write; never overwritten', 'fleet.yaml')
    .action((opts: AdoptOptions) => {
      const nameProblem = fleetNameProblem(opts.name);
      if (nameProblem) command.error(`error: --name ${nameProblem}\n  fix: give a name such as adopted`, { exitCode: EXIT_USAGE, code: 'wisynth.badName' });
      const target: OutputTarget = { shown: opts.out, path: path.resolve(ctx.cwd, opts.out), kind: 'file', what: 'fleet file', option: '-o', example: 'fleet.yaml' };
      const taken = occupied(target.path) ? [{ file: opts.out, message: 'already exists; wisynth adopt never overwrites a file, so nothing was written', fix: `choose another -o, or move ${opts.out} away` }] : [];
      const problems = new IssueCollector([...targetIssues([target], ctx.cwd), ...taken]);
      const resolve = (file: string): string => path.resolve(ctx.cwd, file);
      const identities = problems.attempt(() => readAzIdentities(resolve(opts.identities), opts.identities));
      const federatedCredentials = opts.federatedCredentials.flatMap((f) => problems.attempt(() => readAzFederatedCredentials(resolve(f), f)) ?? []);
      const roleAssignments = opts.roleAssignments.flatMap((f) => problems.attempt(() => readAzRoleAssignments(resolve(f), f)) ?? []);
      const aksClusters = problems.attempt(() => readAksShowFiles(opts.aksShow.map(resolve), opts.aksShow));
      const issuerClusters = problems.attempt(() => issuerOptions(opts.issuer));
      if (opts.ccoctl.length !== opts.credentialsRequests.length) {
        command.error(`error: ${opts.ccoctl.length} --ccoctl folder(s) but ${opts.credentialsRequests.length} --credentials-requests folder(s)\n  fix: give each --ccoctl the CredentialsRequests folder ccoctl read, as --credentials-requests, in the same order`, { exitCode: EXIT_USAGE, code: 'wisynth.unpairedCcoctl' });
      }
      const fleetDir = path.dirname(target.path);
      const relative = (p: string) => path.relative(fleetDir, p).split(path.sep).join('/') || '.';
      const ccoctl = opts.ccoctl.flatMap((dir, n): CcoctlInput[] => {
        const output = problems.attempt(() => readCcoctlOutput(resolve(dir), dir));
        if (!output) return [];
        const missing = [output.publicKeyFile === undefined && 'serviceaccount-signer.public', output.signingKeyFile === undefined && 'tls/bound-service-account-signing-key.key'].filter((f): f is string => !!f);
        if (missing.length > 0) {
          problems.attempt(() => {
            throw new FleetError([{ file: dir, message: `holds no ${missing.join(' and no ')}: the signing key's halves ccoctl writes`, fix: 'put the key pair you gave ccoctl (--public-key-file) there under those names, or run adopt on the folder create-all wrote' }]);
          });
          return [];
        }
        const requests = problems.attempt(() => readCredentialsRequests(resolve(opts.credentialsRequests[n]), opts.credentialsRequests[n], { techPreview: false }).requests);
        if (!requests) return [];
        const inDir = (rel: string) => relative(path.join(resolve(dir), rel));
        return [{ output, requests, credentialsRequests: relative(resolve(opts.credentialsRequests[n])), publicKeyFile: inDir(output.publicKeyFile!), signingKeyFile: inDir(output.signingKeyFile!) }];
      });
      problems.throwIfAny();
      if (identities!.length === 0) throw new FleetError([{ file: opts.identities, message: 'lists no identity, so there is nothing to adopt', fix: 'export the group or subscription that holds the identities: `az identity list [-g <group>] --output json`' }]);

      const adopted = adoptFleet({ identities: identities!, federatedCredentials, roleAssignments, aksClusters: aksClusters!, issuerClusters: issuerClusters!, ccoctl, fleetName: opts.name });
      ctx.writing = [target];
      writeOutputFile(target.path, adopted.text);
      ctx.writing = undefined;
      const { counts } = adopted;
      ctx.out(`wrote ${opts.out}: ${counts.identities} identit${counts.identities === 1 ? 'y' : 'ies'}, ${counts.federatedCredentials} FIC(s), ${counts.roleAssignments} role assignment(s) adopted, ${counts.clusters} cluster(s)`);
      for (const u of adopted.unmapped) ctx.err(`warning: not adopted: ${u}`);
      ctx.out('next: read it (each guess is marked), then wisynth synth -c ' + opts.out + ' and terraform plan: it shows imports, and no create or destroy of what exists');
    });
  return onUnexpectedArgument(command, () => 'adopt reads the files named by its options: --identities, --federated-credentials, --role-assignments, --aks-show (and --issuer, --ccoctl for other clusters)');
}

/** `--issuer <cluster>=<url>` values, each part checked as the fleet file checks it. */
function issuerOptions(values: readonly string[]): IssuerCluster[] {
  const issues: FleetIssue[] = [];
  const read = values.flatMap((value) => {
    const at = value.indexOf('=');
    const name = at < 0 ? '' : value.slice(0, at);
    const url = at < 0 ? '' : value.slice(at + 1);
    const nameProblem = valueProblem('clusterName', name);
    const urlProblem = valueProblem('issuerUrl', url);
    const problem = at < 0 ? 'is no <cluster>=<issuer URL>' : nameProblem ? `cluster name ${nameProblem}` : urlProblem && `issuer ${urlProblem}`;
    if (!problem) return [{ name, issuerUrl: url }];
    issues.push({ file: `--issuer ${excerpt(value, 120)}`, message: problem, fix: 'write --issuer <cluster>=<issuer>, e.g. --issuer kind-dev=https://oidcdev.blob.core.windows.net/oidc-test/ (the issuer exactly as the API server states it)' });
    return [];
  });
  if (issues.length > 0) throw new FleetError(issues);
  return read;
}
