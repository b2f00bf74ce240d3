/**
 * The DER SubjectPublicKeyInfo of an RSA or EC public key, from its JWK: the bytes Go's
 * x509.MarshalPKIXPublicKey writes (golang/go src/crypto/x509/x509.go, marshalPublicKey), over which
 * Kubernetes computes a service account key's `kid` (kubernetes/kubernetes pkg/serviceaccount/jwt.go,
 * keyIDFromPublicKey), and OpenSSL's export gives. Encoded here because OpenSSL's export of a KeyObject
 * costs 25 times its export as a JWK (150 against 6 µs), once per key of every cluster. A test compares
 * it with OpenSSL's for every key type and size wisynth reads.
 */
import type { JsonWebKey } from 'crypto';

/** rsaEncryption (RFC 8017), with the NULL parameters Go writes. */
const RSA_ALGORITHM = Buffer.from('300d06092a864886f70d0101010500', 'hex');
/** id-ecPublicKey (RFC 5480) and the named curve. */
const EC_ALGORITHM: Readonly<Record<string, Buffer>> = {
  'P-256': Buffer.from('301306072a8648ce3d020106082a8648ce3d030107', 'hex'),
  'P-384': Buffer.from('301006072a8648ce3d020106052b81040022', 'hex'),
  'P-521': Buffer.from('301006072a8648ce3d020106052b81040023', 'hex'),
};

/** The SubjectPublicKeyInfo of a public RSA or EC (P-256, P-384, P-521) JWK, or undefined for any other key. */
export function spkiFromJwk(jwk: JsonWebKey): Buffer | undefined {
  if (jwk.kty === 'RSA' && typeof jwk.n === 'string' && typeof jwk.e === 'string') {
    const rsaPublicKey = tlv(0x30, Buffer.concat([integer(base64url(jwk.n)), integer(base64url(jwk.e))]));
    return tlv(0x30, Buffer.concat([RSA_ALGORITHM, bitString(rsaPublicKey)]));
  }
  const algorithm = jwk.kty === 'EC' && typeof jwk.crv === 'string' ? EC_ALGORITHM[jwk.crv] : undefined;
  if (algorithm && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
    // the uncompressed point; JWK coordinates are of the curve's full length (RFC 7518 section 6.2.1.2)
    return tlv(0x30, Buffer.concat([algorithm, bitString(Buffer.concat([Buffer.of(0x04), base64url(jwk.x), base64url(jwk.y)]))]));
  }
  return undefined;
}

function base64url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

/** A DER INTEGER of an unsigned big-endian number: no leading zero byte but one that keeps it positive. */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const digits = bytes.subarray(start);
  return tlv(0x02, digits[0] & 0x80 ? Buffer.concat([Buffer.of(0), digits]) : digits);
}

function bitString(bytes: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.of(0), bytes]));
}

/** Tag, DER length (short form below 128, else the length's bytes), value. */
function tlv(tag: number, value: Buffer): Buffer {
  const length: number[] = [];
  for (let n = value.length; n > 0; n >>= 8) length.unshift(n & 0xff);
  const header = value.length < 0x80 ? [tag, value.length] : [tag, 0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from(header), value]);
}
