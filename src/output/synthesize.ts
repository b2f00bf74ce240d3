import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { App as Cdk8sApp, Chart } from 'cdk8s';
import { addFleetStacks, FleetStack, synthesizeStacks } from '../azure/fleet-stack';
import type { IIdentity } from '../azure/identity';
import { ClusterChart } from '../kubernetes/cluster-chart';
import type { ICluster } from '../model/cluster';
import type { ClusterPlan, FleetPlan, StackPlan } from '../model/fleet-plan';
import type { IWorkloadIdentity } from '../model/managed-identity';
import { Fleet } from '../model/fleet';
import { FleetError } from '../model/issues';
import { chartManifests } from '../kubernetes/render';
import { PLATFORMS } from '../platforms';
import { oidcDocuments } from './oidc-documents';
import { planFromDisk } from './plan-inputs';
import { ClusterSummary, OUT_PATHS, SUMMARY_FILE, SUMMARY_GENERATOR, SynthSummary, TERRAFORM_WORKING_FILES } from '../core/summary';
import { clusterSummary } from './summary';
import { recordEmbeddedYaml } from '../core/yaml';
import { Artifacts, documentsOf, KnownFile } from '../check/artifacts';
import { checkWritten, CheckReport, ClusterChecked } from '../check/check';
import type { Finding } from '../check/finding';
import { discardStaging, makeStaging, recoverLeftovers, replaceDir, writeFile } from './atomic-dir';
import { lockBeside, OutLock } from './out-lock';
import {
  assertHoldsNoInput,
  assertNoStateLost,
  assertReplaceable,
  assertTargetsApart,
  canonical,
  carryTerraformWorkingFiles,
  OutTarget,
  readOwnedFiles,
} from './out-ownership';
import { synthInputs } from './synth-inputs';
import { CachedPart, clusterPart, fileIdentity, PART_CONTAINERS, partFolderOf, PartId, partKeys, partOf, reusableParts, sizeOfIdentity, stackPart } from './synth-cache';
import { readCache, removeCache, writeCache } from './cache-file';
import { completeReplacements, HalfReplaced, replaceInPlace } from './replace-in-place';

/** Options of a synth (`synthesizeFleet`, `synthesizeFleetAsync`). */
export interface SynthOptions {
  /** The output folder (OUT); replaced as a whole once everything is written. */
  readonly outDir: string;
  /**
   * Terraform outputs known from an apply, by name.
   * @default - none: every value known only after apply stays a placeholder
   */
  readonly outputs?: ReadonlyMap<string, string>;
  /**
   * Fail, writing nothing, while any value is still a placeholder.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Where the Terraform part goes instead of OUT/terraform (cdktf's CDKTF_OUTDIR).
   * @default OUT/terraform
   */
  readonly terraformDir?: string;
  /**
   * Where the Kubernetes part goes instead of OUT/kubernetes (cdk8s's CDK8S_OUTDIR).
   * @default OUT/kubernetes
   */
  readonly kubernetesDir?: string;
  /**
   * Run `wisynth check` on the written files before they replace OUT.
   * @default true
   */
  readonly check?: boolean;
  /**
   * The fleet file the fleet was loaded from, when it was: OUT must not hold it.
   * @default - none: the fleet was declared in code
   */
  readonly fleetFile?: string;
  /**
   * The outputs files `outputs` was read from: OUT must not hold them.
   * @default []
   */
  readonly outputsFiles?: readonly string[];
  /**
   * A folder for the synth cache (the CLI's is ~/.cache/wisynth): each part of OUT (a Terraform stack's file,
   * a cluster's folders) whose inputs did not change is taken from the previous OUT instead of rendered, and
   * the parts of the new OUT are recorded there (synth-cache.ts). The output is byte for byte that of a synth
   * without. Not used, and OUT's cache removed, when the apps are the caller's (`terraformApp`,
   * `kubernetesApp`) or were added to.
   * @default - no cache: every part is rendered
   */
  readonly cacheDir?: string;
  /**
   * With `cacheDir`: false renders every part, taking none from the previous OUT, and records them all.
   * @default true
   */
  readonly reuse?: boolean;
}

