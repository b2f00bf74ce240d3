/**
 * The webhook's Flux objects are valid by the vendored CRDs, the CRD validator catches what the
 * API server would refuse (and typos it would prune), the `helm` values file says what the
 * HelmRelease says, and every vendored CRD is usable.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { crdSchemaErrors, vendoredCustomResourceKinds } from '../src/check/crd-schema';
import { objectSchemaErrors } from '../src/check/object-schema';
import { CLOUDS } from '../src/model/constants';
import { WorkloadIdentityWebhook, webhookHelmValues } from '../src/kubernetes/webhook';

/** Parsed YAML, read field by field. */
type Json = any;

const TENANT = '4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a';
const NAMESPACE = 'azure-workload-identity-system';
const CRD_DIR = path.resolve(__dirname, '..', 'schemas', 'crds');

function synth(props: ConstructorParameters<typeof WorkloadIdentityWebhook>[2] = { tenantId: TENANT }): Json[] {
  const chart = new Chart(Testing.app(), 'cluster', { disableResourceNameHashes: true });
  new WorkloadIdentityWebhook(chart, 'webhook', props);
  return Testing.synth(chart);
}

function find(objects: Json[], kind: string): Json {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return structuredClone(found);
}

describe('WorkloadIdentityWebhook', () => {
  const objects = synth();
  const release = find(objects, 'HelmRelease');
  const repository = find(objects, 'HelmRepository');

  test('emits its Namespace, a HelmRepository and a HelmRelease, all in azure-workload-identity-system', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual([
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'source.toolkit.fluxcd.io/v1 HelmRepository',
      'v1 Namespace',
    ]);
    expect(find(objects, 'Namespace').metadata.name).toBe(NAMESPACE);
    expect(repository.metadata.namespace).toBe(NAMESPACE);
    expect(release.metadata.namespace).toBe(NAMESPACE);
    expect(release.spec.targetNamespace).toBe(NAMESPACE);
    expect(release.spec.install.createNamespace).toBe(false);
  });

  test('installs chart workload-identity-webhook 1.6.0 from the azure-workload-identity repository', () => {
    expect(repository.spec.url).toBe('https://azure.github.io/azure-workload-identity/charts');
    expect(release.spec.chart.spec).toEqual({
      chart: 'workload-identity-webhook',
      version: '1.6.0',
      sourceRef: { kind: 'HelmRepository', name: repository.metadata.name, namespace: NAMESPACE },
    });
    expect(release.spec.interval).toBe('1h');
    expect(repository.spec.interval).toBe('1h');
  });

  test('sets the tenant, and the public cloud by default', () => {
    expect(release.spec.values).toEqual({ azureTenantID: TENANT, azureEnvironment: 'AzurePublicCloud' });
  });

  test('selects the cloud of the authority host', () => {
    const gov = find(synth({ tenantId: TENANT, authorityHost: CLOUDS.usgovernment.authorityHost }), 'HelmRelease');
    expect(gov.spec.values.azureEnvironment).toBe('AzureUSGovernmentCloud');
    const china = find(synth({ tenantId: TENANT, authorityHost: CLOUDS.china.authorityHost }), 'HelmRelease');
    expect(china.spec.values.azureEnvironment).toBe('AzureChinaCloud');
    expect(() => synth({ tenantId: TENANT, authorityHost: 'https://login.example.com/' })).toThrow(/authority host/);
  });

  test('refuses an interval Flux would refuse, naming the construct', () => {
    const app = new App();
    const chart = new Chart(app, 'cluster');
    new WorkloadIdentityWebhook(chart, 'webhook', { tenantId: TENANT, interval: '1 hour' });
    expect(() => app.synth()).toThrow(/cluster\/webhook.*interval '1 hour'/s);
  });

  test('every object is valid by the Kubernetes schema or its vendored CRD', () => {
    expect(objects.flatMap(objectSchemaErrors)).toEqual([]);
  });

  test('the helm values file holds the HelmRelease values, and the command it goes with', () => {
    for (const props of [{ tenantId: TENANT }, { tenantId: TENANT, authorityHost: CLOUDS.china.authorityHost, chartVersion: '1.5.1' }]) {
      const values = webhookHelmValues(props);
      expect(yaml.load(values)).toEqual(find(synth(props), 'HelmRelease').spec.values);
      expect(values).toContain(`--version ${props.chartVersion ?? '1.6.0'}`);
    }
    expect(webhookHelmValues({ tenantId: TENANT })).toMatch(
      /helm upgrade --install workload-identity-webhook workload-identity-webhook \\\n#\s+--repo https:\/\/azure\.github\.io\/azure-workload-identity\/charts --version 1\.6\.0 \\\n#\s+--namespace azure-workload-identity-system --create-namespace/,
    );
  });

  describe('the CRD validator catches', () => {
    const LABEL = `HelmRelease ${NAMESPACE}/workload-identity-webhook`;

    test('a HelmRelease without spec.chart (a CEL rule of the CRD: chart or chartRef)', () => {
      const broken = structuredClone(release);
      delete broken.spec.chart;
      expect(objectSchemaErrors(broken)).toEqual([`${LABEL}: /spec fails rule: either chart or chartRef must be set`]);
    });

    test('a chart without its spec', () => {
      const broken = structuredClone(release);
      delete broken.spec.chart.spec;
      expect(objectSchemaErrors(broken)).toEqual([`${LABEL}: /spec/chart must have required property 'spec'`]);
    });

    test('an interval that is a number', () => {
      const broken = structuredClone(repository);
      broken.spec.interval = 5;
      expect(objectSchemaErrors(broken)).toEqual([`HelmRepository ${NAMESPACE}/${repository.metadata.name}: /spec/interval must be string`]);
    });

    test('an unknown field, where the schema does not preserve unknown fields', () => {
      const broken = structuredClone(release);
      broken.spec.chartt = broken.spec.chart;
      expect(objectSchemaErrors(broken)).toEqual([`${LABEL}: /spec must NOT have unknown field 'chartt'`]);
    });

    test('but not a value of the chart: values preserve unknown fields', () => {
      const free = structuredClone(release);
      free.spec.values.anything = { nested: [1, 'two'] };
      expect(objectSchemaErrors(free)).toEqual([]);
    });

    test('a value outside an enum', () => {
      const broken = structuredClone(repository);
      broken.spec.type = 'git';
      expect(objectSchemaErrors(broken)).toEqual([
        `HelmRepository ${NAMESPACE}/${repository.metadata.name}: /spec/type must be one of "default", "oci"`,
      ]);
    });

    test('a kind no vendored CRD serves', () => {
      const unknown = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' } };
      expect(crdSchemaErrors(unknown)).toBeUndefined();
      expect(objectSchemaErrors(unknown)).toEqual([
        'Kustomization flux-system/apps: no schema is known for apiVersion kustomize.toolkit.fluxcd.io/v1, kind Kustomization',
      ]);
      const unserved = { ...structuredClone(release), apiVersion: 'helm.toolkit.fluxcd.io/v2beta1' };
      expect(crdSchemaErrors(unserved)).toBeUndefined();
    });
  });
});

