/** The journal that a synth replacing a folder in place keeps beside it (output/replace-in-place.ts): `.<dir>.commit-<pid>`. */
import * as fs from 'fs';
import * as path from 'path';

export const JOURNAL_INFIX = '.commit-';

/** The journals beside `dir`: of a replacement in place in progress, or of one a kill interrupted. */
export function journalsBeside(dir: string): string[] {
  const parent = path.dirname(dir);
  const prefix = `.${path.basename(dir)}${JOURNAL_INFIX}`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length))).map((n) => path.join(parent, n));
}
