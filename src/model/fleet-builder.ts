import { closestName } from '../core/edit-distance';
import { Cluster } from './cluster';
import { Fleet } from './fleet';
import { ClusterDocument, FleetDocument, IdentityDocument, RoleScopeDocument, WorkloadDocument } from './fleet-document';
import { FleetIssue, recordSource, SourcePath } from './issues';
import { IKeyVault, KeyVault } from './key-vault';
import { IWorkloadIdentity, ManagedIdentity, RoleScope } from './managed-identity';
import { EntraApplication } from './entra-application';
import { LoadContext, platformModelOf, PlatformModels } from './platform-model';
import { IResourceGroup, ResourceGroup } from './resource-group';

/** Builds the fleet's constructs from a document the schema accepted; references that resolve to nothing are issues. */
export class FleetBuilder {
  private readonly issues: FleetIssue[] = [];
  private readonly fleet: Fleet;
  private readonly groups = new Map<string, IResourceGroup>();
  private readonly identities = new Map<string, IWorkloadIdentity>();
  private readonly vaults = new Map<string, IKeyVault>();
  private readonly clusters = new Map<string, Cluster>();
  /** Declared names left unbuilt because of an issue already reported; references to them are not reported again. */
  private readonly unbuilt: Set<string>;

  constructor(
    private readonly doc: FleetDocument,
    private readonly platforms: PlatformModels,
    baseDir: string,
    unbuilt: readonly string[] = [],
  ) {
    this.unbuilt = new Set(unbuilt);
    this.fleet = new Fleet({ name: doc.name, azure: doc.azure, terraform: doc.terraform, tags: doc.tags, baseDir });
    recordSource(this.fleet, []);
  }

  /** The fleet, and the problems of references that left parts of it unbuilt. */
  build(): { readonly fleet: Fleet; readonly issues: readonly FleetIssue[] } {
    const { doc, fleet } = this;
    (doc.resourceGroups ?? []).forEach((g, i) => {
      const group = new ResourceGroup(fleet, `rg-${i}-${g.name}`, { name: g.name, location: g.location, existing: g.existing });
      recordSource(group, ['resourceGroups', i]);
      this.groups.set(g.name, group);
    });
    (doc.identities ?? []).forEach((d, i) => this.addIdentity(d, i));
    (doc.keyVaults ?? []).forEach((d, i) => {
      const group = this.group(d.resourceGroup, ['keyVaults', i, 'resourceGroup']);
      if (!group) {
        this.unbuilt.add(`key vault ${d.name}`);
        return;
      }
      const props = { name: d.name, resourceGroup: group };
      const vault = d.existing
        ? KeyVault.fromExisting(fleet, `kv-${i}-${d.name}`, props)
        : new KeyVault(fleet, `kv-${i}-${d.name}`, {
            ...props,
            location: d.location,
            sku: d.sku,
            softDeleteRetentionDays: d.softDeleteRetentionDays,
            deployerIsSecretsOfficer: d.deployerIsSecretsOfficer,
          });
      recordSource(vault, ['keyVaults', i]);
      this.vaults.set(d.name, vault);
    });
    // Grants need every vault and group declared first.
    (doc.identities ?? []).forEach((d, i) => this.addRoles(d, i));
    (doc.keyVaults ?? []).forEach((d, i) =>
      (d.readers ?? []).forEach((reader, r) => {
        const identity = this.ref(this.identities, 'identity', 'identities', reader, ['keyVaults', i, 'readers', r]);
        const vault = this.vaults.get(d.name);
        if (identity && vault) vault.grantSecretsRead(identity);
      }),
    );
    // Clusters that may name any other cluster (a Hive cluster's hub) come after the others.
    const later = (d: ClusterDocument) => this.platforms.get(d.platform)?.namesOtherClusters === true;
    doc.clusters.forEach((d, i) => !later(d) && this.addCluster(d, i));
    doc.clusters.forEach((d, i) => later(d) && this.addCluster(d, i));
    return { fleet, issues: this.issues };
  }

  private ref<T>(map: Map<string, T>, what: string, section: string, name: string, source: SourcePath): T | undefined {
    const found = map.get(name);
    if (!found && !this.unbuilt.has(`${what} ${name}`)) {
      const known = [...map.keys()];
      const near = closestName(name, known);
      this.issues.push({
        source,
        message: `${what} "${name}" is not declared`,
        fix: near ? `did you mean "${near}"?` : `declare it under ${section}${known.length ? `, or use one of: ${known.join(', ')}` : ''}`,
      });
    }
    return found;
  }

  private group(name: string, source: SourcePath): ResourceGroup | undefined {
    return this.ref(this.groups, 'resource group', 'resourceGroups (with existing: true if it exists already)', name, source);
  }

