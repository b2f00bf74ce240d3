import * as path from 'path';
import { OutFile, parseYamlDocuments } from '../artifacts';
import { Finding } from '../finding';
import { isRecord } from '../../core/objects';
import { Rule } from '../rule';
import { TrustModel } from '../trust';

/**
 * Each folder under OUT/kubernetes is applied with `kubectl apply -k`: its kustomization.yaml must
 * exist, list only files that exist, and list every YAML file (kustomize skips the others silently).
 */

const RULE = 'kustomization';
const KUSTOMIZATION = 'kustomization.yaml';
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^(?:github\.com|gitlab\.com|bitbucket\.org)\//;

export const kustomizationRule: Rule = (model) => {
  const files = new FolderFiles(model.artifacts.files);
  return kubernetesFolders(model).flatMap((folder) => folderFindings(folder, files));
};

/** OUT's files by path and by the folder they are directly in, and every folder that holds a file: built once, so each folder costs its own files. */
class FolderFiles {
  readonly byPath: ReadonlyMap<string, OutFile>;
  private readonly byFolder = new Map<string, OutFile[]>();
  private readonly folders = new Set<string>();

  constructor(files: readonly OutFile[]) {
    this.byPath = new Map(files.map((f) => [f.path, f]));
    for (const f of files) {
      const folder = path.posix.dirname(f.path);
      const list = this.byFolder.get(folder);
      if (list) list.push(f);
      else this.byFolder.set(folder, [f]);
      for (let dir = folder; dir !== '.' && !this.folders.has(dir); dir = path.posix.dirname(dir)) this.folders.add(dir);
    }
  }

  in(folder: string): readonly OutFile[] {
    return this.byFolder.get(folder) ?? [];
  }

  /** A file, or a folder (another kustomization) that holds files. */
  exists(target: string): boolean {
    return this.byPath.has(target) || this.folders.has(target);
  }
}

/** `kubernetes/<cluster>` of every folder on disk and, when OUT has kubernetes/ at all, of every cluster in summary.json. */
function kubernetesFolders(model: TrustModel): string[] {
  const onDisk = model.artifacts.files.flatMap((f) => /^(kubernetes\/[^/]+)\//.exec(f.path)?.[1] ?? []);
  const expected = onDisk.length > 0 ? model.artifacts.summary.clusters.map((c) => c.folder).filter((f) => /^kubernetes\/[^/]+$/.test(f)) : [];
  return [...new Set([...onDisk, ...expected])].sort();
}

function folderFindings(folder: string, files: FolderFiles): Finding[] {
  const file = `${folder}/${KUSTOMIZATION}`;
  const kustomization = files.byPath.get(file);
  if (!kustomization) {
    return [finding(file, '(file)', `${file} is missing, so \`kubectl apply -k ${folder}\` fails`, `synth again, or write ${file} listing the folder's YAML files under resources`)];
  }
  const resources = readResources(kustomization);
  if (!resources) {
    return [finding(file, 'resources', `${file} has no list of resources`, `list the folder's YAML files under resources, as synth writes them`)];
  }
  return [...missingResources(folder, resources, files), ...unlistedFiles(folder, resources, files.in(folder))];
}

/** The `resources` entries, undefined when the file is no mapping with a list of strings there. */
function readResources(file: OutFile): Array<string | undefined> | undefined {
  const doc = parseYamlDocuments(file, [])[0];
  const resources = isRecord(doc) ? doc.resources : undefined;
  return Array.isArray(resources) ? resources.map((r) => (typeof r === 'string' ? r : undefined)) : undefined;
}

function missingResources(folder: string, resources: ReadonlyArray<string | undefined>, files: FolderFiles): Finding[] {
  const file = `${folder}/${KUSTOMIZATION}`;
  return resources.flatMap((entry, i) => {
    if (entry !== undefined && (REMOTE.test(entry) || files.exists(path.posix.join(folder, entry)))) return [];
    const shown = entry === undefined ? 'is not a file name' : `"${entry}" does not exist in ${folder}`;
    return [finding(file, `resources[${i}]`, `resources[${i}] ${shown}, so \`kubectl apply -k\` fails`, `remove the entry, or restore the file it names (synth again)`)];
  });
}

function unlistedFiles(folder: string, resources: ReadonlyArray<string | undefined>, files: readonly OutFile[]): Finding[] {
  const listed = new Set(resources.flatMap((r) => (r === undefined ? [] : [path.posix.join(folder, r)])));
  return files
    .filter((f) => /\.ya?ml$/.test(f.path) && !/\/kustomization\.ya?ml$/.test(f.path) && !listed.has(f.path))
    .map((f) =>
      finding(
        `${folder}/${KUSTOMIZATION}`,
        'resources',
        `resources does not list ${path.posix.basename(f.path)}, so \`kubectl apply -k ${folder}\` silently skips it`,
        `add ${path.posix.basename(f.path)} to resources, or delete the file if it should not be applied`,
      ),
    );
}

function finding(file: string, object: string, message: string, fix: string): Finding {
  return { severity: 'error', rule: RULE, file, object, message, fix };
}
