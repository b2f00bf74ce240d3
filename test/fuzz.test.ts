/**
 * Whatever text a fleet file holds, loading and planning it either gives a plan or a FleetError
 * whose every issue says what is wrong and how to fix it: never a TypeError, never a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { formatIssue } from '../src/cli/report';
import { FleetError, parseFleet, planFleet } from '../src/index';
import type { FleetPlan } from '../src/index';
import { loadPlanInputs } from '../src/output/plan-inputs';

/** Fixed so that CI runs the same inputs; fast-check prints seed and path of any failure to replay it. */
const SEED = 20240611;
const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', 'examples', 'fleet.yaml'), 'utf8');
const BASE_DIR = path.join(__dirname, '..', 'examples');

const outcomes: Record<string, { planned: number; refused: number }> = {};

/** The property: a plan, or a FleetError of well-formed issues that the CLI can print. */
function loadAndPlan(family: string, text: string): void {
  const tally = (outcomes[family] ??= { planned: 0, refused: 0 });
  let plan: FleetPlan;
  try {
    const fleet = parseFleet(text, BASE_DIR);
    plan = planFleet(fleet, loadPlanInputs(fleet));
  } catch (e) {
    if (!(e instanceof FleetError)) {
      throw new Error(`not a FleetError: ${(e as Error)?.stack ?? String(e)}\n--- input ---\n${text}`);
    }
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      if (typeof issue.message !== 'string' || !issue.message.trim() || typeof issue.fix !== 'string' || !issue.fix.trim()) {
        throw new Error(`issue without a message or a fix: ${JSON.stringify(issue)}\n--- input ---\n${text}`);
      }
      expect(formatIssue(issue, 'fleet.yaml', text)).toMatch(/^error: [^\n]+\n {2}fix: \S/);
    }
    tally.refused++;
    return;
  }
  expect(typeof plan.name).toBe('string');
  expect(Array.isArray(plan.clusters)).toBe(true);
  tally.planned++;
}

const dump = (value: unknown): string => yaml.dump(value, { skipInvalid: true, noRefs: true, lineWidth: -1 });

// ---------------------------------------------------------------------------------------------
// Arbitrary values: whatever YAML can say, at the top and anywhere below.

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'aks', 'kind', '~', 'yes', '0x1F', '2024-01-01', '.nan', '-.inf', 'x'.repeat(700)),
);
const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('azure', 'clusters', 'name', 'workloads', '__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const yamlishText = fc.oneof(
  anyValue.map(dump),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'azure:clusters- name\n  {}[]&*!|>#"\'%@`,?'.split('')), maxLength: 120 }),
  fc.dictionary(fc.constantFrom('name', 'azure', 'terraform', 'resourceGroups', 'identities', 'keyVaults', 'clusters', 'extra'), anyValue, { maxKeys: 8 }).map(dump),
);

// ---------------------------------------------------------------------------------------------
// Structurally valid fleets: every key where the schema wants it, with random names, numbers and references.

