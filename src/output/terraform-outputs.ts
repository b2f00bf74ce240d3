import { FleetError, FleetIssue } from '../core/issues';
import { INPUT_KINDS } from '../inputs/kinds';
import { parseInputJson } from '../inputs/json';
import { readInputFile } from '../inputs/read-file';
import type { OutputValues } from '../model/plan-outputs';

const FIX = 'pass the file written by `cdktf deploy --outputs-file FILE` or `terraform output -json > FILE`';

/** Where an output was read: the file as the user named it, and the JSON keys leading to its value. */
export interface OutputSource {
  readonly file: string;
  readonly path: readonly string[];
}

/**
 * Terraform outputs by name, as read from outputs files, with where each came from: the plan checks
 * each declared output's value by its kind and names this file and place when it is wrong, and warns
 * about the names it does not declare.
 */
export class TerraformOutputs extends Map<string, string> implements OutputValues {
  private readonly sources = new Map<string, OutputSource>();
  /** Outputs whose value is not a string, by name: what the value is. */
  readonly notStrings = new Map<string, string>();

  sourceOf(name: string): OutputSource | undefined {
    return this.sources.get(name);
  }

  /** Records an output; a later file wins over an earlier one, as Terraform's last apply would. */
  record(name: string, value: unknown, source: OutputSource): void {
    this.sources.set(name, source);
    if (typeof value === 'string') {
      this.set(name, value);
      this.notStrings.delete(name);
    } else {
      this.delete(name);
      this.notStrings.set(name, describe(value));
    }
  }
}

/**
 * Reads Terraform outputs from files written by `cdktf deploy --outputs-file` ({stack: {name: value}},
 * nested by construct) or by `terraform output -json` ({name: {value, type, sensitive}}). Each file must
 * be a regular file of at most INPUT_LIMITS.outputsBytes holding JSON no deeper than INPUT_LIMITS.jsonDepth.
 * `shown` names the files in messages (the paths as the user wrote them; default: `files`). Several files
 * merge, the later winning. Throws a FleetError naming every file that cannot be read.
 */
export function readTerraformOutputs(files: readonly string[], shown: readonly string[] = files): TerraformOutputs {
  const outputs = new TerraformOutputs();
  const issues: FleetIssue[] = [];
  files.forEach((file, index) => {
    const name = shown[index] ?? file;
    let text: string;
    try {
      text = readInputFile(file, INPUT_KINDS.outputs, name);
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      issues.push(...e.issues);
      return;
    }
    const parsed = parseInputJson(text);
    if (!parsed.ok) {
      issues.push({ file: name, message: `cannot read the outputs file: ${parsed.problem}`, fix: FIX });
      return;
    }
    const json = parsed.value;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      issues.push({ file: name, message: `the outputs file must hold a JSON object, not ${describe(json)}`, fix: FIX });
      return;
    }
    collect(json as Record<string, unknown>, name, outputs);
  });
  if (issues.length > 0) throw new FleetError(issues);
  return outputs;
}

/**
 * Every output of one file. A `terraform output -json` entry ({value, type | sensitive}) is an output by
 * its key; otherwise a string, number, boolean, list or null under a key is a cdktf output by its leaf key,
 * and an object is a stack or a construct to look into. Walked without recursion (the depth is bounded
 * by parseInputJson anyway).
 */
function collect(root: Record<string, unknown>, file: string, into: TerraformOutputs): void {
  const stack: Array<{ readonly key: string; readonly value: unknown; readonly path: readonly string[] }> = Object.entries(root)
    .map(([key, value]) => ({ key, value, path: [key] }))
    .reverse();
  while (stack.length > 0) {
    const { key, value, path } = stack.pop()!;
    if (isTerraformOutput(value)) {
      into.record(key, value.value, { file, path: [...path, 'value'] });
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const children = Object.entries(value).map(([k, v]) => ({ key: k, value: v, path: [...path, k] }));
      stack.push(...children.reverse());
    } else {
      into.record(key, value, { file, path });
    }
  }
}

function isTerraformOutput(value: unknown): value is { value: unknown } {
  return typeof value === 'object' && value !== null && 'value' in value && ('type' in value || 'sensitive' in value);
}

/** "a number", "a list", "null", ... */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
