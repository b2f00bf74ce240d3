import { createPublicKey, JsonWebKey } from 'crypto';
import { isRecord } from '../core/objects';
import { keyId } from '../oidc/jwks';
import { Artifacts, at, OutFile, parseJsonQuietly } from './artifacts';

/** A key of a JWKS file of OUT: the JWK, and the kid the API server computes of it, or why it is no public key. */
export type PublishedKey = { readonly jwk: JsonWebKey; readonly kid: string } | { readonly jwk: JsonWebKey; readonly problem: string };

const read = new WeakMap<Artifacts, Map<OutFile, readonly PublishedKey[] | undefined>>();

/**
 * The keys (the mappings of its `keys` list) of a JWKS file, each read once per OUT for the rules that compare
 * kids (discovery, api-server-keys); nothing when the file is no JSON with a `keys` list.
 */
export function publishedKeys(artifacts: Artifacts, jwks: OutFile): readonly PublishedKey[] | undefined {
  let known = read.get(artifacts);
  if (!known) read.set(artifacts, (known = new Map()));
  if (!known.has(jwks)) known.set(jwks, keysIn(jwks.text));
  return known.get(jwks);
}

function keysIn(text: string): PublishedKey[] | undefined {
  const keys = at(parseJsonQuietly(text), 'keys');
  if (!Array.isArray(keys)) return undefined;
  return keys.filter(isRecord).map((jwk: JsonWebKey) => {
    try {
      return { jwk, kid: keyId(createPublicKey({ key: jwk, format: 'jwk' })) };
    } catch (e) {
      return { jwk, problem: (e as Error).message };
    }
  });
}
