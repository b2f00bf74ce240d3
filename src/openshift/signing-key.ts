/**
 * The keys an OpenShift installation can use: what the installer and ccoctl read, checked at synth so a
 * bad key is refused before anything is applied rather than when Hive runs the installer. Pure functions
 * on text and KeyObjects; they return problems (what is wrong, and the fix) and never quote key material.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'crypto';
import { MIN_RSA_BITS } from '../oidc/keys';
import { keyId } from '../oidc/jwks';

/** One thing wrong with a key, said without its contents. */
export interface KeyProblem {
  readonly message: string;
  readonly fix: string;
}

const KEYGEN = 'make an RSA 4096 pair with `wisynth keygen -o keys/<cluster>` and use its sa.pub as publicKeyFile (and its sa.key as the signing key)';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** What a key is, for messages: "an EC key on prime256v1", "an Ed25519 key", "a 1024-bit RSA key". */
function describe(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return `a ${details.modulusLength ?? 0}-bit RSA key`;
    case 'ec':
      return `an EC key on ${details.namedCurve ?? 'explicit parameters'}`;
    case 'ed25519':
      return 'an Ed25519 key';
    case 'ed448':
      return 'an Ed448 key';
    case 'rsa-pss':
      return 'an RSA-PSS key';
    default:
      return `a ${key.asymmetricKeyType ?? 'unknown'} key`;
  }
}

/**
 * The RSA rule both upstream readers share, for a public or private key: RSA (rsaEncryption) of at least
 * MIN_RSA_BITS. The 2048-bit floor is wisynth's own (as for every platform); the RSA-only rule is upstream's:
 * - ccoctl builds the JWKS from the public key and refuses any other type ("public key is not of type RSA"):
 *   openshift/cloud-credential-operator `pkg/cmd/provisioning/utils.go`, BuildJsonWebKeySet
 *   (called from `pkg/cmd/provisioning/azure/create_oidc_issuer.go`, uploadOIDCDocuments).
 * - the installer parses the private key with x509.ParsePKCS1PrivateKey, which knows only RSA:
 *   openshift/installer `pkg/asset/tls/boundsasigningkey.go` (BoundSASigningKey.Load) via PemToPrivateKey
 *   in `pkg/asset/tls/utils.go`.
 */
