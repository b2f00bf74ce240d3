/**
 * The starter fleets of `wisynth init`: one per platform, as commented YAML text. Every value is valid
 * (so `wisynth synth` takes the file as written) and every one a user must change says so with
 * `REPLACE`, where to get the real value, and the command that prints it.
 */

export const INIT_PLATFORMS = ['aks', 'self-managed', 'capz', 'openshift-hive', 'external-issuer'] as const;
export type InitPlatform = (typeof INIT_PLATFORMS)[number];

/** Placeholder GUID of the tenant and the subscription: valid for synth, refused by Azure at apply. */
export const PLACEHOLDER_GUID = '00000000-0000-0000-0000-000000000000';

/** The release image of the OpenShift starter (the one examples/fleet.yaml uses). */
export const STARTER_RELEASE_IMAGE = 'quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64';

/** The folder of the OpenShift starter's CredentialsRequests, relative to the fleet file. */
export const STARTER_CREDENTIALS_REQUESTS = 'openshift/credentialsrequests';

export interface StarterFleet {
  /** The fleet file's text. */
  readonly text: string;
  /** The cluster the starter is about: keys go to keys/<cluster>/. */
  readonly cluster: string;
  /** Whether the starter references a signing key pair that init generates into keys/<cluster>/. */
  readonly keys: boolean;
}

/** Names derived from the fleet name; `fleetName` is checked by `fleetNameProblem` first, so each fits its Azure rule. */
interface Names {
  readonly fleet: string;
  readonly group: string;
  readonly appIdentity: string;
  /** 3-24 lowercase letters and digits: `st` + the fleet name without `-` + a suffix. */
  storage(suffix: string): string;
}

/** Longest fleet name init takes: every name derived from it stays within its Azure limit (storage accounts: 24). */
export const MAX_INIT_NAME = 16;

/** Why `name` cannot be the starter's fleet name, or nothing. */
export function fleetNameProblem(name: string): string | undefined {
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name) || name.includes('--')) {
    return `'${name}' is not a fleet name: lowercase letters, digits and single "-", starting with a letter and ending with a letter or digit`;
  }
  if (name.length > MAX_INIT_NAME) return `'${name}' is ${name.length} characters; init takes at most ${MAX_INIT_NAME}, so the storage account and key vault names derived from it fit Azure's limits`;
  return undefined;
}

function names(fleet: string): Names {
  return {
    fleet,
    group: `rg-${fleet}`,
    appIdentity: `id-${fleet}-app`,
    storage: (suffix) => `st${fleet.replace(/-/g, '')}${suffix}`,
  };
}

/** The starter fleet of `platform`, named `fleetName`. */
export function starterFleet(platform: InitPlatform, fleetName: string): StarterFleet {
  const n = names(fleetName);
  switch (platform) {
    case 'aks':
      return { cluster: 'aks-dev', keys: false, text: aksFleet(n, 'aks-dev') };
    case 'self-managed':
      return { cluster: 'kind-dev', keys: true, text: selfManagedFleet(n, 'kind-dev') };
    case 'capz':
      return { cluster: 'capz-mgmt', keys: true, text: capzFleet(n, 'capz-mgmt') };
    case 'openshift-hive':
      return { cluster: 'ocp-dev', keys: true, text: openshiftFleet(n, 'ocp-dev') };
    case 'external-issuer':
      return { cluster: 'ext-dev', keys: false, text: externalIssuerFleet(n, 'ext-dev') };
  }
}

function header(n: Names, platform: InitPlatform, what: string): string {
  return `# A starter fleet for wisynth (platform: ${platform}), written by \`wisynth init\`.
# ${what}
#
# ${platform === 'openshift-hive' ? 'Every value below is valid: once the CredentialsRequests are extracted (below), `wisynth synth -c fleet.yaml -o dist` works;' : 'Every value below is valid, so `wisynth synth -c fleet.yaml -o dist` works as the file stands;'}
# lines marked REPLACE hold placeholders: put your own values there before you apply anything.
# The fields are described in wisynth's docs/fleet-file.md ("Reference") and, for your editor's
# YAML language server, in wisynth's schemas/fleet.schema.json.

# Names the Terraform stack (dist/terraform/stacks/${n.fleet}): lowercase letters, digits and "-".
name: ${n.fleet}

# The Azure side: tenant, subscription and default region.
azure:
  # REPLACE: your Entra tenant (directory) id, a GUID: az account show --query tenantId -o tsv
  tenantId: ${PLACEHOLDER_GUID}
  # REPLACE: the subscription every new resource goes into, a GUID: az account show --query id -o tsv
  subscriptionId: ${PLACEHOLDER_GUID}
  # Default region of new resources (az account list-locations --query "[].name" -o tsv).
  location: westeurope

# Where Terraform keeps its state (README "Terraform state").
terraform:
  backend:   # local state files here, or azurerm (blobs in a storage account)
    # local or azurerm.
    type: local
    # Folder of the state files, relative to this file: one <stack>.tfstate per stack. Never commit it.
    path: terraform-state
`;
}

