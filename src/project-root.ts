import * as fs from 'fs';
import * as path from 'path';

/**
 * The wisynth package's own folder (schemas/, examples/), whether this runs from src/ (tests)
 * or from the build in lib/src/.
 */
export const PROJECT_ROOT = fs.existsSync(path.join(__dirname, '..', 'package.json'))
  ? path.resolve(__dirname, '..')
  : path.resolve(__dirname, '..', '..');
