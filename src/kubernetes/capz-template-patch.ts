/**
 * Patches the YAML of `clusterctl generate cluster --infrastructure azure` (CAPZ) so the cluster
 * uses Azure Workload Identity: the AzureClusterIdentity becomes `WorkloadIdentity`, every
 * AzureMachineTemplate gets the user-assigned node identity. A field that already satisfies the rule
 * (upstream's own variables and defaults included) is kept; every other document is kept byte for byte,
 * and a CRLF file stays CRLF.
 */
import { type Document, isMap, isNode, isSeq, LineCounter, visit, type YAMLMap } from 'yaml';
import { objectLabel } from '../core/objects';
import { excerpt } from '../core/excerpt';
import { parseInputYaml } from '../inputs/yaml';

/** The values the workload-identity edits write. */
export interface CapzIdentityValues {
  readonly tenantId: string;
  readonly clientId: string;
  /** `azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>` */
  readonly nodeIdentityProviderId: string;
}

/**
 * The clusterctl variables written where a template lacks a field, named as CAPZ's current default flavor
 * (templates/cluster-template.yaml, vendored in test/fixtures/capz/upstream-cluster-template.yaml) names them,
 * defaults included. A field the template already has keeps its own variable.
 */
export const CLUSTERCTL_IDENTITY_VARIABLES: CapzIdentityValues = {
  tenantId: '${AZURE_TENANT_ID}',
  clientId: '${AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY}',
  nodeIdentityProviderId:
    'azure:///subscriptions/${AZURE_SUBSCRIPTION_ID}/resourceGroups/${CI_RG:=capz-ci}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${USER_IDENTITY:=cloud-provider-user-identity}',
};

/** The fix told when a rendered file (no clusterctl variable) is patched without a fleet's values. */
export const RENDERED_WITHOUT_VALUES_FIX = 'pass -c fleet.yaml --cluster NAME to write the values';

export interface CapzTemplateEdit {
  /** 1-based line of the object's document start in the input */
  readonly line: number;
  /** e.g. `AzureClusterIdentity default/cluster-identity` */
  readonly object: string;
  /** what changed, e.g. `spec.type: ServicePrincipal -> WorkloadIdentity`, `spec.clientSecret removed` */
  readonly change: string;
}

export class CapzTemplateError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'CapzTemplateError';
  }
}

const INFRASTRUCTURE_GROUP = 'infrastructure.cluster.x-k8s.io/';

/** A clusterctl variable anywhere in the text (clusterctl substitutes the whole text, comments included). */
const CLUSTERCTL_VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*/;
/** One whole value that is a clusterctl variable, with its default if any: `${NAME}`, `${NAME:=default}`, `${NAME:-default}`. */
const WHOLE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[=-]([^{}]*))?\}$/;

/**
 * What the edits write: a fleet cluster's values (`-c`), or, for a template, the template's own clusterctl
 * variables, with upstream's names where a field is missing.
 */
type Mode = { readonly kind: 'values'; readonly values: CapzIdentityValues } | { readonly kind: 'variables'; readonly nodeIdentityProviderId: string };

/** Brings one field of a mapping to the workload-identity rule; the changes described after the mapping's path, none when it already holds. */
type FieldEdit = (doc: Document, map: YAMLMap, mode: Mode) => string[];

/** Where a kind's edits apply, what a document without that mapping is told, and its field edits. */
interface KindPatch {
  readonly at: readonly string[];
  readonly fix: string;
  readonly fields: readonly FieldEdit[];
}

const KIND_PATCHES: Record<string, KindPatch> = {
  AzureClusterIdentity: {
    at: ['spec'],
    fix: 'give the AzureClusterIdentity a spec mapping (clientID, tenantID, type), as clusterctl generate cluster writes it',
    fields: [
      enumField('type', 'WorkloadIdentity'),
      removedField('clientSecret'),
      valueField('tenantID', (v) => v.tenantId),
      valueField('clientID', (v) => v.clientId),
    ],
  },
  AzureMachineTemplate: {
    at: ['spec', 'template', 'spec'],
    fix: 'give the AzureMachineTemplate a spec.template.spec mapping (osDisk, vmSize, ...), as clusterctl generate cluster writes it',
    fields: [
      enumField('identity', 'UserAssigned'),
      nodeIdentityField,
      // CAPZ refuses a systemAssignedIdentityRole unless identity is SystemAssigned
      removedField('systemAssignedIdentityRole'),
    ],
  },
};

