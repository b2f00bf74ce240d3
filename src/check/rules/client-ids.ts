import { closestName } from '../../core/edit-distance';
import { excerpt } from '../../core/excerpt';
import { firstBy } from '../../core/group';
import { guidProblem } from '../../core/values';
import { ANNOTATION_CLIENT_ID, PLACEHOLDER_PREFIX } from '../../model/constants';
import { at, embeddedYamlIn } from '../artifacts';
import { Finding } from '../finding';
import { isRecord } from '../../core/objects';
import { Rule } from '../rule';
import { ClusterTrust, TrustModel } from '../trust';

/**
 * Every client id the cluster side names is one of an identity of this output: a service account's
 * `azure.workload.identity/client-id` annotation, a CAPZ AzureClusterIdentity's `spec.clientID`, and the
 * `azure_client_id` of each credentials Secret in an OpenShift manifests Secret. A value is a placeholder
 * of a Terraform output that is an identity's client id, or the value recorded for such an output after
 * apply (`summary.json` resolvedOutputs), or the client id of an identity that exists outside Terraform.
 * The last cannot be proved from the files (the fleet file holds it), so it is checked as far as they
 * allow: it is a GUID, the identity its FICs are on is not one Terraform creates, and every place that
 * names that identity names the same client id.
 */

const RULE = 'client-id';

/** One place a client id is written, and the identity the files say it must be (through the FICs of its service account). */
interface Site {
  readonly file: string;
  readonly object: string;
  readonly raw: unknown;
  /** The identity key it must belong to, when the files say so. */
  readonly expected?: string;
  /** A service account: its identity is the federation rule's to compare, and one without FIC is that rule's to report. */
  readonly serviceAccount: boolean;
}

export const clientIdsRule: Rule = (model) => {
  const sites = [...model.clusters.flatMap((c) => serviceAccountSites(model, c)), ...clusterIdentitySites(model), ...credentialsSecretSites(model)];
  const findings: Finding[] = [];
  const existing = new Map<string, Array<{ site: Site; value: string }>>();
  for (const site of sites) {
    const result = judge(model, site);
    if (result === 'existing') existing.set(site.expected!, [...(existing.get(site.expected!) ?? []), { site, value: (site.raw as string).toLowerCase() }]);
    else if (result) findings.push(result);
  }
  for (const [key, uses] of existing) findings.push(...disagreements(model, key, uses));
  return findings;
};

/** A finding, nothing (undefined: the value is one of an identity), or 'existing' (a literal of an identity outside Terraform, compared later). */
function judge(model: TrustModel, site: Site): Finding | 'existing' | undefined {
  const error = (message: string, fix: string): Finding => ({ severity: 'error', rule: RULE, file: site.file, object: site.object, message, fix });
  const { raw } = site;
  if (typeof raw !== 'string') return error(`is ${excerpt(raw)}, not a client id`, 'set it to the client id (a GUID) of the identity, or synth again');
  if (raw.startsWith(PLACEHOLDER_PREFIX)) {
    const output = raw.slice(PLACEHOLDER_PREFIX.length);
    const key = model.identityOfClientId(raw);
    if (key === undefined) {
      const near = closestName(output, clientIdOutputs(model), 3);
      return error(
        `${excerpt(raw)} stands for the Terraform output ${output}, which no stack declares as an identity's client id`,
        near ? `did you mean "${PLACEHOLDER_PREFIX}${near}"? (synth writes it so)` : 'synth again, so that the placeholder names an output of the Terraform stacks',
      );
    }
    return mismatch(model, site, key, error);
  }
  const problem = guidProblem(raw);
  if (problem) return error(`${excerpt(raw)} ${problem}, so it is no identity's client id`, 'set it to the identity\'s client id (`az identity show -g <group> -n <name> --query clientId`), or synth again');
  const output = model.recordedOutput(raw, true);
  const key = output && model.identityOfValue(model.artifacts.summary.resolvedOutputs[output], 'client_id');
  if (key !== undefined) return mismatch(model, site, key, error);

  const expected = site.expected;
  if (expected === undefined) {
    if (site.serviceAccount) return undefined; // no FIC: the federation rule reports the service account
    return error(
      `${excerpt(raw)} is no identity's client id in this output: neither the placeholder of an identity's Terraform output nor a value recorded for one after apply (summary.json resolvedOutputs)`,
      'synth again (with --outputs after apply), so that the client id comes from the plan',
    );
  }
  const identity = model.identities.get(expected);
  if (identity?.address !== undefined) {
    const output = outputOf(model, expected);
    const value = output && model.artifacts.summary.resolvedOutputs[output];
    return error(
      `${excerpt(raw)} is not the client id of identity ${identity.name}, which ${identity.address} creates: its client id is the Terraform output ${output ?? '(none declared)'}${value ? ` (${excerpt(value)})` : ', not known until apply'}`,
      value ? `set it to ${value}` : `set it to ${PLACEHOLDER_PREFIX}${output ?? `<output>`} and synth again with --outputs after apply`,
    );
  }
  return 'existing';
}

