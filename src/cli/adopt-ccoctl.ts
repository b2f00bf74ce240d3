/**
 * An OpenShift cluster that `ccoctl azure create-all` set up, as a fleet entry of platform openshift-hive:
 * the identities are ccoctl's (found by the client ids of its Secrets), so the entry adopts them by name
 * with their role assignments and custom roles; its groups, storage and FICs follow from ccoctl's names
 * (openshift/cloud-credential-operator pkg/cmd/provisioning/azure/create_all.go, create_oidc_issuer.go,
 * create_managed_identities.go).
 */
import { excerpt } from '../core/excerpt';
import { parseSubject } from '../core/names';
import type { AzFederatedCredential, AzIdentity, AzRoleAssignment } from '../inputs/az-exports';
import type { CcoctlOutput } from '../inputs/ccoctl-output';
import { CredentialsRequestPlan, roleAssignmentKey } from '../model/fleet-plan';
import { ccoctlIdentityName, ccoctlRoleScopes, OPENSHIFT_AUDIENCE } from '../openshift/credentials-requests';
import { STARTER_RELEASE_IMAGE } from './init-templates/fleet';

/** A ccoctl output folder, with the paths the written fleet names, relative to it. */
export interface CcoctlInput {
  readonly output: CcoctlOutput;
  /** The requests of that folder that synth processes: the identities the entry declares. */
  readonly requests: readonly CredentialsRequestPlan[];
  readonly credentialsRequests: string;
  readonly publicKeyFile: string;
  readonly signingKeyFile: string;
}

export interface AdoptedCcoctlCluster {
  readonly name: string;
  readonly issuerUrl: string;
  readonly entry: Record<string, unknown>;
  /** Groups the entry names that the fleet declares as existing. */
  readonly groups: readonly string[];
  /** Identities, FICs and role assignments this entry accounts for: the rest of adopt leaves them alone. */
  readonly claimed: { readonly identities: ReadonlySet<AzIdentity>; readonly federatedCredentials: ReadonlySet<AzFederatedCredential>; readonly roleAssignments: ReadonlySet<AzRoleAssignment> };
  /** Lines of the entry's comment: its guesses and what to replace. */
  readonly comment: string;
  /** What of the claimed the entry imports. */
  readonly counts: { readonly identities: number; readonly federatedCredentials: number; readonly roleAssignments: number };
}

// ccoctl's issuer: `https://<account>.blob.core.windows.net/<container>`, no trailing slash (create_oidc_issuer.go)
const BLOB_ISSUER = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9-]{3,63})$/;
const RESOURCE_GROUP_SCOPE = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i;
const INGRESS = { namespace: 'openshift-ingress-operator', name: 'cloud-credentials' };

