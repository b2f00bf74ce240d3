import { chooseStackLayout, planStacks } from './stack-plan';
import * as path from 'path';
import { AksCluster, ExistingAksCluster } from './aks-cluster';
import { Cluster, PlatformName } from './cluster';
import { byCodePoint } from '../core/compare';
import { OUTPUT_NAMES, serviceAccountSubject } from '../core/names';
import { workloadFederatedCredential } from './federated-credentials';
import { planRoleAssignments } from './role-assignments';
import { logicalId } from './logical-id';
import { closestName } from '../core/edit-distance';
import { excerpt } from '../core/excerpt';
import { MAX_ISSUER_LENGTH, VALUE_RULES, ValueKind, valueProblem } from '../core/values';
import { CloudEndpoints, CLOUDS, keyVaultUri, MAX_FICS_PER_IDENTITY, PLACEHOLDER_PREFIX, ROLE_KEY_VAULT_SECRETS_USER, TOKEN_EXPIRATION_DEFAULT, TOKEN_EXPIRATION_MAX, TOKEN_EXPIRATION_MIN, VERIFY_IMAGE_DEFAULT } from './constants';
import { ExternalIssuerCluster } from './external-issuer-cluster';
import { Fleet } from './fleet';
import { ccoctlOwnedTag, mergeTags, TAG_LIMITS, tagProblem, Tags } from './tags';
import { BackendPlan, CapzPlan, ClusterPlan, ClusterPlanBase, ExistingAksPlan, FederatedCredentialPlan, FleetPlan, IdentityPlan, KeyVaultPlan, NewAksPlan, OpenShiftHivePlan, OutputPlan, PendingValue, Resolved, ResourceGroupPlan, SelfManagedPlan, ServiceAccountPlan, VerificationPlan } from './fleet-plan';
import { FleetError, FleetIssue, formatSourcePath, issueAt, sourceOf } from './issues';
import { KeyVault } from './key-vault';
import { ManagedIdentity } from './managed-identity';
import { NameKind, nameProblem } from './names';
import { ResourceGroup } from './resource-group';
import { SelfManagedCluster } from './self-managed-cluster';
import { buildJwks } from '../oidc/jwks';
import { signingAlgorithms } from '../oidc/discovery';
import type { PublicSigningKey } from '../oidc/keys';
import { publishedKeyProblem } from '../openshift/signing-key';
import { IConstruct } from 'constructs';
import { CapzManagementCluster } from './capz-cluster';
import { planCapz } from './capz-plan';
import { OpenShiftHiveCluster } from './openshift-hive-cluster';
import { checkInstallationGroups, CredentialsRequestSet, groupOccupants, planOpenShiftHive } from './openshift-plan';
import type { PlanContext } from './plan-context';

/**
 * Terraform outputs known after apply, by name. A reader of outputs files (readTerraformOutputs) also
 * says where each came from, and which were given with a value that is not a string, so that the plan
 * can name the file of a bad value.
 */
export interface OutputValues extends ReadonlyMap<string, string> {
  /** The file an output came from (as the user named it), and where in it (JSON keys). */
  sourceOf?(name: string): { readonly file: string; readonly path: readonly string[] } | undefined;
  /** Outputs whose value is not a string, by name: what the value is (`a number`, ...). */
  readonly notStrings?: ReadonlyMap<string, string>;
}

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

/** Entra's limit on a FIC's issuer, subject and audience (FACTS.md section 1). */
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

export function placeholder(output: string): string {
  return `${PLACEHOLDER_PREFIX}${output}`;
}

/**
 * Resolves a fleet once: names, ARM IDs, issuers, FIC edges and the values both sides share.
 * Throws a FleetError listing every problem Entra or Azure would refuse, before anything is written.
 */
export function planFleet(fleet: Fleet, options: PlanOptions = {}): FleetPlan {
  return new Planner(fleet, options.outputs ?? new Map(), options.keys ?? new Map(), options.credentialsRequests ?? new Map(), options.sshKeys ?? new Map(), options.inputsReported ?? false).plan();
}

