import { INPUT_LIMITS } from './limits';

/** A failure is `syntax` when the text is not JSON, `limit` when it is but nests deeper than the limit. */
export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly kind: 'syntax' | 'limit'; readonly problem: string };

/** Parses JSON text and refuses values nested deeper than the limit, which recursive readers could not walk. */
export function parseInputJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, kind: 'syntax', problem: `not valid JSON (${(e as Error).message})` };
  }
  const depth = jsonDepth(value, INPUT_LIMITS.jsonDepth);
  if (depth > INPUT_LIMITS.jsonDepth) return { ok: false, kind: 'limit', problem: `the JSON nests deeper than ${INPUT_LIMITS.jsonDepth} levels` };
  return { ok: true, value };
}

/** Nesting depth of a parsed value, counted without recursion and no further than `stopAbove` + 1. */
export function jsonDepth(value: unknown, stopAbove: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > deepest) deepest = d;
    if (deepest > stopAbove) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return deepest;
}
