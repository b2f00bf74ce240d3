import { INPUT_KINDS } from '../inputs/kinds';
import { readInputFile } from '../inputs/read-file';
import { FleetIssue, formatSourcePath } from '../model/issues';
import { positionOf } from '../model/source-lines';

/** The file an issue is about, as a user reads it: `fleet.yaml:14:9 clusters[0].name: ...` plus a fix line. */
export function formatIssue(issue: FleetIssue, fleetFile?: string, fleetText?: string): string {
  const file = issue.file ?? fleetFile;
  let where = file ?? '';
  if (!issue.file && fleetText !== undefined) {
    const pos = issue.line !== undefined ? { line: issue.line, column: issue.column ?? 1 } : issue.source ? positionOf(fleetText, issue.source) : undefined;
    if (pos) where += `:${pos.line}:${pos.column}`;
  }
  const field = issue.source && issue.source.length > 0 ? formatSourcePath(issue.source) : issue.construct;
  const head = [where, field].filter(Boolean).join(' ');
  return `error: ${head ? `${head}: ` : ''}${issue.message}\n  fix: ${issue.fix}`;
}

/**
 * Reads a fleet file's text for positions, or nothing when it is not readable (the loader reports that):
 * as bounded as the loader's read, since it runs on the error path of a file that may be /dev/zero or a FIFO.
 */
export function readQuietly(file: string): string | undefined {
  try {
    return readInputFile(file, INPUT_KINDS.fleet);
  } catch {
    return undefined;
  }
}
