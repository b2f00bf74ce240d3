/** The contract of OUT/summary.json: written by synth, read by check, graph and the next synth. */

/** A service account that wisynth federates but does not write: CAPZ, ASO and OpenShift's operators install their own. */
export interface ExternalServiceAccount {
  readonly namespace: string;
  readonly name: string;
  /** The audience its tokens carry. */
  readonly audience: string;
  readonly installedBy: string;
}

/** Where in OUT each part of a cluster's output goes, as `/`-separated paths relative to OUT. */
export const OUT_PATHS = {
  kubernetesFolder: (cluster: string) => `kubernetes/${cluster}`,
  kubernetesFile: (cluster: string, file: string) => `kubernetes/${cluster}/${file}`,
  clusterFile: (cluster: string, file: string) => `clusters/${cluster}/${file}`,
  oidcFile: (cluster: string, file: string) => `oidc/${cluster}/${file}`,
  terraformStackFile: (stack: string) => `terraform/stacks/${stack}/cdk.tf.json`,
} as const;

/** The folders of OUT that hold a folder of each cluster's, `<folder>/<cluster>/`: together one part of OUT. */
export const CLUSTER_FOLDERS = ['kubernetes', 'clusters', 'oidc'] as const;

/** The forms in which a file of OUT states a cluster's issuer; `check` reads each its own way. */
export const ISSUER_STATEMENT_FORMS = [
  /** a kind Cluster: the ClusterConfiguration of kubeadmConfigPatches, apiServer.extraArgs service-account-issuer */
  'kind-config',
  /** a kubeadm ClusterConfiguration (v1beta4): apiServer.extraArgs, one service-account-issuer entry per issuer */
  'kubeadm-configuration',
  /** Giant Swarm cluster values: ...apiServer.serviceAccountIssuers[].url */
  'giantswarm-values',
  /** an OIDC discovery document: issuer */
  'discovery',
  /** a Secret of the installer's manifests: the Authentication's spec.serviceAccountIssuer */
  'openshift-manifests',
  /** a Terraform stack: the oidc_issuer_url of its azurerm_kubernetes_cluster (resource, or data source of a cluster it reads) of the statement's `name` */
  'aks-cluster',
] as const;

export type IssuerStatementForm = (typeof ISSUER_STATEMENT_FORMS)[number];

/** A file of OUT (relative, `/`) that states the cluster's issuer, and in which form. */
export interface IssuerStatement {
  readonly file: string;
  readonly form: IssuerStatementForm;
  /** The cluster's name in Azure, for `aks-cluster`. */
  readonly name?: string;
}

/**
 * How the azure-workload-identity webhook reaches a cluster, as its platform says. `managed`: the platform
 * runs it (AKS's add-on), so an install is an error. Otherwise the objects of the cluster's folder install
 * it, or the Helm values files listed (relative to OUT), or nothing when the user turned it off.
 */
export type WebhookInstall = { readonly managed: true } | { readonly managed: false; readonly valuesFiles: readonly string[] };

/** One cluster in OUT/summary.json: where its files are and what `check` needs that no other file says. */
export interface ClusterSummary {
  readonly name: string;
  readonly platform: string;
  /** Its Kubernetes objects, relative to OUT. */
  readonly folder: string;
  /** The cluster the folder is applied to, when not this one (the Hive hub). */
  readonly appliedTo?: string;
  /** The issuer its tokens carry: the value, or a placeholder naming the Terraform output. */
  readonly issuer: string;
  /**
   * Issuers it is moving away from, whose FICs stand beside the current issuer's (`check` takes them for the
   * cluster's, and warns after `retireAfter`, a YYYY-MM-DD day); absent when there are none.
   */
  readonly previousIssuers?: ReadonlyArray<{ readonly issuer: string; readonly retireAfter?: string }>;
  /** The files that state the issuer too (written by its platform), which `check` compares; absent in OUTs of older versions. */
  readonly issuerStatedIn?: readonly IssuerStatement[];
  /**
   * An AKS cluster in Azure, for `check --aks-show`: its name and group (unknown for an existing cluster
   * known by its issuer URL alone, whose Azure name is taken to be its name).
   */
  readonly aks?: { readonly name: string; readonly resourceGroup?: string; readonly subscriptionId: string };
  /** How the webhook reaches it; absent in OUTs of older versions. */
  readonly webhook?: WebhookInstall;
  /** `kid` of the key the API server signs with (self-hosted issuers). */
  readonly signingKeyId?: string;
  readonly externalServiceAccounts?: readonly ExternalServiceAccount[];
  /**
   * Namespaces of its service accounts that wisynth does not write a Namespace for (`createNamespace: false`):
   * they must exist before the folder is applied. `check` warns when the folder has no Namespace of that name.
   */
  readonly externalNamespaces?: readonly ExternalNamespace[];
}

