import { createPublicKey, generateKeyPairSync, KeyObject, X509Certificate } from 'crypto';
import * as path from 'path';
import { INPUT_KINDS } from '../inputs/kinds';
import { readInputFile } from '../inputs/read-file';
import { FleetError, FleetIssue } from '../core/issues';

/** A public key the API server's tokens are checked against, as published in the JWKS. */
export interface PublicSigningKey {
  readonly key: KeyObject;
  readonly kty: 'RSA' | 'EC';
  readonly alg: 'RS256' | 'ES256' | 'ES384' | 'ES512';
  /** Where the key came from (a file name), for messages. */
  readonly source: string;
}

/** Smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;
/** Size `keygen` uses, as ccoctl does. */
export const GENERATED_RSA_BITS = 4096;

/** The curves Kubernetes and azwi sign with, by OpenSSL name, and the JWS algorithm of each. */
const EC_ALGORITHMS: Readonly<Record<string, PublicSigningKey['alg']>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'];
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const GENERATE = `generate an RSA ${GENERATED_RSA_BITS} key pair with \`wisynth keygen -o DIR\` and publish its .pub file`;

/**
 * Reads one PEM public key: SPKI (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`) or the key of an X.509
 * `CERTIFICATE`. RSA of at least 2048 bits, or EC on P-256, P-384 or P-521.
 *
 * A file holds exactly one PEM block: several blocks are refused rather than the first taken, because
 * azwi and the API server would read every key of such a file, and a silently dropped rotation key
 * breaks token validation with no hint why. Text around the block (`openssl x509 -text` output) is ignored.
 * Private keys are refused: wisynth only ever publishes public keys.
 */
export function parsePublicKey(pem: string, source: string): PublicSigningKey {
  if (pem.trim() === '') throw keyError(source, 'the file is empty', `put a PEM public key in it, or ${GENERATE}`);
  // NUL, other control characters or U+FFFD from decoding non-UTF-8 bytes: a binary file.
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(pem)) {
    throw keyError(source, 'the file is binary, not PEM (a DER key?)', `convert it to PEM: \`openssl pkey -pubin -inform DER -in ${source} -out ${source}.pem\``);
  }
  const blocks = [...pem.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1], text: m[0] }));
  const privateBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (privateBlock) {
    throw keyError(
      source,
      `the file holds a private key (BEGIN ${privateBlock.label}) where a public key is expected`,
      `derive the public key with \`${derivePublicCommand(privateBlock.label, source)}\` and pass that file; keep the private key secret and never commit it`,
    );
  }
  if (blocks.length === 0) {
    if (/^\s*(ssh-|ecdsa-sha2-)/.test(pem)) {
      throw keyError(source, 'the file is an OpenSSH public key, not PEM', `convert it: \`ssh-keygen -e -m PKCS8 -f ${source} > ${source}.pem\``);
    }
    const broken = /-----BEGIN /.test(pem) ? ': a BEGIN line has no matching END line' : '';
    throw keyError(source, `the file is not a PEM key${broken}`, 'pass a PEM public key (-----BEGIN PUBLIC KEY-----), e.g. `openssl pkey -in sa.key -pubout -out sa.pub`');
  }
  if (blocks.length > 1) {
    throw keyError(
      source,
      `the file holds ${blocks.length} PEM blocks (${blocks.map((b) => b.label).join(', ')}); one key per file is expected`,
      'put each key in a file of its own and list every file (`wisynth jwks --public-keys a.pub b.pub`)',
    );
  }
  const [{ label, text }] = blocks;
  if (!PUBLIC_LABELS.includes(label)) {
    throw keyError(source, `the file holds a ${label}, not a public key`, `pass a PEM block of type ${PUBLIC_LABELS.join(', ')}`);
  }
  let key: KeyObject;
  try {
    key = label === 'CERTIFICATE' ? new X509Certificate(text).publicKey : createPublicKey({ key: text, format: 'pem' });
  } catch (e) {
    throw keyError(source, `its ${label} block cannot be parsed (${(e as Error).message})`, 'the file is damaged or truncated: export the key again');
  }
  return { key, source, ...signingAlgorithm(key, source) };
}

/** The JWS algorithm of a key, or the reason it cannot sign service-account tokens. */
function signingAlgorithm(key: KeyObject, source: string): Pick<PublicSigningKey, 'kty' | 'alg'> {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) throw keyError(source, `the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required`, GENERATE);
      return { kty: 'RSA', alg: 'RS256' };
    }
    case 'ec': {
      const alg = EC_ALGORITHMS[details.namedCurve ?? ''];
      if (!alg) throw keyError(source, `the EC key is on curve ${details.namedCurve ?? '(explicit parameters)'}; only P-256, P-384 and P-521 are supported`, GENERATE);
      return { kty: 'EC', alg };
    }
    case 'rsa-pss':
      throw keyError(source, 'the key is an RSA-PSS key (id-RSASSA-PSS); Kubernetes and azwi take only plain RSA (rsaEncryption) keys', GENERATE);
    default:
      throw keyError(source, `the key is of type ${key.asymmetricKeyType ?? 'unknown'}; service-account tokens are signed with RSA (RS256) or ECDSA keys`, GENERATE);
  }
}

function keyError(source: string, message: string, fix: string): FleetError {
  return new FleetError([{ file: source, message, fix }]);
}

function derivePublicCommand(label: string, file: string): string {
  const out = `${file.replace(/\.(key|pem)$/, '')}.pub`;
  if (label === 'OPENSSH PRIVATE KEY') return `ssh-keygen -e -m PKCS8 -f ${file} > ${out}`;
  if (label === 'RSA PRIVATE KEY') return `openssl rsa -in ${file} -pubout -out ${out}`;
  if (label === 'EC PRIVATE KEY') return `openssl ec -in ${file} -pubout -out ${out}`;
  return `openssl pkey -in ${file} -pubout -out ${out}`;
}

/**
 * Reads and parses a public key file; a missing or unreadable file, or anything but a regular file of at
 * most INPUT_LIMITS.publicKeyBytes (a device, a FIFO, a folder), is a FleetError.
 * `source` names the file in messages (the path as the user wrote it); @default file
 */
export function readPublicKeyFile(file: string, source: string = file): PublicSigningKey {
  return parsePublicKey(readInputFile(file, INPUT_KINDS.publicKey, source), source);
}

/** Reads public key files given relative to `baseDir`, reporting every bad one at once under the name it was given. */
export function readPublicKeyFiles(files: readonly string[], baseDir: string): PublicSigningKey[] {
  const keys: PublicSigningKey[] = [];
  const issues: FleetIssue[] = [];
  for (const file of files) {
    try {
      keys.push(readPublicKeyFile(path.resolve(baseDir, file), file));
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length > 0) throw new FleetError(issues);
  return keys;
}

/** A new service-account signing key pair as ccoctl makes one: RSA 4096, private PKCS#1 PEM, public SPKI PEM. */
export function generateSigningKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: GENERATED_RSA_BITS,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
