import * as path from 'path';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterPlan, FleetPlan, IssuerRef, RoleAssignmentPlan, RoleScopeRef } from '../model/fleet-plan';
import type { Platform } from '../platforms/platform';
import { FederatedCredential } from './federated-credential';
import { IIdentity, Identity } from './identity';
import { IKeyVault, KeyVault } from './key-vault';
import { IResourceGroup, ResourceGroup } from './resource-group';
import { RoleAssignment, RoleAssignmentProps } from './role-assignment';

export interface FleetStackProps {
  /** The resolved fleet to render. */
  readonly plan: FleetPlan;
  /** Platforms by name; each adds the Azure resources of its clusters. */
  readonly platforms: ReadonlyMap<string, Platform>;
  /**
   * Absolute folder where `OUT/terraform` will finally live. A local backend's state path is written
   * relative to the stack's folder in it, so that the JSON is the same on any machine.
   */
  readonly terraformDir: string;
}

/**
 * The fleet's Azure side as one Terraform stack named after the fleet: resource groups, identities,
 * key vaults, each platform's cluster resources, federated credentials, role assignments and outputs.
 * Terraform logical IDs are the plan's `logicalId`s.
 */
export class FleetStack extends TerraformStack {
  public readonly plan: FleetPlan;
  private readonly resourceGroups = new Map<string, IResourceGroup>();
  private readonly identities = new Map<string, IIdentity>();
  private readonly keyVaults = new Map<string, IKeyVault>();
  private readonly clusterIssuers = new Map<string, string>();
  private clientConfig?: DataAzurermClientConfig;

  constructor(scope: Construct, props: FleetStackProps) {
    const { plan } = props;
    super(scope, plan.name);
    this.plan = plan;

    new AzurermProvider(this, 'azurerm', {
      features: [{}],
      subscriptionId: plan.subscriptionId,
      tenantId: plan.tenantId,
      environment: plan.endpoints.terraformEnvironment,
    });
    this.addBackend(props.terraformDir);

    for (const group of plan.resourceGroups) {
      this.resourceGroups.set(
        group.name,
        group.existing
          ? ResourceGroup.fromExisting(group.name, group.armId)
          : new ResourceGroup(this, group.logicalId, { name: group.name, location: group.location }),
      );
    }
    for (const identity of plan.identities) {
      const resourceGroup = this.resourceGroup(identity.resourceGroup);
      this.identities.set(
        identity.name,
        identity.existing
          ? Identity.fromExisting(this, identity.logicalId, { name: identity.name, resourceGroup, armId: identity.armId })
          : new Identity(this, identity.logicalId, { name: identity.name, resourceGroup, location: identity.location }),
      );
    }
    for (const vault of plan.keyVaults) {
      this.keyVaults.set(
        vault.name,
        vault.existing
          ? KeyVault.fromExisting(vault.armId)
          : new KeyVault(this, vault.logicalId, {
              name: vault.name,
              resourceGroup: this.resourceGroup(vault.resourceGroup),
              location: vault.location,
              tenantId: plan.tenantId,
              sku: vault.sku,
              softDeleteRetentionDays: vault.softDeleteRetentionDays,
            }),
      );
    }
    for (const cluster of plan.clusters) {
      platformOf(cluster, props.platforms).addAzureResources(this, cluster);
    }
    for (const credential of plan.federatedCredentials) {
      new FederatedCredential(this, credential.logicalId, {
        name: credential.name,
        identity: this.identity(credential.identity),
        issuer: this.issuerOf(credential.issuer),
        subject: credential.subject,
        audience: credential.audience,
      });
    }
    for (const assignment of plan.roleAssignments) {
      new RoleAssignment(this, assignment.logicalId, {
        role: assignment.role,
        scope: this.scopeOf(assignment.scope),
        ...this.principalOf(assignment.principal),
      });
    }
    this.addOutputs();
  }

  /** A resource group of the plan: name and ID are references when the fleet creates it, literals otherwise. */
  public resourceGroup(name: string): IResourceGroup {
    return this.lookup(this.resourceGroups, 'resource group', name);
  }

  public identity(name: string): IIdentity {
    return this.lookup(this.identities, 'identity', name);
  }

  public keyVault(name: string): IKeyVault {
    return this.lookup(this.keyVaults, 'key vault', name);
  }

  /** Records the issuer of a cluster whose issuer exists only in Terraform (e.g. a new AKS cluster's `oidc_issuer_url`). */
  public registerClusterIssuer(cluster: string, issuer: string): void {
    if (this.clusterIssuers.has(cluster)) {
      throw new Error(`fleet "${this.plan.name}": the issuer of cluster "${cluster}" is registered twice`);
    }
    this.clusterIssuers.set(cluster, issuer);
  }

