import { createHash } from 'crypto';

/**
 * Terraform identifier from a kind and names: letters, digits, `_` and `-`, starting with a letter.
 * Where other characters had to be replaced, a hash of the original keeps `rg.x` and `rg_x` apart.
 */
export function logicalId(kind: string, ...parts: string[]): string {
  const raw = [kind, ...parts].join('_');
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  return safe === raw ? safe : `${safe}_${shortHash(raw)}`;
}

/** 8 hex digits of SHA-256: keeps names apart that differ only in characters a name cannot hold. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
