/**
 * The package as a user gets it: `npm pack`, the tarball installed into a project of its own, and
 * examples/compose (wisynth inside the user's own cdktf and cdk8s program) compiled there with tsc
 * (strict, no skipLibCheck) against the installed types, run, and its output checked by the installed CLI.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertLibIsCurrent, ROOT } from './support';

/** Parsed JSON, read field by field. */
type Json = any;

const COMPOSE = path.join(ROOT, 'examples', 'compose');

let work: string;
let project: string;
let tarball: string;
let packed: string[];

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const ran = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (ran.error) throw ran.error;
  return ran;
}

function ok(ran: SpawnSyncReturns<string>): string {
  expect({ status: ran.status, stderr: ran.status === 0 ? '' : ran.stderr }).toEqual({ status: 0, stderr: '' });
  return ran.stdout;
}

beforeAll(() => {
  assertLibIsCurrent();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-package-'));
  // lib/ is built (npm test builds it first), so pack what is there
  const pack = JSON.parse(ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT))) as Json[];
  tarball = path.join(work, pack[0].filename);
  packed = pack[0].files.map((f: Json) => f.path as string);

  project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', private: true }));
  // the example's own dependencies, with the tarball in place of the repository
  const example = JSON.parse(fs.readFileSync(path.join(COMPOSE, 'package.json'), 'utf8')) as Json;
  const wanted = Object.entries<string>({ ...example.dependencies, ...example.devDependencies })
    .filter(([name]) => name !== 'wisynth')
    .map(([name, range]) => `${name}@${range}`);
  ok(run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-save', tarball, ...wanted], project));
  for (const file of ['main.ts', 'tsconfig.json']) fs.copyFileSync(path.join(COMPOSE, file), path.join(project, file));
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the built package and what the CLI reads, and nothing of development', () => {
  for (const file of ['package.json', 'README.md', 'docs/fleet-file.md', 'bin/wisynth.js', 'lib/src/index.js', 'lib/src/index.d.ts', 'schemas/fleet.schema.json', 'examples/fleet.yaml']) expect(packed).toContain(file);
  const stray = packed.filter((f) => /(^|\/)\.tsbuildinfo$|^src\/|^test\/|^scripts\/|^examples\/compose\/|^examples\/fleet\.ts$|^\.ci\//.test(f));
  expect(stray).toEqual([]);
  const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'wisynth', 'package.json'), 'utf8')) as Json;
  expect(manifest.private).toBeUndefined();
  // every target of the exports map is in the tarball
  const targets = Object.values<Json>(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values<string>(t)));
  for (const target of targets) expect(packed).toContain(target.replace(/^\.\//, ''));
});

test('the package and its subpaths load by name in the installed project', () => {
  const loaded = ok(run(process.execPath, ['-e', "for (const m of ['wisynth', 'wisynth/azure', 'wisynth/kubernetes']) console.log(m, Object.keys(require(m)).length > 0)"], project));
  expect(loaded.trim().split('\n')).toEqual(['wisynth true', 'wisynth/azure true', 'wisynth/kubernetes true']);
  expect(ok(run(path.join(project, 'node_modules', '.bin', 'wisynth'), ['--version'], project)).trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
});

test('examples/compose compiles against the installed types (strict, no skipLibCheck), runs, and its OUT passes wisynth check', () => {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(project, 'tsconfig.json'), 'utf8')) as Json;
  expect(tsconfig.compilerOptions.strict).toBe(true);
  expect(tsconfig.compilerOptions.skipLibCheck).toBeUndefined();
  ok(run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project));
  expect(ok(run(process.execPath, ['dist/main.js', 'out'], project))).toMatch(/^wrote out: \d+ files/);
  const checked = run(path.join(project, 'node_modules', '.bin', 'wisynth'), ['check', 'out', '--json'], project);
  expect(checked.status).toBe(0);
  const report = JSON.parse(checked.stdout) as Json;
  expect(report.findings.filter((f: Json) => f.severity === 'error')).toEqual([]);

  // the user's resources and objects are written beside wisynth's, and listed where wisynth lists its own
  const out = path.join(project, 'out');
  const platform = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', 'shop-platform', 'cdk.tf.json'), 'utf8')) as Json;
  expect(Object.values<Json>(platform.resource.azurerm_kubernetes_cluster).map((c) => [c.name, c.oidc_issuer_enabled, c.workload_identity_enabled])).toEqual([['aks-shop', true, true]]);
  const fleet = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', 'shop', 'cdk.tf.json'), 'utf8')) as Json;
  const [identity] = Object.keys(fleet.resource.azurerm_user_assigned_identity);
  expect(Object.values<Json>(fleet.resource.azurerm_role_assignment).map((a) => a.principal_id)).toContain(`\${azurerm_user_assigned_identity.${identity}.principal_id}`);
  expect(Object.values<Json>(fleet.output).map((o) => o.value)).toContain(`\${azurerm_user_assigned_identity.${identity}.client_id}`);
  const [fic] = Object.values<Json>(fleet.resource.azurerm_federated_identity_credential);
  expect(fic).toMatchObject({ subject: 'system:serviceaccount:shop:shop-api', issuer: expect.stringMatching(/^\$\{data\.azurerm_kubernetes_cluster\.[^.]+\.oidc_issuer_url\}$/) });
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'manifest.json'), 'utf8')) as Json;
  expect(manifest.stacks.shop.dependencies).toEqual(['shop-platform']);
  const kustomization = fs.readFileSync(path.join(out, 'kubernetes', 'aks-shop', 'kustomization.yaml'), 'utf8');
  expect(kustomization).toContain('deployment_shop_shop-api.yaml');
  const deployment = fs.readFileSync(path.join(out, 'kubernetes', 'aks-shop', 'deployment_shop_shop-api.yaml'), 'utf8');
  expect(deployment).toMatch(/serviceAccountName: shop-api/);
  expect(deployment).toMatch(/azure\.workload\.identity\/use: "true"/);
}, 120_000);
