import { closestName } from '../core/edit-distance';
import { AksCluster } from './aks-cluster';
import { ExternalIssuerCluster } from './external-issuer-cluster';
import type { Tags } from './tags';
import { Cluster } from './cluster';
import { Fleet } from './fleet';
import { CapzManagementCluster } from './capz-cluster';
import { HiveSecretsProps, OpenShiftHiveCluster } from './openshift-hive-cluster';
import {
  AksDocument,
  CapzDocument,
  ClusterDocument,
  FleetDocument,
  IdentityDocument,
  OpenShiftHiveDocument,
  RoleScopeDocument,
  SelfManagedDocument,
  WorkloadDocument,
} from './fleet-document';
import { SelfManagedCluster } from './self-managed-cluster';
import { FleetIssue, recordSource, SourcePath } from './issues';
import { KeyVault } from './key-vault';
import { ManagedIdentity, RoleScope } from './managed-identity';
import { ResourceGroup } from './resource-group';

/** Builds the fleet's constructs from a document the schema accepted; references that resolve to nothing are issues. */
export class FleetBuilder {
  private readonly issues: FleetIssue[] = [];
  private readonly fleet: Fleet;
  private readonly groups = new Map<string, ResourceGroup>();
  private readonly identities = new Map<string, ManagedIdentity>();
  private readonly vaults = new Map<string, KeyVault>();
  private readonly clusters = new Map<string, Cluster>();
  /** Declared names left unbuilt because of an issue already reported; references to them are not reported again. */
  private readonly unbuilt: Set<string>;

  constructor(private readonly doc: FleetDocument, baseDir: string, unbuilt: readonly string[] = []) {
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
    // Clusters first, then Hive clusters, which may name any other cluster as their hub.
    doc.clusters.forEach((d, i) => d.platform !== 'openshift-hive' && this.addCluster(d, i));
    doc.clusters.forEach((d, i) => d.platform === 'openshift-hive' && this.addCluster(d, i));
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
    const group = this.group(d.resourceGroup, ['identities', i, 'resourceGroup']);
    if (!group) {
      this.unbuilt.add(`identity ${d.name}`);
      return;
    }
    const id = `identity-${i}-${d.name}`;
    const identity = d.existing
      ? ManagedIdentity.fromExisting(this.fleet, id, { name: d.name, resourceGroup: group, clientId: d.existing.clientId })
      : new ManagedIdentity(this.fleet, id, { name: d.name, resourceGroup: group, location: d.location });
    recordSource(identity, ['identities', i]);
    this.identities.set(d.name, identity);
  }

