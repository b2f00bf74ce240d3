import { Construct } from 'constructs';
import { Fleet } from '../../model/fleet';
import type { IManagedIdentity, IWorkloadIdentity, RoleScope } from '../../model/managed-identity';
import { resourceGroupsOf } from '../../model/resource-group';
import { SelfManagedCluster, SelfManagedClusterProps } from '../self-managed/cluster';
import {
  CAPZ_CLUSTER_IDENTITY_NAME_DEFAULT,
  CAPZ_NAMESPACE_DEFAULT,
  CAPZ_MANAGER_SERVICE_ACCOUNT_DEFAULT,
  CAPZ_ROLE_DEFAULT,
  CAPZ_SERVICE_OPERATOR_SERVICE_ACCOUNT_DEFAULT,
} from '../../model/constants';

/** The role of a workload cluster's node identity unless `nodeIdentityRole` names another. */
export const CAPZ_NODE_IDENTITY_ROLE_DEFAULT = 'Contributor';

/** Namespaces whose clusters may use the AzureClusterIdentity: `'all'` (`{}`), or a list. */
export type AllowedNamespaces = 'all' | readonly string[];

/** The AzureClusterIdentity (kind WorkloadIdentity) that the workload clusters' AzureClusters refer to. */
export interface CapzClusterIdentityProps {
  /**
   * Name of the AzureClusterIdentity.
   * @default 'cluster-identity'
   */
  readonly name?: string;
  /**
   * Its namespace on the management cluster.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Namespaces whose clusters may use it.
   * @default the namespaces of the workload clusters declared on this management cluster
   */
  readonly allowedNamespaces?: AllowedNamespaces;
}

/** CAPZ and Azure Service Operator on a management cluster. */
export interface CapzProps {
  /** The identity CAPZ and Azure Service Operator act as: it gets their two FICs and its role. */
  readonly identity: IWorkloadIdentity;
  /**
   * Namespace CAPZ and ASO run in.
   * @default 'capz-system'
   */
  readonly namespace?: string;
  /**
   * Service account of the CAPZ controller manager.
   * @default 'capz-manager'
   */
  readonly managerServiceAccount?: string;
  /**
   * Service account of Azure Service Operator.
   * @default 'azureserviceoperator-default'
   */
  readonly serviceOperatorServiceAccount?: string;
  /**
   * Built-in role the identity gets at each of `scopes`.
   * @default 'Contributor'
   */
  readonly role?: string;
  /**
   * Where the role applies.
   * @default the fleet's subscription
   */
  readonly scopes?: readonly RoleScope[];
  /**
   * The AzureClusterIdentity of the workload clusters.
   * @default 'cluster-identity' in namespace 'default', for the workload clusters' namespaces
   */
  readonly clusterIdentity?: CapzClusterIdentityProps;
}

/** Props of a `CapzManagementCluster`: those of a self-managed cluster, plus CAPZ's. */
export interface CapzManagementClusterProps extends SelfManagedClusterProps {
  /** CAPZ and ASO on this cluster and the identity they act as. */
  readonly capz: CapzProps;
}

/** One kind of machine of a workload cluster (an AzureMachineTemplate). */
export interface CapzMachineProps {
  /**
   * VM size of the machines.
   * @default 'Standard_D2s_v3'
   */
  readonly vmSize?: string;
  /**
   * OS disk size in GB (30-4095).
   * @default 128
   */
  readonly osDiskSizeGB?: number;
}

/** Props of a `CapzWorkloadCluster`. */
export interface CapzWorkloadClusterProps {
  /**
   * The workload cluster's name (its Cluster object).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Namespace of its Cluster API objects on the management cluster.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Azure region of the cluster.
   * @default the fleet's location
   */
  readonly location?: string;
  /**
   * The resource group CAPZ creates for it.
   * @default the cluster's name (as clusterctl's default flavor)
   */
  readonly resourceGroup?: string;
  /** The user-assigned identity of its machines (cloud provider, kubelet); not CAPZ's own. */
  readonly nodeIdentity: IManagedIdentity;
  /**
   * The role the node identity gets: the cloud provider on the machines (load balancers, routes, disks)
   * acts as it.
   * @default 'Contributor'
   */
  readonly nodeIdentityRole?: string;
  /**
   * Where `nodeIdentityRole` applies. An empty list gives the node identity no role (the plan warns: the
   * cloud provider then fails); use it only when the role is granted outside this fleet.
   * @default the workload cluster's resource group (`resourceGroup`) when the fleet declares a resource group
   * of that name (Terraform creates it before the assignment), else the subscription: CAPZ creates the group
   * only after apply, and Azure cannot assign a role at a scope that does not exist yet
   */
  readonly nodeIdentityScopes?: readonly RoleScope[];
  /**
   * The control-plane machines (AzureMachineTemplate `<name>-control-plane`).
   * @default Standard_D2s_v3, 128 GB OS disk, 256 GB etcd disk
   */
  readonly controlPlane?: CapzMachineProps & {
    /**
     * Size of the etcd data disk that the default flavor's KubeadmControlPlane mounts, in GB.
     * @default 256
     */
    readonly etcdDiskSizeGB?: number;
  };
  /**
   * The worker machines (AzureMachineTemplate `<name>-md-0`).
   * @default Standard_D2s_v3, 128 GB OS disk
   */
  readonly workers?: CapzMachineProps;
}

