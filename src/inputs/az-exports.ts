/**
 * What `az` prints of a setup made by hand, read for `wisynth adopt`: bounded, parsed, each field checked
 * by its kind. The shapes are those of the ARM resources the commands return (Azure CLI reference:
 * `az identity list`, `az identity federated-credential list`, `az role assignment list`).
 */
import { FleetError, FleetIssue } from '../core/issues';
import { excerpt } from '../core/excerpt';
import { isRecord } from '../core/objects';
import { textProblem, valueProblem, ValueKind } from '../core/values';
import { parseInputJson } from './json';
import { INPUT_KINDS } from './kinds';
import { readInputFile } from './read-file';

/** A user-assigned identity of `az identity list` (Microsoft.ManagedIdentity/userAssignedIdentities). */
export interface AzIdentity {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly clientId: string;
  readonly principalId: string;
  readonly tenantId: string;
  /** Its Azure tags, when it has any. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A FIC of `az identity federated-credential list`: its id names the identity it is on. */
export interface AzFederatedCredential {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

/** A role assignment of `az role assignment list`. */
export interface AzRoleAssignment {
  readonly id: string;
  readonly principalId: string;
  readonly roleDefinitionName: string;
  /** `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<GUID>`: a custom role's id. */
  readonly roleDefinitionId: string;
  readonly scope: string;
}

/** Reads one file: a JSON list of objects, each turned into a T by `each` (which reports through `wrong`). */
function readList<T>(file: string, shown: string, command: string, each: (o: Record<string, unknown>, field: Field) => T): T[] {
  const fix = `pass what \`${command} --output json\` printed, unedited`;
  const parsed = parseInputJson(readInputFile(file, INPUT_KINDS.azExport, shown));
  if (!parsed.ok) throw new FleetError([{ file: shown, message: `cannot read it: ${parsed.problem}`, fix }]);
  if (!Array.isArray(parsed.value)) throw new FleetError([{ file: shown, message: `is ${typeof parsed.value}, not the JSON list ${command} prints`, fix }]);
  const issues: FleetIssue[] = [];
  const read = parsed.value.flatMap((entry, index) => {
    const before = issues.length;
    if (!isRecord(entry)) {
      issues.push({ file: shown, source: [index], message: 'must be an object', fix });
      return [];
    }
    const field: Field = (name, kind) => {
      const value = entry[name];
      const problem = typeof value !== 'string' ? `must be a string, not ${excerpt(value ?? 'missing')}` : kind ? valueProblem(kind, value) : textProblem(value);
      if (problem) issues.push({ file: shown, source: [index, name], message: problem, fix });
      return typeof value === 'string' ? value : '';
    };
    const value = each(entry, field);
    return issues.length > before ? [] : [value];
  });
  if (issues.length > 0) throw new FleetError(issues.slice(0, 20));
  return read;
}

type Field = (name: string, kind?: ValueKind) => string;

export function readAzIdentities(file: string, shown = file): AzIdentity[] {
  return readList(file, shown, 'az identity list', (o, field) => ({
    id: field('id', 'armScope'),
    name: field('name', 'identity'),
    resourceGroup: field('resourceGroup', 'resourceGroup'),
    location: field('location', 'region'),
    clientId: field('clientId', 'guid'),
    principalId: field('principalId', 'guid'),
    tenantId: field('tenantId', 'guid'),
    tags: isRecord(o.tags) ? Object.fromEntries(Object.entries(o.tags).map(([k, v]) => [k, String(v)])) : {},
  }));
}

export function readAzFederatedCredentials(file: string, shown = file): AzFederatedCredential[] {
  return readList(file, shown, 'az identity federated-credential list --identity-name <identity> -g <group>', (o, field) => ({
    id: field('id', 'armScope'),
    name: field('name', 'federatedCredential'),
    issuer: field('issuer'),
    subject: field('subject'),
    audiences: Array.isArray(o.audiences) ? o.audiences.map(String) : [],
  }));
}

export function readAzRoleAssignments(file: string, shown = file): AzRoleAssignment[] {
  return readList(file, shown, 'az role assignment list --all', (_o, field) => ({
    id: field('id'),
    principalId: field('principalId', 'guid'),
    roleDefinitionName: field('roleDefinitionName', 'roleName'),
    roleDefinitionId: field('roleDefinitionId'),
    scope: field('scope'),
  }));
}
