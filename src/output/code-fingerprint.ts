import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { byCodePoint } from '../core/compare';
import { PROJECT_ROOT } from '../core/project-root';

let fingerprint: string | undefined;

/**
 * A SHA-256 of what renders and checks OUT besides the inputs: wisynth's own code (src/ and imports/, as
 * built or as run from source), the schemas check validates against (schemas/, whose findings the cache
 * records), the versions of the libraries it depends on, and Node's. Any change to one, and no part of a
 * previous synth is taken from the cache.
 */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = crypto.createHash('sha256').update(`node ${process.version}\0`);
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  hash.update(`wisynth ${pkg.version}\0`);
  for (const dependency of Object.keys(pkg.dependencies ?? {}).sort(byCodePoint)) hash.update(`${dependency} ${dependencyVersion(dependency)}\0`);
  // this file is in <root>/output/, beside the other folders of src/; imports/ is beside src/
  for (const root of [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..', 'imports')]) hashTree(hash, root, '', CODE);
  hashTree(hash, path.join(PROJECT_ROOT, 'schemas'), '', SCHEMAS);
  return (fingerprint = hash.digest('hex'));
}

/** The version in a dependency's package.json, found above its entry point (not every package exports the file). */
function dependencyVersion(name: string): string {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(name, { paths: [PROJECT_ROOT] }));
  } catch {
    return 'not found';
  }
  for (; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === name) return String(pkg.version);
  }
  return 'not found';
}

/** Code; maps and declarations render nothing. */
const CODE = /^(?!.*\.d\.ts$).*\.(js|ts|json)$/;
const SCHEMAS = /\.(json|ya?ml)$/;

/** Every file below `dir` whose name `files` matches, by path and content, in code point order. */
function hashTree(hash: crypto.Hash, dir: string, rel: string, files: RegExp): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => byCodePoint(a.name, b.name))) {
    const file = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) hashTree(hash, dir, file, files);
    else if (files.test(entry.name)) hash.update(`${file}\0`).update(fs.readFileSync(path.join(dir, file))).update('\0');
  }
}
