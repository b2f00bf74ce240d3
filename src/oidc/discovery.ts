import { PublicSigningKey } from './keys';
import { JWKS_PATH } from './paths';

/** What Entra reads at `<issuer>/.well-known/openid-configuration`, fields in the order Kubernetes and ccoctl write them. */
export interface DiscoveryDocument {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly response_types_supported: readonly string[];
  readonly subject_types_supported: readonly string[];
  readonly id_token_signing_alg_values_supported: readonly string[];
}

/** Where the JWKS of an issuer is: the issuer with a trailing `/` dropped, then `/openid/v1/jwks`. */
export function jwksUri(issuer: string): string {
  return `${issuer.endsWith('/') ? issuer.slice(0, -1) : issuer}/${JWKS_PATH}`;
}

/**
 * The discovery document of an issuer whose keys sign with `algorithms`; `issuer` is kept byte for byte
 * (Entra compares it exactly). `uri` is given where the issuer is a Terraform expression.
 */
export function discoveryDocument(issuer: string, algorithms: readonly string[], uri: string = jwksUri(issuer)): DiscoveryDocument {
  return {
    issuer,
    jwks_uri: uri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...algorithms],
  };
}

/** The distinct algorithms of the published keys, sorted. */
export function signingAlgorithms(keys: readonly PublicSigningKey[]): PublicSigningKey['alg'][] {
  return [...new Set(keys.map((k) => k.alg))].sort();
}

/** The document as text: two-space JSON and a final newline, like the JWKS and azwi's documented example. */
export function discoveryJson(doc: DiscoveryDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
