import type { Cluster } from './cluster';
import { KUBERNETES_DEFAULT_ISSUER } from './constants';
import type { PlannedValue, PreviousIssuer } from './fleet-plan';
import type { PlanContext } from './plan-context';

/**
 * The previous issuers of a cluster that keep FICs (`previousIssuers` at `field`): each follows the issuer
 * rules, none is listed twice or is the current issuer, and a `retireAfter` is a day of the calendar.
 * Kubernetes' in-cluster default issuer gets no FIC: Entra cannot fetch a discovery document for a name
 * that resolves only inside a cluster, so such a FIC would match nothing.
 */
export function planPreviousIssuers(c: Cluster, ctx: PlanContext, field: Array<string | number>, current: PlannedValue): PreviousIssuer[] {
  const seen = new Set<string>();
  const planned: PreviousIssuer[] = [];
  c.declaredPreviousIssuers.forEach((previous, i) => {
    const at = [...field, i];
    if (!ctx.checkValue(c, at, 'issuerUrl', previous.issuer)) return;
    if (seen.has(previous.issuer)) {
      ctx.issue(c, at, `previous issuer "${previous.issuer}" is listed twice`, 'list each previous issuer once');
      return;
    }
    seen.add(previous.issuer);
    if (!current.pending && previous.issuer === current.value) {
      ctx.issue(c, at, `previous issuer "${previous.issuer}" is the cluster's issuer itself`, 'list only issuers the cluster had before; its own issuer always has its FICs');
      return;
    }
    if (previous.retireAfter !== undefined && !isCalendarDay(previous.retireAfter)) {
      ctx.issue(c, [...at, 'retireAfter'], `retireAfter "${previous.retireAfter}" is not a day of the calendar`, 'write the day as YYYY-MM-DD, e.g. 2027-01-31');
      return;
    }
    if (previous.issuer !== KUBERNETES_DEFAULT_ISSUER) planned.push(previous);
  });
  return planned;
}

/** `YYYY-MM-DD` naming a day that exists (2027-02-29 does not). */
function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.toISOString().slice(0, 10) === text;
}
