/**
 * How much wisynth reads of each input, far above what a real fleet reaches and far below what would
 * exhaust a machine. The README's "Limits" table lists these; a larger input is refused at once.
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
  /** A Terraform outputs file: a 3,000-cluster fleet's is about 3 MiB. */
  outputsBytes: 64 * MiB,
  /** The YAML that `capz patch` edits. */
  capzTemplateBytes: 16 * MiB,
  /** One file of OUT read by `check` and `graph`. */
  outFileBytes: 256 * MiB,
  /** All files of OUT together, and how many there may be. */
  outTotalBytes: 2048 * MiB,
  outFiles: 200_000,
  /** Nesting of a JSON value (objects and arrays inside each other). */
  jsonDepth: 64,
  /** Nesting of a YAML document, counted generously (indentation columns plus indicators on a line). */
  yamlNesting: 256,
  /** Nodes that YAML aliases may add to a document when they are expanded. */
  yamlAliasNodes: 1_000_000,
} as const;
