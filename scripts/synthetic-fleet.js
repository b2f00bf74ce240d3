#!/usr/bin/env node
// A synthetic fleet of any size, for benchmarks and scale tests: every platform of examples/fleet.yaml
// in a fixed rotation, each cluster with the same number of workloads.
//
//   node scripts/synthetic-fleet.js --clusters N [--workloads W] [--stack-layout single|perCluster] -o DIR
//   const { writeSyntheticFleet } = require('./scripts/synthetic-fleet');
//   const fleetPath = writeSyntheticFleet(dir, { clusters: 100, workloads: 10, stackLayout: 'perCluster' });
//
// DIR receives fleet.yaml, keys/sa.pub (one RSA key made now, shared by every self-hosted issuer) and
// openshift/credentialsrequests (a copy of the example's). The same arguments always give the same
// fleet.yaml, byte for byte; only the key differs between runs.
//
// Cluster i (0-based), by i % 10:
//   0, 5  aks-<i>            a new AKS cluster
//   1, 6  aks-existing-<i>   an existing AKS cluster known by its issuer URL (a GUID derived from i)
//   2, 7  kind-<i>           self-managed kind, issuer on a public blob container
//   3, 8  gs-<i>             self-managed Giant Swarm, issuer on a static website
//   4     capz-<i>           a CAPZ management cluster on kind with one workload cluster
//   9     ocp-<i>            OpenShift installed by Hive on aks-0 (the hub), secrets through External Secrets
// Workload j of cluster i: namespace team-<j>, service account app-<j>, identity id-g<floor(i/10)>-w<j>,
// so one identity federates at most 10 clusters (Entra allows 20 FICs per identity).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const ROOT = path.join(__dirname, '..');
const TENANT_ID = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const SUBSCRIPTION_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const LOCATION = 'westeurope';
const RELEASE_IMAGE = 'quay.io/openshift-release-dev/ocp-release:4.19.10-x86_64';
const GROUPS = { identities: 'rg-bench-identities', aks: 'rg-bench-aks', oidc: 'rg-bench-oidc', dns: 'rg-bench-dns' };
const PUBLIC_KEY = 'keys/sa.pub';
/** Referenced by kind clusters (mounted into the node), never read by wisynth: not written. */
const PRIVATE_KEY = 'keys/sa.key';
const CREDENTIALS_REQUESTS = 'openshift/credentialsrequests';
const HIVE_VAULT = 'kv-bench-hive';
const HUB = 'aks-0';
/** Each OpenShift cluster puts one FIC (its hub namespace's reader) on its reader identity: at most 20 a piece. */
const OPENSHIFT_PER_READER_IDENTITY = 20;
const STACK_LAYOUTS = ['single', 'perCluster'];

const PLATFORM_BY_SLOT = ['aks', 'aks-existing', 'kind', 'giantswarm', 'capz', 'aks', 'aks-existing', 'kind', 'giantswarm', 'openshift-hive'];

/** The platform of cluster i in the rotation. */
function platformOf(i) {
  return PLATFORM_BY_SLOT[i % 10];
}

