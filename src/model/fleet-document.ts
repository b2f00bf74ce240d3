/**
 * The shape of a fleet file, as schemas/fleet.schema.json allows it: the types are generated from the
 * schema (fleet-document.generated.ts, `npm run generate:types`), and only named and narrowed here.
 */
import type * as Schema from './fleet-document.generated';

/** Every property readonly, all the way down: the builder reads a document, it never changes one. */
type DeepReadonly<T> = T extends ReadonlyArray<infer E>
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A union whose members also say that they lack the fields of the others (`?: never`), as
 * `additionalProperties: false` in each branch of the schema does: `cluster.workloads` then reads as
 * `undefined` on an openshift-hive cluster instead of being an error on the union.
 */
type Exclusive<U, K extends PropertyKey = U extends unknown ? keyof U : never> = U extends unknown
  ? U & { readonly [P in Exclude<K, keyof U>]?: never }
  : never;

export type FleetDocument = DeepReadonly<Schema.WisynthFleet>;

/** An ARM scope, or a declared key vault or resource group. */
export type RoleScopeDocument = DeepReadonly<Schema.RoleScope>;

export type IdentityDocument = DeepReadonly<Schema.Identity>;

export type KeyVaultDocument = DeepReadonly<Schema.KeyVault>;

export type WorkloadDocument = DeepReadonly<Schema.Workload>;

/** Known by its issuer URL, or by group (and name): then Terraform reads the issuer from the cluster. */
export type AksDocument = DeepReadonly<Schema.AKS>;

export type SelfManagedDocument = DeepReadonly<Schema.SelfManaged>;

export type CapzMachineDocument = DeepReadonly<Schema.CAPZMachines>;

export type CapzDocument = DeepReadonly<Schema.CAPZ>;

/** The install-config's `networking`, as the installer writes it. */
export type OpenShiftNetworkingDocument = DeepReadonly<Schema.OpenShiftNetworking>;

export type OpenShiftHiveDocument = DeepReadonly<Schema.OpenShiftHive>;

/** One of `clusters`, told apart by `platform`. */
export type ClusterDocument = Exclusive<DeepReadonly<Schema.Cluster>>;
