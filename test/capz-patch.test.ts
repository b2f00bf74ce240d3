import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { crdSchemaErrors } from '../src/check/crd-schema';
import {
  CLUSTERCTL_IDENTITY_VARIABLES,
  CapzTemplateError,
  patchCapzTemplate,
  type CapzIdentityValues,
} from '../src/kubernetes/capz-template-patch';

const FIXTURES = path.join(__dirname, 'fixtures', 'capz');
const readFixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const SUBSCRIPTION = '5e76f341-4e1a-4190-a3f2-4ad8d27d1708';
/** capz-work-1's tenant (already in the file), and the client ID of a user-assigned managed identity. */
const REAL_VALUES: CapzIdentityValues = {
  tenantId: 'fcfcdcba-2b49-4ab6-9c59-761384482a33',
  clientId: '854fc040-1e53-40de-9850-8fc2d4e38e8b',
  nodeIdentityProviderId: `azure:///subscriptions/${SUBSCRIPTION}/resourceGroups/capz-work-1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/capz-work-1-nodes`,
};

const TARGET_KINDS = ['AzureClusterIdentity', 'AzureMachineTemplate'];
const AMT_SPEC = 'spec.template.spec';
const AMT_PATHS = [`${AMT_SPEC}.identity`, `${AMT_SPEC}.userAssignedIdentities`];

interface SourceDoc {
  readonly source: string;
  readonly obj: Record<string, any>;
  /** `Kind name` */
  readonly id: string;
  /** 1-based lines of the document's text (after its `---`), first and last. */
  readonly firstLine: number;
  readonly lastLine: number;
}

/** The documents of a file split at its `---` lines, independently of how the library finds them. */
function splitDocuments(text: string): SourceDoc[] {
  let line = 1;
  return text.split(/^---\n/m).map((source) => {
    const obj = parse(source) as Record<string, any>;
    const lines = source.split('\n').length - 1;
    const doc = { source, obj, id: `${obj.kind} ${obj.metadata.name}`, firstLine: line, lastLine: line + lines - 1 };
    line += lines + 1;
    return doc;
  });
}

const isTarget = (doc: SourceDoc): boolean => TARGET_KINDS.includes(doc.obj.kind);

/** Dotted paths where two parsed values differ: a key on one side only is reported, not its inside. */
function diffPaths(a: unknown, b: unknown, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => {
      const sub = at ? `${at}.${k}` : k;
      return k in a && k in b ? diffPaths(a[k], b[k], sub) : [sub];
    });
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((item, i) => diffPaths(item, b[i], `${at}[${i}]`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

/** The 1-based lines an LCS line diff removes from `a` and adds in `b`. */
function lineDiff(a: readonly string[], b: readonly string[]): { removed: number[]; added: number[] } {
  const width = b.length + 1;
  const lcs = new Int32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j])) {
      added.push(++j);
    } else {
      removed.push(++i);
    }
  }
  return { removed, added };
}

/** Every clusterctl placeholder, `${VAR}` and `${VAR:=default}` (one level of nesting), with its count. */
function placeholderCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [m] of text.matchAll(/\$\{(?:[^{}]|\$\{[^{}]*\})*\}/g)) counts.set(m, (counts.get(m) ?? 0) + 1);
  return counts;
}

interface FixtureCase {
  readonly file: string;
  /** a fleet cluster's values (`-c`), or none: the template keeps its clusterctl variables */
  readonly values?: CapzIdentityValues;
  /** what the patched objects then hold */
  readonly expected: CapzIdentityValues;
  /** `Kind name` of each document that changes, to the paths that differ afterwards. */
  readonly changed: Record<string, string[]>;
}

const CASES: FixtureCase[] = [
  {
    file: 'cluster-template.yaml',
    // the template's own clientID and tenantID variables are kept; the missing node identity is upstream's
    expected: { clientId: '${AZURE_CLIENT_ID}', tenantId: '${AZURE_TENANT_ID}', nodeIdentityProviderId: CLUSTERCTL_IDENTITY_VARIABLES.nodeIdentityProviderId },
    changed: {
      'AzureMachineTemplate ${CLUSTER_NAME}-control-plane': AMT_PATHS,
      'AzureMachineTemplate ${CLUSTER_NAME}-md-0': AMT_PATHS,
      'AzureClusterIdentity ${CLUSTER_IDENTITY_NAME}': ['spec.clientSecret', 'spec.type'],
    },
  },
  {
    file: 'capz-work-1.yaml',
    values: REAL_VALUES,
    expected: REAL_VALUES,
    changed: {
      'AzureMachineTemplate capz-work-1-control-plane': AMT_PATHS,
      'AzureMachineTemplate capz-work-1-md-0': AMT_PATHS,
      'AzureMachineTemplate capz-work-1-md-1': [...AMT_PATHS, `${AMT_SPEC}.systemAssignedIdentityRole`],
      // the tenant is already right; the client becomes the managed identity's
      'AzureClusterIdentity cluster-identity': ['spec.clientID', 'spec.clientSecret', 'spec.type'],
    },
  },
];

