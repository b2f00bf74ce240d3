import { Command, CommanderError } from 'commander';
import { FleetError } from '../model/issues';
import { SynthCheckFailed, SynthInterrupted } from '../output/synthesize';
import { formatFinding } from '../check/check';
import { NotAnOutFolder } from '../check/artifacts';
import { packageVersion } from '../core/project-root';
import { adoptCommand } from './adopt-command';
import { capzCommand } from './capz-command';
import { CheckFailed, checkCommand } from './check-command';
import { CliContext } from './context';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './exit-codes';
import { describeFsError } from './fs-errors';
import { graphCommand } from './graph-command';
import { initCommand } from './init-command';
import { jwksCommand } from './jwks-command';
import { keygenCommand } from './keygen-command';
import { formatIssue, readQuietly } from './report';
import { synthCommand } from './synth-command';
import { refuseUnexpectedArguments, versionWithArguments } from './usage';

export { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './exit-codes';

/** Runs the CLI; returns the exit code instead of exiting, so tests can run it in process. */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = new Command('wisynth')
    .description('Azure Workload Identity, synthesized: Terraform JSON for Azure, YAML for the cluster, from one fleet file')
    .version(packageVersion(), '-V, --version', 'print the version of wisynth')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) })
    .showHelpAfterError('(run wisynth --help for usage)');
  for (const command of [initCommand(ctx), adoptCommand(ctx), synthCommand(ctx), checkCommand(ctx), graphCommand(ctx), jwksCommand(ctx), keygenCommand(ctx), capzCommand(ctx)]) {
    program.addCommand(inheritSettings(command, program));
  }
  refuseUnexpectedArguments(program);
  const versionMisuse = versionWithArguments(argv);
  if (versionMisuse) {
    ctx.err(`${versionMisuse}\n(run wisynth --help for usage)`);
    return EXIT_USAGE;
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

/**
 * Errors that other layers raise for a user to correct: each is printed as its message and a fix, with
 * its exit code. A new error class a user can correct gets a line here (its message names the path and
 * what is wrong; the fix says what to do), so it never ends as "failed unexpectedly".
 */
const USER_ERRORS: ReadonlyArray<{ readonly type: abstract new (...args: never[]) => Error; readonly exit: number; readonly fix: (e: Error) => string }> = [
  { type: NotAnOutFolder, exit: EXIT_USAGE, fix: () => 'name the folder wisynth synth wrote (-o, default dist)' },
  // FleetErrors (bounded reads, strict values, OUT ownership and its lock) are printed with their issues above.
];

function report(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // Help and version end here too, with code 0.
    if (e.exitCode === 0) return EXIT_OK;
    // Commander shows the help, but says nothing, when a command line names no command to run.
    if (e.code === 'commander.help') ctx.err('error: no command to run: wisynth needs a command such as synth or check (capz needs patch)\n  fix: run wisynth --help for the commands, or wisynth help <command> for one');
    return EXIT_USAGE;
  }
  if (e instanceof CheckFailed) return EXIT_INVALID;
  if (e instanceof SynthInterrupted) {
    ctx.err(`wisynth: ${e.message}`);
    return e.exitCode;
  }
  if (e instanceof SynthCheckFailed) {
    for (const f of e.report.findings.filter((f) => f.severity === 'error')) ctx.err(formatFinding(f));
    ctx.err(`${e.report.errors} error(s) in the synthesized files; nothing was written. The fleet passed the plan's checks, so this is a bug in wisynth: please report it (--no-check writes the files to inspect)`);
    return EXIT_INVALID;
  }
  if (e instanceof FleetError) {
    const text = ctx.currentFile ? readQuietly(ctx.currentFile.path) : undefined;
    for (const issue of e.issues) ctx.err(formatIssue(issue, ctx.currentFile?.shown, text));
    ctx.err(`${e.issues.length} problem(s); nothing was written`);
    return EXIT_INVALID;
  }
  const known = USER_ERRORS.find((k) => e instanceof k.type);
  if (known) {
    const err = e as Error;
    ctx.err(`error: ${err.message}\n  fix: ${known.fix(err)}`);
    return known.exit;
  }
  // Reading or writing failed: the disk, the permissions or the paths given are wrong, not wisynth.
  const fsProblem = describeFsError(e, { cwd: ctx.cwd, writing: ctx.writing, reading: ctx.currentFile });
  if (fsProblem) {
    ctx.err(`error: ${fsProblem.file}: ${fsProblem.message}\n  fix: ${fsProblem.fix}`);
    if (ctx.env.WISYNTH_DEBUG) ctx.err(String((e as Error).stack));
    return EXIT_INVALID;
  }
  const err = e as Error | undefined;
  ctx.err(`wisynth failed unexpectedly: ${err?.message ?? String(e)}`);
  ctx.err(ctx.env.WISYNTH_DEBUG ? String(err?.stack) : 'set WISYNTH_DEBUG=1 for the stack trace, and please report it');
  return EXIT_INVALID;
}
