/** How much of a bad value a message quotes. */
export const EXCERPT_CHARS = 60;

/**
 * A short, printable rendering of a value for an error message: JSON-like, cut at `max` characters,
 * control and invisible characters escaped. Walks only as much of the value as it prints, so a huge
 * or alias-expanded value costs no more than a small one.
 */
export function excerpt(value: unknown, max: number = EXCERPT_CHARS): string {
  const out: string[] = [];
  const cut = (s: string): string => (s.length > max ? s.slice(0, max + 1) : s);
  let length = 0;
  const push = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length <= max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return push(quote(cut(v)));
    if (v === null || typeof v !== 'object') return push(String(v));
    if (depth > 8) return push('…');
    if (!push(Array.isArray(v) ? '[' : '{')) return false;
    let first = true;
    const item = (k: string | undefined, x: unknown): boolean => {
      if (!first && !push(', ')) return false;
      first = false;
      if (k !== undefined && !push(`${quote(cut(k))}: `)) return false;
      return walk(x, depth + 1);
    };
    // Indexes and keys one at a time: a value of a million entries costs what is printed of it.
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!item(undefined, v[i])) return false;
    } else {
      for (const k in v) if (Object.hasOwn(v, k) && !item(k, (v as Record<string, unknown>)[k])) return false;
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
