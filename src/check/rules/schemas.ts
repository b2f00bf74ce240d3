import { KubeObject } from '../artifacts';
import { splitApiVersion } from '../crd-schema';
import { Finding } from '../finding';
import { isBuiltInGroup, objectSchemaErrors } from '../object-schema';
import { fromFileRule, oncePerText } from '../rule';

/** Every object under OUT/kubernetes is one the API server accepts, by the vendored schemas. */

const RULE = 'schema';
/** The field a schema message is about: its leading JSON pointer. */
const FIELD = /^(\/\S*)/;

export const schemasRule = fromFileRule((files) => {
  const errorsOf = oncePerText(files, (object) => objectSchemaErrors(object.obj));
  return files.objects.flatMap((object) => schemaFinding(object, errorsOf(object)));
});

function schemaFinding(object: KubeObject, messages: readonly string[]): Finding[] {
  const errors = messages.map((message) => withoutLabel(message, object.label));
  if (errors.length === 0) return [];
  return [{ severity: 'error', rule: RULE, file: object.file, object: object.label, message: errors.join('; '), fix: fixFor(object, errors) }];
}

/** The schema messages start with `Kind namespace/name: `, which the finding's object says already. */
function withoutLabel(message: string, label: string): string {
  return message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message;
}

function fixFor(object: KubeObject, errors: readonly string[]): string {
  const fields = [...new Set(errors.flatMap((e) => FIELD.exec(e)?.[1] ?? []))];
  if (fields.length === 0) return 'use an apiVersion and kind that the vendored Kubernetes 1.28 schema or a vendored CRD (schemas/crds) defines';
  return `correct ${fields.join(', ')} so the object matches ${schemaName(object)}, which is what is checked`;
}

function schemaName(object: KubeObject): string {
  const { apiVersion, kind } = object.obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'the vendored Kubernetes 1.28 schema';
  const { group } = splitApiVersion(apiVersion);
  return isBuiltInGroup(group) ? `the vendored Kubernetes 1.28 schema of ${kind} ${apiVersion}` : `the vendored CRD of ${kind} ${apiVersion} (schemas/crds/${group})`;
}
