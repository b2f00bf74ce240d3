import { INPUT_LIMITS } from './limits';

/** A failure is `syntax` when the text is not JSON, `limit` when it is but nests deeper than the limit. */
export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly kind: 'syntax' | 'limit'; readonly problem: string };

/** Parses JSON text and refuses values nested deeper than the limit, which recursive readers could not walk. */
export function parseInputJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, kind: 'syntax', problem: `not valid JSON (${syntaxReason((e as Error).message, text)})` };
  }
  const depth = jsonDepth(value, INPUT_LIMITS.jsonDepth);
  if (depth > INPUT_LIMITS.jsonDepth) return { ok: false, kind: 'limit', problem: `the JSON nests deeper than ${INPUT_LIMITS.jsonDepth} levels` };
  return { ok: true, value };
}

/**
 * What JSON.parse found wrong, without the piece of the input V8 quotes in some messages (`Unexpected
 * token 'x', "...": a secret file's content, or control characters, would reach the terminal), and with
 * the line and column of the fault where V8 gives its position.
 */
function syntaxReason(message: string, text: string): string {
  if (/is not valid JSON/.test(message)) return 'an unexpected character';
  const position = /at position (\d+)/.exec(message);
  const what = message.replace(/(?: in JSON)? at position \d+.*$/, '').replace(/[^\x20-\x7e]/g, '?');
  if (!position) return what;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `${what}, at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** Nesting depth of a parsed value, counted without recursion and no further than `stopAbove` + 1. */
export function jsonDepth(value: unknown, stopAbove: number): number {
  let deepest = 0;
  // the objects and arrays still to visit, and their depths
  const values: object[] = [];
  const depths: number[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (v !== null && typeof v === 'object') {
      values.push(v);
      depths.push(depth);
    }
  };
  visit(value, 1);
  while (values.length > 0) {
    const v = values.pop()!;
    const d = depths.pop()!;
    if (d > deepest) deepest = d;
    if (deepest > stopAbove) return deepest;
    if (Array.isArray(v)) for (const child of v) visit(child, d + 1);
    else for (const key in v) visit((v as Record<string, unknown>)[key], d + 1);
  }
  return deepest;
}
