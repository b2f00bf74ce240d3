import { crdSchemaErrors, crdSchemaOf, splitApiVersion } from './crd-schema';
import { coreSchemaOf, kubernetesSchemaErrors } from './kubernetes-schema';
import type { SchemaFlavor } from './schema-validators';
import { isRecord, objectLabel } from '../core/objects';

/**
 * What is wrong with any object wisynth writes under OUT/kubernetes, one message per fault
 * (`Kind namespace/name: /path message`); empty when it is valid. Built-in API groups (the core
 * group, `apps`, `*.k8s.io`, ...) are checked by the Kubernetes 1.28 schema, the others by the
 * vendored CRDs; an object neither covers gives one message saying so.
 */
export function objectSchemaErrors(obj: unknown): string[] {
  if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return kubernetesSchemaErrors(obj);
  const { group } = splitApiVersion(obj.apiVersion);
  if (isBuiltInGroup(group)) return kubernetesSchemaErrors(obj);
  return crdSchemaErrors(obj) ?? [`${objectLabel(obj)}: no schema is known for apiVersion ${obj.apiVersion}, kind ${obj.kind}`];
}

/** The schema objectSchemaErrors validates an object against, and which ajv compiles it; undefined when no schema covers the object. */
export function objectSchemaOf(obj: unknown): { readonly flavor: SchemaFlavor; readonly schema: Record<string, unknown> } | undefined {
  if (!isRecord(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  const typed = obj as Record<string, unknown> & { apiVersion: string; kind: string };
  const flavor = isBuiltInGroup(splitApiVersion(obj.apiVersion).group) ? 'core' : 'crd';
  const schema = flavor === 'core' ? coreSchemaOf(typed) : crdSchemaOf(typed);
  return schema && { flavor, schema };
}

/** Kubernetes' own groups have no dot in their name or end in `.k8s.io` (`x-k8s.io` is for SIG projects' CRDs). */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}
