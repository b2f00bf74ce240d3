/** Azure and Kubernetes naming rules (Azure's resource naming rules, learn.microsoft.com azure-resource-manager/management/resource-name-rules): the table is core/values.ts's, the messages the plan's. */
import { excerpt } from '../core/excerpt';
import { NAME_RULES, NameKind, VALUE_RULES } from '../core/values';

export { NAME_RULES } from '../core/values';
export type { NameKind, NameRule } from '../core/values';

/** Returns what is wrong with `name` under the rule for `kind`, or undefined when it is valid. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const reason = VALUE_RULES[kind].problem(name);
  return reason === undefined ? undefined : `${NAME_RULES[kind].what} ${excerpt(name)} ${reason}`;
}
