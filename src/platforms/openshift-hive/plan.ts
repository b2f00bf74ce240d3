import type { PlanContext } from '../../model/plan-context';
import { ClusterPlan, FederatedCredentialPlan, IdentityPlan, KeyVaultPlan, OpenShiftHivePlan, OpenShiftIdentityPlan, roleAssignmentKey } from '../../model/fleet-plan';
import { planAdoption } from './adopt';
import type { OpenShiftHiveCluster } from './cluster';
import type { PlannedFleet, PlatformPlan } from '../../model/platform-model';
import { previousIssuerFederatedCredential, workloadFederatedCredential } from '../../model/federated-credentials';
import { publishedKeyProblem } from '../../openshift/signing-key';
import { planHostedIssuer } from '../self-managed/plan';
import { keyVaultUri } from '../../model/constants';
import { ccoctlIdentityName, ccoctlRoleScopes, OPENSHIFT_AUDIENCE } from '../../openshift/credentials-requests';
import { installConfigNameProblem, networkingProblems } from '../../openshift/install-config-rules';
import { nameProblem } from '../../model/names';
import { VALUE_RULES } from '../../core/values';
import { OUTPUT_NAMES, serviceAccountSubject } from '../../core/names';

/** Azure's rules for the names of a virtual network and of a subnet (Microsoft.Network naming rules). */
const AZURE_NETWORK_NAMES = {
  virtualNetwork: { pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/, rule: '1-64 letters, digits, "_", "." and "-", starting with a letter or digit and ending with a letter, digit or "_"' },
  subnet: { pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/, rule: '1-80 letters, digits, "_", "." and "-", starting with a letter or digit and ending with a letter, digit or "_"' },
} as const;

/** An Azure region as ARM compares it: lowercase, without spaces ("West Europe" is "westeurope"). */
const normalRegion = (region: string) => region.toLowerCase().replace(/\s+/g, '');

/**
 * ccoctl's `azure create-all`, as a plan: one identity per CredentialsRequest in the OIDC group, a FIC
 * per service account with audience `openshift`, a custom role from its permissions, and the role
 * scopes ccoctl uses; plus the Hive objects' names and values.
 */
