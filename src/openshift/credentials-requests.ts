/**
 * The CredentialsRequests of an OpenShift release, read the way `ccoctl azure create-all
 * --credentials-requests-dir` reads them, and the names and role scopes ccoctl derives from each.
 * One filter is wisynth's own, not ccoctl's: requests annotated `release.openshift.io/feature-gate`
 * are skipped (see TECH_PREVIEW_ANNOTATIONS).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, LineCounter, Node } from 'yaml';
import { isRecord } from '../core/objects';
import { EXCERPT_CHARS, excerpt } from '../core/excerpt';
import { textProblem, VALUE_RULES, ValueKind, valueProblem } from '../core/values';
import { INPUT_KINDS } from '../inputs/kinds';
import { readInputDir, readInputFile } from '../inputs/read-file';
import { parseInputYaml } from '../inputs/yaml';
import { FleetError, FleetIssue } from '../core/issues';

/** One CredentialsRequest as ccoctl reads it (`oc adm release extract --credentials-requests --cloud=azure --included --install-config=<file>`). */
export interface CredentialsRequestPlan {
  /** The file it came from, relative to the fleet file's folder. */
  readonly file: string;
  /** metadata.name, e.g. `openshift-ingress-azure`. */
  readonly name: string;
  /** spec.secretRef: the Secret the operator reads its identity from. */
  readonly secretNamespace: string;
  readonly secretName: string;
  readonly serviceAccountNames: readonly string[];
  /** providerSpec.permissions / dataPermissions: become one custom role. */
  readonly permissions: readonly string[];
  readonly dataPermissions: readonly string[];
  /** providerSpec.roleBindings[].role: existing roles, by name. */
  readonly roleBindings: readonly string[];
  /** spec.cloudTokenPath, when set. */
  readonly cloudTokenPath?: string;
}

/** A CredentialsRequest that ccoctl would not process, and why. */
export interface SkippedCredentialsRequest {
  readonly file: string;
  readonly name: string;
  readonly reason: string;
}

/** The audience of every FIC ccoctl creates. */
export const OPENSHIFT_AUDIENCE = 'openshift';
/** ccoctl's `azure_federated_token_file` when a request sets no spec.cloudTokenPath. */
export const DEFAULT_TOKEN_PATH = '/var/run/secrets/openshift/serviceaccount/token';

const API_VERSION = 'cloudcredential.openshift.io/v1';
const TECH_PREVIEW = 'TechPreviewNoUpgrade';
/**
 * ccoctl's tech-preview filter reads only `release.openshift.io/feature-set` (openshift/cloud-credential-operator
 * `pkg/cmd/provisioning/utils.go` GetListOfCredentialsRequests, with the constant `featureGateAnnotation` =
 * "release.openshift.io/feature-set" in `pkg/cmd/provisioning/constants.go`, despite its name).
 * Skipping `release.openshift.io/feature-gate` too is wisynth's own filter: ccoctl would process such a
 * request. Which feature-gated requests a cluster needs is decided by oc, from the install-config's
 * featureSet and the release's FeatureGates: extract with `extractCommand` (openshift/oc
 * `pkg/cli/admin/release/extract.go`, flags --included and --install-config), and the folder holds only those.
 */
const FEATURE_GATE = 'release.openshift.io/feature-gate';
const TECH_PREVIEW_ANNOTATIONS = [FEATURE_GATE, 'release.openshift.io/feature-set'];
const INGRESS_REQUEST = 'openshift-ingress-azure';
/** The requests ccoctl also scopes to the network resource group (`--network-resource-group-name`). */
const NETWORK_REQUESTS = new Set([
  'openshift-image-registry-azure',
  'openshift-ingress-azure',
  'openshift-machine-api-azure',
  'azure-file-csi-driver-operator',
  'openshift-cloud-network-config-controller-azure',
  'openshift-azure-cloud-controller-manager',
]);
/** Azure's limit on resource names; ccoctl truncates (ShortenName). */
const MAX_NAME = 128;

/** oc's extraction of the requests a cluster needs: --included with --install-config leaves out the ones its capabilities and feature gates do not enable. */
const extractCommand = (dir: string): string =>
  `oc adm release extract --credentials-requests --cloud=azure --included --install-config=<install-config.yaml> --to=${dir} <release image>`;

