import * as path from 'path';
import { Command } from 'commander';
import { readArtifacts } from '../check/artifacts';
import { TrustModel } from '../check/trust';
import { trustGraphMarkdown } from '../graph/trust-graph';
import { FleetError } from '../model/issues';
import { CliContext } from './context';
import { OutputTarget, targetIssues, writeOutputFile } from './output-target';
import { onUnexpectedArgument } from './usage';

export const GRAPH_FILE = 'graph.md';

/** `wisynth graph OUT`: OUT/graph.md, the trust chains of every cluster as Mermaid diagrams, read back from OUT. */
export function graphCommand(ctx: CliContext): Command {
  const command = new Command('graph')
    .description(`write OUT/${GRAPH_FILE}: per cluster, a Mermaid diagram of issuer → FICs → identities → roles and service account → FIC, read from the files of OUT`)
    .argument('<out>', 'output folder of wisynth synth (the one with summary.json)')
    .action((out: string) => {
      const dir = path.resolve(ctx.cwd, out);
      // NotAnOutFolder when OUT is no synth output: main reports it as a usage error.
      const artifacts = readArtifacts(dir);
      const target: OutputTarget = { shown: path.join(out, GRAPH_FILE), path: path.join(dir, GRAPH_FILE), kind: 'file', what: 'graph', option: 'OUT' };
      const problems = targetIssues([target], ctx.cwd);
      if (problems.length > 0) throw new FleetError(problems);
      for (const problem of artifacts.problems) ctx.err(`warning: ${problem.message}; the graph leaves it out`);
      const text = trustGraphMarkdown(new TrustModel(artifacts));
      ctx.writing = [target];
      // Written beside and renamed over: a reader never sees half a file.
      writeOutputFile(target.path, text);
      ctx.out(`wrote ${target.shown}`);
    });
  return onUnexpectedArgument(command, () => 'graph reads one OUT folder: run wisynth graph once per folder');
}
