/**
 * An existing setup, as `az` prints it, turned into a fleet file: every identity, FIC and role assignment
 * that maps onto the fleet is adopted (synth writes a Terraform `import` block for it, so the first apply
 * imports it instead of creating it); what does not map is reported, never dropped.
 */
import { Document, YAMLMap } from 'yaml';
import { excerpt } from '../core/excerpt';
import { parseSubject } from '../core/names';
import { valueProblem } from '../core/values';
import type { AksShow } from '../check/aks-show';
import type { AzFederatedCredential, AzIdentity, AzRoleAssignment } from '../inputs/az-exports';
import { WEBHOOK_AUDIENCE } from '../model/constants';
import { adoptCcoctlCluster, CcoctlInput } from './adopt-ccoctl';

/** A cluster that is not AKS, known by its issuer (`--issuer <name>=<url>`): azwi's self-managed clusters, EKS, GKE. */
export interface IssuerCluster {
  readonly name: string;
  readonly issuerUrl: string;
}

export interface AdoptInputs {
  readonly identities: readonly AzIdentity[];
  readonly federatedCredentials: readonly AzFederatedCredential[];
  readonly roleAssignments: readonly AzRoleAssignment[];
  readonly aksClusters: readonly AksShow[];
  readonly issuerClusters: readonly IssuerCluster[];
  /** ccoctl output folders, each an OpenShift cluster. */
  readonly ccoctl: readonly CcoctlInput[];
  readonly fleetName: string;
}

/** The fleet file, and what could not be mapped (each a sentence naming the resource). */
export interface Adopted {
  readonly text: string;
  readonly unmapped: readonly string[];
  readonly counts: { readonly identities: number; readonly federatedCredentials: number; readonly roleAssignments: number; readonly clusters: number };
}

/** A cluster of the written fleet, with the issuer its FICs must carry byte for byte. */
interface AdoptedCluster {
  readonly name: string;
  readonly issuerUrl?: string;
  readonly entry: Record<string, unknown>;
  /** Its guesses, for the comment above it. */
  readonly comment?: string;
  readonly workloads: Array<Record<string, unknown>>;
}

// the identity a FIC is on: its id is `<identity id>/federatedIdentityCredentials/<name>`
const FIC_PARENT = /^(.*\/userAssignedIdentities\/[^/]+)\/federatedIdentityCredentials\/[^/]+$/i;
const SUBSCRIPTION = /^\/subscriptions\/([^/]+)\//i;