/** `<name>-<secretNamespace>-<secretName>`, cut to 128 characters: the identity's and its custom role's name. */
export function ccoctlIdentityName(name: string, request: CredentialsRequestPlan): string {
  return `${name}-${request.secretNamespace}-${request.secretName}`.slice(0, MAX_NAME);
}

/** Names of the resource groups ccoctl assigns a request's roles at: installation, then DNS zone, then network. */
export function ccoctlRoleScopes(request: CredentialsRequestPlan, groups: { installation: string; dnsZone: string; network?: string }): string[] {
  const scopes = [groups.installation];
  if (request.name === INGRESS_REQUEST) scopes.push(groups.dnsZone);
  if (groups.network !== undefined && NETWORK_REQUESTS.has(request.name)) scopes.push(groups.network);
  // resource group names are case-insensitive in Azure: the same group twice would be one scope assigned twice
  return scopes.filter((group, i) => scopes.findIndex((other) => other.toLowerCase() === group.toLowerCase()) === i);
}

/** A kept request, and where it stands for messages (`file:line`). */
interface Located {
  readonly plan: CredentialsRequestPlan;
  readonly at: string;
}

interface Found {
  readonly kept: Located[];
  readonly skipped: SkippedCredentialsRequest[];
  readonly issues: FleetIssue[];
  /** Documents of kind CredentialsRequest, kept or not. */
  credentialsRequests: number;
}

/**
 * Every CredentialsRequest of the `*.yaml`/`*.yml` files of `dir` (by file name, each file possibly
 * holding several documents), split into the ones ccoctl would process and the ones it would skip.
 * `shownDir` is `dir` as the user wrote it; plans and issues name files below it. Throws a
 * FleetError carrying every problem found.
 */
export function readCredentialsRequests(
  dir: string,
  shownDir: string,
  options: { techPreview: boolean },
): { requests: CredentialsRequestPlan[]; skipped: SkippedCredentialsRequest[] } {
  const shown = shownDir.replace(/\/+$/, '');
  const fix = `run \`${extractCommand(shown)}\``;
  let names: string[];
  try {
    names = readInputDir(dir, { ...INPUT_KINDS.credentialsRequests, fix }, shownDir);
  } catch (e) {
    if (!(e instanceof FleetError)) throw e;
    throw new FleetError(e.issues.map((i) => ({ ...i, message: `cannot read the CredentialsRequests: ${i.message}` })));
  }
  const found: Found = { kept: [], skipped: [], issues: [], credentialsRequests: 0 };
  for (const name of names.filter((n) => /\.ya?ml$/.test(n))) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readInputFile(file, INPUT_KINDS.credentialsRequest, `${shown}/${name}`);
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      // ccoctl reads the files of the folder: a folder named like one is not a request
      if (isFolder(file)) continue;
      found.issues.push(...e.issues.map((i) => ({ ...i, message: `cannot read the file: ${i.message}` })));
      continue;
    }
    readFile(text, `${shown}/${name}`, options, found);
  }
  if (found.issues.length === 0 && found.credentialsRequests === 0) {
    found.issues.push({ file: shownDir, message: 'the folder holds no CredentialsRequest (*.yaml or *.yml files of kind CredentialsRequest)', fix });
  }
  found.issues.push(...duplicates(found.kept));
  if (found.issues.length > 0) throw new FleetError(found.issues);
  return { requests: found.kept.map((k) => k.plan), skipped: found.skipped };
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Every document of one file, parsed bounded (nesting, alias expansion): a problem is the file's, with its line. */
function readFile(text: string, file: string, options: { techPreview: boolean }, found: Found): void {
  const counter = new LineCounter();
  const parsed = parseInputYaml(text, { lineCounter: counter });
  if (!parsed.ok) {
    const { kind, message, line } = parsed.problem;
    // the position goes in `file`, as for every problem inside a request
    found.issues.push({
      file: line === undefined ? file : `${file}:${line}`,
      message: kind === 'syntax' ? `invalid YAML: ${message}` : message,
      fix: kind === 'syntax' ? 'correct the YAML syntax, or extract the file again' : `${parsed.problem.fix}; or extract the file again`,
    });
    return;
  }
  parsed.documents.forEach((doc, i) => readDocument(parsed.values[i], (field) => `${file}:${lineOf(doc, counter, field)}`, file, options, found));
}

/** Reads a field of a document: `get(['spec', 'secretRef', 'name'])`. */
type Getter = (field: readonly string[]) => unknown;

