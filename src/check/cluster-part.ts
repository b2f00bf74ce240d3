import { CLUSTER_FOLDERS, type ClusterSummary } from '../core/summary';
import { Artifacts, fileAt, filesIn, KubeObject, objectsIn, OutFile } from './artifacts';

/**
 * One cluster's entry in summary.json and its part of OUT (its folder in each of CLUSTER_FOLDERS), as a
 * cluster rule reads them. A read of any other file of OUT is noted: findings made from it depend on more
 * than the part, and are not recorded for a re-synth to take (check.ts).
 */
export class ClusterPart {
  private outside = false;

  constructor(
    /** OUT as read: the key of the memos of what is parsed once per OUT (embeddedYamlIn, publishedKeys), not a way to other files. */
    readonly artifacts: Artifacts,
    readonly summary: ClusterSummary,
  ) {}

  /** Whether the rules have read nothing but the part. */
  get readPartOnly(): boolean {
    return !this.outside;
  }

  /** The file at `path`, if OUT has one: a file of the part, or (noted) any other. */
  fileAt(path: string): OutFile | undefined {
    if (!this.holds(path)) this.outside = true;
    return fileAt(this.artifacts, path);
  }

  /** The part's files below `<top>/<cluster>/`, in OUT's order. */
  filesIn(top: (typeof CLUSTER_FOLDERS)[number]): readonly OutFile[] {
    return filesIn(this.artifacts, top, this.summary.name);
  }

  /** The objects of the cluster's folder (its summary's `folder`): the part's own, or (noted) another. */
  objects(): readonly KubeObject[] {
    if (!this.holds(`${this.summary.folder}/`)) this.outside = true;
    return objectsIn(this.artifacts, this.summary.folder);
  }

  private holds(path: string): boolean {
    return CLUSTER_FOLDERS.some((top) => path.startsWith(`${top}/${this.summary.name}/`));
  }
}