export function adoptFleet(inputs: AdoptInputs): Adopted {
  const unmapped: string[] = [];
  const first = inputs.identities[0];
  const location = first?.location ?? '';
  // a fleet is one subscription: the first identity's (the ARM ids of everything adopted are built in it)
  const subscription = SUBSCRIPTION.exec(first?.id ?? '')?.[1] ?? '';
  const inFleet = inputs.identities.filter((i) => SUBSCRIPTION.exec(i.id)?.[1]?.toLowerCase() === subscription.toLowerCase());
  for (const i of inputs.identities.filter((x) => !inFleet.includes(x))) {
    unmapped.push(`identity ${i.name} (${excerpt(i.id, 240)}) is in another subscription than the fleet's ${subscription} (the first identity's): adopt each subscription into a fleet of its own`);
  }
  // ccoctl's identities, FICs and role assignments are its cluster entry's, not the fleet's
  const openshift = inputs.ccoctl.flatMap((c) => adoptCcoctlCluster(c, { ...inputs, identities: inFleet, location }, unmapped) ?? []);
  const claimed = <T>(items: readonly T[], of: (c: (typeof openshift)[number]) => ReadonlySet<T>) => items.filter((x) => !openshift.some((c) => of(c).has(x)));
  const identities = claimed(inFleet, (c) => c.claimed.identities);
  const federatedCredentials = claimed(inputs.federatedCredentials, (c) => c.claimed.federatedCredentials);
  const roleAssignments = claimed(inputs.roleAssignments, (c) => c.claimed.roleAssignments);
  const clusters: AdoptedCluster[] = [
    ...inputs.aksClusters.map(aksCluster),
    ...inputs.issuerClusters.map(issuerCluster),
    ...openshift.map((c) => ({ name: c.name, issuerUrl: c.issuerUrl, entry: c.entry, comment: c.comment, workloads: [] })),
  ];
  const byIssuer = new Map(clusters.flatMap((c) => (c.issuerUrl !== undefined ? [[c.issuerUrl, c] as const] : [])));
  for (const aks of inputs.aksClusters.filter((c) => c.issuerUrl === undefined)) {
    unmapped.push(`AKS cluster ${aks.name} (${aks.file}) has no OIDC issuer, so no FIC can be for it: it is declared, and synth writes the script that turns its issuer on`);
  }

  const roles = new Map<AzIdentity, Array<Record<string, unknown>>>();
  let adoptedRoles = 0;
  for (const r of roleAssignments) {
    const identity = identities.find((i) => i.principalId.toLowerCase() === r.principalId.toLowerCase());
    if (!identity) continue; // a role of another principal (or ccoctl's identities'): none of the fleet's business
    const what = `role assignment ${excerpt(r.id, 200)} (${excerpt(r.roleDefinitionName)} of identity ${identity.name})`;
    if (!SUBSCRIPTION.test(r.scope) || valueProblem('armScope', r.scope) !== undefined) {
      unmapped.push(`${what} has scope ${excerpt(r.scope, 200)}, above any subscription (a fleet grants roles in its subscriptions only): left as it is`);
      continue;
    }
    roles.set(identity, [...(roles.get(identity) ?? []), { role: r.roleDefinitionName, scope: r.scope, adopt: r.id }]);
    adoptedRoles++;
  }

  const byId = new Map(identities.map((i) => [i.id.toLowerCase(), i]));
  const federated = new Set<string>();
  const ficsRead = new Set<AzIdentity>();
  let adoptedFics = 0;
  for (const f of federatedCredentials) {
    const parent = FIC_PARENT.exec(f.id)?.[1];
    const identity = parent ? byId.get(parent.toLowerCase()) : undefined;
    if (identity) ficsRead.add(identity);
    const cluster = byIssuer.get(f.issuer);
    const subject = parseSubject(f.subject);
    const key = cluster && subject ? `${cluster.name}\u0000${subject.namespace}\u0000${subject.name}` : '';
    const problem = !identity
      ? 'is on no identity adopted here (none of --identities, or one in another subscription)'
      : !cluster
        ? `has issuer ${excerpt(f.issuer, 200)}, which is no cluster's (--aks-show, --issuer): a cluster not declared, a recreated cluster's old issuer, or another token issuer such as GitHub Actions`
        : !subject
          ? `has subject ${excerpt(f.subject)}, which is no Kubernetes service account`
          : f.audiences.length !== 1 || f.audiences[0] !== WEBHOOK_AUDIENCE
            ? `has audiences ${excerpt(f.audiences)}, not the webhook's ${WEBHOOK_AUDIENCE} alone`
            : federated.has(key)
              ? `federates service account ${subject.namespace}/${subject.name} of cluster ${cluster.name}, which another FIC already does (one identity per service account)`
              : undefined;
    if (problem) {
      unmapped.push(`FIC ${f.name} (${excerpt(f.id, 240)}) ${problem}: left as it is, outside the fleet`);
      continue;
    }
    federated.add(key);
    cluster!.workloads.push({ namespace: subject!.namespace, serviceAccount: subject!.name, identity: identity!.name, adopt: { federatedCredential: f.name } });
    adoptedFics++;
  }
  for (const i of identities) {
    if (!ficsRead.has(i)) unmapped.push(`identity ${i.name}: no FIC of it was read; if it has FICs, pass \`az identity federated-credential list --identity-name ${i.name} -g ${i.resourceGroup} --output json\` with --federated-credentials, or the first apply cannot create them beside the ones that exist`);
  }

  const groups = [...new Set([...identities.map((i) => i.resourceGroup), ...inputs.aksClusters.map((c) => c.resourceGroup), ...openshift.flatMap((c) => c.groups)])].sort();
  const doc = new Document({
    name: inputs.fleetName,
    azure: { tenantId: first?.tenantId ?? '', subscriptionId: subscription, location },
    resourceGroups: groups.map((name) => ({ name, existing: true })),
    ...(identities.length > 0 && { identities: identities.map((i) => ({
      name: i.name,
      resourceGroup: i.resourceGroup,
      ...(i.location !== location && { location: i.location }),
      adopt: { clientId: i.clientId },
      ...(roles.has(i) && { roles: roles.get(i) }),
    })) }),
    clusters: clusters.map((c) => ({ ...c.entry, ...(c.workloads.length > 0 && { workloads: c.workloads }) })),
  });
  doc.commentBefore =
    ' Written by `wisynth adopt` from what `az` printed of an existing setup. Adopted resources are imported\n' +
    ' by the first `terraform apply` (synth writes an import block for each) and managed by Terraform from then on.\n' +
    ' Read it before you apply: each guess is marked, and what did not map is listed at the end.';
  comment(doc, ['resourceGroups'], groups.length > 0 && ' guessed: groups made outside the fleet stay outside it (existing: true); Terraform never deletes them');
  identities.forEach((i, n) => {
    const tags = Object.entries(i.tags);
    comment(doc, ['identities', n], tags.length > 0 && ` has tags in Azure (${tags.map(([k, v]) => `${excerpt(k)}: ${excerpt(v)}`).join(', ')}): the fleet's tags replace them on the first apply (an update in place); put them under tags to keep them`);
  });
  clusters.forEach((c, n) => comment(doc, ['clusters', n], c.comment));
  if (unmapped.length > 0) doc.comment = [' Not adopted (left as it is):', ...unmapped.map((u) => ` - ${u}`)].join('\n');
  return {
    text: doc.toString({ lineWidth: 0 }),
    unmapped,
    counts: {
      identities: identities.length + openshift.reduce((n, c) => n + c.counts.identities, 0),
      federatedCredentials: adoptedFics + openshift.reduce((n, c) => n + c.counts.federatedCredentials, 0),
      roleAssignments: adoptedRoles + openshift.reduce((n, c) => n + c.counts.roleAssignments, 0),
      clusters: clusters.length,
    },
  };
}

