/** How much of a bad value a message quotes. */
export const EXCERPT_CHARS = 60;

/**
 * A short, printable rendering of a value for an error message: JSON-like, cut at `max` characters,
 * control and invisible characters escaped. Walks only as much of the value as it prints, so a huge
 * or alias-expanded value costs no more than a small one.
 */
export function excerpt(value: unknown, max: number = EXCERPT_CHARS): string {
  const out: string[] = [];
  let length = 0;
  const push = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length <= max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return push(quote(v.length > max ? v.slice(0, max + 1) : v));
    if (v === null || typeof v !== 'object') return push(String(v));
    if (depth > 8) return push('…');
    const entries: Array<[string | undefined, unknown]> = Array.isArray(v) ? v.map((x) => [undefined, x]) : Object.entries(v);
    if (!push(Array.isArray(v) ? '[' : '{')) return false;
    let first = true;
    for (const [k, x] of entries) {
      if (!first && !push(', ')) return false;
      first = false;
      if (k !== undefined && !push(`${quote(k)}: `)) return false;
      if (!walk(x, depth + 1)) return false;
    }
    return push(Array.isArray(v) ? ']' : '}');
  };
  walk(value, 0);
  const text = out.join('');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** JSON's quoting, plus escapes for characters that print as nothing (zero-width, bidi, BOM). */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