  private addRoles(d: IdentityDocument, i: number): void {
    const identity = this.identities.get(d.name);
    if (!identity) return;
    (d.roles ?? []).forEach((grant, r) => {
      const scope = this.scope(grant.scope, ['identities', i, 'roles', r, 'scope']);
      if (scope !== undefined) identity.grantRole(grant.role, scope);
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
    const id = `cluster-${i}-${d.name}`;
    const cluster =
      d.platform === 'aks'
        ? this.aksCluster(d.aks, d.name, id, at, d.tags)
        : d.platform === 'capz'
          ? this.capzCluster(d.selfManaged, d.capz, d.name, id, at, d.tags)
          : d.platform === 'openshift-hive'
            ? this.openShiftHiveCluster(d.openshiftHive, d.name, id, at, d.tags)
            : d.platform === 'external-issuer'
              ? new ExternalIssuerCluster(this.fleet, id, { name: d.name, issuerUrl: d.externalIssuer.issuerUrl, tags: d.tags })
              : this.selfManagedCluster(d.selfManaged, d.name, id, at, d.tags);
    if (!cluster) {
      this.unbuilt.add(`cluster ${d.name}`);
      return;
    }
    recordSource(cluster, at);
    this.clusters.set(d.name, cluster);
    this.addWorkloads(cluster, d.workloads ?? [], at);
  }

  private selfManagedCluster(d: SelfManagedDocument, name: string, id: string, at: SourcePath, tags?: Tags): Cluster | undefined {
    const props = this.selfManagedProps(d, name, at, tags);
    return props && new SelfManagedCluster(this.fleet, id, props);
  }

  private selfManagedProps(d: SelfManagedDocument, name: string, at: SourcePath, tags?: Tags) {
    const group = this.group(d.issuer.resourceGroup, [...at, 'selfManaged', 'issuer', 'resourceGroup']);
    if (!group) return undefined;
    return {
      name,
      distribution: d.distribution,
      webhook: d.webhook,
      issuer: { ...d.issuer, resourceGroup: group },
      serviceAccountKeys: d.serviceAccountKeys,
      previousIssuers: d.previousIssuers,
      tags,
    };
  }

  private capzCluster(sm: SelfManagedDocument, d: CapzDocument, name: string, id: string, at: SourcePath, tags?: Tags): Cluster | undefined {
    const props = this.selfManagedProps(sm, name, at, tags);
    const capzAt: SourcePath = [...at, 'capz'];
    const identity = this.ref(this.identities, 'identity', 'identities', d.identity, [...capzAt, 'identity']);
    const scopes = d.scopes?.map((s, i) => this.scope(s, [...capzAt, 'scopes', i]));
    const nodeIdentities = (d.workloadClusters ?? []).map((w, j) =>
      this.ref(this.identities, 'identity', 'identities', w.nodeIdentity, [...capzAt, 'workloadClusters', j, 'nodeIdentity']),
    );
    const nodeScopes = (d.workloadClusters ?? []).map((w, j) =>
      w.nodeIdentityScopes?.map((s, k) => this.scope(s, [...capzAt, 'workloadClusters', j, 'nodeIdentityScopes', k])),
    );
    if (!props || !identity || scopes?.includes(undefined) || nodeIdentities.includes(undefined) || nodeScopes.some((s) => s?.includes(undefined))) return undefined;
    const { workloadClusters, ...capz } = d;
    const cluster = new CapzManagementCluster(this.fleet, id, {
      ...props,
      capz: { ...capz, identity, scopes: scopes as RoleScope[] | undefined },
    });
    (workloadClusters ?? []).forEach((w, j) => {
      const workloadCluster = cluster.addWorkloadCluster({ ...w, nodeIdentity: nodeIdentities[j]!, nodeIdentityScopes: nodeScopes[j] as RoleScope[] | undefined }, `workload-cluster-${j}`);
      recordSource(workloadCluster, [...capzAt, 'workloadClusters', j]);
    });
    return cluster;
  }

  private openShiftHiveCluster(d: OpenShiftHiveDocument, name: string, id: string, at: SourcePath, tags?: Tags): Cluster | undefined {
    const hiveAt: SourcePath = [...at, 'openshiftHive'];
    let missing = false;
    /** A named group, or undefined when none is named; a name that is not declared is reported. */
    const group = (field: 'baseDomainResourceGroup' | 'networkResourceGroup' | 'oidcResourceGroup' | 'installationResourceGroup') => {
      const groupName = d[field];
      if (groupName === undefined) return undefined;
      const found = this.group(groupName, [...hiveAt, field]);
      missing ||= !found;
      return found;
    };
    const secretsDoc = d.secrets;
    const groups = {
      baseDomainResourceGroup: group('baseDomainResourceGroup'),
      networkResourceGroup: group('networkResourceGroup'),
      oidcResourceGroup: group('oidcResourceGroup'),
      installationResourceGroup: group('installationResourceGroup'),
    };
    let secrets: HiveSecretsProps | undefined = secretsDoc.mode === 'files' ? secretsDoc : undefined;
    if (secretsDoc.mode === 'externalSecrets') {
      const secretsAt: SourcePath = [...hiveAt, 'secrets'];
      const keyVault = this.ref(this.vaults, 'key vault', 'keyVaults', secretsDoc.keyVault, [...secretsAt, 'keyVault']);
      const identity = this.ref(this.identities, 'identity', 'identities', secretsDoc.identity, [...secretsAt, 'identity']);
      const hub = this.ref(this.clusters, 'cluster', 'clusters', secretsDoc.hub, [...secretsAt, 'hub']);
      if (keyVault && identity && hub) secrets = { ...secretsDoc, keyVault, identity, hub };
    }
    if (missing || !secrets || !groups.baseDomainResourceGroup) return undefined;
    return new OpenShiftHiveCluster(this.fleet, id, {
      name,
      namespace: d.namespace,
      baseDomain: d.baseDomain,
      region: d.region,
      storageAccount: d.storageAccount,
      credentialsRequests: d.credentialsRequests,
      techPreview: d.techPreview,
      releaseImage: d.releaseImage,
      publicKeyFile: d.publicKeyFile,
      sshKey: d.sshKey,
      networking: d.networking,
      publish: d.publish,
      virtualNetwork: d.virtualNetwork,
      controlPlaneSubnet: d.controlPlaneSubnet,
      computeSubnet: d.computeSubnet,
      controlPlane: d.controlPlane,
      compute: d.compute,
      ...groups,
      baseDomainResourceGroup: groups.baseDomainResourceGroup,
      secrets,
      tags,
    });
  }

  private aksCluster(aks: AksDocument, name: string, id: string, at: SourcePath, tags?: Tags): Cluster | undefined {
    const { existing, ...created } = aks;
    if (existing) {
      const extra = Object.keys(created);
      if (extra.length > 0) {
        this.issues.push({ source: [...at, 'aks', extra[0]], message: `"${extra.join('", "')}" cannot go with aks.existing`, fix: 'an existing cluster is known by aks.existing alone: remove the other fields, or remove existing to create the cluster' });
        return undefined;
      }
      const { issuerUrl, resourceGroup, name: azureName } = existing;
      const fix = 'give resourceGroup (and name, when the Azure name is not the cluster\'s): Terraform then reads the issuer from the cluster; or give only issuerUrl, copied from `az aks show`';
      const wrong = (message: string) => this.issues.push({ source: [...at, 'aks', 'existing'], message, fix });
      if (issuerUrl !== undefined) {
        if (resourceGroup === undefined && azureName === undefined) return AksCluster.fromIssuerUrl(this.fleet, id, { name, issuerUrl });
        wrong(`"${resourceGroup !== undefined ? 'resourceGroup' : 'name'}" cannot go with "issuerUrl"`);
      } else if (resourceGroup !== undefined) {
        const group = this.group(resourceGroup, [...at, 'aks', 'existing', 'resourceGroup']);
        return group && AksCluster.fromExisting(this.fleet, id, { name, resourceGroup: group, azureName });
      } else {
        wrong('gives neither resourceGroup nor issuerUrl');
      }
      return undefined;
    }
    if (created.resourceGroup === undefined) {
      this.issues.push({ source: [...at, 'aks'], message: 'missing required field "resourceGroup"', fix: 'add aks.resourceGroup to create the cluster, or aks.existing.issuerUrl to use one that exists' });
      return undefined;
    }
    const group = this.group(created.resourceGroup, [...at, 'aks', 'resourceGroup']);
    if (!group) return undefined;
    return new AksCluster(this.fleet, id, { ...created, name, resourceGroup: group, tags });
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
        },
        `workload-${j}`,
      );
      recordSource(workload, wAt);
    });
  }
}
