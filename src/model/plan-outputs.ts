import * as path from 'path';
import { byCodePoint } from '../core/compare';
import { closestName } from '../core/edit-distance';
import { excerpt } from '../core/excerpt';
import { VALUE_RULES, ValueKind, valueProblem } from '../core/values';
import { PLACEHOLDER_PREFIX } from './constants';
import type { ClusterPlan, IdentityPlan, OutputPlan, PendingValue, PlannedValue } from './fleet-plan';
import type { FleetIssue } from './issues';

/**
 * Terraform outputs known after apply, by name. A reader of outputs files (readTerraformOutputs) also
 * says where each came from, and which were given with a value that is not a string, so that the plan
 * can name the file of a bad value.
 */
export interface OutputValues extends ReadonlyMap<string, string> {
  /** The file an output came from (as the user named it), and where in it (JSON keys). */
  sourceOf?(name: string): { readonly file: string; readonly path: readonly string[] } | undefined;
  /** Outputs whose value is not a string, by name: what the value is (`a number`, ...). */
  readonly notStrings?: ReadonlyMap<string, string>;
}

/** The text that stands for an output's value until it is known. */
export function placeholder(output: string): string {
  return `${PLACEHOLDER_PREFIX}${output}`;
}

/** An output the plan declares, and the kind of value it must hold. */
export type DeclaredOutput = OutputPlan & { readonly kind: ValueKind };

/** The outputs a fleet declares: each new identity's client and principal id, and each issuer known only after apply. */
export function declaredOutputs(identities: readonly IdentityPlan[], clusters: readonly ClusterPlan[]): DeclaredOutput[] {
  return [
    ...identities.flatMap((i): DeclaredOutput[] =>
      i.existing
        ? []
        : [
            { name: i.clientIdOutput, description: `Client id of identity ${i.name}`, kind: 'guid' },
            { name: i.principalIdOutput, description: `Principal id of identity ${i.name}`, kind: 'guid' },
          ],
    ),
    ...clusters.flatMap((c): DeclaredOutput[] => (c.issuer.output ? [{ name: c.issuer.output, description: `OIDC issuer URL of cluster ${c.name}`, kind: 'issuerUrl' }] : [])),
  ];
}

/** The plan's book of values known after apply: which were given, and where each placeholder is used. */
export class OutputBook {
  private readonly usedBy = new Map<string, string[]>();
  private readonly resolved = new Map<string, string>();

  constructor(private readonly given: OutputValues) {}

  /** A value that exists only after apply: taken from the outputs when given, else a placeholder. */
  afterApply(output: string): PlannedValue {
    const known = this.given.get(output);
    if (known === undefined) return { value: placeholder(output), pending: true, output };
    this.resolved.set(output, known);
    return { value: known, pending: false, output };
  }

  /**
   * An output whose value is known before apply: an adopted identity's client id, which importing keeps.
   * Recorded with the given ones, so that `check` finds whose value it is; a value given after apply wins.
   */
  knownBeforeApply(output: string, value: string): PlannedValue {
    const known = this.given.get(output) ?? value;
    this.resolved.set(output, known);
    return { value: known, pending: false, output };
  }

  /** Records where a pending value is used (listed in summary.json). */
  usePending(value: PlannedValue, where: string): void {
    if (value.pending) this.usedBy.set(value.output, [...(this.usedBy.get(value.output) ?? []), where]);
  }

  /** The placeholders, by output, with the places that use them (each once, sorted). */
  pending(): PendingValue[] {
    return [...this.usedBy.entries()].map(([output, usedBy]) => ({ output, usedBy: [...new Set(usedBy)].sort(byCodePoint) })).sort((a, b) => byCodePoint(a.output, b.output));
  }

  /** The outputs whose given values the plan used, sorted by name. */
  resolvedOutputs(): Record<string, string> {
    return Object.fromEntries([...this.resolved.entries()].sort(([a], [b]) => byCodePoint(a, b)));
  }

  /**
   * The outputs given (`synth --outputs`) against the declared ones: a declared one must hold a value of
   * its kind (client and principal ids are GUIDs, issuers follow the issuer rules), reported with its file;
   * one the plan does not declare is ignored, with a warning naming the nearest declared name.
   */
  check(declared: readonly DeclaredOutput[], issues: FleetIssue[]): string[] {
    const kinds = new Map(declared.map((o) => [o.name, o.kind]));
    const warnings: string[] = [];
    const given = [...this.given.keys(), ...(this.given.notStrings?.keys() ?? [])];
    for (const name of [...new Set(given)].sort(byCodePoint)) {
      const source = this.given.sourceOf?.(name);
      const kind = kinds.get(name);
      if (kind === undefined) {
        const near = closestName(name, kinds.keys(), 3);
        const file = source ? ` (in ${path.basename(source.file)})` : '';
        warnings.push(`Terraform output "${name}"${file} is not one this fleet declares, so it is ignored${near ? `: did you mean "${near}"?` : ''}`);
        continue;
      }
      const notString = this.given.notStrings?.get(name);
      const reason = notString !== undefined ? `is ${notString}, not a string` : valueProblem(kind, this.given.get(name));
      if (reason === undefined) continue;
      const shown = notString !== undefined ? '' : ` ${excerpt(this.given.get(name))}`;
      issues.push({
        ...(source && { file: source.file, source: source.path }),
        message: `Terraform output "${name}":${shown} ${reason}`,
        fix: `it must be ${VALUE_RULES[kind].rule}: write the file again with \`terraform output -json\` (or cdktf deploy --outputs-file) after apply, without editing it`,
      });
    }
    return warnings;
  }
}
