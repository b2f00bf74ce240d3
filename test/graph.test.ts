/**
 * `wisynth graph OUT`: OUT/graph.md, read back from the synthesized example on disk. Diagrams are
 * parsed back into nodes and edges and compared by node label, never by the generated ids; the
 * expected values come from the files of OUT and the fleet file, not from the graph's code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { readArtifacts } from '../src/check/artifacts';
import { TrustModel } from '../src/check/trust';
import { main } from '../src/cli/main';
import { trustGraphMarkdown } from '../src/graph/trust-graph';
import { ROOT, copyExampleInputs } from './support';

/** Parsed JSON or YAML, read field by field. */
type Json = any;

const EXAMPLE = path.join(ROOT, 'examples', 'fleet.yaml');
const NO_CLUSTER = "FICs on no cluster's issuer";
const STACK = 'terraform/stacks/contoso/cdk.tf.json';

interface Run {
  code: number;
  out: string;
  err: string;
}

interface Diagram {
  /** id → label, as declared. */
  nodes: Map<string, string>;
  /** `from label -> to label`, solid edges. */
  edges: Set<string>;
  /** `from label -.-> to label`, dashed edges. */
  dashed: Set<string>;
}

interface Section {
  heading: string;
  text: string;
  diagram?: Diagram;
}

let work: string;
let project: string;
let out: string;
let graphRun: Run;
let graph: string;
let summary: Json;
let tf: Json;

async function run(argv: string[]): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { cwd: project, env: {}, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}

const NODE = /^ {2}(n\d+)\["([^"\n]*)"\]$/;
const EDGE = /^ {2}(n\d+) (-->|-\.->\|[^|"\n]+\|) (n\d+)$/;
const CLASS_DEF = /^ {2}classDef [a-z]+ [^\n]+$/;
const CLASS = /^ {2}class (n\d+(?:,n\d+)*) [a-z]+$/;

/**
 * A Mermaid block, checked cheaply as it is parsed: `flowchart LR`, then only node declarations
 * with quoted one-line labels, edges between declared ids, and class lines naming declared ids.
 */
function parseMermaid(lines: readonly string[]): Diagram {
  expect(lines[0]).toBe('flowchart LR');
  const nodes = new Map<string, string>();
  const edges = new Set<string>();
  const dashed = new Set<string>();
  const label = (id: string): string => {
    const l = nodes.get(id);
    if (l === undefined) throw new Error(`an edge or class line names ${id}, which is not declared before it`);
    return l;
  };
  for (const line of lines.slice(1)) {
    const node = NODE.exec(line);
    const edge = EDGE.exec(line);
    const cls = CLASS.exec(line);
    if (node) {
      expect(nodes.has(node[1])).toBe(false);
      nodes.set(node[1], node[2]);
    } else if (edge) {
      (edge[2] === '-->' ? edges : dashed).add(`${label(edge[1])} -> ${label(edge[3])}`);
    } else if (cls) {
      cls[1].split(',').forEach(label);
    } else if (!CLASS_DEF.test(line)) {
      throw new Error(`not a line of the expected Mermaid subset: ${JSON.stringify(line)}`);
    }
  }
  // Ids are generated in order: n1, n2, ...
  expect([...nodes.keys()]).toEqual([...nodes.keys()].map((_, i) => `n${i + 1}`));
  return { nodes, edges, dashed };
}

/** The `## ` sections of graph.md, each with its one Mermaid diagram (if any). */
function parseGraph(md: string): Section[] {
  expect(md.endsWith('\n')).toBe(true);
  const sections: Section[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('## ')) {
      sections.push({ heading: line.slice(3), text: '' });
      continue;
    }
    const current = sections[sections.length - 1];
    if (line === '```mermaid') {
      const end = lines.indexOf('```', i + 1);
      expect(end).toBeGreaterThan(i);
      expect(current).toBeDefined();
      expect(current.diagram).toBeUndefined();
      current.diagram = parseMermaid(lines.slice(i + 1, end));
      i = end;
    } else if (current) {
      current.text += `${line}\n`;
    }
  }
  return sections;
}

function section(md: string, heading: string): Section {
  const found = parseGraph(md).filter((s) => s.heading === heading);
  expect(found).toHaveLength(1);
  return found[0];
}

function diagramOf(md: string, heading: string): Diagram {
  const d = section(md, heading).diagram;
  if (!d) throw new Error(`section ${heading} has no diagram`);
  return d;
}

/** The one label of a diagram that satisfies `test`. */
function labelOf(d: Diagram, test: (label: string) => boolean): string {
  const found = [...d.nodes.values()].filter(test);
  expect(found).toHaveLength(1);
  return found[0];
}

function clusterHeading(name: string): string {
  const c = summary.clusters.find((x: Json) => x.name === name);
  return `${c.name} (${c.platform})`;
}

/** The FIC block of the stack on disk whose subject and issuer belong to a cluster's workload. */
function ficKey(t: Json, name: string): string {
  const keys = Object.entries(t.resource.azurerm_federated_identity_credential)
    .filter(([, r]) => (r as Json).name === name)
    .map(([k]) => k);
  expect(keys).toHaveLength(1);
  return keys[0];
}

/** A copy of OUT elsewhere, with an edit to its Terraform JSON. */
function mutatedCopy(name: string, edit: (t: Json) => void): string {
  const dir = path.join(work, name);
  fs.cpSync(out, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'graph.md'), { force: true });
  const file = path.join(dir, STACK);
  const t = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(t);
  fs.writeFileSync(file, JSON.stringify(t, null, 2));
  return dir;
}

