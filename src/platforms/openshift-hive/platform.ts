import { CustomRole } from '../../azure/custom-role';
import { RoleAssignment } from '../../azure/role-assignment';
import { OUT_PATHS } from '../../core/summary';
import { HiveCluster } from '../../kubernetes/hive-cluster';
import { manifestFileName } from '../../kubernetes/render';
import { ClusterPlanOf, roleAssignmentKey } from '../../model/fleet-plan';
import { logicalId } from '../../model/logical-id';
import { ccoctlManifests } from '../../kubernetes/ccoctl-manifests';
import { OPENSHIFT_AUDIENCE } from '../../openshift/credentials-requests';
import { Platform } from '../platform';
import { selfManaged } from '../self-managed/platform';
import type { ClusterDocumentOf } from '../../model/platform-model';
import { ccoctlOwnedTag } from '../../model/tags';
import type { OpenShiftHiveCluster } from './cluster';
import { loadOpenShiftHiveCluster } from './load';
import { planOpenShiftAcross, planOpenShiftHive } from './plan';

/**
 * OpenShift installed by Hive, with Entra Workload ID: `ccoctl azure create-all` made declarative.
 * Azure side: the issuer on a public blob container (as for self-managed clusters), one identity per
 * CredentialsRequest with its FICs (both in the plan), and here each request's custom role and role
 * assignments at the resource groups ccoctl scopes them to. Hub side: the Hive objects, the manifests
 * ccoctl would write, and the ESO objects that fetch the secrets.
 */
export const openshiftHive: Platform<OpenShiftHiveCluster, ClusterPlanOf<'openshift-hive'>, ClusterDocumentOf<'openshift-hive'>> = {
  name: 'openshift-hive',
  namesOtherClusters: true,
  load: loadOpenShiftHiveCluster,
  plan: planOpenShiftHive,
  planAcross: planOpenShiftAcross,
  uniqueNames: selfManaged.uniqueNames,
  // its OIDC and installation groups, which ccoctl and the installer make for it alone
  ownResourceGroups: (c) => [c.issuer.resourceGroup, c.installationResourceGroup],
  ownTags: (c) => ccoctlOwnedTag(c.clusterName),

  addAzureResources(stack, cluster) {
    selfManaged.addAzureResources(stack, cluster);
    const plan = cluster.openshift;
    const subscription = `/subscriptions/${stack.plan.subscriptionId}`;
    for (const identity of plan.identities) {
      const principalId = stack.identity(identity.identityName).principalId;
      const roles: Array<{ key: string; role: string | { definitionId: string } }> = identity.request.roleBindings.map((role) => ({ key: role, role }));
      if (identity.customRole) {
        const custom = new CustomRole(stack, identity.customRole.logicalId, {
          name: identity.customRole.name,
          description: `Custom role for OpenShift. Owned by: ${plan.name}`,
          scope: subscription,
          actions: identity.customRole.actions,
          dataActions: identity.customRole.dataActions,
          importFrom: identity.customRole.importId,
        });
        roles.push({ key: 'custom', role: { definitionId: custom.roleDefinitionId } });
      }
      for (const { key, role } of roles) {
        for (const scope of identity.scopes) {
          const group = scope.slice(scope.lastIndexOf('/') + 1);
          const importFrom = identity.roleAssignmentImports?.[roleAssignmentKey(key === 'custom' ? identity.identityName : key, scope)];
          new RoleAssignment(stack, logicalId('role', identity.identityName, key, group), { role, scope, principalId, principalType: 'ServicePrincipal', importFrom });
        }
      }
    }
  },

  addKubernetesObjects(chart, cluster) {
    const plan = cluster.openshift;
    new HiveCluster(chart, 'Hive', { cluster: cluster.name, plan, manifests: installerManifests(cluster) });
  },

  clusterFiles() {
    return new Map();
  },

  // its hosted issuer's discovery document, and the Authentication among the installer's manifests
  // the operators' service accounts are the installer's (one per CredentialsRequest), with audience `openshift`
  summary(cluster, context) {
    const plan = cluster.openshift;
    const manifests = manifestFileName({ apiVersion: 'v1', kind: 'Secret', metadata: { name: plan.secretNames.manifests, namespace: plan.namespace } });
    const hosted = selfManaged.summary(cluster, context);
    const installed = plan.identities.flatMap((i) => i.request.serviceAccountNames.map((name) => ({ namespace: i.request.secretNamespace, name, audience: OPENSHIFT_AUDIENCE, installedBy: 'OpenShift' })));
    return {
      // the webhook its folder needs is the hub's, installed with the hub
      webhook: { managed: false, valuesFiles: [] },
      issuerStatedIn: [...hosted.issuerStatedIn, { file: OUT_PATHS.kubernetesFile(cluster.name, manifests), form: 'openshift-manifests' }],
      ...(installed.length > 0 && { externalServiceAccounts: installed }),
    };
  },
};

/** What ccoctl writes into `manifests/`, from the planned values. */
function installerManifests(cluster: ClusterPlanOf<'openshift-hive'>): Map<string, string> {
  const plan = cluster.openshift;
  return ccoctlManifests(
    plan.identities.map((i) => i.request),
    {
      tenantId: cluster.tenantId,
      subscriptionId: plan.subscriptionId,
      region: plan.region,
      issuer: cluster.issuer.value,
      clientIds: new Map(plan.identities.map((i) => [i.request.name, i.clientId.value])),
    },
  );
}

