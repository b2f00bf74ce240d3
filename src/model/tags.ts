import { byCodePoint } from '../core/compare';

/**
 * Azure tags: name to value, on every taggable resource wisynth creates (resource groups, identities,
 * storage accounts, key vaults, AKS clusters). Role definitions and assignments, FICs, containers and
 * blobs take none in the azurerm provider.
 */
export type Tags = Readonly<Record<string, string>>;

/**
 * Limits the azurerm provider enforces at plan time (hashicorp/terraform-provider-azurerm
 * `internal/tags/validation.go`: at most 50 tags, names up to 512 and values up to 256 characters;
 * `internal/services/storage/validate/storage_account_tags.go`: names up to 128 on a storage account,
 * which wisynth applies everywhere, since fleet tags reach one) and ARM at apply time (MicrosoftDocs/azure-docs
 * `articles/azure-resource-manager/management/tag-resources.md`, "Limitations": a name holds none of
 * `< > % & \ ? /`).
 */
export const TAG_LIMITS = { count: 50, nameLength: 128, valueLength: 256, forbidden: /[<>%&\\?/]/ } as const;

/** What is wrong with one tag, or undefined. */
export function tagProblem(name: string, value: unknown): string | undefined {
  if (name.length === 0) return 'a tag name is empty';
  if (name.length > TAG_LIMITS.nameLength) return `tag name "${name.slice(0, 40)}..." is ${name.length} characters long; Azure allows ${TAG_LIMITS.nameLength} on a storage account`;
  const bad = TAG_LIMITS.forbidden.exec(name);
  if (bad) return `tag name "${name}" holds "${bad[0]}", which Azure refuses in a tag name (< > % & \\ ? /)`;
  if (typeof value !== 'string') return `tag "${name}" has the value ${JSON.stringify(value)}, not a string (quote it in YAML)`;
  if (value.length > TAG_LIMITS.valueLength) return `tag "${name}" has a value of ${value.length} characters; Azure allows ${TAG_LIMITS.valueLength}`;
  return undefined;
}

/** The tags of a resource from its sources, later ones winning, names in code-point order (so the output is stable). */
export function mergeTags(...sources: ReadonlyArray<Tags | undefined>): Tags {
  const merged: Record<string, string> = {};
  for (const source of sources) if (source) Object.assign(merged, source);
  return Object.fromEntries(Object.keys(merged).sort(byCodePoint).map((k) => [k, merged[k]]));
}

/** ccoctl's ownership tag, which `ccoctl azure delete` finds its resources by (openshift/cloud-credential-operator `pkg/cmd/provisioning/azure/create_oidc_issuer.go`). */
export function ccoctlOwnedTag(cluster: string): Tags {
  return { [`openshift.io_cloud-credential-operator_${cluster}`]: 'owned' };
}
