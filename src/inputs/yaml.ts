import { Alias, CST, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Node, parseAllDocuments, visit } from 'yaml';
import * as jsYaml from 'js-yaml';
import { INPUT_LIMITS } from './limits';

/**
 * How every YAML input is parsed: YAML 1.2 core schema, `<<` merge keys, duplicate keys refused, and no
 * warnings printed by the parser itself. The same options wherever wisynth reads YAML, so a file means one
 * thing to all of its readers.
 */
export const YAML_INPUT_OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: false, logLevel: 'error' } as const;

/** What stops a YAML text from being read; `line` and `column` 1-based when known. */
export interface YamlProblem {
  /** `syntax`: the text is not YAML; `limit`: it is, but nests or expands beyond the limits. */
  readonly kind: 'syntax' | 'limit';
  readonly message: string;
  /** How to fix it, in general words; a caller may say it better for its input. */
  readonly fix: string;
  readonly line?: number;
  readonly column?: number;
}

export interface YamlParseOptions {
  /** Keeps the positions of the parsed nodes, for messages about them. */
  readonly lineCounter?: LineCounter;
  /** Nodes that aliases may add to the text's documents together. @default INPUT_LIMITS.yamlAliasNodes */
  readonly aliasNodes?: number;
}

export type YamlParse =
  | {
      readonly ok: true;
      readonly documents: Document.Parsed[];
      /** Each document as plain values (aliases expanded, merge keys applied). */
      readonly values: unknown[];
      /** Nodes the aliases added, counted against `aliasNodes`. */
      readonly aliasNodes: number;
    }
  | { readonly ok: false; readonly problem: YamlProblem };

const SYNTAX_FIX = 'correct the YAML syntax at the line shown';
const NESTING_FIX = 'no real input nests this deep: check that this is the right file';
const ALIAS_FIX = 'write the values out instead of repeating aliases of aliases (is this a YAML "billion laughs"?)';

/** The parser's wording where a user may search for another one (js-yaml's, which wisynth used to print). */
const MESSAGES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'duplicated mapping key: each key may appear once in a mapping',
};

/**
 * Parses every document of an input text, bounded: nesting deeper than the limit is refused before the
 * parser (which recurses) sees it, and aliases that would expand to more than the limit of nodes (a
 * "billion laughs"), or deeper than the nesting limit, are refused before anything expands them.
 * Syntax errors come back as a problem with their line, never as an exception.
 */
export function parseInputYaml(text: string, options: YamlParseOptions = {}): YamlParse {
  const lineCounter = options.lineCounter ?? new LineCounter();
  const nesting = nestingProblem(text);
  if (nesting) return { ok: false, problem: nesting };
  const parsed = parseAllDocuments(text, { ...YAML_INPUT_OPTIONS, lineCounter });
  const documents = Array.isArray(parsed) ? parsed : [];
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      const message = MESSAGES[error.code] ?? error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { ok: false, problem: { kind: 'syntax', message, fix: SYNTAX_FIX, ...at(error.pos[0]) } };
    }
  }
  let budget = options.aliasNodes ?? INPUT_LIMITS.yamlAliasNodes;
  let added = 0;
  const values: unknown[] = [];
  for (const doc of documents) {
    const aliases = aliasExpansion(doc, budget);
    if ('problem' in aliases) {
      const { kind, message, fix, node } = aliases.problem;
      return { ok: false, problem: { kind, message, fix, ...at(node.range?.[0]) } };
    }
    budget -= aliases.added;
    added += aliases.added;
    try {
      values.push(doc.toJS({ maxAliasCount: -1 }));
    } catch (e) {
      // What the checks above let through but the schema refuses, e.g. a merge key whose value is not a mapping.
      return { ok: false, problem: { kind: 'syntax', message: (e as Error).message, fix: SYNTAX_FIX, ...at(doc.contents?.range[0]) } };
    }
  }
  return { ok: true, documents, values, aliasNodes: added };
}

/**
 * An upper bound of the nesting, from the tokens alone: per line, its indentation plus the block
 * indicators on it, plus the open flow collections. Generous for real files (8 levels of 2-space
 * indentation count 16), exact enough to stop `[[[[...` and `- - - - ...` of thousands of levels,
 * and it stops at the first token past the limit.
 */
