import * as fs from 'fs';
import * as path from 'path';

/**
 * The wisynth package's own folder (schemas/, examples/), whether this runs from src/ (tests)
 * or from the build in lib/src/.
 */
export const PROJECT_ROOT = fs.existsSync(path.join(__dirname, '..', 'package.json'))
  ? path.resolve(__dirname, '..')
  : path.resolve(__dirname, '..', '..');

/** The version of the wisynth package, as its package.json says (`wisynth --version`). */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${path.join(PROJECT_ROOT, 'package.json')} has no version`);
  return pkg.version;
}
