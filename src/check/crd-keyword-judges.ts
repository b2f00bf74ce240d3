import { CelError, parseCelRule } from './cel';
import { isRecord } from '../core/objects';

/**
 * What the two keywords of CRD schemas that validate, and that JSON Schema lacks, find: a judge per keyword
 * value, made by a function of this module. The code ajv generates for them (crd-keywords.ts) calls it, and
 * names it by `require`, so code compiled ahead of time (schema-validators.ts) calls the same judge as code
 * compiled at run time. This module loads no ajv.
 */
export const VALIDATIONS = 'x-kubernetes-validations';
export const LIST_TYPE = 'x-kubernetes-list-type';
export const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';

/** One fault a judge finds: the message, and the rule and `fieldPath` of a CEL rule that failed. */
export interface KeywordFailure {
  readonly message: string;
  readonly rule?: string;
  readonly fieldPath?: string;
}

/** A keyword's judge: the faults of a value, none when it passes. */
export type Judge = (data: unknown) => readonly KeywordFailure[];

interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly fieldPath?: string;
}

/**
 * `x-kubernetes-validations`: each rule in the CEL subset of ./cel (others are skipped), checked where the value
 * has the node's type (a value of the wrong type has its own error; the API server does not run the rules on it).
 */
export function validationsJudge(rules: readonly ValidationRule[], type: unknown): Judge {
  const compiled = rules.flatMap((rule) => {
    const check = parseCelRule(rule.rule);
    return check ? [{ ...rule, check }] : [];
  });
  return (data) => {
    if (!hasType(data, type)) return [];
    const failures: KeywordFailure[] = [];
    for (const rule of compiled) {
      let failure: string | undefined;
      try {
        if (!rule.check(data)) failure = rule.message ?? rule.rule;
      } catch (e) {
        if (!(e instanceof CelError)) throw e;
        failure = `${rule.message ?? rule.rule} (${e.message})`;
      }
      if (failure !== undefined) failures.push({ message: `fails rule: ${failure}`, rule: rule.rule, fieldPath: rule.fieldPath });
    }
    return failures;
  };
}

/** `x-kubernetes-list-type: map`: no two items with the same values of the `x-kubernetes-list-map-keys`. */
export function listTypeJudge(listType: string, keys: unknown): Judge {
  if (listType !== 'map' || !Array.isArray(keys)) return () => [];
  return (data) => {
    if (!Array.isArray(data)) return [];
    const failures: KeywordFailure[] = [];
    const seen = new Map<string, number>();
    data.forEach((item, i) => {
      if (!isRecord(item)) return;
      const key = JSON.stringify(keys.map((k: string) => item[k] ?? null));
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else failures.push({ message: `must NOT have two items with the same ${keys.join(', ')} (items ${first} and ${i})` });
    });
    return failures;
  };
}

function hasType(data: unknown, type: unknown): boolean {
  switch (type) {
    case 'object':
      return isRecord(data);
    case 'array':
      return Array.isArray(data);
    case 'string':
      return typeof data === 'string';
    case 'integer':
      return Number.isInteger(data);
    case 'number':
      return typeof data === 'number';
    case 'boolean':
      return typeof data === 'boolean';
    default:
      return data !== null && data !== undefined;
  }
}
