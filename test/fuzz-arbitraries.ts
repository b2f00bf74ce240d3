/**
 * What the property tests generate (test/fuzz*.test.ts): arbitrary YAML, structurally valid fleets of every
 * platform, mutations of the example, and the same fleets written with YAML anchors, aliases and merge keys.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { Alias, Document, isMap, isSeq, Node, Pair, Scalar, YAMLSeq } from 'yaml';

/**
 * Fixed so that CI runs the same inputs; fast-check prints seed and path of any failure to replay it.
 * FUZZ_SEED=<n> explores other inputs locally.
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
export const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
export const EXAMPLE = fs.readFileSync(path.join(EXAMPLES_DIR, 'fleet.yaml'), 'utf8');

export const dump = (value: unknown): string => yaml.dump(value, { skipInvalid: true, noRefs: true, lineWidth: -1 });

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with the keys of every object sorted: equal for values equal as YAML mappings, whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

// ---------------------------------------------------------------------------------------------
// Arbitrary values: whatever YAML can say, at the top and anywhere below.

export const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'aks', 'kind', '~', 'yes', '0x1F', '2024-01-01', '.nan', '-.inf', 'x'.repeat(700)),
);
export const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('azure', 'clusters', 'name', 'workloads', '__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

export const yamlishText = fc.oneof(
  anyValue.map(dump),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'azure:clusters- name\n  {}[]&*!|>#"\'%@`,?'.split('')), maxLength: 120 }),
  fc.dictionary(fc.constantFrom('name', 'azure', 'terraform', 'resourceGroups', 'identities', 'keyVaults', 'clusters', 'extra'), anyValue, { maxKeys: 8 }).map(dump),
);

// ---------------------------------------------------------------------------------------------
// Structurally valid fleets: every key where the schema wants it, with random names, numbers and references.

const nameUnit = fc.constantFrom(...'abcxyz019-_.A'.split(''), '--', ' ', '/', 'é', '$');
/** Mostly names every naming rule accepts, so that fleets reach the planner's later checks; sometimes anything. */
export const name = fc.oneof(
  { weight: 60, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{2,6}(-[a-z0-9]{1,6}){0,2}$/) },
  { weight: 1, arbitrary: fc.string({ unit: nameUnit, minLength: 0, maxLength: 14 }) },
  { weight: 1, arbitrary: fc.string({ unit: nameUnit, minLength: 20, maxLength: 140 }) },
);
const guid = fc.oneof({ weight: 20, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
const issuerUrl = fc.oneof(
  { weight: 4, arbitrary: fc.webUrl({ validSchemes: ['https'] }) },
  fc.webUrl(),
  fc.constantFrom(
    'https://oidc.example.com/fleet/',
    'http://oidc.example.com/',
    'https://login.microsoftonline.com/tenant/v2.0',
    'https://sts.windows.net/tenant/',
    'not a url',
    '',
    `https://example.com/${'p'.repeat(600)}`,
  ),
);
/** Mostly one of the good values, sometimes one of the bad ones. */
export const mostly = <T>(good: T[], bad: T[]) => fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
/** Mostly a valid whole number in [min, max], sometimes an edge or anything. */
const integerish = (min: number, max: number, edges: number[]) =>
  fc.oneof({ weight: 60, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: fc.integer() });

/** A reference: usually one of the declared names, sometimes one that is not declared. */
const refTo = (declared: string[]) => (declared.length > 0 ? fc.oneof({ weight: 150, arbitrary: fc.constantFrom(...declared) }, { weight: 1, arbitrary: name }) : name);

/** The public keys of the example (RSA 4096, SPKI PEM), relative to the example's folder; and files that are none. */
export const EXAMPLE_KEY_FILES = ['keys/kind-dev/sa.pub', 'keys/gs-prod/sa.pub', 'keys/capz-mgmt/sa.pub', 'keys/ocp-prod/sa.pub'];
const keyFile = mostly(EXAMPLE_KEY_FILES, ['keys/missing/sa.pub', 'keys/kind-dev', 'fleet.yaml', 'openshift/credentialsrequests/SOURCES.md', ' keys/kind-dev/sa.pub']);
export const CREDENTIALS_REQUESTS_DIR = 'openshift/credentialsrequests';
const region = mostly(['westeurope', 'northeurope', 'eastus2'], ['West Europe', 'westeurope ', '']);
const storageAccount = fc.oneof({ weight: 30, arbitrary: fc.stringMatching(/^st[a-z0-9]{4,12}$/) }, { weight: 1, arbitrary: fc.constantFrom('St-Bad', 'st', 'x'.repeat(25)) });
const namespace = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('app', 'orders', 'capz-system', 'default') }, { weight: 1, arbitrary: name });
const vmSize = mostly(['Standard_D2s_v5', 'Standard_D4s_v5', 'Standard_B2ms'], ['D2s_v5', 'Standard D2', '']);

