import type { ClusterSummary } from '../../core/summary';
import { at, OutFile, parseJsonQuietly as parse } from '../artifacts';
import { Finding } from '../finding';
import { PublishedKey, publishedKeys } from '../published-keys';
import { fromClusterRule } from '../rule';

const JWKS_PATH = '/openid/v1/jwks';

/**
 * What Entra fetches: the discovery document at `<issuer>/.well-known/openid-configuration`, its
 * `jwks_uri`, and in the JWKS the key whose `kid` the token header names. Each key must parse, its
 * `kid` must be the one the API server computes, and the key the cluster signs with must be there.
 */
export const discoveryRule = fromClusterRule((part) => {
  const discovery = part.fileAt(`oidc/${part.summary.name}/.well-known/openid-configuration`);
  const jwks = part.fileAt(`oidc/${part.summary.name}${JWKS_PATH}`);
  if (!discovery && !jwks) return [];
  const keys = jwks ? publishedKeys(part.artifacts, jwks) ?? [] : [];
  return [...discoveryFindings(part.summary, discovery, jwks, keys), ...(jwks ? jwksFindings(part.summary, jwks, keys) : [])];
});

function discoveryFindings(c: ClusterSummary, discovery: OutFile | undefined, jwks: OutFile | undefined, keys: readonly PublishedKey[]): Finding[] {
  if (!discovery || !jwks) {
    const missing = discovery ? `oidc/${c.name}${JWKS_PATH}` : `oidc/${c.name}/.well-known/openid-configuration`;
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
  const keyAlgs = keys.map((k) => k.jwk.alg).filter((a): a is string => typeof a === 'string');
  const missingAlgs = [...new Set(keyAlgs)].filter((a) => !Array.isArray(algs) || !algs.includes(a));
  if (missingAlgs.length > 0) {
    findings.push(finding('discovery', discovery.path, 'id_token_signing_alg_values_supported', `does not list ${missingAlgs.join(', ')}, the algorithm of keys in the JWKS`, `add ${missingAlgs.map((a) => `"${a}"`).join(', ')}`));
  }
  return findings;
}

function jwksFindings(c: ClusterSummary, jwks: OutFile, keys: readonly PublishedKey[]): Finding[] {
  const findings: Finding[] = [];
  const kids = keys.map((key, i) => {
    const object = `keys[${i}]`;
    if ('problem' in key) {
      findings.push(finding('jwks', jwks.path, object, `is not a public key Node's crypto can read: ${key.problem}`, 'rebuild the JWKS with wisynth jwks --public-keys <sa.pub>'));
      return undefined;
    }
    const { jwk, kid } = key;
    if (jwk.kid !== kid) {
      findings.push(
        finding('jwks', jwks.path, object, `kid is ${JSON.stringify(jwk.kid)}, but this key's id is "${kid}" (base64url SHA-256 of its DER public key, what the API server writes in token headers): Entra finds no key for the tokens`, `set kid to "${kid}"`),
      );
    }
    return kid;
  });
  const signing = c.signingKeyId;
  if (signing && !kids.includes(signing)) {
    findings.push(
      finding('jwks', jwks.path, 'keys', `does not contain the key cluster ${c.name} signs tokens with (kid "${signing}", summary.json); every token fails verification`, 'rebuild the JWKS from the cluster\'s current public key (sa.pub) with synth or wisynth jwks'),
    );
  }
  if (keys.length === 0) findings.push(finding('jwks', jwks.path, 'keys', 'lists no key', 'rebuild the JWKS from the cluster\'s public key'));
  return findings;
}

function finding(rule: string, file: string, object: string, message: string, fix: string): Finding {
  return { severity: 'error', rule, file, object, message, fix };
}
