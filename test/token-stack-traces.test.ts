/**
 * The adapter that turns cdktf's token stack traces off while wisynth builds its stacks: off inside,
 * restored after (also when the build throws), so tokens of the user's own code keep theirs.
 */
import { Lazy, Token, Tokenization } from 'cdktf';
import { withoutTokenStackTraces } from '../src/azure/token-stack-traces';

/** The creation stack cdktf recorded for a new Lazy token. */
function creationStack(): string[] {
  const token = Lazy.stringValue({ produce: () => 'x' });
  return (Tokenization.reverseString(token).firstToken as unknown as { creationStack: string[] }).creationStack;
}

test('inside, tokens record no stack trace; before and after, they do', () => {
  expect(Token.isUnresolved(Lazy.stringValue({ produce: () => 'x' }))).toBe(true);
  expect(creationStack().length).toBeGreaterThan(0);
  expect(withoutTokenStackTraces(creationStack)).toEqual([]);
  expect(creationStack().length).toBeGreaterThan(0);
});

test('a build that throws restores the capture', () => {
  expect(() =>
    withoutTokenStackTraces(() => {
      throw new Error('build failed');
    }),
  ).toThrow('build failed');
  expect(creationStack().length).toBeGreaterThan(0);
});