/** The entry, or undefined with the reasons in `unmapped` when the folder cannot be one. */
export function adoptCcoctlCluster(
  input: CcoctlInput,
  exports: { readonly identities: readonly AzIdentity[]; readonly federatedCredentials: readonly AzFederatedCredential[]; readonly roleAssignments: readonly AzRoleAssignment[]; readonly location: string },
  unmapped: string[],
): AdoptedCcoctlCluster | undefined {
  const { output } = input;
  const found = output.secrets.flatMap((secret) => {
    const identity = exports.identities.find((i) => i.clientId.toLowerCase() === secret.clientId.toLowerCase());
    if (identity) return [{ secret, identity }];
    unmapped.push(`Secret ${secret.namespace}/${secret.name} (${output.shown}/manifests/${secret.file}) names client id ${secret.clientId}, which is of no identity of --identities: export ccoctl's OIDC group (\`az identity list -g <name>-oidc\`)`);
    return [];
  });
  // ccoctl names each identity <name>-<secretRef.namespace>-<secretRef.name> (cut to 128)
  const names = new Set(found.flatMap(({ secret, identity }) => {
    const suffix = `-${secret.namespace}-${secret.name}`;
    return identity.name.endsWith(suffix) ? [identity.name.slice(0, -suffix.length)] : [];
  }));
  const issuer = BLOB_ISSUER.exec(output.issuer);
  const [name] = names;
  const refuse = (why: string) => {
    unmapped.push(`${output.shown}: ${why}, so the cluster is not adopted`);
    return undefined;
  };
  if (found.length === 0) return refuse('none of its Secrets names an identity of --identities');
  if (names.size !== 1) return refuse(`its identities are named for ${names.size === 0 ? 'no' : 'more than one'} ccoctl --name (${excerpt([...names])}), where ccoctl names each <name>-<namespace>-<secret>`);
  if (!issuer) return refuse(`its issuer ${excerpt(output.issuer, 200)} is not ccoctl's https://<account>.blob.core.windows.net/<container>`);
  if (issuer[2] !== name) return refuse(`its container ${issuer[2]} is not named for the cluster ${name}, as the fleet's OpenShift issuer is (ccoctl --blob-container-name)`);

  // ccoctl reads only the feature-set annotation; synth also skips feature-gated requests, whose identities stay outside
  const declared = new Set(input.requests.map((r) => ccoctlIdentityName(name, r)));
  for (const { identity, secret } of found.filter((f) => !declared.has(f.identity.name))) {
    unmapped.push(`identity ${identity.name} (Secret ${secret.namespace}/${secret.name}) is for a CredentialsRequest synth does not process (feature-gated or tech preview, or not in --credentials-requests): left as it is, with its FICs and role assignments`);
  }
  const identities = new Set(found.map((f) => f.identity));
  const adopted = [...identities].filter((i) => declared.has(i.name));
  const principal = new Map([...identities].map((i) => [i.principalId.toLowerCase(), i]));
  const roleAssignments = exports.roleAssignments.filter((r) => principal.has(r.principalId.toLowerCase()));
  const groupOf = (scope: string) => RESOURCE_GROUP_SCOPE.exec(scope)?.[1];
  const assignedAt = new Map<string, number>();
  for (const r of roleAssignments) {
    const group = groupOf(r.scope);
    if (group) assignedAt.set(group, (assignedAt.get(group) ?? 0) + 1);
  }
  // every identity is assigned at the installation group; the ingress operator's also at the DNS zone's
  const installation = [...assignedAt].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0] ?? name;
  const ingress = found.find((f) => f.secret.namespace === INGRESS.namespace && f.secret.name === INGRESS.name)?.identity;
  const dnsZone = roleAssignments.map((r) => ingress && r.principalId.toLowerCase() === ingress.principalId.toLowerCase() && groupOf(r.scope)).find((g): g is string => !!g && g !== installation);
  const oidcGroup = found[0].identity.resourceGroup;

  const federatedCredentials = new Set(exports.federatedCredentials.filter((f) => {
    const identity = [...identities].find((i) => f.id.toLowerCase().startsWith(`${i.id.toLowerCase()}/`));
    if (!identity) return false;
    const subject = parseSubject(f.subject);
    if (f.issuer === output.issuer && subject && f.name === subject.name && f.audiences.length === 1 && f.audiences[0] === OPENSHIFT_AUDIENCE) return true;
    unmapped.push(`FIC ${f.name} of ccoctl's identity ${identity.name} is not one ccoctl makes (issuer ${excerpt(f.issuer, 200)}, subject ${excerpt(f.subject)}, audiences ${excerpt(f.audiences)}): left as it is; Terraform does not manage it`);
    return false;
  }));
  const secret = found[0].secret;
  // the assignments ccoctl makes for each request (create_managed_identities.go): its roles and custom role at its scopes
  const made = new Set(
    input.requests.flatMap((r) => {
      const identity = ccoctlIdentityName(name, r);
      const roles = [...r.roleBindings, ...(r.permissions.length > 0 || r.dataPermissions.length > 0 ? [identity] : [])];
      const scopes = ccoctlRoleScopes(r, { installation, dnsZone: dnsZone ?? `${name}-dns` }).map((group) => `/subscriptions/${secret.subscriptionId}/resourceGroups/${group}`);
      return roles.flatMap((role) => scopes.map((scope) => `${identity}\u0000${roleAssignmentKey(role, scope)}`));
    }),
  );
  const assignmentsOf = (i: AzIdentity) =>
    roleAssignments.filter((r) => {
      if (r.principalId.toLowerCase() !== i.principalId.toLowerCase()) return false;
      if (made.has(`${i.name}\u0000${roleAssignmentKey(r.roleDefinitionName, r.scope)}`)) return true;
      unmapped.push(`role assignment ${excerpt(r.id, 240)} (${excerpt(r.roleDefinitionName)} of ccoctl's identity ${i.name}) is not one ccoctl makes for its CredentialsRequest: left as it is; Terraform does not manage it`);
      return false;
    });
  const kept = adopted.map((i) => ({ identity: i, assignments: assignmentsOf(i) }));
  const adopt = {
    identities: kept.map(({ identity, assignments }) => ({
      name: identity.name,
      clientId: identity.clientId,
      ...(assignments.length > 0 && { roleAssignments: assignments.map((r) => ({ role: r.roleDefinitionName, scope: r.scope, id: r.id })) }),
    })),
    ...(kept.some(({ assignments }) => assignments.some((r) => declared.has(r.roleDefinitionName))) && {
      // ccoctl names a request's custom role after its identity
      customRoles: [...new Map(kept.flatMap(({ assignments }) => assignments).filter((r) => declared.has(r.roleDefinitionName)).map((r) => [r.roleDefinitionName, r.roleDefinitionId]))].map(([role, id]) => ({ name: role, id })),
    }),
  };
  const entry = {
    name,
    platform: 'openshift-hive',
    openshiftHive: {
      baseDomain: 'example.com',
      baseDomainResourceGroup: dnsZone ?? `${name}-dns`,
      credentialsRequests: input.credentialsRequests,
      releaseImage: STARTER_RELEASE_IMAGE,
      publicKeyFile: input.publicKeyFile,
      ...(secret.region !== exports.location && { region: secret.region }),
      ...(issuer[1] !== name.replace(/-/g, '') && { storageAccount: issuer[1] }),
      ...(oidcGroup !== `${name}-oidc` && { oidcResourceGroup: oidcGroup }),
      ...(installation !== name && { installationResourceGroup: installation }),
      secrets: { mode: 'files', signingKeyFile: input.signingKeyFile, pullSecretFile: 'pull-secret.json', installerCredentialsFile: 'osServicePrincipal.json' },
      adopt,
    },
  };
  const comment = [
    ` ccoctl's cluster ${name} (${output.shown}): its groups, storage account ${issuer[1]}, ${adopted.length} identities, their FICs, custom roles and role`,
    ' assignments are imported on the first apply. The provider reads no blob back, so that apply rewrites the issuer\'s two documents once.',
    ` REPLACE: baseDomain and releaseImage (the installed cluster's), ${dnsZone ? '' : 'baseDomainResourceGroup (the DNS zone\'s group), '}and put the pull secret and the installer's`,
    ' service principal at the files secrets names (README "OpenShift on Hive"); synth reads them.',
  ].join('\n');
  const groups = [dnsZone ?? `${name}-dns`, ...(oidcGroup !== `${name}-oidc` ? [oidcGroup] : []), ...(installation !== name ? [installation] : [])];
  const ofAdopted = (id: string) => adopted.some((i) => id.toLowerCase().startsWith(`${i.id.toLowerCase()}/`));
  const counts = {
    identities: adopted.length,
    federatedCredentials: [...federatedCredentials].filter((f) => ofAdopted(f.id)).length,
    roleAssignments: kept.reduce((n, k) => n + k.assignments.length, 0),
  };
  return { name, issuerUrl: output.issuer, entry, groups, claimed: { identities, federatedCredentials, roleAssignments: new Set(roleAssignments) }, comment, counts };
}
