import * as path from 'path';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import * as fs from 'fs';
import { App, AzurermBackend, DISABLE_STACK_TRACE_IN_METADATA, LocalBackend, Manifest, StackManifest, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterPlan, FleetPlan, IdentityPlan, IssuerRef, ResourceGroupPlan, RoleAssignmentPlan, RoleScopeRef, StackPlan } from '../model/fleet-plan';
import { FleetError } from '../model/issues';
import { ApplicationFederatedCredential, AzureEntraApplication, IEntraApplication } from './entra-application';
import { FederatedCredential } from './federated-credential';
import { IIdentity, Identity } from './identity';
import { IKeyVault, AzureKeyVault } from './key-vault';
import { IResourceGroup, AzureResourceGroup } from './resource-group';
import { RoleAssignment, RoleAssignmentProps } from './role-assignment';
import { planLookups, stackParts, StackParts } from './stack-parts';
import { withoutTokenStackTraces } from './token-stack-traces';
import { forgedTokenMarkers, terraformLiteral, terraformLiterals } from './terraform-literal';

/** What a platform adds to a stack: the Azure resources of its clusters (platforms/ implement it). */
export interface AzureSide<C extends ClusterPlan = ClusterPlan> {
  addAzureResources(stack: FleetStack, cluster: C): void;
}

export interface FleetStackProps {
  /** The resolved fleet to render. */
  readonly plan: FleetPlan;
  /** The stack to build: the whole fleet, its shared part, or one cluster's part (`plan.stacks`). */
  readonly stack: StackPlan;
  /** Platforms by name; each adds the Azure resources of its clusters. */
  readonly platforms: ReadonlyMap<string, AzureSide>;
  /**
   * Absolute folder where `OUT/terraform` will finally live. A local backend's state path is written
   * relative to the stack's folder in it, so that the JSON is the same on any machine.
   */
  readonly terraformDir: string;
}

/**
 * One Terraform stack of the fleet's Azure side: resource groups, identities, key vaults, each
 * platform's cluster resources, federated credentials, role assignments and outputs, as far as
 * `plan.stacks` places them here. What lives in another stack is referred to by its literal ARM ID
 * (an existing-resource reference), never through remote state. Terraform logical IDs are the plan's.
 */
export class FleetStack extends TerraformStack {
  public readonly plan: FleetPlan;
  private readonly resourceGroups = new Map<string, IResourceGroup>();
  private readonly identities = new Map<string, IIdentity>();
  /** The plan's identities by name: looked up per FIC, role and output, so a map, not a scan. */
  private readonly identityPlans: ReadonlyMap<string, IdentityPlan>;
  private readonly groupPlans: ReadonlyMap<string, ResourceGroupPlan>;
  private readonly applications = new Map<string, IEntraApplication>();
  private azuread?: AzureadProvider;
  private readonly keyVaults = new Map<string, IKeyVault>();
  private readonly clusterIssuers = new Map<string, string>();
  private clientConfig?: DataAzurermClientConfig;

