/**
 * `wisynth capz patch` against a template in the shape of CAPZ's current default flavor (see
 * fixtures/SOURCES.md): upstream's variable names and
 * defaults are kept, only what workload identity lacks is added, a rendered file without a fleet's values
 * is refused, and a CRLF file stays CRLF.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { crdSchemaErrors } from '../src/check/crd-schema';
import { main } from '../src/cli/main';
import {
  CLUSTERCTL_IDENTITY_VARIABLES,
  CapzTemplateError,
  RENDERED_WITHOUT_VALUES_FIX,
  patchCapzTemplate,
  type CapzIdentityValues,
} from '../src/kubernetes/capz-template-patch';
import { ROOT } from './support';

const FIXTURES = path.join(__dirname, 'fixtures', 'capz');
const readFixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const UPSTREAM_FILE = 'default-flavor-workload-identity.yaml';
const UPSTREAM = readFixture(UPSTREAM_FILE);

/** upstream's control-plane node identity, as the default flavor writes it */
const UPSTREAM_PROVIDER_ID =
  'azure:///subscriptions/${AZURE_SUBSCRIPTION_ID}/resourceGroups/${CI_RG:=capz-ci}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${USER_IDENTITY:=cloud-provider-user-identity}';

const SUBSCRIPTION = '5e76f341-4e1a-4190-a3f2-4ad8d27d1708';
const VALUES: CapzIdentityValues = {
  tenantId: 'fcfcdcba-2b49-4ab6-9c59-761384482a33',
  clientId: '854fc040-1e53-40de-9850-8fc2d4e38e8b',
  nodeIdentityProviderId: `azure:///subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/capz-work-1-nodes`,
};

const CP = 'AzureMachineTemplate ${CLUSTER_NAME}-control-plane';
const MD0 = 'AzureMachineTemplate ${CLUSTER_NAME}-md-0';
const ACI = 'AzureClusterIdentity ${CLUSTER_IDENTITY_NAME}';
const AMT_SPEC = 'spec.template.spec';

interface SourceDoc {
  readonly source: string;
  readonly obj: Record<string, any>;
  /** `Kind name` */
  readonly id: string;
}

/** The documents of a file split at its `---` lines (LF or CRLF), independently of how the library finds them. */
function splitDocuments(text: string): SourceDoc[] {
  return text.split(/^---\r?\n/m).flatMap((source) => {
    const obj = parse(source) as Record<string, any> | null;
    // the empty piece before a leading `---`
    return obj ? [{ source, obj, id: `${obj.kind} ${obj.metadata.name}` }] : [];
  });
}

/** Dotted paths where two parsed values differ: a key on one side only is reported, not its inside. */
function diffPaths(a: unknown, b: unknown, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => {
      const sub = at ? `${at}.${k}` : k;
      return k in a && k in b ? diffPaths(a[k], b[k], sub) : [sub];
    });
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((item, i) => diffPaths(item, b[i], `${at}[${i}]`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

/** Each document's differing paths, for the documents that differ (the files keep the same documents, in order). */
function documentDiff(before: string, after: string): Record<string, string[]> {
  const a = splitDocuments(before);
  const b = splitDocuments(after);
  expect(b.map((d) => d.id)).toEqual(a.map((d) => d.id));
  return Object.fromEntries(a.map((doc, i) => [doc.id, diffPaths(doc.obj, b[i].obj).sort()]).filter(([, paths]) => paths.length > 0));
}

/** Every clusterctl placeholder, `${VAR}` and `${VAR:=default}` (one level of nesting), with its count. */
function placeholderCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [m] of text.matchAll(/\$\{(?:[^{}]|\$\{[^{}]*\})*\}/g)) counts.set(m, (counts.get(m) ?? 0) + 1);
  return new Map([...counts].sort());
}

/** What `clusterctl generate cluster` does to the text: each variable replaced by its value, or else its default. */
function render(text: string, env: Record<string, string>): string {
  let out = text;
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[=-]([^{}$]*))?\}/g, (whole, name: string, fallback?: string) => env[name] ?? fallback ?? whole);
  }
  expect(out).not.toContain('${');
  return out;
}

const RENDER_ENV: Record<string, string> = {
  CLUSTER_NAME: 'capz-work-1',
  CLUSTER_IDENTITY_NAME: 'cluster-identity',
  AZURE_LOCATION: 'westeurope',
  AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
  AZURE_TENANT_ID: VALUES.tenantId,
  AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY: '48d68456-8914-475f-aa5e-33d03e6968ac',
  AZURE_CONTROL_PLANE_MACHINE_TYPE: 'Standard_D2s_v3',
  AZURE_NODE_MACHINE_TYPE: 'Standard_D2s_v3',
  KUBERNETES_VERSION: 'v1.30.2',
};