function aksCluster(c: AksShow): AdoptedCluster {
  const name = clusterName(c.name);
  return {
    name,
    issuerUrl: c.issuerUrl,
    entry: { name, platform: 'aks', aks: { existing: { resourceGroup: c.resourceGroup, ...(name !== c.name && { name: c.name }) } } },
    comment: name !== c.name ? ` guessed: named ${name}, since a fleet's cluster name is lowercase letters, digits and "-" (aks.existing.name keeps ${c.name})` : undefined,
    workloads: [],
  };
}

// a self-managed cluster keeps its issuer and its hosting as they are: external-issuer declares exactly that
function issuerCluster(c: IssuerCluster): AdoptedCluster {
  return {
    name: c.name,
    issuerUrl: c.issuerUrl,
    entry: { name: c.name, platform: 'external-issuer', externalIssuer: { issuerUrl: c.issuerUrl } },
    comment: ' guessed: the issuer stays hosted as it is (external-issuer): wisynth writes its FICs and the webhook, and never touches its documents',
    workloads: [],
  };
}

/** A cluster name of the fleet for an Azure name (AKS allows capitals and `_`). */
function clusterName(azureName: string): string {
  const name = azureName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'cluster' : name.slice(0, 63).replace(/-+$/, '');
}

function comment(doc: Document, path: Array<string | number>, text: string | false | undefined): void {
  const node = doc.getIn(path, true) as YAMLMap | undefined;
  if (node && text) node.commentBefore = text;
}