/** Azure tags: mostly names and values Azure takes, sometimes a name with a refused character or a value too long. */
const tags = fc.dictionary(
  fc.oneof({ weight: 20, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,20}$/) }, { weight: 1, arbitrary: fc.constantFrom('team/x', 'a%b', 'n'.repeat(129)) }),
  fc.oneof({ weight: 20, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: fc.constant('v'.repeat(257)) }),
  { maxKeys: 3 },
);

/** Platforms of the generated clusters, each with how often it is drawn. */
const PLATFORMS = [
  { weight: 3, arbitrary: fc.constant('aks') },
  { weight: 3, arbitrary: fc.constant('self-managed') },
  { weight: 2, arbitrary: fc.constant('capz') },
  { weight: 2, arbitrary: fc.constant('openshift-hive') },
  { weight: 2, arbitrary: fc.constant('external-issuer') },
] as const;

export const validFleet = fc
  .record({
    groups: fc.array(fc.record({ name, existing: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['name'] }), { minLength: 1, maxLength: 3 }),
    identityNames: fc.array(name, { minLength: 1, maxLength: 4 }),
    vaultNames: fc.array(name, { minLength: 1, maxLength: 2 }),
    heads: fc.array(fc.record({ name, platform: fc.oneof(...PLATFORMS) }), { maxLength: 4 }),
  })
  .chain(({ groups, identityNames, vaultNames, heads }) => {
    const groupRef = refTo(groups.map((g) => g.name));
    const identityRef = refTo(identityNames);
    const vaultRef = refTo(vaultNames);
    const roleScope = fc.oneof(
      mostly(['/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', '/subscriptions/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/resourceGroups/y'], ['/subscriptions/x/resourceGroups/y', 'storageAccounts/x']),
      fc.record({ keyVault: vaultRef }),
      fc.record({ resourceGroup: groupRef }),
    );
    const roleName = mostly(['Reader', 'Storage Blob Data Reader', 'Contributor'], ['', ' ']);
    const workload = fc.record(
      {
        namespace: fc.oneof(fc.constantFrom('app', 'orders', 'kube-system'), name),
        serviceAccount: fc.oneof(fc.constantFrom('api', 'worker'), name, name),
        identity: identityRef,
        createNamespace: fc.boolean(),
        tokenExpirationSeconds: integerish(3600, 86400, [0, 100, 3599, 86401]),
        verify: fc.record({ keyVault: vaultRef, secretName: fc.constantFrom('hello', 'a-b-1') }),
      },
      { requiredKeys: ['namespace', 'serviceAccount', 'identity'] },
    );
    const workloads = fc.array(workload, { maxLength: 11 });
    const aks = fc.oneof(
      { weight: 6, arbitrary: fc.record(
        {
          resourceGroup: groupRef,
          dnsPrefix: name,
          kubernetesVersion: fc.constantFrom('1.29', '1.30.2'),
          nodePool: fc.record({ vmSize: fc.constant('Standard_D2s_v5'), nodeCount: integerish(1, 1000, [0, -1, 1001]) }, { requiredKeys: [] }),
        },
        { requiredKeys: ['resourceGroup'] },
      ) },
      { weight: 3, arbitrary: fc.record({ existing: fc.record({ issuerUrl }) }) },
      // read by Terraform: a declared group, and the Azure name (mostly valid, sometimes not, or with an issuerUrl too)
      { weight: 3, arbitrary: fc.record({ existing: fc.record({ resourceGroup: groupRef, name: mostly(['billing-aks', 'aks_01'], ['-bad', 'two words']) }, { requiredKeys: ['resourceGroup'] }) }) },
      { weight: 1, arbitrary: fc.record({ existing: fc.record({ resourceGroup: groupRef, issuerUrl }) }) },
      { weight: 1, arbitrary: fc.record({ existing: fc.record({ issuerUrl }), resourceGroup: groupRef, nodePool: fc.constant({}) }, { requiredKeys: ['existing'] }) },
    );
    /** The management cluster's or a self-managed cluster's own API server and issuer. */
    const selfManaged = (distributions: string[]) =>
      fc.record(
        {
          distribution: mostly(distributions, ['openshift', 'giantswarm', 'k3s']),
          webhook: fc.boolean(),
          issuer: fc.oneof(
            fc.record(
              { hosting: fc.constant('blobContainer'), storageAccount, resourceGroup: groupRef, container: mostly(['oidc', 'issuer-1', 'kind-dev'], ['a', 'Bad--name', '']), location: region },
              { requiredKeys: ['hosting', 'storageAccount', 'resourceGroup'] },
            ),
            fc.record({ hosting: fc.constant('staticWebsite'), storageAccount, resourceGroup: groupRef, location: region }, { requiredKeys: ['hosting', 'storageAccount', 'resourceGroup'] }),
          ),
          serviceAccountKeys: fc.oneof(
            { weight: 8, arbitrary: fc.record({ publicKeyFiles: fc.array(keyFile, { minLength: 1, maxLength: 2 }), privateKeyFile: mostly(['keys/kind-dev/sa.key', 'sa.key'], [' sa.key', '']) }) },
            { weight: 1, arbitrary: fc.record({ publicKeyFiles: fc.array(keyFile, { minLength: 1, maxLength: 2 }) }) },
          ),
        },
        { requiredKeys: ['distribution', 'issuer', 'serviceAccountKeys'] },
      );
    const capz = identityRef.chain((capzIdentity) => fc.record(
      {
        identity: fc.constant(capzIdentity),
        namespace,
        managerServiceAccount: fc.constantFrom('capz-manager', 'mgr'),
        serviceOperatorServiceAccount: fc.constantFrom('azureserviceoperator-default', 'aso'),
        role: roleName,
        scopes: fc.array(roleScope, { minLength: 1, maxLength: 2 }),
        clusterIdentity: fc.record(
          { name: fc.constantFrom('cluster-identity', 'ci'), namespace, allowedNamespaces: fc.oneof({ weight: 3, arbitrary: fc.constant('all') }, { weight: 1, arbitrary: fc.array(namespace, { maxLength: 2 }) }) },
          { requiredKeys: [] },
        ),
        workloadClusters: fc.array(
          fc.record(
            {
              name,
              // mostly not CAPZ's own identity, which the machines must not hold
              nodeIdentity: refTo(identityNames.filter((n) => n !== capzIdentity)),
              namespace,
              location: region,
              resourceGroup: name,
              controlPlane: fc.record({ vmSize, osDiskSizeGB: integerish(30, 4095, [0, 29, 4096]), etcdDiskSizeGB: integerish(16, 1024, [0]) }, { requiredKeys: [] }),
              workers: fc.record({ vmSize, osDiskSizeGB: integerish(30, 4095, [0, 29, 4096]) }, { requiredKeys: [] }),
            },
            { requiredKeys: ['name', 'nodeIdentity'] },
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ['identity'] },
    ));
    const machines = fc.record({ vmSize, replicas: integerish(1, 9, [0, -1]), osDiskSizeGB: integerish(128, 2048, [0]) }, { requiredKeys: [] });
    const openshiftHive = (hubs: string[]) =>
      fc.record(
        {
          namespace,
          baseDomain: mostly(['ocp.contoso.com', 'apps.example.org'], ['Bad_Domain', '', 'ocp.contoso.com\n']),
          region,
          baseDomainResourceGroup: groupRef,
          networkResourceGroup: groupRef,
          oidcResourceGroup: groupRef,
          installationResourceGroup: groupRef,
          storageAccount,
          credentialsRequests: mostly([CREDENTIALS_REQUESTS_DIR], ['openshift', 'keys', 'missing-folder', `${CREDENTIALS_REQUESTS_DIR}/SOURCES.md`]),
          techPreview: fc.boolean(),
          releaseImage: mostly(['quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64', 'registry.example.com:5000/ocp/release@sha256:' + 'a'.repeat(64)], ['not an image', 'Quay.io/X', '${var.image}']),
          publicKeyFile: keyFile,
          controlPlane: machines,
          compute: machines,
          // the hub is another cluster of the fleet: without one, mostly the files mode
          secrets: fc.oneof(
            { weight: hubs.length > 0 ? 3 : 1, arbitrary: fc.record(
              {
                mode: fc.constant('externalSecrets'),
                keyVault: vaultRef,
                identity: identityRef,
                hub: refTo(hubs),
                serviceAccount: fc.constantFrom('hive-secrets-reader', 'reader'),
                remoteKeys: fc.record({ signingKey: mostly(['sa-key', 'signing-key'], ['bad_name']), pullSecret: fc.constant('pull-secret'), installerCredentials: fc.constant('creds') }, { requiredKeys: [] }),
              },
              { requiredKeys: ['mode', 'keyVault', 'identity', 'hub'] },
            ) },
            { weight: hubs.length > 0 ? 2 : 3, arbitrary: fc.record({
              mode: fc.constant('files'),
              signingKeyFile: mostly(['secrets/sa.key', 'keys/ocp-prod/sa.key'], [' x', '']),
              pullSecretFile: fc.constant('secrets/pull-secret.json'),
              installerCredentialsFile: fc.constant('secrets/osServicePrincipal.json'),
            }) },
          ),
        },
        { requiredKeys: ['baseDomain', 'baseDomainResourceGroup', 'credentialsRequests', 'releaseImage', 'publicKeyFile', 'secrets'] },
      ).chain((hive) =>
        // the installer's rules make most combinations fail: a network group comes with its network and
        // subnets, and the OIDC and installation groups, in the cluster's region and the latter empty,
        // are mostly left to their defaults (made for the cluster)
        fc.record({ network: fc.nat(9), ownGroups: fc.nat(9), vnet: mostly(['vnet-ocp'], ['', 'bad name']) }).map(({ network, ownGroups, vnet }) => {
          const { networkResourceGroup, oidcResourceGroup, installationResourceGroup, ...rest } = hive;
          return {
            ...rest,
            ...(networkResourceGroup !== undefined && network < 8 ? { networkResourceGroup, virtualNetwork: vnet, controlPlaneSubnet: 'master', computeSubnet: 'worker' } : {}),
            ...(networkResourceGroup !== undefined && network >= 8 ? { networkResourceGroup } : {}),
            ...(ownGroups >= 8 ? { oidcResourceGroup, installationResourceGroup } : {}),
          };
        }),
      );
    const clusterNames = heads.map((h) => h.name);
    const cluster = ({ name: clusterName, platform }: { name: string; platform: string }, index: number) => {
      const head = { name: fc.constant(clusterName), platform: fc.constant(platform) };
      switch (platform) {
        case 'aks':
          return fc.record({ ...head, aks, workloads }, { requiredKeys: ['name', 'platform', 'aks'] });
        case 'self-managed':
          return fc.record({ ...head, selfManaged: selfManaged(['kind', 'kubeadm', 'giantswarm']), workloads }, { requiredKeys: ['name', 'platform', 'selfManaged'] });
        case 'capz':
          return fc.record({ ...head, selfManaged: selfManaged(['kind', 'kubeadm']), capz, workloads }, { requiredKeys: ['name', 'platform', 'selfManaged', 'capz'] });
        case 'external-issuer':
          return fc.record({ ...head, externalIssuer: fc.record({ issuerUrl }), workloads, tags }, { requiredKeys: ['name', 'platform', 'externalIssuer'] });
        default:
          return fc.record({ ...head, openshiftHive: openshiftHive(clusterNames.filter((_, i) => i !== index)) });
      }
    };
    return fc.record(
      {
        name,
        azure: fc.record(
          { tenantId: guid, subscriptionId: guid, location: fc.constantFrom('westeurope', 'eastus'), cloud: fc.constantFrom('public', 'usgovernment', 'china') },
          { requiredKeys: ['tenantId', 'subscriptionId', 'location'] },
        ),
        terraform: fc.oneof(
          fc.constant({ backend: { type: 'local', path: 'state' } }),
          fc.record({ backend: fc.record({ type: fc.constant('azurerm'), resourceGroupName: name, storageAccountName: mostly(['stateacct', 'stfleet01'], ['State', 'st']), containerName: mostly(['tfstate', 'state'], ['x', '']) }) }),
        ),
        tags,
        resourceGroups: fc.constant(groups),
        identities: fc.tuple(
          ...identityNames.map((n) =>
            fc.record(
              {
                name: fc.constant(n),
                resourceGroup: groupRef,
                existing: fc.record({ clientId: guid }),
                roles: fc.array(fc.record({ role: roleName, scope: roleScope }), { maxLength: 2 }),
              },
              { requiredKeys: ['name', 'resourceGroup'] },
            ),
          ),
        ),
        keyVaults: fc.tuple(
          ...vaultNames.map((n) =>
            fc.record(
              {
                name: fc.constant(n),
                resourceGroup: groupRef,
                existing: fc.boolean(),
                softDeleteRetentionDays: integerish(7, 90, [0, 6, 91]),
                readers: fc.array(identityRef, { maxLength: 2 }),
              },
              { requiredKeys: ['name', 'resourceGroup'] },
            ),
          ),
        ),
        clusters: fc.tuple(...heads.map(cluster)),
      },
      { requiredKeys: ['azure', 'resourceGroups', 'identities', 'keyVaults', 'clusters'] },
    );
  });

/**
 * The platform variants a generated fleet's clusters are of: aks-new, aks-existing, self-managed:<distribution>,
 * issuer:<hosting> (self-managed and CAPZ), capz, capz+workloadClusters, openshift:<secrets mode>.
 */
export function platformVariants(doc: unknown): string[] {
  const clusters = (doc as { clusters?: unknown })?.clusters;
  if (!Array.isArray(clusters)) return [];
  const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
  return clusters.flatMap((c: unknown): string[] => {
    switch (get(c, 'platform')) {
      case 'aks':
        return [get(c, 'aks', 'existing') === undefined ? 'aks-new' : get(c, 'aks', 'existing', 'resourceGroup') === undefined ? 'aks-existing' : 'aks-existing:read'];
      case 'self-managed':
        return [`self-managed:${String(get(c, 'selfManaged', 'distribution'))}`, `issuer:${String(get(c, 'selfManaged', 'issuer', 'hosting'))}`];
      case 'capz': {
        const wcs = get(c, 'capz', 'workloadClusters');
        return ['capz', ...(Array.isArray(wcs) && wcs.length > 0 ? ['capz+workloadClusters'] : []), `issuer:${String(get(c, 'selfManaged', 'issuer', 'hosting'))}`];
      }
      case 'openshift-hive':
        return [`openshift:${String(get(c, 'openshiftHive', 'secrets', 'mode'))}`];
      case 'external-issuer':
        return ['external-issuer'];
      default:
        return [`other:${String(get(c, 'platform'))}`];
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Mutations of a document: structural edits of its values, and random edits of its text.

/** Every place in a document that holds a value, as (container, key) pairs, in a stable order. */
function slots(doc: Json): Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> {
  const out: Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), walk(v)));
    else if (node && typeof node === 'object') for (const k of Object.keys(node)) out.push({ parent: node, key: k }), walk(node[k]);
  };
  walk(doc);
  return out;
}

export const replacement = fc.oneof(scalar, fc.constant([]), fc.constant({}), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
export const structuralEdit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'retype', 'duplicate', 'renameKey', 'swapWithOther'),
  value: replacement as fc.Arbitrary<unknown>,
  other: fc.nat(),
});
export type StructuralEdit = { at: number; op: string; value: unknown; other: number };

