/**
 * The synthetic fleets of the benchmark (scripts/synthetic-fleet.js): every platform at 10 clusters,
 * no identity over Entra's 20 FICs at any size, the same bytes every time, and a fleet wisynth synthesizes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { main } from '../src/cli/main';

interface Options {
  clusters: number;
  workloads?: number;
  stackLayout?: 'single' | 'perCluster';
}
interface ClusterDoc {
  name: string;
  platform: string;
  aks?: { existing?: { issuerUrl: string } };
  selfManaged?: { distribution: string; issuer: { hosting: string } };
  capz?: { identity: string; workloadClusters: { nodeIdentity: string }[] };
  openshiftHive?: { secrets: { identity: string } };
  workloads?: { identity: string }[];
}
interface FleetDoc {
  identities: { name: string }[];
  clusters: ClusterDoc[];
}

// A script, not a module of src/: required, with its shape stated here.
const generator = require('../scripts/synthetic-fleet') as {
  writeSyntheticFleet(dir: string, options: Options): string;
  syntheticFleetDocument(options: Options): { doc: FleetDoc };
};

/** Federated credentials each identity would carry: one per workload, two per CAPZ identity, one per Hive reader. */
function ficsPerIdentity(doc: FleetDoc): Map<string, number> {
  const count = new Map<string, number>();
  const add = (identity: string, n = 1) => count.set(identity, (count.get(identity) ?? 0) + n);
  for (const c of doc.clusters) {
    for (const w of c.workloads ?? []) add(w.identity);
    if (c.capz) add(c.capz.identity, 2);
    if (c.openshiftHive) add(c.openshiftHive.secrets.identity);
  }
  return count;
}

/** What sets a cluster apart, as the fleet's rotation names it. */
function kindOf(c: ClusterDoc): string {
  if (c.platform === 'aks') return c.aks?.existing ? 'aks existing' : 'aks new';
  if (c.platform === 'self-managed') return `self-managed ${c.selfManaged!.distribution} ${c.selfManaged!.issuer.hosting}`;
  return c.platform;
}

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-synthetic-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('synthetic fleet', () => {
  it('has every platform at 10 clusters, and a 1-cluster fleet is one new AKS cluster', () => {
    const { doc } = generator.syntheticFleetDocument({ clusters: 10 });
    expect(new Set(doc.clusters.map(kindOf))).toEqual(
      new Set(['aks new', 'aks existing', 'self-managed kind blobContainer', 'self-managed giantswarm staticWebsite', 'capz', 'openshift-hive']),
    );
    expect(generator.syntheticFleetDocument({ clusters: 1 }).doc.clusters.map(kindOf)).toEqual(['aks new']);
  });

  it.each([10, 300])('keeps every identity within 20 FICs and declares exactly the identities used (%i clusters)', (clusters) => {
    const { doc } = generator.syntheticFleetDocument({ clusters, workloads: 10 });
    const fics = ficsPerIdentity(doc);
    expect(Math.max(...fics.values())).toBeLessThanOrEqual(20);
    const used = new Set([...fics.keys(), ...doc.clusters.flatMap((c) => c.capz?.workloadClusters.map((w) => w.nodeIdentity) ?? [])]);
    expect(new Set(doc.identities.map((i) => i.name))).toEqual(used);
    expect(doc.identities).toHaveLength(used.size);
  });

  it('writes byte-identical fleet.yaml for the same arguments', () => {
    const a = generator.writeSyntheticFleet(path.join(work, 'a'), { clusters: 10, workloads: 3, stackLayout: 'perCluster' });
    const b = generator.writeSyntheticFleet(path.join(work, 'b'), { clusters: 10, workloads: 3, stackLayout: 'perCluster' });
    expect(fs.readFileSync(b)).toEqual(fs.readFileSync(a));
    expect(fs.readFileSync(a, 'utf8')).toContain('stackLayout: perCluster');
  });

  it('synthesizes: one cluster folder per fleet cluster', async () => {
    const fleet = generator.writeSyntheticFleet(path.join(work, 'synth'), { clusters: 10, workloads: 10 });
    const doc = yaml.load(fs.readFileSync(fleet, 'utf8')) as FleetDoc;
    const out = path.join(work, 'synth-out');
    const stderr: string[] = [];
    const code = await main(['synth', '-c', fleet, '-o', out, '--no-check'], { cwd: work, env: {}, out: () => undefined, err: (l) => stderr.push(l) });
    expect({ code, stderr: code === 0 ? [] : stderr }).toEqual({ code: 0, stderr: [] });
    const folders = fs.readdirSync(path.join(out, 'kubernetes'), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.map((e) => e.name).sort()).toEqual(doc.clusters.map((c) => c.name).sort());
  });
});