export function planOpenShiftHive(c: OpenShiftHiveCluster, ctx: PlanContext): PlatformPlan {
  const { issuer, selfManaged } = planHostedIssuer(c, ctx, 'openshiftHive');
  checkPublishedKeys(c, ctx);
  const set = ctx.credentialsRequestsOf(c.clusterName);
  const sshKey = ctx.sshKeyOf(c.clusterName);
  const name = c.clusterName;
  const oidcGroup = c.issuer.resourceGroup.groupName;
  const installation = c.installationResourceGroup.groupName;
  const problem = installConfigNameProblem(name);
  if (problem) ctx.issue(c, ['name'], `${problem} (it becomes the install-config's metadata.name)`, 'rename the cluster: at most 54 characters of a DNS label, without "microsoft" or "windows", not starting with "login"');
  if (installation === oidcGroup) {
    ctx.issue(c, ['openshiftHive', 'installationResourceGroup'], `the installation resource group "${installation}" is also the OIDC resource group`, 'the installer needs an empty group of its own: use another name (default: the cluster name)');
  }
  const hive = (...field: Array<string | number>) => ['openshiftHive', ...field];
  checkGroupRegions(c, ctx);
  checkOwnNetwork(c, ctx);
  for (const p of networkingProblems(c.networking)) ctx.issue(c, hive(...p.field), p.message, p.fix);
  if (c.publish !== 'External' && c.publish !== 'Internal') ctx.issue(c, hive('publish'), `publish "${String(c.publish)}" is neither External nor Internal`, 'use External (the default) or Internal');
  if (c.sshKeyFile !== undefined) {
    ctx.checkValue(c, hive('sshKey'), 'filePath', c.sshKeyFile);
    if (sshKey === undefined) ctx.missingInput(c, hive('sshKey'), 'the SSH public key was not read', 'synthesize with synthesizeFleet or the CLI, which read it, or pass options.sshKeys to planFleet (loadSshKeys reads them)');
  }
  ctx.checkName(c, hive('namespace'), 'namespace', c.namespace);
  ctx.checkValue(c, hive('baseDomain'), 'dnsSubdomain', c.baseDomain, 'use the DNS domain the cluster lives under, e.g. ocp.contoso.com: lowercase letters, digits, "-" and ".", at most 253 characters');
  if (c.region !== ctx.location) ctx.checkValue(c, hive('region'), 'region', c.region);
  ctx.checkValue(c, hive('releaseImage'), 'imageReference', c.releaseImage, `use the release image of the OpenShift version to install, e.g. quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64 (${VALUE_RULES.imageReference.rule})`);
  ctx.checkValue(c, hive('credentialsRequests'), 'filePath', c.credentialsRequests);
  c.serviceAccountKeys.publicKeyFiles.forEach((file) => ctx.checkValue(c, hive('publicKeyFile'), 'filePath', file));
  for (const [field, value] of [['controlPlane', c.controlPlane], ['compute', c.compute]] as const) {
    if (!Number.isInteger(value.replicas) || value.replicas < 1) ctx.issue(c, hive(field, 'replicas'), `replicas ${value.replicas} is not a positive whole number`, 'use 3 for a highly available control plane');
    ctx.checkValue(c, hive(field, 'vmSize'), 'vmSize', value.vmSize);
  }
  const secrets = c.secrets;
  if (secrets.mode === 'files') {
    for (const field of ['signingKeyFile', 'pullSecretFile', 'installerCredentialsFile'] as const) ctx.checkValue(c, hive('secrets', field), 'filePath', secrets[field]);
  } else {
    ctx.checkName(c, hive('secrets', 'serviceAccount'), 'serviceAccount', secrets.serviceAccount!);
    for (const field of ['signingKey', 'pullSecret', 'installerCredentials'] as const) {
      const key = secrets.remoteKeys?.[field];
      if (key !== undefined) ctx.checkName(c, hive('secrets', 'remoteKeys', field), 'keyVaultSecret', key);
    }
  }
  if (!set) ctx.missingInput(c, ['openshiftHive', 'credentialsRequests'], 'the CredentialsRequests were not loaded', 'synthesize with synthesizeFleet or the CLI, which read them, or pass options.credentialsRequests to planFleet');

  const identities: IdentityPlan[] = [];
  const federatedCredentials: FederatedCredentialPlan[] = [];
  const adoption = planAdoption(c, ctx, (set?.requests ?? []).map((r) => ccoctlIdentityName(name, r)));
  const openshiftIdentities: OpenShiftIdentityPlan[] = (set?.requests ?? []).map((request) => {
    const identityName = ccoctlIdentityName(name, request);
    const adopted = adoption.identities.get(identityName);
    const identityProblem = nameProblem('identity', identityName);
    if (identityProblem) {
      ctx.issue(c, hive('credentialsRequests'), `CredentialsRequest ${request.name} (${request.file}) gives its identity the name <cluster>-<secretRef.namespace>-<secretRef.name>, and ${identityProblem}`, 'rename the cluster, or correct spec.secretRef of the request (extract it again)');
    }
    const clientIdOutput = OUTPUT_NAMES.identityClientId(identityName);
    const clientId = adopted ? ctx.knownBeforeApply(clientIdOutput, adopted.clientId) : ctx.afterApply(clientIdOutput);
    ctx.usePending(clientId, `kubernetes/${name}: Secret ${c.namespace}/${name}-manifests ${request.secretNamespace}-${request.secretName}-credentials.yaml`);
    const armId = ctx.armId(oidcGroup, `Microsoft.ManagedIdentity/userAssignedIdentities/${identityName}`);
    identities.push({
      kind: 'managedIdentity',
      name: identityName,
      resourceGroup: oidcGroup,
      location: c.region,
      existing: false,
      armId,
      ...(adopted && { importId: armId }),
      logicalId: ctx.logicalId('identity', identityName),
      clientId,
      clientIdOutput,
      principalIdOutput: OUTPUT_NAMES.identityPrincipalId(identityName),
      owner: c.clusterName,
      tags: ctx.clusterTags(c),
    });
    for (const sa of request.serviceAccountNames) {
      federatedCredentials.push({
        // ccoctl names each FIC after its service account: keeping that lets `terraform import` adopt what ccoctl made
        name: sa,
        identity: identityName,
        cluster: name,
        issuer: { kind: 'literal', value: issuer.value },
        subject: serviceAccountSubject(request.secretNamespace, sa),
        audience: OPENSHIFT_AUDIENCE,
        logicalId: ctx.logicalId('fic', identityName, sa),
        ...(adopted && { importId: `${armId}/federatedIdentityCredentials/${sa}` }),
      });
    }
    const hasPermissions = request.permissions.length > 0 || request.dataPermissions.length > 0;
    const scopes = ccoctlRoleScopes(request, {
      installation,
      dnsZone: c.baseDomainResourceGroup.groupName,
      network: c.networkResourceGroup?.groupName,
    }).map((group) => ctx.armId(group));
    if (adoption.customRoles.has(identityName) && !hasPermissions) {
      ctx.issue(c, hive('adopt', 'customRoles'), `CredentialsRequest ${request.name} asks for no permissions, so identity ${identityName} has no custom role to adopt`, 'remove the entry (ccoctl made no such role for this release)');
    }
    // an adopted assignment the identity will not have would be left outside Terraform: refused, named
    const roleNames = [...request.roleBindings, ...(hasPermissions ? [identityName] : [])];
    const assigned = new Set(roleNames.flatMap((role) => scopes.map((scope) => roleAssignmentKey(role, scope))));
    for (const key of Object.keys(adopted?.roleAssignments ?? {}).filter((k) => !assigned.has(k))) {
      ctx.issue(c, hive('adopt', 'identities'), `identity ${identityName} gets no role assignment ${key.replace('|', ' at ')}: its request assigns ${roleNames.join(', ')} at ${scopes.join(', ')}`, 'remove the entry, or correct its role and scope to one the request assigns');
    }
    return {
      request,
      identityName,
      clientId,
      customRole: hasPermissions
        ? {
            name: identityName,
            actions: request.permissions,
            dataActions: request.dataPermissions,
            logicalId: ctx.logicalId('role_definition', identityName),
            // ccoctl defines it at the subscription (create_managed_identities.go, createCustomRole)
            ...(adoption.customRoles.has(identityName) && { importId: `${adoption.customRoles.get(identityName)}|/subscriptions/${ctx.subscriptionId}` }),
          }
        : undefined,
      scopes,
      ...(adopted?.roleAssignments && { roleAssignmentImports: adopted.roleAssignments }),
    };
  });

  const secretNames = {
    installConfig: `${name}-install-config`,
    manifests: `${name}-manifests`,
    pullSecret: `${name}-pull-secret`,
    installerCredentials: `${name}-azure-credentials`,
    signingKey: `${name}-bound-service-account-signing-key`,
  };
  const s = c.secrets;
  const plan: OpenShiftHivePlan = {
    name,
    namespace: c.namespace,
    baseDomain: c.baseDomain,
    region: c.region,
    subscriptionId: ctx.subscriptionId,
    cloudName: ctx.endpoints.environmentName,
    oidcResourceGroup: oidcGroup,
    installationResourceGroup: installation,
    baseDomainResourceGroup: c.baseDomainResourceGroup.groupName,
    networkResourceGroup: c.networkResourceGroup?.groupName,
    virtualNetwork: c.virtualNetwork,
    controlPlaneSubnet: c.controlPlaneSubnet,
    computeSubnet: c.computeSubnet,
    sshKey: c.sshKeyFile !== undefined ? sshKey : undefined,
    // openshift/installer pkg/types/installconfig.go FeatureSet: the tech-preview requests need the cluster in that feature set
    featureSet: c.techPreview ? 'TechPreviewNoUpgrade' : undefined,
    networking: c.networking,
    publish: c.publish,
    releaseImage: c.releaseImage,
    imageSetName: `${name}-imageset`,
    controlPlane: c.controlPlane,
    compute: c.compute,
    secretNames,
    secrets:
      s.mode === 'files'
        ? { mode: 'files', signingKeyFile: s.signingKeyFile, pullSecretFile: s.pullSecretFile, installerCredentialsFile: s.installerCredentialsFile }
        : {
            mode: 'externalSecrets',
            keyVault: s.keyVault.vaultName,
            keyVaultUrl: keyVaultUri(s.keyVault.vaultName, ctx.endpoints),
            storeName: `${name}-key-vault`,
            hub: s.hub.clusterName,
            serviceAccount: {
              name: s.serviceAccount!,
              clientId: ctx.clientIdOf(s.identity, `kubernetes/${name}: ServiceAccount ${c.namespace}/${s.serviceAccount} client-id`),
              tenantId: ctx.tenantId,
            },
            remoteKeys: {
              signingKey: s.remoteKeys?.signingKey ?? `${name}-bound-sa-signing-key`,
              pullSecret: s.remoteKeys?.pullSecret ?? `${name}-pull-secret`,
              installerCredentials: s.remoteKeys?.installerCredentials ?? `${name}-installer-credentials`,
            },
          },
    identities: openshiftIdentities,
    skipped: set?.skipped ?? [],
  };
  return { issuer, part: { platform: 'openshift-hive', selfManaged, openshift: plan }, namespaces: [plan.namespace], identities, federatedCredentials };
}