/**
 * A Cluster API Provider Azure management cluster (kind or kubeadm) with a self-hosted issuer: CAPZ and
 * ASO federate into one identity, and every workload cluster declared on it uses that identity. Use it
 * instead of a `SelfManagedCluster` when the cluster runs CAPZ; add its clusters with `addWorkloadCluster`.
 */
export class CapzManagementCluster extends SelfManagedCluster {
  public override readonly platform = 'capz' as const;
  public readonly capz: Required<Omit<CapzProps, 'clusterIdentity'>> & {
    readonly clusterIdentity: { readonly name: string; readonly namespace: string; readonly allowedNamespaces?: AllowedNamespaces };
  };

  constructor(scope: Construct, id: string, props: CapzManagementClusterProps) {
    super(scope, id, props);
    const c = props.capz;
    this.capz = {
      identity: c.identity,
      namespace: c.namespace ?? CAPZ_NAMESPACE_DEFAULT,
      managerServiceAccount: c.managerServiceAccount ?? CAPZ_MANAGER_SERVICE_ACCOUNT_DEFAULT,
      serviceOperatorServiceAccount: c.serviceOperatorServiceAccount ?? CAPZ_SERVICE_OPERATOR_SERVICE_ACCOUNT_DEFAULT,
      role: c.role ?? CAPZ_ROLE_DEFAULT,
      scopes: c.scopes ?? [`/subscriptions/${Fleet.of(scope).azure.subscriptionId}`],
      clusterIdentity: {
        name: c.clusterIdentity?.name ?? CAPZ_CLUSTER_IDENTITY_NAME_DEFAULT,
        namespace: c.clusterIdentity?.namespace ?? 'default',
        allowedNamespaces: c.clusterIdentity?.allowedNamespaces,
      },
    };
    for (const s of this.capz.scopes) c.identity.grantRole(this.capz.role, s);
  }

  /** Declares a workload cluster that this management cluster creates with CAPZ; `id` defaults to its name, else 'workload-cluster'. */
  public addWorkloadCluster(props: CapzWorkloadClusterProps, id?: string): CapzWorkloadCluster {
    return new CapzWorkloadCluster(this, id ?? props.name ?? 'workload-cluster', props);
  }

  /** The workload clusters declared on this management cluster, in the order they were added. */
  public get workloadClusters(): CapzWorkloadCluster[] {
    return this.node.children.filter((c): c is CapzWorkloadCluster => c instanceof CapzWorkloadCluster);
  }

  /** CAPZ and ASO project their own tokens: the webhook is needed only for workloads of this cluster. */
  protected override defaultWebhook(): boolean {
    return this.workloads.length > 0;
  }
}

/**
 * A workload cluster created by CAPZ: its AzureCluster and AzureMachineTemplates carry the identities.
 * Declare it with `CapzManagementCluster.addWorkloadCluster`.
 */
export class CapzWorkloadCluster extends Construct {
  public readonly clusterName: string;
  public readonly props: CapzWorkloadClusterProps;
  /** The role of the node identity. */
  public readonly nodeIdentityRole: string;
  /** Where the node identity holds its role (empty: nowhere, which the plan warns about). */
  public readonly nodeIdentityScopes: readonly RoleScope[];

  constructor(scope: CapzManagementCluster, id: string, props: CapzWorkloadClusterProps) {
    super(scope, id);
    this.clusterName = props.name ?? id;
    this.props = props;
    // The first user-assigned identity of a machine runs the cloud provider (CAPZ sets
    // UseManagedIdentityExtension and UserAssignedIdentityID to it: kubernetes-sigs/cluster-api-provider-azure
    // controllers/helpers.go, userAssignedIdentityCloudProviderConfig), and "should have the `Contributor`
    // role on the resource group or [...] on the subscription" (kubernetes-sigs/cluster-api-provider-azure
    // docs/book/src/topics/vm-identity.md, "How to use managed identity", User-assigned).
    this.nodeIdentityRole = props.nodeIdentityRole ?? CAPZ_NODE_IDENTITY_ROLE_DEFAULT;
    this.nodeIdentityScopes = props.nodeIdentityScopes ?? [this.defaultNodeIdentityScope()];
    for (const s of this.nodeIdentityScopes) props.nodeIdentity.grantRole(this.nodeIdentityRole, s);
  }

  /** The workload cluster's resource group if the fleet declares it, else the subscription (the group does not exist at apply). */
  private defaultNodeIdentityScope(): RoleScope {
    const fleet = Fleet.of(this);
    const name = this.props.resourceGroup ?? this.clusterName;
    const declared = resourceGroupsOf(fleet).find((g) => g.groupName.toLowerCase() === name.toLowerCase());
    return declared ?? `/subscriptions/${fleet.azure.subscriptionId}`;
  }
}
