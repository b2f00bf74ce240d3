import { Rule } from '../rule';
import { aksRule } from './aks';
import { aksShowRule } from './aks-show';
import { apiServerIssuersRule } from './api-server-issuers';
import { apiServerKeysRule } from './api-server-keys';
import { audiencesRule } from './audiences';
import { capzNodeIdentityRule } from './capz-node-identity';
import { clientIdsRule } from './client-ids';
import { discoveryRule } from './discovery';
import { externalNamespacesRule } from './external-namespaces';
import { federationRule } from './federation';
import { ficLimitsRule } from './fic-limits';
import { issuersRule } from './issuers';
import { kustomizationRule } from './kustomization';
import { openshiftRule } from './openshift';
import { placeholdersRule } from './placeholders';
import { podLabelsRule } from './pod-labels';
import { previousIssuersRule } from './previous-issuers';
import { schemasRule } from './schemas';
import { secretsRule } from './secrets';
import { terraformExpressionsRule } from './terraform-expressions';
import { stackDependenciesRule, terraformReferencesInStacksRule } from './terraform-references';
import { webhookRule } from './webhook';

/** Every invariant `wisynth check` proves, in the order the README lists them. */
export const RULES: readonly Rule[] = [
  issuersRule,
  federationRule,
  clientIdsRule,
  audiencesRule,
  ficLimitsRule,
  previousIssuersRule,
  discoveryRule,
  apiServerKeysRule,
  apiServerIssuersRule,
  podLabelsRule,
  externalNamespacesRule,
  webhookRule,
  aksRule,
  aksShowRule,
  capzNodeIdentityRule,
  openshiftRule,
  placeholdersRule,
  secretsRule,
  schemasRule,
  kustomizationRule,
  terraformReferencesInStacksRule,
  stackDependenciesRule,
  terraformExpressionsRule,
];