const nameUnit = fc.constantFrom(...'abcxyz019-_.A'.split(''), '--', ' ', '/', 'é', '$');
/** Mostly names every naming rule accepts, so that fleets reach the planner's later checks; sometimes anything. */
const name = fc.oneof(
  { weight: 60, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{2,6}(-[a-z0-9]{1,6}){0,2}$/) },
  { weight: 1, arbitrary: fc.string({ unit: nameUnit, minLength: 0, maxLength: 14 }) },
  { weight: 1, arbitrary: fc.string({ unit: nameUnit, minLength: 20, maxLength: 140 }) },
);
const guid = fc.oneof({ weight: 20, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
const issuerUrl = fc.oneof(
  { weight: 4, arbitrary: fc.webUrl({ validSchemes: ['https'] }) },
  fc.webUrl(),
  fc.constantFrom(
    'https://oidc.example.com/fleet/',
    'http://oidc.example.com/',
    'https://login.microsoftonline.com/tenant/v2.0',
    'https://sts.windows.net/tenant/',
    'not a url',
    '',
    `https://example.com/${'p'.repeat(600)}`,
  ),
);
/** Mostly one of the good values, sometimes one of the bad ones. */
const mostly = <T>(good: T[], bad: T[]) => fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
/** Mostly a valid whole number in [min, max], sometimes an edge or anything. */
const integerish = (min: number, max: number, edges: number[]) =>
  fc.oneof({ weight: 60, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: fc.integer() });

/** A reference: usually one of the declared names, sometimes one that is not declared. */
const refTo = (declared: string[]) => (declared.length > 0 ? fc.oneof({ weight: 150, arbitrary: fc.constantFrom(...declared) }, { weight: 1, arbitrary: name }) : name);

const validFleet = fc
  .record({
    groups: fc.array(fc.record({ name, existing: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['name'] }), { minLength: 1, maxLength: 3 }),
    identityNames: fc.array(name, { minLength: 1, maxLength: 4 }),
    vaultNames: fc.array(name, { minLength: 1, maxLength: 2 }),
  })
  .chain(({ groups, identityNames, vaultNames }) => {
    const groupRef = refTo(groups.map((g) => g.name));
    const identityRef = refTo(identityNames);
    const vaultRef = refTo(vaultNames);
    const workload = fc.record(
      {
        namespace: fc.oneof(fc.constantFrom('app', 'orders', 'kube-system'), name),
        serviceAccount: fc.oneof(fc.constantFrom('api', 'worker'), name, name),
        identity: identityRef,
        createNamespace: fc.boolean(),
        tokenExpirationSeconds: integerish(3600, 86400, [0, 100, 3599, 86401]),
        verify: fc.record({ keyVault: vaultRef, secretName: fc.constantFrom('hello', 'a-b-1') }),
      },
      { requiredKeys: ['namespace', 'serviceAccount', 'identity'] },
    );
    const aks = fc.oneof(
      { weight: 6, arbitrary: fc.record(
        {
          resourceGroup: groupRef,
          dnsPrefix: name,
          kubernetesVersion: fc.constantFrom('1.29', '1.30.2'),
          nodePool: fc.record({ vmSize: fc.constant('Standard_D2s_v5'), nodeCount: integerish(1, 1000, [0, -1, 1001]) }, { requiredKeys: [] }),
        },
        { requiredKeys: ['resourceGroup'] },
      ) },
      { weight: 3, arbitrary: fc.record({ existing: fc.record({ issuerUrl }) }) },
      { weight: 1, arbitrary: fc.record({ existing: fc.record({ issuerUrl }), resourceGroup: groupRef, nodePool: fc.constant({}) }, { requiredKeys: ['existing'] }) },
    );
    const cluster = fc.record({ name, platform: fc.constant('aks'), aks, workloads: fc.array(workload, { maxLength: 11 }) }, { requiredKeys: ['name', 'platform', 'aks'] });
    const roleScope = fc.oneof(
      mostly(['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/y'], ['/subscriptions/x/resourceGroups/y', 'storageAccounts/x']),
      fc.record({ keyVault: vaultRef }),
      fc.record({ resourceGroup: groupRef }),
    );
    return fc.record(
      {
        name,
        azure: fc.record(
          { tenantId: guid, subscriptionId: guid, location: fc.constantFrom('westeurope', 'eastus'), cloud: fc.constantFrom('public', 'usgovernment', 'china') },
          { requiredKeys: ['tenantId', 'subscriptionId', 'location'] },
        ),
        terraform: fc.oneof(
          fc.constant({ backend: { type: 'local', path: 'state' } }),
          fc.record({ backend: fc.record({ type: fc.constant('azurerm'), resourceGroupName: name, storageAccountName: mostly(['stateacct', 'stfleet01'], ['State', 'st']), containerName: mostly(['tfstate', 'state'], ['x', '']) }) }),
        ),
        resourceGroups: fc.constant(groups),
        identities: fc.tuple(
          ...identityNames.map((n) =>
            fc.record(
              {
                name: fc.constant(n),
                resourceGroup: groupRef,
                existing: fc.record({ clientId: guid }),
                roles: fc.array(fc.record({ role: mostly(['Reader', 'Storage Blob Data Reader', 'Contributor'], ['', ' ']), scope: roleScope }), { maxLength: 2 }),
              },
              { requiredKeys: ['name', 'resourceGroup'] },
            ),
          ),
        ),
        keyVaults: fc.tuple(
          ...vaultNames.map((n) =>
            fc.record(
              {
                name: fc.constant(n),
                resourceGroup: groupRef,
                existing: fc.boolean(),
                softDeleteRetentionDays: integerish(7, 90, [0, 6, 91]),
                readers: fc.array(identityRef, { maxLength: 2 }),
              },
              { requiredKeys: ['name', 'resourceGroup'] },
            ),
          ),
        ),
        clusters: fc.array(cluster, { maxLength: 3 }),
      },
      { requiredKeys: ['azure', 'resourceGroups', 'identities', 'keyVaults', 'clusters'] },
    );
  });

// ---------------------------------------------------------------------------------------------
// Mutations of the example: structural edits of its document, and random edits of its text.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const EXAMPLE_DOC = yaml.load(EXAMPLE) as Json;

/** Every place in a document that holds a value, as (container, key) pairs, in a stable order. */
function slots(doc: Json): Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> {
  const out: Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), walk(v)));
    else if (node && typeof node === 'object') for (const k of Object.keys(node)) out.push({ parent: node, key: k }), walk(node[k]);
  };
  walk(doc);
  return out;
}

