import { Command, CommanderError } from 'commander';
import { FleetError } from '../model/issues';
import { ReplaceRefused } from '../output/atomic-dir';
import { SynthCheckFailed } from '../output/synthesize';
import { formatFinding } from '../check/check';
import { NotAnOutFolder } from '../check/artifacts';
import { capzCommand } from './capz-command';
import { CheckFailed, checkCommand } from './check-command';
import { CliContext } from './context';
import { graphCommand } from './graph-command';
import { jwksCommand } from './jwks-command';
import { keygenCommand } from './keygen-command';
import { formatIssue, readQuietly } from './report';
import { synthCommand } from './synth-command';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** Runs the CLI; returns the exit code instead of exiting, so tests can run it in process. */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = new Command('wisynth')
    .description('Azure Workload Identity, synthesized: Terraform JSON for Azure, YAML for the cluster, from one fleet file')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) })
    .showHelpAfterError('(run wisynth --help for usage)');
  for (const command of [synthCommand(ctx), checkCommand(ctx), graphCommand(ctx), jwksCommand(ctx), keygenCommand(ctx), capzCommand(ctx)]) {
    program.addCommand(inheritSettings(command, program));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    return report(e, ctx);
  }
}

/** addCommand does not pass on the program's settings as .command() does: copy them down, so usage errors reach ctx.err. */
function inheritSettings(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub, command);
  return command;
}

function report(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // Help and version end here too, with code 0.
    return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (e instanceof CheckFailed) return EXIT_INVALID;
  if (e instanceof SynthCheckFailed) {
    for (const f of e.report.findings.filter((f) => f.severity === 'error')) ctx.err(formatFinding(f));
    ctx.err(`${e.report.errors} error(s) in the synthesized files; nothing was written. The fleet passed the plan's checks, so this is a bug in wisynth: please report it (--no-check writes the files to inspect)`);
    return EXIT_INVALID;
  }
  if (e instanceof NotAnOutFolder) {
    ctx.err(`error: ${e.message}\n  fix: name the folder wisynth synth wrote (-o, default dist)`);
    return EXIT_USAGE;
  }
  if (e instanceof FleetError) {
    const text = ctx.currentFile ? readQuietly(ctx.currentFile.path) : undefined;
    for (const issue of e.issues) ctx.err(formatIssue(issue, ctx.currentFile?.shown, text));
    ctx.err(`${e.issues.length} problem(s); nothing was written`);
    return EXIT_INVALID;
  }
  const err = e as NodeJS.ErrnoException;
  if (e instanceof ReplaceRefused) {
    ctx.err(`error: ${err.message}\n  fix: choose an empty or new output folder with -o`);
    return EXIT_INVALID;
  }
  if (err?.code === 'ENOENT' && err.path) {
    ctx.err(`error: ${err.path}: file not found\n  fix: check the path (relative paths are taken from ${ctx.cwd})`);
    return EXIT_INVALID;
  }
  if (err?.code === 'EACCES' && err.path) {
    ctx.err(`error: ${err.path}: permission denied\n  fix: check the file's and folder's permissions`);
    return EXIT_INVALID;
  }
  ctx.err(`wisynth failed unexpectedly: ${err?.message ?? String(e)}`);
  ctx.err(ctx.env.WISYNTH_DEBUG ? String(err?.stack) : 'set WISYNTH_DEBUG=1 for the stack trace, and please report it');
  return EXIT_INVALID;
}