/** The document with the edits applied in turn (the document itself is not changed). */
export function mutateValue(original: Json, edits: readonly StructuralEdit[]): Json {
  const doc = structuredClone(original);
  for (const edit of edits) {
    const all = slots(doc);
    if (all.length === 0) break;
    const { parent, key } = all[edit.at % all.length];
    const current = (parent as Record<string | number, Json>)[key];
    if (edit.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (edit.op === 'retype') {
      (parent as Record<string | number, unknown>)[key] = edit.value;
    } else if (edit.op === 'duplicate') {
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(current));
      else if (Array.isArray(current)) current.push(structuredClone(current[0] ?? null));
      else parent[`${String(key)}s`] = structuredClone(current);
    } else if (edit.op === 'renameKey' && !Array.isArray(parent)) {
      delete parent[key as string];
      parent[`${String(key).slice(0, -1)}${String(key).slice(-1).toUpperCase()}`] = current;
    } else if (edit.op === 'swapWithOther') {
      const other = all[edit.other % all.length];
      (parent as Record<string | number, Json>)[key] = structuredClone((other.parent as Record<string | number, Json>)[other.key]);
    }
  }
  return doc;
}

export const EXAMPLE_DOC = yaml.load(EXAMPLE) as Json;
export const mutateDocument = (edits: readonly StructuralEdit[]): string => dump(mutateValue(EXAMPLE_DOC, edits));

