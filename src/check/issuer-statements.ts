import { isRecord } from '../core/objects';
import type { IssuerStatement, IssuerStatementForm } from '../core/summary';
import { at, Artifacts, embeddedYamlIn, fileAt, objectsIn, parseJsonQuietly, stackAt, TerraformStack } from './artifacts';

/** What one file says of a cluster's issuer: the object that says it, and the issuers it gives, in order. */
export interface StatedIssuers {
  readonly file: string;
  readonly object: string;
  /** Raw values, as written; the first is the one that signs where a list is given. */
  readonly issuers: readonly unknown[];
  /** The Terraform stack that says it, whose references the values may be. */
  readonly stack?: TerraformStack;
}

const GS_ISSUERS = ['cluster', 'providerIntegration', 'controlPlane', 'kubeadmConfig', 'clusterConfiguration', 'apiServer', 'serviceAccountIssuers'] as const;

/** The forms that configure an API server (its `service-account-issuer` values). */
export const API_SERVER_FORMS: ReadonlySet<IssuerStatementForm> = new Set(['kind-config', 'kubeadm-configuration', 'giantswarm-values']);

/** Statements read, by the summary's statement: several rules ask for the same ones. */
const read = new WeakMap<Artifacts, Map<IssuerStatement, readonly StatedIssuers[]>>();

/**
 * What the file of a statement says of the issuer, read the way its form is written; nothing when the file
 * is not in OUT (`issuer-sources` reports that) or does not parse (`readable` does).
 */
export function readStatement(artifacts: Artifacts, statement: IssuerStatement): readonly StatedIssuers[] {
  let known = read.get(artifacts);
  if (!known) read.set(artifacts, (known = new Map()));
  let stated = known.get(statement);
  if (!stated) known.set(statement, (stated = statedIn(artifacts, statement)));
  return stated;
}

function statedIn(artifacts: Artifacts, statement: IssuerStatement): StatedIssuers[] {
  const { file, form } = statement;
  const text = fileAt(artifacts, file)?.text;
  if (text === undefined) return [];
  switch (form) {
    case 'kind-config': {
      const patches = at(embeddedYamlIn(artifacts, text), 'kubeadmConfigPatches');
      const values = (Array.isArray(patches) ? patches : [])
        .map((p) => embeddedYamlIn(artifacts, p))
        .filter((p) => p?.kind === 'ClusterConfiguration')
        .map((p) => at(p, 'apiServer', 'extraArgs', 'service-account-issuer'))
        .filter((v) => v !== undefined);
      return [{ file, object: 'kubeadmConfigPatches ClusterConfiguration service-account-issuer', issuers: values }];
    }
    case 'kubeadm-configuration': {
      const args = at(embeddedYamlIn(artifacts, text), 'apiServer', 'extraArgs');
      const values = Array.isArray(args) ? args.filter((a) => isRecord(a) && a.name === 'service-account-issuer').map((a) => (a as Record<string, unknown>).value) : [];
      return [{ file, object: 'apiServer.extraArgs service-account-issuer', issuers: values }];
    }
    case 'giantswarm-values': {
      const list = at(embeddedYamlIn(artifacts, text), ...GS_ISSUERS);
      return [{ file, object: GS_ISSUERS.join('.'), issuers: Array.isArray(list) ? list.map((i) => at(i, 'url')) : [] }];
    }
    case 'discovery':
      return [{ file, object: 'issuer', issuers: [at(parseJsonQuietly(text), 'issuer')] }];
    case 'aks-cluster': {
      const stack = stackAt(artifacts, file);
      const named = (blocks: ReadonlyMap<string, Record<string, unknown>> | undefined, prefix: string) =>
        [...(blocks ?? [])].filter(([, aks]) => aks.name === statement.name).map(([id]) => ({ file, object: `${prefix}azurerm_kubernetes_cluster.${id}`, issuers: [`\${${prefix}azurerm_kubernetes_cluster.${id}.oidc_issuer_url}`], stack }));
      return [...named(stack?.resources.get('azurerm_kubernetes_cluster'), ''), ...named(stack?.data.get('azurerm_kubernetes_cluster'), 'data.')];
    }
    case 'openshift-manifests':
      return objectsIn(artifacts, file.split('/').slice(0, 2).join('/'))
        .filter((o) => o.file === file && o.obj.kind === 'Secret')
        .flatMap((o) =>
          Object.entries(isRecord(o.obj.stringData) ? o.obj.stringData : {}).flatMap(([key, embedded]) => {
            const doc = embeddedYamlIn(artifacts, embedded);
            const isAuthentication = doc?.kind === 'Authentication' && String(doc.apiVersion).startsWith('config.openshift.io/');
            return isAuthentication ? [{ file, object: `${o.label} ${key}: Authentication spec.serviceAccountIssuer`, issuers: [at(doc, 'spec', 'serviceAccountIssuer')] }] : [];
          }),
        );
  }
}
