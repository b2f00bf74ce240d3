/**
 * What the OpenShift installer accepts in an install-config on Azure, as rules of their own: the planner
 * checks a fleet with them before anything is written, and the renderer writes what passed.
 */

/** The install-config's `networking`, as the installer writes it (IPv4). */
export interface OpenShiftNetworkingProps {
  /** @default [{ cidr: '10.0.0.0/16' }] */
  readonly machineNetwork?: ReadonlyArray<{ readonly cidr: string }>;
  /** @default [{ cidr: '10.128.0.0/14', hostPrefix: 23 }] */
  readonly clusterNetwork?: ReadonlyArray<{ readonly cidr: string; readonly hostPrefix: number }>;
  /** @default ['172.30.0.0/16'] */
  readonly serviceNetwork?: readonly string[];
  /** @default 'OVNKubernetes' */
  readonly networkType?: string;
}

/** The values the install-config had before `networking` could be set: the installer's own defaults on Azure. */
export const OPENSHIFT_NETWORKING_DEFAULT: Required<OpenShiftNetworkingProps> = {
  machineNetwork: [{ cidr: '10.0.0.0/16' }],
  clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
  serviceNetwork: ['172.30.0.0/16'],
  networkType: 'OVNKubernetes',
};

/** The installer's limit on an Azure cluster name. */
const MAX_NAME_LENGTH = 54;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Azure refuses resource names with these reserved words, and the installer names resources after the cluster. */
const RESERVED_WORDS = ['microsoft', 'windows'];

/**
 * Why the installer would refuse `name` as an Azure cluster's `metadata.name`, or undefined when it
 * would accept it.
 */
export function installConfigNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `cluster name '${name}' is ${name.length} characters long; the installer allows at most ${MAX_NAME_LENGTH} on Azure`;
  if (!DNS_LABEL.test(name)) {
    return `cluster name '${name}' must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit`;
  }
  const reserved = RESERVED_WORDS.find((word) => name.includes(word));
  if (reserved !== undefined) return `cluster name '${name}' must not contain the word '${reserved}', which Azure reserves`;
  if (name.startsWith('login')) return `cluster name '${name}' must not start with 'login', which Azure reserves`;
  return undefined;
}

/** A problem of an install-config value: where under `openshiftHive`, what is wrong, and the fix. */
export interface InstallConfigProblem {
  readonly field: ReadonlyArray<string | number>;
  readonly message: string;
  readonly fix: string;
}

