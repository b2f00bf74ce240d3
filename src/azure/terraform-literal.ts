import { Lazy, Tokenization } from 'cdktf';
import { excerpt } from '../core/excerpt';
import { formatKeyPath, KeyPath, walkKeyPaths } from '../core/key-path';

/**
 * Terraform reads a JSON string where an expression may stand as a template: `${` opens an
 * interpolation and `%{` a directive, in every string, whatever its attribute (hashicorp/hcl
 * json/spec.md, "Strings": in full expression mode a string "is instead interpreted as a standalone
 * template in the HCL Native Syntax"; https://developer.hashicorp.com/terraform/language/syntax/json,
 * "Expression Mapping"). The template syntax escapes them by doubling the leading character, `$${` for
 * a literal `${` and `%%{` for a literal `%{` (hashicorp/hcl hclsyntax/spec.md, "Template Literals";
 * https://developer.hashicorp.com/terraform/language/expressions/strings, "Escape Sequences").
 *
 * cdktf escapes nothing in a plain attribute value: `${…}` there is its way to write a raw expression,
 * and `%{` passes through. `Fn.rawString` is made for function arguments: at the top level it adds
 * backslashes before `"` and newlines that Terraform keeps, and it leaves `%{` alone. Hence this file.
 *
 * Literal-only places (the `terraform` block with its backend, output descriptions) are not templates:
 * Terraform reads them verbatim, so they must not go through here.
 */

/** cdktf's encoding of a string token (cdktf/lib/tokens/private/encoding.js); `#{` and `&{` mark list and map tokens. */
const TOKEN_MARKER = /[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;
const ANY_TOKEN_MARKER = /[$#&]\{TfToken\[/;
/** A list or map token stands alone in its place (`['#{TfToken[TOKEN.1]}']`, `{'&{TfToken[TOKEN.2]}': …}`). */
const COLLECTION_TOKEN = /^[#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}$/;

/**
 * `text` written so that Terraform reads exactly these characters. cdktf tokens in it (references to
 * resources this program created) stay expressions; only the literal text around them is escaped.
 * Throws where that cannot be written: literal text ending in `$` right before a reference (Terraform
 * would read `$${` and so lose the reference), and text that looks like a cdktf token but is none.
 */
export function terraformLiteral(text: string): string {
  if (!text.includes('{') || (COLLECTION_TOKEN.test(text) && isLiveToken(text))) return text;
  const parts = splitTokens(text);
  if (parts.every((p) => p.literal)) return escapeTemplate(text);
  return parts
    .map((part, i) => {
      if (!part.literal) return part.text;
      const escaped = escapeTemplate(part.text);
      if (escaped.endsWith('$') && i + 1 < parts.length) {
        throw new Error(`cannot write ${excerpt(text)} for Terraform: a literal "$" directly before a reference escapes the reference`);
      }
      // cdktf takes a `${` in the literal text beside a token for a raw expression and drops the braces of the
      // tokens after it; as a token of its own, the text is joined as it is.
      return escaped.includes('${') ? Lazy.stringValue({ produce: () => escaped }) : escaped;
    })
    .join('');
}

/**
 * A provider resource's configuration with every string in it (and every key of a map in it) made a
 * Terraform literal by terraformLiteral; numbers, booleans, tokens and constructs (`dependsOn`) as they are.
 * Each construct of this folder hands its whole configuration through here, so no value it is given is missed.
 */
export function terraformLiterals<T>(config: T): T {
  return literals(config) as T;
}

/**
 * Where a plan value holds cdktf's token marker: a plan is data from input, so a marker there is forged.
 * The path of a value (`clusters[3].issuer`) is spelled out only for a marker found.
 */
export function forgedTokenMarkers(value: unknown): string[] {
  const found: string[] = [];
  const here = (path: KeyPath): string => formatKeyPath(path) || '(value)';
  walkKeyPaths(
    value,
    {
      entry: (key, _inner, path) => void (ANY_TOKEN_MARKER.test(key) && found.push(here(path))),
      leaf: (v, path) => void (typeof v === 'string' && ANY_TOKEN_MARKER.test(v) && found.push(here(path))),
    },
    isPlainObject,
  );
  return found;
}

function literals(value: unknown): unknown {
  if (typeof value === 'string') return terraformLiteral(value);
  if (Array.isArray(value)) return value.map(literals);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [terraformLiteral(key), literals(inner)]));
}

/** Doubles the leading character of each `${` and `%{`; the inverse of Terraform's reading of a template literal. */
function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

interface Part {
  readonly literal: boolean;
  readonly text: string;
}

/** The text cut into literal parts and the markers of live tokens. */
function splitTokens(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN_MARKER)) {
    const marker = match[0];
    if (!marker.startsWith('$') || !isLiveToken(marker)) {
      // a list or map token inside a string is no value cdktf can write either
      throw new Error(`${excerpt(text)} holds ${marker}, which looks like a cdktf token but is none of this program's string tokens`);
    }
    if (match.index > last) parts.push({ literal: true, text: text.slice(last, match.index) });
    parts.push({ literal: false, text: marker });
    last = match.index + marker.length;
  }
  if (last < text.length) parts.push({ literal: true, text: text.slice(last) });
  return parts;
}

/** Whether a marker stands for a token cdktf knows (it throws "Unrecognized Token Key" for others). */
function isLiveToken(marker: string): boolean {
  try {
    if (marker.startsWith('#')) return Tokenization.reverseList([marker]) !== undefined;
    if (marker.startsWith('&')) return Tokenization.reverseMap({ [marker]: true }) !== undefined;
    const found = Tokenization.reverseString(marker);
    return found.tokens.length === 1 && found.literals.length === 0;
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
