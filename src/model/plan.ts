import { chooseStackLayout, planStacks } from './stack-plan';
import * as path from 'path';
import { Cluster } from './cluster';
import { byCodePoint } from '../core/compare';
import { OUTPUT_NAMES, serviceAccountSubject } from '../core/names';
import { previousIssuerFederatedCredential, workloadFederatedCredential } from './federated-credentials';
import { planRoleAssignments } from './role-assignments';
import { logicalId } from './logical-id';
import { excerpt } from '../core/excerpt';
import { MAX_ISSUER_LENGTH, VALUE_RULES, ValueKind, valueProblem } from '../core/values';
import { CloudEndpoints, CLOUDS, keyVaultUri, MAX_FICS_PER_IDENTITY, ROLE_KEY_VAULT_SECRETS_USER, TOKEN_EXPIRATION_DEFAULT, TOKEN_EXPIRATION_MAX, TOKEN_EXPIRATION_MIN, VERIFY_IMAGE_DEFAULT } from './constants';
import { Fleet } from './fleet';
import { mergeTags, TAG_LIMITS, tagProblem, Tags } from './tags';
import { BackendPlan, ClusterPlan, ClusterPlanBase, FederatedCredentialPlan, FleetPlan, IdentityPlan, KeyVaultPlan, PlannedValue, ResourceGroupPlan, ServiceAccountPlan, VerificationPlan } from './fleet-plan';
import { FleetError, FleetIssue, formatSourcePath, issueAt, sourceOf } from './issues';
import { IKeyVault, KeyVault } from './key-vault';
import { IManagedIdentity, IWorkloadIdentity, ManagedIdentity } from './managed-identity';
import { EntraApplication } from './entra-application';
import { NameKind, nameProblem } from './names';
import { IResourceGroup, ResourceGroup } from './resource-group';
import type { PublicSigningKey } from '../oidc/keys';
import { IConstruct } from 'constructs';
import type { CredentialsRequestSet } from './fleet-plan';
import type { PlanContext } from './plan-context';
import { declaredOutputs, OutputBook, OutputValues } from './plan-outputs';
import { PlannedFleet, platformModelOf, PlatformModels } from './platform-model';

export interface PlanOptions {
  /** Terraform outputs already known (from `synth --outputs`), by output name. */
  readonly outputs?: OutputValues;
  /** Public keys of self-managed clusters, by file as written in the fleet (see `loadServiceAccountKeys`). */
  readonly keys?: ReadonlyMap<string, PublicSigningKey>;
  /** CredentialsRequests of OpenShift clusters, by cluster name (see `loadCredentialsRequests`). */
  readonly credentialsRequests?: ReadonlyMap<string, CredentialsRequestSet>;
  /** The line of each OpenShift cluster's `sshKey` file, by cluster name (see `loadSshKeys`). */
  readonly sshKeys?: ReadonlyMap<string, string>;
  /**
   * The caller has already reported every key file and CredentialsRequests folder it could not read, so a
   * missing one is not reported again (the plan goes on, to report its own problems in the same run).
   * @default false
   */
  readonly inputsReported?: boolean;
}

/** Entra's limit on a FIC's issuer, subject and audience (Entra's workload identity federation considerations, learn.microsoft.com entra/workload-id/workload-identity-federation-considerations). */
const MAX_FIC_FIELD = MAX_ISSUER_LENGTH;

/** Where a construct stands, as its author knows it: a place in the fleet file, or its construct path. */
function placeOf(construct: IConstruct): string {
  const source = sourceOf(construct);
  return source ? formatSourcePath(source) : construct.node.path;
}

/** How a message names a field: its last key and the indexes after it (`publicKeyFiles[0]`). */
function fieldName(field: ReadonlyArray<string | number>): string | undefined {
  const last = field.map((part) => typeof part === 'string').lastIndexOf(true);
  return last < 0 ? undefined : formatSourcePath(field.slice(last));
}

/**
 * Resolves a fleet once: names, ARM IDs, issuers, FIC edges and the values both sides share.
 * Throws a FleetError listing every problem Entra or Azure would refuse, before anything is written.
 */
export function planFleetWith(platforms: PlatformModels, fleet: Fleet, options: PlanOptions = {}): FleetPlan {
  return new Planner(platforms, fleet, options.outputs ?? new Map(), options.keys ?? new Map(), options.credentialsRequests ?? new Map(), options.sshKeys ?? new Map(), options.inputsReported ?? false).plan();
}

