import { Artifacts, at, embeddedYamlIn, KubeObject, objectsIn, TerraformStack } from '../artifacts';
import { Finding } from '../finding';
import { firstBy } from '../../core/group';
import { Rule } from '../rule';
import { ClusterTrust, TrustModel } from '../trust';

const INSTALL_CONFIG_KEY = 'install-config.yaml';

/**
 * The ccoctl flow holds only if the installer runs in Manual credentials mode, in its own empty
 * resource group (not the OIDC group, which a failed install would delete), in the region of the
 * ClusterDeployment, and Hive never retries (a retry deletes the group and its role assignments).
 */
export const openshiftRule: Rule = (model) =>
  model.clusters
    .filter((c) => c.summary.platform === 'openshift-hive')
    .flatMap((c) => {
      const objects = objectsIn(model.artifacts, c.summary.folder);
      return objects.filter((o) => o.obj.kind === 'ClusterDeployment').flatMap((cd) => clusterDeploymentFindings(model, c, cd, objects));
    });

function clusterDeploymentFindings(model: TrustModel, cluster: ClusterTrust, cd: KubeObject, objects: readonly KubeObject[]): Finding[] {
  const finding = (o: KubeObject, object: string, message: string, fix: string): Finding => ({ severity: 'error', rule: 'openshift-install', file: o.file, object, message, fix });
  const findings: Finding[] = [];
  const limit = at(cd.obj, 'spec', 'installAttemptsLimit');
  if (limit !== 1) {
    findings.push(finding(cd, `${cd.label} spec.installAttemptsLimit`, `is ${JSON.stringify(limit ?? null)}: a second attempt deletes the installation resource group and the role assignments Terraform made`, 'set installAttemptsLimit: 1; after a failed install, deprovision, terraform apply, and apply the YAML again'));
  }
  const region = at(cd.obj, 'spec', 'platform', 'azure', 'region');
  const secretName = at(cd.obj, 'spec', 'provisioning', 'installConfigSecretRef', 'name');
  const secret = objects.find((o) => o.obj.kind === 'Secret' && at(o.obj, 'metadata', 'name') === secretName && at(o.obj, 'metadata', 'namespace') === at(cd.obj, 'metadata', 'namespace'));
  if (!secret) {
    return [...findings, finding(cd, `${cd.label} spec.provisioning.installConfigSecretRef`, `names Secret ${String(secretName)}, which is not in ${cluster.summary.folder}`, 'synth again, or restore the install-config Secret')];
  }
  const installConfig = embeddedYamlIn(model.artifacts, at(secret.obj, 'stringData', INSTALL_CONFIG_KEY) ?? decode(at(secret.obj, 'data', INSTALL_CONFIG_KEY)));
  const field = (path: string) => `${secret.label} ${INSTALL_CONFIG_KEY}: ${path}`;
  if (!installConfig) return [...findings, finding(secret, secret.label, `has no readable ${INSTALL_CONFIG_KEY}`, 'synth again')];
  if (installConfig.credentialsMode !== 'Manual') {
    findings.push(finding(secret, field('credentialsMode'), `is ${JSON.stringify(installConfig.credentialsMode ?? null)}: the installer would mint credentials instead of using the identities Terraform made`, 'set credentialsMode: Manual'));
  }
  const group = at(installConfig, 'platform', 'azure', 'resourceGroupName');
  const oidcGroup = oidcResourceGroup(model, cluster);
  if (typeof group !== 'string' || group === '') {
    findings.push(finding(secret, field('platform.azure.resourceGroupName'), 'is not set: the installer would create its own group, outside the role assignments Terraform made', 'set it to the installation resource group of the Terraform stack'));
  } else if (oidcGroup && group.toLowerCase() === oidcGroup.toLowerCase()) {
    findings.push(finding(secret, field('platform.azure.resourceGroupName'), `is "${group}", the resource group of the OIDC issuer: the installer needs an empty group, and deprovisioning deletes it with the issuer`, 'set it to the installation resource group, which differs from the OIDC group'));
  }
  const installRegion = at(installConfig, 'platform', 'azure', 'region');
  if (installRegion !== region) {
    findings.push(finding(secret, field('platform.azure.region'), `is ${JSON.stringify(installRegion ?? null)}, but ${cd.label} says ${JSON.stringify(region ?? null)}`, `set both to the same region (${JSON.stringify(region ?? null)})`));
  }
  findings.push(...ownNetworkFindings(installConfig, objects, (o, path, message, fix) => finding(o, o === secret ? field(path) : `${o.label} ${path}`, message, fix), secret));
  return findings;
}

