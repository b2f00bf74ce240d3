import * as fs from 'fs';
import * as path from 'path';

/**
 * The wisynth package's own folder (schemas/, examples/): the nearest folder above this file with a
 * package.json, whether this runs from src/core (tests) or from the build in lib/src/core.
 */
export const PROJECT_ROOT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
})();

/** The version of the wisynth package, as its package.json says (`wisynth --version`). */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${path.join(PROJECT_ROOT, 'package.json')} has no version`);
  return pkg.version;
}
