/**
 * parseYamlValues takes js-yaml's faster parse for plain YAML and the bounded parse for the rest:
 * both must give the same values, so a file means one thing whichever parse read it.
 */
import fc from 'fast-check';
import * as jsYaml from 'js-yaml';
import { stringify } from 'yaml';
import { parseInputYaml, parseYamlValues } from '../src/inputs/yaml';

const SEED = 20261201;
const RUNS = 1500;

/** Plain scalars whose type a YAML 1.1 reader, a YAML 1.2 reader and a careless one would disagree on. */
const TRICKY = ['0o17', '0x1F', '010', '1_000', '+1', '-.5', '1e3', '.inf', '-.Inf', '.NaN', 'True', 'TRUE', 'yes', 'No', 'on', '~', 'null', 'Null', '2024-01-01', '12:30:00', '0b101', '1.0', '-0', "'quoted'", 'a: b', '- x', '#c', '', ' ', 'é', '\u200b'];

const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 10 }), fc.constantFrom(...TRICKY));
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...TRICKY)), tie('v'), { maxKeys: 4 })),
})).v;

/** Texts as people and tools write them: js-yaml's and the yaml package's dumps, and unquoted tricky scalars. */
const text = fc.oneof(
  value.map((v) => jsYaml.dump(v, { noRefs: true, lineWidth: -1 })),
  value.map((v) => stringify(v, { aliasDuplicateObjects: false })),
  fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom(...TRICKY)), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}: ${v}`).join('\n')),
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 5 }).map((items) => items.map((v) => `- ${v}`).join('\n')),
  fc.uniqueArray(fc.constantFrom(...TRICKY), { maxLength: 4 }).map((keys) => keys.map((k, i) => `${k}: ${i}`).join('\n')),
);

/** -0 and 0 are one number to every reader of these values (JSON has no -0). */
const noNegativeZero = (v: unknown): unknown =>
  Object.is(v, -0) ? 0 : Array.isArray(v) ? v.map(noNegativeZero) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, noNegativeZero(x)])) : v;

let compared = 0;
afterAll(() => process.stdout.write(`yaml-input: ${compared} generated texts compared (seed ${SEED})\n`));

test('the fast and the bounded parse give the same values, or the same problem', () => {
  fc.assert(
    fc.property(text, (t) => {
      compared++;
      const fast = parseYamlValues(t);
      const bounded = parseInputYaml(t);
      if (bounded.ok) {
        expect(fast.ok).toBe(true);
        expect(noNegativeZero(fast.ok && fast.values)).toEqual(noNegativeZero(bounded.values));
      } else {
        expect(fast).toEqual({ ok: false, problem: bounded.problem });
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test.each([
  ['an anchor and its alias', 'a: &x [1]\nb: *x\n'],
  ['a merge key', 'a: &x {k: 1}\nb:\n  <<: *x\n  l: 2\n'],
  ['an inline merge key', 'b:\n  <<: {k: 1}\n'],
  ['a tag', 'a: !!str 1\n'],
])('%s takes the bounded parse and means the same', (_, t) => {
  const fast = parseYamlValues(t);
  const bounded = parseInputYaml(t);
  expect(bounded.ok).toBe(true);
  expect(fast.ok && fast.values).toEqual(bounded.ok && bounded.values);
});

test.each([
  ['a flow mapping of 300 keys on one line', `{${Array.from({ length: 300 }, (_, i) => `k${i}: ${i}`).join(', ')}}`, true],
  ['a flow list of 300 mappings on one line', `[${Array.from({ length: 300 }, (_, i) => `{name: n${i}, group: g}`).join(', ')}]`, true],
  ['300 open brackets', `a: ${'['.repeat(300)}${']'.repeat(300)}`, false],
  ['300 compact sequence indicators', `a:\n${'- '.repeat(300)}x`, false],
  ['300 levels of indentation', Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), false],
])('nesting is counted by level, not by indicators on a line: %s', (_, t, accepted) => {
  expect(parseInputYaml(t).ok).toBe(accepted);
  expect(parseYamlValues(t).ok).toBe(accepted);
});
