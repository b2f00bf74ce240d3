import type { IConstruct } from 'constructs';
import type { CloudEndpoints } from './constants';
import type { CredentialsRequestSet, PlannedValue } from './fleet-plan';
import type { PublicSigningKey } from '../oidc/keys';
import type { IResourceGroup } from './resource-group';
import type { IManagedIdentity, IWorkloadIdentity } from './managed-identity';
import type { ValueKind } from '../core/values';
import type { NameKind } from './names';
import type { Cluster } from './cluster';
import type { Tags } from './tags';

/** What the fleet planner lends a platform's planner. */
export interface PlanContext {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly location: string;
  readonly endpoints: CloudEndpoints;
  issue(construct: IConstruct, field: Array<string | number>, message: string, fix: string): void;
  /** A plan warning: the fleet is valid, but something will not work as the user may expect. */
  warn(message: string): void;
  /** An input the caller should have read (a key, CredentialsRequests): reported unless the caller reported it already. */
  missingInput(construct: IConstruct, field: Array<string | number>, message: string, fix: string): void;
  checkName(construct: IConstruct, field: Array<string | number>, kind: NameKind, name: string): void;
  /** Reports a value that is not of its kind (core/values.ts); `fix` replaces the kind's rule as the fix. False when reported. */
  checkValue(construct: IConstruct, field: Array<string | number>, kind: ValueKind, value: unknown, fix?: string): boolean;
  /** False (and reported) when the identity is not one of the fleet's. */
  checkIdentity(construct: IConstruct, field: Array<string | number>, identity: IWorkloadIdentity): boolean;
  /** An identity's client id; `usedBy` is recorded while it is a placeholder. */
  clientIdOf(identity: IWorkloadIdentity, usedBy: string): PlannedValue;
  identityArmId(identity: IManagedIdentity): string;
  /** A value that exists only after apply: from the outputs when given, else a placeholder. */
  afterApply(output: string): PlannedValue;
  /** An output known before apply (an adopted identity's client id): recorded as if given. */
  knownBeforeApply(output: string, value: string): PlannedValue;
  /** Records where a pending value is used (listed in summary.json). */
  usePending(value: PlannedValue, where: string): void;
  /** ARM id of a resource group, or of a resource in it. */
  armId(group: string, resource?: string): string;
  logicalId(kind: string, ...parts: string[]): string;
  /** Tags of a resource made for this cluster alone. */
  clusterTags(cluster: Cluster): Tags;
  /**
   * Tags of one resource: the fleet's, and those of the clusters it is made for (none for a shared one);
   * clusters that give a shared resource different values of a tag are reported. `what` names it in messages.
   */
  resourceTags(construct: IConstruct, what: string, owners?: readonly Cluster[]): Tags;
  /** Reports a resource group that the fleet does not declare. */
  checkDeclared(construct: IConstruct, field: Array<string | number>, group: IResourceGroup): void;
  /** The inputs the caller read (PlanOptions): a public key by file as written in the fleet, and by cluster name its CredentialsRequests and SSH key line. */
  publicKey(file: string): PublicSigningKey | undefined;
  credentialsRequestsOf(cluster: string): CredentialsRequestSet | undefined;
  sshKeyOf(cluster: string): string | undefined;
}
