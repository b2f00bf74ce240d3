/**
 * Patches the YAML of `clusterctl generate cluster --infrastructure azure` (CAPZ) so the cluster
 * uses Azure Workload Identity: the AzureClusterIdentity becomes `WorkloadIdentity`, every
 * AzureMachineTemplate gets the user-assigned node identity. Every other document is kept byte for byte.
 */
import { type Document, isMap, isNode, isSeq, LineCounter, visit, type YAMLMap } from 'yaml';
import { objectLabel } from '../check/objects';
import { excerpt } from '../core/excerpt';
import { parseInputYaml } from '../inputs/yaml';

/** The values the workload-identity edits write. */
export interface CapzIdentityValues {
  readonly tenantId: string;
  readonly clientId: string;
  /** `azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>` */
  readonly nodeIdentityProviderId: string;
}

/** clusterctl variables, so a patched template stays a template. */
export const CLUSTERCTL_IDENTITY_VARIABLES: CapzIdentityValues = {
  tenantId: '${AZURE_TENANT_ID}',
  clientId: '${AZURE_CLIENT_ID}',
  nodeIdentityProviderId:
    'azure:///subscriptions/${AZURE_SUBSCRIPTION_ID}/resourceGroups/${USER_ASSIGNED_IDENTITY_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${USER_ASSIGNED_IDENTITY_NAME}',
};

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

/** Where a kind's edits apply, what a document without that mapping is told, and each field's wanted value (`undefined`: removed). */
interface KindPatch {
  readonly at: readonly string[];
  readonly fix: string;
  readonly fields: ReadonlyArray<readonly [string, unknown]>;
}

function kindPatches(values: CapzIdentityValues): Record<string, KindPatch> {
  return {
    AzureClusterIdentity: {
      at: ['spec'],
      fix: 'give the AzureClusterIdentity a spec mapping (clientID, tenantID, type), as clusterctl generate cluster writes it',
      fields: [
        ['type', 'WorkloadIdentity'],
        ['clientSecret', undefined],
        ['tenantID', values.tenantId],
        ['clientID', values.clientId],
      ],
    },
    AzureMachineTemplate: {
      at: ['spec', 'template', 'spec'],
      fix: 'give the AzureMachineTemplate a spec.template.spec mapping (osDisk, vmSize, ...), as clusterctl generate cluster writes it',
      fields: [
        ['identity', 'UserAssigned'],
        ['userAssignedIdentities', [{ providerID: values.nodeIdentityProviderId }]],
        // CAPZ refuses a systemAssignedIdentityRole unless identity is SystemAssigned
        ['systemAssignedIdentityRole', undefined],
      ],
    },
  };
}

export function patchCapzTemplate(text: string, values: CapzIdentityValues): { text: string; edits: CapzTemplateEdit[] } {
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
  const patches = kindPatches(values);
  const indentSeq = indentsSequences(docs, lineCounter);
  const edits: CapzTemplateEdit[] = [];
  let targets = 0;
  let out = '';
  docs.forEach((doc, i) => {
    // the documents' ranges tile the text from the first `---`; what comes before it belongs to the first document
    const source = text.slice(i === 0 ? 0 : doc.range[0], docs[i + 1]?.range[0] ?? text.length);
    const apiVersion = doc.get('apiVersion');
    const kind = doc.get('kind');
    const patch = typeof kind === 'string' && Object.hasOwn(patches, kind) ? patches[kind] : undefined;
    if (!patch || typeof apiVersion !== 'string' || !apiVersion.startsWith(INFRASTRUCTURE_GROUP) || !doc.contents) {
      out += source;
      return;
    }
    targets++;
    const line = lineOf(doc.contents.range[0]);
    const object = objectLabel(parsed.values[i] as Record<string, unknown>);
    const map = doc.getIn(patch.at, true);
    if (!isMap(map)) throw new CapzTemplateError(`${object}: ${patch.at.join('.')} is not a mapping`, patch.fix, line);
    const changes = patch.fields.flatMap(([key, want]) => setField(doc, map, key, want).map((c) => `${patch.at.join('.')}.${key}${c}`));
    edits.push(...changes.map((change) => ({ line, object, change })));
    // an object already right keeps its bytes: re-emitting would restyle it (comment spacing, number formats)
    if (changes.length === 0) {
      out += source;
      return;
    }
    const emitted = doc.toString({ lineWidth: 0, indentSeq, flowCollectionPadding: false });
    // keep the blank lines (or missing final newline) that the source had before the next document
    out += emitted.trimEnd() + source.slice(source.trimEnd().length);
  });
  if (targets === 0) {
    throw new CapzTemplateError(
      'nothing to patch: the input holds neither an AzureClusterIdentity nor an AzureMachineTemplate',
      'run it on the output of `clusterctl generate cluster <name> --infrastructure azure ...`',
    );
  }
  return { text: out, edits };
}

/** Sets (or, for `undefined`, removes) one field; the change described after its path, none when already right. */
function setField(doc: Document, map: YAMLMap, key: string, want: unknown): string[] {
  const had = map.has(key);
  const node = map.get(key, true);
  // aliases were bounded when the text was parsed
  const current: unknown = isNode(node) ? node.toJS(doc, { maxAliasCount: -1 }) : node;
  if (want === undefined) return map.delete(key) ? [' removed'] : [];
  if (had && JSON.stringify(current) === JSON.stringify(want)) return [];
  // a string into an existing scalar keeps that node, its comment and its style; a new key goes last
  map.set(key, typeof want === 'string' ? want : doc.createNode(want));
  // the value found is the user's: quoted short, whatever it holds (an alias may expand it to megabytes)
  const old = typeof current === 'string' && current.length <= OLD_VALUE_CHARS ? current : excerpt(current, OLD_VALUE_CHARS);
  return [`: ${had ? old : '(unset)'} -> ${show(want)}`];
}

const OLD_VALUE_CHARS = 200;

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
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
