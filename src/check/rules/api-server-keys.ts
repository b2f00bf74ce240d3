import { createPublicKey } from 'crypto';
import * as path from 'path';
import { NODE_PUBLIC_KEY_BUNDLE } from '../../cluster-config/api-server-flags';
import { IssuerStatementForm, OUT_PATHS } from '../../core/summary';
import { keyId } from '../../oidc/jwks';
import { JWKS_PATH } from '../../oidc/paths';
import { Artifacts, at, embeddedYamlIn, OutFile } from '../artifacts';
import { publishedKeys } from '../published-keys';
import { Finding } from '../finding';
import { isRecord } from '../../core/objects';
import { fromClusterRule } from '../rule';

const RULE = 'api-server-keys';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * The API server verifies with exactly the published keys: during a rotation (JWKS [new, old]) it must still
 * verify tokens the old key signed, and it must verify no key Entra does not know. kube-apiserver verifies
 * with every key of every `--service-account-key-file` (kubernetes/kubernetes
 * `pkg/kubeapiserver/options/authentication.go`). kind: the key file the patch names must be a mount of a
 * bundle in OUT whose keys' kids are the JWKS kids. kubeadm: one key file per JWKS key (the files themselves
 * are put on the nodes by hand, so only their number can be compared).
 */
export const apiServerKeysRule = fromClusterRule((part) => {
  const name = part.summary.name;
  const files = new Map([...part.filesIn('clusters'), ...part.filesIn('oidc')].map((f) => [f.path, f]));
  const jwks = files.get(OUT_PATHS.oidcFile(name, JWKS_PATH));
  if (!jwks) return []; // no self-hosted issuer
  const keys = publishedKeys(part.artifacts, jwks);
  if (!keys) return []; // reported by the discovery rule
  // kids from the keys themselves: a wrong `kid` field is the discovery rule's finding, not this one's
  const kids = keys.flatMap((k) => ('kid' in k ? [k.kid] : []));
  const signing = part.summary.signingKeyId;
  // a JWKS without the signing key is the discovery rule's finding: the JWKS is the side to fix
  if (signing && !kids.includes(signing)) return [];
  const stated = (form: IssuerStatementForm) => {
    const statement = part.summary.issuerStatedIn?.find((s) => s.form === form);
    return statement && part.fileAt(statement.file);
  };
  const kind = stated('kind-config');
  const kubeadm = stated('kubeadm-configuration');
  return [...(kind ? kindFindings(part.artifacts, kind, files, kids, jwks.path) : []), ...(kubeadm ? kubeadmFindings(part.artifacts, kubeadm, kids, jwks.path) : [])];
});

function kindFindings(artifacts: Artifacts, kind: OutFile, files: ReadonlyMap<string, OutFile>, kids: readonly string[], jwksFile: string): Finding[] {
  const config = embeddedYamlIn(artifacts, kind.text);
  const patches = at(config, 'kubeadmConfigPatches');
  const keyFiles = (Array.isArray(patches) ? patches : [])
    .map((p) => embeddedYamlIn(artifacts, p))
    .filter((p) => p?.kind === 'ClusterConfiguration')
    .map((p) => at(p, 'apiServer', 'extraArgs', 'service-account-key-file'))
    .filter((v): v is string => typeof v === 'string');
  const object = 'kubeadmConfigPatches ClusterConfiguration service-account-key-file';
  if (keyFiles.length !== 1) {
    return [finding(kind.path, object, `the kubeadm patch sets service-account-key-file ${keyFiles.length} times, not once: the API server verifies with no bundle of the published keys`, `set service-account-key-file once, to ${NODE_PUBLIC_KEY_BUNDLE} (synth writes it so)`)];
  }
  const nodes = at(config, 'nodes');
  const mounts = (Array.isArray(nodes) ? nodes : []).flatMap((n) => {
    const m = at(n, 'extraMounts');
    return Array.isArray(m) ? m.filter(isRecord) : [];
  });
  const mount = mounts.find((m) => m.containerPath === keyFiles[0]);
  if (!mount || typeof mount.hostPath !== 'string') {
    return [finding(kind.path, 'nodes extraMounts', `no extraMount puts a file at ${keyFiles[0]}, the key file the API server verifies with`, `mount the key bundle (service-account-keys.pem of this folder) read-only at ${keyFiles[0]} (synth writes it so)`)];
  }
  const bundlePath = path.posix.normalize(path.posix.join(path.posix.dirname(kind.path), mount.hostPath));
  const bundle = files.get(bundlePath);
  if (!bundle) {
    return [finding(kind.path, `nodes extraMounts ${keyFiles[0]}`, `the key file mounted at ${keyFiles[0]} is "${mount.hostPath}", which is not the key bundle in this folder, so what the API server verifies with cannot be checked against ${jwksFile}`, 'mount service-account-keys.pem of this folder (synth writes it so)')];
  }
  const bundled: string[] = [];
  for (const m of bundle.text.matchAll(PEM_BLOCK)) {
    try {
      bundled.push(keyId(createPublicKey(m[0])));
    } catch {
      return [finding(bundle.path, '(file)', `a ${m[1]} block of the key bundle does not parse as a public key`, 'synth again')];
    }
  }
  return compare(bundle.path, '(file)', bundled, kids, jwksFile, 'the key bundle the API server verifies with');
}

function kubeadmFindings(artifacts: Artifacts, kubeadm: OutFile, kids: readonly string[], jwksFile: string): Finding[] {
  const args = at(embeddedYamlIn(artifacts, kubeadm.text), 'apiServer', 'extraArgs');
  if (!Array.isArray(args)) return [];
  const keyFiles = args.filter((a) => isRecord(a) && a.name === 'service-account-key-file').map((a) => String((a as Record<string, unknown>).value));
  if (new Set(keyFiles).size === kids.length && keyFiles.length === kids.length) return [];
  return [
    finding(
      kubeadm.path,
      'apiServer.extraArgs service-account-key-file',
      `the API server gets ${keyFiles.length} service-account-key-file flag(s) (${new Set(keyFiles).size} distinct), but ${jwksFile} publishes ${kids.length} key(s): during a rotation a key it does not verify with makes its tokens fail in the cluster`,
      'give one service-account-key-file per published key, in publicKeyFiles order (synth writes it so)',
    ),
  ];
}

function compare(file: string, object: string, actual: readonly string[], published: readonly string[], jwksFile: string, what: string): Finding[] {
  const missing = published.filter((k) => !actual.includes(k));
  const extra = actual.filter((k) => !published.includes(k));
  if (missing.length === 0 && extra.length === 0) return [];
  const parts = [
    ...(missing.length ? [`lacks the published key(s) ${missing.join(', ')}: tokens they signed are refused by the API server`] : []),
    ...(extra.length ? [`holds key(s) ${extra.join(', ')} that ${jwksFile} does not publish: Entra refuses tokens they sign`] : []),
  ];
  return [finding(file, object, `${what} ${parts.join('; and ')}`, 'synth again: the bundle holds exactly the keys of publicKeyFiles')];
}

function finding(file: string, object: string, message: string, fix: string): Finding {
  return { severity: 'error', rule: RULE, file, object, message, fix };
}
