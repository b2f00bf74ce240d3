import type { PlanContext } from './plan-context';
import type { FederatedCredentialPlan, IdentityPlan, OpenShiftHivePlan, OpenShiftIdentityPlan, Resolved } from './fleet-plan';
import type { CredentialsRequestPlan, SkippedCredentialsRequest } from './fleet-plan';
import { OpenShiftHiveCluster } from './openshift-hive-cluster';
import { ccoctlIdentityName, ccoctlRoleScopes, OPENSHIFT_AUDIENCE } from '../openshift/credentials-requests';
import { installConfigNameProblem } from '../kubernetes/install-config';
import { nameProblem } from './names';
import { VALUE_RULES } from '../core/values';

/** The CredentialsRequests read for one cluster (see `loadCredentialsRequests`). */
export interface CredentialsRequestSet {
  readonly requests: readonly CredentialsRequestPlan[];
  readonly skipped: readonly SkippedCredentialsRequest[];
}

/** What an OpenShift cluster adds to the fleet's plan besides its own. */
export interface OpenShiftPlanResult {
  readonly plan: OpenShiftHivePlan;
  readonly identities: readonly IdentityPlan[];
  readonly federatedCredentials: readonly FederatedCredentialPlan[];
}

/**
 * ccoctl's `azure create-all`, as a plan: one identity per CredentialsRequest in the OIDC group, a FIC
 * per service account with audience `openshift`, a custom role from its permissions, and the role
 * scopes ccoctl uses; plus the Hive objects' names and values.
 */
export function planOpenShiftHive(c: OpenShiftHiveCluster, ctx: PlanContext, issuer: Resolved, set: CredentialsRequestSet | undefined): OpenShiftPlanResult {
  const name = c.clusterName;
  const oidcGroup = c.issuer.resourceGroup.groupName;
  const installation = c.installationResourceGroup.groupName;
  const problem = installConfigNameProblem(name);
  if (problem) ctx.issue(c, ['name'], `${problem} (it becomes the install-config's metadata.name)`, 'rename the cluster: at most 54 characters of a DNS label, without "microsoft" or "windows", not starting with "login"');
  if (installation === oidcGroup) {
    ctx.issue(c, ['openshiftHive', 'installationResourceGroup'], `the installation resource group "${installation}" is also the OIDC resource group`, 'the installer needs an empty group of its own: use another name (default: the cluster name)');
  }
  const hive = (...field: Array<string | number>) => ['openshiftHive', ...field];
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
  const openshiftIdentities: OpenShiftIdentityPlan[] = (set?.requests ?? []).map((request) => {
    const identityName = ccoctlIdentityName(name, request);
    const identityProblem = nameProblem('identity', identityName);
    if (identityProblem) {
      ctx.issue(c, hive('credentialsRequests'), `CredentialsRequest ${request.name} (${request.file}) gives its identity the name <cluster>-<secretRef.namespace>-<secretRef.name>, and ${identityProblem}`, 'rename the cluster, or correct spec.secretRef of the request (extract it again)');
    }
    const clientIdOutput = `identity_${identityName}_client_id`;
    const clientId = ctx.afterApply(clientIdOutput);
    ctx.usePending(clientId, `kubernetes/${name}: Secret ${c.namespace}/${name}-manifests ${request.secretNamespace}-${request.secretName}-credentials.yaml`);
    identities.push({
      name: identityName,
      resourceGroup: oidcGroup,
      location: c.region,
      existing: false,
      armId: ctx.armId(oidcGroup, `Microsoft.ManagedIdentity/userAssignedIdentities/${identityName}`),
      logicalId: ctx.logicalId('identity', identityName),
      clientId,
      clientIdOutput,
      principalIdOutput: `identity_${identityName}_principal_id`,
      owner: c.clusterName,
    });
    for (const sa of request.serviceAccountNames) {
      federatedCredentials.push({
        // ccoctl names each FIC after its service account: keeping that lets `terraform import` adopt what ccoctl made
        name: sa,
        identity: identityName,
        cluster: name,
        issuer: { kind: 'literal', value: issuer.value },
        subject: `system:serviceaccount:${request.secretNamespace}:${sa}`,
        audience: OPENSHIFT_AUDIENCE,
        logicalId: ctx.logicalId('fic', identityName, sa),
      });
    }
    const hasPermissions = request.permissions.length > 0 || request.dataPermissions.length > 0;
    return {
      request,
      identityName,
      clientId,
      customRole: hasPermissions
        ? { name: identityName, actions: request.permissions, dataActions: request.dataPermissions, logicalId: ctx.logicalId('role_definition', identityName) }
        : undefined,
      scopes: ccoctlRoleScopes(request, {
        installation,
        dnsZone: c.baseDomainResourceGroup.groupName,
        network: c.networkResourceGroup?.groupName,
      }).map((group) => ctx.armId(group)),
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
  return {
    identities,
    federatedCredentials,
    plan: {
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
              keyVaultUrl: `https://${s.keyVault.vaultName}.${ctx.endpoints.keyVaultSuffix}/`,
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
    },
  };
}