describe('the vendored CRDs', () => {
  const files = fs
    .readdirSync(CRD_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort();
  const crds = files.map((file) => ({ file, crd: JSON.parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8')) as Json }));

  test('are the ones the work needs', () => {
    expect(vendoredCustomResourceKinds()).toEqual(
      expect.arrayContaining(['helm.toolkit.fluxcd.io/v2/HelmRelease', 'source.toolkit.fluxcd.io/v1/HelmRepository', 'external-secrets.io/v1/SecretStore']),
    );
    expect(files).toHaveLength(13);
  });

  test.each(files)('%s: CRDs of the group of their folder, with a schema for each served version and no description', (file) => {
    const mine = crds.filter((c) => c.file === file);
    expect(mine.length).toBeGreaterThan(0);
    for (const { crd } of mine) {
      expect(crd.kind).toBe('CustomResourceDefinition');
      expect(crd.spec.group).toBe(path.dirname(file));
      const served = crd.spec.versions.filter((v: Json) => v.served);
      expect(served.length).toBeGreaterThan(0);
      for (const version of served) {
        expect(version.schema?.openAPIV3Schema?.type).toBe('object');
        expect(schemaDescriptions(version.schema.openAPIV3Schema)).toEqual([]);
      }
    }
  });

  test('every served kind compiles, and a bare object of it gets messages, not an exception', () => {
    for (const gvk of vendoredCustomResourceKinds()) {
      const slash = gvk.lastIndexOf('/');
      const errors = crdSchemaErrors({ apiVersion: gvk.slice(0, slash), kind: gvk.slice(slash + 1), metadata: { name: 'x', namespace: 'y' } });
      expect(Array.isArray(errors)).toBe(true);
    }
  });
});

/** Paths of `description` keys that annotate a schema; a `description` in a `properties` map is a field and stays. */
function schemaDescriptions(node: unknown, at = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => schemaDescriptions(item, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'description') return [`${at}/description`];
    if (key === 'properties' && value !== null && typeof value === 'object') {
      return Object.entries(value).flatMap(([name, sub]) => schemaDescriptions(sub, `${at}/properties/${name}`));
    }
    // `enum`, `default`, `example` and the like are data, not schemas
    return ['enum', 'default', 'example', 'x-kubernetes-validations'].includes(key) ? [] : schemaDescriptions(value, `${at}/${key}`);
  });
}
