/** Azure and Kubernetes naming rules (FACTS.md section 2), one table. */

export interface NameRule {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  /** The rule in words, for error messages. */
  readonly says: string;
}

export const NAME_RULES = {
  resourceGroup: {
    what: 'resource group name',
    min: 1,
    max: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    says: 'letters, digits, "_", "-", ".", "(", ")", not ending in "."',
  },
  identity: {
    what: 'user-assigned identity name',
    min: 3,
    max: 128,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    says: 'letters, digits, "-" and "_", starting with a letter or digit',
  },
  keyVault: {
    what: 'key vault name',
    min: 3,
    max: 24,
    pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
    says: 'letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
  },
  storageAccount: {
    what: 'storage account name',
    min: 3,
    max: 24,
    pattern: /^[a-z0-9]+$/,
    says: 'lowercase letters and digits only',
  },
  aksCluster: {
    what: 'AKS cluster name',
    min: 1,
    max: 63,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$/,
    says: 'letters, digits, "_" and "-", starting and ending with a letter or digit',
  },
  dnsPrefix: {
    what: 'AKS DNS prefix',
    min: 1,
    max: 54,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
    says: 'letters, digits and "-", starting and ending with a letter or digit',
  },
  federatedCredential: {
    what: 'federated identity credential name',
    min: 3,
    max: 120,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    says: 'letters, digits, "-" and "_", starting with a letter or digit',
  },
  clusterName: {
    what: 'cluster name',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    says: 'lowercase letters, digits and "-", starting and ending with a letter or digit (it names a folder and Terraform resources)',
  },
  namespace: {
    what: 'Kubernetes namespace',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    says: 'a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  },
  serviceAccount: {
    what: 'Kubernetes service account name',
    min: 1,
    max: 253,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    says: 'a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  },
  objectName: {
    what: 'Kubernetes object name',
    min: 1,
    max: 253,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    says: 'a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  },
  stackName: {
    what: 'fleet name',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    says: 'lowercase letters, digits and "-" (it names the Terraform stack)',
  },
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** Returns what is wrong with `name` under the rule for `kind`, or undefined when it is valid. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule: NameRule = NAME_RULES[kind];
  if (name.length < rule.min || name.length > rule.max) {
    return `${rule.what} "${name}" is ${name.length} characters long; it must be ${rule.min}-${rule.max}`;
  }
  if (!rule.pattern.test(name)) {
    return `${rule.what} "${name}" is not allowed: use ${rule.says}`;
  }
  return undefined;
}
