import { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes';

/**
 * What to suggest for an argument a command does not take: gets the first unexpected argument and
 * the command (its options as parsed so far); returns the fix line.
 */
export type UnexpectedArgumentHint = (argument: string, command: Command) => string;

const hints = new WeakMap<Command, UnexpectedArgumentHint>();

/** Registers the fix `wisynth <command> ... <unexpected argument>` prints. */
export function onUnexpectedArgument(command: Command, hint: UnexpectedArgumentHint): Command {
  hints.set(command, hint);
  return command;
}

/** The commander error code of an argument no command takes. */
export const UNEXPECTED_ARGUMENT = 'wisynth.unexpectedArgument';
export const REPEATED_OPTION = 'wisynth.repeatedOption';

/**
 * Makes every argument a command does not declare a usage error (exit 2) that names it and the fix,
 * on `program` and every command below it: commander 12 ignores extra positional arguments (so
 * `wisynth synth fleet.yaml` synthesized the embedded example), and keeps only the last of an option
 * given twice (`-c a.yaml -c b.yaml`). Options that collect values (their default is a list: variadic
 * or repeatable such as `--outputs`) may be repeated.
 */
export function refuseUnexpectedArguments(program: Command): void {
  program.hook('preAction', (_program, command) => {
    const declared = command.registeredArguments;
    if (declared.some((a) => a.variadic)) return;
    const extra = command.args.slice(declared.length);
    if (extra.length === 0) return;
    const name = commandPath(command);
    const takes = declared.length === 0 ? 'takes no positional arguments' : `takes ${declared.length === 1 ? 'one' : declared.length} positional argument${declared.length === 1 ? '' : 's'} (${declared.map((a) => `<${a.name()}>`).join(' ')})`;
    const hint = hints.get(command);
    // Only after `--` can an argument that starts with "-" be a positional one.
    const fix = extra[0].startsWith('-')
      ? `"--" ends the options: remove it to give ${extra[0]} as an option`
      : hint
        ? hint(extra[0], command)
        : `remove ${extra.map(quote).join(' ')}`;
    command.error(
      `error: unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map(quote).join(' ')}: ${name} ${takes}\n  fix: ${fix}`,
      { exitCode: EXIT_USAGE, code: UNEXPECTED_ARGUMENT },
    );
  });
  forEachCommand(program, refuseRepeatedOptions);
}

function refuseRepeatedOptions(command: Command): void {
  for (const option of command.options) {
    if (!(option.required || option.optional) || option.variadic || Array.isArray(option.defaultValue)) continue;
    const given: string[] = [];
    command.on(`option:${option.name()}`, (value: string) => {
      given.push(value);
      if (given.length < 2) return;
      command.error(
        `error: option '${option.flags}' is given ${given.length} times (${given.map(quote).join(', ')}): ${commandPath(command)} takes one\n  fix: give it once`,
        { exitCode: EXIT_USAGE, code: REPEATED_OPTION },
      );
    });
  }
}

function forEachCommand(command: Command, f: (c: Command) => void): void {
  f(command);
  for (const sub of command.commands) forEachCommand(sub, f);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function quote(s: string): string {
  return `'${s}'`;
}

/**
 * `wisynth --version` takes nothing else: commander prints the version as soon as it sees the flag and
 * ignores the rest (`wisynth --version synth`). Returns the usage error for such a command line.
 */
export function versionWithArguments(argv: readonly string[]): string | undefined {
  if (argv.length < 2 || (argv[0] !== '--version' && argv[0] !== '-V')) return undefined;
  const extra = argv.slice(1);
  return `error: unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map(quote).join(' ')}: wisynth ${argv[0]} takes no arguments\n  fix: run wisynth ${argv[0]} alone`;
}

/** Whether the user gave an option (rather than it having its default). */
export function given(command: Command, option: string): boolean {
  const source = command.getOptionValueSource(option);
  return source !== undefined && source !== 'default';
}

/** Whether an argument names a file of one of these kinds, by its extension. */
export function looksLike(argument: string, ...extensions: string[]): boolean {
  return extensions.some((ext) => argument.toLowerCase().endsWith(ext));
}

/** Commander's argument parser of a repeatable option: every value given, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
