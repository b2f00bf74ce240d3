import { KeyPath } from '../core/key-path';
import { isRecord } from '../core/objects';

/** A Terraform block of a stack and its body. */
export interface TerraformBlock {
  /** `type.id`, `data.type.id`, `output.name`, `local.name`, `provider.azurerm`, `terraform`, ... */
  readonly address: string;
  readonly body: unknown;
}

const blocksOf = new WeakMap<Record<string, unknown>, readonly TerraformBlock[]>();

/** The blocks of a stack's JSON by Terraform address (cdktf's `//` metadata left out); listed once per JSON, for every rule that reads them. */
export function terraformBlocks(json: Record<string, unknown>): readonly TerraformBlock[] {
  let blocks = blocksOf.get(json);
  if (!blocks) blocksOf.set(json, (blocks = listBlocks(json)));
  return blocks;
}

function listBlocks(json: Record<string, unknown>): TerraformBlock[] {
  return Object.entries(json).flatMap(([section, value]): TerraformBlock[] => {
    if (section === '//') return [];
    if (section === 'terraform' || !isRecord(value)) return [{ address: section, body: value }];
    if (section === 'resource' || section === 'data') return typedBlocks(section, value);
    const prefix = section === 'locals' ? 'local' : section;
    return Object.entries(value).flatMap(([name, body]) => namedBlocks(`${prefix}.${name}`, body));
  });
}

/** cdktf writes `provider.<name>` as a list of configurations: one block each, indexed when there are several. */
function namedBlocks(address: string, body: unknown): TerraformBlock[] {
  if (!Array.isArray(body)) return [{ address, body }];
  return body.map((item: unknown, i) => ({ address: body.length === 1 ? address : `${address}[${i}]`, body: item }));
}

function typedBlocks(section: 'resource' | 'data', byType: Record<string, unknown>): TerraformBlock[] {
  const prefix = section === 'data' ? 'data.' : '';
  return Object.entries(byType).flatMap(([type, byId]) =>
    isRecord(byId) ? Object.entries(byId).map(([id, body]) => ({ address: `${prefix}${type}.${id}`, body })) : [],
  );
}

/** A key or a string value of a block's body, with its key path in the body. */
export interface BlockText {
  readonly text: string;
  readonly what: 'key' | 'value';
  readonly path: KeyPath;
}

/** What the rules that read every string of a block need of it: every key, and the texts that may be templates. */
export interface BlockTexts {
  /** The key of every entry of every mapping in the body, in the body's order. */
  readonly keys: readonly string[];
  /** Each key and string value that holds a `$` or a `%` (where `${` and `%{` can be), in the body's order. */
  readonly signed: readonly BlockText[];
}

const textsOf = new WeakMap<TerraformBlock, BlockTexts>();

/**
 * The texts of a block, found by one walk of its body for every rule that reads them: the expressions, the
 * references and the secrets rule each walked all of every stack before (three walks of 225,000 entries at
 * 1,000 clusters). A walk of its own, not walkKeyPaths: without a visitor's calls it takes half the time.
 */
export function blockTexts(block: TerraformBlock): BlockTexts {
  let texts = textsOf.get(block);
  if (!texts) {
    texts = { keys: [], signed: [] };
    collect(block.body, [], texts as { keys: string[]; signed: BlockText[] });
    textsOf.set(block, texts);
  }
  return texts;
}

function collect(value: unknown, path: KeyPath, into: { keys: string[]; signed: BlockText[] }): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      collect(value[i], path, into);
      path.pop();
    }
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      into.keys.push(key);
      path.push(key);
      if (mayTemplate(key)) into.signed.push({ text: key, what: 'key', path: path.slice() });
      collect(value[key], path, into);
      path.pop();
    }
  } else if (typeof value === 'string' && mayTemplate(value)) {
    into.signed.push({ text: value, what: 'value', path: path.slice() });
  }
}

function mayTemplate(text: string): boolean {
  return text.includes('$') || text.includes('%');
}