/** RSA of at least 2048 bits only: what ccoctl and the installer read (rules and upstream sources in src/openshift/signing-key.ts). */
function checkPublishedKeys(c: OpenShiftHiveCluster, ctx: PlanContext): void {
  for (const file of c.serviceAccountKeys.publicKeyFiles) {
    const key = ctx.publicKey(file);
    const problem = key && publishedKeyProblem(key.key);
    if (key && problem) ctx.issue(c, ['openshiftHive', 'publicKeyFile'], `${key.source}: ${problem.message}`, problem.fix);
  }
}

/**
 * The service account through which External Secrets Operator on the hub reads a Hive cluster's
 * secrets: a FIC on the hub's issuer (the SecretStore's token comes from the hub's API server).
 */
function federateSecretReader(c: OpenShiftHiveCluster, plan: OpenShiftHivePlan, fleet: PlannedFleet, ctx: PlanContext): FederatedCredentialPlan[] {
  if (c.secrets.mode !== 'externalSecrets' || plan.secrets.mode !== 'externalSecrets') return [];
  const { hub, identity, keyVault } = c.secrets;
  const field = (name: string) => ['openshiftHive', 'secrets', name];
  const hubPlan = fleet.planOf(hub);
  if (!hubPlan || hub === c) {
    ctx.issue(c, field('hub'), `hub "${hub.clusterName}" is not another cluster of the fleet`, 'name the fleet cluster that runs Hive and External Secrets Operator');
    return [];
  }
  if (!fleet.keyVaults.includes(keyVault)) ctx.issue(c, field('keyVault'), `key vault "${keyVault.vaultName}" is not declared`, 'declare it under keyVaults');
  if (!ctx.checkIdentity(c, field('identity'), identity)) return [];
  const reader = plan.secrets.serviceAccount.name;
  return [
    workloadFederatedCredential(hub.clusterName, hubPlan.issuer, identity.identityName, plan.namespace, reader),
    // the hub's previous issuers too: its External Secrets Operator is a federated service account of the hub
    ...hubPlan.previousIssuers.map((previous) => previousIssuerFederatedCredential(hub.clusterName, previous, identity.identityName, plan.namespace, reader)),
  ];
}

