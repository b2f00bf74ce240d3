import { aks } from './aks';
import { capz } from './capz';
import { externalIssuer } from './external-issuer';
import { openshiftHive } from './openshift-hive';
import { Platform } from './platform';
import { selfManaged } from './self-managed';

/** Every platform wisynth knows, by name. */
export const PLATFORMS: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  [aks.name, aks],
  [selfManaged.name, selfManaged],
  [capz.name, capz],
  [openshiftHive.name, openshiftHive],
  [externalIssuer.name, externalIssuer],
]);
