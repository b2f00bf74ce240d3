/**
 * Replacing OUT in place around the parts a re-synth keeps (src/output/replace-in-place.ts): stopped after any
 * step as a kill would stop it, the next synth's recovery completes it; a failed move is undone; a journal of
 * another shape is refused; check refuses a folder beside a journal.
 */
import fs = require('fs');
import * as os from 'os';
import * as path from 'path';
import { readArtifacts } from '../src/check/artifacts';
import { recoverLeftovers, ReplaceRefused } from '../src/output/atomic-dir';
import { completeReplacements, HalfReplaced, replaceInPlace } from '../src/output/replace-in-place';

let work: string;
let dest: string;
let staging: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-in-place-'));
  dest = path.join(work, 'out');
  staging = path.join(work, '.out.staging-abc123');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(work, { recursive: true, force: true });
});

const CONTAINERS = ['terraform', 'terraform/stacks', 'kubernetes', 'clusters', 'oidc'];
/** Kept: stack b and cluster c2, which both the previous and the new OUT hold, unchanged. */
const KEPT = new Set(['terraform/stacks/b', 'kubernetes/c2']);

const PREVIOUS: Record<string, string> = {
  'summary.json': 'old summary',
  'graph.md': 'a graph of the old OUT',
  'secrets/c1/key': 'old secret',
  'terraform/manifest.json': 'old manifest',
  'terraform/stacks/a/cdk.tf.json': 'old a',
  'terraform/stacks/b/cdk.tf.json': 'b',
  'terraform/stacks/gone/cdk.tf.json': 'a stack the fleet lost',
  'kubernetes/c1/sa.yaml': 'old c1',
  'kubernetes/c1/old-only.yaml': 'an object c1 no longer has',
  'kubernetes/c2/sa.yaml': 'c2',
  'clusters/c1/kind.yaml': 'old c1 config',
};
const STAGED: Record<string, string> = {
  'summary.json': 'new summary',
  'secrets/c1/key': 'new secret',
  'terraform/manifest.json': 'new manifest',
  'terraform/stacks/a/cdk.tf.json': 'new a',
  'terraform/stacks/n/cdk.tf.json': 'a new stack',
  'kubernetes/c1/sa.yaml': 'new c1',
  'kubernetes/c3/sa.yaml': 'a new cluster',
  'oidc/c3/.well-known/openid-configuration': 'c3 discovery',
};
/** What a full synth writes: the staged files and the kept ones; clusters/ is left empty, so it goes too. */
const EXPECTED: Record<string, string> = { ...STAGED, 'terraform/stacks/b/cdk.tf.json': 'b', 'kubernetes/c2/sa.yaml': 'c2' };

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/** Every file with its text, and every folder (as `name/`), below a folder. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    const rel = path.relative(root, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/');
    out[e.isDirectory() ? `${rel}/` : rel] = e.isDirectory() ? '' : fs.readFileSync(path.join(root, rel), 'utf8');
  }
  return out;
}

const filesOf = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([k]) => !k.endsWith('/')));
const inode = (rel: string) => fs.statSync(path.join(dest, rel)).ino;

/** Runs a replacement for `steps` steps (all of them when undefined) and abandons it there, as a kill would. */
function replace(steps?: number): { steps: number; trash?: string } {
  const run = replaceInPlace(staging, dest, CONTAINERS, KEPT);
  for (let n = 0; steps === undefined || n < steps; n++) {
    const step = run.next();
    if (step.done) return { steps: n, trash: step.value };
  }
  return { steps: steps! };
}

function setUp(): void {
  write(dest, PREVIOUS);
  write(staging, STAGED);
}

test('a replacement run to its end: the new OUT around the kept parts, which are never touched', () => {
  setUp();
  const kept = [inode('terraform/stacks/b/cdk.tf.json'), inode('kubernetes/c2/sa.yaml'), inode('kubernetes/c2')];
  const { trash } = replace();
  expect(tree(dest)).toEqual({
    ...EXPECTED,
    ...Object.fromEntries(['secrets/', 'secrets/c1/', 'terraform/', 'terraform/stacks/', 'terraform/stacks/a/', 'terraform/stacks/b/', 'terraform/stacks/n/', 'kubernetes/', 'kubernetes/c1/', 'kubernetes/c2/', 'kubernetes/c3/', 'oidc/', 'oidc/c3/', 'oidc/c3/.well-known/'].map((d) => [d, ''])),
  });
  expect([inode('terraform/stacks/b/cdk.tf.json'), inode('kubernetes/c2/sa.yaml'), inode('kubernetes/c2')]).toEqual(kept);
  // what it replaced is in the trash, for the caller to remove; no journal is left
  expect(filesOf(tree(trash!))).toEqual({
    'summary.json': 'old summary',
    'graph.md': 'a graph of the old OUT',
    'secrets/c1/key': 'old secret',
    'terraform/manifest.json': 'old manifest',
    'terraform/stacks/a/cdk.tf.json': 'old a',
    'terraform/stacks/gone/cdk.tf.json': 'a stack the fleet lost',
    'kubernetes/c1/sa.yaml': 'old c1',
    'kubernetes/c1/old-only.yaml': 'an object c1 no longer has',
    'clusters/c1/kind.yaml': 'old c1 config',
  });
  expect(fs.readdirSync(work).sort()).toEqual([path.basename(trash!), path.basename(staging), 'out']);
});