/** A GUID made from a label, the same every time (an existing AKS cluster's issuer id). */
function guidFrom(label) {
  const h = crypto.createHash('sha256').update(label).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function workloadIdentity(i, j) {
  return `id-g${Math.floor(i / 10)}-w${j}`;
}

/** The reader identity of the k-th OpenShift cluster (k counts OpenShift clusters only). */
function hiveReaderIdentity(k) {
  return `id-hive-secrets-${Math.floor(k / OPENSHIFT_PER_READER_IDENTITY)}`;
}

function workloadsOf(i, count) {
  return Array.from({ length: count }, (_, j) => ({ namespace: `team-${j}`, serviceAccount: `app-${j}`, identity: workloadIdentity(i, j) }));
}

function selfManaged(i, name, distribution, hosting) {
  const issuer = { hosting, storageAccount: `stbenchoidc${i}`, resourceGroup: GROUPS.oidc };
  if (hosting === 'blobContainer') issuer.container = name;
  const serviceAccountKeys = { publicKeyFiles: [PUBLIC_KEY] };
  if (distribution !== 'giantswarm') serviceAccountKeys.privateKeyFile = PRIVATE_KEY;
  return { distribution, issuer, serviceAccountKeys };
}

/** Cluster i of the fleet, and the identities it needs besides its workloads'. */
function clusterOf(i, workloads, openshiftIndex) {
  const withWorkloads = (cluster) => (workloads > 0 ? { ...cluster, workloads: workloadsOf(i, workloads) } : cluster);
  switch (platformOf(i)) {
    case 'aks':
      return { cluster: withWorkloads({ name: `aks-${i}`, platform: 'aks', aks: { resourceGroup: GROUPS.aks } }), identities: [] };
    case 'aks-existing': {
      const issuerUrl = `https://${LOCATION}.oic.prod-aks.azure.com/${TENANT_ID}/${guidFrom(`bench-aks-existing-${i}`)}/`;
      return { cluster: withWorkloads({ name: `aks-existing-${i}`, platform: 'aks', aks: { existing: { issuerUrl } } }), identities: [] };
    }
    case 'kind':
      return { cluster: withWorkloads({ name: `kind-${i}`, platform: 'self-managed', selfManaged: selfManaged(i, `kind-${i}`, 'kind', 'blobContainer') }), identities: [] };
    case 'giantswarm':
      return { cluster: withWorkloads({ name: `gs-${i}`, platform: 'self-managed', selfManaged: selfManaged(i, `gs-${i}`, 'giantswarm', 'staticWebsite') }), identities: [] };
    case 'capz': {
      const name = `capz-${i}`;
      const capz = { identity: `id-${name}`, workloadClusters: [{ name: `${name}-work-1`, nodeIdentity: `id-${name}-work-1-nodes` }] };
      return {
        cluster: withWorkloads({ name, platform: 'capz', selfManaged: selfManaged(i, name, 'kind', 'blobContainer'), capz }),
        identities: [capz.identity, capz.workloadClusters[0].nodeIdentity],
      };
    }
    case 'openshift-hive': {
      const reader = hiveReaderIdentity(openshiftIndex);
      const openshiftHive = {
        baseDomain: 'ocp.bench.example.com',
        baseDomainResourceGroup: GROUPS.dns,
        storageAccount: `stbenchoidc${i}`,
        credentialsRequests: CREDENTIALS_REQUESTS,
        releaseImage: RELEASE_IMAGE,
        publicKeyFile: PUBLIC_KEY,
        secrets: { mode: 'externalSecrets', keyVault: HIVE_VAULT, identity: reader, hub: HUB },
      };
      // The schema has no `workloads` for openshift-hive: its service accounts are the release's.
      return { cluster: { name: `ocp-${i}`, platform: 'openshift-hive', openshiftHive }, identities: [reader], noWorkloads: true };
    }
    default:
      throw new Error(`no platform for cluster ${i}`);
  }
}

/** The fleet document (plain data) and the indexes of clusters that take no workloads. */
function syntheticFleetDocument({ clusters, workloads = 10, stackLayout }) {
  if (!Number.isInteger(clusters) || clusters < 1) throw new Error(`clusters must be a positive integer, not ${clusters}`);
  if (!Number.isInteger(workloads) || workloads < 0) throw new Error(`workloads must be a non-negative integer, not ${workloads}`);
  if (stackLayout !== undefined && !STACK_LAYOUTS.includes(stackLayout)) throw new Error(`stackLayout must be one of ${STACK_LAYOUTS.join(', ')}, not ${stackLayout}`);

  const made = [];
  let openshiftCount = 0;
  for (let i = 0; i < clusters; i++) {
    const isOpenShift = platformOf(i) === 'openshift-hive';
    made.push(clusterOf(i, workloads, openshiftCount));
    if (isOpenShift) openshiftCount++;
  }
  const used = [];
  for (const { cluster, identities } of made) {
    for (const w of cluster.workloads ?? []) used.push(w.identity);
    used.push(...identities);
  }
  const identityNames = [...new Set(used)];

  const terraform = { backend: { type: 'local', path: 'terraform-state' } };
  if (stackLayout !== undefined) terraform.stackLayout = stackLayout;
  const doc = {
    name: 'bench',
    azure: { tenantId: TENANT_ID, subscriptionId: SUBSCRIPTION_ID, location: LOCATION },
    terraform,
    resourceGroups: [{ name: GROUPS.identities }, { name: GROUPS.aks }, { name: GROUPS.oidc }, { name: GROUPS.dns, existing: true }],
    identities: identityNames.map((name) => ({ name, resourceGroup: GROUPS.identities })),
  };
  if (openshiftCount > 0) doc.keyVaults = [{ name: HIVE_VAULT, resourceGroup: GROUPS.identities }];
  doc.clusters = made.map((m) => m.cluster);
  return { doc, noWorkloads: made.flatMap((m, i) => (m.noWorkloads && workloads > 0 ? [i] : [])) };
}

/** fleet.yaml's text: the document with a header and a comment on each cluster that takes no workloads. */
function syntheticFleetYaml(options) {
  const { doc, noWorkloads } = syntheticFleetDocument(options);
  const yamlDoc = new YAML.Document(doc);
  const workloads = options.workloads ?? 10;
  yamlDoc.commentBefore = [
    ` Synthetic fleet: ${options.clusters} cluster(s), ${workloads} workload(s) each (made by scripts/synthetic-fleet.js; do not edit).`,
    ' Platforms rotate by index % 10: 0,5 new AKS; 1,6 existing AKS; 2,7 kind; 3,8 Giant Swarm; 4 CAPZ; 9 OpenShift (Hive on aks-0).',
  ].join('\n');
  for (const i of noWorkloads) {
    yamlDoc.getIn(['clusters', i], true).commentBefore = ' openshift-hive takes no workloads (not in the schema): its service accounts are the release\'s';
  }
  return yamlDoc.toString({ lineWidth: 0 });
}

function writePublicKey(file) {
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
}

/** Writes DIR/fleet.yaml and the files it refers to; returns the fleet file's path. */
function writeSyntheticFleet(dir, options) {
  const text = syntheticFleetYaml(options);
  fs.mkdirSync(dir, { recursive: true });
  writePublicKey(path.join(dir, PUBLIC_KEY));
  if (text.includes(CREDENTIALS_REQUESTS)) {
    fs.cpSync(path.join(ROOT, 'examples', CREDENTIALS_REQUESTS), path.join(dir, CREDENTIALS_REQUESTS), { recursive: true });
  }
  const fleetPath = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(fleetPath, text);
  return fleetPath;
}

function parseArgs(argv) {
  const usage = 'usage: node scripts/synthetic-fleet.js --clusters N [--workloads W] [--stack-layout single|perCluster] -o DIR';
  const options = {};
  let dir;
  for (let k = 0; k < argv.length; k++) {
    const value = argv[k + 1];
    switch (argv[k]) {
      case '--clusters': options.clusters = Number(value); k++; break;
      case '--workloads': options.workloads = Number(value); k++; break;
      case '--stack-layout': options.stackLayout = value; k++; break;
      case '-o': case '--out': dir = value; k++; break;
      case '-h': case '--help': console.log(usage); process.exit(0); break;
      default: throw new Error(`unknown argument ${argv[k]}\n${usage}`);
    }
  }
  if (options.clusters === undefined || dir === undefined) throw new Error(usage);
  return { dir, options };
}

if (require.main === module) {
  try {
    const { dir, options } = parseArgs(process.argv.slice(2));
    console.log(writeSyntheticFleet(dir, options));
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
}

module.exports = { writeSyntheticFleet, syntheticFleetYaml, syntheticFleetDocument, platformOf };
