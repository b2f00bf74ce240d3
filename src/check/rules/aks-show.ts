import { OUT_PATHS } from '../../core/summary';
import { AKS_ENABLE_SCRIPT, AksAddress, aksUpdateCommand } from '../../platforms/aks/commands';
import { AksShow } from '../aks-show';
import { fileAt } from '../artifacts';
import { Finding } from '../finding';
import { Rule } from '../rule';
import { ClusterTrust, TrustModel } from '../trust';

const RULE = 'aks-show';

/**
 * What an AKS cluster reports (`--aks-show`) against OUT: the OIDC issuer and workload identity on (AKS's
 * managed webhook injects the token only then), and the issuer it reports byte for byte the one its FICs carry.
 */
export const aksShowRule: Rule = (model, options) =>
  (options.aksShow ?? []).flatMap((shown) => {
    const matches = model.clusters.filter((c) => c.summary.aks !== undefined && sameCluster(c, shown));
    if (matches.length !== 1) return [unmatched(model, shown, matches)];
    return clusterFindings(model, matches[0], shown);
  });

function sameCluster(c: ClusterTrust, shown: AksShow): boolean {
  const aks = c.summary.aks!;
  // Azure compares resource names of groups and clusters without case
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return same(aks.name, shown.name) && (aks.resourceGroup === undefined || same(aks.resourceGroup, shown.resourceGroup));
}

function clusterFindings(model: TrustModel, c: ClusterTrust, shown: AksShow): Finding[] {
  const name = c.summary.name;
  const fix = `turn both on in place, as the AKS guide does: ${command(model, c, shown)}`;
  const finding = (object: string, message: string, fixed = fix): Finding => ({ severity: 'error', rule: RULE, file: shown.file, object, message, fix: fixed });
  const findings: Finding[] = [];
  if (!shown.oidcIssuerEnabled) {
    findings.push(finding('oidcIssuerProfile.enabled', `AKS cluster ${shown.name} (cluster ${name}) has its OIDC issuer off: it publishes no issuer, so no FIC of cluster ${name} matches its tokens`));
  }
  if (!shown.workloadIdentityEnabled) {
    findings.push(finding('securityProfile.workloadIdentity.enabled', `AKS cluster ${shown.name} (cluster ${name}) has workload identity off: AKS runs no webhook, so pods of the annotated service accounts get no token and no AZURE_* variables`));
  }
  const stated = c.issuer;
  // an issuer Terraform reads from the cluster is the reported one by construction
  if (shown.issuerUrl !== undefined && !stated.startsWith('output:') && shown.issuerUrl !== stated) {
    const slash = shown.issuerUrl.replace(/\/+$/, '') === stated.replace(/\/+$/, '') ? ' (they differ by a trailing slash)' : '';
    findings.push(
      finding(
        'oidcIssuerProfile.issuerUrl',
        `AKS cluster ${shown.name} reports issuer "${shown.issuerUrl}", but cluster ${name}'s FICs carry "${model.shown(stated)}"${slash}: token exchange fails with AADSTS70021`,
        c.summary.aks?.resourceGroup === undefined
          ? `set aks.existing.issuerUrl to "${shown.issuerUrl}", or replace it with aks.existing.resourceGroup so that Terraform reads the issuer from the cluster`
          : 'synth again and apply: the FICs take the issuer Terraform reads from the cluster',
      ),
    );
  }
  return findings;
}

/** The script synth wrote for the cluster, or the command itself. */
function command(model: TrustModel, c: ClusterTrust, shown: AksShow): string {
  const script = OUT_PATHS.clusterFile(c.summary.name, AKS_ENABLE_SCRIPT);
  if (fileAt(model.artifacts, script)) return `in OUT, run sh ${script}`;
  const address: AksAddress = { subscriptionId: c.summary.aks!.subscriptionId, resourceGroup: shown.resourceGroup, name: shown.name };
  return aksUpdateCommand(address);
}

function unmatched(model: TrustModel, shown: AksShow, matches: readonly ClusterTrust[]): Finding {
  const known = model.clusters.filter((c) => c.summary.aks !== undefined).map((c) => `${c.summary.aks!.name}${c.summary.aks!.resourceGroup ? ` in ${c.summary.aks!.resourceGroup}` : ''}`);
  return {
    severity: 'error',
    rule: RULE,
    file: shown.file,
    object: 'name',
    message:
      matches.length === 0
        ? `AKS cluster ${shown.name} in ${shown.resourceGroup} is none of the AKS clusters of this OUT (${known.join(', ') || 'it has none'})`
        : `AKS cluster ${shown.name} matches ${matches.length} clusters of this OUT (${matches.map((c) => c.summary.name).join(', ')}), which is ambiguous`,
    fix: matches.length === 0 ? 'pass the `az aks show` output of a cluster of the fleet, or check OUT of the fleet it belongs to' : 'give aks.existing.resourceGroup for these clusters, so that each is known by group and name',
  };
}
