/**
 * The part of CEL that the `x-kubernetes-validations` rules of CRDs mostly use, evaluated over
 * the plain JSON of an object: `has()`, field selection, `!` `&&` `||` `?:`, comparisons, `in`,
 * `+` `-`, list and map literals, `size`, the string functions `contains`, `startsWith`, `endsWith`,
 * `matches`, `find`, `split`, and the macros `all`, `exists`, `exists_one`, `filter`, `map`.
 *
 * A rule that needs more (optional fields `.?`, `oldSelf`, `url()`, `duration()`, `quantity()`,
 * `*` `/` `%`, ...) does not parse: `parseCelRule` returns undefined and the caller skips it, so a
 * rule is either evaluated as the API server would or not at all.
 */

/** A parsed rule: true when `self` satisfies it; throws `CelError` where CEL reports an evaluation error. */
export type CelRule = (self: unknown) => boolean;

/** An evaluation error (`no such key: chart`), as the API server reports it. */
export class CelError extends Error {}

/** The rule, or undefined when it uses something outside this subset. */
export function parseCelRule(rule: string): CelRule | undefined {
  let expr: Expr;
  try {
    expr = new Parser(tokenize(rule)).parseRule();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return (self) => {
    const value = evaluate(expr, new Map([['self', self]]));
    if (typeof value !== 'boolean') throw new CelError(`rule gives ${typeName(value)}, not bool`);
    return value;
  };
}

/** Raised while parsing: the rule is not in the subset. */
class Unsupported extends Error {}

type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'op'; readonly text: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', '+', '-'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      const quote = source[i + ident.length];
      if ((ident === 'r' || ident === 'R') && (quote === '"' || quote === "'")) {
        const [value, end] = readString(source, i + 1, true);
        tokens.push({ kind: 'string', value });
        i = end;
      } else {
        tokens.push({ kind: 'ident', text: ident });
        i += ident.length;
      }
    } else if (/[0-9]/.test(c)) {
      const number = /^(?:[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+)(?![0-9A-Za-z_.])/.exec(source.slice(i));
      if (!number) throw new Unsupported(`number at ${i}`); // hex, unsigned, exponent-only forms
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
    } else if (c === '"' || c === "'") {
      const [value, end] = readString(source, i, false);
      tokens.push({ kind: 'string', value });
      i = end;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (op === undefined || source.startsWith('.?', i)) throw new Unsupported(`operator at ${i}`);
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** A quoted string starting at `start` (its quote) and the index after it. */
function readString(source: string, start: number, raw: boolean): [string, number] {
  const quote = source[start];
  if (source.startsWith(quote.repeat(3), start)) throw new Unsupported('triple-quoted string');
  let value = '';
  let i = start + 1;
  while (i < source.length && source[i] !== quote) {
    if (source[i] === '\\' && !raw) {
      const escaped = ESCAPES[source[i + 1]];
      if (escaped === undefined) throw new Unsupported(`escape \\${source[i + 1]}`);
      value += escaped;
      i += 2;
    } else {
      value += source[i++];
    }
  }
  if (i >= source.length) throw new Unsupported('unterminated string');
  return [value, i + 1];
}

type Expr =
  | { readonly type: 'literal'; readonly value: unknown }
  | { readonly type: 'ident'; readonly name: string }
  | { readonly type: 'select'; readonly target: Expr; readonly field: string }
  | { readonly type: 'index'; readonly target: Expr; readonly index: Expr }
  | { readonly type: 'has'; readonly target: Expr; readonly field: string }
  | { readonly type: 'call'; readonly name: string; readonly target?: Expr; readonly args: readonly Expr[] }
  | { readonly type: 'macro'; readonly name: string; readonly target: Expr; readonly variable: string; readonly body: Expr }
  | { readonly type: 'unary'; readonly op: string; readonly operand: Expr }
  | { readonly type: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'conditional'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr }
  | { readonly type: 'list'; readonly items: readonly Expr[] }
  | { readonly type: 'map'; readonly entries: ReadonlyArray<readonly [Expr, Expr]> };

const MACROS = new Set(['all', 'exists', 'exists_one', 'filter', 'map']);
/** Functions called as `target.name(args)`, with their accepted argument counts. */
const METHODS: Record<string, readonly number[]> = {
  size: [0],
  contains: [1],
  startsWith: [1],
  endsWith: [1],
  matches: [1],
  find: [1],
  split: [1, 2],
};
/** Functions called as `name(args)`. */
const FUNCTIONS: Record<string, readonly number[]> = { size: [1], matches: [2] };
const RELATIONS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in']);

class Parser {
  private at = 0;
  /** `self` and the variables of the macros being parsed. */
  private readonly variables = ['self'];

  constructor(private readonly tokens: readonly Token[]) {}

  parseRule(): Expr {
    const expr = this.conditional();
    if (this.at < this.tokens.length) throw new Unsupported('trailing tokens');
    return expr;
  }

  private conditional(): Expr {
    const test = this.or();
    if (!this.takeOp('?')) return test;
    const then = this.conditional();
    this.expectOp(':');
    return { type: 'conditional', test, then, otherwise: this.conditional() };
  }

  private or(): Expr {
    let left = this.and();
    while (this.takeOp('||')) left = { type: 'binary', op: '||', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.relation();
    while (this.takeOp('&&')) left = { type: 'binary', op: '&&', left, right: this.relation() };
    return left;
  }

  private relation(): Expr {
    let left = this.sum();
    for (;;) {
      const token = this.tokens[this.at];
      const op = token?.kind === 'op' ? token.text : token?.kind === 'ident' && token.text === 'in' ? 'in' : undefined;
      if (op === undefined || !RELATIONS.has(op)) return left;
      this.at++;
      left = { type: 'binary', op, left, right: this.sum() };
    }
  }

  private sum(): Expr {
    let left = this.unary();
    for (;;) {
      const op = this.takeOp('+') ? '+' : this.takeOp('-') ? '-' : undefined;
      if (op === undefined) return left;
      left = { type: 'binary', op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    if (this.takeOp('!')) return { type: 'unary', op: '!', operand: this.unary() };
    if (this.takeOp('-')) return { type: 'unary', op: '-', operand: this.unary() };
    return this.member();
  }

  private member(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.takeOp('.')) {
        const name = this.ident();
        if (!this.takeOp('(')) {
          expr = { type: 'select', target: expr, field: name };
        } else if (MACROS.has(name)) {
          const variable = this.ident();
          this.expectOp(',');
          this.variables.push(variable);
          const body = this.conditional();
          this.variables.pop();
          this.expectOp(')');
          expr = { type: 'macro', name, target: expr, variable, body };
        } else {
          const args = this.args();
          if (!METHODS[name]?.includes(args.length)) throw new Unsupported(`method ${name}`);
          expr = { type: 'call', name, target: expr, args };
        }
      } else if (this.takeOp('[')) {
        const index = this.conditional();
        this.expectOp(']');
        expr = { type: 'index', target: expr, index };
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Unsupported('unexpected end');
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', value: token.value };
    if (token.kind === 'ident') {
      if (token.text === 'true' || token.text === 'false') return { type: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { type: 'literal', value: null };
      if (!this.takeOp('(')) {
        // `oldSelf` makes a transition rule, which needs the stored object
        if (!this.variables.includes(token.text)) throw new Unsupported(`identifier ${token.text}`);
        return { type: 'ident', name: token.text };
      }
      const args = this.args();
      if (token.text === 'has') {
        const [arg] = args;
        if (args.length !== 1 || arg.type !== 'select') throw new Unsupported('has() of a non-field');
        return { type: 'has', target: arg.target, field: arg.field };
      }
      if (!FUNCTIONS[token.text]?.includes(args.length)) throw new Unsupported(`function ${token.text}`);
      const [target, ...rest] = args;
      return { type: 'call', name: token.text, target, args: rest };
    }
    if (token.text === '(') {
      const expr = this.conditional();
      this.expectOp(')');
      return expr;
    }
    if (token.text === '[') return { type: 'list', items: this.list(']') };
    if (token.text === '{') {
      const entries: Array<readonly [Expr, Expr]> = [];
      while (!this.takeOp('}')) {
        const key = this.conditional();
        this.expectOp(':');
        entries.push([key, this.conditional()]);
        if (!this.takeOp(',')) {
          this.expectOp('}');
          break;
        }
      }
      return { type: 'map', entries };
    }
    throw new Unsupported(`token ${token.text}`);
  }

  /** Arguments after `(`, through `)`. */
  private args(): Expr[] {
    return this.list(')');
  }

  private list(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.takeOp(close)) return items;
    do items.push(this.conditional());
    while (this.takeOp(','));
    this.expectOp(close);
    return items;
  }

  private ident(): string {
    const token = this.tokens[this.at++];
    if (token?.kind !== 'ident') throw new Unsupported('identifier expected');
    return token.text;
  }

  private takeOp(text: string): boolean {
    const token = this.tokens[this.at];
    if (token?.kind !== 'op' || token.text !== text) return false;
    this.at++;
    return true;
  }

  private expectOp(text: string): void {
    if (!this.takeOp(text)) throw new Unsupported(`${text} expected`);
  }
}

type Scope = ReadonlyMap<string, unknown>;

function evaluate(expr: Expr, scope: Scope): unknown {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'ident':
      return scope.get(expr.name);
    case 'select': {
      const target = evaluate(expr.target, scope);
      if (!isMap(target)) throw new CelError(`no field ${expr.field} on ${typeName(target)}`);
      if (!Object.prototype.hasOwnProperty.call(target, expr.field)) throw new CelError(`no such key: ${expr.field}`);
      return target[expr.field];
    }
    case 'has': {
      const target = evaluate(expr.target, scope);
      if (!isMap(target)) throw new CelError(`has() on ${typeName(target)}`);
      return Object.prototype.hasOwnProperty.call(target, expr.field);
    }
    case 'index':
      return index(evaluate(expr.target, scope), evaluate(expr.index, scope));
    case 'unary': {
      const operand = evaluate(expr.operand, scope);
      if (expr.op === '!') return !bool(operand);
      return -number(operand);
    }
    case 'binary':
      return binary(expr.op, expr.left, expr.right, scope);
    case 'conditional':
      return bool(evaluate(expr.test, scope)) ? evaluate(expr.then, scope) : evaluate(expr.otherwise, scope);
    case 'list':
      return expr.items.map((item) => evaluate(item, scope));
    case 'map':
      return Object.fromEntries(expr.entries.map(([key, value]) => [String(evaluate(key, scope)), evaluate(value, scope)]));
    case 'call':
      return call(expr.name, expr.target === undefined ? undefined : evaluate(expr.target, scope), expr.args.map((a) => evaluate(a, scope)));
    case 'macro':
      return macro(expr, scope);
  }
}

function binary(op: string, leftExpr: Expr, rightExpr: Expr, scope: Scope): unknown {
  if (op === '&&' || op === '||') {
    // CEL's logic is commutative: an error on one side is absorbed when the other side decides
    const decisive = op === '||';
    const left = attempt(() => bool(evaluate(leftExpr, scope)));
    if (left === decisive) return decisive;
    const right = attempt(() => bool(evaluate(rightExpr, scope)));
    if (right === decisive) return decisive;
    if (left instanceof CelError) throw left;
    if (right instanceof CelError) throw right;
    return !decisive;
  }
  const left = evaluate(leftExpr, scope);
  const right = evaluate(rightExpr, scope);
  switch (op) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case 'in':
      if (Array.isArray(right)) return right.some((item) => equal(item, left));
      if (isMap(right)) return typeof left === 'string' && Object.prototype.hasOwnProperty.call(right, left);
      throw new CelError(`in ${typeName(right)}`);
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      return number(left) + number(right);
    case '-':
      return number(left) - number(right);
    default: {
      const comparable =
        (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
      if (!comparable) throw new CelError(`no such overload: ${typeName(left)} ${op} ${typeName(right)}`);
      const [a, b] = [left as number | string, right as number | string];
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
  }
}

function call(name: string, target: unknown, args: readonly unknown[]): unknown {
  switch (name) {
    case 'size':
      if (typeof target === 'string') return [...target].length;
      if (Array.isArray(target)) return target.length;
      if (isMap(target)) return Object.keys(target).length;
      throw new CelError(`size() of ${typeName(target)}`);
    case 'contains':
      return string(target).includes(string(args[0]));
    case 'startsWith':
      return string(target).startsWith(string(args[0]));
    case 'endsWith':
      return string(target).endsWith(string(args[0]));
    case 'matches':
      return regex(string(args[0])).test(string(target));
    case 'find':
      return regex(string(args[0])).exec(string(target))?.[0] ?? '';
    case 'split':
      return split(string(target), string(args[0]), args.length > 1 ? number(args[1]) : -1);
    default:
      throw new CelError(`unknown function ${name}`);
  }
}

/** Go's strings.SplitN, which the Kubernetes CEL library's `split` follows. */
function split(text: string, separator: string, limit: number): string[] {
  if (limit === 0) return [];
  const parts = separator === '' ? [...text] : text.split(separator);
  if (limit < 0 || parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(separator)];
}

function macro(expr: Extract<Expr, { type: 'macro' }>, scope: Scope): unknown {
  const target = evaluate(expr.target, scope);
  const items = Array.isArray(target) ? target : isMap(target) ? Object.keys(target) : undefined;
  if (items === undefined) throw new CelError(`${expr.name}() over ${typeName(target)}`);
  const body = (item: unknown) => evaluate(expr.body, new Map([...scope, [expr.variable, item]]));
  switch (expr.name) {
    case 'map':
      return items.map(body);
    case 'filter':
      return items.filter((item) => bool(body(item)));
    case 'exists_one':
      return items.filter((item) => bool(body(item))).length === 1;
    default: {
      // all/exists absorb errors the way && and || do
      const decisive = expr.name === 'exists';
      const results = items.map((item) => attempt(() => bool(body(item))));
      if (results.includes(decisive)) return decisive;
      const error = results.find((r) => r instanceof CelError);
      if (error) throw error;
      return !decisive;
    }
  }
}

function index(target: unknown, key: unknown): unknown {
  if (Array.isArray(target) && typeof key === 'number') {
    if (!Number.isInteger(key) || key < 0 || key >= target.length) throw new CelError(`index out of range: ${key}`);
    return target[key];
  }
  if (isMap(target) && typeof key === 'string') {
    if (!Object.prototype.hasOwnProperty.call(target, key)) throw new CelError(`no such key: ${key}`);
    return target[key];
  }
  throw new CelError(`no such overload: ${typeName(target)}[${typeName(key)}]`);
}

function attempt(f: () => boolean): boolean | CelError {
  try {
    return f();
  } catch (e) {
    if (e instanceof CelError) return e;
    throw e;
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
  }
  return a === b;
}

const regexes = new Map<string, RegExp>();

/** RE2 as a JavaScript RegExp: the syntax the rules use is common to both; a leading `(?i)` becomes the flag. */
function regex(pattern: string): RegExp {
  let compiled = regexes.get(pattern);
  if (compiled === undefined) {
    const insensitive = pattern.startsWith('(?i)');
    const source = insensitive ? pattern.slice(4) : pattern;
    try {
      compiled = new RegExp(source, insensitive ? 'iu' : 'u');
    } catch {
      compiled = new RegExp(source, insensitive ? 'i' : '');
    }
    regexes.set(pattern, compiled);
  }
  return compiled;
}

function bool(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new CelError(`${typeName(value)} where bool is expected`);
  return value;
}

function number(value: unknown): number {
  if (typeof value !== 'number') throw new CelError(`${typeName(value)} where a number is expected`);
  return value;
}

function string(value: unknown): string {
  if (typeof value !== 'string') throw new CelError(`${typeName(value)} where string is expected`);
  return value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}