function rsaProblem(key: KeyObject, what: string, fix: string): KeyProblem | undefined {
  if (key.asymmetricKeyType !== 'rsa') {
    return { message: `${what} is ${describe(key)}; OpenShift takes only RSA service-account signing keys (ccoctl publishes RS256 only, the installer parses PKCS#1 RSA only)`, fix };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return { message: `${what} is ${describe(key)}; at least ${MIN_RSA_BITS} bits are required`, fix };
  return undefined;
}

/**
 * What is wrong with the public key an OpenShift cluster publishes (openshiftHive.publicKeyFile): it must
 * be RSA of at least 2048 bits, or ccoctl and the installer refuse the pair (see rsaProblem).
 */
export function publishedKeyProblem(key: KeyObject): KeyProblem | undefined {
  return rsaProblem(key, 'the public key', KEYGEN);
}

/** The files a signing-key problem names, as the fleet wrote them. */
export interface SigningKeyFiles {
  readonly signingKeyFile: string;
  readonly publicKeyFile: string;
}

/**
 * What is wrong with the bound service-account signing key of `secrets.mode: files` (its PEM text), the
 * value Hive puts under `bound-service-account-signing-key.key` for the installer:
 * - one PEM block `RSA PRIVATE KEY` (PKCS#1), unencrypted: the installer decodes the first PEM block and
 *   calls x509.ParsePKCS1PrivateKey on it, so PKCS#8 (`PRIVATE KEY`), `EC PRIVATE KEY`, OpenSSH and
 *   encrypted keys all fail the installation (openshift/installer `pkg/asset/tls/boundsasigningkey.go`,
 *   Load, and `pkg/asset/tls/utils.go`, PemToPrivateKey);
 * - RSA of at least 2048 bits (rsaProblem);
 * - its public half is the published key (same kid as `publishedKey`, when that could be read): the
 *   installer derives the API server's public key from it, so tokens signed with another key than the one in
 *   the JWKS do not validate at Entra ID.
 */
export function signingKeyProblems(pem: string, publishedKey: KeyObject | undefined, files: SigningKeyFiles): KeyProblem[] {
  const file = files.signingKeyFile;
  const convert = `convert it to PKCS#1 with \`openssl rsa -in ${file} -traditional -out ${file.replace(/\.(key|pem)$/, '')}.rsa.pem\` (OpenSSL 3; with OpenSSL 1.1 leave out -traditional, it writes PKCS#1 already) and point signingKeyFile at the new file`;
  const blocks = [...pem.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1], text: m[0] }));
  if (blocks.length === 0) return [{ message: 'not a PEM private key (the service-account signing key)', fix: `point signingKeyFile at the PKCS#1 private half of ${files.publicKeyFile} (\`wisynth keygen\` writes it as sa.key)` }];
  if (blocks.length > 1) {
    return [{ message: `the file holds ${blocks.length} PEM blocks (${blocks.map((b) => b.label).join(', ')}); the installer reads only the first`, fix: 'keep only the RSA PRIVATE KEY block in the file' }];
  }
  const [{ label, text }] = blocks;
  if (label !== 'RSA PRIVATE KEY') {
    const reads = 'the installer reads only a PEM "RSA PRIVATE KEY" (PKCS#1) signing key';
    if (label === 'PRIVATE KEY') {
      const key = tryPrivateKey(text);
      if (key && key.asymmetricKeyType === 'rsa') return [{ message: `the key is PKCS#8 (BEGIN PRIVATE KEY); ${reads}`, fix: convert }];
      const what = key ? describe(key) : 'a PKCS#8 key that cannot be parsed';
      return [{ message: `the key is ${what} (BEGIN PRIVATE KEY); ${reads}, RSA only`, fix: KEYGEN }];
    }
    if (label === 'ENCRYPTED PRIVATE KEY') return [{ message: `the key is an encrypted PKCS#8 key; ${reads}, unencrypted`, fix: `if it is an RSA key, ${convert} (it asks for the passphrase); otherwise ${KEYGEN}` }];
    if (label === 'EC PRIVATE KEY') return [{ message: `the key is an EC key (BEGIN EC PRIVATE KEY); ${reads}, RSA only`, fix: KEYGEN }];
    return [{ message: `the file holds a ${label}; ${reads}`, fix: KEYGEN }];
  }
  if (/^Proc-Type:\s*4,ENCRYPTED/m.test(text)) return [{ message: 'the RSA private key is encrypted; the installer reads only an unencrypted key', fix: `decrypt it: ${convert} (it asks for the passphrase)` }];
  const key = tryPrivateKey(text);
  if (!key) return [{ message: 'its RSA PRIVATE KEY block cannot be parsed (damaged or truncated, or not PKCS#1 inside)', fix: `export the key again, or ${KEYGEN}` }];
  const weak = rsaProblem(key, 'the signing key', KEYGEN);
  if (weak) return [weak];
  if (publishedKey) {
    const own = keyId(createPublicKey(key));
    const published = keyId(publishedKey);
    if (own !== published) {
      return [
        {
          message: `its public half (kid ${own}) is not the published key ${files.publicKeyFile} (kid ${published}); tokens it signs would not validate against the JWKS`,
          fix: `fix signingKeyFile: point it at the private half of ${files.publicKeyFile} (keygen's sa.key beside sa.pub); or, if ${file} is the key you mean, publish its public half as publicKeyFile (\`openssl rsa -in ${file} -pubout -out sa.pub\`)`,
        },
      ];
    }
  }
  return [];
}

function tryPrivateKey(text: string): KeyObject | undefined {
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch {
    return undefined;
  }
}
