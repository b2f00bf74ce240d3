/**
 * The layers of src/ (README, "Development"): every import points down this list or stays in its layer,
 * no two files import each other through a circle, and no two folders of src/ do. Read from the source
 * text of src/, so an upward import is named by file and line before anyone builds on it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './support';

const SRC = path.join(ROOT, 'src');

/** Bottom first: a file may import its own layer and the layers below it. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['core'], // vocabulary shared by all; imports nothing of the project
  ['inputs'], // bounded readers of what comes in
  ['oidc', 'openshift'], // domain rules of upstream programs: keys and JWKS, CredentialsRequests, the installer
  ['model'], // fleet constructs, loader, the plan
  ['azure', 'kubernetes', 'cluster-config'], // renderers: cdktf and cdk8s constructs, cluster configuration files
  ['platforms'], // one vertical per platform, over the renderers
  ['check'], // reads OUT back; synth runs it on its staging folder, so it sits below output
  ['output'], // synthesizes into OUT
  ['graph'], // draws OUT
  ['cli'], // commands
  ['index.ts'], // the package's entry point
];

interface Import {
  readonly from: string;
  readonly line: number;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import and re-export of src/ that lands in src/ (generated imports/ are the engines'). */
function imports(): Import[] {
  return sourceFiles(SRC).flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, i) => {
        const m = /^(?:import|export)\b[^'"]*?from\s+'(\.[^']*)'/.exec(text) ?? /^import\s+'(\.[^']*)'/.exec(text);
        if (!m) return [];
        const target = path.resolve(path.dirname(file), m[1]);
        const to = [`${target}.ts`, path.join(target, 'index.ts')].find((f) => fs.existsSync(f));
        if (to === undefined) throw new Error(`${rel(file)}:${i + 1} imports ${m[1]}, which is no file of the project`);
        return to.startsWith(SRC + path.sep) ? [{ from: file, line: i + 1, to }] : [];
      }),
  );
}

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const folderOf = (file: string) => rel(file).split('/')[0];

function layerOf(file: string): number {
  const layer = LAYERS.findIndex((names) => names.includes(folderOf(file)));
  if (layer < 0) throw new Error(`src/${rel(file)} is in no layer: add its folder to LAYERS (and to the README)`);
  return layer;
}

/** The strongly connected parts of a graph with more than one node (Tarjan). */
function circles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        part.push(w);
      } while (w !== v);
      if (part.length > 1) found.push(part.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

function graph(pairs: ReadonlyArray<readonly [string, string]>): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [a, b] of pairs) {
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
  return edges;
}

const all = imports();

test('the scan sees the project: hundreds of imports, and a file of src/ in every layer', () => {
  expect(all.length).toBeGreaterThan(300);
  expect(new Set(sourceFiles(SRC).map(layerOf)).size).toBe(LAYERS.length);
});

test('every import points down the layers or stays in its own', () => {
  const upward = all.filter((i) => layerOf(i.to) > layerOf(i.from)).map((i) => `src/${rel(i.from)}:${i.line} imports src/${rel(i.to)} (layer ${LAYERS[layerOf(i.to)].join(', ')} is above ${LAYERS[layerOf(i.from)].join(', ')})`);
  expect(upward).toEqual([]);
});

test('core imports nothing of the project but core', () => {
  expect(all.filter((i) => folderOf(i.from) === 'core' && folderOf(i.to) !== 'core').map((i) => `src/${rel(i.from)}:${i.line}`)).toEqual([]);
});

test('no circle between files', () => {
  expect(circles(graph(all.map((i) => [rel(i.from), rel(i.to)] as const)))).toEqual([]);
});

test('no circle between folders of src/', () => {
  expect(circles(graph(all.filter((i) => folderOf(i.from) !== folderOf(i.to)).map((i) => [folderOf(i.from), folderOf(i.to)] as const)))).toEqual([]);
});