const replacement = fc.oneof(scalar, fc.constant([]), fc.constant({}), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
const structuralEdit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'retype', 'duplicate', 'renameKey', 'swapWithOther'),
  value: replacement,
  other: fc.nat(),
});

function mutateDocument(edits: Array<{ at: number; op: string; value: unknown; other: number }>): string {
  const doc = structuredClone(EXAMPLE_DOC);
  for (const edit of edits) {
    const all = slots(doc);
    if (all.length === 0) break;
    const { parent, key } = all[edit.at % all.length];
    const current = (parent as Record<string | number, Json>)[key];
    if (edit.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (edit.op === 'retype') {
      (parent as Record<string | number, unknown>)[key] = edit.value;
    } else if (edit.op === 'duplicate') {
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(current));
      else if (Array.isArray(current)) current.push(structuredClone(current[0] ?? null));
      else parent[`${String(key)}s`] = structuredClone(current);
    } else if (edit.op === 'renameKey' && !Array.isArray(parent)) {
      delete parent[key as string];
      parent[`${String(key).slice(0, -1)}${String(key).slice(-1).toUpperCase()}`] = current;
    } else if (edit.op === 'swapWithOther') {
      const other = all[edit.other % all.length];
      (parent as Record<string | number, Json>)[key] = structuredClone((other.parent as Record<string | number, Json>)[other.key]);
    }
  }
  return dump(doc);
}

const textEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 6 }),
  insert: fc.string({ unit: fc.constantFrom(...' :-\n\t#[]{}&*!|>"\'aZ09_.,/'.split('')), maxLength: 6 }),
});

function mutateText(edits: Array<{ at: number; remove: number; insert: string }>): string {
  let text = EXAMPLE;
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------

const RUNS = { yamlish: 1500, validFleet: 1200, documentMutation: 1200, textMutation: 1500 };

describe('parseFleet + planFleet never fail other than with a FleetError', () => {
  const started = Date.now();
  afterAll(() => {
    const total = Object.values(outcomes).reduce((n, o) => n + o.planned + o.refused, 0);
    process.stdout.write(`fuzz: ${total} inputs in ${Date.now() - started} ms (seed ${SEED}): ${JSON.stringify(outcomes)}\n`);
  });

  it('the example plans, so the mutations start from a good fleet', () => {
    loadAndPlan('example', EXAMPLE);
    expect(outcomes.example).toEqual({ planned: 1, refused: 0 });
  });

  it('arbitrary YAML-ish text', () => {
    fc.assert(fc.property(yamlishText, (text) => loadAndPlan('yamlish', text)), { seed: SEED, numRuns: RUNS.yamlish });
  });

  it('structurally valid fleets with random names, numbers and references', () => {
    fc.assert(fc.property(validFleet, (doc) => loadAndPlan('validFleet', dump(doc))), { seed: SEED, numRuns: RUNS.validFleet });
    // The generator must reach the planner both ways, or it tests only the schema.
    expect(outcomes.validFleet.planned).toBeGreaterThan(RUNS.validFleet / 10);
    expect(outcomes.validFleet.refused).toBeGreaterThan(RUNS.validFleet / 2);
  });

  it('the example with keys deleted, retyped, duplicated or renamed', () => {
    fc.assert(fc.property(fc.array(structuralEdit, { minLength: 1, maxLength: 4 }), (edits) => loadAndPlan('documentMutation', mutateDocument(edits))), {
      seed: SEED,
      numRuns: RUNS.documentMutation,
    });
  });

  it('the example text with random edits', () => {
    fc.assert(fc.property(fc.array(textEdit, { minLength: 1, maxLength: 3 }), (edits) => loadAndPlan('textMutation', mutateText(edits))), {
      seed: SEED,
      numRuns: RUNS.textMutation,
    });
    expect(outcomes.textMutation.planned).toBeGreaterThan(0);
  });
});
