import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { readArtifacts } from '../check/artifacts';
import { TrustModel } from '../check/trust';
import { trustGraphMarkdown } from '../graph/trust-graph';
import { CliContext } from './context';

export const GRAPH_FILE = 'graph.md';

/** `wisynth graph OUT`: OUT/graph.md, the trust chains of every cluster as Mermaid diagrams, read back from OUT. */
export function graphCommand(ctx: CliContext): Command {
  return new Command('graph')
    .description(`write OUT/${GRAPH_FILE}: per cluster, a Mermaid diagram of issuer → FICs → identities → roles and service account → FIC, read from the files of OUT`)
    .argument('<out>', 'output folder of wisynth synth (the one with summary.json)')
    .action((out: string) => {
      const dir = path.resolve(ctx.cwd, out);
      // NotAnOutFolder when OUT is no synth output: main reports it as a usage error.
      const artifacts = readArtifacts(dir);
      for (const problem of artifacts.problems) ctx.err(`warning: ${problem.message}; the graph leaves it out`);
      const text = trustGraphMarkdown(new TrustModel(artifacts));
      const file = path.join(dir, GRAPH_FILE);
      // Written beside and renamed over: a reader never sees half a file.
      const temp = path.join(dir, `.${GRAPH_FILE}.tmp-${process.pid}`);
      try {
        fs.writeFileSync(temp, text);
        fs.renameSync(temp, file);
      } catch (e) {
        fs.rmSync(temp, { force: true });
        throw e;
      }
      ctx.out(`wrote ${path.join(out, GRAPH_FILE)}`);
    });
}
