/**
 * `terraform.stackLayout`: the Azure side as one stack, or as a shared stack plus one per cluster.
 * The example is synthesized in both layouts and read back from disk; every test states a rule a
 * user relies on when splitting: nothing is lost or doubled, nothing reads another stack's state,
 * the apply order the manifest gives is safe (Entra rejects concurrent FIC writes on one identity)
 * and as parallel as it may be, each stack has its own state, and the output is deterministic.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { checkOut } from '../src/check/check';
import { terraformReferencesRule } from '../src/check/rules/terraform-references';
import { AksCluster, Fleet, ManagedIdentity, PER_CLUSTER_STACKS_ABOVE, planFleet, ResourceGroup } from '../src/index';
import type { StackLayout } from '../src/model/fleet';
import { loadFleetFile } from '../src/platforms';
import { synthesizeFleet } from '../src/output/synthesize';
import { ROOT, copyExampleInputs, readTree } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const EXAMPLE = path.join(ROOT, 'examples', 'fleet.yaml');
const exampleText = fs.readFileSync(EXAMPLE, 'utf8');
const exampleDoc = yaml.load(exampleText) as { name: string; clusters: Array<{ name: string }> };
const FLEET = exampleDoc.name;
/** The example's clusters, in fleet order. */
const CLUSTERS = exampleDoc.clusters.map((c) => c.name);
const clusterStack = (cluster: string): string => `${FLEET}-${cluster}`;
/** The stacks a perCluster synthesis must write: the shared one, then one per cluster in fleet order. */
const SPLIT_STACKS = [FLEET, ...CLUSTERS.map(clusterStack)];

const FIC = 'azurerm_federated_identity_credential';

/** A synthesized OUT read back: summary, manifest, and each stack's JSON by stack name. */
interface Synthesized {
  readonly out: string;
  readonly summary: Json;
  readonly manifest: Json;
  readonly stacks: Map<string, Json>;
}

let work: string;
let single: Synthesized;
let split: Synthesized;
/** A second perCluster synthesis in another folder (determinism). */
let splitAgain: Synthesized;

/** Copies the example into `dir` (with `stackLayout` under `terraform:` when given) and synthesizes it into `dir/out`. */
function synthesizeExample(dir: string, layout?: StackLayout): Synthesized {
  fs.mkdirSync(dir, { recursive: true });
  let text = exampleText;
  if (layout) {
    text = exampleText.replace(/^terraform:\n/m, `terraform:\n  stackLayout: ${layout}\n`);
    expect(text).not.toBe(exampleText);
  }
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, text);
  copyExampleInputs(dir);
  const out = path.join(dir, 'out');
  synthesizeFleet(loadFleetFile(file), { outDir: out });
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'manifest.json'), 'utf8'));
  const stacks = new Map<string, Json>();
  for (const [name, entry] of Object.entries<Json>(manifest.stacks)) {
    const stackFile = path.join(out, 'terraform', entry.synthesizedStackPath);
    stacks.set(name, fs.existsSync(stackFile) ? JSON.parse(fs.readFileSync(stackFile, 'utf8')) : undefined);
  }
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  return { out, summary, manifest, stacks };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-stack-layout-'));
  single = synthesizeExample(path.join(work, 'single'));
  split = synthesizeExample(path.join(work, 'split'), 'perCluster');
  splitAgain = synthesizeExample(path.join(work, 'split-again'), 'perCluster');
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Reading Terraform JSON
// ---------------------------------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Calls `f` on every string below a value, with the key it is under. */
function eachString(value: Json, f: (text: string, key: string) => void, key = ''): void {
  if (typeof value === 'string') f(value, key);
  else if (Array.isArray(value)) value.forEach((item) => eachString(item, f, key));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) eachString(v, f, k);
}

/** A copy of a value with every string passed through `f` and cdktf's `//` metadata dropped. */
function mapStrings(value: Json, f: (text: string) => string): Json {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, f));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== '//')
      .map(([k, v]) => [k, mapStrings(v, f)]),
  );
}

/** `type.id` → body of every resource of a stack. */
function resourcesOf(stack: Json): Map<string, Json> {
  return new Map(
    Object.entries<Json>(stack.resource ?? {}).flatMap(([type, byId]) => Object.entries<Json>(byId).map(([id, body]): [string, Json] => [`${type}.${id}`, body])),
  );
}

