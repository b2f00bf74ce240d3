import { parseJsonQuietly, TerraformStack } from '../artifacts';
import { Finding } from '../finding';
import { formatKeyPath } from '../../core/key-path';
import { isRecord } from '../../core/objects';
import { fromFileRule, Rule } from '../rule';
import { blockTexts, TerraformBlock, terraformBlocks } from '../terraform-blocks';
import { TrustModel } from '../trust';

/**
 * Every resource or data source a stack refers to (in `${…}` or `depends_on`) is declared in that
 * stack, and every stack a stack depends on is in the manifest: else `terraform plan` stops.
 */

const RULE = 'terraform-reference';
const MANIFEST = 'terraform/manifest.json';

/** A resource or data source address, as written after `${` or in `depends_on`. */
interface Address {
  readonly data: boolean;
  readonly type: string;
  readonly id: string;
}

/**
 * `type.id` or `data.type.id` at the root of a traversal (not after `.`, a name or `-`). Resource types
 * always hold `_` (`<provider>_<name>`), which keeps out `var.x`, `local.x`, `each.x`, `module.x`, `self.x`.
 */
const ADDRESS = /(?<![\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const WHOLE_ADDRESS = /^(data\.)?([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)$/;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
/** Names a `for` expression binds: `for k, v in …` makes `k.x`, `v.x` no addresses. */
const FOR_NAMES = /\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g;

/** Each stack declares what it refers to: a file rule. */
export const terraformReferencesInStacksRule = fromFileRule((files) => files.stacks.flatMap(missingReferences));

/** The manifest lists each stack a stack depends on. */
export const stackDependenciesRule: Rule = (model) => missingStackDependencies(model);

/** Both: references within stacks, and dependencies between them. */
export const terraformReferencesRule: Rule = (model, options) => [...terraformReferencesInStacksRule(model, options), ...stackDependenciesRule(model, options)];

function missingReferences(stack: TerraformStack): Finding[] {
  return terraformBlocks(stack.json).flatMap((block) => {
    const seen = new Set<string>();
    const found: Finding[] = [];
    eachReference(block, (address, where, expression) => {
      if (declared(stack, address)) return;
      const name = addressName(address);
      if (seen.has(name)) return;
      seen.add(name);
      found.push(missingReference(stack, block.address, name, where(), expression));
    });
    return found;
  });
}

/**
 * What a block refers to, one reference at a time: its address, where in the block (a key path such as
 * `parent_id` or `depends_on[0]`, spelled out only when asked for, during the call) and the text it was found in.
 */
type OnReference = (address: Address, where: () => string, expression: string) => void;

/** The references inside the `${…}` of every string of a block (`depends_on` aside), then those of `depends_on`. */
function eachReference(block: TerraformBlock, on: OnReference): void {
  for (const { text, what, path } of blockTexts(block).signed) {
    if (what !== 'value' || path[0] === 'depends_on' || !text.includes('${')) continue;
    for (const inner of interpolations(text)) for (const address of addressesIn(inner)) on(address, () => formatKeyPath(path), text);
  }
  const dependsOn = isRecord(block.body) && Array.isArray(block.body.depends_on) ? block.body.depends_on : [];
  dependsOn.forEach((entry: unknown, i) => {
    const address = typeof entry === 'string' ? parseDependsOn(entry) : undefined;
    if (address) on(address, () => `depends_on[${i}]`, String(entry));
  });
}

/** The bodies of the `${…}` in a string; `$${` is an escaped `${`, and braces inside quoted strings do not count. */
export function interpolations(text: string): string[] {
  const bodies: string[] = [];
  let start = text.indexOf('${');
  while (start >= 0) {
    const escaped = start > 0 && text[start - 1] === '$';
    const end = escaped ? start + 1 : closingBrace(text, start + 2);
    if (end < 0) break;
    if (!escaped) bodies.push(text.slice(start + 2, end));
    start = text.indexOf('${', end + 1);
  }
  return bodies;
}

/** Index of the `}` closing an interpolation whose body starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i);
    else if (c === '{') depth++;
    else if (c === '}' && depth-- === 0) return i;
  }
  return -1;
}

function endOfString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** The resource and data source addresses an expression reads, string literals and `for` variables aside. */
export function addressesIn(expression: string): Address[] {
  const code = expression.includes('"') ? expression.replace(STRING_LITERAL, '""') : expression;
  const bound = code.includes('for') ? new Set([...code.matchAll(FOR_NAMES)].flatMap((m) => [m[1], m[2]]).filter((n): n is string => !!n)) : undefined;
  return [...code.matchAll(ADDRESS)].filter((m) => !bound?.has(m[2])).map((m) => ({ data: !!m[1], type: m[2], id: m[3] }));
}

/** `type.id` or `data.type.id` (cdktf writes them bare; `${…}` around them is accepted); `module.x` is no resource. */
function parseDependsOn(entry: string): Address | undefined {
  const bare = /^\$\{(.*)\}$/.exec(entry.trim())?.[1] ?? entry.trim();
  const m = WHOLE_ADDRESS.exec(bare);
  return m ? { data: !!m[1], type: m[2], id: m[3] } : undefined;
}

function declared(stack: TerraformStack, address: Address): boolean {
  return (address.data ? stack.data : stack.resources).get(address.type)?.has(address.id) ?? false;
}

function addressName(address: Address): string {
  return `${address.data ? 'data.' : ''}${address.type}.${address.id}`;
}

function missingReference(stack: TerraformStack, object: string, name: string, where: string, expression: string): Finding {
  const what = name.startsWith('data.') ? 'data source' : 'resource';
  return {
    severity: 'error',
    rule: RULE,
    file: stack.file,
    object,
    message: `${where} refers to ${what} ${name} (in "${expression}"), which stack ${stack.name} does not declare`,
    fix: `declare ${name} in stack ${stack.name} or correct the reference; a resource of another stack is read through that stack's output, not by its address`,
  };
}

function missingStackDependencies(model: TrustModel): Finding[] {
  const listed = manifestStacks(model);
  return model.artifacts.stacks.flatMap((stack) =>
    stack.dependencies
      .filter((dependency) => !listed.has(dependency))
      .map((dependency) => ({
        severity: 'error' as const,
        rule: RULE,
        file: MANIFEST,
        object: `stacks.${stack.name}.dependencies`,
        message: `stack ${stack.name} depends on stack "${dependency}", which ${MANIFEST} does not list`,
        fix: `synth again so the manifest and the stacks agree, or remove "${dependency}" from the dependencies of ${stack.name}`,
      })),
  );
}

/** Every stack the manifest names, readable or not (a missing stack file is reported as unreadable already). */
function manifestStacks(model: TrustModel): Set<string> {
  const names = new Set(model.artifacts.stacks.map((s) => s.name));
  const manifest = model.artifacts.files.find((f) => f.path === MANIFEST);
  const parsed = manifest ? parseJsonQuietly(manifest.text) : undefined;
  const stacks = isRecord(parsed) ? parsed.stacks : undefined;
  if (isRecord(stacks)) for (const name of Object.keys(stacks)) names.add(name);
  return names;
}