class Planner implements PlanContext {
  private readonly issues: FleetIssue[] = [];
  private identities: readonly IWorkloadIdentity[] = [];
  /** Identities a platform makes on its own (one per OpenShift CredentialsRequest). */
  private readonly platformIdentities: Array<{ readonly plan: IdentityPlan; readonly owner: IConstruct }> = [];
  private readonly outputs: OutputBook;
  /** Warnings of the platform planners (`PlanContext.warn`), after the fleet's own. */
  private readonly planWarnings: string[] = [];
  /** Roles implied by the fleet rather than granted by hand (a verification pod reads its vault). */
  private readonly impliedGrants: Array<{ identity: IWorkloadIdentity; role: string; vault: IKeyVault }> = [];
  private readonly sub: string;
  /** The clusters whose own resource groups these are (an OpenShift cluster's OIDC and installation groups). */
  private groupOwners = new Map<IResourceGroup, Cluster[]>();
  private groups: readonly IResourceGroup[] = [];

  constructor(
    private readonly platforms: PlatformModels,
    private readonly fleet: Fleet,
    given: OutputValues,
    private readonly keys: ReadonlyMap<string, PublicSigningKey>,
    private readonly credentialsRequests: ReadonlyMap<string, CredentialsRequestSet>,
    private readonly sshKeys: ReadonlyMap<string, string>,
    private readonly inputsReported: boolean,
  ) {
    this.sub = fleet.azure.subscriptionId;
    this.outputs = new OutputBook(given);
  }

  knownBeforeApply(output: string, value: string): PlannedValue {
    return this.outputs.knownBeforeApply(output, value);
  }

  afterApply(output: string): PlannedValue {
    return this.outputs.afterApply(output);
  }

  usePending(value: PlannedValue, where: string): void {
    this.outputs.usePending(value, where);
  }

  plan(): FleetPlan {
    const fleet = this.fleet;
    const groups = fleet.membersOf(ResourceGroup);
    const identities = fleet.membersOf<IWorkloadIdentity>(ManagedIdentity, EntraApplication);
    this.identities = identities;
    const vaults = fleet.membersOf(KeyVault);
    const clusters = fleet.membersOf(Cluster);

    this.checkFleet();
    this.checkTags(fleet, fleet.tags);
    for (const c of clusters) this.checkTags(c, c.tags);
    this.groups = groups;
    this.groupOwners = this.ownersOfGroups(clusters);
    this.checkUnique(groups, (g) => g.groupName.toLowerCase(), 'resource group');
    this.checkUnique(identities, (i) => identityKey(i), 'identity');
    this.checkUnique(vaults, (v) => v.vaultName.toLowerCase(), 'key vault');
    this.checkUnique(clusters, (c) => c.clusterName, 'cluster');
    this.checkPlatformNames(clusters);

    const resourceGroups = groups.map((g) => this.planResourceGroup(g));
    const identityPlans = identities.map((i) => this.planIdentity(i, groups));
    const keyVaults = vaults.map((v) => this.planKeyVault(v, groups));
    const fics: FederatedCredentialPlan[] = [];
    const clusterPlans = clusters.map((c) => this.planCluster(c, identities, vaults, keyVaults, fics));
    this.addPlatformIdentities(identityPlans);
    const plans = new Map(clusters.map((c, i) => [c, clusterPlans[i]]));
    const planned: PlannedFleet = { clusters, clusterPlans, identityPlans, keyVaults: vaults, keyVaultPlans: keyVaults, planOf: (c) => plans.get(c) };
    for (const model of this.platforms.values()) {
      const own = clusters.flatMap((cluster, i) => (cluster.platform === model.name ? [{ cluster, plan: clusterPlans[i] }] : []));
      if (own.length > 0 && model.planAcross) fics.push(...model.planAcross(own, planned, this));
    }
    dropCoveredPreviousIssuerFics(fics);
    this.checkFicLimits(fics, identities);
    const roleAssignments = planRoleAssignments(this, { identities, vaults, groups, impliedGrants: this.impliedGrants });
    const outputs = declaredOutputs(identityPlans, clusterPlans);
    const outputWarnings = this.outputs.check(outputs, this.issues);

    if (this.issues.length > 0) {
      throw new FleetError(this.issues);
    }
    const federated = new Set(fics.map((f) => f.identity));
    const nodeIdentities = new Set(clusterPlans.flatMap((c) => c.capz?.workloadClusters.map((w) => w.nodeIdentity) ?? []));
    const warnings = [
      ...identityPlans
        .filter((i) => !federated.has(i.name) && !nodeIdentities.has(i.name))
        .map((i) => `identity "${i.name}" is declared but no workload uses it`),
      ...outputWarnings,
      ...this.planWarnings,
    ];

    return {
      name: fleet.fleetName,
      stacks: planStacks(fleet.fleetName, chooseStackLayout(fleet.stackLayout, clusterPlans.length), clusterPlans, identityPlans, fics),
      tenantId: fleet.azure.tenantId,
      subscriptionId: this.sub,
      location: fleet.azure.location,
      cloud: fleet.azure.cloud,
      endpoints: this.endpoints,
      backend: this.planBackend(),
      resourceGroups,
      identities: identityPlans,
      keyVaults,
      clusters: clusterPlans,
      federatedCredentials: fics,
      roleAssignments,
      outputs: outputs.map(({ name, description }) => ({ name, description })),
      pending: this.outputs.pending(),
      resolvedOutputs: this.outputs.resolvedOutputs(),
      warnings,
    };
  }