test('stopped after any step, as a kill stops it, the next synth completes it: OUT is the new one, nothing is left beside it', () => {
  setUp();
  const total = replace().steps;
  expect(total).toBeGreaterThan(10);
  for (let steps = 0; steps <= total; steps++) {
    fs.rmSync(work, { recursive: true });
    setUp();
    replace(steps);
    const before = filesOf(tree(dest));
    // before the first step nothing was moved (not even a journal written): OUT is still the old one
    if (steps === 0) expect(before).toEqual(PREVIOUS);
    const seen: string[] = [];
    completeReplacements(dest, (trash) => seen.push(fs.readFileSync(path.join(trash, 'summary.json'), 'utf8')));
    recoverLeftovers(dest);
    expect({ steps, out: filesOf(tree(dest)) }).toEqual({ steps, out: steps === 0 ? PREVIOUS : EXPECTED });
    // the old summary is seen before its trash goes: it lists what redirected parts may still hold
    expect({ steps, seen }).toEqual({ steps, seen: steps === 0 ? [] : ['old summary'] });
    expect({ steps, beside: fs.readdirSync(work) }).toEqual({ steps, beside: ['out'] });
  }
});

test('a journal a kill left before it was in place is removed, and OUT is the old one', () => {
  setUp();
  fs.writeFileSync(path.join(work, '.out.commit-4242.new'), '{"format":');
  fs.mkdirSync(path.join(work, '.out.replaced-xyz'));
  completeReplacements(dest);
  recoverLeftovers(dest);
  expect(filesOf(tree(dest))).toEqual(PREVIOUS);
  expect(fs.readdirSync(work)).toEqual(['out']);
});

describe('a move that fails', () => {
  /** Fails the `nth` rename into OUT (0 is the first) with EBUSY, and every later one when `sticky`. */
  function failRename(nth: number, sticky = false): void {
    const real = fs.renameSync;
    let seen = 0;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(from).startsWith(dest + path.sep) || String(to).startsWith(dest + path.sep)) {
        if (seen === nth || (sticky && seen > nth)) {
          seen++;
          throw Object.assign(new Error(`EBUSY: resource busy or locked, rename '${String(from)}'`), { code: 'EBUSY' });
        }
        seen++;
      }
      return real(from, to);
    });
  }

  test.each([0, 3, 9])('is undone with every move before it (rename %i fails): OUT and staging are as they were', (nth) => {
    setUp();
    const [out, staged] = [tree(dest), tree(staging)];
    failRename(nth);
    expect(() => replace()).toThrow(/EBUSY/);
    jest.restoreAllMocks();
    expect(tree(dest)).toEqual(out);
    expect(tree(staging)).toEqual(staged);
    expect(fs.readdirSync(work).sort()).toEqual([path.basename(staging), 'out']);
  });

  test('that cannot be undone either leaves the journal and staging: the error says so, and the next synth completes the moves', () => {
    setUp();
    failRename(4, true);
    let error: unknown;
    try {
      replace();
    } catch (e) {
      error = e;
    }
    jest.restoreAllMocks();
    expect(error).toBeInstanceOf(HalfReplaced);
    expect((error as HalfReplaced).issues[0]).toEqual({
      file: dest,
      message: expect.stringMatching(/^could not be replaced \(EBUSY.*\), nor put back as it was \(EBUSY.*\): part of it is new, as .*\.out\.commit-\d+ lists$/),
      fix: expect.stringMatching(/synth again/),
    });
    expect(readArtifactsProblems()).toEqual([expect.stringMatching(/^OUT is being replaced by a synth, or a synth was killed while it replaced it/)]);
    completeReplacements(dest);
    recoverLeftovers(dest);
    expect(filesOf(tree(dest))).toEqual(EXPECTED);
    expect(fs.readdirSync(work)).toEqual(['out']);
  });
});

/** The problems check finds reading OUT that are about OUT as a whole. */
function readArtifactsProblems(): string[] {
  fs.writeFileSync(path.join(dest, 'summary.json'), JSON.stringify({ generator: { name: 'wisynth', format: 1 }, fleet: 'f', clusters: [] }));
  return readArtifacts(dest)
    .problems.filter((p) => p.file === '.')
    .map((p) => p.message);
}

describe('a journal of another shape than synth writes is refused, and nothing is moved', () => {
  const journal = (value: unknown) => fs.writeFileSync(path.join(work, '.out.commit-77'), typeof value === 'string' ? value : JSON.stringify(value));
  const good = { format: 'wisynth replacement in place 1', staging: '.out.staging-abc123', trash: '.out.replaced-q', moves: [{ entry: 'summary.json', replaced: true }], containers: ['kubernetes'] };
  test.each<[string, unknown]>([
    ['not JSON', '{"format": "wisynth'],
    ['another format', { ...good, format: 'wisynth replacement in place 2' }],
    ['an entry outside OUT', { ...good, moves: [{ entry: '../elsewhere', replaced: false }] }],
    ['an absolute entry', { ...good, moves: [{ entry: '/etc/passwd', replaced: false }] }],
    ['an entry with a backslash', { ...good, moves: [{ entry: 'a\\..\\..\\b', replaced: false }] }],
    ['a staging folder not of synth', { ...good, staging: 'home' }],
    ['a staging folder in another folder', { ...good, staging: '.out.staging-x/../../etc' }],
    ['a trash folder not of synth', { ...good, trash: '.out.staging-abc123' }],
    ['a container outside OUT', { ...good, containers: ['..'] }],
    ['a move without its kind', { ...good, moves: [{ entry: 'summary.json' }] }],
  ])('%s', (_name, value) => {
    setUp();
    journal(value);
    expect(() => completeReplacements(dest)).toThrow(ReplaceRefused);
    expect(filesOf(tree(dest))).toEqual(PREVIOUS);
    expect(filesOf(tree(staging))).toEqual(STAGED);
  });

  test('the one synth writes is taken', () => {
    setUp();
    journal(good);
    completeReplacements(dest);
    expect(fs.readFileSync(path.join(dest, 'summary.json'), 'utf8')).toBe('new summary');
  });
});
