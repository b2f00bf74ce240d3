#!/usr/bin/env node
// The benchmark's baseline: a plain cdktf + cdk8s program, no wisynth, that writes the files a wisynth synth
// wrote (OUT_FROM) again into OUT: every Terraform resource, data source, output, provider and backend
// through the same provider classes (deep imports, one module per type), every Kubernetes object as a
// cdk8s ApiObject, every other file as it is. No planning, no validation, no check. What wisynth costs
// beyond it is what its planning, checks and safety cost.
//
//   node scripts/baseline-synth.js OUT_FROM OUT
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const cdktf = require('cdktf');
const cdk8s = require('cdk8s');

const [from, out] = process.argv.slice(2);
if (!from || !out) {
  console.error('usage: node scripts/baseline-synth.js OUT_FROM OUT');
  process.exit(2);
}

const PROVIDERS = { azurerm: '@cdktf/provider-azurerm', azuread: '@cdktf/provider-azuread' };
const classes = new Map();

/** The provider class of a Terraform type, from its own module (`azurerm_storage_blob` -> lib/storage-blob). */
function classOf(type, data) {
  const key = `${data ? 'data.' : ''}${type}`;
  if (!classes.has(key)) {
    const [provider, ...rest] = type.split('_');
    const module = `${PROVIDERS[provider]}/lib/${data ? `data-${provider}-` : ''}${rest.join('-')}`;
    const found = Object.values(require(module)).find((v) => typeof v === 'function' && v.tfResourceType === type);
    if (!found) throw new Error(`no class of ${key} in ${module}`);
    classes.set(key, found);
  }
  return classes.get(key);
}

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
/** Terraform JSON to the classes' config: keys in camelCase, but a map attribute (tags) keeps its keys. */
function config(value, key) {
  if (Array.isArray(value)) return value.map((v) => config(v));
  if (value === null || typeof value !== 'object' || key === 'tags') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//' && k !== 'depends_on').map(([k, v]) => [camel(k), config(v, k)]));
}

fs.mkdirSync(out, { recursive: true });
const app = new cdktf.App({ outdir: path.join(out, 'terraform'), stackTraces: false, skipValidation: true });
const stacksDir = path.join(from, 'terraform', 'stacks');
for (const name of fs.readdirSync(stacksDir).sort()) {
  const json = JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
  const stack = new cdktf.TerraformStack(app, name);
  for (const [provider, [settings]] of Object.entries(json.provider ?? {})) {
    const Provider = Object.values(require(`${PROVIDERS[provider]}/lib/provider`)).find((v) => typeof v === 'function');
    new Provider(stack, provider, config(settings));
  }
  const backend = json.terraform?.backend ?? {};
  if (backend.local) new cdktf.LocalBackend(stack, config(backend.local));
  if (backend.azurerm) new cdktf.AzurermBackend(stack, config(backend.azurerm));
  const build = (blocks, data) => {
    for (const [type, byId] of Object.entries(blocks ?? {})) {
      const Class = classOf(type, data);
      for (const [id, block] of Object.entries(byId)) {
        const element = new Class(stack, id, config(block));
        element.overrideLogicalId(id);
        if (block.depends_on) element.addOverride('depends_on', block.depends_on);
      }
    }
  };
  build(json.resource, false);
  build(json.data, true);
  for (const i of json.import ?? []) {
    const [type, id] = i.to.split('.');
    stack.node.findAll().find((c) => c instanceof cdktf.TerraformResource && c.terraformResourceType === type && c.friendlyUniqueId === id)?.importFrom(i.id);
  }
  for (const [id, output] of Object.entries(json.output ?? {})) new cdktf.TerraformOutput(stack, id, config(output));
}
app.synth();

const kubernetesDir = path.join(from, 'kubernetes');
for (const cluster of fs.existsSync(kubernetesDir) ? fs.readdirSync(kubernetesDir).sort() : []) {
  // one app a cluster: its folder, a file per object
  const k8s = new cdk8s.App({ outdir: path.join(out, 'kubernetes', cluster), outputFileExtension: '.yaml', yamlOutputType: cdk8s.YamlOutputType.FILE_PER_RESOURCE });
  const chart = new cdk8s.Chart(k8s, cluster, { disableResourceNameHashes: true });
  for (const file of fs.readdirSync(path.join(kubernetesDir, cluster)).sort()) {
    if (file === 'kustomization.yaml') continue;
    for (const obj of YAML.parseAllDocuments(fs.readFileSync(path.join(kubernetesDir, cluster, file), 'utf8')).map((d) => d.toJSON())) {
      new cdk8s.ApiObject(chart, file, obj);
    }
  }
  k8s.synth();
}

// the files that are no Terraform and no Kubernetes object, as they are
for (const top of ['clusters', 'oidc', 'secrets']) {
  const dir = path.join(from, top);
  if (fs.existsSync(dir)) fs.cpSync(dir, path.join(out, top), { recursive: true });
}
for (const file of ['summary.json', 'kubernetes']) {
  if (file === 'kubernetes') {
    for (const cluster of fs.existsSync(kubernetesDir) ? fs.readdirSync(kubernetesDir) : []) {
      fs.mkdirSync(path.join(out, 'kubernetes', cluster), { recursive: true });
      fs.copyFileSync(path.join(kubernetesDir, cluster, 'kustomization.yaml'), path.join(out, 'kubernetes', cluster, 'kustomization.yaml'));
    }
  } else fs.copyFileSync(path.join(from, file), path.join(out, file));
}
