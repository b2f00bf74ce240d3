import { isMap, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { SourcePath } from './issues';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Line and column of a path in a YAML text, or of its nearest existing parent.
 * Parsed only when an error is reported (js-yaml, the loader, keeps no positions).
 */
export function positionOf(text: string, path: SourcePath): SourcePosition | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  let node: unknown = doc.contents;
  let found: Node | undefined = doc.contents ?? undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
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