/** A value that belongs to one identity where the files say it must be another's (service accounts: the federation rule's). */
function mismatch(model: TrustModel, site: Site, key: string, error: (message: string, fix: string) => Finding): Finding | undefined {
  if (site.serviceAccount || site.expected === undefined || site.expected === key) return undefined;
  const name = (k: string) => model.identities.get(k)?.name ?? k;
  return error(`${excerpt(site.raw)} is the client id of identity ${name(key)}, but the FICs of the service accounts using it are on identity ${name(site.expected)}`, `set it to the client id of ${name(site.expected)}`);
}

/** One identity outside Terraform has one client id: the value most places name wins (the first in file order on a tie). */
function disagreements(model: TrustModel, key: string, uses: ReadonlyArray<{ site: Site; value: string }>): Finding[] {
  const counts = new Map<string, number>();
  for (const u of uses) counts.set(u.value, (counts.get(u.value) ?? 0) + 1);
  const most = Math.max(...counts.values());
  const winner = uses.find((u) => counts.get(u.value) === most)!;
  const name = model.identities.get(key)?.name ?? key;
  return uses
    .filter((u) => u.value !== winner.value)
    .map(({ site }) => ({
      severity: 'error' as const,
      rule: RULE,
      file: site.file,
      object: site.object,
      message: `${excerpt(site.raw)} is not the client id ${winner.site.raw as string} that ${winner.site.object} (${winner.site.file}) names for the same identity ${name}; one identity has one client id`,
      fix: `set it to the client id of identity ${name} (\`az identity show --ids <its ARM id> --query clientId\`), in every place`,
    }));
}

/** The identity the FICs of a subject on a cluster's issuer are on, when they agree. */
function identityOfSubject(model: TrustModel, cluster: ClusterTrust, subject: string): string | undefined {
  const keys = new Set(model.federatedCredentialsOf(cluster).filter((f) => f.subject === subject).map((f) => f.identityKey));
  const [only] = keys;
  return keys.size === 1 ? only : undefined;
}

function serviceAccountSites(model: TrustModel, cluster: ClusterTrust): Site[] {
  return cluster.serviceAccounts
    .filter((sa) => sa.object && sa.clientId !== undefined)
    .map((sa) => ({
      file: sa.object!.file,
      object: `${sa.object!.label} ${ANNOTATION_CLIENT_ID}`,
      raw: sa.clientId,
      expected: identityOfSubject(model, cluster, sa.subject),
      serviceAccount: true,
    }));
}

/** AzureClusterIdentity `spec.clientID`: CAPZ's identity, the one its service accounts' FICs are on. */
function clusterIdentitySites(model: TrustModel): Site[] {
  const byFolder = firstBy(model.clusters, (c) => c.summary.folder);
  return model.artifacts.objects
    .filter((o) => o.obj.kind === 'AzureClusterIdentity' && at(o.obj, 'spec', 'clientID') !== undefined)
    .map((o) => {
      const cluster = byFolder.get(`kubernetes/${o.folder}`);
      const capz = cluster?.serviceAccounts.filter((sa) => sa.external?.installedBy === 'CAPZ') ?? [];
      const keys = new Set(capz.map((sa) => cluster && identityOfSubject(model, cluster, sa.subject)));
      const [only] = keys;
      return { file: o.file, object: `${o.label} spec.clientID`, raw: at(o.obj, 'spec', 'clientID'), expected: keys.size === 1 ? only : undefined, serviceAccount: false };
    });
}

/** The `azure_client_id` of each credentials Secret that an OpenShift manifests Secret carries for the installer. */
function credentialsSecretSites(model: TrustModel): Site[] {
  return model.artifacts.objects
    .filter((o) => o.obj.kind === 'Secret' && isRecord(o.obj.stringData))
    .flatMap((o) =>
      Object.entries(o.obj.stringData as Record<string, unknown>).flatMap(([key, text]) => {
        const doc = embeddedYamlIn(model.artifacts, text);
        if (doc?.kind !== 'Secret' || !isRecord(doc.stringData) || !('azure_client_id' in doc.stringData)) return [];
        const inner = `Secret ${String(at(doc, 'metadata', 'namespace'))}/${String(at(doc, 'metadata', 'name'))}`;
        return [{ file: o.file, object: `${o.label} ${key}: ${inner} stringData.azure_client_id`, raw: doc.stringData.azure_client_id, serviceAccount: false }];
      }),
    );
}

/** Names of the stack outputs that are an identity's client id. */
function clientIdOutputs(model: TrustModel): string[] {
  return model.artifacts.stacks.flatMap((s) => [...s.outputs.keys()].filter((name) => model.identityOfValue(`${PLACEHOLDER_PREFIX}${name}`, 'client_id') !== undefined));
}

/** The output that carries the client id of an identity Terraform creates. */
function outputOf(model: TrustModel, key: string): string | undefined {
  return clientIdOutputs(model).find((name) => model.identityOfValue(`${PLACEHOLDER_PREFIX}${name}`, 'client_id') === key);
}
