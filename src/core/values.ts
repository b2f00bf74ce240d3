/**
 * What a value of each kind must look like, checked wherever a value comes in: the fleet file, the
 * constructs of a fleet built in code, CredentialsRequests and Terraform outputs files. One validator
 * per kind; each returns undefined for a good value, else a short reason that reads after the value
 * ("… has leading or trailing whitespace"). Callers quote the value (core/excerpt) and add the rule as
 * the fix. The patterns a JSON Schema can hold are exported as `…_PATTERN` sources: the fleet schema
 * carries the same strings (a test compares them).
 *
 * Sources, per kind, are cited where the kind is defined.
 */

/** One kind of value: what it is called, its rule in words (the fix of a message), and its validator. */
export interface ValueRule {
  /** What the value is, for messages: "Azure region name". */
  readonly what: string;
  /** The rule in words: the fix of a message, and the description in the fleet schema. */
  readonly rule: string;
  readonly problem: (value: string) => string | undefined;
}

/* ---------- text every value must be ---------- */

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators (a character class body). */
const CONTROL_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
/** Characters that print as nothing: soft hyphen, zero-width, bidirectional marks and isolates, word joiners, BOM. */
const INVISIBLE_CHARS = '\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff';
const CONTROL = new RegExp(`[${CONTROL_CHARS}]`, 'u');
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`, 'u');
/** Printable text with no whitespace around it, as a pattern body: what `textProblem` accepts. */
const PRINTABLE_EDGE = `[^\\s${CONTROL_CHARS}${INVISIBLE_CHARS}]`;
const PRINTABLE = `[^${CONTROL_CHARS}${INVISIBLE_CHARS}]`;
const TEXT_BODY = `${PRINTABLE_EDGE}(?:${PRINTABLE}*${PRINTABLE_EDGE})?`;

/**
 * What is wrong with a value as text, before its kind is looked at: empty, a control character (a
 * newline), an invisible character (a zero-width space), or whitespace around it.
 */
export function textProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (CONTROL.test(value)) return 'contains a control character (a newline, a tab or similar)';
  if (INVISIBLE.test(value)) return 'contains an invisible character (a zero-width space, a bidirectional mark or similar)';
  if (value.trim() !== value) return 'has leading or trailing whitespace';
  return undefined;
}

/** `pattern` as a whole-value test (the sources below are written for JSON Schema, which searches). */
function matcher(source: string): RegExp {
  return new RegExp(source, 'u');
}

/* ---------- GUID ---------- */

/**
 * RFC 9562 section 4 (RFC 4122 section 3): 8-4-4-4-12 hexadecimal digits, either case on input.
 * Entra tenant ids, subscription ids, client (application) ids and principal (object) ids are GUIDs.
 */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const GUID = matcher(GUID_PATTERN);

export function guidProblem(value: string): string | undefined {
  return textProblem(value) ?? (GUID.test(value) ? undefined : 'is not a GUID (8-4-4-4-12 hexadecimal digits)');
}

/* ---------- OIDC issuer URL ---------- */

/** Entra's limit on a federated credential's issuer (learn.microsoft.com entra/workload-id/workload-identity-federation-considerations). */
export const MAX_ISSUER_LENGTH = 600;

/** Hosts of Entra's own issuers (and their subdomains): a federated credential must not trust them (learn.microsoft.com entra/workload-id/workload-identity-federation-considerations). */
export const ENTRA_ISSUER_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'sts.windows.net',
  'login.windows.net',
];

/** A DNS name in lowercase (RFC 1123 labels), an IPv4 address, or an IPv6 address in brackets (RFC 3986 section 3.2.2). */
const ISSUER_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;
/** A path of RFC 3986 `pchar`s (unreserved, sub-delims, ":", "@", or %HH) in "/"-separated segments. */
const URL_PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*$/;

/**
 * The rules Entra, the API server and the OIDC specification put on an issuer, so that the one string
 * written into the FIC, the API server flag and the discovery document is the one every party reads
 * and fetches:
 * - no whitespace: Entra blocks the exchange when the token's issuer has leading or trailing whitespace,
 *   and its limit is 600 characters (learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations);
 * - https, no query, no fragment: OpenID Connect Discovery 1.0 section 3 (`issuer`), which the API server
 *   enforces for its discovery document (kubernetes/kubernetes pkg/serviceaccount/openidmetadata.go,
 *   NewOpenIDMetadata), and which azure-workload-identity requires of a self-managed cluster's issuer
 *   (docs/book/src/installation/self-managed-clusters/oidc-issuer.md);
 * - no `user:password@`: RFC 3986 section 3.2.1 deprecates it, and an issuer identifies, it does not log in;
 * - a lowercase ASCII host, IDNs in punycode: hosts are case-insensitive and IDNs resolve in their IDNA
 *   form (RFC 3986 sections 3.2.2 and 6.2.2.1), while Entra matches issuers case-sensitively, byte for
 *   byte (learn.microsoft.com/entra/identity-platform/reference-breaking-changes, August 2024), so only the
 *   normalized spelling, the one URL serializers and Azure's own issuers write, can match the token's;
 * - no "." or ".." segments: resolvers remove them (RFC 3986 section 5.2.4), so the documents Entra fetches
 *   would not be below the issuer it compares;
 * - not an Entra issuer (login.microsoftonline.com and similar): Entra refuses its own tokens as federated
 *   ones (learn.microsoft.com entra/workload-id/workload-identity-federation-considerations).
 */
export function issuerUrlProblem(value: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  if (value.length > MAX_ISSUER_LENGTH) return `is ${value.length} characters long; Entra allows at most ${MAX_ISSUER_LENGTH}`;
  if (/\s/u.test(value)) return 'contains whitespace';
  if (!value.startsWith('https://')) {
    if (/^https:\/\//i.test(value)) return 'must start with "https://" in lowercase';
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) ? 'is not https: Entra and the OIDC specification accept only https issuers' : 'is not an https:// URL';
  }
  const rest = value.slice('https://'.length);
  const end = rest.search(/[/?#\\]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end);
  if (authority.includes('@')) return 'contains a user name or password ("user:password@"), which an issuer never has';
  if (tail.includes('#')) return 'has a fragment ("#..."), which an issuer must not have';
  if (tail.includes('?')) return 'has a query ("?..."), which an issuer must not have';
  if (tail.includes('\\')) return 'contains a backslash, which URL parsers read as "/"';
  const port = /:([^:\]]*)$/.exec(authority);
  const host = port ? authority.slice(0, port.index) : authority;
  if (host === '') return 'has no host';
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = punycodeHost(host);
    return `has a non-ASCII host: write it in punycode${ascii ? ` ("${ascii}")` : ''}`;
  }
  if (host !== host.toLowerCase()) return `has capital letters in its host: write it in lowercase ("${host.toLowerCase()}")`;
  if (!ISSUER_HOST.test(host)) return 'has a host that is not a DNS name or an IP address';
  if (port && !/^[1-9][0-9]{0,4}$/.test(port[1])) return 'has a port that is not a number from 1 to 65535';
  if (port && Number(port[1]) > 65535) return 'has a port that is not a number from 1 to 65535';
  if (!URL_PATH.test(tail)) return 'has a character in its path that a URL cannot hold unescaped (a space, quote, brace, non-ASCII letter or similar)';
  if (tail.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))) return 'has a "." or ".." path segment, which URL resolvers remove';
  const entra = ENTRA_ISSUER_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
  if (entra) return `is an Entra issuer (${entra}), not a cluster's: Entra does not federate its own tokens`;
  try {
    new URL(value);
  } catch {
    return 'is not a URL';
  }
  return undefined;
}

