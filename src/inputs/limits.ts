/**
 * How much wisynth reads of each input, far above what a real fleet reaches and far below what would
 * exhaust a machine. docs/fleet-file.md, "Limits of what is read", lists these; a larger input is refused at once.
 */
const KiB = 1024;
const MiB = 1024 * KiB;

export const INPUT_LIMITS = {
  /** A fleet file: a 3,000-cluster fleet with ten workloads each is about 4 MiB. */
  fleetBytes: 16 * MiB,
  /** A PEM public key or certificate: an RSA 16384 certificate chain is under 16 KiB. */
  publicKeyBytes: 64 * KiB,
  /** One CredentialsRequest file: an OpenShift release's largest is under 8 KiB. */
  credentialsRequestBytes: 1 * MiB,
  /** Entries of a CredentialsRequests folder: a whole release extract has about a hundred. */
  credentialsRequestEntries: 10_000,
  /** A secret file of `secrets.mode: files` (signing key, pull secret, service principal). */
  secretBytes: 1 * MiB,
  /** Entries of ccoctl's `manifests/` folder (one Secret per CredentialsRequest, and two more). */
  ccoctlManifestEntries: 10_000,
  /** A Terraform outputs file: a 3,000-cluster fleet's is about 3 MiB. */
  outputsBytes: 64 * MiB,
  /** What `az aks show --output json` prints: a cluster with many node pools is under 64 KiB. */
  aksShowBytes: 4 * MiB,
  /** The YAML that `capz patch` edits. */
  capzTemplateBytes: 16 * MiB,
  /** One JSON file of OUT read by `check` and `graph`: a 3,000-cluster fleet in one stack writes about 45 MiB. */
  outFileBytes: 256 * MiB,
  /** A local Terraform state file of a stack the fleet no longer has, read for what it still holds. */
  terraformStateBytes: 256 * MiB,
  /** One YAML file of OUT: wisynth writes one object per file, and etcd stores none above 1.5 MiB. */
  outYamlFileBytes: 16 * MiB,
  /** All files of OUT together (a 3,000-cluster fleet writes about 300 MiB), and how many there may be (about 45,000). */
  outTotalBytes: 1024 * MiB,
  outFiles: 200_000,
  /** Folders inside each other in OUT: wisynth writes four levels. */
  outDepth: 32,
  /** Nesting of a JSON value (objects and arrays inside each other). */
  jsonDepth: 64,
  /** Nesting of a YAML document, counted generously (indentation columns plus indicators on a line); also its depth once aliases are expanded. */
  yamlNesting: 256,
  /** Nodes that YAML aliases may add to a document when they are expanded. */
  yamlAliasNodes: 1_000_000,
  /**
   * Nodes that aliases may add in all YAML files of OUT together, and in each YAML text embedded in OUT (a
   * kind config, an install-config): synth writes no aliases, so only a hand edit has any, and check's rules
   * compare lists with the files of OUT.
   */
  outYamlAliasNodes: 10_000,
  embeddedYamlAliasNodes: 10_000,
} as const;
