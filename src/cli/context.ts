import * as path from 'path';
import { PROJECT_ROOT } from '../core/project-root';
import type { OutputTarget } from './output-target';

/** The embedded example fleet, synthesized when no -c is given. */
export const EXAMPLE_FLEET = path.join(PROJECT_ROOT, 'examples', 'fleet.yaml');

/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /** The fleet file being read, so errors can point into it: as the user named it, and where it is. */
  currentFile?: { readonly shown: string; readonly path: string };
  /** What the command writes, set when it starts writing, so a file-system error names it and the option to change. */
  writing?: readonly OutputTarget[];
}
