/** The vocabulary of user-correctable problems, shared by every layer. */

/** A location in the fleet file: keys and list indexes from its root, e.g. ['clusters', 0, 'name']. */
export type SourcePath = ReadonlyArray<string | number>;

/** One thing wrong with a fleet, said so that a user can fix it. */
export interface FleetIssue {
  /** The file at fault when it is not the fleet file (an outputs file, a key). */
  readonly file?: string;
  /** Where in the fleet file, when the fleet came from one. */
  readonly source?: SourcePath;
  /** 1-based line and column, when the parser knows them (syntax errors). */
  readonly line?: number;
  readonly column?: number;
  /** Construct path of the object at fault, for fleets built in code. */
  readonly construct?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Raised for input a user can correct; carries every issue found, not just the first. */
export class FleetError extends Error {
  constructor(public readonly issues: readonly FleetIssue[]) {
    super(issues.map((i) => `${i.construct ? i.construct + ': ' : ''}${i.message} (fix: ${i.fix})`).join('\n'));
    this.name = 'FleetError';
  }
}

/**
 * Gathers the problems of independent steps so that one run reports them all: each `attempt` runs a
 * step, keeping the issues of its FleetError and going on; `throwIfAny` ends with every one of them.
 */
export class IssueCollector {
  private readonly issues: FleetIssue[];

  constructor(first: readonly FleetIssue[] = []) {
    this.issues = [...first];
  }

  /** The step's result, or undefined when it raised a FleetError, whose issues are kept (and handed to `failed`). */
  attempt<T>(step: () => T, failed?: (e: FleetError) => void): T | undefined {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      this.issues.push(...e.issues);
      failed?.(e);
      return undefined;
    }
  }

  /** How many problems were kept so far. */
  get count(): number {
    return this.issues.length;
  }

  /** Ends with every problem kept, if there is one. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new FleetError(this.issues);
  }
}

/** Renders a source path the way a user reads it: clusters[0].workloads[1].identity */
export function formatSourcePath(path: SourcePath): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}
