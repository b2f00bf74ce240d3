/**
 * Whatever text a fleet file holds, loading and planning it either gives a plan or a FleetError
 * whose every issue says what is wrong and how to fix it: never a TypeError, never a stack trace.
 * The generators are in fuzz-arbitraries.ts; file inputs are fuzzed in fuzz-inputs.test.ts, the CLI
 * process in fuzz-cli.test.ts.
 */
import fc from 'fast-check';
import { formatIssue } from '../src/cli/report';
import { FleetError, parseFleet, planFleet } from '../src/index';
import type { FleetPlan } from '../src/index';
import { loadPlanInputs } from '../src/output/plan-inputs';
import { parse as parseYaml } from 'yaml';
import {
  aliasEdit,
  canonical,
  dump,
  EXAMPLE,
  EXAMPLES_DIR,
  insertAliases,
  mutateDocument,
  mutateText,
  platformVariants,
  SEED,
  structuralEdit,
  textEdit,
  validFleet,
  writeInFull,
  writeWithAnchors,
  yamlishText,
} from './fuzz-arbitraries';

const BASE_DIR = EXAMPLES_DIR;

const outcomes: Record<string, { planned: number; refused: number }> = {};
/** Slowest single input, so that a bound on the time of one input shows in the output. */
let slowest = { ms: 0, family: '' };

/** The property: a plan, or a FleetError of well-formed issues that the CLI can print. Returns which. */
function loadAndPlan(family: string, text: string): FleetPlan | FleetError {
  const tally = (outcomes[family] ??= { planned: 0, refused: 0 });
  const started = Date.now();
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
    return e;
  } finally {
    const ms = Date.now() - started;
    if (ms > slowest.ms) slowest = { ms, family };
  }
  expect(typeof plan.name).toBe('string');
  expect(Array.isArray(plan.clusters)).toBe(true);
  tally.planned++;
  return plan;
}

/** What a fleet text comes to, comparable across texts: the plan, or the issues without their order. */
function result(r: FleetPlan | FleetError): string {
  if (r instanceof FleetError) return `refused ${canonical(r.issues.map((i) => canonical(i)).sort())}`;
  return `planned ${canonical(r)}`;
}

// ---------------------------------------------------------------------------------------------

/** Bounds a failing run's shrinking, which for the larger families replans hundreds of fleets per step; a run cut short fails. */
const LIMITS = { interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true };

const RUNS = { yamlish: 1500, validFleet: 1200, documentMutation: 1200, textMutation: 1500, anchoredFleet: 300, aliasText: 500 };

/** Platform variants of the generated fleets: clusters drawn, and clusters in fleets that planned. */
const platforms: Record<string, { clusters: number; planned: number }> = {};
const aliasTally = { aliases: 0, merges: 0, mergeLists: 0, nestedAliases: 0, preservingTexts: 0, ops: {} as Record<string, number> };

