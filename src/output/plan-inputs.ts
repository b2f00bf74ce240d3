import type { Fleet } from '../model/fleet';
import type { PlanOptions } from '../model/plan';
import { loadServiceAccountKeys } from '../oidc/fleet-keys';
import { loadCredentialsRequests } from '../openshift/fleet-credentials-requests';

/** What planning a fleet reads from disk besides the fleet: public keys and CredentialsRequests. */
export function loadPlanInputs(fleet: Fleet): Required<Pick<PlanOptions, 'keys' | 'credentialsRequests'>> {
  return { keys: loadServiceAccountKeys(fleet), credentialsRequests: loadCredentialsRequests(fleet) };
}