const OWN_NETWORK = ['networkResourceGroupName', 'virtualNetwork', 'controlPlaneSubnet', 'computeSubnet'] as const;

/**
 * A cluster's own network: the install-config's four fields all or none (openshift/installer
 * `pkg/types/azure/validation/platform.go`), and the worker MachinePools on the same network and compute
 * subnet, which Hive takes only with `virtualNetwork` (openshift/hive `apis/hive/v1/azure/machinepool.go`).
 */
function ownNetworkFindings(
  installConfig: Record<string, unknown>,
  objects: readonly KubeObject[],
  finding: (o: KubeObject, path: string, message: string, fix: string) => Finding,
  secret: KubeObject,
): Finding[] {
  const given = OWN_NETWORK.filter((f) => at(installConfig, 'platform', 'azure', f) !== undefined);
  if (given.length === 0) return [];
  if (given.length < OWN_NETWORK.length) {
    const missing = OWN_NETWORK.filter((f) => !given.includes(f));
    return [finding(secret, `platform.azure.${missing[0]}`, `is missing while ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set: the installer takes a cluster's own network only with all of ${OWN_NETWORK.join(', ')}`, 'set all four (synth writes them from openshiftHive), or none')];
  }
  return objects
    .filter((o) => o.obj.kind === 'MachinePool')
    .flatMap((pool) =>
      (['networkResourceGroupName', 'virtualNetwork', 'computeSubnet'] as const)
        .filter((f) => at(pool.obj, 'spec', 'platform', 'azure', f) !== at(installConfig, 'platform', 'azure', f))
        .map((f) =>
          finding(
            pool,
            `spec.platform.azure.${f}`,
            `is ${JSON.stringify(at(pool.obj, 'spec', 'platform', 'azure', f) ?? null)}, but the install-config says ${JSON.stringify(at(installConfig, 'platform', 'azure', f))}: workers added by this pool would not join the cluster's network`,
            `set it as the install-config does (synth writes it so)`,
          ),
        ),
    );
}

/** The group of the storage account that hosts the cluster's issuer (`https://<account>.blob...`). */
function oidcResourceGroup(model: TrustModel, cluster: ClusterTrust): string | undefined {
  let account: string;
  try {
    account = new URL(cluster.issuer).hostname.split('.')[0];
  } catch {
    return undefined;
  }
  const found = storageAccounts(model.artifacts).get(account);
  return found && model.resolveName(found.block.resource_group_name, found.stack);
}

const accountsOf = new WeakMap<Artifacts, ReadonlyMap<unknown, { readonly stack: TerraformStack; readonly block: Record<string, unknown> }>>();

/** The storage accounts of the stacks by name, the first of each name in OUT's order: found once per OUT, not once per cluster. */
function storageAccounts(artifacts: Artifacts): ReadonlyMap<unknown, { readonly stack: TerraformStack; readonly block: Record<string, unknown> }> {
  let accounts = accountsOf.get(artifacts);
  if (!accounts) {
    const all = artifacts.stacks.flatMap((stack) => [...(stack.resources.get('azurerm_storage_account')?.values() ?? [])].map((block) => ({ stack, block })));
    accountsOf.set(artifacts, (accounts = firstBy(all, ({ block }) => block.name)));
  }
  return accounts;
}

function decode(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