/** `data.type.id` → body of every data source of a stack. */
function dataOf(stack: Json): Map<string, Json> {
  return new Map(
    Object.entries<Json>(stack.data ?? {}).flatMap(([type, byId]) => Object.entries<Json>(byId).map(([id, body]): [string, Json] => [`data.${type}.${id}`, body])),
  );
}

function subscriptionOf(stack: Json): string {
  const providers = stack.provider?.azurerm;
  expect(providers).toHaveLength(1);
  return providers[0].subscription_id;
}

/** Where an Azure resource type lives under its resource group: the parts of its predictable ARM ID. */
const PROVIDER_PATHS: Record<string, string> = {
  azurerm_user_assigned_identity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  azurerm_key_vault: 'Microsoft.KeyVault/vaults',
  azurerm_storage_account: 'Microsoft.Storage/storageAccounts',
  azurerm_kubernetes_cluster: 'Microsoft.ContainerService/managedClusters',
};
/** Types whose `${….id}` a split can turn into a literal ARM ID: resource groups, identities and key vaults. */
const LITERAL_ID_TYPES = new Set(['azurerm_resource_group', 'azurerm_user_assigned_identity', 'azurerm_key_vault']);

function armId(subscription: string, type: string, name: string, resourceGroup: string | undefined): string | undefined {
  if (type === 'azurerm_resource_group') return `/subscriptions/${subscription}/resourceGroups/${name}`;
  const provider = PROVIDER_PATHS[type];
  return provider && resourceGroup !== undefined ? `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${provider}/${name}` : undefined;
}