/**
 * Applies the workload-identity edits. With `values` (a fleet cluster's), those are written; without, the
 * input must be a template (hold clusterctl variables): its own variables and defaults are kept, and a missing
 * field gets upstream's variable (CLUSTERCTL_IDENTITY_VARIABLES, or the node identity the template already
 * gives another AzureMachineTemplate). A field that already satisfies the rule is never rewritten.
 */
export function patchCapzTemplate(text: string, values?: CapzIdentityValues): { text: string; edits: CapzTemplateEdit[] } {
  const lineCounter = new LineCounter();
  // bounded like every YAML input: nesting and alias expansion (a "billion laughs" is refused, not expanded)
  const parsed = parseInputYaml(text, { lineCounter });
  if (!parsed.ok) {
    const { kind, message, line, column } = parsed.problem;
    if (kind === 'limit') throw new CapzTemplateError(message, parsed.problem.fix, line);
    const where = line === undefined ? '' : ` at line ${line}, column ${column}`;
    throw new CapzTemplateError(`not valid YAML: ${message}${where}`, `fix the YAML syntax${line === undefined ? '' : ` at line ${line}`}`, line);
  }
  const docs = parsed.documents;
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const indentSeq = indentsSequences(docs, lineCounter);
  const targetOf = (doc: Document.Parsed): KindPatch | undefined => {
    const apiVersion = doc.get('apiVersion');
    const kind = doc.get('kind');
    const patch = typeof kind === 'string' && Object.hasOwn(KIND_PATCHES, kind) ? KIND_PATCHES[kind] : undefined;
    return patch && typeof apiVersion === 'string' && apiVersion.startsWith(INFRASTRUCTURE_GROUP) && doc.contents ? patch : undefined;
  };
  if (!docs.some((doc) => targetOf(doc))) {
    throw new CapzTemplateError(
      'nothing to patch: the input holds neither an AzureClusterIdentity nor an AzureMachineTemplate',
      'run it on the output of `clusterctl generate cluster <name> --infrastructure azure ...`',
    );
  }
  // a rendered file would get literal `${...}` that kubectl apply sends as is
  if (values === undefined && !CLUSTERCTL_VARIABLE.test(text)) {
    throw new CapzTemplateError(
      'the input holds no clusterctl variable (it is rendered, not a template): without a fleet cluster\'s values the edits would write `${...}` placeholders that kubectl apply sends as they are',
      RENDERED_WITHOUT_VALUES_FIX,
    );
  }
  const mode: Mode =
    values !== undefined
      ? { kind: 'values', values }
      : { kind: 'variables', nodeIdentityProviderId: firstNodeIdentity(docs.filter((d) => d.get('kind') === 'AzureMachineTemplate' && targetOf(d))) ?? CLUSTERCTL_IDENTITY_VARIABLES.nodeIdentityProviderId };
  const edits: CapzTemplateEdit[] = [];
  let out = '';
  docs.forEach((doc, i) => {
    // the documents' ranges tile the text from the first `---`; what comes before it belongs to the first document
    const source = text.slice(i === 0 ? 0 : doc.range[0], docs[i + 1]?.range[0] ?? text.length);
    const patch = targetOf(doc);
    if (!patch) {
      out += source;
      return;
    }
    const line = lineOf(doc.contents!.range[0]);
    const object = objectLabel(parsed.values[i] as Record<string, unknown>);
    const map = doc.getIn(patch.at, true);
    if (!isMap(map)) throw new CapzTemplateError(`${object}: ${patch.at.join('.')} is not a mapping`, patch.fix, line);
    const changes = patch.fields.flatMap((field) => field(doc, map, mode).map((c) => `${patch.at.join('.')}.${c}`));
    edits.push(...changes.map((change) => ({ line, object, change })));
    // an object already right keeps its bytes: re-emitting would restyle it (comment spacing, number formats)
    if (changes.length === 0) {
      out += source;
      return;
    }
    const emitted = doc.toString({ lineWidth: 0, indentSeq, flowCollectionPadding: false }).trimEnd();
    // the library writes LF; a CRLF document stays CRLF. Then the blank lines (or missing final newline) it had before the next document
    out += (usesCrlf(source) ? emitted.replace(/\n/g, '\r\n') : emitted) + source.slice(source.trimEnd().length);
  });
  return { text: out, edits };
}

/** The variable and default of a value that is one clusterctl variable. */
function wholeVariable(value: unknown): { name: string; fallback?: string } | undefined {
  const m = typeof value === 'string' ? WHOLE_VARIABLE.exec(value) : null;
  return m ? { name: m[1], fallback: m[2] } : undefined;
}

