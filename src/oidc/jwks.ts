import { createHash, JsonWebKey, KeyObject } from 'crypto';
import { byCodePoint } from '../core/compare';
import { PublicSigningKey } from './keys';
import { spkiFromJwk } from './spki';

/**
 * The `kid` Kubernetes puts in token headers and azwi in the JWKS: base64url (no padding) of SHA-256 over
 * the key's DER SubjectPublicKeyInfo. Not the RFC 7638 thumbprint.
 */
export function keyId(key: KeyObject): string {
  const spki = spkiFromJwk(key.export({ format: 'jwk' })) ?? key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64url');
}

/** An RSA key as azwi publishes it, fields in go-jose's order. */
export interface RsaJwk {
  readonly use: 'sig';
  readonly kty: 'RSA';
  readonly kid: string;
  readonly alg: 'RS256';
  readonly n: string;
  readonly e: string;
}

/** An EC key as azwi publishes it, fields in go-jose's order. */
export interface EcJwk {
  readonly use: 'sig';
  readonly kty: 'EC';
  readonly kid: string;
  readonly crv: 'P-256' | 'P-384' | 'P-521';
  readonly alg: 'ES256' | 'ES384' | 'ES512';
  readonly x: string;
  readonly y: string;
}

export type Jwk = RsaJwk | EcJwk;

export interface Jwks {
  readonly keys: Jwk[];
}

/**
 * The JWKS of an issuer: one entry per distinct key (same kid listed once), in the order given,
 * so the signing key can come first and a retiring key after it.
 */
export function buildJwks(keys: readonly PublicSigningKey[]): Jwks {
  const byKid = new Map<string, Jwk>();
  for (const key of keys) {
    const kid = keyId(key.key);
    if (!byKid.has(kid)) byKid.set(kid, toJwk(key, kid));
  }
  return { keys: [...byKid.values()] };
}

function toJwk(key: PublicSigningKey, kid: string): Jwk {
  const exported: JsonWebKey = key.key.export({ format: 'jwk' });
  // Built field by field: JSON keeps insertion order, and azwi's (go-jose's) order is the one to match.
  if (key.kty === 'RSA') {
    return { use: 'sig', kty: 'RSA', kid, alg: 'RS256', n: exported.n!, e: exported.e! };
  }
  return { use: 'sig', kty: 'EC', kid, crv: exported.crv as EcJwk['crv'], alg: key.alg as EcJwk['alg'], x: exported.x!, y: exported.y! };
}

/**
 * The JWKS as text, as `azwi jwks` prints it (Go's json.MarshalIndent with two spaces, which for these
 * ASCII-only values is byte-identical to JSON.stringify with two spaces), plus a final newline.
 */
export function jwksJson(jwks: Jwks): string {
  return `${JSON.stringify(jwks, null, 2)}\n`;
}

/**
 * The JWKS as an issuer hosts it (the `azurerm_storage_blob` content and OUT/oidc/<cluster>/openid/v1/jwks):
 * keys sorted by `kid`, so only a change of the key set changes the text. Any change of a blob's content
 * replaces the blob, deleting it before creating it (hashicorp/terraform-provider-azurerm
 * `internal/services/storage/storage_blob_resource.go`: `source_content` is ForceNew), so the rotation step
 * that only moves the new key first must not touch it. Entra looks keys up by `kid`; order means nothing to it.
 */
export function hostedJwksJson(jwks: Jwks): string {
  return jwksJson({ keys: [...jwks.keys].sort((a, b) => byCodePoint(a.kid, b.kid)) });
}