class Planner implements PlanContext {
  private readonly issues: FleetIssue[] = [];
  private identities: ManagedIdentity[] = [];
  /** Identities a platform makes on its own (one per OpenShift CredentialsRequest). */
  private readonly platformIdentities: Array<{ readonly plan: IdentityPlan; readonly owner: IConstruct }> = [];
  private readonly pending = new Map<string, string[]>();
  private readonly resolved = new Map<string, string>();
  /** Warnings of the platform planners (`PlanContext.warn`), after the fleet's own. */
  private readonly planWarnings: string[] = [];
  /** Roles implied by the fleet rather than granted by hand (a verification pod reads its vault). */
  private readonly impliedGrants: Array<{ identity: ManagedIdentity; role: string; vault: KeyVault }> = [];
  private readonly sub: string;
  /** The clusters whose own resource groups these are (an OpenShift cluster's OIDC and installation groups). */
  private groupOwners = new Map<ResourceGroup, Cluster[]>();

  constructor(
    private readonly fleet: Fleet,
    private readonly outputs: OutputValues,
    private readonly keys: ReadonlyMap<string, PublicSigningKey>,
    private readonly credentialsRequests: ReadonlyMap<string, CredentialsRequestSet>,
    private readonly sshKeys: ReadonlyMap<string, string>,
    private readonly inputsReported: boolean,
  ) {
    this.sub = fleet.azure.subscriptionId;
  }

