import type { SourcePath } from '../../model/issues';
import type { ClusterDocumentOf, LoadContext } from '../../model/platform-model';
import { HiveSecretsProps, OpenShiftHiveCluster } from './cluster';

/** An OpenShift entry: its groups, and where its three secrets come from (a hub cluster's External Secrets, or files). */
export function loadOpenShiftHiveCluster(entry: ClusterDocumentOf<'openshift-hive'>, ctx: LoadContext): OpenShiftHiveCluster | undefined {
  const d = entry.openshiftHive;
  const { name, tags } = entry;
  const hiveAt: SourcePath = [...ctx.at, 'openshiftHive'];
  let missing = false;
  /** A named group, or undefined when none is named; a name that is not declared is reported. */
  const group = (field: 'baseDomainResourceGroup' | 'networkResourceGroup' | 'oidcResourceGroup' | 'installationResourceGroup') => {
    const groupName = d[field];
    if (groupName === undefined) return undefined;
    const found = ctx.group(groupName, [...hiveAt, field]);
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
    const keyVault = ctx.keyVault(secretsDoc.keyVault, [...secretsAt, 'keyVault']);
    const identity = ctx.identity(secretsDoc.identity, [...secretsAt, 'identity']);
    const hub = ctx.cluster(secretsDoc.hub, [...secretsAt, 'hub']);
    if (keyVault && identity && hub) secrets = { ...secretsDoc, keyVault, identity, hub };
  }
  if (missing || !secrets || !groups.baseDomainResourceGroup) return undefined;
  return new OpenShiftHiveCluster(ctx.fleet, ctx.id, {
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
    adopt: d.adopt,
    tags,
  });
}