  private addIdentity(d: IdentityDocument, i: number): void {
    const at: SourcePath = ['identities', i];
    const id = `identity-${i}-${d.name}`;
    if (d.kind === 'application') {
      const placed = (['resourceGroup', 'location'] as const).find((f) => d[f] !== undefined);
      if (d.adopt) this.issues.push({ source: [...at, 'adopt'], message: 'an Entra application is not adopted: only managed identities are imported', fix: 'declare it existing ({clientId, objectId}): its FICs and roles are then added to it' });
      if (placed) this.issues.push({ source: [...at, placed], message: `an application lives in the tenant and takes no ${placed}`, fix: `remove ${placed}, or make it a managed identity (kind: managedIdentity)` });
      if (d.existing && d.existing.objectId === undefined) this.issues.push({ source: [...at, 'existing'], message: 'an existing application needs its objectId too: its FICs are added to /applications/<object id>', fix: 'add existing.objectId from `az ad app show --id <client id> --query id -o tsv`' });
      if (placed || d.adopt || (d.existing && d.existing.objectId === undefined)) {
        this.unbuilt.add(`identity ${d.name}`);
        return;
      }
      const application = d.existing
        ? EntraApplication.fromExisting(this.fleet, id, { name: d.name, clientId: d.existing.clientId, objectId: d.existing.objectId! })
        : new EntraApplication(this.fleet, id, { name: d.name });
      recordSource(application, at);
      this.identities.set(d.name, application);
      return;
    }
    if (d.resourceGroup === undefined) {
      this.issues.push({ source: at, message: 'missing required field "resourceGroup"', fix: 'name the resource group the managed identity is in, or make it an Entra application (kind: application)' });
      this.unbuilt.add(`identity ${d.name}`);
      return;
    }
    if (d.adopt && d.existing) this.issues.push({ source: [...at, 'adopt'], message: 'an identity is either existing (referred to, never managed) or adopted (imported, then managed by Terraform), not both', fix: 'keep existing to leave it as it is, or adopt to let Terraform take it over' });
    if (d.existing?.objectId !== undefined) this.issues.push({ source: [...at, 'existing', 'objectId'], message: 'a managed identity takes no objectId', fix: 'remove existing.objectId (it belongs to applications, kind: application)' });
    const group = this.group(d.resourceGroup, [...at, 'resourceGroup']);
    if (!group) {
      this.unbuilt.add(`identity ${d.name}`);
      return;
    }
    const identity = d.existing
      ? ManagedIdentity.fromExisting(this.fleet, id, { name: d.name, resourceGroup: group, clientId: d.existing.clientId })
      : new ManagedIdentity(this.fleet, id, { name: d.name, resourceGroup: group, location: d.location, adopt: d.adopt });
    recordSource(identity, at);
    this.identities.set(d.name, identity);
  }

  private addRoles(d: IdentityDocument, i: number): void {
    const identity = this.identities.get(d.name);
    if (!identity) return;
    (d.roles ?? []).forEach((grant, r) => {
      const scope = this.scope(grant.scope, ['identities', i, 'roles', r, 'scope']);
      if (scope !== undefined) identity.grantRole(grant.role, scope, grant.adopt);
    });
  }

  private scope(d: RoleScopeDocument, at: SourcePath): RoleScope | undefined {
    if (typeof d === 'string') return d;
    if (d.keyVault !== undefined) return this.ref(this.vaults, 'key vault', 'keyVaults', d.keyVault, [...at, 'keyVault']);
    if (d.resourceGroup !== undefined) return this.group(d.resourceGroup, [...at, 'resourceGroup']);
    return undefined;
  }

  private addCluster(d: ClusterDocument, i: number): void {
    const at: SourcePath = ['clusters', i];
    const cluster = platformModelOf(this.platforms, { platform: d.platform, node: { path: `clusters[${i}]` } }).load(d, this.loadContext(`cluster-${i}-${d.name}`, at));
    if (!cluster) {
      this.unbuilt.add(`cluster ${d.name}`);
      return;
    }
    recordSource(cluster, at);
    this.clusters.set(d.name, cluster);
    this.addWorkloads(cluster, d.workloads ?? [], at);
  }

  private loadContext(id: string, at: SourcePath): LoadContext {
    return {
      fleet: this.fleet,
      id,
      at,
      issue: (source, message, fix) => this.issues.push({ source, message, fix }),
      group: (name, source) => this.group(name, source),
      identity: (name, source) => this.ref(this.identities, 'identity', 'identities', name, source),
      keyVault: (name, source) => this.ref(this.vaults, 'key vault', 'keyVaults', name, source),
      cluster: (name, source) => this.ref(this.clusters, 'cluster', 'clusters', name, source),
      scope: (d, source) => this.scope(d, source),
    };
  }

  private addWorkloads(cluster: Cluster, workloads: readonly WorkloadDocument[], at: SourcePath): void {
    workloads.forEach((w, j) => {
      const wAt: SourcePath = [...at, 'workloads', j];
      const identity = this.ref(this.identities, 'identity', 'identities', w.identity, [...wAt, 'identity']);
      const vault = w.verify ? this.ref(this.vaults, 'key vault', 'keyVaults', w.verify.keyVault, [...wAt, 'verify', 'keyVault']) : undefined;
      if (!identity || (w.verify && !vault)) return;
      const workload = cluster.addWorkload(
        {
          namespace: w.namespace,
          serviceAccount: w.serviceAccount,
          identity,
          createNamespace: w.createNamespace,
          tokenExpirationSeconds: w.tokenExpirationSeconds,
          verify: w.verify && vault ? { keyVault: vault, secretName: w.verify.secretName, image: w.verify.image } : undefined,
          adoptFederatedCredential: w.adopt?.federatedCredential,
        },
        `workload-${j}`,
      );
      recordSource(workload, wAt);
    });
  }
}