export const textEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 6 }),
  insert: fc.string({ unit: fc.constantFrom(...' :-\n\t#[]{}&*!|>"\'aZ09_.,/'.split('')), maxLength: 6 }),
});
export type TextEdit = { at: number; remove: number; insert: string };

export function mutateText(edits: readonly TextEdit[], original = EXAMPLE): string {
  let text = original;
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// The same value written with anchors, aliases and merge keys.

/** What writeWithAnchors did, for the tallies. */
export interface AnchorStats {
  aliases: number;
  merges: number;
  /** Merge keys with a list of two mappings (`<<: [*a, *b]`). */
  mergeLists: number;
  /** Aliases of a node that itself holds an alias or a merge key. */
  nestedAliases: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Writes `value` as YAML that means exactly `value`, with anchors and aliases where the choices say so:
 * a node equal to an earlier, complete node becomes an alias of it (scalars, lists and mappings, also
 * ones that hold aliases themselves), and a mapping whose keys include all keys of one or two earlier
 * mappings becomes `<<: *a` or `<<: [*a, *b]` plus the keys whose values differ. `choices` are numbers
 * in [0, 1000), read in turn (all 999: nothing is aliased); shrinking them towards 0 aliases more.
 * Some collections are written in flow style (`{a: 1}`, `[*a]`), unless `options.flow` is false.
 */
export function writeWithAnchors(original: unknown, choices: readonly number[], options: { flow?: boolean } = {}): { text: string; stats: AnchorStats } {
  const flow = options.flow ?? true;
  // as JSON: no undefined fields, which `k in v` would count as keys the writer leaves out
  const value: unknown = JSON.parse(JSON.stringify(original) ?? 'null');
  const doc = new Document(value, { aliasDuplicateObjects: false });
  const stats: AnchorStats = { aliases: 0, merges: 0, mergeLists: 0, nestedAliases: 0 };
  let next = 0;
  const choose = (): number => (choices.length === 0 ? 999 : choices[next++ % choices.length]);
  let anchors = 0;
  /** Complete nodes, in document order, with the value each stands for. */
  const closed: Array<{ node: Node; key: string; value: unknown; holdsAlias: boolean }> = [];
  const aliasOf = (target: { node: Node; holdsAlias: boolean }): Alias => {
    target.node.anchor ??= `a${anchors++}`;
    stats.aliases++;
    if (target.holdsAlias) stats.nestedAliases++;
    return new Alias(target.node.anchor);
  };
  // returns the node to put in place, and whether it is or holds an alias
  const visit = (node: unknown, v: unknown): { node: unknown; aliased: boolean } => {
    if (!node || typeof node !== 'object') return { node, aliased: false };
    const key = canonical(v);
    if (choose() < 250) {
      const same = closed.filter((c) => c.key === key);
      if (same.length > 0) return { node: aliasOf(same[choose() % same.length]), aliased: true };
    }
    let aliased = false;
    if (isMap(node) && isPlainObject(v)) {
      if (choose() < 350) {
        const candidates = closed.filter((c) => isPlainObject(c.value) && Object.keys(c.value).length > 0 && Object.keys(c.value).every((k) => k in v));
        if (candidates.length > 0) {
          const sources = [candidates[choose() % candidates.length]];
          if (candidates.length > 1 && choose() < 400) {
            const second = candidates[choose() % candidates.length];
            if (second !== sources[0]) sources.push(second);
          }
          // the first mapping of a merge list wins over the later ones, and explicit keys over all of them
          const merged: Record<string, unknown> = {};
          for (const s of sources) for (const [k, sv] of Object.entries(s.value as Record<string, unknown>)) if (!(k in merged)) merged[k] = sv;
          const explicit = new Set(Object.keys(v).filter((k) => !(k in merged) || canonical(merged[k]) !== canonical(v[k])));
          const items = node.items.filter((p) => explicit.has(String((p.key as Scalar).value)));
          let mergeValue: Alias | YAMLSeq;
          if (sources.length === 1) mergeValue = aliasOf(sources[0]);
          else {
            const list = new YAMLSeq();
            list.flow = true;
            list.items = sources.map(aliasOf);
            mergeValue = list;
            stats.mergeLists++;
          }
          items.splice(choose() % (items.length + 1), 0, new Pair(new Scalar('<<'), mergeValue));
          node.items = items;
          stats.merges++;
          aliased = true;
        }
      }
      for (const pair of node.items) {
        if (pair.key instanceof Scalar && pair.key.value === '<<' && !(String(pair.key.value) in v)) continue;
        const r = visit(pair.value, v[String((pair.key as Scalar).value)]);
        pair.value = r.node;
        aliased ||= r.aliased;
      }
      if (choose() < 60 && flow) node.flow = true;
    } else if (isSeq(node) && Array.isArray(v)) {
      node.items = node.items.map((item, i) => {
        const r = visit(item, v[i]);
        aliased ||= r.aliased;
        return r.node;
      });
      if (choose() < 60 && flow) node.flow = true;
    }
    closed.push({ node: node as Node, key, value: v, holdsAlias: aliased });
    return { node, aliased };
  };
  doc.contents = visit(doc.contents, value).node as Node;
  return { text: doc.toString({ lineWidth: 0 }), stats };
}

/** The same value written out in full by the same writer, for comparison with writeWithAnchors. */
export const writeInFull = (value: unknown): string => new Document(value, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 });

// ---------------------------------------------------------------------------------------------
// Anchors, aliases and merge keys written into a text (the example, a CredentialsRequest): some that keep
// its meaning, most that change it or break it.

export const ALIAS_OPS = ['aliasSame', 'aliasAny', 'aliasUndefined', 'selfReference', 'merge', 'mergeList', 'mergeScalar', 'bomb', 'aliasKey', 'redefine', 'oddName'] as const;
export type AliasOp = (typeof ALIAS_OPS)[number];
export const aliasEdit = fc.record({
  op: fc.oneof(
    { weight: 6, arbitrary: fc.constant<AliasOp>('aliasSame') },
    { weight: 2, arbitrary: fc.constantFrom<AliasOp>('aliasAny', 'merge', 'mergeList') },
    { weight: 1, arbitrary: fc.constantFrom<AliasOp>('aliasUndefined', 'selfReference', 'mergeScalar', 'bomb', 'aliasKey', 'redefine', 'oddName') },
  ),
  a: fc.nat(),
  b: fc.nat(),
  width: fc.integer({ min: 2, max: 10 }),
  depth: fc.integer({ min: 1, max: 9 }),
});
export type AliasEdit = { op: AliasOp; a: number; b: number; width: number; depth: number };

interface TextLine {
  /** Leading white space and `- ` indicators. */
  prefix: string;
  key?: string;
  /** The inline value; undefined for a key that opens a block. */
  value?: string;
}

function parseLine(line: string): TextLine | undefined {
  if (/^\s*(#|$)/.test(line)) return undefined;
  const keyed = /^(\s*(?:-\s+)?)([A-Za-z][\w./-]*):(?:\s+(.*))?$/.exec(line);
  if (keyed) return { prefix: keyed[1], key: keyed[2], value: keyed[3] };
  const item = /^(\s*-\s+)(.+)$/.exec(line);
  return item ? { prefix: item[1], value: item[2] } : undefined;
}

const lineText = (l: TextLine): string => `${l.prefix}${l.key !== undefined ? `${l.key}:` : ''}${l.value !== undefined ? `${l.key !== undefined ? ' ' : ''}${l.value}` : ''}`;
/** A flow list of `depth` levels, each `width` aliases of the one before: width^depth nodes once expanded. */
export const aliasBomb = (tag: string, width: number, depth: number): string => {
  const levels = [`&${tag}0 [${Array(width).fill('lol').join(', ')}]`];
  for (let i = 1; i < depth; i++) levels.push(`&${tag}${i} [${Array(width).fill(`*${tag}${i - 1}`).join(', ')}]`);
  return `[${levels.join(', ')}]`;
};
const ODD_ANCHOR_NAMES = ['ä', 'x.y', 'a-b_c', '1', 'a'.repeat(200), '名前', 'a:b'];

/**
 * The text with the edits applied in turn, and whether the result still means the same as the text
 * (true when every edit was an alias of an equal scalar: `&a value` ... `*a` in place of the same value).
 */
export function insertAliases(text: string, edits: readonly AliasEdit[]): { text: string; preserving: boolean; ops: AliasOp[] } {
  const lines = text.split('\n');
  let preserving = true;
  const ops: AliasOp[] = [];
  let serial = 0;
  const parsed = () => lines.map((l, i) => ({ i, l: parseLine(l) })).filter((x): x is { i: number; l: TextLine } => x.l !== undefined);
  const set = (i: number, l: TextLine) => (lines[i] = lineText(l));
  const indentOf = (l: TextLine) => l.prefix.length;
  /** Lines inside the block a line opens: the following lines indented deeper than its key. */
  const blockOf = (all: Array<{ i: number; l: TextLine }>, at: number) => {
    const start = all.findIndex((x) => x.i === at);
    const out: Array<{ i: number; l: TextLine }> = [];
    for (let j = start + 1; j < all.length && indentOf(all[j].l) > indentOf(all[start].l); j++) out.push(all[j]);
    return out;
  };
  for (const e of edits) {
    const all = parsed();
    if (all.length === 0) break;
    const scalars = all.filter((x) => x.l.value !== undefined && !/^[&*[{|>!]/.test(x.l.value));
    const blocks = all.filter((x) => x.l.key !== undefined && x.l.value === undefined);
    const anchor = `n${serial++}`;
    const pick = <T>(xs: T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);
    ops.push(e.op);
    switch (e.op) {
      case 'aliasSame': {
        const first = pick(scalars, e.a);
        const later = first && scalars.filter((x) => x.i > first.i && x.l.value === first.l.value);
        const second = later && pick(later, e.b);
        if (!first || !second) {
          ops.pop();
          continue;
        }
        set(first.i, { ...first.l, value: `&${anchor} ${first.l.value}` });
        set(second.i, { ...second.l, value: `*${anchor}` });
        continue;
      }
      case 'aliasAny':
      case 'redefine':
      case 'oddName': {
        const target = pick(all, e.a);
        const other = pick(scalars, e.b);
        if (!target || !other) continue;
        const anchorName = e.op === 'oddName' ? ODD_ANCHOR_NAMES[e.a % ODD_ANCHOR_NAMES.length] : e.op === 'redefine' ? 'same' : anchor;
        set(target.i, { ...target.l, value: target.l.value === undefined ? `&${anchorName}` : `&${anchorName} ${target.l.value}` });
        if (e.op === 'redefine') {
          const again = pick(all, e.b + 1);
          if (again && again.i !== target.i) set(again.i, { ...again.l, value: again.l.value === undefined ? '&same' : `&same ${again.l.value.replace(/^&\S+ /, '')}` });
        }
        if (other.i !== target.i) set(other.i, { ...other.l, value: `*${anchorName}` });
        break;
      }
      case 'aliasUndefined': {
        const at = pick(scalars, e.a);
        if (at) set(at.i, { ...at.l, value: `*undefined${e.b % 3}` });
        break;
      }
      case 'selfReference': {
        const parent = pick(blocks, e.a);
        const inside = parent && blockOf(all, parent.i).filter((x) => x.l.value !== undefined);
        const child = inside && pick(inside, e.b);
        if (!parent || !child) continue;
        set(parent.i, { ...parent.l, value: `&${anchor}` });
        set(child.i, { ...child.l, value: `*${anchor}` });
        break;
      }
      case 'merge':
      case 'mergeList':
      case 'mergeScalar': {
        // anchor a block (a mapping or a list) or a scalar, then merge it into a mapping: a new `<<:` line after a keyed line
        const source = e.op === 'mergeScalar' ? pick(scalars, e.a) : pick(blocks, e.a);
        const into = pick(
          all.filter((x) => x.l.key !== undefined && x.l.value !== undefined),
          e.b,
        );
        if (!source || !into) continue;
        set(source.i, { ...source.l, value: source.l.value === undefined ? `&${anchor}` : `&${anchor} ${source.l.value}` });
        let value = `*${anchor}`;
        if (e.op === 'mergeList') {
          const second = pick(blocks, e.a + 1);
          const other = `n${serial++}`;
          if (second && second.i !== source.i) set(second.i, { ...second.l, value: `&${other}` });
          value = e.width % 2 === 0 ? `[*${anchor}, *${other}]` : `[*${other}, *${anchor}]`;
        }
        lines.splice(into.i + 1, 0, `${' '.repeat(indentOf(into.l))}<<: ${value}`);
        break;
      }
      case 'bomb': {
        const at = pick(scalars, e.a);
        if (at) set(at.i, { ...at.l, value: aliasBomb(`b${serial}_`, e.width, e.depth) });
        break;
      }
      case 'aliasKey': {
        const source = pick(scalars, e.a);
        const at = pick(
          all.filter((x) => x.l.key !== undefined),
          e.b,
        );
        if (!source || !at || at.i === source.i) continue;
        set(source.i, { ...source.l, value: `&${anchor} ${source.l.value}` });
        lines[at.i] = `${at.l.prefix}*${anchor} :${at.l.value !== undefined ? ` ${at.l.value}` : ''}`;
        break;
      }
    }
    preserving = false;
  }
  return { text: lines.join('\n'), preserving, ops };
}