  constructor(scope: Construct, props: FleetStackProps) {
    const { plan, stack } = props;
    refuseTokenMarkers(plan);
    super(scope, stack.name);
    this.plan = plan;
    const lookups = planLookups(plan);
    this.identityPlans = lookups.identities;
    this.groupPlans = lookups.resourceGroups;
    const { stacks } = plan;
    const shared = stack.name === stacks.shared;
    const parts = stackParts(plan, stack.name);

    new AzurermProvider(
      this,
      'azurerm',
      terraformLiterals({
        // Stated, not left to the default (hashicorp/terraform-provider-azurerm `internal/features/defaults.go`):
        // a group that still holds resources is never deleted. An OpenShift cluster's installation group holds
        // the cluster until Hive deprovisions it, so removing the cluster from the fleet first cannot delete it.
        features: [{ resourceGroup: [{ preventDeletionIfContainsResources: true }] }],
        subscriptionId: plan.subscriptionId,
        tenantId: plan.tenantId,
        environment: plan.endpoints.terraformEnvironment,
      }),
    );
    this.addBackend(props.terraformDir);

    // the shared stack creates the fleet's groups; any other group is a reference by ARM ID, made when used
    for (const group of shared ? plan.resourceGroups.filter((g) => !g.existing) : []) {
      this.resourceGroups.set(group.name, new AzureResourceGroup(this, group.logicalId, { name: group.name, location: group.location, tags: group.tags, importFrom: group.importId }));
    }
    for (const identity of parts.identities) {
      if (identity.kind === 'application') {
        this.applications.set(identity.name, this.addApplication(identity));
        continue;
      }
      const resourceGroup = this.resourceGroup(identity.resourceGroup);
      this.identities.set(
        identity.name,
        identity.existing
          ? Identity.fromExisting(this, identity.logicalId, { name: identity.name, resourceGroup, armId: identity.armId })
          : new Identity(this, identity.logicalId, { name: identity.name, resourceGroup, location: identity.location, tags: identity.tags, importFrom: identity.importId }),
      );
    }
    for (const vault of plan.keyVaults) {
      this.keyVaults.set(
        vault.name,
        vault.existing || !shared
          ? AzureKeyVault.fromExisting(this, vault.logicalId, { armId: vault.armId })
          : new AzureKeyVault(this, vault.logicalId, {
              name: vault.name,
              resourceGroup: this.resourceGroup(vault.resourceGroup),
              location: vault.location,
              tenantId: plan.tenantId,
              sku: vault.sku,
              softDeleteRetentionDays: vault.softDeleteRetentionDays,
              tags: vault.tags,
            }),
      );
    }
    for (const cluster of parts.clusters) {
      platformOf(cluster, props.platforms).addAzureResources(this, cluster);
    }
    for (const credential of parts.federatedCredentials) {
      const trusted = { name: credential.name, issuer: this.issuerOf(credential.issuer), subject: credential.subject, audience: credential.audience };
      if (this.kindOf(credential.identity) === 'application') {
        new ApplicationFederatedCredential(this, credential.logicalId, { ...trusted, application: this.application(credential.identity) });
      } else {
        new FederatedCredential(this, credential.logicalId, { ...trusted, identity: this.managedIdentity(credential.identity), importFrom: credential.importId });
      }
    }
    for (const assignment of parts.roleAssignments) {
      new RoleAssignment(this, assignment.logicalId, {
        role: assignment.role,
        scope: this.scopeOf(assignment.scope),
        ...this.principalOf(assignment.principal),
        importFrom: assignment.importId,
      });
    }
    this.addOutputs(parts);
    this.built = this.node.findAll().length;
  }

  /** How many constructs wisynth put in the stack; more means the caller added their own (`stackOf`). */
  private readonly built: number;

  /**
   * Whether cdktf's preparing resolve must run over the stack. That pass resolves every token once more,
   * before the resolve that writes the JSON, only to find references to other stacks and add the remote
   * state and outputs they need (hashicorp/terraform-cdk packages/cdktf/lib/terraform-stack.ts,
   * prepareStack). wisynth refers to another stack's resources by literal ARM ID only, so a stack holding
   * nothing but wisynth's constructs has none (and check refuses the remote state such a reference
   * becomes); one the caller added to is prepared as cdktf would.
   */
  public needsPreparing(): boolean {
    return this.node.findAll().length !== this.built;
  }

  /** A resource group of the plan: name and ID are references when the fleet creates it, literals otherwise. */
  public resourceGroup(name: string): IResourceGroup {
    const found = this.resourceGroups.get(name);
    if (found) return found;
    const group = this.groupPlans.get(name);
    if (!group) return this.lookup(this.resourceGroups, 'resource group', name);
    const reference = AzureResourceGroup.fromExisting(this, group.logicalId, { name: group.name, armId: group.armId });
    this.resourceGroups.set(name, reference);
    return reference;
  }

  /** An identity of the plan, of either kind, as roles and outputs use it: its client id and its principal's object id. */
  public identity(name: string): Pick<IIdentity, 'clientId' | 'principalId'> {
    return this.kindOf(name) === 'application' ? this.application(name) : this.managedIdentity(name);
  }

