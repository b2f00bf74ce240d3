import type { ClusterDocumentOf, LoadContext } from '../../model/platform-model';
import { ExternalIssuerCluster } from './cluster';

/** An external-issuer entry: the issuer as given. */
export function loadExternalIssuerCluster(d: ClusterDocumentOf<'external-issuer'>, ctx: LoadContext): ExternalIssuerCluster {
  return new ExternalIssuerCluster(ctx.fleet, ctx.id, { name: d.name, issuerUrl: d.externalIssuer.issuerUrl, tags: d.tags, previousIssuers: d.previousIssuers });
}
