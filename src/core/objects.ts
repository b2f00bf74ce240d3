/** Small readers shared by the schema checks. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How messages name an object: `Kind namespace/name`, or `Kind name` when cluster-scoped. */
export function objectLabel(obj: Record<string, unknown>): string {
  const kind = typeof obj.kind === 'string' ? obj.kind : 'object';
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  return typeof metadata.namespace === 'string' ? `${kind} ${metadata.namespace}/${name}` : `${kind} ${name}`;
}
