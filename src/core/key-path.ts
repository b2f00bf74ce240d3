/**
 * A key path into a JSON value, `spec.template[0].name`: kept as segments while a walk goes (pushed and
 * popped, nothing allocated per value), formatted only for what it finds.
 */
export type KeyPath = Array<string | number>;

/** The segments after `root`: keys joined by `.`, list indexes as `[i]`, no `.` before a first key. */
export function formatKeyPath(segments: readonly (string | number)[], root = ''): string {
  let out = root;
  for (const segment of segments) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out;
}

/** What a walk does at each value: `entry` at a mapping's entry (its key last in the path; false: not into its value), `leaf` at any other value. */
export interface KeyPathVisitor {
  readonly entry?: (key: string, inner: unknown, path: KeyPath) => boolean | void;
  readonly leaf?: (value: unknown, path: KeyPath) => void;
}

/** Visits every value of `value`, depth first, in key order, with its key path; `isMapping` says which objects are mappings. */
export function walkKeyPaths(value: unknown, visitor: KeyPathVisitor, isMapping: (v: unknown) => v is Record<string, unknown>): void {
  const path: KeyPath = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
    } else if (isMapping(v)) {
      for (const key of Object.keys(v)) {
        const inner = v[key];
        path.push(key);
        if (visitor.entry?.(key, inner, path) !== false) visit(inner);
        path.pop();
      }
    } else {
      visitor.leaf?.(v, path);
    }
  };
  visit(value);
}
