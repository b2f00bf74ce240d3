import * as path from 'path';
import { Command } from 'commander';
import type { Fleet } from '../model/fleet';
import { IncompleteFleet } from '../model/load';
import { loadFleetFile } from '../platforms';
import { planFromDisk } from '../output/plan-inputs';
import { readTerraformOutputs } from '../output/terraform-outputs';
import { cacheDirFrom } from '../output/cache-file';
import { synthesizeFleetAsync } from '../output/synthesize';
import { CliContext, EXAMPLE_FLEET } from './context';
import { OutputTarget, targetIssues } from './output-target';
import { IssueCollector } from '../core/issues';
import { collect, given, looksLike, onUnexpectedArgument } from './usage';

export function synthCommand(ctx: CliContext): Command {
  const command = new Command('synth')
    .description('synthesize Terraform JSON, Kubernetes YAML and the rest of OUT from a fleet file')
    .option('-c, --config <file>', 'fleet file (default: the embedded example)')
    .option('-o, --out <dir>', 'output folder, replaced as a whole', 'dist')
    .option('--outputs <file>', 'Terraform outputs after apply (cdktf --outputs-file or terraform output -json); repeatable', collect, [])
    .option('--strict', 'fail while any value is still a placeholder')
    .option('--no-check', 'skip wisynth check on the written files')
    .option('--no-cache', 'render every part of OUT, taking none unchanged from the previous synth (the cache is in WISYNTH_CACHE_DIR, else ~/.cache/wisynth)')
    .action(async (opts: { config?: string; out: string; outputs: string[]; strict?: boolean; check: boolean; cache: boolean }) => {
      const config = opts.config ? path.resolve(ctx.cwd, opts.config) : EXAMPLE_FLEET;
      ctx.currentFile = { shown: opts.config ?? path.relative(ctx.cwd, EXAMPLE_FLEET), path: config };
      const targets = synthTargets(ctx, opts.out);
      const outputsFiles = opts.outputs.map((f) => path.resolve(ctx.cwd, f));
      // A wrong OUT is reported together with the problems of the inputs, before any work.
      const problems = new IssueCollector(targetIssues(targets, ctx.cwd));
      let partial: Fleet | undefined;
      const fleet = problems.attempt(() => loadFleetFile(config), (e) => (partial = e instanceof IncompleteFleet ? e.partial : undefined));
      const outputs = problems.attempt(() => readTerraformOutputs(outputsFiles, opts.outputs));
      // Every problem in one run: the inputs and the plan of what could be built are read too.
      const planned = fleet ?? partial;
      if (problems.count > 0 && planned) problems.attempt(() => planFromDisk(planned, outputs));
      problems.throwIfAny();
      ctx.writing = targets;
      const summary = await synthesizeFleetAsync(fleet!, {
        fleetFile: config,
        outputsFiles,
        outDir: targets[0].path,
        outputs,
        strict: opts.strict,
        terraformDir: targets.find((t) => t.option === 'CDKTF_OUTDIR')?.path,
        kubernetesDir: targets.find((t) => t.option === 'CDK8S_OUTDIR')?.path,
        check: opts.check,
        cacheDir: cacheDirFrom(ctx.env),
        reuse: opts.cache,
      });
      ctx.writing = undefined;
      for (const warning of summary.warnings) ctx.err(`warning: ${warning}`);
      ctx.out(`wrote ${opts.out}: ${summary.stacks.length} Terraform stack(s), ${summary.clusters.length} cluster folder(s), ${summary.files.length} files`);
      if (summary.cache && summary.cache.reused > 0) ctx.out(`${summary.cache.reused} of ${summary.cache.parts} parts were unchanged and taken from the previous synth (--no-cache renders all)`);
      for (const s of summary.skippedCredentialsRequests) ctx.out(`${s.cluster}: skipped CredentialsRequest ${s.name} (${s.file}): ${s.reason}`);
      if (summary.placeholders.length > 0) {
        ctx.out(`${summary.placeholders.length} value(s) are placeholders until apply (listed in summary.json):`);
        for (const p of summary.placeholders) ctx.out(`  ${p.output}`);
        ctx.out('after apply: synth again with --outputs <outputs file> --strict');
      }
      if (summary.check) ctx.out(`check ${opts.out}: passed, ${summary.check.warnings} warning(s)${summary.check.warnings > 0 ? ` (wisynth check ${opts.out} lists them)` : ''}`);
    });
  return onUnexpectedArgument(command, (arg, c) => {
    if (looksLike(arg, '.yaml', '.yml') && !given(c, 'config')) return `did you mean -c ${arg}? (synth reads the fleet file named by -c)`;
    if (looksLike(arg, '.json') && given(c, 'config')) return `did you mean --outputs ${arg}? (Terraform outputs after apply are read with --outputs)`;
    if (!given(c, 'out') && !looksLike(arg, '.yaml', '.yml', '.json')) return `did you mean -o ${arg}? (synth writes the folder named by -o)`;
    return 'name the fleet file with -c, the output folder with -o, and outputs files with --outputs';
  });
}

/** OUT, and the parts of it that cdktf's and cdk8s's variables move elsewhere. */
function synthTargets(ctx: CliContext, out: string): OutputTarget[] {
  const targets: OutputTarget[] = [{ shown: out, path: path.resolve(ctx.cwd, out), kind: 'replaced-folder', what: 'output folder', option: '-o' }];
  for (const [variable, what] of [['CDKTF_OUTDIR', 'Terraform folder'], ['CDK8S_OUTDIR', 'Kubernetes folder']] as const) {
    const value = ctx.env[variable];
    if (value) targets.push({ shown: `${variable}=${value}`, path: path.resolve(ctx.cwd, value), kind: 'replaced-folder', what, option: variable });
  }
  return targets;
}