  get subscriptionId(): string {
    return this.sub;
  }

  get tenantId(): string {
    return this.fleet.azure.tenantId;
  }

  get location(): string {
    return this.fleet.azure.location;
  }

  missingInput(construct: IConstruct, field: Array<string | number>, message: string, fix: string): void {
    if (!this.inputsReported) this.issue(construct, field, message, fix);
  }

  warn(message: string): void {
    this.planWarnings.push(message);
  }

  issue(construct: IConstruct, field: Array<string | number>, message: string, fix: string): void {
    this.issues.push(issueAt(construct, field, message, fix));
  }

  /** ARM id of a resource group, or of a resource in it. */
  armId(group: string, resource?: string): string {
    const base = `/subscriptions/${this.sub}/resourceGroups/${group}`;
    return resource ? `${base}/providers/${resource}` : base;
  }

  logicalId(kind: string, ...parts: string[]): string {
    return logicalId(kind, ...parts);
  }

  checkName(construct: IConstruct, field: Array<string | number>, kind: NameKind, name: string): void {
    const problem = nameProblem(kind, name);
    if (problem) this.issue(construct, field, problem, `rename it to follow the ${kind} rule: ${VALUE_RULES[kind].rule}`);
  }

  checkValue(construct: IConstruct, field: Array<string | number>, kind: ValueKind, value: unknown, fix?: string): boolean {
    const reason = valueProblem(kind, value);
    if (reason === undefined) return true;
    this.issue(construct, field, `${fieldName(field) ?? VALUE_RULES[kind].what} ${excerpt(value)} ${reason}`, fix ?? `use ${VALUE_RULES[kind].rule}`);
    return false;
  }

  private checkFleet(): void {
    const { fleet } = this;
    this.checkName(fleet, ['name'], 'stackName', fleet.fleetName);
    this.checkValue(fleet, ['azure', 'tenantId'], 'guid', fleet.azure.tenantId, 'use the directory id from `az account show --query tenantId`');
    this.checkValue(fleet, ['azure', 'subscriptionId'], 'guid', this.sub, 'use the id from `az account show --query id`');
    this.checkValue(fleet, ['azure', 'location'], 'region', fleet.azure.location);
    if (!(fleet.azure.cloud in CLOUDS)) {
      this.issue(fleet, ['azure', 'cloud'], `cloud "${fleet.azure.cloud}" is unknown`, `use one of: ${Object.keys(CLOUDS).join(', ')}`);
    }
  }

  private checkUnique<T extends IConstruct>(items: T[], key: (t: T) => string, what: string, field: Array<string | number> = ['name']): void {
    const seen = new Map<string, T>();
    for (const item of items) {
      const k = key(item);
      const first = seen.get(k);
      if (first) {
        this.issue(item, field, `${what} "${k}" is declared twice (also at ${placeOf(first)})`, `give each ${what} its own name, or remove one`);
      } else {
        seen.set(k, item);
      }
    }
  }