const toCrlf = (text: string): string => text.replace(/\n/g, '\r\n');

function thrown(run: () => unknown): CapzTemplateError {
  try {
    run();
  } catch (e) {
    if (e instanceof CapzTemplateError) return e;
    throw e;
  }
  throw new Error('patchCapzTemplate did not throw');
}

describe('the vendored upstream default template', () => {
  test('is the default flavor as CAPZ publishes it: workload identity with its own variables and defaults', () => {
    const docs = splitDocuments(UPSTREAM);
    expect(docs.find((d) => d.id === ACI)!.obj.spec).toEqual({
      allowedNamespaces: {},
      clientID: '${AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY}',
      tenantID: '${AZURE_TENANT_ID}',
      type: '${CLUSTER_IDENTITY_TYPE:=WorkloadIdentity}',
    });
    const cp = docs.find((d) => d.id === CP)!.obj.spec.template.spec;
    expect(cp.identity).toBe('UserAssigned');
    expect(cp.userAssignedIdentities).toEqual([{ providerID: UPSTREAM_PROVIDER_ID }]);
    // the worker pool of the default flavor has no identity
    expect(docs.find((d) => d.id === MD0)!.obj.spec.template.spec).not.toHaveProperty('identity');
    // a missing node identity is written as upstream writes the control plane's
    expect(CLUSTERCTL_IDENTITY_VARIABLES.nodeIdentityProviderId).toBe(UPSTREAM_PROVIDER_ID);
    expect(CLUSTERCTL_IDENTITY_VARIABLES.clientId).toBe('${AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY}');
  });
});

describe('patching the upstream template without -c (it stays a template)', () => {
  const { text: output, edits } = patchCapzTemplate(UPSTREAM);

  test("keeps upstream's variables: the client id, the identity type with its default, the control plane's identity with its defaults", () => {
    const docs = splitDocuments(output);
    const aci = docs.find((d) => d.id === ACI)!;
    expect(aci.obj.spec.clientID).toBe('${AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY}');
    expect(aci.obj.spec.type).toBe('${CLUSTER_IDENTITY_TYPE:=WorkloadIdentity}');
    expect(aci.obj.spec.tenantID).toBe('${AZURE_TENANT_ID}');
    expect(docs.find((d) => d.id === CP)!.obj.spec.template.spec.userAssignedIdentities).toEqual([{ providerID: UPSTREAM_PROVIDER_ID }]);
    expect(output).toContain('clientID: ${AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY}\n');
    expect(output).toContain('type: ${CLUSTER_IDENTITY_TYPE:=WorkloadIdentity}');
    expect(output).toContain('${CI_RG:=capz-ci}');
    expect(output).toContain('${USER_IDENTITY:=cloud-provider-user-identity}');
  });

  test("edits nothing else: only the worker pool gets the identity, the control plane's own", () => {
    expect(documentDiff(UPSTREAM, output)).toEqual({ [MD0]: [`${AMT_SPEC}.identity`, `${AMT_SPEC}.userAssignedIdentities`] });
    const md0 = splitDocuments(output).find((d) => d.id === MD0)!.obj.spec.template.spec;
    expect(md0.identity).toBe('UserAssigned');
    expect(md0.userAssignedIdentities).toEqual([{ providerID: UPSTREAM_PROVIDER_ID }]);
    // every document but md-0 byte for byte
    const before = splitDocuments(UPSTREAM);
    const after = splitDocuments(output);
    for (const [i, doc] of before.entries()) if (doc.id !== MD0) expect(after[i].source).toBe(doc.source);
    expect(edits.map((e) => `${e.object}: ${e.change}`)).toEqual([
      'AzureMachineTemplate default/${CLUSTER_NAME}-md-0: spec.template.spec.identity: (unset) -> UserAssigned',
      `AzureMachineTemplate default/\${CLUSTER_NAME}-md-0: spec.template.spec.userAssignedIdentities: (unset) -> [{"providerID":"${UPSTREAM_PROVIDER_ID}"}]`,
    ]);
  });

  test('no variable appears that upstream does not use; each placeholder only gains the ones of the new providerID', () => {
    const expected = placeholderCounts(UPSTREAM);
    for (const [v, n] of placeholderCounts(UPSTREAM_PROVIDER_ID)) expected.set(v, expected.get(v)! + n);
    expect(placeholderCounts(output)).toEqual(expected);
  });

  test('is idempotent, and the patched objects, rendered as clusterctl would, validate against the vendored CAPZ CRDs', () => {
    expect(patchCapzTemplate(output)).toEqual({ text: output, edits: [] });
    const targets = splitDocuments(render(output, RENDER_ENV)).filter((d) => ['AzureClusterIdentity', 'AzureMachineTemplate'].includes(d.obj.kind));
    expect(targets).toHaveLength(3);
    for (const doc of targets) expect(crdSchemaErrors(doc.obj)).toEqual([]);
  });

  test("the flavor's machine-deployment alone (no node identity to copy) gets upstream's providerID", () => {
    const input = splitDocuments(UPSTREAM).filter((d) => d.id.endsWith('-md-0')).map((d) => d.source).join('---\n');
    const { text } = patchCapzTemplate(input);
    const amt = splitDocuments(text).find((d) => d.obj.kind === 'AzureMachineTemplate')!.obj.spec.template.spec;
    expect(amt.userAssignedIdentities).toEqual([{ providerID: UPSTREAM_PROVIDER_ID }]);
    expect(patchCapzTemplate(text).edits).toEqual([]);
  });
});