function groupAndAppIdentity(n: Names, extraGroups = '', extraIdentities = ''): string {
  return `${groups(n, extraGroups)}
# User-assigned managed identities the workloads act as (Terraform creates them).
identities:
  # The identity of the starter workload below; its client id is known after apply.
  - name: ${n.appIdentity}
    # A resource group declared above.
    resourceGroup: ${n.group}
    # Built-in roles it gets, each on a scope (an ARM id, or {resourceGroup: <name>} / {keyVault: <name>}).
    # Uncomment and adapt, e.g. to read blobs in the group:
    # roles:
    #   - role: Storage Blob Data Reader
    #     scope: { resourceGroup: ${n.group} }
${extraIdentities}`;
}

function groups(n: Names, extraGroups = ''): string {
  return `
# Resource groups the fleet uses: Terraform creates them (add \`existing: true\` for one that exists).
resourceGroups:
  # REPLACE (optional): any name you like, 1-90 letters, digits, "_", "-", ".", "(", ")".
  - name: ${n.group}
${extraGroups}`;
}

function workload(n: Names, indent = '    '): string {
  return `${indent}# Service accounts of this cluster that act as an Azure identity: each gets one federated credential.
${indent}workloads:
${indent}  # REPLACE: the namespace your application runs in (a DNS label).
${indent}  - namespace: app
${indent}    # REPLACE: your application's service account; its pods need the label azure.workload.identity/use: "true".
${indent}    serviceAccount: app
${indent}    # The identity (declared above) the service account acts as.
${indent}    identity: ${n.appIdentity}
${indent}    # Also write the Namespace object; set false if the namespace exists on the cluster already.
${indent}    createNamespace: true
`;
}

function aksFleet(n: Names, cluster: string): string {
  return `${header(n, 'aks', 'One new AKS cluster, created by Terraform with the OIDC issuer and workload identity on.')}${groupAndAppIdentity(n)}
# The clusters, and the service accounts on them that act as Azure identities.
clusters:
  # The cluster's name: lowercase letters, digits and "-"; names dist/kubernetes/${cluster}/ and the AKS cluster.
  - name: ${cluster}
    platform: aks   # aks, self-managed, capz, openshift-hive or external-issuer
    aks:   # a new AKS cluster
      # A resource group declared above, where the AKS cluster is created.
      resourceGroup: ${n.group}
      # The system node pool: VM size (az vm list-sizes -l westeurope -o table) and number of nodes.
      nodePool:
        vmSize: Standard_D2s_v5
        nodeCount: 2
      # An AKS cluster that exists already? Replace the fields above with
      #   existing: { resourceGroup: <its group, declared with existing: true>, name: <its name> }
      # (README "Existing AKS clusters").
${workload(n)}`;
}

function selfManagedBlock(n: Names, cluster: string, storageSuffix: string): string {
  return `    # The cluster's distribution, its issuer hosting and its signing keys.
    selfManaged:
      # kind, kubeadm or giantswarm: which cluster configuration files are written to dist/clusters/${cluster}/.
      distribution: kind
      # The cluster's OIDC issuer, hosted on Azure Storage: the discovery document and the JWKS of its key.
      issuer:
        # blobContainer: a public container (the issuer is known at synth); or staticWebsite.
        hosting: blobContainer
        # REPLACE: a globally unique storage account name, 3-24 lowercase letters and digits
        # (az storage account check-name --name <name>).
        storageAccount: ${n.storage(storageSuffix)}
        # A resource group declared above, for the storage account.
        resourceGroup: ${n.group}
        # The container of the documents; part of the issuer URL.
        container: ${cluster}
      # The service-account signing key pair \`wisynth init\` generated (as \`wisynth keygen -o keys/${cluster}\` does).
      serviceAccountKeys:
        # Public keys published in the JWKS, relative to this file; the first is the one the API server signs with.
        publicKeyFiles:
          - keys/${cluster}/sa.pub
        # The private key, used by kind on this machine when it creates the cluster. Keep it secret, never commit it.
        privateKeyFile: keys/${cluster}/sa.key
`;
}

