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
