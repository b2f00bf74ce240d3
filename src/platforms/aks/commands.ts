/**
 * The AKS guide's path for a cluster that exists: `az aks update --enable-oidc-issuer
 * --enable-workload-identity` (MicrosoftDocs/azure-docs `articles/aks/workload-identity-deploy-cluster.md`,
 * "Update an existing AKS cluster"), and `az aks show` for what the cluster then reports.
 */

/** Where an existing AKS cluster is. */
export interface AksAddress {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

/** Written to OUT/clusters/<cluster>/ for an existing AKS cluster known by group and name. */
export const AKS_ENABLE_SCRIPT = 'enable-workload-identity.sh';

export function aksUpdateCommand(a: AksAddress): string {
  return `az aks update ${where(a)} --enable-oidc-issuer --enable-workload-identity --output none`;
}

export function aksShowCommand(a: AksAddress): string {
  return `az aks show ${where(a)} --output json`;
}

/** The script: turns both features on, then prints what the cluster reports, for `wisynth check --aks-show`. */
export function aksEnableScript(a: AksAddress, cluster: string): string {
  return [
    '#!/bin/sh',
    `# Turns on the OIDC issuer and workload identity of the existing AKS cluster ${a.name} (cluster ${cluster} of the fleet),`,
    '# then prints `az aks show` as JSON. Run it before `terraform plan`, from outside OUT:',
    `#   sh <OUT>/clusters/${cluster}/${AKS_ENABLE_SCRIPT} > ${cluster}-aks-show.json`,
    `#   wisynth check <OUT> --aks-show ${cluster}-aks-show.json`,
    '# Turning the OIDC issuer on changes the issuer of service-account tokens and restarts the API server;',
    '# it cannot be turned off again (MicrosoftDocs/azure-docs articles/aks/use-oidc-issuer.md). Both are no-ops when on.',
    'set -eu',
    aksUpdateCommand(a),
    aksShowCommand(a),
    '',
  ].join('\n');
}

function where(a: AksAddress): string {
  return `--subscription ${quoted(a.subscriptionId)} --resource-group ${quoted(a.resourceGroup)} --name ${quoted(a.name)}`;
}

/** One POSIX shell word: single quotes, each `'` closed, escaped and reopened. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
