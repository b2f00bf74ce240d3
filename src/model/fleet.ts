import { Construct, IConstruct } from 'constructs';
import { AzureCloud } from './constants';
import type { Tags } from './tags';

/** The Azure tenant, subscription and region of a fleet. */
export interface AzureSettings {
  /** Entra tenant (directory) id. */
  readonly tenantId: string;
  /** Subscription that holds every new resource. */
  readonly subscriptionId: string;
  /** Default Azure region for new resources. */
  readonly location: string;
  /**
   * Azure cloud; picks endpoints and the provider's environment.
   * @default 'public'
   */
  readonly cloud?: AzureCloud;
}

/** Terraform state on the local disk, one file per stack. */
export interface LocalBackendSettings {
  /** Selects the local backend. */
  readonly type: 'local';
  /**
   * Folder for state files, relative to the fleet's base folder; keep it outside the output folder.
   * @default 'terraform-state'
   */
  readonly path?: string;
}

/** Terraform state in an Azure Storage container, one blob per stack, Entra auth. */
export interface AzurermBackendSettings {
  /** Selects the azurerm backend. */
  readonly type: 'azurerm';
  /** Resource group of the storage account. */
  readonly resourceGroupName: string;
  /** Storage account that holds the state; it must exist before the first `terraform init`. */
  readonly storageAccountName: string;
  /** Blob container of the state blobs. */
  readonly containerName: string;
  /**
   * Prefix of each stack's state blob: `<keyPrefix><stack>.tfstate`.
   * @default ''
   */
  readonly keyPrefix?: string;
}

export type BackendSettings = LocalBackendSettings | AzurermBackendSettings;

/**
 * How the Azure side is cut into Terraform stacks: one for the whole fleet, or a shared stack plus
 * one per cluster (see the README, "Stacks at fleet scale").
 */
export type StackLayout = 'single' | 'perCluster';

/** Where the fleet's Terraform state lives and how its stacks are cut. */
export interface TerraformSettings {
  /**
   * Where Terraform keeps the state of every stack.
   * @default { type: 'local', path: 'terraform-state' }
   */
  readonly backend?: BackendSettings;
  /**
   * How the Azure side is cut into stacks.
   * @default 'perCluster' for fleets of more than PER_CLUSTER_STACKS_ABOVE (20) clusters, else 'single'
   */
  readonly stackLayout?: StackLayout;
}

/** Props of a `Fleet`. */
export interface FleetProps {
  /**
   * Name of the fleet; names the Terraform stack.
   * @default 'fleet'
   */
  readonly name?: string;
  /** Tenant, subscription and default region of every new resource. */
  readonly azure: AzureSettings;
  /**
   * Terraform state and stack layout.
   * @default local state in 'terraform-state', stack layout by the fleet's size (see `TerraformSettings`)
   */
  readonly terraform?: TerraformSettings;
  /**
   * Tags of every taggable resource the fleet creates; a cluster's tags add to them on its own resources.
   * @default - none: no fleet-wide tags
   */
  readonly tags?: Tags;
  /**
   * Folder that relative paths of the fleet (the local state folder) resolve against.
   * The YAML front-end sets it to the fleet file's folder.
   * @default process.cwd()
   */
  readonly baseDir?: string;
}

/**
 * A fleet: Azure settings plus every resource group, identity, vault and cluster declared beneath it, at
 * any depth (inside constructs of the user's own). Declare one first; every other construct of wisynth lives
 * under a fleet. It is a root (`new Fleet(props)`) or lives in the user's construct tree
 * (`new Fleet(scope, id, props)`). Plan it with `planFleet`, write it with `synthesizeFleet` or a `FleetApp`.
 */
export class Fleet extends Construct {
  public readonly fleetName: string;
  public readonly azure: Required<AzureSettings>;
  public readonly backend: BackendSettings;
  /** As given; unset means chosen by the fleet's size when planned. */
  public readonly stackLayout?: StackLayout;
  public readonly baseDir: string;
  public readonly tags: Tags;

  /** A fleet at the root of its own construct tree. */
  constructor(props: FleetProps);
  /** A fleet inside the user's construct tree. */
  constructor(scope: Construct, id: string, props: FleetProps);
  constructor(...args: [FleetProps] | [Construct, string, FleetProps]) {
    const [scope, id, props] = args.length === 1 ? [undefined as unknown as Construct, '', args[0]] : args;
    super(scope, id);
    this.fleetName = props.name ?? 'fleet';
    this.azure = { cloud: 'public', ...props.azure };
    this.backend = props.terraform?.backend ?? { type: 'local' };
    this.stackLayout = props.terraform?.stackLayout;
    this.baseDir = props.baseDir ?? process.cwd();
    this.tags = props.tags ?? {};
  }

  /** The fleet a construct belongs to: the nearest Fleet it is declared in. */
  public static of(construct: IConstruct): Fleet {
    const fleet = [...construct.node.scopes].reverse().find((c): c is Fleet => c instanceof Fleet);
    if (!fleet) throw new Error(`${construct.node.path || '(root)'} is not declared in a Fleet: create it with a Fleet, or a construct inside one, as its scope`);
    return fleet;
  }

  /** The constructs of these types declared in this fleet, at any depth, in the order they were declared. */
  public membersOf<T extends IConstruct>(...types: ReadonlyArray<abstract new (...args: never[]) => T>): T[] {
    return this.node.findAll().filter((c): c is T => types.some((type) => c instanceof type) && c !== (this as IConstruct) && Fleet.of(c) === this);
  }
}
