import { isMap, isScalar, isSeq, LineCounter, Node, type Document } from 'yaml';
import { parseInputYaml } from '../inputs/yaml';
import { SourcePath } from './issues';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** The last text parsed for positions: one report asks for the positions of many issues of one file. */
let parsed: { readonly text: string; readonly doc: Document.Parsed | undefined; readonly counter: LineCounter } | undefined;

/**
 * Line and column of a path in a YAML text, or of its nearest existing parent; undefined when the text
 * does not parse. Parsed as the loader parses it (parseInputYaml: the same package, options and bounds),
 * only when an error is reported, and once for all the issues of one text.
 */
export function positionOf(text: string, path: SourcePath): SourcePosition | undefined {
  if (parsed?.text !== text) {
    const counter = new LineCounter();
    const result = parseInputYaml(text, { lineCounter: counter });
    parsed = { text, doc: result.ok ? result.documents[0] : undefined, counter };
  }
  const { doc, counter } = parsed;
  let node: unknown = doc?.contents;
  let found: Node | undefined = doc?.contents ?? undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      // The key's line is the one holding the field name, for scalar and collection values alike.
      found = (pair.key as Node | null) ?? (pair.value as Node);
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      found = node.items[part] as Node;
      node = found;
    } else {
      break;
    }
  }
  if (!found?.range) return undefined;
  const pos = counter.linePos(found.range[0]);
  return { line: pos.line, column: pos.col };
}