  /** A managed identity of the plan: the resource when it lives in this stack, else a reference by its ARM ID. */
  public managedIdentity(name: string): IIdentity {
    const found = this.identities.get(name);
    if (found) return found;
    const identity = this.identityPlans.get(name);
    if (!identity || identity.kind !== 'managedIdentity') return this.lookup(this.identities, 'identity', name);
    const reference = Identity.fromExisting(this, identity.logicalId, { name, resourceGroup: this.resourceGroup(identity.resourceGroup), armId: identity.armId });
    this.identities.set(name, reference);
    return reference;
  }

  /** An application of the plan: the resource when it lives in this stack, else read by its ids or display name. */
  public application(name: string): IEntraApplication {
    const found = this.applications.get(name);
    if (found) return found;
    const identity = this.identityPlans.get(name);
    if (!identity || identity.kind !== 'application') return this.lookup(this.applications, 'application', name);
    this.azureadProvider();
    const reference =
      identity.objectId !== undefined
        ? AzureEntraApplication.fromExisting(this, identity.logicalId, { clientId: identity.clientId.value, objectId: identity.objectId })
        : AzureEntraApplication.fromDisplayName(this, identity.logicalId, identity.name);
    this.applications.set(name, reference);
    return reference;
  }

  private kindOf(name: string): IdentityPlan['kind'] {
    return this.identityPlans.get(name)?.kind ?? 'managedIdentity';
  }

  private addApplication(identity: Extract<IdentityPlan, { kind: 'application' }>): IEntraApplication {
    this.azureadProvider();
    return identity.objectId !== undefined
      ? AzureEntraApplication.fromExisting(this, identity.logicalId, { clientId: identity.clientId.value, objectId: identity.objectId })
      : new AzureEntraApplication(this, identity.logicalId, { displayName: identity.name });
  }

