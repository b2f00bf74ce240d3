import { VALUE_RULES } from '../../core/values';
import type { PlanContext } from '../../model/plan-context';
import type { PlatformPlan } from '../../model/platform-model';
import type { ExternalIssuerCluster } from './cluster';

/** The issuer as given, checked by the issuer rules; nothing else to plan. */
export function planExternalIssuer(c: ExternalIssuerCluster, ctx: PlanContext): PlatformPlan {
  ctx.checkValue(c, ['externalIssuer', 'issuerUrl'], 'issuerUrl', c.issuerUrl, `copy it byte for byte from the issuer of the cluster's tokens (\`kubectl get --raw /.well-known/openid-configuration\`, field issuer; it is ${VALUE_RULES.issuerUrl.rule})`);
  return { issuer: { value: c.issuerUrl, pending: false }, part: { platform: 'external-issuer' } };
}
