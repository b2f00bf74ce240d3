import * as path from 'path';
import { INPUT_KINDS } from '../inputs/kinds';
import { readInputFile } from '../inputs/read-file';
import { parseInputYaml, parseYamlValues } from '../inputs/yaml';
import { Fleet } from './fleet';
import { FleetDocument } from './fleet-document';
import { FleetError, FleetIssue } from './issues';
import { FleetBuilder } from './fleet-builder';
import type { PlatformModels } from './platform-model';
import { compact, schemaIssues, validateFleetDocument, withoutInvalidEntries } from './fleet-schema';

/**
 * Reads, validates and builds a fleet from a YAML file, with the clusters of the platforms given; relative paths in it resolve against its folder.
 * The file must be a regular file of at most INPUT_LIMITS.fleetBytes. Problems with the file itself carry
 * no `file`, like every problem of the fleet file: the caller knows the name the user gave it.
 */
export function loadFleetFileWith(platforms: PlatformModels, file: string): Fleet {
  let text: string;
  try {
    text = readInputFile(file, INPUT_KINDS.fleet);
  } catch (e) {
    if (e instanceof FleetError) throw new FleetError(e.issues.map((i) => ({ message: i.message, fix: i.fix })));
    throw e;
  }
  return parseFleetWith(platforms, text, path.dirname(path.resolve(file)));
}

/** Builds a fleet from YAML text, with the clusters of the platforms given; throws FleetError naming the field path of every problem. */
export function parseFleetWith(platforms: PlatformModels, text: string, baseDir: string): Fleet {
  const parsed = parseYamlValues(text);
  if (!parsed.ok) {
    const { kind, message, fix, line, column } = parsed.problem;
    throw new FleetError([{ message: kind === 'syntax' ? `not valid YAML: ${message}` : message, fix, source: [], ...(line !== undefined && { line, column }) }]);
  }
  if (parsed.values.length > 1) {
    const second = parseInputYaml(text);
    const start = second.ok ? second.documents[1].range[0] : 0;
    const line = text.slice(0, start).split('\n').length;
    throw new FleetError([{ message: `the fleet file holds ${parsed.values.length} YAML documents; one is read`, fix: 'remove the `---` line and what follows it, or put each fleet in a file of its own', source: [], line, column: 1 }]);
  }
  const doc = parsed.values[0];
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new FleetError([{ source: [], message: 'the fleet file must hold a mapping (azure:, clusters:, ...)', fix: 'start from examples/fleet.yaml' }]);
  }
  const errors = validateFleetDocument(doc);
  if (errors.length === 0) {
    const built = new FleetBuilder(doc as FleetDocument, platforms, baseDir).build();
    if (built.issues.length > 0) throw new IncompleteFleet(built.issues, built.fleet);
    return built.fleet;
  }
  const issues = schemaIssues(errors);
  // The entries the schema refuses are left out, so the rest is still built and its problems (references,
  // files, the plan's) are reported in the same run. Refusals outside any entry (azure:, name:) stop here.
  const valid = withoutInvalidEntries(doc, errors);
  if (!valid || validateFleetDocument(compact(valid.doc)).length > 0) throw new FleetError(issues);
  const built = new FleetBuilder(valid.doc as FleetDocument, platforms, baseDir, valid.unbuilt).build();
  throw new IncompleteFleet([...issues, ...built.issues], built.fleet);
}

/**
 * A fleet file with problems, and the fleet built from the parts of it that have none: a caller may read
 * that fleet's inputs and plan it, to report their problems in the same run. Never synthesize it.
 */
export class IncompleteFleet extends FleetError {
  constructor(issues: readonly FleetIssue[], readonly partial: Fleet) {
    super(issues);
  }
}