function selfManagedFleet(n: Names, cluster: string): string {
  return `${header(n, 'self-managed', 'One kind cluster whose OIDC issuer wisynth hosts on Azure Storage, with the workload identity webhook.')}${groupAndAppIdentity(n)}
# The clusters, and the service accounts on them that act as Azure identities.
clusters:
  # The cluster's name: lowercase letters, digits and "-"; names dist/kubernetes/${cluster}/ and dist/clusters/${cluster}/.
  - name: ${cluster}
    platform: self-managed   # aks, self-managed, capz, openshift-hive or external-issuer
${selfManagedBlock(n, cluster, 'oidc')}${workload(n)}`;
}

function capzFleet(n: Names, cluster: string): string {
  const identities = `  # What Cluster API Provider Azure (CAPZ) and Azure Service Operator act as: Contributor on the subscription.
  - name: id-${n.fleet}-capz
    resourceGroup: ${n.group}   # a resource group declared above
  # The workload cluster's machines (cloud provider, kubelet): not CAPZ's own identity.
  - name: id-${n.fleet}-nodes
    resourceGroup: ${n.group}   # a resource group declared above
`;
  return `${header(n, 'capz', 'A kind management cluster running CAPZ (self-hosted issuer), which creates one workload cluster.')}${groupAndAppIdentity(n, '', identities)}
# The clusters, and the service accounts on them that act as Azure identities.
clusters:
  # The management cluster's name: lowercase letters, digits and "-".
  - name: ${cluster}
    platform: capz   # aks, self-managed, capz, openshift-hive or external-issuer
${selfManagedBlock(n, cluster, 'capz')}    # Cluster API Provider Azure on this cluster, and the clusters it creates.
    capz:
      # A declared identity that CAPZ and ASO act as: it gets their two federated credentials and the role.
      identity: id-${n.fleet}-capz
      # The clusters CAPZ creates (clusterctl generate cluster ...; then wisynth capz patch, README "Cluster API Provider Azure").
      workloadClusters:
        # REPLACE: the workload cluster's Cluster API name.
        - name: ${cluster.replace(/-mgmt$/, '')}-work-1
          # A declared identity for its machines.
          nodeIdentity: id-${n.fleet}-nodes
          # VM size of its control-plane machines.
          controlPlane:
            vmSize: Standard_D4s_v5
          # VM size of its worker machines.
          workers:
            vmSize: Standard_D2s_v5
${workload(n)}`;
}

function externalIssuerFleet(n: Names, cluster: string): string {
  return `${header(n, 'external-issuer', 'One cluster whose OIDC issuer someone else hosts (EKS, GKE, ...): wisynth writes the FICs and the webhook.')}${groupAndAppIdentity(n)}
# The clusters, and the service accounts on them that act as Azure identities.
clusters:
  # The cluster's name in this fleet: lowercase letters, digits and "-"; names dist/kubernetes/${cluster}/.
  - name: ${cluster}
    platform: external-issuer   # aks, self-managed, capz, openshift-hive or external-issuer
    externalIssuer:   # the issuer someone else hosts
      # REPLACE: the issuer of the cluster's service-account tokens, byte for byte (a trailing "/" matters):
      #   kubectl get --raw /.well-known/openid-configuration   (its field "issuer")
      #   EKS: aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text
      issuerUrl: https://oidc.example.com/replace-with-your-issuer
${workload(n)}`;
}

