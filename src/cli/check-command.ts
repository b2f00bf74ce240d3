import * as path from 'path';
import { Command } from 'commander';
import { readAksShowFiles } from '../check/aks-show';
import { checkOut, formatFinding } from '../check/check';
import { CliContext } from './context';
import { collect, looksLike, onUnexpectedArgument } from './usage';

/** Thrown to end a command with exit code 1 after it has reported why. */
export class CheckFailed extends Error {}

export function checkCommand(ctx: CliContext): Command {
  const command = new Command('check')
    .description('read a synthesized OUT folder back from disk and prove both sides agree (issuers, subjects, audiences, keys, ...)')
    .argument('<out>', 'the output folder of wisynth synth, or a checkout of one')
    .option('--json', 'print the findings as JSON on stdout')
    .option('--strict', 'placeholders left in the files are errors, not warnings')
    .option('--aks-show <file>', 'what `az aks show --output json` printed for an AKS cluster of OUT, compared with it; repeatable', collect, [])
    .action((out: string, opts: { json?: boolean; strict?: boolean; aksShow: string[] }) => {
      const aksShow = readAksShowFiles(opts.aksShow.map((f) => path.resolve(ctx.cwd, f)), opts.aksShow);
      const report = checkOut(path.resolve(ctx.cwd, out), { strict: opts.strict, aksShow });
      if (opts.json) ctx.out(JSON.stringify(report, null, 2));
      else {
        for (const f of report.findings) ctx.err(formatFinding(f));
        ctx.out(`check ${out}: ${report.ok ? 'passed' : 'FAILED'}, ${report.errors} error(s), ${report.warnings} warning(s)`);
      }
      if (!report.ok) throw new CheckFailed();
    });
  return onUnexpectedArgument(command, (arg) =>
    looksLike(arg, '.json') ? `did you mean --aks-show ${arg}? (check compares what \`az aks show\` printed when given with --aks-show)` : 'check reads one OUT folder: run wisynth check once per folder',
  );
}
