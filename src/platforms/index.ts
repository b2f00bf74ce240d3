import { aks } from './aks/platform';
import { capz } from './capz/platform';
import { externalIssuer } from './external-issuer/platform';
import { openshiftHive } from './openshift-hive/platform';
import { Platform } from './platform';
import type { Fleet } from '../model/fleet';
import type { FleetPlan } from '../model/fleet-plan';
import { loadFleetFileWith, parseFleetWith } from '../model/load';
import { planFleetWith, PlanOptions } from '../model/plan';
import { selfManaged } from './self-managed/platform';

/** Every platform wisynth knows, by name: the one list the loader, the planner and synth consult. */
export const PLATFORMS: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  [aks.name, aks],
  [selfManaged.name, selfManaged],
  [capz.name, capz],
  [openshiftHive.name, openshiftHive],
  [externalIssuer.name, externalIssuer],
]);

/**
 * Reads, validates and builds a fleet from a YAML file; relative paths in it resolve against its folder.
 * The file must be a regular file of at most INPUT_LIMITS.fleetBytes.
 */
export function loadFleetFile(file: string): Fleet {
  return loadFleetFileWith(PLATFORMS, file);
}

/** Builds a fleet from YAML text; throws FleetError naming the field path of every problem. */
export function parseFleet(text: string, baseDir: string): Fleet {
  return parseFleetWith(PLATFORMS, text, baseDir);
}

/**
 * Resolves a fleet once: names, ARM IDs, issuers, FIC edges and the values both sides share.
 * Throws a FleetError listing every problem Entra or Azure would refuse, before anything is written.
 */
export function planFleet(fleet: Fleet, options: PlanOptions = {}): FleetPlan {
  return planFleetWith(PLATFORMS, fleet, options);
}
