/** Canonical values: one form for a literal, a placeholder, a Terraform expression and its recorded output. */
import { firstBy } from '../core/group';
import { PLACEHOLDER_PREFIX } from '../model/constants';
import { Artifacts, TerraformStack } from './artifacts';

export interface TerraformReference {
  readonly type: string;
  readonly id: string;
  readonly attribute: string;
  readonly data: boolean;
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

/** `${type.id.attr}` (or `${data.type.id.attr}`) when the whole value is one reference. */
export function parseReference(value: unknown): TerraformReference | undefined {
  const m = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return m ? { data: !!m[1], type: m[2], id: m[3], attribute: m[4] } : undefined;
}

/** How an issuer compares when only its case or a trailing slash differ: to point at a near miss. */
export function looselyEqual(a: string, b: string): boolean {
  return looseForm(a) === looseForm(b);
}

/** What looselyEqual compares: two issuers are loosely equal when their loose forms are the same. */
export function looseForm(issuer: string): string {
  return issuer.replace(/\/+$/, '').toLowerCase();
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Values of `artifacts` in canonical form, so a placeholder, its output's expression and its recorded value are one value. */
export class CanonicalValues {
  constructor(readonly artifacts: Artifacts) {}

  /**
   * One form per value: a literal stays as it is; a placeholder, and a Terraform expression that is
   * some stack's output, become that output (or the value recorded for it after apply).
   */
  canonical(raw: string, stack?: TerraformStack): string {
    if (raw.startsWith(PLACEHOLDER_PREFIX)) return `output:${raw.slice(PLACEHOLDER_PREFIX.length)}`;
    if (!raw.startsWith('${')) return raw;
    const output = stack && this.outputNamed(stack, raw);
    if (!output) return `expression:${stack?.name}:${raw}`;
    return this.artifacts.summary.resolvedOutputs[output] ?? `output:${output}`;
  }

  private readonly outputsByValue = new Map<TerraformStack, Map<unknown, string>>();
  /** The outputs recorded after apply (name, value), by value, and by value in lower case. */
  private recorded?: { readonly exact: ReadonlyMap<string, readonly [string, string]>; readonly ignoringCase: ReadonlyMap<string, readonly [string, string]> };
  private stacksByOutput?: ReadonlyMap<string, readonly TerraformStack[]>;

  /**
   * The output whose value recorded after apply (summary.json resolvedOutputs) is `value`, the first so recorded;
   * `ignoreCase` for a GUID. Looked up, not searched: a check after apply asks it of every client id it reads.
   */
  recordedOutput(value: string, ignoreCase = false): string | undefined {
    if (!this.recorded) {
      const recorded = Object.entries(this.artifacts.summary.resolvedOutputs);
      this.recorded = { exact: firstBy(recorded, ([, v]) => v), ignoringCase: firstBy(recorded, ([, v]) => v.toLowerCase()) };
    }
    return (ignoreCase ? this.recorded.ignoringCase.get(value.toLowerCase()) : this.recorded.exact.get(value))?.[0];
  }

  /** The stacks that declare an output of this name, in OUT's order. */
  stacksWithOutput(name: string): readonly TerraformStack[] {
    if (!this.stacksByOutput) {
      const byOutput = new Map<string, TerraformStack[]>();
      for (const stack of this.artifacts.stacks) {
        for (const output of stack.outputs.keys()) {
          const stacks = byOutput.get(output);
          if (stacks) stacks.push(stack);
          else byOutput.set(output, [stack]);
        }
      }
      this.stacksByOutput = byOutput;
    }
    return this.stacksByOutput.get(name) ?? [];
  }

  /** The output of a stack whose value is exactly this expression (the first, by name order in the file). */
  private outputNamed(stack: TerraformStack, expression: string): string | undefined {
    let byValue = this.outputsByValue.get(stack);
    if (!byValue) {
      byValue = new Map();
      for (const [name, value] of stack.outputs) if (!byValue.has(value)) byValue.set(value, name);
      this.outputsByValue.set(stack, byValue);
    }
    return byValue.get(expression);
  }

  /** How a canonical value reads in a message. */
  shown(canonical: string): string {
    return canonical.startsWith('output:') ? `the Terraform output ${canonical.slice(7)}` : canonical.startsWith('expression:') ? canonical.split(':').slice(2).join(':') : canonical;
  }
}
