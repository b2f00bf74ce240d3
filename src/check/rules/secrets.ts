import { embeddedYamlIn, TerraformStack } from '../artifacts';
import { Finding } from '../finding';
import { formatKeyPath, walkKeyPaths } from '../../core/key-path';
import { isRecord } from '../../core/objects';
import { FileArtifacts, fromFileRule, objectsByFile, oncePerText } from '../rule';
import { blockTexts, terraformBlocks } from '../terraform-blocks';

/**
 * Nothing outside OUT/secrets holds a secret: those files are applied, committed and shared.
 * Findings never quote the secret, only where it is.
 */

const RULE = 'secret';

/** A PEM private-key header of any flavour (`RSA `, `EC `, `OPENSSH `, `ENCRYPTED `, or none). */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/**
 * Key names, lower-cased without separators, that hold a credential itself. Names of references
 * (`pullSecretRef`, `secretKey`, `secret_permissions`, `imagePullSecrets`) do not match.
 */
const SECRET_KEY = /(?:clientsecret|password|passwd|pullsecret|dockerconfigjson|dockercfg|privatekey|privatekeypem|accesskey|sastoken)$|^tlskey$/;

/** A value that only points at a secret: a Terraform expression `${…}` or a template `{{ … }}`. */
const REFERENCE_VALUE = /^\s*(?:\$\{[\s\S]*\}|\{\{[\s\S]*\}\})\s*$/;

const PEM_FIX =
  'remove the key from this file: private keys belong under OUT/secrets (never applied or committed) or in a key vault read by an ExternalSecret; if this file was shared, replace the key';

export const secretsRule = fromFileRule((files) => {
  // the same few key names recur in every document: each is judged once per check
  const judged = new Map<string, boolean>();
  const isSecretKey = (key: string): boolean => {
    let secret = judged.get(key);
    if (secret === undefined) judged.set(key, (secret = SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''))));
    return secret;
  };
  return [...privateKeyFindings(files), ...secretValueFindings(files, isSecretKey)];
});

function privateKeyFindings(files: FileArtifacts): Finding[] {
  const objectsOf = objectsByFile(files);
  const holds = oncePerText(files, (o) => holdsPrivateKey(o.obj, files));
  return files.files.flatMap((file) => {
    const holder = objectsOf.get(file.path)?.find(holds);
    if (!holder && !PEM_PRIVATE_KEY.test(file.text)) return [];
    return [
      {
        severity: 'error',
        rule: RULE,
        file: file.path,
        object: holder?.label ?? '(file)',
        message: `${file.path} contains a PEM private key (not shown); files outside OUT/secrets must hold no secret`,
        fix: PEM_FIX,
      },
    ];
  });
}

/** A PEM key in any string of the document, in its Secret's base64 `data`, or in the YAML its `stringData` carries. */
function holdsPrivateKey(doc: Record<string, unknown>, files: FileArtifacts): boolean {
  return (
    someString(doc, (s) => PEM_PRIVATE_KEY.test(s)) ||
    secretData(doc).some((s) => PEM_PRIVATE_KEY.test(Buffer.from(s, 'base64').toString('utf8'))) ||
    embeddedDocuments(doc, files).some(([, inner]) => holdsPrivateKey(inner, files))
  );
}

/** Whether `test` holds for a string anywhere in `value`; stops at the first. */
function someString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((item) => someString(item, test));
  if (!isRecord(value)) return false;
  for (const key of Object.keys(value)) if (someString(value[key], test)) return true;
  return false;
}

function secretData(doc: Record<string, unknown>): string[] {
  if (doc.kind !== 'Secret' || !isRecord(doc.data)) return [];
  return Object.values(doc.data).filter((v): v is string => typeof v === 'string');
}

/** The YAML mappings held as text in a Secret's `stringData` (install-config.yaml, ccoctl's manifests). */
function embeddedDocuments(doc: Record<string, unknown>, files: FileArtifacts): Array<[string, Record<string, unknown>]> {
  if (doc.kind !== 'Secret' || !isRecord(doc.stringData)) return [];
  return Object.entries(doc.stringData).flatMap(([key, text]) => {
    const inner = embeddedYamlIn(files, text);
    return inner ? [[key, inner] as [string, Record<string, unknown>]] : [];
  });
}

/** Whether a key name, of any case and separators, is one of SECRET_KEY's. */
type IsSecretKey = (key: string) => boolean;

function secretValueFindings(files: FileArtifacts, isSecretKey: IsSecretKey): Finding[] {
  const secretPathsOf = oncePerText(files, (o) => documentSecretPaths(o.obj, files, isSecretKey));
  return [
    ...files.objects.flatMap((object) => secretPathsOf(object).map((keyPath) => secretValueFinding(object.file, object.label, keyPath))),
    ...files.stacks.flatMap((stack) => terraformSecretValues(stack, isSecretKey)),
  ];
}

function terraformSecretValues(stack: TerraformStack, isSecretKey: IsSecretKey): Finding[] {
  // a block none of whose keys is a secret's holds no secret value
  return terraformBlocks(stack.json).flatMap((block) =>
    blockTexts(block).keys.some(isSecretKey) ? secretPaths(block.body, isSecretKey).map((keyPath) => secretValueFinding(stack.file, block.address, keyPath)) : [],
  );
}

/** Key paths of secret values in a Kubernetes document and in the documents its Secret's stringData carries. */
function documentSecretPaths(doc: Record<string, unknown>, files: FileArtifacts, isSecretKey: IsSecretKey): string[] {
  const embedded = embeddedDocuments(doc, files).flatMap(([key, inner]) => documentSecretPaths(inner, files, isSecretKey).map((p) => `stringData.${key}: ${p}`));
  return [...secretPaths(doc, isSecretKey), ...embedded];
}

function secretPaths(value: unknown, isSecretKey: IsSecretKey): string[] {
  const found: string[] = [];
  walkKeyPaths(
    value,
    {
      entry: (key, inner, path) => {
        if (!isSecretKey(key) || !holdsValue(inner)) return true;
        found.push(formatKeyPath(path));
        return false;
      },
    },
    isRecord,
  );
  return found;
}

function holdsValue(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '' && !REFERENCE_VALUE.test(value);
}

function secretValueFinding(file: string, object: string, keyPath: string): Finding {
  return {
    severity: 'error',
    rule: RULE,
    file,
    object,
    message: `${keyPath} holds a secret value (not shown); files outside OUT/secrets must hold no secret`,
    fix: `remove the value of ${keyPath}: reference the secret instead (a Secret created out of band, an ExternalSecret from a key vault, a Terraform variable), or use workload identity so no secret is needed`,
  };
}
