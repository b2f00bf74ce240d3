/**
 * Every object the example writes under OUT/kubernetes is valid by the Kubernetes 1.28 core API
 * schema; and the validator does catch broken objects, so "no errors" means something.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import Ajv from 'ajv';
import { structural, vendoredCustomResourceKinds } from '../src/check/crd-schema';
import { kubernetesSchemaErrors } from '../src/check/kubernetes-schema';
import { objectSchemaErrors } from '../src/check/object-schema';
import { loadFleetFile, synthesizeFleet } from '../src/index';

/** Parsed YAML, read field by field. */
type Json = any;

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'fleet.yaml');

let work: string;
/** Every object of every YAML file under OUT/kubernetes, kustomization.yaml aside (kustomize's config, not an API object). */
let objects: Array<{ file: string; obj: Json }>;

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []))
    .sort();
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-k8s-schema-'));
  const out = path.join(work, 'out');
  synthesizeFleet(loadFleetFile(EXAMPLE), { outDir: out });
  const root = path.join(out, 'kubernetes');
  objects = yamlFiles(root)
    .filter((file) => path.basename(file) !== 'kustomization.yaml')
    .flatMap((file) => yaml.loadAll(fs.readFileSync(file, 'utf8')).map((obj) => ({ file: path.relative(root, file), obj })));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** A deep copy of the first written object of a kind, to break. */
function written(kind: string): Json {
  const found = objects.find((o) => o.obj.kind === kind);
  if (!found) throw new Error(`the example writes no ${kind}`);
  return structuredClone(found.obj);
}

test('the example writes namespaces, service accounts, the verification Deployment, the Flux webhook install, the CAPZ, Hive and ESO objects', () => {
  expect(new Set(objects.map((o) => o.obj.kind))).toEqual(
    new Set([
      'Namespace', 'ServiceAccount', 'Deployment', 'HelmRepository', 'HelmRelease',
      'AzureClusterIdentity', 'AzureCluster', 'AzureMachineTemplate',
      'ClusterDeployment', 'ClusterImageSet', 'MachinePool', 'Secret', 'SecretStore', 'ExternalSecret',
    ]),
  );
});

test('every object under OUT/kubernetes is valid by the Kubernetes 1.28 schema or its vendored CRD', () => {
  const errors = objects.flatMap(({ file, obj }) => objectSchemaErrors(obj).map((e) => `${file}: ${e}`));
  expect(errors).toEqual([]);
});

describe('the validator catches', () => {
  test('a ServiceAccount whose automountServiceAccountToken is the string "yes"', () => {
    const sa = written('ServiceAccount');
    sa.automountServiceAccountToken = 'yes';
    expect(kubernetesSchemaErrors(sa)).toEqual([expect.stringMatching(/^ServiceAccount \S+: \/automountServiceAccountToken must be boolean$/)]);
  });

  test('a Deployment without selector', () => {
    const deployment = written('Deployment');
    delete deployment.spec.selector;
    expect(kubernetesSchemaErrors(deployment)).toEqual([expect.stringMatching(/^Deployment \S+: \/spec must have required property 'selector'$/)]);
  });

  test('a container without image (the API server requires one, though the schema marks it optional)', () => {
    const deployment = written('Deployment');
    delete deployment.spec.template.spec.containers[0].image;
    expect(kubernetesSchemaErrors(deployment)).toEqual([
      expect.stringMatching(/^Deployment \S+: \/spec\/template\/spec\/containers\/0 must have required property 'image'$/),
    ]);
  });

  test('a kind the schema does not know', () => {
    expect(kubernetesSchemaErrors({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x' } })).toEqual([
      expect.stringContaining('no schema is known'),
    ]);
  });
});

describe('the vendored schemas are JSON Schema (check compiles them without the meta-schema)', () => {
  const SCHEMAS = path.resolve(__dirname, '..', 'schemas');
  /** Draft-07, as ajv's default meta-schema; OpenAPI's and Kubernetes' own keywords are other keywords to it. */
  const meta = new Ajv({ allErrors: true, strict: false });
  const errorsOf = (schema: unknown) => (meta.validateSchema(schema as object) ? [] : meta.errors!.map((e) => `${e.instancePath} ${e.message}`));

  test('the core definitions', () => {
    const definitions = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'k8s', 'v1.28.0-definitions.json'), 'utf8'));
    expect(Object.keys(definitions.definitions).length).toBeGreaterThan(500);
    expect(errorsOf(definitions)).toEqual([]);
  });

  test('every served version of every vendored CRD, as check compiles it (structural)', () => {
    const checked: string[] = [];
    for (const group of fs.readdirSync(path.join(SCHEMAS, 'crds')).sort()) {
      for (const file of fs.readdirSync(path.join(SCHEMAS, 'crds', group)).filter((f) => f.endsWith('.json')).sort()) {
        for (const doc of [JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'crds', group, file), 'utf8')) as Json]) {
          for (const version of doc?.spec?.versions ?? []) {
            if (!version.served || !version.schema?.openAPIV3Schema) continue;
            const name = `${group}/${version.name}/${doc.spec.names.kind}`;
            checked.push(name);
            expect({ name, errors: errorsOf(structural(version.schema.openAPIV3Schema, true)) }).toEqual({ name, errors: [] });
          }
        }
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(vendoredCustomResourceKinds().length);
  });

  test('the meta-schema finds a broken schema', () => {
    expect(errorsOf({ type: 'object', properties: { spec: { type: 'strin' } } })).not.toEqual([]);
    expect(errorsOf({ type: 'object', required: 'spec' })).not.toEqual([]);
  });
});