describe.each(CASES)('patching $file', ({ file, values, expected, changed }) => {
  const input = readFixture(file);
  const { text: output } = patchCapzTemplate(input, values);
  const before = splitDocuments(input);
  const after = splitDocuments(output);

  test('keeps the documents, in order; the untouched ones deep-equal and byte-identical', () => {
    expect(parseAllDocuments(output)).toHaveLength(parseAllDocuments(input).length);
    expect(after.map((d) => d.id)).toEqual(before.map((d) => d.id));
    const untouched = before.filter((d) => !isTarget(d));
    expect(untouched.length).toBeGreaterThanOrEqual(5);
    for (const doc of untouched) {
      const out = after.find((d) => d.id === doc.id)!;
      expect(out.obj).toEqual(doc.obj);
      expect(out.source).toBe(doc.source);
    }
  });

  test('changes only the intended paths of the target documents, to the intended values', () => {
    const actual = Object.fromEntries(
      before.filter(isTarget).map((doc, i) => [doc.id, diffPaths(doc.obj, after.filter(isTarget)[i].obj).sort()]),
    );
    expect(actual).toEqual(Object.fromEntries(Object.entries(changed).map(([id, paths]) => [id, [...paths].sort()])));
    for (const doc of after.filter(isTarget)) {
      if (doc.obj.kind === 'AzureClusterIdentity') {
        expect(doc.obj.spec).toEqual({ allowedNamespaces: {}, clientID: expected.clientId, tenantID: expected.tenantId, type: 'WorkloadIdentity' });
      } else {
        const spec = doc.obj.spec.template.spec;
        expect(spec.identity).toBe('UserAssigned');
        expect(spec.userAssignedIdentities).toEqual([{ providerID: expected.nodeIdentityProviderId }]);
        expect(spec).not.toHaveProperty('systemAssignedIdentityRole');
        // new keys go last, existing ones stay where they were
        expect(Object.keys(spec).slice(-1)).toEqual(['userAssignedIdentities']);
      }
    }
  });

  test('a line diff touches only lines inside the changed documents', () => {
    const { removed, added } = lineDiff(input.split('\n'), output.split('\n'));
    expect(removed.length + added.length).toBeGreaterThan(0);
    const inTarget = (docs: SourceDoc[]) => (line: number) => docs.some((d) => isTarget(d) && d.firstLine <= line && line <= d.lastLine);
    expect(removed.filter((l) => !inTarget(before)(l))).toEqual([]);
    expect(added.filter((l) => !inTarget(after)(l))).toEqual([]);
  });

  test('user comments survive, on their unchanged lines', () => {
    const outputLines = new Set(output.split('\n'));
    const commented = input.split('\n').filter((l) => /(^|\s)#/.test(l));
    expect(commented.length).toBeGreaterThanOrEqual(4);
    expect(commented.filter((l) => !outputLines.has(l))).toEqual([]);
  });

  test('patching the output again changes nothing', () => {
    const again = patchCapzTemplate(output, values);
    expect(again.text).toBe(output);
    expect(again.edits).toEqual([]);
  });

  test('the patched AzureClusterIdentity and AzureMachineTemplates validate against the vendored CAPZ CRDs', () => {
    const targets = after.filter(isTarget);
    expect(targets).toHaveLength(Object.keys(changed).length);
    for (const doc of targets) expect(crdSchemaErrors(doc.obj)).toEqual([]);
  });
});

test('real values: the providerID is a user-assigned identity resource ID in the cluster subscription', () => {
  const ids = splitDocuments(patchCapzTemplate(readFixture('capz-work-1.yaml'), REAL_VALUES).text)
    .filter((d) => d.obj.kind === 'AzureMachineTemplate')
    .map((d) => d.obj.spec.template.spec.userAssignedIdentities[0].providerID as string);
  expect(ids).toHaveLength(3);
  for (const id of ids) {
    expect(id).toMatch(/^azure:\/\/\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w.-]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[\w-]+$/);
    expect(id).toContain(SUBSCRIPTION);
  }
});