  checkDeclared(construct: IConstruct, field: Array<string | number>, group: IResourceGroup, groups: readonly IResourceGroup[] = this.groups): void {
    if (!groups.includes(group)) {
      this.issue(construct, field, `resource group "${group.groupName}" is not declared`, 'declare it under resourceGroups (with existing: true if it exists already)');
    }
  }

  private planBackend(): BackendPlan {
    const b = this.fleet.backend;
    const field = (name: string) => ['terraform', 'backend', name];
    if (b.type === 'local') {
      if (b.path !== undefined) this.checkValue(this.fleet, field('path'), 'filePath', b.path);
      return { type: 'local', stateDir: path.resolve(this.fleet.baseDir, b.path ?? 'terraform-state') };
    }
    this.checkName(this.fleet, field('resourceGroupName'), 'resourceGroup', b.resourceGroupName);
    this.checkName(this.fleet, field('storageAccountName'), 'storageAccount', b.storageAccountName);
    this.checkName(this.fleet, field('containerName'), 'blobContainer', b.containerName);
    if (b.keyPrefix !== undefined) this.checkValue(this.fleet, field('keyPrefix'), 'blobNamePrefix', b.keyPrefix);
    return {
      type: 'azurerm',
      resourceGroupName: b.resourceGroupName,
      storageAccountName: b.storageAccountName,
      containerName: b.containerName,
      keyPrefix: b.keyPrefix ?? '',
    };
  }

  private planResourceGroup(g: ResourceGroup): ResourceGroupPlan {
    this.checkName(g, ['name'], 'resourceGroup', g.groupName);
    // a location equal to its default was checked where it came from
    if (g.location !== this.fleet.azure.location) this.checkValue(g, ['location'], 'region', g.location);
    const owners = this.groupOwners.get(g) ?? [];
    return {
      name: g.groupName,
      location: g.location,
      existing: g.existing,
      armId: this.armId(g.groupName),
      logicalId: logicalId('rg', g.groupName),
      tags: this.resourceTags(g, `resource group ${g.groupName}`, owners),
      ...(g.adopted && !g.existing && { importId: this.armId(g.groupName) }),
    };
  }

  /** Tags of a resource made for one cluster: the fleet's, the cluster's over them, and its platform's own. */
  clusterTags(c: Cluster): Tags {
    return mergeTags(this.fleet.tags, c.tags, platformModelOf(this.platforms, c).ownTags?.(c));
  }

  /** The groups that belong to one cluster alone (an OpenShift cluster's OIDC and installation groups), with their clusters. */
  private ownersOfGroups(clusters: readonly Cluster[]): Map<IResourceGroup, Cluster[]> {
    const owners = new Map<IResourceGroup, Cluster[]>();
    for (const c of clusters) {
      for (const g of new Set(platformModelOf(this.platforms, c).ownResourceGroups?.(c))) owners.set(g, [...(owners.get(g) ?? []), c]);
    }
    return owners;
  }

  /** The names platforms make unique across the fleet (an issuer's storage account), each by what it is. */
  private checkPlatformNames(clusters: readonly Cluster[]): void {
    const seen = new Map<string, Cluster>();
    for (const c of clusters) {
      for (const { what, key, field } of platformModelOf(this.platforms, c).uniqueNames?.(c) ?? []) {
        const first = seen.get(`${what}\0${key}`);
        if (first) this.issue(c, field, `${what} "${key}" is declared twice (also at ${placeOf(first)})`, `give each ${what} its own name, or remove one`);
        else seen.set(`${what}\0${key}`, c);
      }
    }
  }

  publicKey(file: string): PublicSigningKey | undefined {
    return this.keys.get(file);
  }

  credentialsRequestsOf(cluster: string): CredentialsRequestSet | undefined {
    return this.credentialsRequests.get(cluster);
  }

  sshKeyOf(cluster: string): string | undefined {
    return this.sshKeys.get(cluster);
  }