/** The IDNA (punycode) form of a host, as the WHATWG URL parser writes it; undefined when it has none. */
function punycodeHost(host: string): string | undefined {
  try {
    return new URL(`https://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

export const ISSUER_URL_RULE =
  'an https URL with a lowercase ASCII host (punycode for international names), no user:password@, query, fragment, "." or ".." segment, whitespace or control character, at most 600 characters, and not an Entra issuer';

/* ---------- Azure region ---------- */

/**
 * Azure's region names, as `az account list-locations --query "[].name"` lists them (westeurope,
 * eastus2, usgovvirginia, chinanorth3): lowercase letters and digits, no spaces. Terraform would
 * accept "West Europe" and normalize it, but the name is written into Kubernetes objects too
 * (CAPZ, Hive), where only the name is understood.
 */
export const REGION_PATTERN = '^[a-z][a-z0-9]*$';
const REGION = matcher(REGION_PATTERN);

export function regionProblem(value: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  if (/\s/u.test(value)) return 'contains a space: region names have none (westeurope, not "West Europe")';
  if (value !== value.toLowerCase() && REGION.test(value.toLowerCase())) return 'has capital letters: region names are lowercase';
  return REGION.test(value) ? undefined : 'is not an Azure region name';
}

/* ---------- Kubernetes names ---------- */

/**
 * RFC 1123 labels and subdomains as Kubernetes checks them (k8s.io/apimachinery pkg/util/validation/
 * validation.go, IsDNS1123Label and IsDNS1123Subdomain): lowercase letters, digits and "-", starting
 * and ending with a letter or digit; a label at most 63 characters, a subdomain (labels joined by ".")
 * at most 253.
 */
const DNS1123_LABEL_FORMAT = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
export const DNS_LABEL_PATTERN = `^(?=.{1,63}$)${DNS1123_LABEL_FORMAT}$`;
export const DNS_SUBDOMAIN_PATTERN = `^(?=.{1,253}$)${DNS1123_LABEL_FORMAT}(?:\\.${DNS1123_LABEL_FORMAT})*$`;
const DNS_LABEL = matcher(DNS_LABEL_PATTERN);
const DNS_SUBDOMAIN = matcher(DNS_SUBDOMAIN_PATTERN);

function dnsProblem(value: string, max: number, valid: RegExp, shape: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  if (value.length > max) return `is ${value.length} characters long; at most ${max} are allowed`;
  if (value !== value.toLowerCase() && valid.test(value.toLowerCase())) return 'has capital letters: Kubernetes names are lowercase';
  return valid.test(value) ? undefined : `is not ${shape}`;
}

export function dnsLabelProblem(value: string): string | undefined {
  return dnsProblem(value, 63, DNS_LABEL, 'a DNS label (lowercase letters, digits and "-", starting and ending with a letter or digit)');
}

export function dnsSubdomainProblem(value: string): string | undefined {
  return dnsProblem(value, 253, DNS_SUBDOMAIN, 'a DNS subdomain (lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit)');
}

/* ---------- container image reference ---------- */

/**
 * The grammar of distribution/reference (regexp.go, reference.go), which Docker, containerd and the
 * kubelet parse image names with:
 *   reference := name [ ":" tag ] [ "@" digest ]; name := [domain "/"] path-component ["/" path-component]*
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*; separator := [._] | "__" | "-"+
 *   domain := domain-component ("." domain-component)* [":" port]; tag := [\w][\w.-]{0,127}
 *   digest := algorithm ":" hex (32 or more)
 * and a path (the name without its domain) of at most 255 characters (RepositoryNameTotalLengthMax).
 */
const IMAGE_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const IMAGE_DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_DOMAIN = `(?:${IMAGE_DOMAIN_COMPONENT}(?:\\.${IMAGE_DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const IMAGE_REMOTE_NAME = `${IMAGE_PATH_COMPONENT}(?:/${IMAGE_PATH_COMPONENT})*`;
const IMAGE_TAG = '[\\w][\\w.-]{0,127}';
const IMAGE_DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
/** The longest reference the grammar allows: a 253-character domain and port, a 255-character path, a tag, a sha512 digest. */
const MAX_IMAGE_REFERENCE = 1024;
/** Digest algorithms go-digest registers, and the length of their hex encoding. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const REGISTERED_DIGEST = `(?:${Object.entries(DIGEST_HEX_LENGTH).map(([algorithm, length]) => `${algorithm}:[a-f0-9]{${length}}`).join('|')})`;
/**
 * The grammar as one pattern, with the registered digests and the overall length; the 255-character
 * limit of the path is checked by `imageReferenceProblem` alone.
 */
export const IMAGE_REFERENCE_PATTERN = `^(?=.{1,${MAX_IMAGE_REFERENCE}}$)(?:${IMAGE_DOMAIN}/)?${IMAGE_REMOTE_NAME}(?::${IMAGE_TAG})?(?:@${REGISTERED_DIGEST})?$`;
const IMAGE_REFERENCE = new RegExp(`^((?:${IMAGE_DOMAIN}/)?${IMAGE_REMOTE_NAME})(?::(${IMAGE_TAG}))?(?:@(${IMAGE_DIGEST}))?$`, 'u');
const IMAGE_NAME = new RegExp(`^(?:(${IMAGE_DOMAIN})/)?(${IMAGE_REMOTE_NAME})$`, 'u');

export function imageReferenceProblem(value: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  if (value.length > MAX_IMAGE_REFERENCE) return `is ${value.length} characters long; no image reference is longer than ${MAX_IMAGE_REFERENCE}`;
  const m = IMAGE_REFERENCE.exec(value);
  if (!m) {
    const lower = value.toLowerCase();
    if (lower !== value && IMAGE_REFERENCE.test(lower)) return 'has capital letters in its repository name, which must be lowercase';
    return 'is not an image reference ([registry/]repository[:tag][@digest])';
  }
  const path = IMAGE_NAME.exec(m[1])?.[2] ?? m[1];
  if (path.length > 255) return `has a repository name of ${path.length} characters; at most 255 are allowed`;
  if (m[3] !== undefined) {
    const [algorithm, hex] = m[3].split(':');
    const length = DIGEST_HEX_LENGTH[algorithm];
    if (length === undefined) return `has a digest of algorithm "${algorithm}"; use sha256, sha384 or sha512`;
    if (!new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) return `has a ${algorithm} digest that is not ${length} lowercase hexadecimal digits`;
  }
  return undefined;
}

/* ---------- Kubernetes version ---------- */

/**
 * An AKS Kubernetes version: `<major>.<minor>` or `<major>.<minor>.<patch>` (AKS API,
 * ManagedClusterProperties.kubernetesVersion: "both patch version <major.minor.patch> and <major.minor>
 * are supported"; azurerm `kubernetes_version`), numbers without leading zeros, no "v".
 */
export const KUBERNETES_VERSION_PATTERN = '^(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)(?:\\.(?:0|[1-9][0-9]*))?$';
const KUBERNETES_VERSION = matcher(KUBERNETES_VERSION_PATTERN);

export function kubernetesVersionProblem(value: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  if (/^v/i.test(value) && KUBERNETES_VERSION.test(value.slice(1))) return 'starts with "v": AKS takes the number alone, e.g. 1.29';
  return KUBERNETES_VERSION.test(value) ? undefined : 'is not a Kubernetes version like 1.29 or 1.29.4';
}

/* ---------- Azure names and strings ---------- */

/**
 * A name with a length range and a pattern (Azure's resource naming rules, learn.microsoft.com azure-resource-manager/management/resource-name-rules). `says` is the
 * rule in words; the pattern source, with the length folded in, is what the fleet schema holds.
 */
export interface NameRule {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly says: string;
}

function named(rule: NameRule): ValueRule & { readonly pattern: string } {
  return {
    what: rule.what,
    rule: `${rule.says}; ${rule.min}-${rule.max} characters`,
    pattern: `^(?=.{${rule.min},${rule.max}}$)${rule.pattern.source.replace(/^\^/, '')}`,
    problem: (value) => {
      const text = textProblem(value);
      if (text) return text;
      if (value.length < rule.min || value.length > rule.max) return `is ${value.length} characters long; it must be ${rule.min}-${rule.max}`;
      return rule.pattern.test(value) ? undefined : `is not allowed: use ${rule.says}`;
    },
  };
}

/** Azure's and Kubernetes' naming rules, and wisynth's own for names that become folders and Terraform ids. */
export const NAME_RULES = {
  resourceGroup: { what: 'resource group name', min: 1, max: 90, pattern: /^[-\w.()]*[-\w()]$/, says: 'letters, digits, "_", "-", ".", "(", ")", not ending in "."' },
  identity: { what: 'user-assigned identity name', min: 3, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, says: 'letters, digits, "-" and "_", starting with a letter or digit' },
  keyVault: { what: 'key vault name', min: 3, max: 24, pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/, says: 'letters, digits and single hyphens, starting with a letter and ending with a letter or digit' },
  storageAccount: { what: 'storage account name', min: 3, max: 24, pattern: /^[a-z0-9]+$/, says: 'lowercase letters and digits only' },
  /** Azure Storage, "Naming and referencing containers, blobs, and metadata" (3-63). */
  blobContainer: { what: 'blob container name', min: 3, max: 63, pattern: /^(?!.*--)[a-z0-9][a-z0-9-]*[a-z0-9]$/, says: 'lowercase letters, digits and single hyphens, starting and ending with a letter or digit' },
  aksCluster: { what: 'AKS cluster name', min: 1, max: 63, pattern: /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$/, says: 'letters, digits, "_" and "-", starting and ending with a letter or digit' },
  dnsPrefix: { what: 'AKS DNS prefix', min: 1, max: 54, pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/, says: 'letters, digits and "-", starting and ending with a letter or digit' },
  federatedCredential: { what: 'federated identity credential name', min: 3, max: 120, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, says: 'letters, digits, "-" and "_", starting with a letter or digit' },
  /** Key Vault object names (secrets): 1-127 alphanumerics and dashes. */
  keyVaultSecret: { what: 'Key Vault secret name', min: 1, max: 127, pattern: /^[0-9a-zA-Z-]+$/, says: 'letters, digits and hyphens' },
  clusterName: {
    what: 'cluster name',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    says: 'lowercase letters, digits and "-", starting and ending with a letter or digit (it names a folder and Terraform resources)',
  },
  namespace: { what: 'Kubernetes namespace', min: 1, max: 63, pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, says: 'a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit' },
  serviceAccount: {
    what: 'Kubernetes service account name',
    min: 1,
    max: 253,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    says: 'a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  },
  objectName: {
    what: 'Kubernetes object name',
    min: 1,
    max: 253,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    says: 'a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  },
  stackName: { what: 'fleet name', min: 1, max: 63, pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, says: 'lowercase letters, digits and "-" (it names the Terraform stack)' },
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/**
 * An Azure VM size as `az vm list-sizes` names them: a tier, "_", then letters, digits, "_" and "-"
 * (Standard_D2s_v5, Standard_M416-208s_v2, Basic_A0).
 */
export const VM_SIZE_PATTERN = '^(?:Standard|Basic)_[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$';
const VM_SIZE = matcher(VM_SIZE_PATTERN);

export function vmSizeProblem(value: string): string | undefined {
  return textProblem(value) ?? (VM_SIZE.test(value) ? undefined : 'is not an Azure VM size name');
}

/**
 * A role's name: a built-in role ("Storage Blob Data Reader") or a custom one. Azure allows letters,
 * digits, spaces and special characters, at most 512 (learn.microsoft.com/azure/role-based-access-control/
 * custom-roles, `roleName`); as text it must still be printable and unpadded, or it names no role.
 */
export const ROLE_NAME_PATTERN = `^(?=.{1,512}$)${TEXT_BODY}$`;

export function roleNameProblem(value: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  return value.length > 512 ? `is ${value.length} characters long; Azure allows at most 512` : undefined;
}

/**
 * An Azure RBAC operation, as a role definition's `actions` and `dataActions` hold it
 * (learn.microsoft.com/azure/role-based-access-control/role-definitions, "Actions" and "Wildcard
 * permissions"): `{Company}.{ProviderName}/{resourceType}/{action}`, "/"-separated segments of letters,
 * digits, ".", "_" and "-", each segment or the whole allowed to be the wildcard "*"
 * (`Microsoft.Network/*\/read`, `*\/read`).
 */
export const RBAC_ACTION_PATTERN = '^(?:\\*|[A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)+)(?:/(?:\\*|[A-Za-z0-9][A-Za-z0-9_.-]*))*$';
const RBAC_ACTION = matcher(RBAC_ACTION_PATTERN);

export function rbacActionProblem(value: string): string | undefined {
  const text = textProblem(value);
  if (text) return text;
  if (!RBAC_ACTION.test(value)) return 'is not an Azure operation ({Company}.{Provider}/{resourceType}/{action}, with "*" as a wildcard)';
  if (value !== '*' && !value.includes('/')) return 'names a provider but no operation: add /{resourceType}/{action}, or /*';
  return undefined;
}

/**
 * An ARM scope as a role assignment takes it: `/subscriptions/<GUID>`, optionally followed by
 * "/"-separated segments (`/resourceGroups/<name>/providers/<type>/<name>`), none empty, with no
 * whitespace or control character.
 */
export const ARM_SCOPE_PATTERN = `^/subscriptions/${GUID_PATTERN.slice(1, -1)}(?:/[^/\\s${CONTROL_CHARS}${INVISIBLE_CHARS}]+)*$`;
const ARM_SCOPE = matcher(ARM_SCOPE_PATTERN);

export function armScopeProblem(value: string): string | undefined {
  return textProblem(value) ?? (ARM_SCOPE.test(value) ? undefined : 'is not an ARM scope (/subscriptions/<id>[/resourceGroups/<name>[/providers/...]])');
}

/**
 * A file path as the fleet writes it: not empty, no control character (a path with a newline is
 * always a mistake, and it would be written into generated files), no whitespace around it.
 */
export const FILE_PATH_PATTERN = `^${TEXT_BODY}$`;

export function filePathProblem(value: string): string | undefined {
  return textProblem(value);
}

/**
 * The prefix of a state blob's name (`<keyPrefix><stack>.tfstate`): a blob name is at most 1024
 * characters (Azure Storage, "Naming and referencing containers, blobs, and metadata"); no control
 * character.
 */
export const BLOB_NAME_PREFIX_PATTERN = `^[^${CONTROL_CHARS}]{0,960}$`;

export function blobNamePrefixProblem(value: string): string | undefined {
  if (CONTROL.test(value)) return 'contains a control character (a newline, a tab or similar)';
  return value.length > 960 ? `is ${value.length} characters long; at most 960 leave room for the stack name in a 1024-character blob name` : undefined;
}

/** An absolute path inside a container (a projected token file). */
export function absolutePathProblem(value: string): string | undefined {
  return textProblem(value) ?? (value.startsWith('/') ? undefined : 'is not an absolute path');
}

/* ---------- the table ---------- */

/** Every kind, by name, with its words; the name rules are included under their own names. */
export const VALUE_RULES = {
  guid: { what: 'GUID', rule: 'a GUID: 8-4-4-4-12 hexadecimal digits, e.g. 4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a', problem: guidProblem },
  issuerUrl: { what: 'issuer', rule: ISSUER_URL_RULE, problem: issuerUrlProblem },
  region: { what: 'Azure region', rule: 'an Azure region name: lowercase letters and digits, no spaces, e.g. westeurope (az account list-locations --query "[].name")', problem: regionProblem },
  dnsLabel: { what: 'DNS label', rule: 'a DNS label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit', problem: dnsLabelProblem },
  dnsSubdomain: { what: 'DNS subdomain', rule: 'a DNS subdomain: at most 253 characters of lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit', problem: dnsSubdomainProblem },
  imageReference: { what: 'image reference', rule: 'a container image reference: [registry[:port]/]repository[:tag][@sha256:<digest>], the repository in lowercase, e.g. ghcr.io/org/app:1.2.3', problem: imageReferenceProblem },
  kubernetesVersion: { what: 'Kubernetes version', rule: 'a Kubernetes version <major>.<minor> or <major>.<minor>.<patch>, e.g. 1.29 or 1.29.4 (az aks get-versions)', problem: kubernetesVersionProblem },
  vmSize: { what: 'VM size', rule: 'an Azure VM size name, e.g. Standard_D4s_v5 (az vm list-sizes)', problem: vmSizeProblem },
  roleName: { what: 'role name', rule: 'the name of an Azure role, e.g. "Storage Blob Data Reader": 1-512 characters, no control character, no whitespace around it', problem: roleNameProblem },
  rbacAction: { what: 'Azure operation', rule: 'an Azure operation such as Microsoft.Network/virtualNetworks/subnets/read, "*" as a wildcard segment', problem: rbacActionProblem },
  armScope: { what: 'ARM scope', rule: 'an ARM id such as /subscriptions/<id>/resourceGroups/<name>, without spaces or empty segments', problem: armScopeProblem },
  blobNamePrefix: { what: 'state blob prefix', rule: 'at most 960 characters without control characters', problem: blobNamePrefixProblem },
  filePath: { what: 'file path', rule: 'a file path without control characters or whitespace around it', problem: filePathProblem },
  absolutePath: { what: 'path', rule: 'an absolute path such as /var/run/secrets/openshift/serviceaccount/token', problem: absolutePathProblem },
  ...(Object.fromEntries(Object.entries(NAME_RULES).map(([kind, rule]) => [kind, named(rule)])) as Record<NameKind, ValueRule & { readonly pattern: string }>),
} satisfies Record<string, ValueRule>;

export type ValueKind = keyof typeof VALUE_RULES;

/** The name rule of `kind` as one JSON Schema pattern, its length folded in. */
export function namePattern(kind: NameKind): string {
  return VALUE_RULES[kind].pattern;
}

/** What is wrong with a value of `kind`, or undefined; a value that is not a string is "not a string". */
export function valueProblem(kind: ValueKind, value: unknown): string | undefined {
  if (typeof value !== 'string') return `is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}, not a string`;
  return VALUE_RULES[kind].problem(value);
}
