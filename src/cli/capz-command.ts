import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { CapzIdentityValues, CapzTemplateError, CLUSTERCTL_IDENTITY_VARIABLES, patchCapzTemplate } from '../kubernetes/capz-template-patch';
import type { FleetPlan } from '../model/fleet-plan';
import { FleetError } from '../model/issues';
import { loadFleetFile } from '../model/load';
import { planFleet } from '../model/plan';
import { writeFile } from '../output/atomic-dir';
import { loadPlanInputs } from '../output/plan-inputs';
import { readTerraformOutputs } from '../output/terraform-outputs';
import { CliContext } from './context';

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
  capz
    .command('patch')
    .description('apply the workload-identity edits to a `clusterctl generate cluster` output, leaving the rest unchanged')
    .argument('<file>', 'the YAML that clusterctl generate cluster wrote (or a CAPZ cluster template)')
    .option('-o, --out <file>', 'write the patched YAML here instead of printing it')
    .option('-c, --config <file>', 'fleet file: write the values of --cluster instead of clusterctl variables')
    .option('--cluster <name>', 'the CAPZ workload cluster of the fleet whose values to write')
    .option('--outputs <file>', 'Terraform outputs after apply, for the CAPZ client id; repeatable', (v: string, p: string[]) => [...p, v], [])
    .option('--strict', 'fail while the client id is still a placeholder')
    .action((file: string, opts: PatchOptions, command: Command) => {
      if ((opts.config === undefined) !== (opts.cluster === undefined)) {
        command.error('error: -c and --cluster go together: give both to write a fleet cluster\'s values, or neither for clusterctl variables', { exitCode: 2 });
      }
      let values = CLUSTERCTL_IDENTITY_VARIABLES;
      if (opts.config !== undefined && opts.cluster !== undefined) {
        const config = path.resolve(ctx.cwd, opts.config);
        ctx.currentFile = { shown: opts.config, path: config };
        const fleet = loadFleetFile(config);
        const outputs = readTerraformOutputs(opts.outputs.map((f) => path.resolve(ctx.cwd, f)));
        values = workloadClusterValues(planFleet(fleet, { outputs, ...loadPlanInputs(fleet) }), opts.cluster, opts.strict === true, ctx.err);
      }
      const input = path.resolve(ctx.cwd, file);
      let patched: ReturnType<typeof patchCapzTemplate>;
      try {
        patched = patchCapzTemplate(fs.readFileSync(input, 'utf8'), values);
      } catch (e) {
        if (!(e instanceof CapzTemplateError)) throw e;
        throw new FleetError([{ file: e.line === undefined ? file : `${file}:${e.line}`, message: e.message, fix: e.fix }]);
      }
      for (const edit of patched.edits) ctx.err(`${file}:${edit.line} ${edit.object}: ${edit.change}`);
      if (patched.edits.length === 0) ctx.err(`${file}: already patched, nothing changed`);
      if (opts.out === undefined) {
        ctx.out(patched.text.replace(/\n$/, ''));
      } else {
        writeFile(path.resolve(ctx.cwd, opts.out), patched.text);
        ctx.err(`wrote ${opts.out}`);
      }
    });
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
