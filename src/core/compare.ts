/**
 * Orders strings by UTF-16 code unit, the same on every machine and locale (`localeCompare` is not:
 * `aa` sorts after `z` in Danish). Every sort whose result is written uses this.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
