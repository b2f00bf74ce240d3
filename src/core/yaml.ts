import * as yaml from 'js-yaml';

/** The one YAML style of every file wisynth writes: block style, no line folding, no anchors. */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"' });
}