function graphOf(dir: string): string {
  return trustGraphMarkdown(new TrustModel(readArtifacts(dir)));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-graph-'));
  project = path.join(work, 'project');
  const fleetFile = path.join(project, 'examples', 'fleet.yaml');
  fs.mkdirSync(path.dirname(fleetFile), { recursive: true });
  fs.copyFileSync(EXAMPLE, fleetFile);
  copyExampleInputs(path.dirname(fleetFile));
  out = path.join(project, 'dist');
  expect(await run(['synth', '-c', fleetFile, '-o', out])).toMatchObject({ code: 0, err: '' });
  summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  tf = JSON.parse(fs.readFileSync(path.join(out, STACK), 'utf8'));
  graphRun = await run(['graph', 'dist']);
  graph = fs.readFileSync(path.join(out, 'graph.md'), 'utf8');
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('wisynth graph (CLI)', () => {
  test('exits 0, writes OUT/graph.md and says so', () => {
    expect(graphRun).toEqual({ code: 0, out: `wrote ${path.join('dist', 'graph.md')}`, err: '' });
    // Nothing else is left beside it (the temp file was renamed over).
    expect(fs.readdirSync(out).filter((f) => f.includes('graph'))).toEqual(['graph.md']);
  });

  test('exits 2 with error and fix lines on a folder that is not an OUT, writing nothing', async () => {
    const empty = path.join(work, 'not-an-out');
    fs.mkdirSync(empty);
    const result = await run(['graph', empty]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^error: .*summary\.json.*\n {2}fix: .+/);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  test('exits 2 on a path that does not exist, and without an argument', async () => {
    const missing = await run(['graph', path.join(work, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: .*nowhere is not a folder\n {2}fix: /);
    expect(fs.existsSync(path.join(work, 'nowhere'))).toBe(false);
    expect((await run(['graph'])).code).toBe(2);
  });

  test('running it again gives the same bytes', async () => {
    const first = fs.readFileSync(path.join(out, 'graph.md'));
    expect((await run(['graph', out])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'graph.md')).equals(first)).toBe(true);
  });
});

describe('graph.md of the example', () => {
  test('title, generated-by line, a section per cluster in summary order, then the no-cluster section', () => {
    const lines = graph.split('\n');
    expect(lines[0]).toBe(`# Trust chains of ${summary.fleet}`);
    expect(graph).toMatch(/^Generated by `wisynth graph` from the files in this folder/m);
    const sections = parseGraph(graph);
    expect(sections.map((s) => s.heading)).toEqual([...summary.clusters.map((c: Json) => `${c.name} (${c.platform})`), NO_CLUSTER]);
    for (const s of sections.slice(0, -1)) expect(s.diagram).toBeDefined();
    expect(section(graph, NO_CLUSTER).diagram).toBeUndefined();
  });

  test('no timestamps or absolute paths', () => {
    expect(graph).not.toContain(work);
    expect(graph).not.toContain(os.tmpdir());
    expect(graph).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  test('a copy of OUT elsewhere gives the same bytes', () => {
    const copy = path.join(work, 'copy');
    fs.cpSync(out, copy, { recursive: true });
    expect(graphOf(copy)).toBe(graph);
  });

  test('kind-dev: issuer -> FIC -> id-orders -> its roles, and the service account -> the FIC', () => {
    const d = diagramOf(graph, clusterHeading('kind-dev'));
    const kindDev = summary.clusters.find((c: Json) => c.name === 'kind-dev');
    const fic = tf.resource.azurerm_federated_identity_credential[ficKey(tf, 'kind-dev_orders_orders-worker')];
    expect(fic.issuer).toBe(kindDev.issuer);

    const issuer = labelOf(d, (l) => l.startsWith('issuer ') && l.includes(kindDev.issuer));
    const ficNode = labelOf(d, (l) => l.startsWith(`FIC ${fic.name} `) && l.includes(fic.audience[0]));
    const identity = labelOf(d, (l) => l === 'identity id-orders');
    const account = labelOf(d, (l) => l.startsWith('service account orders/orders-worker'));
    // Roles as the stack grants them to id-orders, with scopes shortened to the resource's name.
    const fleet = yaml.load(fs.readFileSync(EXAMPLE, 'utf8')) as Json;
    const storageScope: string = fleet.identities.find((i: Json) => i.name === 'id-orders').roles[0].scope;
    const storageRole = labelOf(d, (l) => l === `Storage Blob Data Reader @ ${storageScope.split('/').pop()}`);
    const vaultRole = labelOf(d, (l) => l === 'Key Vault Secrets User @ kv-contoso-wi-demo');

    for (const edge of [
      `${issuer} -> ${ficNode}`,
      `${ficNode} -> ${identity}`,
      `${identity} -> ${storageRole}`,
      `${identity} -> ${vaultRole}`,
      `${account} -> ${ficNode}`,
    ]) {
      expect(d.edges).toContain(edge);
    }
    expect(d.dashed.size).toBe(0);
  });

  test('aks-legacy: the issuer keeps its trailing slash, as in the FIC', () => {
    const d = diagramOf(graph, clusterHeading('aks-legacy'));
    const fic = tf.resource.azurerm_federated_identity_credential[ficKey(tf, 'aks-legacy_billing_billing-api')];
    expect(fic.issuer.endsWith('/')).toBe(true);
    const issuer = labelOf(d, (l) => l.startsWith('issuer '));
    expect(issuer).toBe(`issuer ${fic.issuer}`);
    expect(d.edges).toContain(`${issuer} -> ${labelOf(d, (l) => l.startsWith(`FIC ${fic.name} `))}`);
  });

  test('an identity shared by several clusters appears in each of their diagrams', () => {
    for (const cluster of ['aks-prod', 'aks-legacy', 'kind-dev']) {
      const d = diagramOf(graph, clusterHeading(cluster));
      expect([...d.nodes.values()]).toContain('identity id-orders');
    }
  });

  test('an issuer known only after apply is named by its Terraform output', () => {
    const d = diagramOf(graph, clusterHeading('aks-prod'));
    labelOf(d, (l) => l === 'issuer the Terraform output aks_aks-prod_oidc_issuer_url');
  });

  test('the Hive hub: the service account of the OpenShift cluster folder federates on the hub issuer', () => {
    const d = diagramOf(graph, clusterHeading('aks-prod'));
    const account = labelOf(d, (l) => l.startsWith('service account ocp-prod/hive-secrets-reader'));
    const fic = labelOf(d, (l) => l.startsWith('FIC aks-prod_ocp-prod_hive-secrets-reader '));
    expect(d.edges).toContain(`${account} -> ${fic}`);
    expect(d.edges).toContain(`${fic} -> identity id-hive-secrets`);
    expect(d.edges).toContain('identity id-hive-secrets -> Key Vault Secrets User @ kv-contoso-hive');
  });

  test('external service accounts are marked with who installs them; custom roles show their name', () => {
    const capz = diagramOf(graph, clusterHeading('capz-mgmt'));
    labelOf(capz, (l) => l === 'service account capz-system/capz-manager (installed by CAPZ)');
    expect(capz.edges).toContain('identity id-capz -> Contributor @ subscription');
    const ocp = diagramOf(graph, clusterHeading('ocp-prod'));
    const ingress = labelOf(ocp, (l) => l.startsWith('service account openshift-ingress-operator/ingress-operator (installed by OpenShift)'));
    const fic = labelOf(ocp, (l) => l.startsWith('FIC ingress-operator ') && l.includes('openshift'));
    expect(ocp.edges).toContain(`${ingress} -> ${fic}`);
    const identity = 'identity ocp-prod-openshift-ingress-operator-cloud-credentials';
    expect(ocp.edges).toContain(`${fic} -> ${identity}`);
    const definitions = tf.resource.azurerm_role_definition as Record<string, Json>;
    const role = Object.values(definitions).find((r) => r.name === 'ocp-prod-openshift-ingress-operator-cloud-credentials');
    expect(role).toBeDefined();
    expect(ocp.edges).toContain(`${identity} -> ${role.name} @ resourceGroups/rg-contoso-dns`);
  });
});

describe('broken links read back from disk', () => {
  test('a FIC moved to a wrong issuer leaves its cluster and shows in the no-cluster section', () => {
    const wrong = 'https://stcontosooidckinddev.blob.core.windows.net/kind-dev-wrong';
    const dir = mutatedCopy('wrong-issuer', (t) => {
      t.resource.azurerm_federated_identity_credential[ficKey(t, 'kind-dev_orders_orders-worker')].issuer = wrong;
    });
    const md = graphOf(dir);
    const kindDev = section(md, clusterHeading('kind-dev'));
    expect([...kindDev.diagram!.nodes.values()].some((l) => l.startsWith('FIC kind-dev_orders_orders-worker'))).toBe(false);
    expect(kindDev.text).toMatch(/no FIC trusts this cluster's issuer/);
    const orphan = section(md, NO_CLUSTER);
    expect(orphan.text).toContain('kind-dev_orders_orders-worker');
    const d = orphan.diagram!;
    const issuer = labelOf(d, (l) => l.startsWith('issuer ') && l.includes(wrong));
    const fic = labelOf(d, (l) => l.startsWith('FIC kind-dev_orders_orders-worker '));
    expect(d.edges).toContain(`${issuer} -> ${fic}`);
    expect(d.edges).toContain(`${fic} -> identity id-orders`);
    expect(d.edges).toContain('identity id-orders -> Key Vault Secrets User @ kv-contoso-wi-demo');
    // The other sections are untouched.
    expect(section(md, clusterHeading('aks-prod'))).toEqual(section(graph, clusterHeading('aks-prod')));
  });

  test('a near miss (trailing slash dropped) is pointed out', () => {
    const dir = mutatedCopy('near-miss', (t) => {
      const fic = t.resource.azurerm_federated_identity_credential[ficKey(t, 'aks-legacy_billing_billing-api')];
      fic.issuer = fic.issuer.replace(/\/$/, '');
    });
    const orphan = section(graphOf(dir), NO_CLUSTER);
    expect(orphan.text).toMatch(/aks-legacy_billing_billing-api.*trailing slash .*aks-legacy/);
    // The service account it was meant for has no FIC on its cluster now: drawn, but without an edge.
    const legacy = diagramOf(graphOf(dir), clusterHeading('aks-legacy'));
    const account = labelOf(legacy, (l) => l.startsWith('service account billing/billing-api'));
    expect([...legacy.edges].some((e) => e.startsWith(`${account} -> `))).toBe(false);
  });

  test('a FIC whose subject names no service account of its cluster points at a missing one, dashed', () => {
    const dir = mutatedCopy('missing-sa', (t) => {
      t.resource.azurerm_federated_identity_credential[ficKey(t, 'kind-dev_orders_orders-worker')].subject = 'system:serviceaccount:orders:typo';
    });
    const d = diagramOf(graphOf(dir), clusterHeading('kind-dev'));
    const missing = labelOf(d, (l) => l.startsWith('service account orders/typo') && l.includes('not in'));
    const fic = labelOf(d, (l) => l.startsWith('FIC kind-dev_orders_orders-worker '));
    expect(d.dashed).toContain(`${missing} -> ${fic}`);
    // The real account still names id-orders by its client-id annotation, without a FIC behind it.
    expect(d.dashed).toContain(`${labelOf(d, (l) => l.startsWith('service account orders/orders-worker'))} -> identity id-orders`);
  });

  test('quotes, angle brackets and newlines in names stay inside one escaped label', () => {
    const dir = mutatedCopy('odd-name', (t) => {
      t.resource.azurerm_federated_identity_credential[ficKey(t, 'kind-dev_orders_orders-worker')].name = 'say "hi" <b>\nnow #1';
    });
    const md = graphOf(dir);
    // parseMermaid rejects raw quotes and line breaks in labels.
    const d = diagramOf(md, clusterHeading('kind-dev'));
    const fic = labelOf(d, (l) => l.startsWith('FIC say'));
    expect(fic).toBe('FIC say #quot;hi#quot; #lt;b#gt; now #35;1 (audience api://AzureADTokenExchange)');
  });
});
