import * as fs from 'fs';
import { FleetError } from '../model/issues';

/**
 * Reads Terraform outputs from a file written by `cdktf deploy --outputs-file` ({stack: {name: value}},
 * nested by construct) or by `terraform output -json` ({name: {value, type, sensitive}}).
 * Returns string outputs by name; several files merge, the later winning.
 */
export function readTerraformOutputs(files: readonly string[]): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(e as Error).message})`;
      throw new FleetError([{ file, message: `cannot read the outputs file: ${reason}`, fix: 'pass the file written by `cdktf deploy --outputs-file FILE` or `terraform output -json > FILE`' }]);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new FleetError([{ file, message: 'the outputs file must hold a JSON object', fix: 'pass the file written by `cdktf deploy --outputs-file FILE` or `terraform output -json > FILE`' }]);
    }
    for (const [name, value] of Object.entries(json)) {
      if (isTerraformOutput(value)) {
        if (typeof value.value === 'string') outputs.set(name, value.value);
      } else {
        collectCdktf(value, name, outputs);
      }
    }
  }
  return outputs;
}

function isTerraformOutput(value: unknown): value is { value: unknown } {
  return typeof value === 'object' && value !== null && 'value' in value && ('type' in value || 'sensitive' in value);
}

/** cdktf nests outputs under the stack and the constructs above them; the leaf key is the output name. */
function collectCdktf(value: unknown, key: string, into: Map<string, string>): void {
  if (typeof value === 'string') {
    into.set(key, value);
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) collectCdktf(v, k, into);
  }
}
