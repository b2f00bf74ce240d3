import { App, Chart } from 'cdk8s';
import type { ClusterPlan } from '../model/fleet-plan';
import { byCodePoint } from '../core/compare';
import { toYaml } from '../core/yaml';
import { ClusterChart, KubernetesSide } from './cluster-chart';

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** The fields of a rendered object that name its file. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** A file of a cluster folder: its YAML, and the one document written into it. */
export interface Manifest {
  readonly text: string;
  /** The object as serialized: a copy of its own, keys in canonical order. */
  readonly doc: unknown;
}

/**
 * The files of one cluster folder (`OUT/kubernetes/<cluster>/`), file name to YAML, in
 * sorted order: one object a file, named `<kind>_<name>.yaml` (cluster-scoped) or
 * `<kind>_<namespace>_<name>.yaml` (namespaced), and a `kustomization.yaml` listing them.
 */
export function renderClusterManifests(cluster: ClusterPlan, platform: KubernetesSide): Map<string, string> {
  const files = chartManifests(new ClusterChart(new App(), cluster.name, { cluster, platform }), cluster.name);
  return new Map([...files].map(([file, { text }]) => [file, text]));
}

/** The files of a cluster's chart as `renderClusterManifests` writes them, objects added to the chart by others included. */
export function chartManifests(chart: Chart, cluster: string): Map<string, Manifest> {
  const files = new Map<string, Manifest>();
  const owners = new Map<string, string>();
  for (const obj of chart.toJson() as KubernetesObject[]) {
    const file = manifestFileName(obj);
    const owner = describe(obj);
    const previous = owners.get(file);
    if (previous !== undefined) {
      throw new Error(`cluster ${cluster}: ${previous} and ${owner} would both be written to ${file}`);
    }
    owners.set(file, owner);
    files.set(file, manifest(canonicalOrder(obj)));
  }
  const resources = [...files.keys()].sort(byCodePoint);
  files.set(KUSTOMIZATION_FILE, manifest({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
  return new Map([...files.entries()].sort(([a], [b]) => byCodePoint(a, b)));
}

function manifest(doc: unknown): Manifest {
  return { text: toYaml(doc), doc };
}

/**
 * `<kind>_<name>.yaml` or `<kind>_<namespace>_<name>.yaml`, kind lowercased. Kubernetes names never
 * contain `_`, so no two objects share a file (with `-`, orders/a-b and orders-a/b would).
 */
export function manifestFileName(obj: KubernetesObject): string {
  const { name, namespace } = obj.metadata;
  const parts = namespace === undefined ? [obj.kind.toLowerCase(), name] : [obj.kind.toLowerCase(), namespace, name];
  return `${parts.join('_')}.yaml`;
}

/**
 * apiVersion, kind, metadata, then the other fields, keys sorted at every level: the order
 * cdk8s writes, made independent of its `CDK8S_DISABLE_SORT` environment variable.
 */
function canonicalOrder(obj: KubernetesObject): unknown {
  const { apiVersion, kind, metadata, ...rest } = sortKeysDeep(obj) as Record<string, unknown>;
  return { apiVersion, kind, metadata, ...(rest as object) };
}

/** A list item cdk8s leaves `undefined` becomes the null that YAML writes for it. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeysDeep(item)));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => byCodePoint(a, b));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeysDeep(inner)]));
}

function describe(obj: KubernetesObject): string {
  const { name, namespace } = obj.metadata;
  return `${obj.kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
}