  /** The issuer string a federated credential carries: the plan's literal or a registered cluster issuer. */
  public issuerOf(ref: IssuerRef): string {
    return ref.kind === 'literal' ? ref.value : this.clusterIssuer(ref.cluster);
  }

  /** Object id of whoever runs Terraform (`data.azurerm_client_config.current`). */
  public get deployerObjectId(): string {
    this.clientConfig ??= new DataAzurermClientConfig(this, 'current');
    return this.clientConfig.objectId;
  }

  private clusterIssuer(cluster: string): string {
    const issuer = this.clusterIssuers.get(cluster);
    if (issuer === undefined) {
      throw new Error(
        `fleet "${this.plan.name}": cluster "${cluster}" has no registered issuer; ` +
          'its platform must call registerClusterIssuer in addAzureResources',
      );
    }
    return issuer;
  }

  private scopeOf(scope: RoleScopeRef): string {
    switch (scope.kind) {
      case 'arm':
        return scope.id;
      case 'resourceGroup':
        return this.resourceGroup(scope.name).id;
      case 'keyVault':
        return this.keyVault(scope.name).id;
    }
  }

  private principalOf(
    principal: RoleAssignmentPlan['principal'],
  ): Pick<RoleAssignmentProps, 'principalId' | 'principalType'> {
    return principal.kind === 'deployer'
      ? { principalId: this.deployerObjectId }
      : { principalId: this.identity(principal.name).principalId, principalType: 'ServicePrincipal' };
  }

  private addBackend(terraformDir: string): void {
    const { backend, name } = this.plan;
    if (backend.type === 'local') {
      // cdktf writes the stack to <terraformDir>/stacks/<stack>, and Terraform runs there.
      const stackDir = path.join(terraformDir, 'stacks', name);
      const statePath = path.relative(stackDir, path.join(backend.stateDir, `${name}.tfstate`));
      new LocalBackend(this, { path: statePath.split(path.sep).join('/') });
    } else {
      new AzurermBackend(this, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: `${backend.keyPrefix}${name}.tfstate`,
        environment: this.plan.endpoints.terraformEnvironment,
        useAzureadAuth: true,
      });
    }
  }

  /** Declares the outputs the plan lists, each carrying the value that the plan names it after. */
  private addOutputs(): void {
    // Thunks: reading an existing identity's ids adds a data source, so read only what is output.
    const values = new Map<string, () => string>();
    for (const identity of this.plan.identities) {
      values.set(identity.clientIdOutput, () => this.identity(identity.name).clientId);
      values.set(identity.principalIdOutput, () => this.identity(identity.name).principalId);
    }
    for (const cluster of this.plan.clusters) {
      if (cluster.issuer.output !== undefined) {
        values.set(cluster.issuer.output, () => this.clusterIssuer(cluster.name));
      }
    }
    for (const output of this.plan.outputs) {
      const value = values.get(output.name);
      if (value === undefined) {
        throw new Error(`fleet "${this.plan.name}": output "${output.name}" is not the output of an identity or cluster issuer`);
      }
      // A TerraformOutput directly under the stack is named by its id, verbatim.
      new TerraformOutput(this, output.name, { value: value(), description: output.description });
    }
  }

  private lookup<T>(found: ReadonlyMap<string, T>, what: string, name: string): T {
    const value = found.get(name);
    if (value === undefined) {
      throw new Error(`fleet "${this.plan.name}": ${what} "${name}" is not in the plan`);
    }
    return value;
  }
}

export interface AzureAppOptions {
  /** Where cdktf writes now; may be a temporary folder. */
  readonly outdir: string;
  /** Absolute path where `OUT/terraform` will finally live. */
  readonly finalTerraformDir: string;
  /** Platforms by name; each adds the Azure resources of its clusters. */
  readonly platforms: ReadonlyMap<string, Platform>;
}

/** The cdktf app of a fleet, ready for `synth()`. */
export function buildAzureApp(plan: FleetPlan, options: AzureAppOptions): App {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  new FleetStack(app, { plan, platforms: options.platforms, terraformDir: options.finalTerraformDir });
  return app;
}

function platformOf(cluster: ClusterPlan, platforms: ReadonlyMap<string, Platform>): Platform {
  const platform = platforms.get(cluster.platform);
  if (platform === undefined) {
    throw new Error(`cluster "${cluster.name}": platform "${cluster.platform}" is not registered`);
  }
  return platform;
}