test('template mode: every ${...} placeholder survives except the removed clientSecret ones; the new ones are written plain', () => {
  const input = readFixture('cluster-template.yaml');
  const { text } = patchCapzTemplate(input);
  const expected = placeholderCounts(input);
  for (const gone of ['${AZURE_CLUSTER_IDENTITY_SECRET_NAME}', '${AZURE_CLUSTER_IDENTITY_SECRET_NAMESPACE}']) {
    expect(expected.get(gone)).toBe(1);
    expected.delete(gone);
  }
  // the node identity's providerID, once in each of the two AzureMachineTemplates
  for (const [variable, n] of placeholderCounts(CLUSTERCTL_IDENTITY_VARIABLES.nodeIdentityProviderId)) {
    expected.set(variable, (expected.get(variable) ?? 0) + 2 * n);
  }
  expect(new Map([...placeholderCounts(text)].sort())).toEqual(new Map([...expected].sort()));
  expect(text).toContain(`\n      - providerID: ${CLUSTERCTL_IDENTITY_VARIABLES.nodeIdentityProviderId}\n`);
});

test('the edits of the template fixture, as the CLI prints them', () => {
  const input = readFixture('cluster-template.yaml');
  const line = (id: string) => splitDocuments(input).find((d) => d.id === id)!.firstLine;
  const cp = 'AzureMachineTemplate ${CLUSTER_NAME}-control-plane';
  const md0 = 'AzureMachineTemplate ${CLUSTER_NAME}-md-0';
  const aci = 'AzureClusterIdentity ${CLUSTER_IDENTITY_NAME}';
  const providerIds = `[{"providerID":"${CLUSTERCTL_IDENTITY_VARIABLES.nodeIdentityProviderId}"}]`;
  const amt = (id: string) => [
    { line: line(id), object: id.replace(' ', ' default/'), change: 'spec.template.spec.identity: (unset) -> UserAssigned' },
    { line: line(id), object: id.replace(' ', ' default/'), change: `spec.template.spec.userAssignedIdentities: (unset) -> ${providerIds}` },
  ];
  expect(patchCapzTemplate(input).edits).toEqual([
    ...amt(cp),
    ...amt(md0),
    { line: line(aci), object: 'AzureClusterIdentity default/${CLUSTER_IDENTITY_NAME}', change: 'spec.type: ServicePrincipal -> WorkloadIdentity' },
    { line: line(aci), object: 'AzureClusterIdentity default/${CLUSTER_IDENTITY_NAME}', change: 'spec.clientSecret removed' },
  ]);
});

test('the edits of the clusterctl output: one per changed field, none for the tenant that is already right', () => {
  const { edits } = patchCapzTemplate(readFixture('capz-work-1.yaml'), REAL_VALUES);
  expect(edits.map((e) => `${e.object}: ${e.change.replace(/ -> \[.*/, ' -> [...]')}`)).toEqual([
    'AzureMachineTemplate default/capz-work-1-control-plane: spec.template.spec.identity: (unset) -> UserAssigned',
    'AzureMachineTemplate default/capz-work-1-control-plane: spec.template.spec.userAssignedIdentities: (unset) -> [...]',
    'AzureMachineTemplate default/capz-work-1-md-0: spec.template.spec.identity: (unset) -> UserAssigned',
    'AzureMachineTemplate default/capz-work-1-md-0: spec.template.spec.userAssignedIdentities: (unset) -> [...]',
    'AzureMachineTemplate default/capz-work-1-md-1: spec.template.spec.identity: SystemAssigned -> UserAssigned',
    'AzureMachineTemplate default/capz-work-1-md-1: spec.template.spec.userAssignedIdentities: (unset) -> [...]',
    'AzureMachineTemplate default/capz-work-1-md-1: spec.template.spec.systemAssignedIdentityRole removed',
    'AzureClusterIdentity default/cluster-identity: spec.type: ServicePrincipal -> WorkloadIdentity',
    'AzureClusterIdentity default/cluster-identity: spec.clientSecret removed',
    `AzureClusterIdentity default/cluster-identity: spec.clientID: 48d68456-8914-475f-aa5e-33d03e6968ac -> ${REAL_VALUES.clientId}`,
  ]);
});

