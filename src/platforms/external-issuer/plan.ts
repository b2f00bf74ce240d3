import { VALUE_RULES } from '../../core/values';
import type { PlanContext } from '../../model/plan-context';
import type { PlatformPlan } from '../../model/platform-model';
import { planPreviousIssuers } from '../../model/previous-issuers';
import type { ExternalIssuerCluster } from './cluster';

/** The issuer as given, checked by the issuer rules; nothing else to plan. */
export function planExternalIssuer(c: ExternalIssuerCluster, ctx: PlanContext): PlatformPlan {
  ctx.checkValue(c, ['externalIssuer', 'issuerUrl'], 'issuerUrl', c.issuerUrl, `copy it byte for byte from the issuer of the cluster's tokens (\`kubectl get --raw /.well-known/openid-configuration\`, field issuer; it is ${VALUE_RULES.issuerUrl.rule})`);
  const issuer = { value: c.issuerUrl, pending: false } as const;
  return { issuer, part: { platform: 'external-issuer' }, previousIssuers: planPreviousIssuers(c, ctx, ['previousIssuers'], issuer) };
}