describe('patching the upstream template with a fleet cluster\'s values (-c)', () => {
  const { text: output, edits } = patchCapzTemplate(UPSTREAM, VALUES);

  test('writes the values: tenant, client id, the node identity (set in place on the control plane, added on the workers)', () => {
    const docs = splitDocuments(output);
    expect(docs.find((d) => d.id === ACI)!.obj.spec).toEqual({
      allowedNamespaces: {},
      clientID: VALUES.clientId,
      tenantID: VALUES.tenantId,
      // already WorkloadIdentity unless overridden: kept
      type: '${CLUSTER_IDENTITY_TYPE:=WorkloadIdentity}',
    });
    for (const id of [CP, MD0]) {
      const spec = docs.find((d) => d.id === id)!.obj.spec.template.spec;
      expect(spec.identity).toBe('UserAssigned');
      expect(spec.userAssignedIdentities).toEqual([{ providerID: VALUES.nodeIdentityProviderId }]);
    }
    expect(documentDiff(UPSTREAM, output)).toEqual({
      [CP]: [`${AMT_SPEC}.userAssignedIdentities[0].providerID`],
      [MD0]: [`${AMT_SPEC}.identity`, `${AMT_SPEC}.userAssignedIdentities`],
      [ACI]: ['spec.clientID', 'spec.tenantID'],
    });
    expect(edits.map((e) => e.change)).toContain(`spec.template.spec.userAssignedIdentities[0].providerID: ${UPSTREAM_PROVIDER_ID} -> ${VALUES.nodeIdentityProviderId}`);
    expect(patchCapzTemplate(output, VALUES)).toEqual({ text: output, edits: [] });
  });

  test('through the CLI: the example fleet\'s capz-work-1 values land in the upstream template', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-capz-upstream-'));
    try {
      const outputs = path.join(dir, 'outputs.json');
      const clientId = '11111111-2222-4333-8444-555555555555';
      fs.writeFileSync(outputs, JSON.stringify({ 'identity_id-capz_client_id': { value: clientId, type: 'string', sensitive: false } }));
      const out = path.join(dir, 'cluster.yaml');
      const r = await run(['capz', 'patch', path.join(FIXTURES, UPSTREAM_FILE), '-c', path.join(ROOT, 'examples', 'fleet.yaml'), '--cluster', 'capz-work-1', '--outputs', outputs, '--strict', '-o', out]);
      expect(r.stderr).not.toContain('warning');
      expect(r.code).toBe(0);
      const docs = splitDocuments(fs.readFileSync(out, 'utf8'));
      const spec = docs.find((d) => d.id === ACI)!.obj.spec;
      expect(spec.clientID).toBe(clientId);
      expect(spec.tenantID).toMatch(/^[0-9a-f-]{36}$/);
      for (const id of [CP, MD0]) {
        expect(docs.find((d) => d.id === id)!.obj.spec.template.spec.userAssignedIdentities).toEqual([
          { providerID: expect.stringMatching(/^azure:\/\/\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w.-]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/id-capz-work-1-nodes$/) },
        ]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a template that lacks or misstates a field: the missing ones get upstream\'s names, the others keep theirs', () => {
  const identity = (spec: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureClusterIdentity\nmetadata:\n  name: \${CLUSTER_IDENTITY_NAME}\nspec:\n${spec}`;

  test('a missing clientID and tenantID get upstream\'s variables; a type variable keeps its name with the WorkloadIdentity default', () => {
    const { text } = patchCapzTemplate(identity('  type: ${CLUSTER_IDENTITY_TYPE:=ServicePrincipal}\n'));
    expect(parse(text).spec).toEqual({ type: '${CLUSTER_IDENTITY_TYPE:=WorkloadIdentity}', tenantID: '${AZURE_TENANT_ID}', clientID: '${AZURE_CLIENT_ID_USER_ASSIGNED_IDENTITY}' });
  });

  test('with values, a type variable that does not default to WorkloadIdentity is written WorkloadIdentity', () => {
    const { text } = patchCapzTemplate(identity('  type: ${CLUSTER_IDENTITY_TYPE}\n'), VALUES);
    expect(parse(text).spec).toEqual({ type: 'WorkloadIdentity', tenantID: VALUES.tenantId, clientID: VALUES.clientId });
  });

  test('an id that differs only in case is already right', () => {
    const input = identity(`  type: WorkloadIdentity\n  tenantID: ${VALUES.tenantId.toUpperCase()}\n  clientID: ${VALUES.clientId}\n`);
    expect(patchCapzTemplate(input, VALUES)).toEqual({ text: input, edits: [] });
  });
});

describe('a rendered file (no clusterctl variable)', () => {
  const rendered = render(UPSTREAM, RENDER_ENV);

  test('without values is refused, naming the fix; nothing with ${...} is written', () => {
    for (const input of [rendered, readFixture('capz-work-1.yaml')]) {
      const e = thrown(() => patchCapzTemplate(input));
      expect(e.fix).toBe(RENDERED_WITHOUT_VALUES_FIX);
      expect(e.message).toMatch(/no clusterctl variable/);
    }
  });

  test('with values gets them and no ${...}', () => {
    const { text } = patchCapzTemplate(rendered, VALUES);
    expect(text).not.toContain('${');
    const docs = splitDocuments(text);
    expect(docs.find((d) => d.obj.kind === 'AzureClusterIdentity')!.obj.spec.clientID).toBe(VALUES.clientId);
    for (const d of docs.filter((x) => x.obj.kind === 'AzureMachineTemplate')) {
      expect(d.obj.spec.template.spec.userAssignedIdentities).toEqual([{ providerID: VALUES.nodeIdentityProviderId }]);
    }
  });

  test('through the CLI: exit 1, the file named, the fix given, nothing printed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-capz-rendered-'));
    try {
      fs.writeFileSync(path.join(dir, 'capz-work-1.yaml'), rendered);
      const r = await run(['capz', 'patch', 'capz-work-1.yaml', '-o', 'patched.yaml'], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: capz-work-1\.yaml: the input holds no clusterctl variable/m);
      expect(r.stderr).toContain(`fix: ${RENDERED_WITHOUT_VALUES_FIX}`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(fs.existsSync(path.join(dir, 'patched.yaml'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a CRLF file stays CRLF', () => {
  const cases: Array<[string, string, CapzIdentityValues | undefined]> = [
    ['the upstream template', UPSTREAM, undefined],
    ['the upstream template, with values', UPSTREAM, VALUES],
    ['a clusterctl output with comments', readFixture('capz-work-1.yaml'), VALUES],
    ['the older template', readFixture('cluster-template.yaml'), undefined],
  ];

  test.each(cases)('%s', (_what, lf, values) => {
    const input = toCrlf(lf);
    const { text, edits } = patchCapzTemplate(input, values);
    expect(edits.length).toBeGreaterThan(0);
    // every line break is CRLF
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // the same edits as on the LF file, the same bytes otherwise
    const fromLf = patchCapzTemplate(lf, values);
    expect(text).toBe(toCrlf(fromLf.text));
    expect(edits).toEqual(fromLf.edits);
    // untouched documents byte for byte
    const changed = new Set(Object.keys(documentDiff(input, text)));
    const before = splitDocuments(input);
    const after = splitDocuments(text);
    for (const [i, doc] of before.entries()) if (!changed.has(doc.id)) expect(after[i].source).toBe(doc.source);
    expect(patchCapzTemplate(text, values)).toEqual({ text, edits: [] });
  });

  test('a mixed file: the untouched LF document keeps LF, the changed CRLF one is CRLF throughout', () => {
    const docs = splitDocuments(UPSTREAM);
    const input = docs.map((d) => (d.id === MD0 ? toCrlf(d.source) : d.source)).join('---\n');
    const { text } = patchCapzTemplate(input);
    const after = splitDocuments(text);
    const md0 = after.find((d) => d.id === MD0)!.source;
    expect(md0.replace(/\r\n/g, '')).not.toContain('\n');
    for (const [i, d] of docs.entries()) if (d.id !== MD0) expect(after[i].source).toBe(d.source);
  });
});

async function run(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { cwd, env: {}, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
