import { PLACEHOLDER_PATTERN, PLACEHOLDER_PREFIX } from '../../model/constants';
import { OutFile } from '../artifacts';
import { Rule } from '../rule';
import { byCodePoint } from '../../core/compare';

/**
 * Values that exist only after `terraform apply` are still placeholders in the files applied to
 * clusters: applied as they are, a service account names no real client id. Terraform's own files
 * and summary.json name the outputs on purpose, so they are not read.
 */

const RULE = 'placeholder';
const SCOPES = ['kubernetes/', 'clusters/', 'oidc/'];
const LISTED = 5;

export const placeholdersRule: Rule = (model, options) => {
  const severity = options.strict ? 'error' : 'warning';
  return [...filesByOutput(model.artifacts.files)].map(([output, files]) => ({
    severity,
    rule: RULE,
    file: files[0],
    object: output,
    message: `"${PLACEHOLDER_PREFIX}${output}" still stands for the Terraform output ${output}, not yet known, in ${count(files.length)}: ${listed(files)}`,
    fix: 'apply the Terraform stack, then synth again with --outputs <outputs file>',
  }));
};

/** Output name to the sorted files that hold its placeholder, outputs in sorted order. */
function filesByOutput(files: readonly OutFile[]): Map<string, string[]> {
  const byOutput = new Map<string, Set<string>>();
  for (const file of files.filter((f) => SCOPES.some((s) => f.path.startsWith(s)))) {
    for (const [match] of file.text.matchAll(PLACEHOLDER_PATTERN)) {
      const output = match.slice(PLACEHOLDER_PREFIX.length);
      byOutput.set(output, (byOutput.get(output) ?? new Set()).add(file.path));
    }
  }
  return new Map([...byOutput].sort(([a], [b]) => byCodePoint(a, b)).map(([output, set]) => [output, [...set].sort(byCodePoint)]));
}

function count(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

function listed(files: readonly string[]): string {
  const shown = files.slice(0, LISTED).join(', ');
  return files.length > LISTED ? `${shown} and ${files.length - LISTED} more` : shown;
}