function readDocument(value: unknown, at: (field: readonly string[]) => string, file: string, options: { techPreview: boolean }, found: Found): void {
  if (value === null || value === undefined) return; // an empty document
  if (!isRecord(value)) {
    found.issues.push({ file: at([]), message: 'the document is not a mapping', fix: 'each YAML document must be one CredentialsRequest object' });
    return;
  }
  const get: Getter = (field) => field.reduce<unknown>((obj, key) => (isRecord(obj) ? obj[key] : undefined), value);
  const name = get(['metadata', 'name']);
  const isRequest = value.apiVersion === API_VERSION && value.kind === 'CredentialsRequest';
  if (isRequest) found.credentialsRequests++;
  const reason = isRequest ? skipReason(get, options) : `${shown(value.kind)} (${shown(value.apiVersion)}) is not a CredentialsRequest (${API_VERSION})`;
  if (reason !== undefined) {
    found.skipped.push({ file, name: typeof name === 'string' ? shown(name) : '', reason });
    return;
  }
  const issues: FleetIssue[] = [];
  const plan = toPlan(get, file, (field, message, fix) => {
    issues.push({ file: at(field), message: `CredentialsRequest ${typeof name === 'string' && name ? shown(name) : '(unnamed)'}: ${message}`, fix });
  });
  if (issues.length > 0) found.issues.push(...issues);
  else found.kept.push({ plan, at: at([]) });
}

/** A value as messages and summary.json show it: a short plain string as it is, anything else as an excerpt. */
function shown(value: unknown): string {
  return typeof value === 'string' && value.length <= EXCERPT_CHARS && textProblem(value) === undefined ? value : excerpt(value);
}

/** Why ccoctl (or, for `feature-gate`, wisynth's own filter) would not process a CredentialsRequest; undefined when it would. */
function skipReason(get: Getter, options: { techPreview: boolean }): string | undefined {
  const annotation = (key: string): string | undefined => {
    const v = get(['metadata', 'annotations', key]);
    return v === undefined || v === null ? undefined : String(v);
  };
  if (annotation('release.openshift.io/delete') === 'true') return 'marked for in-cluster deletion (release.openshift.io/delete: "true")';
  for (const key of TECH_PREVIEW_ANNOTATIONS) {
    const value = annotation(key);
    if (value === undefined) continue;
    if (key === FEATURE_GATE && (!options.techPreview || value !== TECH_PREVIEW)) {
      // techPreview cannot include it: a feature-gate value names a gate, not TechPreviewNoUpgrade
      return `feature-gated (${key}=${value}): skipped by wisynth's own filter, not ccoctl's (ccoctl reads only release.openshift.io/feature-set); oc decides which gated requests a cluster needs: \`${extractCommand('<folder>')}\``;
    }
    if (!options.techPreview) return `tech-preview annotation ${key}=${value}; enable techPreview to include it`;
    if (value !== TECH_PREVIEW) return `tech-preview value ${value} is not ${TECH_PREVIEW}`;
  }
  const providerKind = get(['spec', 'providerSpec', 'kind']);
  return providerKind === 'AzureProviderSpec' ? undefined : `spec.providerSpec.kind ${String(providerKind)} is not AzureProviderSpec`;
}

/**
 * The fields ccoctl uses, each checked by its kind (core/values.ts): metadata.name and the Secret are
 * Kubernetes names, each service account a Kubernetes name that is also a valid FIC name (ccoctl names
 * the FIC after it), permissions Azure operations, roles role names, cloudTokenPath an absolute path.
 * Every fault goes to `fail`.
 */
