import { Rule } from '../rule';
import { aksRule } from './aks';
import { audiencesRule } from './audiences';
import { clientIdsRule } from './client-ids';
import { discoveryRule } from './discovery';
import { federationRule } from './federation';
import { ficLimitsRule } from './fic-limits';
import { issuersRule } from './issuers';
import { kustomizationRule } from './kustomization';
import { openshiftRule } from './openshift';
import { placeholdersRule } from './placeholders';
import { podLabelsRule } from './pod-labels';
import { schemasRule } from './schemas';
import { secretsRule } from './secrets';
import { terraformExpressionsRule } from './terraform-expressions';
import { terraformReferencesRule } from './terraform-references';
import { webhookRule } from './webhook';

/** Every invariant `wisynth check` proves, in the order the README lists them. */
export const RULES: readonly Rule[] = [
  issuersRule,
  federationRule,
  clientIdsRule,
  audiencesRule,
  ficLimitsRule,
  discoveryRule,
  podLabelsRule,
  webhookRule,
  aksRule,
  openshiftRule,
  placeholdersRule,
  secretsRule,
  schemasRule,
  kustomizationRule,
  terraformReferencesRule,
  terraformExpressionsRule,
];
