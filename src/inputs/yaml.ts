import { CST, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Node, parseAllDocuments } from 'yaml';
import { INPUT_LIMITS } from './limits';

/**
 * How every YAML input is parsed: YAML 1.2 core schema, `<<` merge keys, duplicate keys refused.
 * The same options wherever wisynth reads YAML, so a file means one thing to all of its readers.
 */
export const YAML_INPUT_OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: false } as const;

/** What stops a YAML text from being read; `line` and `column` 1-based when known. */
export interface YamlProblem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type YamlParse =
  | { readonly ok: true; readonly documents: Document.Parsed[] }
  | { readonly ok: false; readonly problem: YamlProblem };

/**
 * Parses every document of an input text, bounded: nesting deeper than the limit is refused before the
 * parser (which recurses) sees it, and aliases that would expand to more than the limit of nodes (a
 * "billion laughs") are refused before anything expands them. Syntax errors come back as a problem.
 */
export function parseInputYaml(text: string, lineCounter: LineCounter = new LineCounter()): YamlParse {
  const nesting = nestingProblem(text);
  if (nesting) return { ok: false, problem: nesting };
  const documents = parseAllDocuments(text, { ...YAML_INPUT_OPTIONS, lineCounter });
  const list = Array.isArray(documents) ? documents : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      return { ok: false, problem: { message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), ...(pos && { line: pos.line, column: pos.col }) } };
    }
    const expansion = aliasProblem(doc, lineCounter);
    if (expansion) return { ok: false, problem: expansion };
  }
  return { ok: true, documents: list };
}

/** A parsed document as plain values; safe once `parseInputYaml` accepted it. */
export function documentValue(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: -1 });
}

/**
 * An upper bound of the nesting, from the tokens alone: per line, its indentation plus the block
 * indicators on it, plus the open flow collections. Generous for real files (8 levels of 2-space
 * indentation count 16), exact enough to stop `[[[[...` and `- - - - ...` of thousands of levels.
 */
function nestingProblem(text: string): YamlProblem | undefined {
  const limit = INPUT_LIMITS.yamlNesting;
  let line = 1;
  let lineDepth = 0;
  let atLineStart = true;
  let flow = 0;
  let inBlockScalar = false;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    switch (type) {
      case 'newline':
        line++;
        lineDepth = 0;
        atLineStart = true;
        continue;
      case 'block-scalar-header':
        inBlockScalar = true;
        break;
      case 'space':
        if (atLineStart && !inBlockScalar) lineDepth += token.length;
        break;
      case 'seq-item-ind':
      case 'map-value-ind':
      case 'explicit-key-ind':
        lineDepth++;
        break;
      case 'flow-seq-start':
      case 'flow-map-start':
        flow++;
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        flow = Math.max(0, flow - 1);
        break;
      default:
        break;
    }
    if (type !== 'space' && type !== 'block-scalar-header' && type !== null) inBlockScalar = false;
    if (type !== 'space') atLineStart = false;
    if (lineDepth + flow > limit) {
      return { message: `the YAML nests deeper than ${limit} levels`, line, column: 1 };
    }
  }
  return undefined;
}

/** Refuses a document whose aliases would expand to more nodes than the limit, or that refers to itself. */
function aliasProblem(doc: Document, lineCounter: LineCounter): YamlProblem | undefined {
  const limit = INPUT_LIMITS.yamlAliasNodes;
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let added = 0;
  let failure: { message: string; node: Node } | undefined;
  const size = (node: unknown): number => {
    if (failure || node === null || node === undefined) return 0;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 1;
      if (open.has(target)) {
        failure = { message: `the alias *${node.source} refers to the node that contains it`, node };
        return 0;
      }
      const n = sizeOf(target);
      added += n;
      if (added > limit) failure = { message: `its aliases expand to more than ${limit} nodes (a YAML alias bomb?)`, node };
      return n;
    }
    return sizeOf(node as Node);
  };
  const sizeOf = (node: Node): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    open.add(node);
    let n = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        n += isPair(item) ? size(item.key) + size(item.value) : size(item);
        if (failure) break;
      }
    } else if (!isScalar(node)) {
      n = 1;
    }
    open.delete(node);
    sizes.set(node, n);
    return n;
  };
  size(doc.contents);
  if (!failure) return undefined;
  const offset = failure.node.range?.[0];
  const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
  return { message: failure.message, ...(pos && { line: pos.line, column: pos.col }) };
}
