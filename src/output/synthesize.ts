import * as fs from 'fs';
import * as path from 'path';
import { buildAzureApp } from '../azure/fleet-stack';
import { Fleet } from '../model/fleet';
import { FleetError } from '../model/issues';
import { planFleet } from '../model/plan';
import { renderClusterManifests } from '../kubernetes/render';
import { PLATFORMS } from '../platforms';
import { oidcDocuments } from '../oidc/documents';
import { readHiveSecretFiles } from './hive-secrets';
import { loadPlanInputs } from './plan-inputs';
import { clusterSummary, SynthSummary } from './summary';
import { checkOut, CheckReport } from '../check/check';
import { assertReplaceable, discardStaging, makeStaging, replaceDir, writeFile } from './atomic-dir';

export interface SynthOptions {
  /** The output folder (OUT); replaced as a whole once everything is written. */
  readonly outDir: string;
  /** Terraform outputs known from an apply, by name. */
  readonly outputs?: ReadonlyMap<string, string>;
  /** Fail, writing nothing, while any value is still a placeholder. @default false */
  readonly strict?: boolean;
  /** Where the Terraform part goes instead of OUT/terraform (cdktf's CDKTF_OUTDIR). */
  readonly terraformDir?: string;
  /** Where the Kubernetes part goes instead of OUT/kubernetes (cdk8s's CDK8S_OUTDIR). */
  readonly kubernetesDir?: string;
  /** Run `wisynth check` on the written files before they replace OUT. @default true */
  readonly check?: boolean;
}

/** The synthesized files failed `wisynth check`, so they did not replace OUT. */
export class SynthCheckFailed extends Error {
  constructor(readonly report: CheckReport) {
    super(`the synthesized files fail ${report.errors} check(s)`);
  }
}

/** Files Terraform keeps beside a stack's JSON; carried over so a re-synth does not force `terraform init`. */
const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'];

/** Plans the fleet and writes OUT atomically: on any error the previous OUT stays as it was. */
export function synthesizeFleet(fleet: Fleet, options: SynthOptions): SynthSummary & { readonly check?: CheckReport } {
  const plan = planFleet(fleet, { outputs: options.outputs, ...loadPlanInputs(fleet) });
  const secretFiles = readHiveSecretFiles(plan, fleet.baseDir);
  if (options.strict && plan.pending.length > 0) {
    throw new FleetError(
      plan.pending.map((p) => ({
        message: `Terraform output "${p.output}" is not known yet (needed by ${p.usedBy.join('; ')})`,
        fix: 'apply the Terraform stack, then synth again with --outputs <file from cdktf deploy --outputs-file or terraform output -json>',
      })),
    );
  }
  const outDir = path.resolve(options.outDir);
  const terraformDir = path.resolve(options.terraformDir ?? path.join(outDir, 'terraform'));
  const kubernetesDir = path.resolve(options.kubernetesDir ?? path.join(outDir, 'kubernetes'));
  assertReplaceable(outDir, 'summary.json');
  if (terraformDir !== path.join(outDir, 'terraform')) assertReplaceable(terraformDir, 'manifest.json');

  const staging = makeStaging(outDir);
  try {
    const stagedTerraform = path.join(staging, 'terraform');
    buildAzureApp(plan, { outdir: stagedTerraform, finalTerraformDir: terraformDir, platforms: PLATFORMS }).synth();
    carryTerraformWorkingFiles(terraformDir, stagedTerraform);

    const clusters = plan.clusters.map((cluster) => {
      const platform = PLATFORMS.get(cluster.platform)!;
      const folder = path.join('kubernetes', cluster.name);
      for (const [file, text] of renderClusterManifests(cluster, platform)) {
        writeFile(path.join(staging, folder, file), text);
      }
      for (const [file, text] of platform.clusterFiles(cluster)) {
        writeFile(path.join(staging, 'clusters', cluster.name, file), text);
      }
      for (const [file, text] of oidcDocuments(cluster)) {
        writeFile(path.join(staging, 'oidc', cluster.name, file), text);
      }
      // Secret values only ever here, never under kubernetes/ or terraform/: readable by the owner alone.
      for (const [file, text] of secretFiles.get(cluster.name) ?? []) {
        writeFile(path.join(staging, 'secrets', cluster.name, file), text, 0o600);
      }
      return clusterSummary(cluster);
    });

    const summary: SynthSummary = {
      fleet: plan.name,
      stacks: plan.stacks.stacks.map((s) => s.name),
      clusters,
      placeholders: plan.pending,
      resolvedOutputs: plan.resolvedOutputs,
      warnings: plan.warnings,
      skippedCredentialsRequests: plan.clusters.flatMap((c) => (c.openshift?.skipped ?? []).map((skipped) => ({ cluster: c.name, ...skipped }))),
      files: [...listFiles(staging), 'summary.json'].sort(),
    };
    writeFile(path.join(staging, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const report = options.check === false ? undefined : checkOut(staging, { strict: options.strict });
    if (report && !report.ok) throw new SynthCheckFailed(report);

    moveOverride(path.join(staging, 'terraform'), terraformDir, path.join(outDir, 'terraform'));
    moveOverride(path.join(staging, 'kubernetes'), kubernetesDir, path.join(outDir, 'kubernetes'));
    replaceDir(staging, outDir);
    return { ...summary, check: report };
  } catch (e) {
    discardStaging(staging);
    throw e;
  }
}

/** A part whose destination was overridden leaves the staging folder for its own place. */
function moveOverride(staged: string, dest: string, defaultDest: string): void {
  if (dest === defaultDest) return;
  const own = makeStaging(dest);
  fs.rmSync(own, { recursive: true });
  fs.renameSync(staged, own);
  replaceDir(own, dest);
}

function carryTerraformWorkingFiles(previous: string, staged: string): void {
  const stacks = path.join(previous, 'stacks');
  if (!fs.existsSync(stacks)) return;
  for (const stack of fs.readdirSync(stacks)) {
    const target = path.join(staged, 'stacks', stack);
    if (!fs.existsSync(target)) continue;
    for (const name of TERRAFORM_WORKING_FILES) {
      const from = path.join(stacks, stack, name);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(target, name), { recursive: true });
    }
  }
}

/** Files below a folder, relative and with `/`, sorted; Terraform's working files are not ours to list. */
function listFiles(root: string, dir = ''): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => !TERRAFORM_WORKING_FILES.includes(e.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(root, path.join(dir, e.name)) : [toPosix(path.join(dir, e.name))]))
    .sort();
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