  /**
   * The azuread provider, once a stack holds an application (Entra applications live in the tenant, not in a
   * subscription). It takes azurerm's environment names: hashicorp/go-azure-sdk `sdk/environments`
   * FromName accepts `public`, `usgovernment` and `china`.
   */
  private azureadProvider(): void {
    this.azuread ??= new AzureadProvider(this, 'azuread', terraformLiterals({ tenantId: this.plan.tenantId, environment: this.plan.endpoints.terraformEnvironment }));
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

  /** Terraform reads a backend's settings verbatim, never as a template: they are written as they are. */
  private addBackend(terraformDir: string): void {
    const { backend } = this.plan;
    const name = this.node.id;
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

  /** Declares the stack's outputs, each carrying the value it is named after. */
  private addOutputs(parts: StackParts): void {
    for (const { output, source } of parts.outputs) {
      // reading an existing identity's ids adds a data source: only what is output is read
      const value = source.kind === 'issuer' ? this.clusterIssuer(source.cluster) : this.identity(source.identity)[source.kind];
      // A TerraformOutput directly under the stack is named by its id, verbatim. Terraform reads a
      // description verbatim (it is no template), so only the value is made a literal.
      new TerraformOutput(this, output.name, { value: terraformLiteral(value), description: output.description });
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
  /** Absolute path where `OUT/terraform` will finally live. */
  readonly finalTerraformDir: string;
  /** Platforms by name; each adds the Azure resources of its clusters. */
  readonly platforms: ReadonlyMap<string, AzureSide>;
  /**
   * The stacks to build, when not all: the others are written already (a synth takes them from the previous
   * OUT). A stack built depends on one that is not through an empty stack of its name, never synthesized.
   * @default every stack of the plan
   */
  readonly only?: ReadonlySet<string>;
}

/** The stacks of a fleet in a cdktf app, with their dependencies as the plan lays them out, by stack name. */
export function addFleetStacks(app: App, plan: FleetPlan, options: AzureAppOptions): ReadonlyMap<string, FleetStack> {
  // cdktf records a stack trace in every resource's metadata unless the app was made without: machine-dependent
  const traces = app.node.tryGetContext(DISABLE_STACK_TRACE_IN_METADATA) !== true;
  if (traces) throw new Error('the cdktf App records stack traces in the Terraform it writes, which then differs between machines: create it with new App({ stackTraces: false })');
  const taken = plan.stacks.stacks.find((stack) => app.node.tryFindChild(stack.name) !== undefined);
  if (taken) throw new Error(`the cdktf App already holds a construct named "${taken.name}", the name of a stack of fleet ${plan.name}: give that construct another id`);
  const { only } = options;
  const stacks = only ? plan.stacks.stacks.filter((s) => only.has(s.name)) : plan.stacks.stacks;
  const built = withoutTokenStackTraces(
    () => new Map(stacks.map((stack) => [stack.name, new FleetStack(app, { plan, stack, platforms: options.platforms, terraformDir: options.finalTerraformDir })])),
  );
  const standIns = new Map<string, TerraformStack>();
  const dependencyOf = (name: string): TerraformStack => {
    const found = built.get(name) ?? standIns.get(name);
    if (found) return found;
    const standIn = new TerraformStack(app, name);
    standIns.set(name, standIn);
    return standIn;
  };
  for (const stack of stacks) {
    for (const dependency of stack.dependsOn) built.get(stack.name)!.addDependency(dependencyOf(dependency));
  }
  return built;
}

/**
 * Writes every stack of a cdktf app into `outdir` (`stacks/<stack>/cdk.tf.json` and `manifest.json`), the
 * steps of cdktf's App.synth (hashicorp/terraform-cdk `packages/cdktf/lib/app.ts`, synth) aimed at a folder of
 * the caller's instead of the app's own outdir. `alreadyWritten`: stacks of the plan whose files are put there
 * otherwise (their stand-ins in the app are not synthesized), listed in manifest.json all the same. Returns
 * manifest.json's entries by stack.
 */
export function synthesizeStacks(app: App, outdir: string, alreadyWritten: readonly StackPlan[] = []): ReadonlyMap<string, StackManifest> {
  fs.mkdirSync(outdir, { recursive: true });
  const manifest = new Manifest(app.manifest.version, outdir, false);
  const session = { outdir, skipValidation: false, manifest };
  const skipped = new Set(alreadyWritten.map((s) => s.name));
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c) && !skipped.has(c.node.id));
  withoutTokenStackTraces(() => {
    for (const stack of stacks) {
      if (stack instanceof FleetStack && !stack.needsPreparing()) stack.ensureBackendExists();
      else stack.prepareStack();
    }
    stacks.forEach((stack) => stack.synthesizer.synthesize(session));
  });
  const problems = app.node.validate();
  if (problems.length > 0) throw new Error(`the Terraform app does not validate:\n  ${problems.join('\n  ')}`);
  for (const stack of alreadyWritten) manifest.stacks[stack.name] = unannotatedEntry(stack);
  manifest.writeToFile();
  return new Map(Object.entries(manifest.stacks));
}

/**
 * What cdktf's Manifest.forStack lists for a stack of wisynth's app that has no annotations
 * (hashicorp/terraform-cdk packages/cdktf/lib/manifest.ts): a stack written already is listed the same.
 */
function unannotatedEntry(stack: StackPlan): StackManifest {
  const dir = `${Manifest.stacksFolder}/${stack.name}`;
  return {
    name: stack.name,
    constructPath: stack.name,
    workingDirectory: dir,
    synthesizedStackPath: `${dir}/cdk.tf.json`,
    stackMetadataPath: `${dir}/${Manifest.stackMetadataPath}`,
    annotations: [],
    dependencies: [...stack.dependsOn],
  };
}

const checkedPlans = new WeakSet<FleetPlan>();

/**
 * A plan is data read from input, and its values are written to the Kubernetes side as well: a cdktf token
 * marker in one (`${TfToken[...]}`) is forged, and cdktf would replace it with one of its own references.
 */
function refuseTokenMarkers(plan: FleetPlan): void {
  if (checkedPlans.has(plan)) return;
  const forged = forgedTokenMarkers(plan);
  if (forged.length > 0) {
    throw new FleetError(
      forged.map((at) => ({
        message: `the value at ${at} of the planned fleet holds "TfToken[" in \${…}, #{…} or &{…}, cdktf's marker of a token`,
        fix: 'write the value without that sequence: fleet values are literals, never cdktf tokens',
      })),
    );
  }
  checkedPlans.add(plan);
}

function platformOf(cluster: ClusterPlan, platforms: ReadonlyMap<string, AzureSide>): AzureSide {
  const platform = platforms.get(cluster.platform);
  if (platform === undefined) {
    throw new Error(`cluster "${cluster.name}": platform "${cluster.platform}" is not registered`);
  }
  return platform;
}
