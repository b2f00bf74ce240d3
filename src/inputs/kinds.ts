import { INPUT_LIMITS } from './limits';
import type { InputKind } from './read-file';

/** Every file wisynth reads, with its limit and what to do when it cannot be read. */
export const INPUT_KINDS = {
  fleet: { what: 'fleet file', limit: INPUT_LIMITS.fleetBytes, fix: 'pass the fleet file (YAML, see examples/fleet.yaml) with -c' },
  publicKey: { what: 'public key', file: 'key file', limit: INPUT_LIMITS.publicKeyBytes, fix: 'check the path of the public key file' },
  sshPublicKey: { what: 'SSH public key', file: 'key file', limit: INPUT_LIMITS.publicKeyBytes, fix: 'point openshiftHive.sshKey at an OpenSSH public key file, e.g. the .pub file `ssh-keygen -t ed25519` writes' },
  credentialsRequests: { what: 'CredentialsRequests folder', limit: INPUT_LIMITS.credentialsRequestEntries, fix: 'point credentialsRequests at the folder `oc adm release extract --credentials-requests --cloud=azure --included --install-config=<install-config.yaml>` wrote' },
  credentialsRequest: { what: 'CredentialsRequest file', limit: INPUT_LIMITS.credentialsRequestBytes, fix: "check the file's type and permissions, or remove it" },
  secret: { what: 'secret file', limit: INPUT_LIMITS.secretBytes, fix: 'point openshiftHive.secrets at the right files' },
  outputs: { what: 'Terraform outputs file', limit: INPUT_LIMITS.outputsBytes, fix: 'pass the file `terraform output -json` or `cdktf deploy --outputs-file` wrote' },
  azExport: { what: '`az` output file', limit: INPUT_LIMITS.outputsBytes, fix: 'pass what the `az ... --output json` command named in the usage printed, unedited' },
  ccoctlManifests: { what: 'ccoctl manifests folder', limit: INPUT_LIMITS.ccoctlManifestEntries, fix: 'pass the folder `ccoctl azure create-all --output-dir` wrote (it holds manifests/)' },
  ccoctlManifest: { what: 'ccoctl manifest', limit: INPUT_LIMITS.credentialsRequestBytes, fix: 'pass the folder `ccoctl azure create-all --output-dir` wrote, its manifests unedited' },
  aksShow: { what: '`az aks show` file', limit: INPUT_LIMITS.aksShowBytes, fix: 'pass what `az aks show -g <group> -n <cluster> --output json` printed' },
  capzTemplate: { what: 'cluster template', limit: INPUT_LIMITS.capzTemplateBytes, fix: 'pass the YAML that `clusterctl generate cluster --infrastructure azure` wrote' },
  terraformState: { what: 'Terraform state file', limit: INPUT_LIMITS.terraformStateBytes, fix: 'check the local state folder (terraform.backend.path): it must hold the state files Terraform wrote' },
  outFile: { what: 'file of OUT', limit: INPUT_LIMITS.outFileBytes, fix: 'restore the file from a synth, or synth again' },
  outYamlFile: { what: 'YAML file of OUT', limit: INPUT_LIMITS.outYamlFileBytes, fix: 'restore the file from a synth, or synth again' },
} as const satisfies Record<string, InputKind>;
