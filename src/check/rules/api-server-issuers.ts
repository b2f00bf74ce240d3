import { KUBERNETES_DEFAULT_ISSUER } from '../../model/constants';
import { fileAt, OutFile } from '../artifacts';
import { API_SERVER_FORMS, readStatement } from '../issuer-statements';
import { Finding } from '../finding';
import { Rule } from '../rule';
import { ClusterTrust, FederatedCredentialInfo, TrustModel } from '../trust';
import { looselyEqual } from '../trust-values';
import { groupBy } from '../../core/group';

const RULE = 'api-server-issuer';

/** One API server configuration in OUT: the file, the object that sets the issuers, and the issuers in order (canonical). */
export interface ApiServerFile {
  readonly cluster: ClusterTrust;
  readonly file: OutFile;
  readonly object: string;
  readonly issuers: readonly string[];
}

/**
 * A FIC's issuer is one the API server accepts. kube-apiserver takes `--service-account-issuer` several
 * times: it issues tokens with the first value and accepts tokens carrying any of them
 * (kubernetes/kubernetes `pkg/kubeapiserver/options/authentication.go`); Entra matches a token's `iss`
 * byte for byte against the FIC's issuer. Issuers are read from the files summary.json says configure the API
 * server (the kind patch, the kubeadm fragment with one entry per issuer, the Giant Swarm values).
 * - Error, on the file: a FIC of the cluster (exact or near, `clusterOf`) carries an issuer the file does
 *   not list, or the file lists none; no token of that API server, old or new, matches the FIC. This
 *   replaces issuer-sources' finding for that file (`reportedByApiServerIssuer`): one finding per fault.
 * - Warning, on the FIC: no cluster advertises its issuer, but an API server lists it after the first
 *   (a previous issuer): the FIC matches only tokens issued before the switch, worth keeping until they
 *   expire. This replaces fic-issuer's finding (`previousIssuerOf`). An error when that issuer is
 *   kubeadm's default: Entra cannot fetch its discovery document, so the FIC matches nothing.
 * A list that holds the cluster's issuer but not first is issuer-sources' finding alone.
 */
export const apiServerIssuersRule: Rule = (model) => [...unacceptedIssuers(model), ...previousIssuerFics(model)];

function unacceptedIssuers(model: TrustModel): Finding[] {
  return model.clusters.flatMap((c) => {
    const fics = model.federatedCredentialsOf(c).filter((f) => model.clusterOf(f)?.exact || !previousIssuerOf(model, f));
    if (fics.length === 0) return [];
    return apiServerFiles(model, c).flatMap(({ file, object, issuers }) =>
      // one finding per issuer the file lacks, naming every FIC that carries it
      [...groupBy(fics.filter((f) => !issuers.includes(f.issuer)), (f) => f.issuer)].map(([issuer, carriers]): Finding => {
        const exact = issuer === c.issuer;
        const named = `"${model.shown(issuer)}", the issuer of ${ficList(carriers)}`;
        if (issuers.length === 0) {
          return {
            severity: 'error',
            rule: RULE,
            file: file.path,
            object,
            message: `the API server of cluster ${c.summary.name} is given no service-account-issuer here, so it issues and accepts only its default issuer, not ${named}: ${matchesNone(carriers)}`,
            fix: exact ? `set service-account-issuer to "${model.shown(issuer)}" first (synth writes it so)` : `set service-account-issuer to "${model.shown(c.issuer)}" first (synth writes it so) and correct the FIC's issuer to it`,
          };
        }
        return {
          severity: 'error',
          rule: RULE,
          file: file.path,
          object,
          message:
            `the API server of cluster ${c.summary.name} configured by ${file.path} neither issues nor accepts tokens with issuer ${named}` +
            ` (${issued(model, issuers)}${nearMiss(issuers[0], issuer)}): ${matchesNone(carriers)}`,
          fix: exact
            ? `put "${model.shown(issuer)}" first in service-account-issuer here (synth writes it so), or correct the FIC`
            : `correct the FIC's issuer to "${model.shown(c.issuer)}" (synth writes it so), or put "${model.shown(issuer)}" first here`,
        };
      }),
    );
  });
}

