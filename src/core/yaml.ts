import * as yaml from 'js-yaml';

/** The one YAML style of every file wisynth writes: block style, no line folding, no anchors. */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"' });
}

/** Recordings under way (`recordEmbeddedYaml`): YAML texts rendered into string values, by text, with their values. */
const recordings = new Set<Map<string, unknown>>();

/**
 * The YAML of `value` (by `dump`, toYaml unless told) for a string of another document (a kubeadm patch in a
 * kind config, a Secret's install-config.yaml, the installer's manifests): noted for each recording under way.
 */
export function embeddedYaml<T>(value: T, dump: (value: T) => string = toYaml): string {
  const text = dump(value);
  for (const recording of recordings) recording.set(text, value);
  return text;
}

/**
 * Notes every `embeddedYaml` text until `stop`, with the value it is the YAML of: synth records its rendering,
 * so that its check takes the value of such a text instead of parsing it back. Nothing is kept otherwise.
 */
export function recordEmbeddedYaml(): { readonly texts: ReadonlyMap<string, unknown>; readonly stop: () => void } {
  const texts = new Map<string, unknown>();
  recordings.add(texts);
  return { texts, stop: () => recordings.delete(texts) };
}
