/** A JSON input that does not parse is said by where it breaks, never by quoting it: it may be a secret. */
import { parseInputJson } from '../src/inputs/json';

test.each([
  ['a secret that is not JSON', 'ghp_secretTokenValue1234', /^not valid JSON \(an unexpected character\)$/],
  ['a NUL and a newline', '\n\0', /^not valid JSON \(an unexpected character\)$/],
  ['a terminal escape sequence', '\u001b[31mred', /^not valid JSON \(an unexpected character\)$/],
  ['a trailing comma', '{\n  "clientSecret": "s3cr3t",\n}', /^not valid JSON \(Expected double-quoted property name, at line 3, column 1\)$/],
  ['a control character in a string', '{"a": "x\u0001"}', /^not valid JSON \(Bad control character in string literal, at line 1, column 9\)$/],
  ['an end too early', '{"password": "hunter2', /^not valid JSON \(Unterminated string, at line 1, column 22\)$/],
])('%s', (_, text, said) => {
  const parsed = parseInputJson(text);
  expect(parsed.ok).toBe(false);
  const problem = parsed.ok ? '' : parsed.problem;
  expect(problem).toMatch(said);
  expect(problem).not.toMatch(/secret|s3cr3t|hunter2|\u0000|\u001b/);
});