/** Across the fleet: the hub's FICs of the secret readers, then every installation group's emptiness. */
export function planOpenShiftAcross(clusters: ReadonlyArray<{ readonly cluster: OpenShiftHiveCluster; readonly plan: ClusterPlan }>, fleet: PlannedFleet, ctx: PlanContext): FederatedCredentialPlan[] {
  const fics = clusters.flatMap(({ cluster, plan }) => (plan.openshift ? federateSecretReader(cluster, plan.openshift, fleet, ctx) : []));
  checkInstallationGroups(
    ctx,
    clusters.map((c) => c.cluster),
    groupOccupants(fleet.identityPlans, fleet.keyVaultPlans, fleet.clusterPlans),
  );
  return fics;
}

/**
 * The installation and OIDC groups are in the cluster's region: the installer refuses an installation
 * group elsewhere (openshift/installer pkg/asset/installconfig/azure/validation.go validateResourceGroup,
 * "expected to in region"), and ccoctl an existing OIDC group elsewhere (openshift/cloud-credential-operator
 * pkg/cmd/provisioning/azure/create_oidc_issuer.go ensureResourceGroup, "found existing resource group ...
 * in unexpected region").
 */
function checkGroupRegions(c: OpenShiftHiveCluster, ctx: PlanContext): void {
  const region = normalRegion(c.region);
  const groups = [
    { field: 'installationResourceGroup', group: c.installationResourceGroup, who: 'the installer' },
    { field: 'oidcResourceGroup', group: c.issuer.resourceGroup, who: 'ccoctl' },
  ] as const;
  for (const { field, group, who } of groups) {
    if (normalRegion(group.location) === region) continue;
    ctx.issue(
      c,
      ['openshiftHive', field],
      `the ${field === 'oidcResourceGroup' ? 'OIDC' : 'installation'} resource group "${group.groupName}" is in ${group.location}, but the cluster is in ${c.region}; ${who} refuses a group in another region`,
      `declare the group with location: ${c.region}, or name a group in ${c.region} (or set openshiftHive.region to ${group.location})`,
    );
  }
}