  /**
   * The tags of one resource: the fleet's, and those of the clusters it is made for (none for a shared
   * resource). Two clusters that give one shared group different values of a tag are an issue.
   */
  resourceTags(construct: IConstruct, what: string, owners: readonly Cluster[] = []): Tags {
    const sources = owners.map((c) => this.clusterTags(c));
    for (const [i, a] of sources.entries()) {
      for (const b of sources.slice(i + 1)) {
        for (const name of Object.keys(a)) {
          if (name in b && a[name] !== b[name]) {
            this.issue(construct, ['name'], `${what} is shared by clusters whose tags give "${name}" the values "${a[name]}" and "${b[name]}"`, 'give the tag one value, or give each cluster a group of its own');
          }
        }
      }
    }
    const tags = mergeTags(this.fleet.tags, ...sources);
    if (Object.keys(tags).length > TAG_LIMITS.count) {
      this.issue(construct, ['name'], `${what} would carry ${Object.keys(tags).length} tags; Azure allows ${TAG_LIMITS.count} on a resource`, 'use fewer fleet or cluster tags');
    }
    return tags;
  }

  private checkTags(construct: IConstruct, tags: Tags): void {
    for (const [name, value] of Object.entries(tags)) {
      const problem = tagProblem(name, value);
      if (problem) this.issue(construct, ['tags', name], problem, 'tag names of at most 128 characters without < > % & \\ ? /, and string values of at most 256 characters');
    }
  }

  private planIdentity(i: IWorkloadIdentity, groups: readonly IResourceGroup[]): IdentityPlan {
    this.checkName(i, ['name'], 'identity', i.identityName);
    const clientIdOutput = OUTPUT_NAMES.identityClientId(i.identityName);
    const shared = {
      name: i.identityName,
      existing: i.existing,
      logicalId: logicalId(i.kind === 'application' ? 'application' : 'identity', i.identityName),
      clientId: this.knownClientId(i, clientIdOutput),
      clientIdOutput,
      principalIdOutput: OUTPUT_NAMES.identityPrincipalId(i.identityName),
    };
    if (i instanceof EntraApplication) {
      if (i.existingClientId !== undefined) this.checkValue(i, ['existing', 'clientId'], 'guid', i.existingClientId, 'use `az ad app show --id <client id> --query appId`');
      if (i.existingObjectId !== undefined) this.checkValue(i, ['existing', 'objectId'], 'guid', i.existingObjectId, 'use `az ad app show --id <client id> --query id`');
      return { ...shared, kind: 'application', ...(i.existingObjectId !== undefined && { objectId: i.existingObjectId }), tags: {} };
    }
    if (!(i instanceof ManagedIdentity)) throw new Error(`identity ${i.node.path} is of no kind the planner knows`);
    this.checkDeclared(i, ['resourceGroup'], i.resourceGroup, groups);
    if (i.existingClientId !== undefined) this.checkValue(i, [i.adopted ? 'adopt' : 'existing', 'clientId'], 'guid', i.existingClientId, 'use `az identity show -g <group> -n <name> --query clientId`');
    if (i.location !== i.resourceGroup.location) this.checkValue(i, ['location'], 'region', i.location);
    return {
      ...shared,
      kind: 'managedIdentity',
      resourceGroup: i.resourceGroup.groupName,
      location: i.location,
      armId: this.identityArmId(i),
      ...(i.adopted && { importId: this.identityArmId(i) }),
      tags: this.resourceTags(i, `identity ${i.identityName}`),
    };
  }

  private planKeyVault(v: KeyVault, groups: readonly IResourceGroup[]): KeyVaultPlan {
    this.checkName(v, ['name'], 'keyVault', v.vaultName);
    this.checkDeclared(v, ['resourceGroup'], v.resourceGroup, groups);
    if (v.location !== v.resourceGroup.location) this.checkValue(v, ['location'], 'region', v.location);
    if (!Number.isInteger(v.softDeleteRetentionDays) || v.softDeleteRetentionDays < 7 || v.softDeleteRetentionDays > 90) {
      this.issue(v, ['softDeleteRetentionDays'], `softDeleteRetentionDays ${v.softDeleteRetentionDays} is outside 7-90`, 'use a whole number of days from 7 to 90');
    }
    return {
      name: v.vaultName,
      resourceGroup: v.resourceGroup.groupName,
      location: v.location,
      existing: v.existing,
      armId: this.vaultArmId(v),
      logicalId: logicalId('keyvault', v.vaultName),
      uri: keyVaultUri(v.vaultName, this.endpoints),
      sku: v.sku,
      softDeleteRetentionDays: v.softDeleteRetentionDays,
      deployerIsSecretsOfficer: v.deployerIsSecretsOfficer,
      tags: this.resourceTags(v, `key vault ${v.vaultName}`),
    };
  }