test('an input that indents block sequences under their key gets the new list indented the same way', () => {
  const input = [
    'apiVersion: infrastructure.cluster.x-k8s.io/v1alpha4',
    'kind: AzureMachineTemplate',
    'metadata:',
    '  name: pool',
    'spec:',
    '  template:',
    '    spec:',
    '      dataDisks:',
    '        - {diskSizeGB: 64, lun: 0, nameSuffix: data}',
    '      vmSize: Standard_D2s_v3',
    '',
  ].join('\n');
  expect(patchCapzTemplate(input, REAL_VALUES).text).toBe(
    input.replace(
      '      vmSize: Standard_D2s_v3\n',
      `      vmSize: Standard_D2s_v3\n      identity: UserAssigned\n      userAssignedIdentities:\n        - providerID: ${REAL_VALUES.nodeIdentityProviderId}\n`,
    ),
  );
});

test('blank lines before the next document and a missing final newline are kept around a changed document', () => {
  const identity = (type: string, more = '') =>
    `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureClusterIdentity\nmetadata:\n  name: id\nspec:\n  type: ${type}${more}`;
  const both = `\n  tenantID: ${REAL_VALUES.tenantId}\n  clientID: ${REAL_VALUES.clientId}`;
  const input = `${identity('ServicePrincipal')}\n\n\n---\n${identity('ServicePrincipal')}`;
  expect(patchCapzTemplate(input, REAL_VALUES).text).toBe(
    `${identity('WorkloadIdentity', both)}\n\n\n---\n${identity('WorkloadIdentity', both)}`,
  );
});

test('an object that is already right is left byte for byte, even where re-emitting it would restyle it', () => {
  const input = [
    '---',
    'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1',
    'kind: AzureClusterIdentity',
    'metadata: {name: id}',
    'spec:',
    '  clientID: "${AZURE_CLIENT_ID}"   # aligned comment',
    '  tenantID: ${AZURE_TENANT_ID}',
    '  type: WorkloadIdentity',
    '# a comment that ends the document',
    '',
  ].join('\n');
  expect(patchCapzTemplate(input)).toEqual({ text: input, edits: [] });
});

test('the CRD check catches an AzureMachineTemplate with identity: Bogus', () => {
  const amt = splitDocuments(readFixture('capz-work-1.yaml')).find((d) => d.id === 'AzureMachineTemplate capz-work-1-md-0')!.obj;
  expect(crdSchemaErrors(amt)).toEqual([]);
  const bogus = structuredClone(amt);
  bogus.spec.template.spec.identity = 'Bogus';
  expect(crdSchemaErrors(bogus)).toEqual([
    expect.stringMatching(/^AzureMachineTemplate default\/capz-work-1-md-0: \/spec\/template\/spec\/identity must be one of "None", "SystemAssigned", "UserAssigned"$/),
  ]);
});

describe('errors', () => {
  const thrown = (text: string): CapzTemplateError => {
    try {
      patchCapzTemplate(text, REAL_VALUES);
    } catch (e) {
      if (e instanceof CapzTemplateError) return e;
      throw e;
    }
    throw new Error('patchCapzTemplate did not throw');
  };

  test('input that is not valid YAML: the line is reported', () => {
    const e = thrown('apiVersion: v1\nkind: ConfigMap\n---\nkind: AzureClusterIdentity\nspec: type: x\n');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/^not valid YAML: .* at line 5, column \d+$/);
    expect(e.fix).toContain('line 5');
  });

  test('a file with only a ConfigMap: nothing to patch', () => {
    const e = thrown('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    expect(e.message).toMatch(/^nothing to patch/);
    expect(e.fix).toContain('clusterctl generate cluster');
    expect(e.fix).toContain('--infrastructure azure');
    expect(e.line).toBeUndefined();
  });

  test('an AzureMachineTemplate without spec.template.spec', () => {
    const e = thrown('kind: ConfigMap\napiVersion: v1\n---\napiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureMachineTemplate\nmetadata:\n  name: pool\nspec:\n  template: {}\n');
    expect(e.message).toBe('AzureMachineTemplate pool: spec.template.spec is not a mapping');
    expect(e.line).toBe(4);
    expect(e.fix).toContain('spec.template.spec');
  });

  test('an AzureClusterIdentity whose spec is not a mapping', () => {
    const e = thrown('apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureClusterIdentity\nmetadata:\n  name: id\nspec: []\n');
    expect(e.message).toBe('AzureClusterIdentity id: spec is not a mapping');
    expect(e.line).toBe(1);
  });
});
