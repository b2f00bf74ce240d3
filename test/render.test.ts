import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { ApiObject, App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { AksCluster, Fleet, loadFleetFile, ManagedIdentity, planFleet, ResourceGroup, SelfManagedCluster } from '../src/index';
import { recordEmbeddedYaml } from '../src/core/yaml';
import { isPlainYaml, parseYamlValues } from '../src/inputs/yaml';
import { ClusterChart } from '../src/kubernetes/cluster-chart';
import { chartManifests, Manifest, renderClusterManifests } from '../src/kubernetes/render';
import { PLATFORMS } from '../src/platforms';
import { scalar, SEED } from './fuzz-arbitraries';
import { ROOT, writeKeyPair } from './support';

test('service accounts whose names differ only in where the "-" falls get files of their own', () => {
  const fleet = new Fleet({ azure: { tenantId: '11111111-2222-4333-8444-555555555555', subscriptionId: '66666666-7777-4888-9999-000000000000', location: 'westeurope' } });
  const identity = new ManagedIdentity(fleet, 'id-app', { resourceGroup: new ResourceGroup(fleet, 'rg-app') });
  const cluster = AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' });
  cluster.addWorkload({ namespace: 'team-a', serviceAccount: 'api', identity });
  cluster.addWorkload({ namespace: 'team', serviceAccount: 'a-api', identity });

  const files = renderClusterManifests(planFleet(fleet).clusters[0], PLATFORMS.get('aks')!);
  expect([...files.keys()]).toEqual(['kustomization.yaml', 'serviceaccount_team-a_api.yaml', 'serviceaccount_team_a-api.yaml']);
});

/**
 * synth's check takes the document of each file it wrote instead of parsing the text back (readArtifacts'
 * `written`), where the text is plain: it relies on js-yaml reading the text as exactly that document.
 */
describe('each file of a cluster folder holds its document', () => {
  const readsBack = (files: ReadonlyMap<string, Manifest>): number => {
    let plain = 0;
    for (const [file, { text, doc }] of files) {
      if (!isPlainYaml(text)) continue;
      plain++;
      const parsed = parseYamlValues(text);
      if (!parsed.ok || !isDeepStrictEqual(parsed.values, [doc])) throw new Error(`${file} does not read back as its document:\n${text}`);
    }
    return plain;
  };

  test('in every cluster folder of the example', () => {
    const clusters = planFleet(loadFleetFile(path.join(ROOT, 'examples', 'fleet.yaml'))).clusters;
    const plain = clusters.map((c) => readsBack(chartManifests(new ClusterChart(new App(), c.name, { cluster: c, platform: PLATFORMS.get(c.platform)! }), c.name)));
    expect(plain.length).toBeGreaterThan(4);
    expect(plain.every((n) => n > 2)).toBe(true);
  });

  test('in each configuration file of a cluster that synth gives its document: kind, kubeadm, Giant Swarm', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-cluster-files-'));
    try {
      writeKeyPair(path.join(dir, 'keys'));
      const fleet = loadFleetFile(path.join(ROOT, 'examples', 'fleet.yaml'));
      new SelfManagedCluster(fleet, 'kubeadm-dev', {
        distribution: 'kubeadm',
        issuer: { hosting: 'blobContainer', storageAccount: 'stoidcdev', resourceGroup: new ResourceGroup(fleet, 'rg-kubeadm'), container: 'oidc' },
        serviceAccountKeys: { publicKeyFiles: [path.join(dir, 'keys', 'sa.pub')], privateKeyFile: path.join(dir, 'keys', 'sa.key') },
        previousIssuers: ['https://kubernetes.default.svc.cluster.local', 'https://old.example.com/issuer'],
      });
      const documented = planFleet(fleet).clusters.flatMap((c) => [...PLATFORMS.get(c.platform)!.clusterFiles(c)].filter(([, f]) => f.doc !== undefined).map(([file, f]) => [file, { text: f.text, doc: f.doc! }] as const));
      expect(new Set(documented.map(([file]) => file))).toEqual(new Set(['kind-cluster.yaml', 'kubeadm-cluster-configuration.yaml', 'giantswarm-values.yaml']));
      expect(readsBack(new Map(documented.map(([file, f], i) => [`${i}-${file}`, f])))).toBe(documented.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in each YAML text synth renders into a string value: kubeadm patches, install-config.yaml, the installer manifests', () => {
    const recording = recordEmbeddedYaml();
    let texts: ReadonlyMap<string, unknown>;
    try {
      planFleet(loadFleetFile(path.join(ROOT, 'examples', 'fleet.yaml'))).clusters.forEach((c) => {
        const platform = PLATFORMS.get(c.platform)!;
        chartManifests(new ClusterChart(new App(), c.name, { cluster: c, platform }), c.name);
        platform.clusterFiles(c);
      });
      texts = new Map(recording.texts);
    } finally {
      recording.stop();
    }
    const kinds = [...texts.values()].map((v) => (v as { kind?: string }).kind ?? ('platform' in (v as object) ? 'InstallConfig' : '?'));
    expect(new Set(kinds)).toEqual(new Set(['ClusterConfiguration', 'InstallConfig', 'Secret', 'Authentication']));
    expect(readsBack(new Map([...texts].map(([text, doc], i) => [`${i}`, { text, doc }])))).toBe(texts.size);
    // a recording stopped keeps nothing more
    chartManifests(new ClusterChart(new App(), 'again', { cluster: planFleet(loadFleetFile(path.join(ROOT, 'examples', 'fleet.yaml'))).clusters.find((c) => c.platform === 'openshift-hive')!, platform: PLATFORMS.get('openshift-hive')! }), 'again');
    expect(recording.texts.size).toBe(texts.size);
  });

  test('for any values an object added to a chart holds', () => {
    const leaf = fc.oneof(scalar, fc.constantFrom(undefined, -0, NaN, -Infinity, 1e21, 5e-324, 'a &b', 'c: d', '- e', '#', '\u2028', '\ufeffx', '\r\n', 'k'.repeat(1100)));
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('<<', '? x', 'k'.repeat(1100)));
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true })),
    }));
    let plain = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5, noNullPrototype: true }), (data) => {
        const chart = new Chart(new App(), 'c');
        new ApiObject(chart, 'o', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'o' }, ...{ spec: data } });
        plain += readsBack(chartManifests(chart, 'c'));
      }),
      { seed: SEED, numRuns: 300 },
    );
    // each run's kustomization.yaml is plain; of the objects, those without a `&`, `*`, `!` or `<<` in the text
    expect(plain).toBeGreaterThan(300 + 50);
  });
});
