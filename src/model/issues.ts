import { IConstruct } from 'constructs';
import { FleetIssue, SourcePath } from '../core/issues';

export { FleetError, formatSourcePath } from '../core/issues';
export type { FleetIssue, SourcePath } from '../core/issues';

const sources = new WeakMap<IConstruct, SourcePath>();

/** Remembers which part of the fleet file a construct was built from (used by the YAML front-end). */
export function recordSource(construct: IConstruct, path: SourcePath): void {
  sources.set(construct, path);
}

export function sourceOf(construct: IConstruct): SourcePath | undefined {
  return sources.get(construct);
}

/** An issue about one field of a construct: names its construct path and, when known, its place in the file. */
export function issueAt(construct: IConstruct, field: SourcePath, message: string, fix: string): FleetIssue {
  const base = sourceOf(construct);
  return {
    construct: construct.node.path || '(fleet)',
    source: base ? [...base, ...field] : undefined,
    message,
    fix,
  };
}