/**
 * A cluster's own network: networkResourceGroup, virtualNetwork, controlPlaneSubnet and computeSubnet
 * come all together or not at all (openshift/installer pkg/types/azure/validation/platform.go
 * ValidatePlatform: a virtual network needs both subnets and the network group, subnets need both; the
 * installer's docs/user/azure/customization.md: "all must be specified"). Hive's MachinePool ignores the
 * network group without virtualNetwork (openshift/hive apis/hive/v1/azure/machinepool.go).
 */
function checkOwnNetwork(c: OpenShiftHiveCluster, ctx: PlanContext): void {
  const values = {
    networkResourceGroup: c.networkResourceGroup?.groupName,
    virtualNetwork: c.virtualNetwork,
    controlPlaneSubnet: c.controlPlaneSubnet,
    computeSubnet: c.computeSubnet,
  };
  const given = Object.entries(values).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (given.length > 0 && given.length < 4) {
    const missing = Object.keys(values).filter((k) => !given.includes(k));
    ctx.issue(
      c,
      ['openshiftHive', missing[0]],
      `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set without ${missing.join(', ')}; the installer takes a cluster's own network only with all four (a network group alone leaves the workers on the installer's network)`,
      `set all of networkResourceGroup, virtualNetwork, controlPlaneSubnet and computeSubnet to the existing network, or remove ${given.join(', ')}`,
    );
  }
  const names = [
    ['virtualNetwork', AZURE_NETWORK_NAMES.virtualNetwork, c.virtualNetwork],
    ['controlPlaneSubnet', AZURE_NETWORK_NAMES.subnet, c.controlPlaneSubnet],
    ['computeSubnet', AZURE_NETWORK_NAMES.subnet, c.computeSubnet],
  ] as const;
  for (const [field, rule, value] of names) {
    if (value === undefined || (typeof value === 'string' && rule.pattern.test(value))) continue;
    ctx.issue(c, ['openshiftHive', field], `${field} ${JSON.stringify(String(value)).slice(0, 100)} is not an Azure ${field === 'virtualNetwork' ? 'virtual network' : 'subnet'} name`, `use the name of the existing one: ${rule.rule}`);
  }
}