function nestingProblem(text: string): YamlProblem | undefined {
  const limit = INPUT_LIMITS.yamlNesting;
  if (nestingBound(text) <= limit) return undefined;
  let line = 1;
  let lineDepth = 0;
  let mappingOnLine = false;
  let atLineStart = true;
  let flow = 0;
  let inBlockScalar = false;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    switch (type) {
      case 'newline':
        line++;
        lineDepth = 0;
        mappingOnLine = false;
        atLineStart = true;
        continue;
      case 'block-scalar-header':
        inBlockScalar = true;
        break;
      case 'space':
        if (atLineStart && !inBlockScalar) lineDepth += token.length;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
        // compact nesting (`- - - x`, `? - x`) opens a level per indicator, in block style only
        if (flow === 0) lineDepth++;
        break;
      case 'map-value-ind':
        // one block mapping a line (`a: b: c` is no YAML); inside brackets only the brackets count
        if (flow === 0 && !mappingOnLine) lineDepth++;
        mappingOnLine = true;
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
      return { kind: 'limit', message: `the YAML nests deeper than ${limit} levels`, fix: NESTING_FIX, line, column: 1 };
    }
  }
  return undefined;
}

/**
 * A cheaper upper bound of what nestingProblem counts, from the characters alone: the deepest line's leading
 * white space plus every character on it that may be an indicator, plus every `[` and `{` of the text. Most
 * files (block style, as synth writes them) stay far below the limit, and are not lexed twice.
 */
function nestingBound(text: string): number {
  let opens = 0;
  let deepest = 0;
  let line = 0;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      if (line > deepest) deepest = line;
      line = 0;
      atStart = true;
      continue;
    }
    if (c === 0x20 || c === 0x09) {
      if (atStart) line++;
      continue;
    }
    atStart = false;
    if (c === 0x5b || c === 0x7b) opens++;
    else if (c === 0x2d || c === 0x3a || c === 0x3f) line++;
  }
  return Math.max(deepest, line) + opens;
}

type Expansion = { readonly added: number } | { readonly problem: Omit<YamlProblem, 'line' | 'column'> & { readonly node: Node } };

/**
 * How many nodes the aliases of a document add when expanded, or why it is refused: more than `limit`
 * nodes, values nested deeper than the nesting limit once expanded, an alias that contains itself or that
 * names no anchor, a merge key whose value is not a mapping. Sizes are counted per node once, so this
 * costs the size of the text, not of the expansion.
 */
function aliasExpansion(doc: Document, limit: number): Expansion {
  // An alias refers to the last node anchored with its name before it, in document order (YAML 1.2, 7.1).
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  if (targets.size === 0) return { added: 0 };

  const depthLimit = INPUT_LIMITS.yamlNesting;
  const measured = new Map<Node, { size: number; depth: number }>();
  const open = new Set<Node>();
  let added = 0;
  let problem: (Omit<YamlProblem, 'line' | 'column'> & { node: Node }) | undefined;
  const fail = (message: string, node: Node, fix = ALIAS_FIX, kind: YamlProblem['kind'] = 'limit') => {
    problem ??= { kind, message, fix, node };
    return { size: 0, depth: 0 };
  };
  const measure = (node: unknown): { size: number; depth: number } => {
    if (problem || node === null || node === undefined || !(node as Node).range) return { size: 0, depth: 0 };
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target) return fail(`the alias *${node.source} names no anchor &${node.source} before it`, node, 'define the anchor before the alias, or correct its name', 'syntax');
      if (open.has(target)) return fail(`the alias *${node.source} refers to the node that contains it`, node, 'an alias cannot repeat its own parent: write the values out', 'syntax');
      const m = measure(target);
      added += m.size;
      if (added > limit) return fail(`the aliases expand to more than ${limit} nodes`, node);
      return m;
    }
    return collection(node as Node);
  };
  const collection = (node: Node): { size: number; depth: number } => {
    const known = measured.get(node);
    if (known) return known;
    let size = 1;
    let depth = 1;
    if (isMap(node) || isSeq(node)) {
      open.add(node);
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          const value = measure(item.value);
          if (isMergeKey(item.key) && !mergeable(item.value, targets)) return fail('a merge key (<<) must be followed by a mapping, an alias of one, or a list of them', item.key as Node, SYNTAX_FIX, 'syntax');
          const key = measure(item.key);
          size += key.size + value.size;
          depth = Math.max(depth, 1 + key.depth, 1 + value.depth);
        } else {
          const m = measure(item);
          size += m.size;
          depth = Math.max(depth, 1 + m.depth);
        }
        if (problem) break;
        if (depth > depthLimit) return fail(`the aliases nest the values deeper than ${depthLimit} levels`, node);
      }
      open.delete(node);
    }
    const m = { size, depth };
    measured.set(node, m);
    return m;
  };
  measure(doc.contents);
  return problem ? { problem } : { added };
}