/** An IPv4 CIDR as two numbers: the network address and the prefix length. */
interface Cidr {
  readonly base: number;
  readonly bits: number;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`, or says why it is not an IPv4 network the installer takes. */
function parseCidr(text: string): Cidr | string {
  const m = IPV4_CIDR.exec(text);
  if (!m) return text.includes(':') ? 'is an IPv6 CIDR; OpenShift on Azure installs single-stack IPv4 only' : 'is not an IPv4 CIDR a.b.c.d/n';
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return 'is not an IPv4 CIDR a.b.c.d/n (each part 0-255, without leading zeros)';
  if (bits > 32) return 'has a prefix length above 32';
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const base = Math.floor(address / size) * size;
  // openshift/installer pkg/validate/validate.go SubnetCIDR: the address must be the network's own
  if (base !== address) return `has host bits set: the network address is ${formatAddress(base)}/${bits}`;
  return { base, bits };
}

function formatAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function overlap(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.bits);
  const bEnd = b.base + 2 ** (32 - b.bits);
  return a.base < bEnd && b.base < aEnd;
}

/** Networks OVN-Kubernetes uses inside the cluster by default: no network of the install-config may overlap them. */
const OVN_DEFAULT_SUBNETS: ReadonlyArray<{ readonly what: string; readonly cidr: string }> = [
  { what: 'join', cidr: '100.64.0.0/16' },
  { what: 'transit', cidr: '100.88.0.0/16' },
  { what: 'masquerade', cidr: '169.254.0.0/17' },
];

/**
 * The installer's checks of `networking`, made before anything is written (openshift/installer
 * pkg/types/validation/installconfig.go validateNetworking, validateMachineNetwork,
 * validateServiceNetwork, validateClusterNetwork, validateNetworkingIPVersion,
 * validateNetworkNotOverlapDefaultOVNSubnets).
 */
export function networkingProblems(networking: Required<OpenShiftNetworkingProps>): InstallConfigProblem[] {
  const problems: InstallConfigProblem[] = [];
  const at = (...field: Array<string | number>) => ['networking', ...field];
  const cidrFix = 'write an IPv4 network address with its prefix length, e.g. 10.0.0.0/16';
  const parsed: Array<{ readonly list: 'machineNetwork' | 'serviceNetwork' | 'clusterNetwork'; readonly index: number; readonly field: Array<string | number>; readonly text: string; readonly cidr: Cidr }> = [];
  const take = (list: 'machineNetwork' | 'serviceNetwork' | 'clusterNetwork', index: number, field: Array<string | number>, text: string): Cidr | undefined => {
    const cidr = typeof text === 'string' ? parseCidr(text) : 'is not a string';
    if (typeof cidr === 'string') {
      problems.push({ field, message: `${list}[${index}] "${String(text)}" ${cidr}`, fix: cidrFix });
      return undefined;
    }
    parsed.push({ list, index, field, text, cidr });
    return cidr;
  };
  // openshift/installer pkg/types/validation/installconfig.go validateNetworking: each list non-empty
  for (const list of ['machineNetwork', 'clusterNetwork', 'serviceNetwork'] as const) {
    if (networking[list].length === 0) problems.push({ field: at(list), message: `${list} is empty; the installer requires at least one network`, fix: `remove ${list} to keep the default, or list one network` });
  }
  // openshift/installer pkg/types/validation/installconfig.go validateNetworkingIPVersion: one service network for IPv4
  if (networking.serviceNetwork.length > 1) problems.push({ field: at('serviceNetwork'), message: `serviceNetwork lists ${networking.serviceNetwork.length} networks; a single-stack IPv4 cluster has exactly one`, fix: 'keep one service network, e.g. 172.30.0.0/16' });
  networking.machineNetwork.forEach((m, i) => take('machineNetwork', i, at('machineNetwork', i, 'cidr'), m.cidr));
  networking.serviceNetwork.forEach((s, i) => take('serviceNetwork', i, at('serviceNetwork', i), s));
  let firstHostPrefix: number | undefined;
  networking.clusterNetwork.forEach((c, i) => {
    const cidr = take('clusterNetwork', i, at('clusterNetwork', i, 'cidr'), c.cidr);
    const hostPrefix = c.hostPrefix;
    const field = at('clusterNetwork', i, 'hostPrefix');
    // openshift/installer pkg/types/validation/installconfig.go validateClusterNetwork: hostPrefix within the CIDR, one value for IPv4
    if (!Number.isInteger(hostPrefix) || hostPrefix < 0 || hostPrefix > 32) {
      problems.push({ field, message: `clusterNetwork[${i}].hostPrefix ${String(hostPrefix)} is not a prefix length 0-32`, fix: 'use the prefix length of the block each node gets, e.g. 23' });
    } else if (cidr && hostPrefix < cidr.bits) {
      problems.push({ field, message: `clusterNetwork[${i}].hostPrefix ${hostPrefix} is larger than its network ${c.cidr}; the installer requires hostPrefix >= ${cidr.bits}`, fix: `use a hostPrefix of at least ${cidr.bits}, or a larger clusterNetwork` });
    } else if (firstHostPrefix !== undefined && hostPrefix !== firstHostPrefix) {
      problems.push({ field, message: `clusterNetwork[${i}].hostPrefix ${hostPrefix} differs from clusterNetwork[0]'s ${firstHostPrefix}; the installer requires one hostPrefix for all IPv4 cluster networks`, fix: `use hostPrefix ${firstHostPrefix}` });
    }
    if (i === 0 && Number.isInteger(hostPrefix)) firstHostPrefix = hostPrefix;
  });
  // openshift/installer pkg/types/validation/installconfig.go: no two networks may overlap
  for (let j = 0; j < parsed.length; j++) {
    for (let k = 0; k < j; k++) {
      const a = parsed[j];
      const b = parsed[k];
      if (overlap(a.cidr, b.cidr)) problems.push({ field: a.field, message: `${a.list}[${a.index}] ${a.text} overlaps ${b.list}[${b.index}] ${b.text}; the installer refuses overlapping networks`, fix: 'choose networks that do not overlap' });
    }
  }
  const type = networking.networkType;
  // openshift/installer pkg/types/validation/installconfig.go validateNetworking: OpenShiftSDN and Kuryr are gone
  if (typeof type !== 'string' || type.length === 0) problems.push({ field: at('networkType'), message: 'networkType is empty', fix: 'remove networkType to keep OVNKubernetes' });
  else if (/^(OpenShiftSDN|Kuryr)$/i.test(type)) problems.push({ field: at('networkType'), message: `networkType ${type} is not supported by current OpenShift releases`, fix: 'use OVNKubernetes (the default)' });
  if (typeof type === 'string' && type.toLowerCase() === 'ovnkubernetes') {
    for (const p of parsed) {
      for (const ovn of OVN_DEFAULT_SUBNETS) {
        if (overlap(p.cidr, parseCidr(ovn.cidr) as Cidr)) problems.push({ field: p.field, message: `${p.list}[${p.index}] ${p.text} overlaps OVN-Kubernetes' default ${ovn.what} subnet ${ovn.cidr}`, fix: `choose a network outside ${ovn.cidr}` });
      }
    }
  }
  return problems;
}

/** OpenSSH public key types the installer's hosts accept, by the prefix of the line. */
const SSH_KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'];

/**
 * The key line of an OpenSSH public key file (`<type> <base64> [comment]`, one line), or why it is not
 * one. Never quotes the content. openshift/installer pkg/types/validation/installconfig.go checks sshKey
 * with pkg/validate/validate.go SSHPublicKey (an authorized_keys line).
 */
export function sshPublicKeyLine(text: string): { readonly key: string } | { readonly problem: string } {
  if (/PRIVATE KEY-----/.test(text)) return { problem: 'holds a private key; name the public key (the .pub file) instead' };
  const body = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(body)) return { problem: 'has more than one line; an OpenSSH public key file holds one key line' };
  const parts = body.trim().split(/\s+/);
  const type = parts[0] ?? '';
  if (!SSH_KEY_TYPES.includes(type)) return { problem: `does not start with one of ${SSH_KEY_TYPES.join(', ')}` };
  const data = parts[1] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return { problem: `has no base64 key after "${type}"` };
  const blob = Buffer.from(data, 'base64');
  // the key blob starts with its own type name (RFC 4253 section 6.6)
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (length < 0 || blob.length < 4 + length || blob.subarray(4, 4 + length).toString('latin1') !== type) return { problem: `has a key whose encoded type is not "${type}"` };
  if (/[^\x20-\x7e]/.test(body)) return { problem: 'has characters outside printable ASCII' };
  return { key: body.trim() };
}
