/**
 * What `ccoctl azure create-all --output-dir DIR` wrote, read for `wisynth adopt --ccoctl`: the issuer of
 * `manifests/cluster-authentication-02-config.yaml`, the Secret of each CredentialsRequest
 * (`manifests/<namespace>-<name>-credentials.yaml`, with its identity's client id), and where the public
 * and private halves of the signing key are (openshift/cloud-credential-operator pkg/cmd/provisioning/utils.go
 * CreateClusterAuthentication, pkg/cmd/provisioning/azure/create_managed_identities.go writeCredReqSecret,
 * pkg/cmd/provisioning/constants.go PublicKeyFile, pkg/cmd/provisioning/create_key_pair.go boundSAKeyFilename).
 * The private key is never read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { excerpt } from '../core/excerpt';
import { FleetError, FleetIssue } from '../core/issues';
import { isRecord } from '../core/objects';
import { valueProblem, ValueKind } from '../core/values';
import { INPUT_KINDS } from './kinds';
import { readInputDir, readInputFile } from './read-file';
import { parseInputYaml } from './yaml';

/** One CredentialsRequest's Secret, as ccoctl wrote it. */
export interface CcoctlSecret {
  readonly file: string;
  readonly namespace: string;
  readonly name: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly region: string;
  readonly subscriptionId: string;
}

export interface CcoctlOutput {
  /** The folder, as the user named it. */
  readonly shown: string;
  readonly issuer: string;
  readonly secrets: readonly CcoctlSecret[];
  /** Relative to the folder, when they are there: `serviceaccount-signer.public`, `tls/bound-service-account-signing-key.key`. */
  readonly publicKeyFile?: string;
  readonly signingKeyFile?: string;
}

const AUTHENTICATION = 'cluster-authentication-02-config.yaml';
const SECRET_FILE = /-credentials\.yaml$/;
const PUBLIC_KEY = 'serviceaccount-signer.public';
const SIGNING_KEY = 'tls/bound-service-account-signing-key.key';

export function readCcoctlOutput(dir: string, shown: string): CcoctlOutput {
  const manifests = path.join(dir, 'manifests');
  const names = readInputDir(manifests, INPUT_KINDS.ccoctlManifests, path.join(shown, 'manifests'));
  const issues: FleetIssue[] = [];
  const read = (name: string): Record<string, unknown> | undefined => {
    const file = path.join(shown, 'manifests', name);
    const fail = (message: string) => issues.push({ file, message, fix: INPUT_KINDS.ccoctlManifest.fix });
    try {
      const parsed = parseInputYaml(readInputFile(path.join(manifests, name), INPUT_KINDS.ccoctlManifest, file));
      if (!parsed.ok) return void fail(`cannot read it: ${parsed.problem.message}`);
      const [value] = parsed.values;
      if (parsed.values.length !== 1 || !isRecord(value)) return void fail('must hold one object');
      return value;
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      issues.push(...e.issues);
      return undefined;
    }
  };
  const field = (file: string, object: Record<string, unknown> | undefined, at: string[], kind?: ValueKind): string => {
    let value: unknown = object;
    for (const key of at) value = isRecord(value) ? value[key] : undefined;
    const problem = typeof value !== 'string' ? `is ${excerpt(value ?? 'missing')}, not a string` : kind && valueProblem(kind, value);
    if (problem) issues.push({ file: path.join(shown, 'manifests', file), source: at, message: problem, fix: INPUT_KINDS.ccoctlManifest.fix });
    return typeof value === 'string' ? value : '';
  };

  if (!names.includes(AUTHENTICATION)) issues.push({ file: path.join(shown, 'manifests'), message: `holds no ${AUTHENTICATION}, which states the cluster's issuer`, fix: INPUT_KINDS.ccoctlManifests.fix });
  const issuer = names.includes(AUTHENTICATION) ? field(AUTHENTICATION, read(AUTHENTICATION), ['spec', 'serviceAccountIssuer'], 'issuerUrl') : '';
  const secrets = names.filter((n) => SECRET_FILE.test(n)).map((file) => {
    const secret = read(file);
    const data = (key: string, kind?: ValueKind) => field(file, secret, ['stringData', key], kind);
    return {
      file,
      namespace: field(file, secret, ['metadata', 'namespace'], 'namespace'),
      name: field(file, secret, ['metadata', 'name'], 'objectName'),
      clientId: data('azure_client_id', 'guid'),
      tenantId: data('azure_tenant_id', 'guid'),
      region: data('azure_region', 'region'),
      subscriptionId: data('azure_subscription_id', 'guid'),
    };
  });
  if (secrets.length === 0) issues.push({ file: path.join(shown, 'manifests'), message: 'holds no <namespace>-<name>-credentials.yaml, the Secret ccoctl writes for each CredentialsRequest', fix: INPUT_KINDS.ccoctlManifests.fix });
  if (issues.length > 0) throw new FleetError(issues.slice(0, 20));
  const present = (rel: string) => fs.statSync(path.join(dir, rel), { throwIfNoEntry: false })?.isFile() === true;
  return {
    shown,
    issuer,
    secrets,
    ...(present(PUBLIC_KEY) && { publicKeyFile: PUBLIC_KEY }),
    ...(present(SIGNING_KEY) && { signingKeyFile: SIGNING_KEY }),
  };
}
