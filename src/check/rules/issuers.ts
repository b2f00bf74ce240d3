import { fileAt } from '../artifacts';
import { Finding } from '../finding';
import { Rule } from '../rule';
import { ClusterTrust, TrustModel } from '../trust';
import { looselyEqual } from '../trust-values';
import { readStatement } from '../issuer-statements';
import { previousIssuerOf, reportedByApiServerIssuer } from './api-server-issuers';

/**
 * One issuer string per cluster, byte for byte: every place the cluster states it (API server flag,
 * discovery document, Authentication, AKS resource, summary) agrees, and every FIC carries one of them.
 * Two faults are api-server-issuer's instead, so each is reported once: an API server file whose issuers
 * lack the cluster's issuer (issuer-sources would report its first value), and a FIC whose issuer an API
 * server accepts as a previous issuer (fic-issuer would say no cluster advertises it).
 */
export const issuersRule: Rule = (model) => [...unreadStatements(model), ...disagreeingSources(model), ...unknownFicIssuers(model)];

/**
 * The files summary.json says state a cluster's issuer are in OUT; a cluster with a hosted issuer whose
 * summary lists none was written by a wisynth before the list, and is compared on fewer files.
 */
function unreadStatements(model: TrustModel): Finding[] {
  return model.clusters.flatMap(({ summary }, index): Finding[] => {
    if (summary.issuerStatedIn === undefined) {
      return summary.signingKeyId === undefined && summary.aks?.resourceGroup === undefined
        ? []
        : [{ severity: 'warning', rule: 'issuer-sources', file: 'summary.json', object: `clusters[${index}]`, message: `lists no files that state the issuer of cluster ${summary.name} (an older wisynth wrote it), so its AKS resource, API server configuration and discovery document are not compared`, fix: 'synth again' }];
    }
    return summary.issuerStatedIn.flatMap((statement): Finding[] => {
      const at = { severity: 'error' as const, rule: 'issuer-sources', file: 'summary.json', object: `clusters[${index}].issuerStatedIn ${statement.file}` };
      if (fileAt(model.artifacts, statement.file) === undefined) {
        return [{ ...at, message: `says ${statement.file} states the issuer of cluster ${summary.name}, but OUT has no such file`, fix: 'restore the file from a synth, or synth again' }];
      }
      if (statement.form === 'aks-cluster' && readStatement(model.artifacts, statement).length === 0) {
        return [{ ...at, message: `says Terraform's AKS cluster ${summary.name} states its issuer, but ${statement.file} holds no azurerm_kubernetes_cluster (resource or data source) named "${statement.name}"`, fix: 'synth again: the stack and summary.json are of different synths' }];
      }
      return [];
    });
  });
}

function disagreeingSources(model: TrustModel): Finding[] {
  return model.clusters.flatMap((c) =>
    c.sources
      .filter((s) => s.canonical !== c.issuer && !reportedByApiServerIssuer(model, c, s.file))
      .map((s) => ({
        severity: 'error' as const,
        rule: 'issuer-sources',
        file: s.file,
        object: s.object,
        message: `cluster ${c.summary.name}'s issuer is "${model.shown(s.canonical)}" here but "${model.shown(c.issuer)}" in ${agreeing(c)}${hint(s.canonical, c.issuer)}`,
        fix: `write "${model.shown(c.issuer)}" byte for byte: tokens carry the API server's issuer, and Entra compares it exactly`,
      })),
  );
}

function unknownFicIssuers(model: TrustModel): Finding[] {
  return model.federatedCredentials.flatMap((fic) => {
    const owner = model.clusterOf(fic);
    if (owner?.exact || previousIssuerOf(model, fic)) return [];
    const near = owner?.cluster;
    return [
      {
        severity: 'error' as const,
        rule: 'fic-issuer',
        file: fic.file,
        object: fic.address,
        message:
          `FIC ${fic.name} on identity ${fic.identityName} has issuer "${model.shown(fic.issuer)}", which no cluster in this folder advertises` +
          (near ? `; cluster ${near.summary.name} advertises "${model.shown(near.issuer)}"${hint(fic.issuer, near.issuer)}` : '') +
          '; token exchange fails with AADSTS70021',
        fix: near ? `set issuer to "${model.shown(near.issuer)}" (synth writes it so)` : 'set issuer to the issuer of the cluster whose service account it federates, or delete the FIC',
      },
    ];
  });
}

function agreeing(c: ClusterTrust): string {
  const files = [...new Set(c.sources.filter((s) => s.canonical === c.issuer).map((s) => s.file))];
  return files.join(', ');
}

/** Names the kind of near miss, the usual cause of AADSTS70021. */
function hint(actual: string, expected: string): string {
  if (actual.replace(/\/+$/, '') === expected.replace(/\/+$/, '')) return ' (they differ by a trailing slash)';
  if (looselyEqual(actual, expected)) return ' (they differ in case)';
  return '';
}