  private planCluster(
    c: Cluster,
    identities: readonly IWorkloadIdentity[],
    vaults: readonly IKeyVault[],
    vaultPlans: KeyVaultPlan[],
    fics: FederatedCredentialPlan[],
  ): ClusterPlan {
    this.checkName(c, ['name'], 'clusterName', c.clusterName);
    const platform = platformModelOf(this.platforms, c).plan(c, this);
    const { issuer } = platform;
    this.platformIdentities.push(...(platform.identities ?? []).map((plan) => ({ plan, owner: c })));
    fics.push(...(platform.federatedCredentials ?? []));

    const serviceAccounts: ServiceAccountPlan[] = [];
    const verifications: VerificationPlan[] = [];
    const namespaces = new Set<string>(platform.namespaces);
    const bySubject = new Map<string, IConstruct>();
    const previousIssuers = platform.previousIssuers ?? [];
    const federate = (identity: IWorkloadIdentity, namespace: string, serviceAccount: string, adopt?: { readonly name: string; readonly construct: IConstruct }) => {
      const fic = workloadFederatedCredential(c.clusterName, issuer, identity.identityName, namespace, serviceAccount);
      fics.push(adopt ? this.adoptedCredential(fic, identity, adopt.name, adopt.construct) : fic);
      for (const previous of previousIssuers) fics.push(previousIssuerFederatedCredential(c.clusterName, previous, identity.identityName, namespace, serviceAccount));
    };
    for (const sa of platform.serviceAccounts ?? []) {
      bySubject.set(serviceAccountSubject(sa.namespace, sa.name), c);
      federate(sa.identity, sa.namespace, sa.name);
    }
    for (const w of c.workloads) {
      this.checkName(w, ['namespace'], 'namespace', w.namespace);
      this.checkName(w, ['serviceAccount'], 'serviceAccount', w.serviceAccount);
      const subject = serviceAccountSubject(w.namespace, w.serviceAccount);
      const other = bySubject.get(subject);
      if (other) {
        this.issue(w, ['serviceAccount'], `service account ${w.namespace}/${w.serviceAccount} of cluster "${c.clusterName}" is declared twice (also at ${placeOf(other)}); it can carry only one client-id`, 'keep one workload per service account; grant its identity every role it needs');
        continue;
      }
      bySubject.set(subject, w);
      if (!identities.includes(w.identity)) {
        this.issue(w, ['identity'], `identity "${w.identity.identityName}" is not declared`, `declare it under identities, or use one of: ${identities.map((i) => i.identityName).join(', ') || '(none declared)'}`);
        continue;
      }
      const expiration = w.tokenExpirationSeconds;
      if (expiration !== undefined && (!Number.isInteger(expiration) || expiration < TOKEN_EXPIRATION_MIN || expiration > TOKEN_EXPIRATION_MAX)) {
        this.issue(w, ['tokenExpirationSeconds'], `tokenExpirationSeconds ${expiration} is outside ${TOKEN_EXPIRATION_MIN}-${TOKEN_EXPIRATION_MAX}`, `use whole seconds from ${TOKEN_EXPIRATION_MIN} to ${TOKEN_EXPIRATION_MAX}, or leave it out for ${TOKEN_EXPIRATION_DEFAULT}`);
      }
      if (subject.length > MAX_FIC_FIELD) {
        this.issue(w, ['serviceAccount'], `subject "${subject}" is longer than ${MAX_FIC_FIELD} characters`, 'shorten the namespace or service account name');
      }
      if (w.createNamespace) namespaces.add(w.namespace);

      const clientId = this.clientIdOf(w.identity, `kubernetes/${c.clusterName}: ${w.namespace}/${w.serviceAccount} client-id`);
      serviceAccounts.push({
        namespace: w.namespace,
        name: w.serviceAccount,
        identity: w.identity.identityName,
        clientId,
        tenantId: this.fleet.azure.tenantId,
        tokenExpirationSeconds: expiration !== undefined && expiration !== TOKEN_EXPIRATION_DEFAULT ? expiration : undefined,
      });
      federate(w.identity, w.namespace, w.serviceAccount, w.adoptFederatedCredential !== undefined ? { name: w.adoptFederatedCredential, construct: w } : undefined);

      if (w.verify) {
        if (w.verify.image !== undefined) this.checkValue(w, ['verify', 'image'], 'imageReference', w.verify.image);
        this.checkName(w, ['verify', 'secretName'], 'keyVaultSecret', w.verify.secretName);
        if (!vaults.includes(w.verify.keyVault)) {
          this.issue(w, ['verify', 'keyVault'], `key vault "${w.verify.keyVault.vaultName}" is not declared`, `declare it under keyVaults, or use one of: ${vaults.map((v) => v.vaultName).join(', ') || '(none declared)'}`);
        } else {
          this.impliedGrants.push({ identity: w.identity, role: ROLE_KEY_VAULT_SECRETS_USER, vault: w.verify.keyVault });
          verifications.push({
            namespace: w.namespace,
            serviceAccount: w.serviceAccount,
            name: `verify-${w.serviceAccount}`.slice(0, 63).replace(/[-.]+$/, ''),
            image: w.verify.image ?? VERIFY_IMAGE_DEFAULT,
            keyVaultUrl: vaultPlans[vaults.indexOf(w.verify.keyVault)].uri,
            secretName: w.verify.secretName,
          });
        }
      }
    }
    const byName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
      byCodePoint(a.namespace, b.namespace) || byCodePoint(a.name, b.name);
    const base: ClusterPlanBase = {
      name: c.clusterName,
      tenantId: this.fleet.azure.tenantId,
      authorityHost: this.endpoints.authorityHost,
      issuer,
      previousIssuers,
      namespaces: [...namespaces].sort(byCodePoint),
      serviceAccounts: serviceAccounts.sort(byName),
      verifications: verifications.sort(byName),
    };
    return { ...base, ...platform.part };
  }