/** `${type.id.name}` or `${type.id.id}` as a whole interpolation (an escaped `$${` is none). */
const NAME_OR_ID_REFERENCE = /(?<!\$)\$\{([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.(name|id)\}/g;

/**
 * Resolves, in every string of a value, what a split changes: `${type.id.name}` becomes the name the
 * referenced resource of this stack is given, `${type.id.id}` of a resource group, identity or key vault
 * its ARM ID (from its name, its resource group and the provider's subscription). Metadata is dropped.
 */
function normalizer(stack: Json): (value: Json) => Json {
  const subscription = subscriptionOf(stack);
  const resources = resourcesOf(stack);
  const resolve = (text: string, depth = 0): string =>
    text.replace(NAME_OR_ID_REFERENCE, (whole, type: string, id: string, attribute: string) => {
      const body = resources.get(`${type}.${id}`);
      if (!isRecord(body) || typeof body.name !== 'string' || depth > 8) return whole;
      const name = resolve(body.name, depth + 1);
      if (attribute === 'name') return name;
      if (!LITERAL_ID_TYPES.has(type)) return whole;
      const group = typeof body.resource_group_name === 'string' ? resolve(body.resource_group_name, depth + 1) : undefined;
      return armId(subscription, type, name, group) ?? whole;
    });
  return (value) => mapStrings(value, (text) => resolve(text));
}

/** The bodies of the `${…}` of a string (quoted strings inside may hold braces). */
const INTERPOLATION = /(?<!\$)\$\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\}/g;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
/** A resource (`type.id`) or data source (`data.type.id`) address at the root of a traversal; resource types hold `_`. */
const ADDRESS = /(?<![\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** Every resource or data source address a stack's JSON reads, in `${…}` or `depends_on`. */
function referencesOf(stack: Json): Set<string> {
  const found = new Set<string>();
  const walk = (value: Json, key: string): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(INTERPOLATION)) {
        for (const a of m[1].replace(QUOTED, '""').matchAll(ADDRESS)) found.add(`${a[1] ?? ''}${a[2]}.${a[3]}`);
      }
      if (key === 'depends_on') {
        const bare = /^(?:\$\{)?((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)\}?$/.exec(value.trim());
        if (bare) found.add(bare[1]);
      }
    } else if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (k !== '//') walk(v, k);
  };
  walk(stack, '');
  return found;
}

/** Every stack a stack reaches through `dependencies` (itself excluded). */
function reachable(graph: ReadonlyMap<string, readonly string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(from) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

const dependencyGraph = (s: Synthesized): Map<string, string[]> =>
  new Map(Object.entries<Json>(s.manifest.stacks).map(([name, entry]) => [name, [...entry.dependencies] as string[]]));

/** Stacks holding FICs, by the lower-cased ARM ID of the identity they are written on (parent_id, resolved). */
function ficWritersByIdentity(s: Synthesized): Map<string, Set<string>> {
  const writers = new Map<string, Set<string>>();
  for (const [name, stack] of s.stacks) {
    const normalize = normalizer(stack);
    for (const [address, body] of resourcesOf(stack)) {
      if (!address.startsWith(`${FIC}.`)) continue;
      const parent = String(normalize(body).parent_id);
      expect({ address, parent }).toEqual({ address, parent: expect.stringMatching(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/) });
      const key = parent.toLowerCase();
      writers.set(key, (writers.get(key) ?? new Set()).add(name));
    }
  }
  return writers;
}

/** Lower-cased ARM ID → the stack creating it (resource groups, identities, key vaults, storage accounts, AKS clusters). */
function createdArmIds(s: Synthesized): Map<string, string> {
  const created = new Map<string, string>();
  for (const [name, stack] of s.stacks) {
    const normalize = normalizer(stack);
    const subscription = subscriptionOf(stack);
    for (const [address, body] of resourcesOf(stack)) {
      const type = address.slice(0, address.indexOf('.'));
      const resolved = normalize(body);
      if (typeof resolved.name !== 'string') continue;
      const id = armId(subscription, type, resolved.name, resolved.resource_group_name);
      if (id === undefined) continue;
      expect({ id, creators: [created.get(id.toLowerCase()), name].filter(Boolean) }).toEqual({ id, creators: [name] });
      created.set(id.toLowerCase(), name);
    }
  }
  return created;
}

/**
 * What each stack uses of other stacks by literal: every string equal to (or below) the ARM ID of a
 * resource another stack creates (FIC parent_id, role scopes, ...), and every `resource_group_name`
 * naming a resource group another stack creates. Stack → the stacks it needs, with why.
 */
function literalNeeds(s: Synthesized): Map<string, Map<string, string[]>> {
  const created = createdArmIds(s);
  const needs = new Map<string, Map<string, string[]>>();
  for (const [name, stack] of s.stacks) {
    const subscription = subscriptionOf(stack);
    const mine = new Map<string, string[]>();
    const need = (creator: string, why: string): void => {
      if (creator !== name) mine.set(creator, [...(mine.get(creator) ?? []), why]);
    };
    eachString(stack, (text, key) => {
      const lower = text.toLowerCase();
      for (const [id, creator] of created) if (lower === id || lower.startsWith(`${id}/`)) need(creator, `${key}: ${text}`);
      if (key === 'resource_group_name' && !text.includes('${')) {
        const creator = created.get(armId(subscription, 'azurerm_resource_group', text, undefined)!.toLowerCase());
        if (creator) need(creator, `resource_group_name: ${text}`);
      }
    });
    needs.set(name, mine);
  }
  return needs;
}

// ---------------------------------------------------------------------------------------------
// 1. Stacks written
// ---------------------------------------------------------------------------------------------

describe('which stacks are written', () => {
  test('as is (single), the example is one stack named after the fleet, in manifest and summary alike', () => {
    expect(Object.keys(single.manifest.stacks)).toEqual([FLEET]);
    expect(fs.readdirSync(path.join(single.out, 'terraform', 'stacks'))).toEqual([FLEET]);
    expect(single.stacks.get(FLEET)).toBeDefined();
    expect(single.summary.stacks).toEqual([FLEET]);
  });

  test('perCluster writes the shared stack plus `<fleet>-<cluster>` for each of the 7 clusters, each with its cdk.tf.json', () => {
    expect(CLUSTERS).toHaveLength(7);
    expect(Object.keys(split.manifest.stacks).sort()).toEqual([...SPLIT_STACKS].sort());
    expect(fs.readdirSync(path.join(split.out, 'terraform', 'stacks')).sort()).toEqual([...SPLIT_STACKS].sort());
    for (const name of SPLIT_STACKS) {
      expect({ name, path: split.manifest.stacks[name].synthesizedStackPath }).toEqual({ name, path: `stacks/${name}/cdk.tf.json` });
      expect({ name, parsed: isRecord(split.stacks.get(name)) }).toEqual({ name, parsed: true });
    }
  });

  test('summary.json names the perCluster stacks: the shared one first, then the clusters in fleet order', () => {
    expect(split.summary.stacks).toEqual(SPLIT_STACKS);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The split loses nothing and doubles nothing
// ---------------------------------------------------------------------------------------------

describe('the perCluster stacks together declare exactly what the single stack declares', () => {
  let singleStack: Json;
  beforeAll(() => {
    singleStack = single.stacks.get(FLEET);
  });

  test('the normalizer resolves references of both kinds (a self-check on the example)', () => {
    const normalize = normalizer(singleStack);
    const fic = resourcesOf(singleStack).get(`${FIC}.fic_id-orders_aks-prod_orders_orders-api`);
    expect(fic.parent_id).toMatch(/^\$\{azurerm_user_assigned_identity\.[^.]+\.id\}$/);
    const sub = subscriptionOf(singleStack);
    expect(normalize(fic)).toMatchObject({
      parent_id: `/subscriptions/${sub}/resourceGroups/rg-contoso-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders`,
      resource_group_name: 'rg-contoso-identities',
    });
    expect(normalize(fic)['//']).toBeUndefined();
  });

  test('every resource is in exactly one stack, and the union of the resources is the single stack\'s', () => {
    const placed = new Map<string, string[]>();
    for (const [name, stack] of split.stacks) for (const address of resourcesOf(stack).keys()) placed.set(address, [...(placed.get(address) ?? []), name]);
    const doubled = [...placed].filter(([, stacks]) => stacks.length > 1);
    expect(doubled).toEqual([]);
    expect([...placed.keys()].sort()).toEqual([...resourcesOf(singleStack).keys()].sort());
  });

  test('each resource\'s body is the same in both layouts, once references the split changes are resolved', () => {
    const normalizeSingle = normalizer(singleStack);
    const expected = resourcesOf(singleStack);
    let compared = 0;
    for (const [name, stack] of split.stacks) {
      const normalize = normalizer(stack);
      for (const [address, body] of resourcesOf(stack)) {
        expect({ stack: name, address, body: normalize(body) }).toEqual({ stack: name, address, body: normalizeSingle(expected.get(address)) });
        compared++;
      }
    }
    expect(compared).toBe(expected.size);
  });

  test('the outputs are the single stack\'s, each in one stack, with the same values', () => {
    const singleOutputs = Object.entries<Json>(singleStack.output ?? {});
    const normalizeSingle = normalizer(singleStack);
    const union = new Map<string, { stack: string; body: Json }[]>();
    for (const [name, stack] of split.stacks) {
      const normalize = normalizer(stack);
      for (const [output, body] of Object.entries<Json>(stack.output ?? {})) union.set(output, [...(union.get(output) ?? []), { stack: name, body: normalize(body) }]);
    }
    expect([...union].filter(([, where]) => where.length > 1).map(([output, where]) => [output, where.map((w) => w.stack)])).toEqual([]);
    expect([...union.keys()].sort()).toEqual(singleOutputs.map(([o]) => o).sort());
    for (const [output, body] of singleOutputs) {
      expect({ output, body: union.get(output)?.[0].body }).toEqual({ output, body: normalizeSingle(body) });
    }
  });

  test('data sources: the single stack\'s, each only in the stacks that refer to it', () => {
    const singleData = dataOf(singleStack);
    const normalizeSingle = normalizer(singleStack);
    const union = new Set<string>();
    for (const [name, stack] of split.stacks) {
      const refs = referencesOf(stack);
      for (const [address, body] of dataOf(stack)) {
        union.add(address);
        expect({ stack: name, address, referred: refs.has(address) }).toEqual({ stack: name, address, referred: true });
        expect({ stack: name, address, body: normalizer(stack)(body) }).toEqual({ stack: name, address, body: normalizeSingle(singleData.get(address)) });
      }
    }
    expect([...union].sort()).toEqual([...singleData.keys()].sort());
    // the example's one data source, the deployer's object id, is read by its Key Vault Secrets Officer roles
    expect([...union]).toEqual(['data.azurerm_client_config.current']);
  });

  test('every stack configures the provider as the single stack does', () => {
    for (const [name, stack] of split.stacks) {
      expect({ stack: name, provider: stack.provider }).toEqual({ stack: name, provider: singleStack.provider });
      expect({ stack: name, providers: stack.terraform?.required_providers }).toEqual({ stack: name, providers: singleStack.terraform?.required_providers });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 3. No stack reads another's state
// ---------------------------------------------------------------------------------------------

describe('a split stack refers only to its own blocks; other stacks\' resources by literal ARM ID', () => {
  test('every `${type.id…}` and `${data.type.id…}` of a stack names a block of that same stack (own walk)', () => {
    let references = 0;
    for (const [name, stack] of split.stacks) {
      const declared = new Set([...resourcesOf(stack).keys(), ...dataOf(stack).keys()]);
      const refs = [...referencesOf(stack)];
      references += refs.length;
      expect({ stack: name, dangling: refs.filter((r) => !declared.has(r)) }).toEqual({ stack: name, dangling: [] });
    }
    expect(references).toBeGreaterThan(0);
  });

  test('the own walk does find a reference to a block of another stack (it is not vacuous)', () => {
    const aksProd = split.stacks.get(clusterStack('aks-prod'));
    const foreign = { ...aksProd, output: { probe: { value: '${trimsuffix(azurerm_user_assigned_identity.identity_id-orders.client_id, "}")}' } } };
    const declared = new Set([...resourcesOf(foreign).keys(), ...dataOf(foreign).keys()]);
    expect([...referencesOf(foreign)].filter((r) => !declared.has(r))).toEqual(['azurerm_user_assigned_identity.identity_id-orders']);
  });

  test('wisynth check\'s terraform-reference rule finds nothing, and check reports no error at all', () => {
    expect(checkOut(split.out, {}, [terraformReferencesRule]).findings).toEqual([]);
    const report = checkOut(split.out);
    expect(report.findings.filter((f) => f.rule === 'terraform-reference')).toEqual([]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ ok: true, errors: 0 });
  });

  test('no terraform_remote_state data source and no cdktf cross-stack output anywhere', () => {
    for (const [name, stack] of split.stacks) {
      expect({ stack: name, remoteState: Object.keys(stack.data ?? {}).filter((t) => t === 'terraform_remote_state') }).toEqual({ stack: name, remoteState: [] });
      expect({ stack: name, crossStack: Object.keys(stack.output ?? {}).filter((o) => o.startsWith('cross-stack-output-')) }).toEqual({ stack: name, crossStack: [] });
      const mentions: string[] = [];
      eachString(stack, (text) => {
        if (text.includes('terraform_remote_state') || text.includes('cross-stack-output')) mentions.push(text);
      });
      expect({ stack: name, mentions }).toEqual({ stack: name, mentions: [] });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Apply order
// ---------------------------------------------------------------------------------------------

describe('the manifest\'s dependencies give a safe and parallel apply order', () => {
  let graph: Map<string, string[]>;
  let reaches: (from: string, to: string) => boolean;
  beforeAll(() => {
    graph = dependencyGraph(split);
    const closure = new Map([...graph.keys()].map((s) => [s, reachable(graph, s)]));
    reaches = (from, to) => closure.get(from)!.has(to);
  });

  test('the shared stack depends on nothing; every cluster stack depends on it; every dependency is a stack', () => {
    expect(graph.get(FLEET)).toEqual([]);
    for (const cluster of CLUSTERS) expect({ stack: clusterStack(cluster), dependsOnShared: graph.get(clusterStack(cluster))?.includes(FLEET) }).toEqual({ stack: clusterStack(cluster), dependsOnShared: true });
    for (const [name, dependencies] of graph) expect({ stack: name, unknown: dependencies.filter((d) => !graph.has(d)) }).toEqual({ stack: name, unknown: [] });
  });

  test('the dependency graph is acyclic', () => {
    for (const name of graph.keys()) expect({ stack: name, onACycle: reaches(name, name) }).toEqual({ stack: name, onACycle: false });
  });

  test('FICs live only in cluster stacks', () => {
    expect([...resourcesOf(split.stacks.get(FLEET)).keys()].filter((a) => a.startsWith(`${FIC}.`))).toEqual([]);
  });

  test('the stacks writing FICs on one identity are totally ordered, in fleet order, so no two write at once', () => {
    const fleetOrder = (stack: string) => SPLIT_STACKS.indexOf(stack);
    const writers = ficWritersByIdentity(split);
    expect(writers.size).toBeGreaterThan(0);
    for (const [identity, stacks] of writers) {
      const ordered = [...stacks].sort((a, b) => fleetOrder(a) - fleetOrder(b));
      for (let j = 1; j < ordered.length; j++) {
        for (let i = 0; i < j; i++) {
          expect({ identity, later: ordered[j], earlier: ordered[i], waits: reaches(ordered[j], ordered[i]) }).toEqual({ identity, later: ordered[j], earlier: ordered[i], waits: true });
        }
      }
    }
  });

  test('in the example, id-orders gets FICs from aks-prod, then aks-legacy, then kind-dev, then eks-orders', () => {
    const writers = ficWritersByIdentity(split);
    const orders = [...writers].filter(([id]) => id.endsWith('/userassignedidentities/id-orders'));
    expect(orders).toHaveLength(1);
    expect([...orders[0][1]].sort()).toEqual(['aks-prod', 'aks-legacy', 'kind-dev', 'eks-orders'].map(clusterStack).sort());
    expect(reaches(clusterStack('aks-legacy'), clusterStack('aks-prod'))).toBe(true);
    expect(reaches(clusterStack('kind-dev'), clusterStack('aks-legacy'))).toBe(true);
    expect(reaches(clusterStack('eks-orders'), clusterStack('kind-dev'))).toBe(true);
    expect(reaches(clusterStack('aks-prod'), clusterStack('aks-legacy'))).toBe(false);
  });

  test('every literal ARM ID or resource group name of a resource another stack creates comes from a stack applied before', () => {
    const needs = literalNeeds(split);
    let crossStack = 0;
    for (const [name, mine] of needs) {
      for (const [creator, why] of mine) {
        crossStack++;
        expect({ stack: name, creator, why: why[0], appliedBefore: reaches(name, creator) }).toEqual({ stack: name, creator, why: why[0], appliedBefore: true });
      }
    }
    // the check is not vacuous: FICs on shared identities, OpenShift's resources in its shared resource groups
    expect(crossStack).toBeGreaterThan(0);
    expect(needs.get(clusterStack('aks-prod'))?.has(FLEET)).toBe(true);
    expect(needs.get(clusterStack('ocp-prod'))?.has(FLEET)).toBe(true);
  });

  test('a cluster stack depends on no stack it needs nothing from: stacks that share no identity apply in parallel', () => {
    const writers = [...ficWritersByIdentity(split).values()];
    const needs = literalNeeds(split);
    const coWriters = (stack: string): Set<string> => new Set(writers.filter((w) => w.has(stack)).flatMap((w) => [...w]));
    for (const cluster of CLUSTERS) {
      const name = clusterStack(cluster);
      const allowed = new Set([FLEET, ...coWriters(name), ...needs.get(name)!.keys()]);
      expect({ stack: name, unneeded: graph.get(name)!.filter((d) => !allowed.has(d)) }).toEqual({ stack: name, unneeded: [] });
    }
    for (const cluster of ['aks-prod', 'gs-prod', 'capz-mgmt', 'ocp-prod']) {
      expect({ stack: clusterStack(cluster), dependsOn: graph.get(clusterStack(cluster)) }).toEqual({ stack: clusterStack(cluster), dependsOn: [FLEET] });
    }
    // in the example no chain of shared identities links stacks that share none: they are not ordered at all
    for (const a of CLUSTERS.map(clusterStack)) {
      for (const b of CLUSTERS.map(clusterStack)) {
        if (a === b || coWriters(a).has(b)) continue;
        expect({ a, b, ordered: reaches(a, b) }).toEqual({ a, b, ordered: false });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 5. State
// ---------------------------------------------------------------------------------------------

test('each stack keeps its own state: a local backend path ending in `<stack>.tfstate`, all different', () => {
  const statePaths = new Map<string, string>();
  for (const [name, stack] of split.stacks) {
    const backend = stack.terraform?.backend;
    expect({ stack: name, backends: Object.keys(backend ?? {}) }).toEqual({ stack: name, backends: ['local'] });
    const statePath: string = backend.local.path;
    expect({ stack: name, file: path.posix.basename(statePath) }).toEqual({ stack: name, file: `${name}.tfstate` });
    statePaths.set(name, path.resolve(split.out, 'terraform', 'stacks', name, statePath));
  }
  expect(new Set(statePaths.values()).size).toBe(split.stacks.size);
  // all in the fleet's state folder, outside OUT
  for (const [name, file] of statePaths) expect({ stack: name, file }).toEqual({ stack: name, file: path.join(work, 'split', 'terraform-state', `${name}.tfstate`) });
});

// ---------------------------------------------------------------------------------------------
// 6. Default layout by fleet size
// ---------------------------------------------------------------------------------------------

describe('the layout is chosen by the fleet\'s size unless the fleet says', () => {
  const azure = { tenantId: '11111111-2222-4333-8444-555555555555', subscriptionId: '66666666-7777-4888-9999-000000000000', location: 'westeurope' };

  /** A fleet of `clusters` existing AKS clusters; each has its own identity and shares one with up to 9 others (under 20 FICs each). */
  function fleetOf(clusters: number, stackLayout?: StackLayout): Fleet {
    const fleet = new Fleet({ name: 'big', azure, baseDir: '/fleet', terraform: stackLayout ? { stackLayout } : undefined });
    const group = new ResourceGroup(fleet, 'rg-big');
    const shared: ManagedIdentity[] = [];
    for (let i = 0; i < clusters; i++) {
      const cluster = AksCluster.fromIssuerUrl(fleet, `aks-${i}`, { issuerUrl: `https://oidc.example.com/aks-${i}/` });
      const own = new ManagedIdentity(fleet, `id-aks-${i}`, { resourceGroup: group });
      const team = Math.floor(i / 10);
      shared[team] ??= new ManagedIdentity(fleet, `id-team-${team}`, { resourceGroup: group });
      cluster.addWorkload({ namespace: 'app', serviceAccount: 'api', identity: own });
      cluster.addWorkload({ namespace: 'team', serviceAccount: 'worker', identity: shared[team] });
    }
    return fleet;
  }

  test(`up to ${PER_CLUSTER_STACKS_ABOVE} clusters: one stack`, () => {
    expect(PER_CLUSTER_STACKS_ABOVE).toBe(20);
    const plan = planFleet(fleetOf(PER_CLUSTER_STACKS_ABOVE));
    expect(plan.stacks.layout).toBe('single');
    expect(plan.stacks.stacks.map((s) => s.name)).toEqual(['big']);
  });

  test(`above ${PER_CLUSTER_STACKS_ABOVE} clusters: a shared stack plus one per cluster`, () => {
    const plan = planFleet(fleetOf(PER_CLUSTER_STACKS_ABOVE + 1));
    expect(plan.stacks.layout).toBe('perCluster');
    expect(plan.stacks.stacks.map((s) => s.name)).toEqual(['big', ...Array.from({ length: PER_CLUSTER_STACKS_ABOVE + 1 }, (_, i) => `big-aks-${i}`)]);
  });

  test(`an explicit stackLayout wins: single on ${PER_CLUSTER_STACKS_ABOVE + 1} clusters stays single, perCluster on ${PER_CLUSTER_STACKS_ABOVE} splits`, () => {
    const big = planFleet(fleetOf(PER_CLUSTER_STACKS_ABOVE + 1, 'single'));
    expect(big.stacks.layout).toBe('single');
    expect(big.stacks.stacks.map((s) => s.name)).toEqual(['big']);
    const small = planFleet(fleetOf(PER_CLUSTER_STACKS_ABOVE, 'perCluster'));
    expect(small.stacks.layout).toBe('perCluster');
    expect(small.stacks.stacks).toHaveLength(PER_CLUSTER_STACKS_ABOVE + 1);
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Determinism
// ---------------------------------------------------------------------------------------------

test('perCluster synthesized twice, in two folders, gives byte-identical terraform trees', () => {
  const a = readTree(path.join(split.out, 'terraform'));
  const b = readTree(path.join(splitAgain.out, 'terraform'));
  expect(a.size).toBeGreaterThan(SPLIT_STACKS.length);
  expect([...b.keys()]).toEqual([...a.keys()]);
  for (const [file, bytes] of a) {
    expect({ file, text: b.get(file)?.toString('utf8') }).toEqual({ file, text: bytes.toString('utf8') });
  }
});