  plan(): FleetPlan {
    const fleet = this.fleet;
    const children = fleet.node.children;
    const groups = children.filter((c): c is ResourceGroup => c instanceof ResourceGroup);
    const identities = children.filter((c): c is ManagedIdentity => c instanceof ManagedIdentity);
    this.identities = identities;
    const vaults = children.filter((c): c is KeyVault => c instanceof KeyVault);
    const clusters = children.filter((c): c is Cluster => c instanceof Cluster);

    this.checkFleet();
    this.checkTags(fleet, fleet.tags);
    for (const c of clusters) this.checkTags(c, c.tags);
    this.groupOwners = groupOwners(clusters);
    this.checkUnique(groups, (g) => g.groupName.toLowerCase(), 'resource group');
    this.checkUnique(identities, (i) => `${i.resourceGroup.groupName}/${i.identityName}`.toLowerCase(), 'identity');
    this.checkUnique(vaults, (v) => v.vaultName.toLowerCase(), 'key vault');
    this.checkUnique(clusters, (c) => c.clusterName, 'cluster');
    this.checkUnique(
      clusters.filter((c): c is SelfManagedCluster => c instanceof SelfManagedCluster),
      (c) => c.issuer.storageAccount,
      'issuer storage account',
      ['selfManaged', 'issuer', 'storageAccount'],
    );

    const resourceGroups = groups.map((g) => this.planResourceGroup(g));
    const identityPlans = identities.map((i) => this.planIdentity(i, groups));
    const keyVaults = vaults.map((v) => this.planKeyVault(v, groups));
    const fics: FederatedCredentialPlan[] = [];
    const clusterPlans = clusters.map((c) => this.planCluster(c, groups, identities, vaults, keyVaults, fics));
    this.federateHiveSecretReaders(clusters, clusterPlans, vaults, fics);
    this.addPlatformIdentities(identityPlans);
    // OpenShift: each installation group holds nothing else of the fleet (see checkInstallationGroups)
    checkInstallationGroups(this, clusters.filter((c): c is OpenShiftHiveCluster => c instanceof OpenShiftHiveCluster), groupOccupants(identityPlans, keyVaults, clusterPlans));
    this.checkFicLimits(fics, identities);
    const roleAssignments = planRoleAssignments(this, { identities, vaults, groups, impliedGrants: this.impliedGrants });
    const outputs: Array<OutputPlan & { readonly kind: ValueKind }> = [
      ...identityPlans.flatMap((i) =>
        i.existing
          ? []
          : [
              { name: i.clientIdOutput, description: `Client id of identity ${i.name}`, kind: 'guid' as const },
              { name: i.principalIdOutput, description: `Principal id of identity ${i.name}`, kind: 'guid' as const },
            ],
      ),
      ...clusterPlans.flatMap((c) =>
        c.issuer.output ? [{ name: c.issuer.output, description: `OIDC issuer URL of cluster ${c.name}`, kind: 'issuerUrl' as const }] : [],
      ),
    ];
    const outputWarnings = this.checkOutputs(new Map(outputs.map((o) => [o.name, o.kind])));

    if (this.issues.length > 0) {
      throw new FleetError(this.issues);
    }
    const pending: PendingValue[] = [...this.pending.entries()]
      .map(([output, usedBy]) => ({ output, usedBy: [...new Set(usedBy)].sort(byCodePoint) }))
      .sort((a, b) => byCodePoint(a.output, b.output));

    const nodeIdentities = new Set(clusterPlans.flatMap((c) => c.capz?.workloadClusters.map((w) => w.nodeIdentity) ?? []));
    const warnings = [
      ...identityPlans
        .filter((i) => !fics.some((f) => f.identity === i.name) && !nodeIdentities.has(i.name))
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
      pending,
      resolvedOutputs: Object.fromEntries([...this.resolved.entries()].sort(([a], [b]) => byCodePoint(a, b))),
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

  /**
   * The outputs given (`synth --outputs`) against the ones the plan declares: a declared one must hold a
   * value of its kind (client and principal ids are GUIDs, issuers follow the issuer rules), reported with
   * its file; one the plan does not declare is ignored, with a warning naming the nearest declared name.
   */
  private checkOutputs(declared: ReadonlyMap<string, ValueKind>): string[] {
    const warnings: string[] = [];
    const given = [...this.outputs.keys(), ...(this.outputs.notStrings?.keys() ?? [])];
    for (const name of [...new Set(given)].sort(byCodePoint)) {
      const source = this.outputs.sourceOf?.(name);
      const kind = declared.get(name);
      if (kind === undefined) {
        const near = closestName(name, declared.keys(), 3);
        const file = source ? ` (in ${path.basename(source.file)})` : '';
        warnings.push(`Terraform output "${name}"${file} is not one this fleet declares, so it is ignored${near ? `: did you mean "${near}"?` : ''}`);
        continue;
      }
      const notString = this.outputs.notStrings?.get(name);
      const reason = notString !== undefined ? `is ${notString}, not a string` : valueProblem(kind, this.outputs.get(name));
      if (reason === undefined) continue;
      const shown = notString !== undefined ? '' : ` ${excerpt(this.outputs.get(name))}`;
      this.issues.push({
        ...(source && { file: source.file, source: source.path }),
        message: `Terraform output "${name}":${shown} ${reason}`,
        fix: `it must be ${VALUE_RULES[kind].rule}: write the file again with \`terraform output -json\` (or cdktf deploy --outputs-file) after apply, without editing it`,
      });
    }
    return warnings;
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

  private checkDeclared(construct: IConstruct, field: Array<string | number>, group: ResourceGroup, groups: ResourceGroup[]): void {
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
      tags: this.tagged(g, `resource group ${g.groupName}`, owners),
    };
  }

  /**
   * Tags of a resource made for one cluster: the fleet's, the cluster's over them, and for OpenShift
   * ccoctl's ownership tag (on its groups, storage account and identities, as ccoctl tags them).
   */
  clusterTags(c: Cluster): Tags {
    return mergeTags(this.fleet.tags, c.tags, c instanceof OpenShiftHiveCluster ? ccoctlOwnedTag(c.clusterName) : undefined);
  }

  /**
   * The tags of one resource: the fleet's, and those of the clusters it is made for (none for a shared
   * resource). Two clusters that give one shared group different values of a tag are an issue.
   */
  private tagged(construct: IConstruct, what: string, owners: readonly Cluster[] = []): Tags {
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

  private planIdentity(i: ManagedIdentity, groups: ResourceGroup[]): IdentityPlan {
    this.checkName(i, ['name'], 'identity', i.identityName);
    this.checkDeclared(i, ['resourceGroup'], i.resourceGroup, groups);
    const clientIdOutput = OUTPUT_NAMES.identityClientId(i.identityName);
    if (i.existingClientId !== undefined) this.checkValue(i, ['existing', 'clientId'], 'guid', i.existingClientId, 'use `az identity show -g <group> -n <name> --query clientId`');
    if (i.location !== i.resourceGroup.location) this.checkValue(i, ['location'], 'region', i.location);
    return {
      name: i.identityName,
      resourceGroup: i.resourceGroup.groupName,
      location: i.location,
      existing: i.existing,
      armId: this.identityArmId(i),
      logicalId: logicalId('identity', i.identityName),
      clientId:
        i.existingClientId !== undefined
          ? { value: i.existingClientId, pending: false }
          : this.afterApply(clientIdOutput),
      clientIdOutput,
      principalIdOutput: OUTPUT_NAMES.identityPrincipalId(i.identityName),
      tags: this.tagged(i, `identity ${i.identityName}`),
    };
  }

  /** A value that exists only after apply: taken from the outputs when given, else a placeholder. */
  afterApply(output: string): Resolved {
    const known = this.outputs.get(output);
    if (known !== undefined) this.resolved.set(output, known);
    return known !== undefined ? { value: known, pending: false, output } : { value: placeholder(output), pending: true, output };
  }

  usePending(value: Resolved, where: string): void {
    if (value.pending && value.output) {
      this.pending.set(value.output, [...(this.pending.get(value.output) ?? []), where]);
    }
  }

  private planKeyVault(v: KeyVault, groups: ResourceGroup[]): KeyVaultPlan {
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
      tags: this.tagged(v, `key vault ${v.vaultName}`),
    };
  }

  private planCluster(
    c: Cluster,
    groups: ResourceGroup[],
    identities: ManagedIdentity[],
    vaults: KeyVault[],
    vaultPlans: KeyVaultPlan[],
    fics: FederatedCredentialPlan[],
  ): ClusterPlan {
    this.checkName(c, ['name'], 'clusterName', c.clusterName);
    let issuer: Resolved;
    let aks: ClusterPlan['aks'];
    let selfManaged: SelfManagedPlan | undefined;
    if (c instanceof ExistingAksCluster && c.issuerUrl !== undefined) {
      this.checkValue(c, ['aks', 'existing', 'issuerUrl'], 'issuerUrl', c.issuerUrl, `copy it byte for byte from \`az aks show -g <group> -n ${c.azureName} --query oidcIssuerProfile.issuerUrl -o tsv\` (it is ${VALUE_RULES.issuerUrl.rule}), or give aks.existing.resourceGroup instead and Terraform reads it from the cluster`);
      issuer = { value: c.issuerUrl, pending: false };
    } else if (c instanceof ExistingAksCluster && c.resourceGroup !== undefined) {
      this.checkName(c, ['aks', 'existing', 'name'], 'aksCluster', c.azureName);
      this.checkDeclared(c, ['aks', 'existing', 'resourceGroup'], c.resourceGroup, groups);
      issuer = this.afterApply(OUTPUT_NAMES.aksIssuer(c.clusterName));
      aks = {
        kind: 'existing',
        resourceGroup: c.resourceGroup.groupName,
        azureName: c.azureName,
        subscriptionId: this.subscriptionId,
        logicalId: logicalId('aks', c.clusterName),
        armId: this.armId(c.resourceGroup.groupName, `Microsoft.ContainerService/managedClusters/${c.azureName}`),
      };
    } else if (c instanceof AksCluster) {
      this.checkName(c, ['name'], 'aksCluster', c.clusterName);
      this.checkName(c, ['aks', 'dnsPrefix'], 'dnsPrefix', c.dnsPrefix);
      this.checkDeclared(c, ['aks', 'resourceGroup'], c.resourceGroup, groups);
      if (c.location !== c.resourceGroup.location) this.checkValue(c, ['aks', 'location'], 'region', c.location);
      if (c.kubernetesVersion !== undefined) this.checkValue(c, ['aks', 'kubernetesVersion'], 'kubernetesVersion', c.kubernetesVersion);
      this.checkValue(c, ['aks', 'nodePool', 'vmSize'], 'vmSize', c.nodePool.vmSize);
      if (!Number.isInteger(c.nodePool.nodeCount) || c.nodePool.nodeCount < 1 || c.nodePool.nodeCount > 1000) {
        this.issue(c, ['aks', 'nodePool', 'nodeCount'], `nodeCount ${c.nodePool.nodeCount} is outside 1-1000`, 'use a whole number of nodes from 1 to 1000');
      }
      issuer = this.afterApply(OUTPUT_NAMES.aksIssuer(c.clusterName));
      aks = {
        kind: 'new',
        resourceGroup: c.resourceGroup.groupName,
        location: c.location,
        dnsPrefix: c.dnsPrefix,
        kubernetesVersion: c.kubernetesVersion,
        vmSize: c.nodePool.vmSize,
        nodeCount: c.nodePool.nodeCount,
        tags: this.tagged(c, `AKS cluster ${c.clusterName}`, [c]),
        logicalId: logicalId('aks', c.clusterName),
        armId: this.armId(c.resourceGroup.groupName, `Microsoft.ContainerService/managedClusters/${c.clusterName}`),
      };
    } else if (c instanceof ExternalIssuerCluster) {
      this.checkValue(c, ['externalIssuer', 'issuerUrl'], 'issuerUrl', c.issuerUrl, `copy it byte for byte from the issuer of the cluster's tokens (\`kubectl get --raw /.well-known/openid-configuration\`, field issuer; it is ${VALUE_RULES.issuerUrl.rule})`);
      issuer = { value: c.issuerUrl, pending: false };
    } else if (c instanceof SelfManagedCluster) {
      ({ issuer, selfManaged } = this.planSelfManaged(c, groups));
    } else {
      throw new Error(`no planner for cluster ${c.node.path}`);
    }

    const capz = c instanceof CapzManagementCluster ? planCapz(c, this) : undefined;
    let openshift: ClusterPlan['openshift'];
    if (c instanceof OpenShiftHiveCluster) {
      const result = planOpenShiftHive(c, this, issuer, this.credentialsRequests.get(c.clusterName), this.sshKeys.get(c.clusterName));
      openshift = result.plan;
      this.platformIdentities.push(...result.identities.map((plan) => ({ plan, owner: c })));
      fics.push(...result.federatedCredentials);
    }

    const serviceAccounts: ServiceAccountPlan[] = [];
    const verifications: VerificationPlan[] = [];
    const namespaces = new Set<string>(openshift ? [openshift.namespace] : []);
    const bySubject = new Map<string, IConstruct>();
    const federate = (identity: ManagedIdentity, namespace: string, serviceAccount: string) =>
      fics.push(workloadFederatedCredential(c.clusterName, issuer, identity.identityName, namespace, serviceAccount));
    if (c instanceof CapzManagementCluster && capz && identities.includes(c.capz.identity)) {
      for (const sa of capz.serviceAccounts) {
        bySubject.set(serviceAccountSubject(capz.namespace, sa), c);
        federate(c.capz.identity, capz.namespace, sa);
      }
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
      federate(w.identity, w.namespace, w.serviceAccount);

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
      namespaces: [...namespaces].sort(byCodePoint),
      serviceAccounts: serviceAccounts.sort(byName),
      verifications: verifications.sort(byName),
    };
    return clusterPlanOf(c.platform, base, { aks, selfManaged, capz, openshift });
  }

  private planSelfManaged(c: SelfManagedCluster, groups: ResourceGroup[]): { issuer: Resolved; selfManaged: SelfManagedPlan } {
    const { issuer: hosting, serviceAccountKeys: keys } = c;
    // an OpenShift cluster states these under openshiftHive, and derives its container and keys' list
    const openshift = c instanceof OpenShiftHiveCluster;
    this.checkName(c, openshift ? ['openshiftHive', 'storageAccount'] : ['selfManaged', 'issuer', 'storageAccount'], 'storageAccount', hosting.storageAccount);
    this.checkDeclared(c, ['selfManaged', 'issuer', 'resourceGroup'], hosting.resourceGroup, groups);
    if (hosting.hosting === 'blobContainer') this.checkName(c, openshift ? ['name'] : ['selfManaged', 'issuer', 'container'], 'blobContainer', hosting.container);
    if (!openshift) {
      if (hosting.location !== hosting.resourceGroup.location) this.checkValue(c, ['selfManaged', 'issuer', 'location'], 'region', hosting.location);
      keys.publicKeyFiles.forEach((file, i) => this.checkValue(c, ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles', i], 'filePath', file));
      if (keys.privateKeyFile !== undefined) this.checkValue(c, ['selfManaged', 'serviceAccountKeys', 'privateKeyFile'], 'filePath', keys.privateKeyFile);
    }
    if (keys.publicKeyFiles.length === 0) {
      this.issue(c, ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles'], 'no public key is listed', 'list the public key the API server signs with (`wisynth keygen -o keys/<cluster>` makes a pair)');
    }
    if (!keys.privateKeyFile && (c.distribution === 'kind' || c.distribution === 'kubeadm')) {
      this.issue(c, ['selfManaged', 'serviceAccountKeys'], `a ${c.distribution} cluster needs privateKeyFile, the key its API server signs with`, 'add privateKeyFile: the path of sa.key on the machine that creates the cluster (it is referenced, never read)');
    }
    const previousIssuers = openshift ? [] : this.checkPreviousIssuers(c);
    const published = keys.publicKeyFiles.flatMap((file, index) => {
      const key = this.keys.get(file);
      if (!key) this.missingInput(c, ['selfManaged', 'serviceAccountKeys', 'publicKeyFiles', index], `public key "${file}" was not loaded`, 'synthesize with synthesizeFleet or the CLI, which read the key files, or pass options.keys to planFleet');
      return key ? [key] : [];
    });
    // OpenShift: RSA >= 2048 only, what ccoctl and the installer read (rules and upstream sources in src/openshift/signing-key.ts)
    if (openshift) {
      for (const key of published) {
        const problem = publishedKeyProblem(key.key);
        if (problem) this.issue(c, ['openshiftHive', 'publicKeyFile'], `${key.source}: ${problem.message}`, problem.fix);
      }
    }
    // the cloud's storage suffix: ccoctl writes `blob.core.windows.net` whatever the cloud (create_oidc_issuer.go, uploadOIDCDocuments),
    // but the issuer must be where the account serves the documents
    const endpoint = this.endpoints.storageSuffix;
    const issuer =
      hosting.hosting === 'blobContainer'
        ? { value: `https://${hosting.storageAccount}.blob.${endpoint}/${hosting.container}`, pending: false }
        : this.afterApply(OUTPUT_NAMES.hostedIssuer(c.clusterName));
    this.usePending(issuer, `oidc/${c.clusterName}: issuer`);
    this.usePending(issuer, `clusters/${c.clusterName}: service-account-issuer`);
    const same = previousIssuers.indexOf(issuer.value);
    if (!issuer.pending && same >= 0) {
      this.issue(c, ['selfManaged', 'previousIssuers', same], `previous issuer "${issuer.value}" is the hosted issuer itself`, 'list only issuers the cluster had before; the hosted issuer is always first');
    }
    return {
      issuer,
      selfManaged: {
        distribution: c.distribution,
        webhook: c.webhook,
        hosting: hosting.hosting,
        storageAccount: hosting.storageAccount,
        resourceGroup: hosting.resourceGroup.groupName,
        location: hosting.location,
        container: hosting.container,
        storageLogicalId: logicalId('oidc', c.clusterName),
        storageTags: this.tagged(c, `storage account ${hosting.storageAccount}`, [c]),
        publicKeyFiles: keys.publicKeyFiles,
        privateKeyFile: keys.privateKeyFile,
        jwks: buildJwks(published),
        publicKeysPem: published.map((k) => String(k.key.export({ type: 'spki', format: 'pem' }))),
        previousIssuers,
        signingAlgorithms: signingAlgorithms(published),
      },
    };
  }

  /**
   * `selfManaged.previousIssuers`: each follows the issuer rules, none twice, none the hosted issuer itself.
   * kind takes none: its patch merge keeps one value per flag name (kubernetes-sigs/kind
   * `pkg/internal/patch/kubeadm_merge.go`, mergeExtraArgs), and a cluster it creates has issued no earlier tokens.
   */
  private checkPreviousIssuers(c: SelfManagedCluster): readonly string[] {
    const field = ['selfManaged', 'previousIssuers'];
    const declared = c.previousIssuersOption;
    if (c.distribution === 'kind' && declared && declared.length > 0) {
      this.issue(c, field, 'a kind cluster takes no previous issuers: kind merges kubeadm patches by flag name, so only one service-account-issuer reaches the API server', 'remove previousIssuers: a kind cluster created from the generated config has issued no tokens under another issuer');
      return [];
    }
    const seen = new Set<string>();
    c.previousIssuers.forEach((issuer, i) => {
      if (!this.checkValue(c, [...field, i], 'issuerUrl', issuer)) return;
      if (seen.has(issuer)) this.issue(c, [...field, i], `previous issuer "${issuer}" is listed twice`, 'list each previous issuer once');
      seen.add(issuer);
    });
    return c.previousIssuers;
  }

  /** The cloud's endpoints; an unknown cloud is reported by checkFleet, and planned as the public one. */
  get endpoints(): CloudEndpoints {
    return CLOUDS[this.fleet.azure.cloud] ?? CLOUDS.public;
  }

  checkIdentity(construct: IConstruct, field: Array<string | number>, identity: ManagedIdentity): boolean {
    if (this.identities.includes(identity)) return true;
    const known = this.identities.map((i) => i.identityName).join(', ') || '(none declared)';
    this.issue(construct, field, `identity "${identity.identityName}" is not declared`, `declare it under identities, or use one of: ${known}`);
    return false;
  }

  clientIdOf(identity: ManagedIdentity, usedBy: string): Resolved {
    const clientId = this.afterApplyOf(identity);
    this.usePending(clientId, usedBy);
    return clientId;
  }

  identityArmId(identity: ManagedIdentity): string {
    return this.armId(identity.resourceGroup.groupName, `Microsoft.ManagedIdentity/userAssignedIdentities/${identity.identityName}`);
  }

  private afterApplyOf(identity: ManagedIdentity): Resolved {
    return identity.existingClientId !== undefined
      ? { value: identity.existingClientId, pending: false }
      : this.afterApply(OUTPUT_NAMES.identityClientId(identity.identityName));
  }

  /** Adds the identities platforms made to the declared ones; a name taken twice would be one Azure resource. */
  private addPlatformIdentities(identityPlans: IdentityPlan[]): void {
    const key = (i: IdentityPlan) => `${i.resourceGroup}/${i.name}`.toLowerCase();
    const taken = new Set(identityPlans.map(key));
    for (const { plan, owner } of this.platformIdentities) {
      if (taken.has(key(plan))) {
        this.issue(owner, ['name'], `identity "${plan.name}" in resource group ${plan.resourceGroup} is made for this cluster and also declared or made elsewhere`, 'rename the declared identity or the cluster');
      }
      taken.add(key(plan));
      identityPlans.push(plan);
    }
  }

  /**
   * The service account through which External Secrets Operator on the hub reads a Hive cluster's
   * secrets: a FIC on the hub's issuer (the SecretStore's token comes from the hub's API server).
   */
  private federateHiveSecretReaders(clusters: Cluster[], plans: ClusterPlan[], vaults: KeyVault[], fics: FederatedCredentialPlan[]): void {
    clusters.forEach((c, index) => {
      if (!(c instanceof OpenShiftHiveCluster) || c.secrets.mode !== 'externalSecrets') return;
      const { hub, identity, keyVault } = c.secrets;
      const field = (name: string) => ['openshiftHive', 'secrets', name];
      const hubPlan = plans[clusters.indexOf(hub)];
      if (!hubPlan || hub === c) {
        this.issue(c, field('hub'), `hub "${hub.clusterName}" is not another cluster of the fleet`, 'name the fleet cluster that runs Hive and External Secrets Operator');
        return;
      }
      if (!vaults.includes(keyVault)) this.issue(c, field('keyVault'), `key vault "${keyVault.vaultName}" is not declared`, 'declare it under keyVaults');
      if (!this.checkIdentity(c, field('identity'), identity)) return;
      const plan = plans[index].openshift!;
      if (plan.secrets.mode !== 'externalSecrets') return;
      const { namespace } = plan;
      const sa = plan.secrets.serviceAccount.name;
      fics.push(workloadFederatedCredential(hub.clusterName, hubPlan.issuer, identity.identityName, namespace, sa));
    });
  }

  private checkFicLimits(fics: FederatedCredentialPlan[], identities: ManagedIdentity[]): void {
    for (const identity of identities) {
      const own = fics.filter((f) => f.identity === identity.identityName);
      if (own.length > MAX_FICS_PER_IDENTITY) {
        this.issue(identity, ['name'], `identity "${identity.identityName}" would carry ${own.length} federated credentials (${own.map((f) => f.name).join(', ')}); Entra allows ${MAX_FICS_PER_IDENTITY}`, 'split the workloads across more identities');
      }
      const seen = new Map<string, FederatedCredentialPlan>();
      for (const fic of own) {
        const issuerKey = fic.issuer.kind === 'literal' ? fic.issuer.value : `(issuer of ${fic.issuer.cluster})`;
        const key = `${issuerKey} ${fic.subject}`;
        const first = seen.get(key);
        if (first) {
          this.issue(identity, ['name'], `identity "${identity.identityName}" has two federated credentials with issuer ${issuerKey} and subject ${fic.subject} (clusters ${first.cluster} and ${fic.cluster})`, 'Entra requires issuer+subject to be unique per identity: two clusters share this issuer, so declare the workload once');
        }
        seen.set(key, fic);
        if (own.find((f) => f.name === fic.name) !== fic) {
          this.issue(identity, ['name'], `federated credential name "${fic.name}" is used twice on identity "${identity.identityName}"`, 'rename one of the clusters, namespaces or service accounts');
        }
      }
    }
  }

  vaultArmId(v: KeyVault): string {
    return this.armId(v.resourceGroup.groupName, `Microsoft.KeyVault/vaults/${v.vaultName}`);
  }
}

/** The groups that belong to a cluster: an OpenShift cluster's OIDC and installation groups (ccoctl tags both). */
function groupOwners(clusters: readonly Cluster[]): Map<ResourceGroup, Cluster[]> {
  const owners = new Map<ResourceGroup, Cluster[]>();
  for (const c of clusters) {
    if (!(c instanceof OpenShiftHiveCluster)) continue;
    for (const g of new Set([c.issuer.resourceGroup, c.installationResourceGroup])) owners.set(g, [...(owners.get(g) ?? []), c]);
  }
  return owners;
}

/**
 * A cluster's plan with exactly the parts its platform plans: the one place that checks them, so no
 * platform has to. A part missing or left over is a planner bug.
 */
function clusterPlanOf(
  platform: PlatformName,
  base: ClusterPlanBase,
  parts: { aks?: NewAksPlan | ExistingAksPlan; selfManaged?: SelfManagedPlan; capz?: CapzPlan; openshift?: OpenShiftHivePlan },
): ClusterPlan {
  const { aks, selfManaged, capz, openshift } = parts;
  const given = Object.entries(parts).filter(([, v]) => v !== undefined).map(([k]) => k).sort().join(',');
  const expect = (want: string, plan: ClusterPlan): ClusterPlan => {
    if (given !== want && !(platform === 'aks' && given === '')) throw new Error(`cluster ${base.name} (${platform}) is planned with [${given}], not [${want}]`);
    return plan;
  };
  switch (platform) {
    case 'aks':
      return expect('aks', { ...base, platform, aks });
    case 'self-managed':
      return expect('selfManaged', { ...base, platform, selfManaged: selfManaged! });
    case 'capz':
      return expect('capz,selfManaged', { ...base, platform, selfManaged: selfManaged!, capz: capz! });
    case 'openshift-hive':
      return expect('openshift,selfManaged', { ...base, platform, selfManaged: selfManaged!, openshift: openshift! });
    case 'external-issuer':
      return expect('', { ...base, platform });
  }
}
