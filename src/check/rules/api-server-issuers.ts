import { at, OutFile, parseEmbeddedYaml } from '../artifacts';
import { Finding } from '../finding';
import { isRecord } from '../objects';
import { Rule } from '../rule';
import { ClusterTrust, TrustModel } from '../trust';

const RULE = 'api-server-issuer';
const GS_ISSUERS = ['cluster', 'providerIntegration', 'controlPlane', 'kubeadmConfig', 'clusterConfiguration', 'apiServer', 'serviceAccountIssuers'] as const;

/**
 * A FIC's issuer is one the cluster's API server accepts: one of its `service-account-issuer` values
 * (the first signs, all are accepted: kubernetes/kubernetes `pkg/kubeapiserver/options/authentication.go`).
 * Read from the kind patch, the kubeadm fragment (one entry per issuer) and the Giant Swarm values. A first
 * value that differs from the cluster's issuer is the issuer-sources rule's finding (and a list without the
 * cluster's issuer has such a first value), so this one reports what that rule cannot see: a file that sets
 * no issuer at all (the API server then issues and accepts only its default, and no FIC matches its tokens).
 */
export const apiServerIssuersRule: Rule = (model) =>
  model.clusters.flatMap((c) => {
    const fics = model.federatedCredentialsOf(c).filter((f) => model.clusterOf(f)?.exact);
    if (fics.length === 0) return [];
    return apiServerFiles(model, c)
      // a first value other than the cluster's issuer is issuer-sources' finding; a list without it starts so
      .filter(({ issuers }) => issuers.length === 0)
      .flatMap(({ file, object }) =>
        fics
          .map(
            (fic): Finding => ({
              severity: 'error',
              rule: RULE,
              file: file.path,
              object,
              message:
                `the API server of cluster ${c.summary.name} is given no service-account-issuer here, so it issues and accepts only its default issuer` +
                `, not "${model.shown(fic.issuer)}", the issuer of FIC ${fic.name} (${fic.file} ${fic.address}): the FIC matches none of its tokens`,
              fix: `set service-account-issuer to "${model.shown(fic.issuer)}" first (synth writes it so)`,
            }),
          ),
      );
  });

function apiServerFiles(model: TrustModel, c: ClusterTrust): Array<{ file: OutFile; object: string; issuers: string[] }> {
  const dir = `clusters/${c.summary.name}`;
  const byPath = new Map(model.artifacts.files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => [f.path, f]));
  const out: Array<{ file: OutFile; object: string; issuers: string[] }> = [];
  const canonical = (values: unknown[]) => values.filter((v): v is string => typeof v === 'string').map((v) => model.canonical(v));
  const kind = byPath.get(`${dir}/kind-cluster.yaml`);
  if (kind) {
    const patches = at(parseEmbeddedYaml(kind.text), 'kubeadmConfigPatches');
    const values = (Array.isArray(patches) ? patches : [])
      .map((p) => parseEmbeddedYaml(p))
      .filter((p) => p?.kind === 'ClusterConfiguration')
      .map((p) => at(p, 'apiServer', 'extraArgs', 'service-account-issuer'));
    out.push({ file: kind, object: 'kubeadmConfigPatches ClusterConfiguration service-account-issuer', issuers: canonical(values) });
  }
  const kubeadm = byPath.get(`${dir}/kubeadm-cluster-configuration.yaml`);
  if (kubeadm) {
    const args = at(parseEmbeddedYaml(kubeadm.text), 'apiServer', 'extraArgs');
    const values = Array.isArray(args) ? args.filter((a) => isRecord(a) && a.name === 'service-account-issuer').map((a) => (a as Record<string, unknown>).value) : [];
    out.push({ file: kubeadm, object: 'apiServer.extraArgs service-account-issuer', issuers: canonical(values) });
  }
  const gs = byPath.get(`${dir}/giantswarm-values.yaml`);
  if (gs) {
    const list = at(parseEmbeddedYaml(gs.text), ...GS_ISSUERS);
    out.push({ file: gs, object: GS_ISSUERS.join('.'), issuers: canonical(Array.isArray(list) ? list.map((i) => at(i, 'url')) : []) });
  }
  return out;
}