  /** The cloud's endpoints; an unknown cloud is reported by checkFleet, and planned as the public one. */
  get endpoints(): CloudEndpoints {
    return CLOUDS[this.fleet.azure.cloud] ?? CLOUDS.public;
  }

  /**
   * A FIC that exists on an adopted identity under its own name: Terraform imports it from its ARM id
   * (`<identity>/federatedIdentityCredentials/<name>`), and the name must stay, since a FIC's name forces a new one.
   */
  private adoptedCredential(fic: FederatedCredentialPlan, identity: IWorkloadIdentity, name: string, construct: IConstruct): FederatedCredentialPlan {
    if (!(identity instanceof ManagedIdentity) || !identity.adopted) {
      this.issue(construct, ['adopt', 'federatedCredential'], `identity "${identity.identityName}" is not adopted, so no FIC of it is imported`, 'adopt the identity (adopt: true) or leave adopt out: the FIC is then created');
      return fic;
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/.test(name)) {
      this.issue(construct, ['adopt', 'federatedCredential'], `FIC name ${excerpt(name)} is no name Entra gives a FIC`, 'copy it from `az identity federated-credential list --identity-name <identity> -g <group> --query [].name`: 3-120 letters, digits, "-" and "_"');
      return fic;
    }
    return { ...fic, name, importId: `${this.identityArmId(identity)}/federatedIdentityCredentials/${name}` };
  }

  checkIdentity(construct: IConstruct, field: Array<string | number>, identity: IWorkloadIdentity): boolean {
    if (this.identities.includes(identity)) return true;
    const known = this.identities.map((i) => i.identityName).join(', ') || '(none declared)';
    this.issue(construct, field, `identity "${identity.identityName}" is not declared`, `declare it under identities, or use one of: ${known}`);
    return false;
  }

  clientIdOf(identity: IWorkloadIdentity, usedBy: string): PlannedValue {
    const clientId = this.afterApplyOf(identity);
    this.usePending(clientId, usedBy);
    return clientId;
  }

  identityArmId(identity: IManagedIdentity): string {
    return this.armId(identity.resourceGroup.groupName, `Microsoft.ManagedIdentity/userAssignedIdentities/${identity.identityName}`);
  }

  /** An identity's client id: the existing one's, an adopted one's (its output known before apply), or its output's after apply. */
  private knownClientId(i: IWorkloadIdentity, output: string): PlannedValue {
    if (i.existingClientId === undefined) return this.afterApply(output);
    return i instanceof ManagedIdentity && i.adopted ? this.knownBeforeApply(output, i.existingClientId) : { value: i.existingClientId, pending: false };
  }

  private afterApplyOf(identity: IWorkloadIdentity): PlannedValue {
    return identity.existingClientId !== undefined
      ? { value: identity.existingClientId, pending: false }
      : this.afterApply(OUTPUT_NAMES.identityClientId(identity.identityName));
  }

