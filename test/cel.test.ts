/** The CEL subset that evaluates the `x-kubernetes-validations` rules of the vendored CRDs. */
import { CelError, parseCelRule } from '../src/check/cel';

function evaluate(rule: string, self: unknown): boolean {
  const check = parseCelRule(rule);
  if (!check) throw new Error(`not in the subset: ${rule}`);
  return check(self);
}

test.each([
  // rule, self, result: taken from the vendored CRDs
  ['(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))', { chart: {} }, true],
  ['(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))', {}, false],
  ['(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))', { chart: {}, chartRef: {} }, false],
  ['[has(self.roleId),has(self.roleRef)].filter(x,x==true).size() == 1', { roleRef: {} }, true],
  ['[has(self.roleId),has(self.roleRef)].filter(x,x==true).size() == 1', {}, false],
  ["!('esoNamespace' in self) && !('esoStoreName' in self)", { esoStoreName: 'a' }, false],
  ['has(self.value) != has(self.secretRef)', { value: 'v' }, true],
  ["has(self.type) && self.type == 'uuid' ?  has(self.uuid) : !has(self.uuid)", { type: 'Name', uuid: 'u' }, false],
  ['self == 0 || self == -1 || (self >= 2000 && self <= 2000000)', -1, true],
  ['self == 0 || self == -1 || (self >= 2000 && self <= 2000000)', 1999, false],
  ["self.exists_one(x, x.type == 'Applies')", [{ type: 'Applies' }, { type: 'Other' }], true],
  ["self.split('/', 2)[0].matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", 'example.com/claim', true],
  ["self.split('/', 2)[0].matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", 'Example.com/claim', false],
  ["self.find('@') == ''", 'https://user@host/', false],
  // an error on one side of || is absorbed when the other side is true, as in CEL
  ['self.missing == 1 || true', {}, true],
])('%s with %j is %s', (rule, self, expected) => {
  expect(evaluate(rule, self)).toBe(expected);
});

test('selecting an absent field is an evaluation error, as on the API server', () => {
  expect(() => evaluate("self.chart == 'x'", {})).toThrow(new CelError('no such key: chart'));
});

test.each([
  ['transition rules need the stored object', "oldSelf == '' || self == oldSelf"],
  ['optional fields', 'self.?claim.orValue("").size() > 0'],
  ['Kubernetes library functions beyond strings and regexes', "isURL(self) && url(self).getScheme() == 'https'"],
  ['durations', "duration(self) <= duration('15m')"],
])('leaves out %s', (_, rule) => {
  expect(parseCelRule(rule)).toBeUndefined();
});
