import { FleetError, FleetIssue } from '../core/issues';
import { parseInputJson } from '../inputs/json';
import { INPUT_KINDS } from '../inputs/kinds';
import { readInputFile } from '../inputs/read-file';

/**
 * What an AKS cluster reports of itself in `az aks show --output json` (the ManagedCluster of the ARM API:
 * `oidcIssuerProfile.enabled`/`issuerUrl`, `securityProfile.workloadIdentity.enabled`), for `check --aks-show`.
 */
export interface AksShow {
  /** The file, as the user named it. */
  readonly file: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly oidcIssuerEnabled: boolean;
  /** undefined while the OIDC issuer is off. */
  readonly issuerUrl?: string;
  readonly workloadIdentityEnabled: boolean;
}

const FIX = INPUT_KINDS.aksShow.fix;

/** Reads and validates each file (`shown`: the names for messages); throws a FleetError naming every problem. */
export function readAksShowFiles(files: readonly string[], shown: readonly string[] = files): AksShow[] {
  const issues: FleetIssue[] = [];
  const read = files.flatMap((file, index) => {
    const name = shown[index] ?? file;
    try {
      const parsed = parseInputJson(readInputFile(file, INPUT_KINDS.aksShow, name));
      if (!parsed.ok) throw new FleetError([{ file: name, message: `cannot read it: ${parsed.problem}`, fix: FIX }]);
      return [aksShowOf(parsed.value, name)];
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      issues.push(...e.issues);
      return [];
    }
  });
  if (issues.length > 0) throw new FleetError(issues);
  return read;
}

function aksShowOf(json: unknown, file: string): AksShow {
  const issues: FleetIssue[] = [];
  const wrong = (field: string, message: string) => issues.push({ file, message: `${field} ${message}`, fix: FIX });
  const text = (value: unknown, field: string): string => {
    if (typeof value === 'string' && value !== '') return value;
    wrong(field, `must be a string, not ${JSON.stringify(value) ?? 'missing'}`);
    return '';
  };
  // null or missing: the feature was never set, which AKS reports as off
  const flag = (value: unknown, field: string): boolean => {
    if (value === undefined || value === null || typeof value === 'boolean') return value === true;
    wrong(field, `must be true or false, not ${JSON.stringify(value)}`);
    return false;
  };
  const section = (value: unknown, field: string): Record<string, unknown> => {
    if (value === undefined || value === null) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    wrong(field, 'must be an object');
    return {};
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new FleetError([{ file, message: 'must hold one JSON object, the cluster', fix: FIX }]);
  }
  const cluster = json as Record<string, unknown>;
  const oidc = section(cluster.oidcIssuerProfile, 'oidcIssuerProfile');
  const security = section(cluster.securityProfile, 'securityProfile');
  const workloadIdentity = section(security.workloadIdentity, 'securityProfile.workloadIdentity');
  const shown: AksShow = {
    file,
    name: text(cluster.name, 'name'),
    resourceGroup: text(cluster.resourceGroup, 'resourceGroup'),
    oidcIssuerEnabled: flag(oidc.enabled, 'oidcIssuerProfile.enabled'),
    ...(oidc.issuerUrl === undefined || oidc.issuerUrl === null ? {} : { issuerUrl: text(oidc.issuerUrl, 'oidcIssuerProfile.issuerUrl') }),
    workloadIdentityEnabled: flag(workloadIdentity.enabled, 'securityProfile.workloadIdentity.enabled'),
  };
  if (issues.length > 0) throw new FleetError(issues);
  return shown;
}