  /** Adds the identities platforms made to the declared ones; a name taken twice would be one Azure resource. */
  private addPlatformIdentities(identityPlans: IdentityPlan[]): void {
    const key = (i: IdentityPlan) => (i.kind === 'application' ? `application/${i.name}` : `${i.resourceGroup}/${i.name}`).toLowerCase();
    const taken = new Set(identityPlans.map(key));
    for (const { plan, owner } of this.platformIdentities) {
      if (taken.has(key(plan))) {
        this.issue(owner, ['name'], `identity "${plan.name}"${plan.kind === 'managedIdentity' ? ` in resource group ${plan.resourceGroup}` : ''} is made for this cluster and also declared or made elsewhere`, 'rename the declared identity or the cluster');
      }
      taken.add(key(plan));
      identityPlans.push(plan);
    }
  }

  private checkFicLimits(fics: FederatedCredentialPlan[], identities: readonly IWorkloadIdentity[]): void {
    const byIdentity = new Map<string, FederatedCredentialPlan[]>();
    for (const f of fics) {
      const list = byIdentity.get(f.identity);
      if (list) list.push(f);
      else byIdentity.set(f.identity, [f]);
    }
    for (const identity of identities) {
      const own = byIdentity.get(identity.identityName) ?? [];
      if (own.length > MAX_FICS_PER_IDENTITY) {
        const migrating = own.filter((f) => f.previousIssuer).length;
        this.issue(
          identity,
          ['name'],
          `identity "${identity.identityName}" would carry ${own.length} federated credentials (${own.map((f) => f.name).join(', ')}); Entra allows ${MAX_FICS_PER_IDENTITY}` +
            (migrating > 0 ? `, and ${migrating} of them are for previous issuers` : ''),
          migrating > 0 ? 'migrate fewer clusters at once (retire a previous issuer first), or split the workloads across more identities' : 'split the workloads across more identities',
        );
      }
      const seen = new Map<string, FederatedCredentialPlan>();
      const names = new Set<string>();
      for (const fic of own) {
        const issuerKey = fic.issuer.kind === 'literal' ? fic.issuer.value : `(issuer of ${fic.issuer.cluster})`;
        const key = `${issuerKey} ${fic.subject}`;
        const first = seen.get(key);
        if (first) {
          this.issue(identity, ['name'], `identity "${identity.identityName}" has two federated credentials with issuer ${issuerKey} and subject ${fic.subject} (clusters ${first.cluster} and ${fic.cluster})`, 'Entra requires issuer+subject to be unique per identity: two clusters share this issuer, so declare the workload once');
        }
        seen.set(key, fic);
        if (names.has(fic.name)) {
          this.issue(identity, ['name'], `federated credential name "${fic.name}" is used twice on identity "${identity.identityName}"`, 'rename one of the clusters, namespaces or service accounts');
        }
        names.add(fic.name);
      }
    }
  }

  vaultArmId(v: IKeyVault): string {
    return this.armId(v.resourceGroup.groupName, `Microsoft.KeyVault/vaults/${v.vaultName}`);
  }
}

/**
 * A previous issuer's FIC that another FIC of the identity covers already (the same issuer and subject: the
 * cluster moved away from is still in the fleet, or two clusters move away from one issuer) is left out:
 * Entra allows one FIC per issuer and subject on an identity, and one serves both.
 */
function dropCoveredPreviousIssuerFics(fics: FederatedCredentialPlan[]): void {
  const key = (f: FederatedCredentialPlan) => (f.issuer.kind === 'literal' ? `${f.identity} ${f.issuer.value} ${f.subject}` : undefined);
  const covered = new Set(fics.filter((f) => !f.previousIssuer).map(key));
  const kept = fics.filter((f) => {
    if (!f.previousIssuer) return true;
    if (covered.has(key(f))) return false;
    covered.add(key(f));
    return true;
  });
  fics.splice(0, fics.length, ...kept);
}

/** How two declarations name one identity: a managed identity by group and name, an application by its display name. */
function identityKey(i: IWorkloadIdentity): string {
  return (i instanceof ManagedIdentity ? `${i.resourceGroup.groupName}/${i.identityName}` : `application/${i.identityName}`).toLowerCase();
}