describe('parseFleet + planFleet never fail other than with a FleetError', () => {
  const started = Date.now();
  afterAll(() => {
    const total = Object.values(outcomes).reduce((n, o) => n + o.planned + o.refused, 0);
    process.stdout.write(
      `fuzz: ${total} inputs in ${Date.now() - started} ms (seed ${SEED}, slowest ${slowest.ms} ms in ${slowest.family}): ${JSON.stringify(outcomes)}\n` +
        `fuzz: validFleet platform variants (clusters drawn / in fleets that planned): ${JSON.stringify(platforms)}\n` +
        `fuzz: anchors written: ${JSON.stringify(aliasTally)}\n`,
    );
  });

  it('the example plans, so the mutations start from a good fleet', () => {
    loadAndPlan('example', EXAMPLE);
    expect(outcomes.example).toEqual({ planned: 1, refused: 0 });
  });

  it('arbitrary YAML-ish text', () => {
    fc.assert(fc.property(yamlishText, (text) => void loadAndPlan('yamlish', text)), { seed: SEED, numRuns: RUNS.yamlish });
  });

  it('structurally valid fleets of every platform with random names, numbers and references', () => {
    fc.assert(
      fc.property(validFleet, (doc) => {
        const planned = !(loadAndPlan('validFleet', dump(doc)) instanceof FleetError);
        for (const variant of platformVariants(doc)) {
          const t = (platforms[variant] ??= { clusters: 0, planned: 0 });
          t.clusters++;
          if (planned) t.planned++;
        }
      }),
      { seed: SEED, numRuns: RUNS.validFleet, ...LIMITS },
    );
    // The generator must reach the planner both ways, or it tests only the schema ...
    expect(outcomes.validFleet.planned).toBeGreaterThan(RUNS.validFleet / 10);
    expect(outcomes.validFleet.refused).toBeGreaterThan(RUNS.validFleet / 2);
    // ... and plan every platform, not only the one that is easiest to get right.
    for (const variant of ['aks-new', 'aks-existing', 'aks-existing:read', 'external-issuer', 'self-managed:kind', 'self-managed:kubeadm', 'self-managed:giantswarm', 'issuer:blobContainer', 'issuer:staticWebsite', 'capz', 'capz+workloadClusters', 'openshift:externalSecrets', 'openshift:files']) {
      const { clusters = 0, planned = 0 } = platforms[variant] ?? {};
      if (planned < 5 || clusters - planned < 5) throw new Error(`platform variant ${variant}: ${planned} of ${clusters} clusters in fleets that planned: ${JSON.stringify(platforms)}`);
    }
  });

  it('a fleet written with anchors, aliases and merge keys plans as the same fleet written out in full', () => {
    const choices = fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 48 });
    fc.assert(
      fc.property(validFleet, choices, (doc, picks) => {
        const anchored = writeWithAnchors(doc, picks);
        // What the anchored text means to a YAML reader: the fleet, with the keys of merged mappings perhaps in
        // another order (which the full text then keeps, so that messages listing keys compare equal).
        const meant: unknown = parseYaml(anchored.text, { merge: true, maxAliasCount: -1 });
        if (canonical(meant) !== canonical(JSON.parse(JSON.stringify(doc)))) throw new Error(`test bug: writeWithAnchors changed the value\n${anchored.text}`);
        const inFull = writeInFull(meant);
        const full = loadAndPlan('anchoredFleet:full', inFull);
        const written = loadAndPlan('anchoredFleet', anchored.text);
        for (const k of ['aliases', 'merges', 'mergeLists', 'nestedAliases'] as const) aliasTally[k] += anchored.stats[k];
        if (result(written) !== result(full)) {
          throw new Error(`the fleet means something else with anchors\n--- with anchors ---\n${anchored.text}\n--- in full ---\n${inFull}\n--- results ---\n${result(written).slice(0, 3000)}\n${result(full).slice(0, 3000)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS.anchoredFleet, ...LIMITS },
    );
    expect(outcomes.anchoredFleet.planned).toBeGreaterThan(RUNS.anchoredFleet / 10);
    expect(aliasTally.merges).toBeGreaterThan(RUNS.anchoredFleet);
    expect(aliasTally.mergeLists).toBeGreaterThan(RUNS.anchoredFleet / 10);
    expect(aliasTally.nestedAliases).toBeGreaterThan(RUNS.anchoredFleet / 10);
  });

  it('the example text with anchors, aliases, merge keys, alias bombs, undefined and self-referring aliases written in', () => {
    const expected = result(loadAndPlan('example', EXAMPLE));
    fc.assert(
      fc.property(fc.array(aliasEdit, { minLength: 1, maxLength: 3 }), (edits) => {
        const { text, preserving, ops } = insertAliases(EXAMPLE, edits);
        for (const op of ops) aliasTally.ops[op] = (aliasTally.ops[op] ?? 0) + 1;
        const r = loadAndPlan('aliasText', text);
        if (preserving && ops.length > 0) {
          // `&a value` ... `*a` in place of the same value: the same fleet
          aliasTally.preservingTexts++;
          if (result(r) !== expected) throw new Error(`aliases of equal values changed the plan\n--- input ---\n${text}\n--- result ---\n${result(r).slice(0, 3000)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS.aliasText, ...LIMITS },
    );
    expect(outcomes.aliasText.planned).toBeGreaterThan(RUNS.aliasText / 10);
    expect(outcomes.aliasText.refused).toBeGreaterThan(RUNS.aliasText / 4);
    expect(aliasTally.preservingTexts).toBeGreaterThan(RUNS.aliasText / 20);
  });

  it('the example with keys deleted, retyped, duplicated or renamed', () => {
    fc.assert(fc.property(fc.array(structuralEdit, { minLength: 1, maxLength: 4 }), (edits) => void loadAndPlan('documentMutation', mutateDocument(edits))), {
      seed: SEED,
      numRuns: RUNS.documentMutation,
    });
  });

  it('the example text with random edits', () => {
    fc.assert(fc.property(fc.array(textEdit, { minLength: 1, maxLength: 3 }), (edits) => void loadAndPlan('textMutation', mutateText(edits))), {
      seed: SEED,
      numRuns: RUNS.textMutation,
    });
    expect(outcomes.textMutation.planned).toBeGreaterThan(0);
  });
});
