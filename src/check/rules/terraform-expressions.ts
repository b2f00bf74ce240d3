import { excerpt } from '../../core/excerpt';
import { TerraformStack } from '../artifacts';
import { Finding } from '../finding';
import { formatKeyPath } from '../../core/key-path';
import { fromFileRule } from '../rule';
import { blockTexts, TerraformBlock, terraformBlocks } from '../terraform-blocks';

/**
 * Terraform reads every string of a stack where an expression may stand as a template (hashicorp/hcl
 * json/spec.md, "Strings"; https://developer.hashicorp.com/terraform/language/syntax/json): `${` opens an
 * interpolation and `%{` a directive, unless doubled (`$${`, `%%{`; hclsyntax/spec.md, "Template
 * Literals"). synth writes every value it is given that way; the only expressions it writes are
 * references to resources it declares. So every `${…}` must be one of those, and every `%{` escaped:
 * anything else is a value that Terraform would evaluate (`${file("/etc/passwd")}` from an input file).
 *
 * What synth writes, by cdktf: `${<type>.<name>.<attribute>}`, `${data.<type>.<name>.<attribute>}`,
 * `${trimsuffix(<one of those>, "<text>")}` (a static website's JWKS address), and as the whole condition of
 * a `lifecycle.postcondition`, `${self.<attribute>}` (an existing AKS cluster's OIDC issuer). Not read: the
 * `terraform` block (backend, providers) and output and variable descriptions, which Terraform takes
 * verbatim, and cdktf's `//` comments.
 */

const RULE = 'terraform-expression';

const REFERENCE = '(?:data\\.)?[a-z][a-z0-9]*_[a-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_-]*\\.[a-z_][a-z0-9_]*';
/** The whole of an interpolation synth writes, from `${` to its `}`, matched at one position. */
const OWN_INTERPOLATION = new RegExp(`\\$\\{(?:${REFERENCE}|trimsuffix\\(${REFERENCE}, "[^"\\\\$%{}]*"\\))\\}`, 'y');
/** Fields Terraform reads verbatim, never as a template, by the block they are in. */
const VERBATIM_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  output: new Set(['description']),
  variable: new Set(['description']),
};
/** A postcondition's condition, and the one expression synth writes there. */
const POSTCONDITION = /\.lifecycle\.postcondition\[\d+\]\.condition$/;
const SELF_ATTRIBUTE = /^\$\{self\.[a-z_][a-z0-9_]*\}$/;
const SIGN = /[$%]/g;
const FIX =
  'if the value is meant literally, write "${" as "$${" and "%{" as "%%{" (synth does so for every value it is given); ' +
  'the only expressions synth writes are references "${<type>.<name>.<attribute>}" to resources and data sources of the stack';

export const terraformExpressionsRule = fromFileRule((files) => files.stacks.flatMap(stackFindings));

function stackFindings(stack: TerraformStack): Finding[] {
  const found: Finding[] = [];
  for (const block of terraformBlocks(stack.json)) if (block.address !== 'terraform') blockFindings(stack, block, found);
  return found;
}

/** cdktf's `//` metadata, and the block kind's own verbatim fields. */
const SKIPPED_FIELDS = new Map(Object.entries(VERBATIM_FIELDS).map(([kind, fields]) => [kind, new Set(['//', ...fields])]));
const METADATA_ONLY: ReadonlySet<string> = new Set(['//']);

function verbatimFields(block: TerraformBlock): ReadonlySet<string> {
  const dot = block.address.indexOf('.');
  return SKIPPED_FIELDS.get(dot < 0 ? block.address : block.address.slice(0, dot)) ?? METADATA_ONLY;
}

/** Findings in a block's values and keys, each at its JSON path from the block's address; the block's own verbatim fields are skipped. */
function blockFindings(stack: TerraformStack, block: TerraformBlock, found: Finding[]): void {
  const skip = verbatimFields(block);
  for (const { text, what, path } of blockTexts(block).signed) {
    // a verbatim field at the top of the body, and all below it; the keys of a map are templates as well
    if (typeof path[0] === 'string' && skip.has(path[0])) continue;
    const finding = stringFinding(stack, text, () => formatKeyPath(path, block.address), what);
    if (finding) found.push(finding);
  }
}

/** The first template sequence in `text` that synth would not have written, as a finding at `at()`. */
function stringFinding(stack: TerraformStack, text: string, at: () => string, what: 'value' | 'key'): Finding | undefined {
  const problem = foreignSequence(text);
  if (problem === undefined) return undefined;
  const where = at();
  if (what === 'value' && SELF_ATTRIBUTE.test(text) && POSTCONDITION.test(where)) return undefined;
  const quoted = excerpt(text.slice(problem.index));
  const message =
    problem.kind === 'directive'
      ? `the ${what} holds the template directive ${quoted}, which Terraform would evaluate: synth never writes one`
      : `the ${what} holds the interpolation ${quoted}, which Terraform would evaluate: it is no reference to a resource or data source as synth writes them`;
  return { severity: 'error', rule: RULE, file: stack.file, object: where, message, fix: FIX };
}

/**
 * Where the first unescaped `%{`, or `${` that opens none of synth's own interpolations, starts. Read as
 * Terraform reads a template literal: a `$` right before `${`, or a `%` right before `%{`, escapes it.
 */
export function foreignSequence(text: string): { readonly kind: 'interpolation' | 'directive'; readonly index: number } | undefined {
  let i = nextSign(text, 0);
  while (i >= 0) {
    const c = text[i];
    if (text[i + 1] === c && text[i + 2] === '{') {
      i = nextSign(text, i + 3);
    } else if (text[i + 1] !== '{') {
      i = nextSign(text, i + 1);
    } else if (c === '%') {
      return { kind: 'directive', index: i };
    } else {
      OWN_INTERPOLATION.lastIndex = i;
      if (!OWN_INTERPOLATION.test(text)) return { kind: 'interpolation', index: i };
      i = nextSign(text, OWN_INTERPOLATION.lastIndex);
    }
  }
  return undefined;
}

/** Index of the next `$` or `%` from `from`, or -1. */
function nextSign(text: string, from: number): number {
  SIGN.lastIndex = from;
  return SIGN.exec(text)?.index ?? -1;
}