/** A plain `<<` key, which the merge option resolves to a symbol. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** What the parser's merge accepts: a mapping, an alias of one, or a list of those. */
function mergeable(value: unknown, targets: ReadonlyMap<Alias, Node | undefined>): boolean {
  const resolved = (v: unknown): unknown => (isAlias(v) ? targets.get(v) : v);
  const v = resolved(value);
  if (isMap(v)) return true;
  return isSeq(v) && v.items.every((item) => isMap(resolved(item)));
}

/**
 * YAML 1.2's core schema (yaml.org/spec/1.2.2, 10.3) for js-yaml, whose own CORE_SCHEMA also reads
 * `0b101` and `1_000` as numbers: null, booleans, integers and floats exactly as the core schema (and
 * so the `yaml` package) resolves them.
 */
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const CORE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (data: string | null) => data === null || /^(?:~|null|Null|NULL|)$/.test(data),
      construct: () => null,
    }),
    new jsYaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && /^(?:true|True|TRUE|false|False|FALSE)$/.test(data),
      construct: (data: string) => data.toLowerCase() === 'true',
    }),
    new jsYaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && CORE_INT.test(data),
      construct: (data: string) => (data.startsWith('0o') ? parseInt(data.slice(2), 8) : data.startsWith('0x') ? parseInt(data.slice(2), 16) : Number(data)),
    }),
    new jsYaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && CORE_FLOAT.test(data),
      construct: (data: string) => (/inf$/i.test(data) ? (data.startsWith('-') ? -Infinity : Infinity) : /nan$/i.test(data) ? NaN : Number(data)),
    }),
  ],
});

export type YamlValues = { readonly ok: true; readonly values: unknown[]; readonly aliasNodes: number } | { readonly ok: false; readonly problem: YamlProblem };

/** Nesting below which a text without anchors, aliases, merge keys or tags takes js-yaml's faster parse. */
const PLAIN_NESTING = 64;

/**
 * The documents of a YAML text as plain values, with the bounds and the meaning of `parseInputYaml`, for
 * readers that need no positions (`check` over OUT, which synth writes without anchors or tags). A text
 * that shows none of them and nests shallowly is parsed by js-yaml with its YAML 1.2 core schema, the
 * schema `parseInputYaml` reads with, about eight times faster; any doubt, and any error, takes the
 * bounded parse, so both give the same values and the same problems.
 */
export function parseYamlValues(text: string, options: YamlParseOptions = {}): YamlValues {
  if (isPlainYaml(text)) {
    try {
      const values = jsYaml.loadAll(text, undefined, { schema: CORE_SCHEMA });
      // js-yaml reads a text of comments and blank lines as one empty document, the yaml package as none
      const empty = values.length === 1 && values[0] === null && text.split('\n').every((line) => /^\s*(?:#.*)?$/.test(line));
      return { ok: true, values: empty ? [] : values, aliasNodes: 0 };
    } catch {
      // the bounded parse says what is wrong, in its own words
    }
  }
  const parsed = parseInputYaml(text, options);
  return parsed.ok ? { ok: true, values: parsed.values, aliasNodes: parsed.aliasNodes } : parsed;
}

/**
 * No anchor (`&`), alias (`*`), tag (`!`), merge key (`<<`) or null key where YAML would read one, and no line that
 * nests deeper than PLAIN_NESTING by its indentation, block indicators and open brackets. Counted over
 * the raw text, quotes included: what only looks like one of them takes the bounded parse, never less.
 */
export function isPlainYaml(text: string): boolean {
  if (/(?:^|[\s[\]{},:-])[&*!]/.test(text) || text.includes('<<')) return false;
  // A null key is "" to the yaml package and "null" to js-yaml.
  if (/(?:^|[\s{,?-])(?:~|null|Null|NULL)?[ \t]*:(?:[\s,}]|$)/m.test(text)) return false;
  let depth = 0;
  let brackets = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      depth = 0;
      lineStart = true;
      continue;
    }
    if (c === 91 || c === 123) brackets++;
    else if (c === 93 || c === 125) brackets = Math.max(0, brackets - 1);
    if (lineStart) {
      if (c === 32 || c === 45) depth++; // indentation and `- ` indicators
      else lineStart = false;
    }
    if (depth + brackets > PLAIN_NESTING) return false;
  }
  return true;
}