/** What the fleet puts in a resource group, for `checkInstallationGroups`. */
export interface GroupOccupant {
  readonly group: string;
  /** e.g. `identity "id-orders"`, `the issuer storage account "stx" of cluster aks-x`. */
  readonly what: string;
  /** The cluster it belongs to, when a cluster's. */
  readonly cluster?: string;
}

/** Everything of the fleet's plan that lives in a resource group (or is one that must be apart). */
export function groupOccupants(identities: readonly IdentityPlan[], keyVaults: readonly KeyVaultPlan[], clusters: readonly ClusterPlan[]): GroupOccupant[] {
  const out: GroupOccupant[] = [];
  for (const i of identities) if (i.kind === 'managedIdentity') out.push({ group: i.resourceGroup, what: `identity "${i.name}"${i.owner ? ` of cluster ${i.owner}` : ''}`, cluster: i.owner });
  for (const v of keyVaults) out.push({ group: v.resourceGroup, what: `key vault "${v.name}"` });
  for (const c of clusters) {
    if (c.aks) out.push({ group: c.aks.resourceGroup, what: `AKS cluster ${c.name}`, cluster: c.name });
    if (c.selfManaged) out.push({ group: c.selfManaged.resourceGroup, what: `issuer storage account "${c.selfManaged.storageAccount}" of cluster ${c.name}`, cluster: c.name });
    for (const w of c.capz?.workloadClusters ?? []) out.push({ group: w.resourceGroup, what: `CAPZ workload cluster ${w.name} of ${c.name}`, cluster: c.name });
    const o = c.openshift;
    if (o) {
      out.push({ group: o.baseDomainResourceGroup, what: `the DNS zone of ${o.baseDomain} (baseDomainResourceGroup of OpenShift cluster ${c.name})`, cluster: c.name });
      if (o.networkResourceGroup !== undefined) out.push({ group: o.networkResourceGroup, what: `the virtual network of OpenShift cluster ${c.name} (networkResourceGroup)`, cluster: c.name });
      out.push({ group: o.installationResourceGroup, what: `the installation of OpenShift cluster ${c.name}`, cluster: c.name });
    }
  }
  return out;
}

/**
 * Every OpenShift cluster's installation group holds nothing else of the fleet: the installer refuses a
 * group that is not empty when the install starts (openshift/installer
 * pkg/asset/installconfig/azure/validation.go validateResourceGroup, "resource group must be empty"),
 * and Hive's deprovision deletes the group with everything in it. A fleet-wide check: the occupants
 * come from every planned resource (`groupOccupants`). The OIDC group being the installation group is
 * reported by `planOpenShiftHive` already, and not again here.
 */
export function checkInstallationGroups(ctx: Pick<PlanContext, 'issue'>, clusters: readonly OpenShiftHiveCluster[], occupants: readonly GroupOccupant[]): void {
  for (const c of clusters) {
    const group = c.installationResourceGroup.groupName;
    if (group === c.issuer.resourceGroup.groupName) continue;
    const key = group.toLowerCase();
    const own = `the installation of OpenShift cluster ${c.clusterName}`;
    const found = occupants.filter((o) => o.group.toLowerCase() === key && o.what !== own);
    if (found.length === 0) continue;
    ctx.issue(
      c,
      ['openshiftHive', 'installationResourceGroup'],
      `the installation resource group "${group}" must be empty when the install starts, but the fleet also puts ${found.map((o) => o.what).join(', ')} in it; the installer refuses a group that is not empty, and Hive's deprovision deletes the group with all it holds`,
      `give the cluster an installation group of its own (default: the cluster name "${c.clusterName}"), or move ${found.length === 1 ? 'that' : 'those'} to another group`,
    );
  }
}