const sameId = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
const isFilled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** `want`, or a clusterctl variable whose default is `want` (upstream's `${CLUSTER_IDENTITY_TYPE:=WorkloadIdentity}`); another variable keeps its name and gets that default. */
function enumField(key: string, want: string): FieldEdit {
  return (doc, map, mode) => {
    const current = valueOf(doc, map, key);
    const variable = wholeVariable(current);
    if (current === want || variable?.fallback === want) return [];
    return setValue(doc, map, key, variable && mode.kind === 'variables' ? `\${${variable.name}:=${want}}` : want);
  };
}

function removedField(key: string): FieldEdit {
  return (_doc, map) => (map.delete(key) ? [`${key} removed`] : []);
}

/** With values: that value (ids compare case-insensitively). Template: whatever the template holds, else upstream's variable. */
function valueField(key: string, pick: (values: CapzIdentityValues) => string): FieldEdit {
  return (doc, map, mode) => {
    const current = valueOf(doc, map, key);
    if (mode.kind === 'variables') return isFilled(current) ? [] : setValue(doc, map, key, pick(CLUSTERCTL_IDENTITY_VARIABLES));
    const want = pick(mode.values);
    return sameId(current, want) ? [] : setValue(doc, map, key, want);
  };
}

/** userAssignedIdentities: the node identity first. A template's own first providerID is kept; with values, it is set in place. */
function nodeIdentityField(doc: Document, map: YAMLMap, mode: Mode): string[] {
  const key = 'userAssignedIdentities';
  const want = mode.kind === 'values' ? mode.values.nodeIdentityProviderId : mode.nodeIdentityProviderId;
  const list = map.get(key, true);
  const first = isSeq(list) ? list.items[0] : undefined;
  if (isMap(first) && isFilled(valueOf(doc, first, 'providerID'))) {
    const current = valueOf(doc, first, 'providerID');
    if (mode.kind === 'variables' || sameId(current, want)) return [];
    return setValue(doc, first, 'providerID', want).map((c) => `${key}[0].${c}`);
  }
  return setValue(doc, map, key, [{ providerID: want }]);
}

/** The first user-assigned providerID a template's AzureMachineTemplates give. */
function firstNodeIdentity(docs: readonly Document.Parsed[]): string | undefined {
  for (const doc of docs) {
    const list = doc.getIn(['spec', 'template', 'spec', 'userAssignedIdentities'], true);
    const first = isSeq(list) ? list.items[0] : undefined;
    const id = isMap(first) ? valueOf(doc, first, 'providerID') : undefined;
    if (isFilled(id)) return id;
  }
  return undefined;
}

function valueOf(doc: Document, map: YAMLMap, key: string): unknown {
  const node = map.get(key, true);
  // aliases were bounded when the text was parsed
  return isNode(node) ? node.toJS(doc, { maxAliasCount: -1 }) : node;
}

/** Sets one field, described as `key: old -> new`. */
function setValue(doc: Document, map: YAMLMap, key: string, want: unknown): string[] {
  const had = map.has(key);
  const current = valueOf(doc, map, key);
  // a string into an existing scalar keeps that node, its comment and its style; a new key goes last
  map.set(key, typeof want === 'string' ? want : doc.createNode(want));
  // the value found is the user's: quoted short, whatever it holds (an alias may expand it to megabytes)
  const old = typeof current === 'string' && current.length <= OLD_VALUE_CHARS ? current : excerpt(current, OLD_VALUE_CHARS);
  return [`${key}: ${had ? old : '(unset)'} -> ${show(want)}`];
}

const OLD_VALUE_CHARS = 200;

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether a document's lines end in CRLF (most of them, if it mixes). */
function usesCrlf(source: string): boolean {
  const crlf = source.split('\r\n').length - 1;
  return crlf > 0 && crlf >= source.split('\n').length - 1 - crlf;
}

/** Whether the input indents block sequences under their key (`key:\n  - a`) or not (clusterctl's `key:\n- a`). */
function indentsSequences(docs: readonly Document.Parsed[], lineCounter: LineCounter): boolean {
  let indented: boolean | undefined;
  for (const doc of docs) {
    visit(doc, {
      Pair(_, { key, value }) {
        if (!isSeq(value) || value.flow || !isNode(key) || !key.range || !value.range) return undefined;
        indented = lineCounter.linePos(value.range[0]).col > lineCounter.linePos(key.range[0]).col;
        return visit.BREAK;
      },
    });
    if (indented !== undefined) return indented;
  }
  return false;
}
