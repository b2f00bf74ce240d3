import * as path from 'path';
import { Command } from 'commander';
import { loadFleetFile } from '../model/load';
import { readTerraformOutputs } from '../output/terraform-outputs';
import { synthesizeFleet } from '../output/synthesize';
import { CliContext, EXAMPLE_FLEET } from './context';

export function synthCommand(ctx: CliContext): Command {
  return new Command('synth')
    .description('synthesize Terraform JSON, Kubernetes YAML and the rest of OUT from a fleet file')
    .option('-c, --config <file>', 'fleet file (default: the embedded example)')
    .option('-o, --out <dir>', 'output folder, replaced as a whole', 'dist')
    .option('--outputs <file>', 'Terraform outputs after apply (cdktf --outputs-file or terraform output -json); repeatable', collect, [])
    .option('--strict', 'fail while any value is still a placeholder')
    .option('--no-check', 'skip wisynth check on the written files')
    .action((opts: { config?: string; out: string; outputs: string[]; strict?: boolean; check: boolean }) => {
      const config = opts.config ? path.resolve(ctx.cwd, opts.config) : EXAMPLE_FLEET;
      ctx.currentFile = { shown: opts.config ?? path.relative(ctx.cwd, EXAMPLE_FLEET), path: config };
      const fleet = loadFleetFile(config);
      const summary = synthesizeFleet(fleet, {
        outDir: path.resolve(ctx.cwd, opts.out),
        outputs: readTerraformOutputs(opts.outputs.map((f) => path.resolve(ctx.cwd, f))),
        strict: opts.strict,
        terraformDir: ctx.env.CDKTF_OUTDIR && path.resolve(ctx.cwd, ctx.env.CDKTF_OUTDIR),
        kubernetesDir: ctx.env.CDK8S_OUTDIR && path.resolve(ctx.cwd, ctx.env.CDK8S_OUTDIR),
        check: opts.check,
      });
      for (const warning of summary.warnings) ctx.err(`warning: ${warning}`);
      ctx.out(`wrote ${opts.out}: ${summary.stacks.length} Terraform stack(s), ${summary.clusters.length} cluster folder(s), ${summary.files.length} files`);
      for (const s of summary.skippedCredentialsRequests) ctx.out(`${s.cluster}: skipped CredentialsRequest ${s.name} (${s.file}): ${s.reason}`);
      if (summary.placeholders.length > 0) {
        ctx.out(`${summary.placeholders.length} value(s) are placeholders until apply (listed in summary.json):`);
        for (const p of summary.placeholders) ctx.out(`  ${p.output}`);
        ctx.out('after apply: synth again with --outputs <outputs file> --strict');
      }
      if (summary.check) ctx.out(`check ${opts.out}: passed, ${summary.check.warnings} warning(s)${summary.check.warnings > 0 ? ` (wisynth check ${opts.out} lists them)` : ''}`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
