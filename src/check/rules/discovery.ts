import { createPublicKey, JsonWebKey } from 'crypto';
import { keyId as apiServerKeyId } from '../../oidc/jwks';
import { at, fileAt, OutFile, parseJsonQuietly as parse } from '../artifacts';
import { Finding } from '../finding';
import { isRecord } from '../../core/objects';
import { Rule } from '../rule';
import { ClusterTrust } from '../trust';

const JWKS_PATH = '/openid/v1/jwks';

/**
 * What Entra fetches: the discovery document at `<issuer>/.well-known/openid-configuration`, its
 * `jwks_uri`, and in the JWKS the key whose `kid` the token header names. Each key must parse, its
 * `kid` must be the one the API server computes, and the key the cluster signs with must be there.
 */
export const discoveryRule: Rule = (model) =>
  model.clusters.flatMap((c) => {
    const discovery = fileAt(model.artifacts, `oidc/${c.summary.name}/.well-known/openid-configuration`);
    const jwks = fileAt(model.artifacts, `oidc/${c.summary.name}${JWKS_PATH}`);
    if (!discovery && !jwks) return [];
    return [...discoveryFindings(c, discovery, jwks), ...(jwks ? jwksFindings(c, jwks) : [])];
  });

function discoveryFindings(c: ClusterTrust, discovery: OutFile | undefined, jwks: OutFile | undefined): Finding[] {
  if (!discovery || !jwks) {
    const missing = discovery ? `oidc/${c.summary.name}${JWKS_PATH}` : `oidc/${c.summary.name}/.well-known/openid-configuration`;
    return [finding('discovery', (discovery ?? jwks)!.path, '(file)', `${missing} is missing: Entra needs both documents of the issuer`, 'synth again, and upload both documents')];
  }
  const doc = parse(discovery.text);
  const issuer = at(doc, 'issuer');
  if (typeof issuer !== 'string') return []; // reported by the issuer rule through the sources
  const expected = `${issuer.replace(/\/$/, '')}${JWKS_PATH}`;
  const findings: Finding[] = [];
  if (at(doc, 'jwks_uri') !== expected) {
    findings.push(
      finding('discovery', discovery.path, 'jwks_uri', `jwks_uri is ${JSON.stringify(at(doc, 'jwks_uri'))}, but the JWKS is published at "${expected}" (the issuer, without a trailing slash, plus ${JWKS_PATH})`, `set jwks_uri to "${expected}"`),
    );
  }
  const algs = at(doc, 'id_token_signing_alg_values_supported');
  const keyAlgs = keysOf(parse(jwks.text)).map((k) => k.alg).filter((a): a is string => typeof a === 'string');
  const missingAlgs = [...new Set(keyAlgs)].filter((a) => !Array.isArray(algs) || !algs.includes(a));
  if (missingAlgs.length > 0) {
    findings.push(finding('discovery', discovery.path, 'id_token_signing_alg_values_supported', `does not list ${missingAlgs.join(', ')}, the algorithm of keys in the JWKS`, `add ${missingAlgs.map((a) => `"${a}"`).join(', ')}`));
  }
  return findings;
}

function jwksFindings(c: ClusterTrust, jwks: OutFile): Finding[] {
  const keys = keysOf(parse(jwks.text));
  const findings: Finding[] = [];
  const kids = keys.map((jwk, i) => {
    const object = `keys[${i}]`;
    let kid: string;
    try {
      kid = keyId(jwk);
    } catch (e) {
      findings.push(finding('jwks', jwks.path, object, `is not a public key Node's crypto can read: ${(e as Error).message}`, 'rebuild the JWKS with wisynth jwks --public-keys <sa.pub>'));
      return undefined;
    }
    if (jwk.kid !== kid) {
      findings.push(
        finding('jwks', jwks.path, object, `kid is ${JSON.stringify(jwk.kid)}, but this key's id is "${kid}" (base64url SHA-256 of its DER public key, what the API server writes in token headers): Entra finds no key for the tokens`, `set kid to "${kid}"`),
      );
    }
    return kid;
  });
  const signing = c.summary.signingKeyId;
  if (signing && !kids.includes(signing)) {
    findings.push(
      finding('jwks', jwks.path, 'keys', `does not contain the key cluster ${c.summary.name} signs tokens with (kid "${signing}", summary.json); every token fails verification`, 'rebuild the JWKS from the cluster\'s current public key (sa.pub) with synth or wisynth jwks'),
    );
  }
  if (keys.length === 0) findings.push(finding('jwks', jwks.path, 'keys', 'lists no key', 'rebuild the JWKS from the cluster\'s public key'));
  return findings;
}

/** The `kid` the API server puts in token headers; throws when the JWK is no public key. */
function keyId(jwk: JsonWebKey): string {
  return apiServerKeyId(createPublicKey({ key: jwk, format: 'jwk' }));
}

function keysOf(doc: unknown): JsonWebKey[] {
  const keys = at(doc, 'keys');
  return Array.isArray(keys) ? keys.filter(isRecord) : [];
}

function finding(rule: string, file: string, object: string, message: string, fix: string): Finding {
  return { severity: 'error', rule, file, object, message, fix };
}
