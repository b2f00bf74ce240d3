import * as path from 'path';
import { Command } from 'commander';
import { CapzIdentityValues, CapzTemplateError, patchCapzTemplate } from '../kubernetes/capz-template-patch';
import type { FleetPlan } from '../model/fleet-plan';
import { FleetError } from '../model/issues';
import { loadFleetFile, planFleet } from '../platforms';
import { loadPlanInputs } from '../output/plan-inputs';
import { readTerraformOutputs } from '../output/terraform-outputs';
import { INPUT_LIMITS } from '../inputs/limits';
import { readInputFile } from '../inputs/read-file';
import { CliContext } from './context';
import { OutputTarget, targetIssues, writeOutputFile } from './output-target';
import { IssueCollector } from '../core/issues';
import { given, onUnexpectedArgument } from './usage';

const CAPZ_INPUT_FIX = 'give the YAML that `clusterctl generate cluster` wrote (or a CAPZ cluster template), as a regular file';

interface PatchOptions {
  out?: string;
  config?: string;
  cluster?: string;
  outputs: string[];
  strict?: boolean;
}

/** `wisynth capz patch FILE`: the workload-identity edits to what `clusterctl generate cluster` wrote. */
export function capzCommand(ctx: CliContext): Command {
  const capz = new Command('capz').description('Cluster API Provider Azure helpers');
  const patch = capz
    .command('patch')
    .description('apply the workload-identity edits to a `clusterctl generate cluster` output, leaving the rest unchanged')
    .argument('<file>', 'the YAML that clusterctl generate cluster wrote (or a CAPZ cluster template)')
    .option('-o, --out <file>', 'write the patched YAML here instead of printing it')
    .option('-c, --config <file>', 'fleet file: write the values of --cluster instead of clusterctl variables (needed for a rendered file)')
    .option('--cluster <name>', 'the CAPZ workload cluster of the fleet whose values to write')
    .option('--outputs <file>', 'Terraform outputs after apply, for the CAPZ client id; repeatable', (v: string, p: string[]) => [...p, v], [])
    .option('--strict', 'fail while the client id is still a placeholder')
    .action((file: string, opts: PatchOptions, command: Command) => {
      if ((opts.config === undefined) !== (opts.cluster === undefined)) {
        command.error('error: -c and --cluster go together: give both to write a fleet cluster\'s values, or neither for clusterctl variables', { exitCode: 2 });
      }
      const target: OutputTarget | undefined =
        opts.out === undefined ? undefined : { shown: opts.out, path: path.resolve(ctx.cwd, opts.out), kind: 'file', what: 'patched YAML', option: '-o', example: 'cluster.yaml' };
      const input = path.resolve(ctx.cwd, file);
      // Every problem of the output, the fleet and the input comes out in one run.
      const problems = new IssueCollector(target ? targetIssues([target], ctx.cwd) : []);
      // none: the template keeps its clusterctl variables (a rendered file is refused)
      let values: CapzIdentityValues | undefined;
      if (opts.config !== undefined && opts.cluster !== undefined) {
        const { config, cluster } = opts;
        ctx.currentFile = { shown: config, path: path.resolve(ctx.cwd, config) };
        const fleet = problems.attempt(() => loadFleetFile(ctx.currentFile!.path));
        const outputs = problems.attempt(() => readTerraformOutputs(opts.outputs.map((f) => path.resolve(ctx.cwd, f)), opts.outputs));
        if (fleet && outputs) values = problems.attempt(() => workloadClusterValues(planFleet(fleet, { outputs, ...loadPlanInputs(fleet) }), cluster, opts.strict === true, ctx.err)) ?? values;
      }
      const text = problems.attempt(() => readInputFile(input, { what: 'capz patch input', limit: INPUT_LIMITS.capzTemplateBytes, fix: CAPZ_INPUT_FIX }, file));
      problems.throwIfAny();
      let patched: ReturnType<typeof patchCapzTemplate>;
      try {
        patched = patchCapzTemplate(text!, values);
      } catch (e) {
        if (!(e instanceof CapzTemplateError)) throw e;
        throw new FleetError([{ file: e.line === undefined ? file : `${file}:${e.line}`, message: e.message, fix: e.fix }]);
      }
      for (const edit of patched.edits) ctx.err(`${file}:${edit.line} ${edit.object}: ${edit.change}`);
      if (patched.edits.length === 0) ctx.err(`${file}: already patched, nothing changed`);
      if (target === undefined) {
        ctx.out(patched.text.replace(/\n$/, ''));
      } else {
        ctx.writing = [target];
        writeOutputFile(target.path, patched.text);
        ctx.err(`wrote ${target.shown}`);
      }
    });
  onUnexpectedArgument(patch, (arg, c) =>
    given(c, 'out') ? 'capz patch edits one file: run it once per file' : `did you mean -o ${arg}? (capz patch reads one file and writes the patched YAML to -o, or prints it)`,
  );
  return capz;
}

/** The values of a workload cluster declared under a CAPZ management cluster of the fleet. */
function workloadClusterValues(plan: FleetPlan, name: string, strict: boolean, warn: (line: string) => void): CapzIdentityValues {
  const found = plan.clusters.flatMap((c) => (c.capz ? c.capz.workloadClusters.map((w) => ({ capz: c.capz!, w })) : [])).filter(({ w }) => w.name === name);
  if (found.length === 0) {
    const known = plan.clusters.flatMap((c) => c.capz?.workloadClusters.map((w) => w.name) ?? []);
    throw new FleetError([{ source: ['clusters'], message: `no CAPZ workload cluster is named "${name}"`, fix: known.length ? `use one of: ${known.join(', ')}` : 'declare it under capz.workloadClusters of a capz cluster' }]);
  }
  if (found.length > 1) {
    throw new FleetError([{ source: ['clusters'], message: `${found.length} CAPZ workload clusters are named "${name}"`, fix: 'give each workload cluster its own name to patch its template' }]);
  }
  const { capz, w } = found[0];
  if (capz.clientId.pending) {
    const message = `the client id of identity ${capz.identity} is known only after apply: clientID is written as ${capz.clientId.value}`;
    if (strict) throw new FleetError([{ source: ['clusters'], message, fix: 'apply the Terraform stack, then pass --outputs <outputs file>' }]);
    warn(`warning: ${message}; after apply, patch again with --outputs <outputs file>`);
  }
  return { tenantId: capz.tenantId, clientId: capz.clientId.value, nodeIdentityProviderId: w.nodeIdentityProviderId };
}