function previousIssuerFics(model: TrustModel): Finding[] {
  return model.federatedCredentials.flatMap((fic): Finding[] => {
    if (model.clusterOf(fic)?.exact) return [];
    const accepted = previousIssuerOf(model, fic);
    if (!accepted) return [];
    const { cluster, file, issuers } = accepted;
    const where = `the API server of cluster ${cluster.summary.name} (${file.path})`;
    // kubeadm's default is `https://kubernetes.default.svc.cluster.local`: Entra fetches the issuer's
    // discovery document from the issuer URL itself, and that name resolves only inside a cluster, so
    // Entra can validate no token carrying it, old or new. Such a FIC never works: an error, not a wait.
    if (fic.issuer === KUBERNETES_DEFAULT_ISSUER) {
      return [
        {
          severity: 'error',
          rule: RULE,
          file: fic.file,
          object: fic.address,
          message:
            `FIC ${fic.name} on identity ${fic.identityName} has issuer "${fic.issuer}", kubeadm's default, which ${where} accepts as a previous issuer` +
            ` but issues no new tokens with (it issues with "${model.shown(issuers[0])}"); Entra cannot fetch a discovery document for that cluster-internal name, so the FIC matches no token`,
          fix: `delete the FIC; the cluster's FIC for "${model.shown(cluster.issuer)}" is the one that works (synth writes it)`,
        },
      ];
    }
    return [
      {
        severity: 'warning',
        rule: RULE,
        file: fic.file,
        object: fic.address,
        message:
          `FIC ${fic.name} on identity ${fic.identityName} has issuer "${model.shown(fic.issuer)}", which no cluster advertises; ${where} accepts it as a previous issuer` +
          ` but issues no new tokens with it (it issues with "${model.shown(issuers[0])}"), so the FIC matches only tokens issued before the issuer change`,
        fix:
          `keep it only until those tokens have expired (the longest service account token lifetime), and only while that issuer's discovery document and JWKS stay hosted; ` +
          `then delete it (the cluster's FIC for "${model.shown(cluster.issuer)}" takes over)`,
      },
    ];
  });
}

/**
 * The API server file that accepts a FIC's issuer as a non-first (previous) issuer, when no cluster
 * advertises that issuer exactly: api-server-issuer then reports the FIC, not fic-issuer.
 */
export function previousIssuerOf(model: TrustModel, fic: FederatedCredentialInfo): ApiServerFile | undefined {
  if (model.clusterOf(fic)?.exact) return undefined;
  return allApiServerFiles(model).find((f) => f.issuers.indexOf(fic.issuer) > 0);
}

/**
 * Whether api-server-issuer reports this API server file for the cluster's own issuer (its FICs carry it,
 * the file lists issuers but not it): issuer-sources then leaves the file's first value to that finding.
 */
export function reportedByApiServerIssuer(model: TrustModel, c: ClusterTrust, path: string): boolean {
  if (!model.federatedCredentialsOf(c).some((f) => f.issuer === c.issuer)) return false;
  return apiServerFiles(model, c).some((f) => f.file.path === path && f.issuers.length > 0 && !f.issuers.includes(c.issuer));
}

const cache = new WeakMap<TrustModel, Map<ClusterTrust, ApiServerFile[]>>();

function allApiServerFiles(model: TrustModel): ApiServerFile[] {
  return model.clusters.flatMap((c) => apiServerFiles(model, c));
}

/** The kind patch, kubeadm fragment and Giant Swarm values of a cluster, with the issuers each gives its API server. */
export function apiServerFiles(model: TrustModel, c: ClusterTrust): ApiServerFile[] {
  let byCluster = cache.get(model);
  if (!byCluster) cache.set(model, (byCluster = new Map()));
  const known = byCluster.get(c);
  if (known) return known;
  const canonical = (values: readonly unknown[]) => values.filter((v): v is string => typeof v === 'string').map((v) => model.canonical(v));
  const out: ApiServerFile[] = (c.summary.issuerStatedIn ?? [])
    .filter((statement) => API_SERVER_FORMS.has(statement.form))
    .flatMap((statement) => readStatement(model.artifacts, statement))
    .map((stated) => ({ cluster: c, file: fileAt(model.artifacts, stated.file)!, object: stated.object, issuers: canonical(stated.issuers) }));
  byCluster.set(c, out);
  return out;
}

/** What an API server issues and accepts, from its issuers in order. */
function issued(model: TrustModel, issuers: readonly string[]): string {
  const [first, ...rest] = issuers.map((i) => `"${model.shown(i)}"`);
  return rest.length === 0 ? `it issues and accepts only ${first}` : `it issues with ${first} and also accepts ${rest.join(', ')}`;
}

function matchesNone(fics: readonly unknown[]): string {
  return fics.length === 1 ? 'the FIC matches none of its tokens' : 'these FICs match none of its tokens';
}

function ficList(fics: readonly FederatedCredentialInfo[]): string {
  const named = fics.map((f) => `${f.name} (${f.file} ${f.address})`);
  return named.length === 1 ? `FIC ${named[0]}` : `FICs ${named.join(', ')}`;
}

/** The near miss between what the API server issues and the FIC's issuer, as issuer-sources names it. */
function nearMiss(issued: string, fic: string): string {
  if (issued.replace(/\/+$/, '') === fic.replace(/\/+$/, '')) return ', they differ by a trailing slash';
  if (looselyEqual(issued, fic)) return ', they differ in case';
  return '';
}