/** Options of a `FleetApp`: those of a synth, and the apps to render into. */
export interface FleetAppOptions extends SynthOptions {
  /**
   * The cdktf app to add the fleet's stacks to; it must be made with `stackTraces: false` (otherwise its
   * Terraform differs between machines). `synth()` writes every stack of it into OUT/terraform.
   * @default a cdktf app of wisynth's
   */
  readonly terraformApp?: App;
  /**
   * The cdk8s app to add the cluster charts to. A cluster's chart is made when `chartOf` first asks for it;
   * the charts of the others are made while `synth()` writes them, and kept by no app.
   * @default a cdk8s app of wisynth's
   */
  readonly kubernetesApp?: Cdk8sApp;
}

export type SynthResult = SynthSummary & {
  readonly check?: CheckReport;
  /** With `cacheDir`: how many of the parts of OUT were taken from the previous OUT unchanged, of how many. */
  readonly cache?: { readonly reused: number; readonly parts: number };
};

/** The synthesized files failed `wisynth check`, so they did not replace OUT. */
export class SynthCheckFailed extends Error {
  constructor(readonly report: CheckReport) {
    super(`the synthesized files fail ${report.errors} check(s)`);
  }
}

/** SIGINT or SIGTERM arrived during `synthesizeFleetAsync`: staging and locks are removed, OUT is as it was. */
export class SynthInterrupted extends Error {
  /** 128 + the signal's number, what a shell reports for a process the signal ended. */
  readonly exitCode: number;
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; the output folder is as it was`);
    this.name = 'SynthInterrupted';
    this.exitCode = 128 + (os.constants.signals[signal] ?? 0);
  }
}

/**
 * Plans the fleet and writes OUT atomically and exclusively: on any error, and after a kill at any point,
 * the previous OUT stays (or becomes again, at the next synth) complete. No signal handlers here: a handler
 * cannot run inside synchronous code, so SIGINT/SIGTERM end the process at once (the default action), OUT
 * stays complete, and the next synth removes the staging folder and takes the stale lock over.
 */
export function synthesizeFleet(fleet: Fleet, options: SynthOptions): SynthResult {
  return new FleetApp(fleet, options).synth();
}

/** Runs steps to the end. */
function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same as `synthesizeFleet`, but SIGINT and SIGTERM are caught while it runs and take effect at the next
 * step (a cluster, the Terraform synth, the check): staging and locks are removed, OUT is left as it was,
 * and the signal is raised again so the process ends as it asked (status 130 or 143). A signal during the
 * final renames takes effect after them (OUT is then new). When the caller listens for the signal too,
 * nothing is raised and the promise rejects with `SynthInterrupted`. The CLI uses this one.
 */
export async function synthesizeFleetAsync(fleet: Fleet, options: SynthOptions): Promise<SynthResult> {
  return new FleetApp(fleet, options).synthAsync();
}

/** Runs the steps of a synth, taking SIGINT and SIGTERM at the next step (see `synthesizeFleetAsync`). */
async function runStepsAsync(steps: Generator<void, SynthResult, void>): Promise<SynthResult> {
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals): void => {
    signal ??= s;
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    for (let step = steps.next(); ; ) {
      if (step.done) return step.value;
      // Let the event loop run, so a signal that arrived during the step reaches onSignal.
      await new Promise<void>((resolve) => setImmediate(resolve));
      step = signal ? steps.throw(new SynthInterrupted(signal)) : steps.next();
    }
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    if (signal && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
}

/**
 * A fleet planned and rendered onto a cdktf app and cdk8s charts, ready to write OUT. Between the two, the
 * Terraform stacks and the cluster charts are the caller's to add to: resources of their own beside wisynth's
 * (`stackOf`, `chartOf`), referring to wisynth's values (`identity(...).clientId`, `clientIdOf`). `synth()`
 * writes all of it, the caller's objects included (and listed in each cluster's kustomization.yaml), checks
 * it, and replaces OUT atomically. Use it instead of `synthesizeFleet` to add resources of your own.
 */
export class FleetApp {
  /** The fleet's plan, as the constructor made it. */
  readonly plan: FleetPlan;
  /** The cdktf app of the Terraform stacks: the caller's (`terraformApp`) or wisynth's. Write it with `synth()`. */
  get terraformApp(): App {
    return this.rendered().app;
  }
  /** The cdk8s app of the cluster charts: the caller's (`kubernetesApp`) or wisynth's. */
  readonly kubernetesApp: Cdk8sApp;
  private readonly fleet: Fleet;
  private readonly options: FleetAppOptions;
  private readonly secretFiles: ReadonlyMap<string, ReadonlyMap<string, string>>;
  private readonly targets: { readonly out: OutTarget; readonly terraform?: OutTarget; readonly kubernetes?: OutTarget };
  /** The Terraform side, made when first asked for (by the caller, or by `synth()`), and let go of once written. */
  private terraform?: { readonly app: App; readonly stacks: ReadonlyMap<string, FleetStack> };
  private readonly clusters: ReadonlyMap<string, ClusterPlan>;
  /** The charts asked for (`chartOf`): a chart of every cluster at once would hold a fleet's objects in memory twice. */
  private readonly charts = new Map<string, ClusterChart>();
  private used = false;
  private written = false;

  /** Plans the fleet (reading the keys, CredentialsRequests and files it names) and renders it; writes nothing. */
  constructor(fleet: Fleet, options: FleetAppOptions) {
    this.fleet = fleet;
    this.options = options;
    const { plan, secretFiles } = planFromDisk(fleet, options.outputs);
    if (options.strict && plan.pending.length > 0) {
      throw new FleetError(
        plan.pending.map((p) => ({
          message: `Terraform output "${p.output}" is not known yet (needed by ${p.usedBy.join('; ')})`,
          fix: 'apply the Terraform stack, then synth again with --outputs <file from cdktf deploy --outputs-file or terraform output -json>',
        })),
      );
    }
    this.plan = plan;
    this.secretFiles = secretFiles;
    const out: OutTarget = { dir: path.resolve(options.outDir), label: 'OUT', option: '-o', prefix: '' };
    this.targets = { out, terraform: part(out, options.terraformDir, 'terraform', 'CDKTF_OUTDIR'), kubernetes: part(out, options.kubernetesDir, 'kubernetes', 'CDK8S_OUTDIR') };
    this.kubernetesApp = options.kubernetesApp ?? new Cdk8sApp();
    // the caller's cdktf app is checked and rendered onto at once; wisynth's own when first needed
    if (options.terraformApp) this.rendered();
    this.clusters = new Map(plan.clusters.map((c) => [c.name, c]));
  }

  /** The stack that holds a cluster's Azure resources (its FICs, its AKS cluster or issuer storage); without a cluster, the shared stack. */
  stackOf(cluster?: ICluster | string): FleetStack {
    const stacks = this.plan.stacks;
    const name = cluster === undefined ? stacks.shared : stacks.ofCluster[this.clusterName(cluster)];
    return this.rendered().stacks.get(name)!;
  }

  /** The chart of a cluster's Kubernetes objects, OUT/kubernetes/<cluster>/. */
  chartOf(cluster: ICluster | string): Chart {
    const name = this.clusterName(cluster);
    let chart = this.charts.get(name);
    if (!chart) this.charts.set(name, (chart = this.clusterChart(this.kubernetesApp, this.clusters.get(name)!)));
    return chart;
  }

  private clusterChart(app: Cdk8sApp, cluster: ClusterPlan): ClusterChart {
    return new ClusterChart(app, cluster.name, { cluster, platform: PLATFORMS.get(cluster.platform)! });
  }

  /** An identity of the fleet in Terraform: `clientId` and `principalId` are references, in the stack that holds it. */
  identity(identity: IWorkloadIdentity | string): Pick<IIdentity, 'clientId' | 'principalId'> {
    const name = typeof identity === 'string' ? identity : identity.identityName;
    const stack = this.plan.stacks.ofIdentity[name];
    if (stack === undefined) throw new Error(`identity "${name}" is not one of fleet ${this.plan.name}`);
    return this.rendered().stacks.get(stack)!.identity(name);
  }

  /** An identity's client id as the Kubernetes side carries it: the value, or its placeholder until it is known. */
  clientIdOf(identity: IWorkloadIdentity | string): string {
    const name = typeof identity === 'string' ? identity : identity.identityName;
    const planned = this.plan.identities.find((i) => i.name === name);
    if (!planned) throw new Error(`identity "${name}" is not one of fleet ${this.plan.name}`);
    return planned.clientId.value;
  }

  /** Writes OUT atomically and exclusively (see `synthesizeFleet`); once per app. */
  synth(): SynthResult {
    return runSteps(this.steps());
  }

  /** The same as `synth`, taking SIGINT and SIGTERM at the next step (see `synthesizeFleetAsync`). */
  synthAsync(): Promise<SynthResult> {
    return runStepsAsync(this.steps());
  }

  private rendered(): NonNullable<FleetApp['terraform']> {
    if (this.written) throw new Error('this FleetApp has been synthesized already: its stacks are written, and a new FleetApp renders the fleet again');
    if (!this.terraform) {
      // wisynth's own app is never synthesized to its outdir (synth() writes the stacks into staging): an existing folder, so none is made
      const app = this.options.terraformApp ?? new App({ outdir: os.tmpdir(), stackTraces: false });
      this.terraform = { app, stacks: addFleetStacks(app, this.plan, { finalTerraformDir: this.terraformDir, platforms: PLATFORMS }) };
    }
    return this.terraform;
  }

  /** The stacks of the plan but `except`, on an app of wisynth's of their own: those are taken from the previous OUT. */
  private renderedExcept(except: readonly StackPlan[]): App {
    const app = new App({ outdir: os.tmpdir(), stackTraces: false });
    const skipped = new Set(except.map((s) => s.name));
    const only = new Set(this.plan.stacks.stacks.filter((s) => !skipped.has(s.name)).map((s) => s.name));
    addFleetStacks(app, this.plan, { finalTerraformDir: this.terraformDir, platforms: PLATFORMS, only });
    return app;
  }

  /** The cache is used only when every part is wisynth's alone: nothing the caller made or added to. */
  private cacheable(): boolean {
    const { options } = this;
    return options.cacheDir !== undefined && !options.terraformApp && !options.kubernetesApp && !this.terraform && this.charts.size === 0;
  }

  private get terraformDir(): string {
    return this.targets.terraform?.dir ?? path.join(this.targets.out.dir, 'terraform');
  }

  private clusterName(cluster: ICluster | string): string {
    const name = typeof cluster === 'string' ? cluster : cluster.clusterName;
    if (!this.clusters.has(name)) throw new Error(`cluster "${name}" is not one of fleet ${this.plan.name}`);
    return name;
  }

  /**
   * The synth as steps; each `yield` is a point where it may be interrupted. Everything that can fail comes
   * before the first rename; locks are held from the first look at OUT to the end.
   */
  private *steps(): Generator<void, SynthResult, void> {
    if (this.used) throw new Error('this FleetApp has been synthesized already: make a new one to synthesize again');
    this.used = true;
    const { fleet, plan, secretFiles, options } = this;
    const { out, terraform, kubernetes } = this.targets;
    const targets = [out, terraform, kubernetes].filter((t): t is OutTarget => t !== undefined);
    assertTargetsApart(targets);
    const inputs = synthInputs(fleet, plan, options);
    for (const t of targets) assertHoldsNoInput(t, inputs);
    yield;

    const locks: OutLock[] = [];
    let staging: string | undefined;
    const partStaging: string[] = [];
    // the YAML rendered into string values while the cluster folders are rendered, for the check to take
    let embedded: ReturnType<typeof recordEmbeddedYaml> | undefined;
    try {
      // Never waits for a lock, so the order of taking them cannot deadlock.
      for (const t of targets) locks.push(lockBeside(t.dir));
      // Under the locks, what an interrupted synth left beside the targets is ours to recover. The file lists
      // of old OUTs still count for the parts: a kill between replacing OUT and a part leaves the part old.
      const owned = new Set<string>();
      const addOwned = (dir: string): ReturnType<typeof readOwnedFiles> => {
        const read = readOwnedFiles(dir);
        if ('files' in read) read.files.forEach((f) => owned.add(f));
        return read;
      };
      completeReplacements(out.dir, addOwned);
      recoverLeftovers(out.dir, addOwned);
      for (const t of targets.slice(1)) {
        completeReplacements(t.dir);
        recoverLeftovers(t.dir);
      }
      const previous = addOwned(out.dir);
      const problem = 'problem' in previous ? previous.problem : undefined;
      assertReplaceable(out, 'files' in previous ? previous.files : undefined, problem);
      for (const t of targets.slice(1)) assertReplaceable(t, owned.size > 0 ? owned : undefined, problem);
      const terraformDir = this.terraformDir;
      assertNoStateLost(terraformDir, plan.stacks.stacks.map((s) => s.name), plan.backend.type === 'local' ? plan.backend.stateDir : undefined);
      // where a file of OUT is on disk, its part redirected or not
      const locate = (file: string): string => {
        const t = [terraform, kubernetes].find((p) => p && file.startsWith(p.prefix));
        return path.join(t ? t.dir : out.dir, ...file.slice(t ? t.prefix.length : 0).split('/'));
      };
      const keys = this.cacheable() ? partKeys(plan, { outDir: out.dir, terraformDir, baseDir: fleet.baseDir }) : undefined;
      const cached = keys && options.reuse !== false && 'files' in previous ? { read: readCache(options.cacheDir!, out.dir), owned: previous.files } : undefined;
      const reused = cached && 'cache' in cached.read ? reusableParts(cached.read.cache, keys!, cached.owned, locate) : new Map<PartId, CachedPart>();
      yield;

      staging = makeStaging(out.dir);
      const stagedTerraform = path.join(staging, 'terraform');
      const reusedStacks = plan.stacks.stacks.filter((s) => reused.has(stackPart(s.name)));
      const app = reusedStacks.length > 0 ? this.renderedExcept(reusedStacks) : this.rendered().app;
      const manifest = synthesizeStacks(app, stagedTerraform, reusedStacks);
      this.terraform = undefined;
      this.written = true;
      // The parts taken unchanged stay where they are: check reads them there, and OUT is replaced around them.
      const kept = new Map([...reused.values()].flatMap((p) => Object.keys(p.files).map((file) => partFolderOf(file)!)).map((folder) => [folder, locate(folder)]));
      yield;

      // what is written, by path under OUT, for the check to take instead of reading it back (nothing held without a check)
      const written = new Map<string, KnownFile>();
      if (options.check !== false) embedded = recordEmbeddedYaml();
      const write = (rel: string, text: string, mode?: number, docs?: readonly unknown[]) => {
        writeFile(path.join(staging!, ...rel.split('/')), text, mode);
        if (options.check !== false) written.set(rel, docs ? { text, docs } : { text });
      };
      const clusters: ClusterSummary[] = [];
      for (const cluster of plan.clusters) {
        const platform = PLATFORMS.get(cluster.platform)!;
        if (!reused.has(clusterPart(cluster.name))) {
          for (const [file, { text, doc }] of chartManifests(this.charts.get(cluster.name) ?? this.clusterChart(new Cdk8sApp(), cluster), cluster.name)) {
            write(OUT_PATHS.kubernetesFile(cluster.name, file), text, undefined, [doc]);
          }
          for (const [file, { text, doc }] of platform.clusterFiles(cluster, { clusterDir: path.join(out.dir, 'clusters', cluster.name), baseDir: fleet.baseDir })) {
            write(OUT_PATHS.clusterFile(cluster.name, file), text, undefined, doc && [doc]);
          }
          for (const [file, text] of oidcDocuments(cluster)) write(OUT_PATHS.oidcFile(cluster.name, file), text);
        }
        // Secret values only ever here, never under kubernetes/ or terraform/: readable by the owner alone.
        for (const [file, text] of secretFiles.get(cluster.name) ?? []) write(`secrets/${cluster.name}/${file}`, text, 0o600);
        const stackFile = OUT_PATHS.terraformStackFile(plan.stacks.ofCluster[cluster.name]);
        clusters.push(clusterSummary(cluster, platform.summary(cluster, { subscriptionId: plan.subscriptionId, stackFile })));
        yield;
      }

      const staged = listFiles(staging);
      // Each file of a part as synth leaves it (the renames keep it): known now, a file changed from here on
      // is no longer the one recorded, and the next synth renders its part again.
      const identities = keys && new Map([...[...reused.values()].flatMap((p) => Object.entries(p.files)), ...staged.filter((f) => partOf(f)).map((f) => [f, fileIdentity(path.join(staging!, ...f.split('/')))] as const)]);
      const summary: SynthSummary = {
        generator: SUMMARY_GENERATOR,
        fleet: plan.name,
        stacks: plan.stacks.stacks.map((s) => s.name),
        clusters,
        placeholders: plan.pending,
        resolvedOutputs: plan.resolvedOutputs,
        warnings: plan.warnings,
        skippedCredentialsRequests: plan.clusters.flatMap((c) => (c.openshift?.skipped ?? []).map((skipped) => ({ cluster: c.name, ...skipped }))),
        files: [...staged, ...[...reused.values()].flatMap((p) => Object.keys(p.files)), SUMMARY_FILE].sort(),
      };
      writeFile(path.join(staging, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
      yield;
      // the file rules' findings on what was taken unchanged are those of the synth that checked it, and
      // its files are as that synth read them
      const checked = new Map([...reused.values()].flatMap((p) => Object.entries(p.checked ?? {})));
      // and the cluster rules' findings on a cluster part taken, those of the synth that checked it under the same summary entry
      const clusterChecked = new Map(
        plan.clusters.flatMap((c) => {
          const known = reused.get(clusterPart(c.name))?.clusterChecked;
          return known ? [[c.name, known] as const] : [];
        }),
      );
      const read = new Map([...reused.values()].flatMap((p) => Object.entries(p.contents ?? {})));
      // OUT held nothing the previous synth did not write (assertReplaceable), and each file of a part kept is still the one recorded
      const mountedFiles = [...reused.values()].flatMap((p) => Object.keys(p.files));
      const sizes = identities && new Map(staged.flatMap((f) => (identities.get(f) === undefined ? [] : [[f, sizeOfIdentity(identities.get(f)!)] as const])));
      const { report, forCache } = options.check === false ? {} : forTheCache(checkWritten(staging, { strict: options.strict }, undefined, { written, sizes, embedded: embedded?.texts, checked, clusterChecked, mounts: kept, mountedFiles, read }));
      embedded?.stop();
      if (report && !report.ok) throw new SynthCheckFailed(report);
      yield;

      // After the check, so that it reads only what synth wrote. Copies: the previous OUT stays complete.
      carryTerraformWorkingFiles(terraformDir, stagedTerraform);
      // Redirected parts leave OUT's staging for a staging beside their own place, still before any rename.
      const parts = [terraform, kubernetes].flatMap((t) => (t ? [{ target: t, staged: stageAside(path.join(staging!, t.prefix), t.dir, partStaging) }] : []));

      // The commit, without a yield: OUT first, then the parts; the previous OUT goes last, so that until
      // then its summary still lists what the previous parts hold. Around parts kept, in place.
      // What is left to remove: the previous content, and the staging it was replaced from in place.
      const replace = (source: string, t: OutTarget): Array<string | undefined> =>
        kept.size > 0 ? [runSteps(replaceInPlace(source, t.dir, containersIn(t), keptIn(t, kept, parts.map((p) => p.target)))), source] : [replaceDir(source, t.dir)];
      const olds = replace(staging, out);
      staging = undefined;
      for (const p of parts) olds.push(...replace(p.staged, p.target));
      partStaging.length = 0;
      for (const old of olds.reverse()) if (old) discardStaging(old);
      // cdktf's annotations of a stack are in manifest.json alone: such a stack is rendered at every synth
      const annotated = new Set([...manifest.values()].filter((entry) => entry.annotations.length > 0).map((entry) => stackPart(entry.name)));
      if (keys) writeCache(options.cacheDir!, out.dir, new Map([...keys].filter(([id]) => !annotated.has(id))), identities!, forCache);
      else if (options.cacheDir) removeCache(options.cacheDir, out.dir);
      return { ...summary, check: report, ...(keys && { cache: { reused: reused.size, parts: keys.size } }) };
    } catch (e) {
      // a replacement in place that could not be undone needs its staging for the next synth
      if (!(e instanceof HalfReplaced)) {
        if (staging) discardStaging(staging);
        partStaging.forEach(discardStaging);
      }
      throw e;
    } finally {
      embedded?.stop();
      locks.forEach((l) => l.release());
    }
  }
}

/** The target of a part (terraform/, kubernetes/) redirected by the engine's CLI, or undefined at its own place in OUT. */
function part(out: OutTarget, dir: string | undefined, name: 'terraform' | 'kubernetes', label: string): OutTarget | undefined {
  if (dir === undefined || canonical(dir) === canonical(path.join(out.dir, name))) return undefined;
  return { dir: path.resolve(dir), label, option: `${label}=<folder>`, prefix: `${name}/` };
}

/** A check's report, and what the cache records of it; the rest of what check read is let go of before the commit. */
function forTheCache(checked: ReturnType<typeof checkWritten>): {
  report: CheckReport;
  forCache: { findings: ReadonlyMap<string, readonly Finding[]>; clusters: ReadonlyMap<string, ClusterChecked>; contents: Map<string, KnownFile> };
} {
  return { report: checked.report, forCache: { findings: checked.fileFindings, clusters: checked.clusterFindings, contents: contentsOf(checked.artifacts) } };
}

/** The files of the parts as check read them, for the cache; a file check could not read or parse is read again next time. */
function contentsOf(artifacts: Artifacts): Map<string, KnownFile> {
  const unreadable = new Set(artifacts.problems.map((p) => p.file));
  return new Map(artifacts.files.filter((f) => partOf(f.path) && !unreadable.has(f.path)).map((f) => [f.path, { text: f.text, docs: documentsOf(f) }]));
}

/** The folders of a target whose entries are replaced one by one, relative to it. */
function containersIn(target: OutTarget): string[] {
  return ['terraform', ...PART_CONTAINERS].filter((c) => c.startsWith(target.prefix)).map((c) => c.slice(target.prefix.length));
}

/** The kept folders (by path under OUT) that are in a target, relative to it: OUT's are those in no redirected part. */
function keptIn(target: OutTarget, kept: ReadonlyMap<string, string>, redirected: readonly OutTarget[]): Set<string> {
  const elsewhere = (folder: string) => target.prefix === '' && redirected.some((r) => folder.startsWith(r.prefix));
  return new Set([...kept.keys()].filter((f) => f.startsWith(target.prefix) && !elsewhere(f)).map((f) => f.slice(target.prefix.length)));
}

/** Moves a staged part to a staging folder beside its destination (same file system), recorded in `made`. */
function stageAside(staged: string, dest: string, made: string[]): string {
  const own = makeStaging(dest);
  made.push(own);
  if (!fs.existsSync(staged)) return own; // a fleet without clusters has no Kubernetes part: an empty folder
  fs.rmdirSync(own);
  fs.renameSync(staged, own);
  return own;
}

/** Files below a folder, relative and with `/`, sorted; Terraform's working files are not ours to list. */
function listFiles(root: string, dir = ''): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => !(TERRAFORM_WORKING_FILES as readonly string[]).includes(e.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(root, path.join(dir, e.name)) : [toPosix(path.join(dir, e.name))]))
    .sort();
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