function toPlan(get: Getter, file: string, fail: (field: readonly string[], message: string, fix: string) => void): CredentialsRequestPlan {
  const reextract = 'copy the CredentialsRequest unchanged from `oc adm release extract --credentials-requests --cloud=azure`';
  /** Reports a value that is not of its kind; true when it is. `label` names the field with its index. */
  const check = (field: readonly string[], label: string, kind: ValueKind, value: string, fix = reextract): boolean => {
    const reason = valueProblem(kind, value);
    if (reason === undefined) return true;
    fail(field, `${label} ${excerpt(value)} ${reason}`, `it must be ${VALUE_RULES[kind].rule}; ${fix}`);
    return false;
  };
  const text = (field: readonly string[], fix: string, kind: ValueKind): string => {
    const v = get(field);
    if (typeof v === 'string' && v !== '') {
      check(field, field.join('.'), kind, v, fix);
      return v;
    }
    fail(field, `${field.join('.')} ${v === undefined || v === null || v === '' ? 'is missing' : 'is not a string'}`, fix);
    return '';
  };
  const strings = (field: readonly string[], kind: ValueKind, also?: (value: string, label: string) => void): string[] => {
    const v = get(field) ?? [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s !== '')) {
      fail(field, `${field.join('.')} is not a list of strings`, reextract);
      return [];
    }
    (v as string[]).forEach((value, i) => {
      const label = `${field.join('.')}[${i}]`;
      if (check(field, label, kind, value)) also?.(value, label);
    });
    return v as string[];
  };

  const secretFix = `set spec.secretRef to the namespace and name of the Secret the operator reads; ${reextract}`;
  const accounts = get(['spec', 'serviceAccountNames']);
  if (accounts === undefined || accounts === null || (Array.isArray(accounts) && accounts.length === 0)) {
    fail(
      ['spec', 'serviceAccountNames'],
      'spec.serviceAccountNames is missing or empty: ccoctl would create no federated credential, so the operator could never authenticate',
      `list the operator's service accounts under spec.serviceAccountNames; ${reextract}`,
    );
  }
  const bindings = get(['spec', 'providerSpec', 'roleBindings']) ?? [];
  const roles = Array.isArray(bindings) ? bindings.map((b: unknown) => (isRecord(b) ? b.role : undefined)) : [undefined];
  if (!roles.every((role) => typeof role === 'string' && role !== '')) {
    fail(['spec', 'providerSpec', 'roleBindings'], 'spec.providerSpec.roleBindings is not a list of {role: <role name>}', reextract);
  } else {
    roles.forEach((role, i) => check(['spec', 'providerSpec', 'roleBindings'], `spec.providerSpec.roleBindings[${i}].role`, 'roleName', role as string));
  }
  const tokenPath =
    get(['spec', 'cloudTokenPath']) === undefined ? undefined : text(['spec', 'cloudTokenPath'], 'give the path of the projected token, or remove spec.cloudTokenPath', 'absolutePath');
  const ficName = (value: string, label: string) =>
    check(['spec', 'serviceAccountNames'], `${label} (ccoctl names its federated credential after it)`, 'federatedCredential', value);
  return {
    file,
    name: text(['metadata', 'name'], reextract, 'dnsSubdomain'),
    secretNamespace: text(['spec', 'secretRef', 'namespace'], secretFix, 'dnsLabel'),
    secretName: text(['spec', 'secretRef', 'name'], secretFix, 'dnsSubdomain'),
    serviceAccountNames: strings(['spec', 'serviceAccountNames'], 'dnsSubdomain', ficName),
    permissions: strings(['spec', 'providerSpec', 'permissions'], 'rbacAction'),
    dataPermissions: strings(['spec', 'providerSpec', 'dataPermissions'], 'rbacAction'),
    roleBindings: roles as string[],
    ...(tokenPath !== undefined && { cloudTokenPath: tokenPath }),
  };
}

/** Two kept requests for one Secret would share one identity; two of one name, one client id. */
function duplicates(kept: readonly Located[]): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const bySecret = new Map<string, Located>();
  const byName = new Map<string, Located>();
  for (const k of kept) {
    const secret = `${k.plan.secretNamespace}/${k.plan.secretName}`;
    const sameSecret = bySecret.get(secret);
    if (sameSecret) {
      issues.push({
        file: k.at,
        message: `CredentialsRequest ${k.plan.name} and CredentialsRequest ${sameSecret.plan.name} (${sameSecret.at}) both name the Secret ${secret}: ccoctl would give them one identity`,
        fix: 'keep one of them, or point spec.secretRef of one at another Secret',
      });
    }
    const sameName = byName.get(k.plan.name);
    if (sameName) {
      issues.push({ file: k.at, message: `a second CredentialsRequest is named ${k.plan.name} (the first is at ${sameName.at})`, fix: 'keep one of them: in the cluster the later would replace the earlier' });
    }
    bySecret.set(secret, sameSecret ?? k);
    byName.set(k.plan.name, sameName ?? k);
  }
  return issues;
}

/** 1-based line of the deepest key of `field` present in the document (its first line when none). */
function lineOf(doc: Document, counter: LineCounter, field: readonly string[]): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const key of field) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!pair) break;
    offset = (pair.key as Node).range?.[0] ?? offset;
    node = pair.value;
  }
  return counter.linePos(offset).line;
}
