/**
 * The key paths findings name (`spec.template[0].name`) and the walk the rules find them with: every value
 * in key order, a mapping's entry before its value, an entry a visitor refuses not entered.
 */
import { formatKeyPath, KeyPath, walkKeyPaths } from '../src/core/key-path';
import { isRecord } from '../src/core/objects';

test('keys join with a dot, list indexes are bracketed, and no dot leads', () => {
  expect(formatKeyPath(['spec', 'containers', 0, 'env', 2, 'value'])).toBe('spec.containers[0].env[2].value');
  expect(formatKeyPath([0, 'name'])).toBe('[0].name');
  expect(formatKeyPath([])).toBe('');
  expect(formatKeyPath(['tags', 'a.b'], 'azurerm_resource_group.rg')).toBe('azurerm_resource_group.rg.tags.a.b');
  expect(formatKeyPath([1], 'output.x')).toBe('output.x[1]');
});

test('the walk visits entries and leaves in order, with their paths, and skips what an entry refuses', () => {
  const seen: string[] = [];
  const at = (path: KeyPath) => formatKeyPath(path) || '(root)';
  walkKeyPaths(
    { a: [1, { b: 'x', skip: { c: 'never' } }], d: null },
    {
      entry: (key, _inner, path) => {
        seen.push(`entry ${at(path)}`);
        return key !== 'skip';
      },
      leaf: (value, path) => void seen.push(`leaf ${at(path)}=${String(value)}`),
    },
    isRecord,
  );
  expect(seen).toEqual(['entry a', 'leaf a[0]=1', 'entry a[1].b', 'leaf a[1].b=x', 'entry a[1].skip', 'entry d', 'leaf d=null']);
  const leaves: string[] = [];
  walkKeyPaths('text', { leaf: (value, path) => void leaves.push(`${at(path)}=${String(value)}`) }, isRecord);
  expect(leaves).toEqual(['(root)=text']);
});

test('an object the walk is told is no mapping is a leaf', () => {
  class Box {
    readonly inside = 'hidden';
  }
  const leaves: unknown[] = [];
  const plain = (v: unknown): v is Record<string, unknown> => isRecord(v) && Object.getPrototypeOf(v) === Object.prototype;
  walkKeyPaths({ box: new Box() }, { leaf: (value) => void leaves.push(value) }, plain);
  expect(leaves).toEqual([expect.any(Box)]);
});
