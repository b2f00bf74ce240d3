/**
 * The CredentialsRequests of an OpenShift release, read the way `ccoctl azure create-all
 * --credentials-requests-dir` reads them, and the names and role scopes ccoctl derives from each.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, LineCounter, Node, parseAllDocuments } from 'yaml';
import { isRecord } from '../check/objects';
import type { CredentialsRequestPlan, SkippedCredentialsRequest } from '../model/fleet-plan';
import { FleetError, FleetIssue } from '../model/issues';

/** The audience of every FIC ccoctl creates. */
export const OPENSHIFT_AUDIENCE = 'openshift';
/** ccoctl's `azure_federated_token_file` when a request sets no spec.cloudTokenPath. */
export const DEFAULT_TOKEN_PATH = '/var/run/secrets/openshift/serviceaccount/token';

const API_VERSION = 'cloudcredential.openshift.io/v1';
const TECH_PREVIEW = 'TechPreviewNoUpgrade';
/** feature-gate is what current ccoctl reads; older releases annotate feature-set. */
const TECH_PREVIEW_ANNOTATIONS = ['release.openshift.io/feature-gate', 'release.openshift.io/feature-set'];
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

const extractCommand = (dir: string): string => `oc adm release extract --credentials-requests --cloud=azure --to=${dir} <release image>`;

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
    names = fs.readdirSync(dir).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'folder not found' : code === 'ENOTDIR' ? 'is not a folder' : (e as Error).message;
    throw new FleetError([{ file: shownDir, message: `cannot read the CredentialsRequests: ${problem}`, fix }]);
  }
  const found: Found = { kept: [], skipped: [], issues: [], credentialsRequests: 0 };
  for (const name of names.filter((n) => /\.ya?ml$/.test(n))) {
    const file = path.join(dir, name);
    let text: string;
    try {
      if (fs.statSync(file).isDirectory()) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      found.issues.push({ file: `${shown}/${name}`, message: `cannot read the file: ${(e as Error).message}`, fix: 'check the file\'s permissions, or remove it' });
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

function readFile(text: string, file: string, options: { techPreview: boolean }, found: Found): void {
  const counter = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter: counter })) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0].line;
      // the position goes in `file`: drop the parser's own " at line L, column C:" and code frame
      const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      found.issues.push({ file: line === undefined ? file : `${file}:${line}`, message: `invalid YAML: ${reason}`, fix: 'correct the YAML syntax, or extract the file again' });
      return;
    }
    readDocument(doc.toJS() as unknown, (field) => `${file}:${lineOf(doc, counter, field)}`, file, options, found);
  }
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
  const reason = isRequest ? skipReason(get, options) : `${String(value.kind)} (${String(value.apiVersion)}) is not a CredentialsRequest (${API_VERSION})`;
  if (reason !== undefined) {
    found.skipped.push({ file, name: typeof name === 'string' ? name : '', reason });
    return;
  }
  const issues: FleetIssue[] = [];
  const plan = toPlan(get, file, (field, message, fix) => {
    issues.push({ file: at(field), message: `CredentialsRequest ${typeof name === 'string' && name ? name : '(unnamed)'}: ${message}`, fix });
  });
  if (issues.length > 0) found.issues.push(...issues);
  else found.kept.push({ plan, at: at([]) });
}

/** Why ccoctl would not process a CredentialsRequest; undefined when it would. */
function skipReason(get: Getter, options: { techPreview: boolean }): string | undefined {
  const annotation = (key: string): string | undefined => {
    const v = get(['metadata', 'annotations', key]);
    return v === undefined || v === null ? undefined : String(v);
  };
  if (annotation('release.openshift.io/delete') === 'true') return 'marked for in-cluster deletion (release.openshift.io/delete: "true")';
  for (const key of TECH_PREVIEW_ANNOTATIONS) {
    const value = annotation(key);
    if (value === undefined) continue;
    if (!options.techPreview) return `tech-preview annotation ${key}=${value}; enable techPreview to include it`;
    if (value !== TECH_PREVIEW) return `tech-preview value ${value} is not ${TECH_PREVIEW}`;
  }
  const providerKind = get(['spec', 'providerSpec', 'kind']);
  return providerKind === 'AzureProviderSpec' ? undefined : `spec.providerSpec.kind ${String(providerKind)} is not AzureProviderSpec`;
}

/** The fields ccoctl uses; every fault goes to `fail`. */
function toPlan(get: Getter, file: string, fail: (field: readonly string[], message: string, fix: string) => void): CredentialsRequestPlan {
  const reextract = 'copy the CredentialsRequest unchanged from `oc adm release extract --credentials-requests --cloud=azure`';
  const text = (field: readonly string[], fix: string): string => {
    const v = get(field);
    if (typeof v === 'string' && v !== '') return v;
    fail(field, `${field.join('.')} ${v === undefined || v === null || v === '' ? 'is missing' : 'is not a string'}`, fix);
    return '';
  };
  const strings = (field: readonly string[]): string[] => {
    const v = get(field) ?? [];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '')) return v as string[];
    fail(field, `${field.join('.')} is not a list of strings`, reextract);
    return [];
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
  }
  const tokenPath = get(['spec', 'cloudTokenPath']) === undefined ? undefined : text(['spec', 'cloudTokenPath'], 'give the path of the projected token, or remove spec.cloudTokenPath');
  return {
    file,
    name: text(['metadata', 'name'], reextract),
    secretNamespace: text(['spec', 'secretRef', 'namespace'], secretFix),
    secretName: text(['spec', 'secretRef', 'name'], secretFix),
    serviceAccountNames: strings(['spec', 'serviceAccountNames']),
    permissions: strings(['spec', 'providerSpec', 'permissions']),
    dataPermissions: strings(['spec', 'providerSpec', 'dataPermissions']),
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