/** A namespace the fleet's service accounts live in but wisynth does not create, and those service accounts. */
export interface ExternalNamespace {
  readonly namespace: string;
  /** Names of the service accounts in it, sorted. */
  readonly serviceAccounts: readonly string[];
}

/** The file of OUT that says what wisynth wrote there; `check`, `graph` and the next synth read it. */
export const SUMMARY_FILE = 'summary.json';

/**
 * The marker that makes a folder a wisynth OUT: the first field of summary.json. No other tool writes
 * it, so synth replaces only a folder that carries it (and only when the folder holds nothing else
 * than what its `files` list). `format` changes when the layout of OUT or of summary.json changes
 * incompatibly; format 0 is the summary of wisynth before the marker existed (no `generator`).
 */
export const SUMMARY_GENERATOR = { name: 'wisynth', format: 1 } as const;

/**
 * Why a parsed summary.json is not one this wisynth wrote or can read (its marker, or the exact shape of
 * format 0), said as `summary.json ...`; undefined when it is.
 */
export function generatorProblem(summary: Readonly<Record<string, unknown>>): string | undefined {
  const generator = summary.generator;
  if (generator === undefined) {
    const formatZero = typeof summary.fleet === 'string' && ['stacks', 'clusters', 'placeholders', 'warnings', 'skippedCredentialsRequests', 'files'].every((k) => Array.isArray(summary[k]));
    return formatZero ? undefined : `${SUMMARY_FILE} has no "generator": ${JSON.stringify(SUMMARY_GENERATOR)}, so another tool wrote it`;
  }
  if (generator === null || typeof generator !== 'object' || (generator as Record<string, unknown>).name !== SUMMARY_GENERATOR.name) {
    return `${SUMMARY_FILE} names another generator than ${SUMMARY_GENERATOR.name}`;
  }
  const format = (generator as Record<string, unknown>).format;
  if (typeof format !== 'number' || format > SUMMARY_GENERATOR.format) {
    return `${SUMMARY_FILE} has format ${JSON.stringify(format)}, which this wisynth (format ${SUMMARY_GENERATOR.format}) does not know`;
  }
  return undefined;
}

/** Every entry at the top of OUT, and all that synth and `wisynth graph` ever write there. */
export const OUT_TOP_LEVEL = ['clusters', 'graph.md', 'kubernetes', 'oidc', 'secrets', 'summary.json', 'terraform'] as const;

/** Written into OUT by `wisynth graph`, not by synth: allowed in OUT, not listed in `files`, dropped on re-synth. */
export const GRAPH_FILE = 'graph.md';

/**
 * What Terraform (or a user running it) puts into a stack folder, OUT/terraform/stacks/<stack>/: not
 * listed in `files`, carried over into the new OUT on every synth, never deleted. The local state of
 * the default workspace and of other workspaces is among them for the case that it lands here.
 */
export const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl', '.terraform.tfstate.lock.info', 'terraform.tfstate', 'terraform.tfstate.backup', 'terraform.tfstate.d'] as const;

/** Of those, the ones holding Terraform state: synth refuses to drop a stack folder that has them. */
export const TERRAFORM_STATE_FILES = ['terraform.tfstate', 'terraform.tfstate.backup', 'terraform.tfstate.d'] as const;

/** Present while Terraform holds the lock of a local state in that folder (or after it crashed). */
export const TERRAFORM_STATE_LOCK = '.terraform.tfstate.lock.info';

/** OUT/summary.json: what was written and what is still missing. */
export interface SynthSummary {
  /** Always SUMMARY_GENERATOR: marks the folder as wisynth's. */
  readonly generator: { readonly name: typeof SUMMARY_GENERATOR.name; readonly format: number };
  readonly fleet: string;
  readonly stacks: readonly string[];
  readonly clusters: readonly ClusterSummary[];
  /** Values that are still placeholders: the Terraform output, and where each stands. */
  readonly placeholders: ReadonlyArray<{ readonly output: string; readonly usedBy: readonly string[] }>;
  readonly resolvedOutputs: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
  /** CredentialsRequests that ccoctl would skip too (marked for deletion, tech preview), and why. */
  readonly skippedCredentialsRequests: ReadonlyArray<{ readonly cluster: string; readonly name: string; readonly file: string; readonly reason: string }>;
  /** Every file synth wrote, relative to OUT with `/`, summary.json included; Terraform's working files are not listed. */
  readonly files: readonly string[];
}