function openshiftFleet(n: Names, cluster: string): string {
  const vault = `kv-${n.fleet}-hive`;
  const secretsIdentity = `id-${n.fleet}-hive-secrets`;
  const dnsAndHub = `  # REPLACE: the existing group holding your base domain's DNS zone (az network dns zone list -o table).
  - name: ${n.group}-dns
    existing: true   # it exists: Terraform places things in it, never creates or deletes it
  # REPLACE: the existing group of the AKS cluster that runs Hive and External Secrets Operator (the hub).
  - name: ${n.group}-hub
    existing: true   # it exists: Terraform places things in it, never creates or deletes it
`;
  const identities = `
# User-assigned managed identities (Terraform creates them). The OpenShift cluster's own identities, one
# per CredentialsRequest, come from the CredentialsRequests: they are not listed here.
identities:
  # What External Secrets Operator on the hub acts as, to read the three secrets from the key vault:
  # wisynth federates the hub's service account secrets.serviceAccount (hive-secrets-reader) with it.
  - name: ${secretsIdentity}
    # A resource group declared above.
    resourceGroup: ${n.group}
`;
  return `${header(n, 'openshift-hive', 'One OpenShift cluster that Hive (on your AKS hub) installs with Entra Workload ID; its secrets come from Key Vault.')}
# What you must supply before the first synth (wisynth init printed the commands):
# - the release's CredentialsRequests in ${STARTER_CREDENTIALS_REQUESTS}/:
#     oc adm release extract --credentials-requests --cloud=azure --to=${STARTER_CREDENTIALS_REQUESTS} ${STARTER_RELEASE_IMAGE}
#   and, after the first synth, again with --included --install-config=<the install-config wisynth wrote>
#   (README "OpenShift on Hive", "Which requests are read").
# After apply, into the key vault below (secrets.mode externalSecrets; README "OpenShift on Hive"):
# - ${cluster}-bound-sa-signing-key: keys/${cluster}/sa.key, the signing key init generated;
# - ${cluster}-pull-secret: your pull secret (https://console.redhat.com/openshift/install/pull-secret);
# - ${cluster}-installer-credentials: the installer's service principal (osServicePrincipal.json).
${groups(n, dnsAndHub)}${identities}
# Key Vaults, created with RBAC authorization and purge protection.
keyVaults:
  # REPLACE: a globally unique name, 3-24 letters, digits and single "-", starting with a letter.
  - name: ${vault}
    # A resource group declared above.
    resourceGroup: ${n.group}

# The clusters, and the service accounts on them that act as Azure identities.
clusters:
  # The hub: your AKS cluster that runs Hive and External Secrets Operator; Terraform only reads it.
  # Its OIDC issuer and workload identity must be on (wisynth writes dist/clusters/hub/enable-workload-identity.sh).
  - name: hub
    platform: aks   # aks, self-managed, capz, openshift-hive or external-issuer
    aks:   # a cluster that exists, known by its group and name
      # The group and name the hub has in Azure.
      existing:
        # The group declared above with existing: true.
        resourceGroup: ${n.group}-hub
        # REPLACE: the hub's AKS cluster name (az aks list -o table).
        name: aks-hub
  # The OpenShift cluster: at most 54 characters, no "microsoft" or "windows", not starting with "login".
  - name: ${cluster}
    platform: openshift-hive   # aks, self-managed, capz, openshift-hive or external-issuer
    openshiftHive:   # the cluster, its CredentialsRequests and secrets (README "OpenShift on Hive")
      # REPLACE: the cluster's DNS base domain (its DNS zone is in the group below); the cluster is api.${cluster}.<baseDomain>.
      baseDomain: ocp.example.com
      # The declared group (existing: true) holding the base domain's DNS zone.
      baseDomainResourceGroup: ${n.group}-dns
      # REPLACE: a globally unique storage account for the issuer, 3-24 lowercase letters and digits.
      storageAccount: ${n.storage('ocp')}
      # The folder of the release's CredentialsRequests, relative to this file: oc adm release extract writes it (above).
      credentialsRequests: ${STARTER_CREDENTIALS_REQUESTS}
      # REPLACE: the release to install (https://quay.io/repository/openshift-release-dev/ocp-release?tab=tags).
      releaseImage: ${STARTER_RELEASE_IMAGE}
      # The public half of the bound service-account signing key that \`wisynth init\` generated (as wisynth keygen does).
      publicKeyFile: keys/${cluster}/sa.pub
      # Where Hive's three secrets (signing key, pull secret, installer credentials) come from.
      secrets:
        # externalSecrets: the hub's External Secrets Operator reads the secrets from Key Vault (nothing secret in Git).
        # (files instead: signingKeyFile, pullSecretFile, installerCredentialsFile read at synth.)
        mode: externalSecrets
        # The declared key vault holding the three secrets.
        keyVault: ${vault}
        # The declared identity External Secrets Operator acts as.
        identity: ${secretsIdentity}
        # The fleet cluster running Hive and External Secrets Operator.
        hub: hub
`;
}
