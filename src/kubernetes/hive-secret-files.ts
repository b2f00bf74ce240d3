import { isRecord } from '../core/objects';
import type { OpenShiftHivePlan } from '../model/fleet-plan';
import { toYaml } from '../core/yaml';

/** The three secret values Hive reads, by role: their key in the hub Secret, and its type. */
export const HIVE_SECRETS = {
  signingKey: { key: 'bound-service-account-signing-key.key', type: 'Opaque' },
  pullSecret: { key: '.dockerconfigjson', type: 'kubernetes.io/dockerconfigjson' },
  installerCredentials: { key: 'osServicePrincipal.json', type: 'Opaque' },
} as const;

export type HiveSecretRole = keyof typeof HIVE_SECRETS;

/** The contents of the three files of `secrets.mode: files`, as read at synth. */
export type HiveSecretContents = Readonly<Record<HiveSecretRole, string>>;

const ROLES = Object.keys(HIVE_SECRETS) as HiveSecretRole[];
const SERVICE_PRINCIPAL_FIELDS = ['subscriptionId', 'clientId', 'clientSecret', 'tenantId'];

/** What is wrong with one of the three files, said without quoting it. */
export interface HiveSecretContentProblem {
  readonly role: HiveSecretRole;
  readonly file: string;
  readonly message: string;
}

/** Where a Hive cluster's secrets come from, as its plan or its construct says: only the files are read. */
type HiveSecretsSource = Extract<OpenShiftHivePlan['secrets'], { readonly mode: 'files' }> | { readonly mode: 'externalSecrets' };

/**
 * What is wrong with the contents of the three files, by file, without quoting them: Hive would
 * only fail once the installer runs, after the Azure side is applied. `source` is the cluster's plan or its construct.
 */
export function hiveSecretContentProblems(source: { readonly secrets: HiveSecretsSource }, contents: HiveSecretContents): string[] {
  return hiveSecretContentProblemsByRole(source, contents).map((p) => `${p.file}: ${p.message}`);
}

/** The same problems, each with the role of its file. */
export function hiveSecretContentProblemsByRole(source: { readonly secrets: HiveSecretsSource }, contents: HiveSecretContents): HiveSecretContentProblem[] {
  if (source.secrets.mode !== 'files') return [];
  const files = source.secrets;
  const problems: HiveSecretContentProblem[] = [];
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(contents.signingKey)) {
    problems.push({ role: 'signingKey', file: files.signingKeyFile, message: 'not a PEM private key (the service-account signing key)' });
  }
  const pull = parseJson(contents.pullSecret);
  if (!isRecord(pull) || !isRecord(pull.auths)) {
    problems.push({ role: 'pullSecret', file: files.pullSecretFile, message: 'not a pull secret (a JSON object with "auths")' });
  }
  const sp = parseJson(contents.installerCredentials);
  const missing = SERVICE_PRINCIPAL_FIELDS.filter((f) => !isRecord(sp) || typeof sp[f] !== 'string' || sp[f] === '');
  if (missing.length > 0) {
    problems.push({ role: 'installerCredentials', file: files.installerCredentialsFile, message: `osServicePrincipal.json must be a JSON object with ${missing.join(', ')}` });
  }
  return problems;
}

/**
 * The three hub Secrets of `secrets.mode: files`: file name (`<secretName>.yaml`) to Secret YAML,
 * values in plain `stringData`, for OUT/secrets/<cluster>/. They never enter the chart.
 * Throws on contents that `hiveSecretContentProblems` refuses, or in another secrets mode.
 */
export function hiveSecretFiles(plan: OpenShiftHivePlan, contents: HiveSecretContents): Map<string, string> {
  if (plan.secrets.mode !== 'files') throw new Error(`hiveSecretFiles: cluster ${plan.name} takes its secrets from ${plan.secrets.mode}, not files`);
  const problems = hiveSecretContentProblems(plan, contents);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const files = new Map<string, string>();
  for (const role of ROLES) {
    const name = plan.secretNames[role];
    const { key, type } = HIVE_SECRETS[role];
    files.set(
      `${name}.yaml`,
      toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: plan.namespace }, type, stringData: { [key]: contents[role] } }),
    );
  }
  return files;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
