#!/usr/bin/env node
// Benchmark of `wisynth synth` as a whole process (`node bin/wisynth.js synth`, module loading included):
// wall time, CPU time (user + sys) and peak RSS (written by the preloaded scripts/rusage-report.js),
// median of several runs (peak RSS: the maximum), plus what the synth wrote (bytes, files, Terraform
// stacks). Measured on the embedded example and on synthetic fleets (scripts/synthetic-fleet.js, 10
// workloads a cluster). On the 100-cluster fleet (--variants-at) it also measures:
//   - the same synth with @cdktf/provider-azurerm loaded through its package index (scripts/barrel-import.js);
//   - the same synth run by the `cdktf synth` CLI, when a cdktf CLI is at hand (node_modules/.bin/cdktf,
//     $CDKTF_CLI, or cdktf-cli@0.21.0 in npx's cache; nothing is downloaded);
//   - `terraform.stackLayout: single` and `perCluster` side by side.
// Fleets and OUT folders live in a temporary folder under os.tmpdir() (set TMPDIR to measure another
// disk: creating thousands of small files is part of the cost), deleted at the end.
// It prints the machine, a Markdown table for the README, ratios, and a budget check (exit code 1 if a
// budget fails; the table is printed anyway).
//
// The check's share of a synth, budgeted below, is the CPU time the synth's process spent while its check
// ran (scripts/rusage-report.js), against the process's whole. Each synthetic fleet is also synthesized with
// --no-check, side by side: the difference shows the same share told apart by two processes. The check's
// share of the synth's wall time is printed beside them. These synths render every part (--no-cache). On the
// 1,000-cluster fleet (--incremental-at) two more are measured: a re-synth after one cluster changed, with
// the synth cache (each run changes one cluster against the OUT and cache the run before it left; the cache
// is kept in the temporary folder, WISYNTH_CACHE_DIR, never in ~/.cache), and a synth after apply, every
// Terraform output known (--outputs), whose check compares literal client ids and issuers.
//
// Usage: npm run bench [-- --sizes 1,10,100,300,1000,3000] [--runs N] [--json] [--timeout SECONDS]
//   --sizes    synthetic fleet sizes (default 1,10,100,300,1000,3000; the whole bench takes about 10 minutes on 2 cores)
//   --runs     runs per measurement (default 3; the example gets max(5, N))
//   --json     also print the raw results as JSON
//   --timeout  per-process limit in seconds (default 300); a process that exceeds it is killed and reported
//   --variants-at N  run the barrel, cdktf CLI and stack layout variants on the N-cluster fleet (default 100;
//              N must be in --sizes)
//   --incremental-at N  measure the re-synth of one changed cluster, and the synth after apply, on the N-cluster fleet (default 1000;
//              N must be in --sizes)
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');
const { writeSyntheticFleet } = require('./synthetic-fleet');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'wisynth.js');
const EXAMPLE = path.join(ROOT, 'examples', 'fleet.yaml');
const RUSAGE = path.join(__dirname, 'rusage-report.js');
const BARREL = path.join(__dirname, 'barrel-import.js');
const BASELINE = path.join(__dirname, 'baseline-synth.js');
const WORKLOADS = 10;
const GiB = 2 ** 30;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const value = (name, fallback) => {
    const at = argv.indexOf(name);
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
  };
  const sizes = value('--sizes', '1,10,100,300,1000,3000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes positive integers separated by commas`);
  const runs = Number(value('--runs', '3'));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  const timeoutS = Number(value('--timeout', '300'));
  const variantsAt = Number(value('--variants-at', '100'));
  const incrementalAt = Number(value('--incremental-at', '1000'));
  return { sizes, runs, json: argv.includes('--json'), timeoutMs: timeoutS * 1000, variantsAt, incrementalAt };
}

// ---------------------------------------------------------------------------------------------
// Processes and what they wrote

/** The environment without variables that would move parts of OUT elsewhere. */
function cleanEnv(extra = {}) {
  const { CDKTF_OUTDIR: _tf, CDK8S_OUTDIR: _k8s, ...env } = process.env;
  return { ...env, ...extra };
}

const TIMEOUT_BIN = '/usr/bin/timeout';

/**
 * Runs a process to its end: wall time and the result; throws with stderr's tail on failure or timeout.
 * With `tree`, the limit applies to the process and its children (coreutils timeout signals its
 * process group), for CLIs that start the synth as a child.
 */
function run(command, args, { cwd = ROOT, env = cleanEnv(), timeoutMs, tree = false }) {
  const killTree = tree && fs.existsSync(TIMEOUT_BIN);
  const [cmd, argv] = killTree ? [TIMEOUT_BIN, ['-k', '5', String(timeoutMs / 1000), command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', timeout: killTree ? timeoutMs + 10000 : timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 2 ** 20 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error?.code === 'ETIMEDOUT' || (killTree && result.status === 124)) throw new Error(`timed out after ${timeoutMs / 1000} s (killed)`);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`exit ${result.status ?? result.signal}: ${tail}`);
  }
  return { wallMs, result };
}

/** One `node [--require ...] bin/wisynth.js synth` process: wall, CPU and peak RSS. */
function synthOnce({ fleet, out, preload = [], extraArgs = [], baselineOf, cached = false }, options) {
  // a previous OUT is replaced, as a user's is: deleting it first would move that cost out of the timed run;
  // the baseline program writes into an empty folder, as cdktf and cdk8s do
  if (baselineOf) fs.rmSync(out, { recursive: true, force: true });
  const rusageFile = `${out}.rusage.json`;
  const requires = [...preload, RUSAGE].flatMap((file) => ['--require', file]);
  // every synth renders every part (--no-cache), but the re-synths of measureIncremental
  const program = baselineOf ? [BASELINE, baselineOf, out] : [BIN, 'synth', ...(fleet ? ['-c', fleet] : []), '-o', out, ...(cached ? [] : ['--no-cache']), ...extraArgs];
  const args = [...requires, ...program];
  const { wallMs } = run(process.execPath, args, { env: cleanEnv({ WISYNTH_RUSAGE_FILE: rusageFile, WISYNTH_CACHE_DIR: options.cacheDir }), timeoutMs: options.timeoutMs });
  const usage = JSON.parse(fs.readFileSync(rusageFile, 'utf8'));
  fs.rmSync(rusageFile, { force: true });
  return { wallMs, cpuMs: usage.cpuMs, peakRssKb: usage.maxRssKb, checkCpuMs: usage.checkCpuMs, checkWallMs: usage.checkWallMs };
}

/** Bytes and files below a folder (0 when it does not exist). */
function treeSize(dir) {
  if (!fs.existsSync(dir)) return { bytes: 0, files: 0 };
  return fs.readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => {
      const p = path.join(dir, e.name);
      const sub = e.isDirectory() ? treeSize(p) : { bytes: fs.statSync(p).size, files: 1 };
      return { bytes: sum.bytes + sub.bytes, files: sum.files + sub.files };
    },
    { bytes: 0, files: 0 },
  );
}

function countFolders(dir) {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).length : 0;
}

/** What a synth wrote: the Terraform part may live elsewhere (cdktf's output folder). */
function outputOf(out, terraformDir = path.join(out, 'terraform')) {
  const rest = treeSize(out);
  const tf = terraformDir.startsWith(out + path.sep) ? { bytes: 0, files: 0 } : treeSize(terraformDir);
  return { outputBytes: rest.bytes + tf.bytes, files: rest.files + tf.files, stacks: countFolders(path.join(terraformDir, 'stacks')) };
}

function clustersOf(fleet) {
  return YAML.parse(fs.readFileSync(fleet, 'utf8')).clusters.length;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// Measurements: each returns a row; a failure becomes the row's error, never a crash.

function row(label, fleet, fields) {
  return { fleet: label, clusters: clustersOf(fleet), stacks: null, wallMs: null, cpuMs: null, peakRssKb: null, checkShare: null, checkWallShare: null, outputBytes: null, files: null, note: '', error: null, ...fields };
}

/** `runs` synth processes on one fleet: medians (peak RSS: the maximum) and what the last one wrote. */
function measureSynth(label, measured, options) {
  return measureInterleaved([{ label, ...measured }], measured.runs, options)[0];
}

/**
 * Several synths measured run by run in turn (A B A B ...), so that a machine that slows down or speeds up
 * shifts them alike and their ratio holds: a row each, as measureSynth gives it.
 */
function measureInterleaved(variants, runs, options) {
  const samples = variants.map(() => []);
  const errors = variants.map(() => null);
  for (let i = 0; i < runs; i++) {
    variants.forEach((v, n) => {
      if (errors[n]) return;
      try {
        samples[n].push(synthOnce({ fleet: v.fleet, out: v.out, preload: v.preload, extraArgs: v.extraArgs, baselineOf: v.baselineOf }, options));
      } catch (e) {
        errors[n] = e.message;
      }
    });
  }
  return variants.map((v, n) => {
    const note = v.note ?? '';
    if (errors[n]) return row(v.label, v.fleet ?? EXAMPLE, { error: errors[n], note });
    return row(v.label, v.fleet ?? EXAMPLE, {
      wallMs: median(samples[n].map((s) => s.wallMs)),
      cpuMs: median(samples[n].map((s) => s.cpuMs)),
      peakRssKb: Math.max(...samples[n].map((s) => s.peakRssKb)),
      // the check's CPU time within each run, against the run's whole: the median of the runs' shares
      checkShare: samples[n][0].checkCpuMs == null ? null : median(samples[n].map((s) => s.checkCpuMs / s.cpuMs)),
      // and its wall time against the run's, from start to exit
      checkWallShare: samples[n][0].checkWallMs == null ? null : median(samples[n].map((s) => s.checkWallMs / s.wallMs)),
      ...outputOf(v.out),
      note: [`median of ${runs}${variants.length > 1 ? ', interleaved' : ''}`, note].filter(Boolean).join('; '),
    });
  });
}

/**
 * Re-synths with the cache, each after one cluster changed: the fleet and its variant in turn, into one OUT
 * that the synth before left (with its cache). Medians, as measureSynth gives them.
 */
function measureIncremental(label, { fleet, out, runs }, options) {
  const variant = path.join(path.dirname(fleet), 'fleet-one-changed.yaml');
  try {
    const doc = YAML.parseDocument(fs.readFileSync(fleet, 'utf8'));
    const index = doc.toJS().clusters.findIndex((c) => c.name.startsWith('kind-'));
    doc.setIn(['clusters', index, 'workloads', 0, 'namespace'], 'moved');
    fs.writeFileSync(variant, doc.toString());
    synthOnce({ fleet, out }, options);
    const samples = Array.from({ length: runs }, (_, i) => synthOnce({ fleet: i % 2 === 0 ? variant : fleet, out, cached: true }, options));
    return row(label, fleet, {
      wallMs: median(samples.map((s) => s.wallMs)),
      cpuMs: median(samples.map((s) => s.cpuMs)),
      peakRssKb: Math.max(...samples.map((s) => s.peakRssKb)),
      ...outputOf(out),
      note: `median of ${runs}; each run one cluster changed against the OUT before it; the rest taken from the cache`,
    });
  } catch (e) {
    return row(label, fleet, { error: e.message });
  }
}

/**
 * The synth of a fleet after `terraform apply`: every output its synth left a placeholder for (`from`'s
 * summary.json) given a value in an outputs file (`terraform output -json`'s form), a GUID for a client id and
 * an address for an issuer, made from the output's name. Then check compares literal client ids and issuers.
 */
function measureAfterApply(label, { fleet, from, out, runs }, options) {
  try {
    const outputs = {};
    for (const { output } of JSON.parse(fs.readFileSync(path.join(from, 'summary.json'), 'utf8')).placeholders) {
      const h = crypto.createHash('sha256').update(output).digest('hex');
      const value = output.endsWith('_url') ? `https://issuer.example.com/${h.slice(0, 16)}/` : `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      outputs[output] = { value, type: 'string', sensitive: false };
    }
    const file = `${out}.outputs.json`;
    fs.writeFileSync(file, JSON.stringify(outputs));
    return measureSynth(label, { fleet, out, extraArgs: ['--outputs', file], runs, note: `every output (${Object.keys(outputs).length}) known: --outputs` }, options);
  } catch (e) {
    return row(label, fleet, { error: e.message });
  }
}

/** A cdktf CLI to run: its command line, or why there is none. Nothing is downloaded. */
function findCdktfCli() {
  const local = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
  if (fs.existsSync(local)) return { command: local, args: [], how: 'node_modules/.bin/cdktf' };
  if (process.env.CDKTF_CLI) {
    if (fs.existsSync(process.env.CDKTF_CLI)) return { command: process.env.CDKTF_CLI, args: [], how: '$CDKTF_CLI' };
    return { missing: `CDKTF_CLI=${process.env.CDKTF_CLI} does not exist` };
  }
  // npx's cache: `--no-install` fails at once instead of fetching. Run the cached bin itself, so npx's
  // own start-up is not counted; fall back to npx when its path cannot be found.
  const npx = (args) => spawnSync('npx', ['--no-install', ...args], { cwd: os.tmpdir(), env: cdktfEnv(), encoding: 'utf8', timeout: 60000 });
  const version = npx(['cdktf-cli@0.21.0', '--version']);
  if (version.status !== 0) {
    const why = version.error ? version.error.message : 'cdktf-cli@0.21.0 not in npx cache';
    return { missing: `no node_modules/.bin/cdktf, no $CDKTF_CLI; npx --no-install: ${why}` };
  }
  const bin = npx(['-p', 'cdktf-cli@0.21.0', '-c', 'command -v cdktf']).stdout?.trim();
  if (bin && fs.existsSync(bin)) return { command: bin, args: [], how: 'cdktf-cli@0.21.0 from npx cache' };
  return { command: 'npx', args: ['--no-install', 'cdktf-cli@0.21.0'], how: 'npx --no-install cdktf-cli@0.21.0 (npx start-up included)' };
}

/** cdktf without telemetry (CHECKPOINT_DISABLE), plugin cache set-up, version check or colours. */
function cdktfEnv() {
  return cleanEnv({ CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', DISABLE_VERSION_CHECK: '1', FORCE_COLOR: '0' });
}

/** `cdktf synth` in a temporary project whose app is wisynth's synth of the fleet. */
function measureCdktf(label, { fleet, work, runs }, options) {
  const cli = findCdktfCli();
  if (cli.missing) return row(label, fleet, { error: `not available (${cli.missing})` });
  const project = path.join(work, 'cdktf-project');
  const out = path.join(project, 'out');
  const tfOut = path.join(project, 'cdktf.out');
  fs.mkdirSync(project, { recursive: true });
  const app = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} synth -c ${JSON.stringify(fleet)} -o ${JSON.stringify(out)}`;
  const config = { language: 'typescript', app, output: 'cdktf.out', projectId: 'wisynth-bench', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} };
  fs.writeFileSync(path.join(project, 'cdktf.json'), `${JSON.stringify(config, null, 2)}\n`);
  const timeFile = path.join(project, 'time.txt');
  const gnuTime = fs.existsSync('/usr/bin/time');
  try {
    const samples = Array.from({ length: runs }, () => {
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(tfOut, { recursive: true, force: true });
      const [command, args] = gnuTime
        ? ['/usr/bin/time', ['-o', timeFile, '-f', '%M %U %S', cli.command, ...cli.args, 'synth']]
        : [cli.command, [...cli.args, 'synth']];
      const { wallMs } = run(command, args, { cwd: project, env: cdktfEnv(), timeoutMs: options.timeoutMs, tree: true });
      if (!gnuTime) return { wallMs, cpuMs: null, peakRssKb: null };
      const [maxRssKb, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      return { wallMs, cpuMs: (user + sys) * 1000, peakRssKb: maxRssKb };
    });
    return row(label, fleet, {
      wallMs: median(samples.map((s) => s.wallMs)),
      cpuMs: gnuTime ? median(samples.map((s) => s.cpuMs)) : null,
      peakRssKb: gnuTime ? Math.max(...samples.map((s) => s.peakRssKb)) : null,
      ...outputOf(out, tfOut),
      note: `median of ${runs}; ${cli.how}; CPU = CLI + app, peak RSS = largest single process (/usr/bin/time)${gnuTime ? '' : ' unavailable'}`,
    });
  } catch (e) {
    return row(label, fleet, { error: e.message, note: cli.how });
  }
}

// ---------------------------------------------------------------------------------------------
// The plan of the run

function measureAll(options, work) {
  const { variantsAt } = options;
  const rows = [];
  const synthetic = (n, extra = {}) => writeSyntheticFleet(path.join(work, `fleet-${n}${extra.stackLayout ? `-${extra.stackLayout}` : ''}`), { clusters: n, workloads: WORKLOADS, ...extra });
  const out = (name) => path.join(work, `out-${name}`);
  const progress = (r) => {
    rows.push(r);
    process.stderr.write(`  ${r.fleet}: ${r.error ? r.error : `${seconds(r.wallMs)} wall, ${mib(r.peakRssKb * 1024)} peak RSS`}\n`);
  };

  try {
    synthOnce({ out: out('warm-up') }, options); // warm the file cache: module loading is part of what is measured
  } catch {
    // the example's own measurement reports the failure
  }
  progress(measureSynth('example', { out: out('example'), runs: Math.max(5, options.runs) }, options));
  const fleets = new Map();
  for (const n of options.sizes) {
    fleets.set(n, synthetic(n));
    const pair = measureInterleaved(
      [
        { label: `synthetic ${n}`, fleet: fleets.get(n), out: out(n) },
        { label: `synthetic ${n}, --no-check`, fleet: fleets.get(n), out: out(`${n}-no-check`), extraArgs: ['--no-check'], note: 'the same synth without its check' },
        // after the first synth in each round, whose OUT it writes again
        { label: `synthetic ${n}, plain cdktf + cdk8s`, fleet: fleets.get(n), out: out(`${n}-baseline`), baselineOf: out(n), note: 'scripts/baseline-synth.js: the same files, no wisynth' },
      ],
      options.runs,
      options,
    );
    pair.forEach(progress);
  }
  if (fleets.has(options.incrementalAt)) {
    const n = options.incrementalAt;
    progress(measureIncremental(`synthetic ${n}, one cluster changed`, { fleet: fleets.get(n), out: out(`${n}-incremental`), runs: options.runs }, options));
    progress(measureAfterApply(`synthetic ${n}, after apply`, { fleet: fleets.get(n), from: out(n), out: out(`${n}-applied`), runs: options.runs }, options));
  }
  if (fleets.has(variantsAt)) {
    const fleet = fleets.get(variantsAt);
    progress(measureSynth(`synthetic ${variantsAt}, barrel import`, { fleet, out: out('barrel'), preload: [BARREL], runs: options.runs, note: '@cdktf/provider-azurerm index preloaded' }, options));
    progress(measureCdktf(`synthetic ${variantsAt}, cdktf synth CLI`, { fleet, work, runs: options.runs }, options));
    for (const stackLayout of ['single', 'perCluster']) {
      const layoutFleet = synthetic(variantsAt, { stackLayout });
      progress(measureSynth(`synthetic ${variantsAt}, stackLayout: ${stackLayout}`, { fleet: layoutFleet, out: out(stackLayout), runs: options.runs }, options));
    }
  } else {
    process.stderr.write(`  (barrel import, cdktf CLI and stack layout variants run on the ${variantsAt}-cluster fleet: not in --sizes)\n`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Report

function seconds(ms) {
  return ms == null ? '' : `${(ms / 1000).toFixed(2)} s`;
}

function mib(bytes) {
  return bytes == null ? '' : `${Math.round(bytes / 2 ** 20)} MiB`;
}

function size(bytes) {
  if (bytes == null) return '';
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / GiB)} GiB, Node ${process.version}`;
}

function markdownTable(rows) {
  const lines = ['| fleet | clusters | stacks | wall | CPU | peak RSS | output | note |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |'];
  for (const r of rows) {
    const output = r.outputBytes == null ? '' : `${size(r.outputBytes)} (${r.files} files)`;
    const note = r.error ? `${r.error.replace(/\|/g, '/')}${r.note ? `; ${r.note}` : ''}` : r.note;
    lines.push(`| ${r.fleet} | ${r.clusters} | ${r.stacks ?? ''} | ${seconds(r.wallMs)} | ${seconds(r.cpuMs)} | ${mib(r.peakRssKb == null ? null : r.peakRssKb * 1024)} | ${output} | ${note} |`);
  }
  return lines.join('\n');
}

function find(rows, label) {
  const r = rows.find((x) => x.fleet === label);
  return r && !r.error ? r : undefined;
}

function ratios(rows, variantsAt) {
  const normal = find(rows, `synthetic ${variantsAt}`);
  const ratio = (label, base, field = 'wallMs') => {
    const r = find(rows, label);
    return r && base && r[field] != null && base[field] ? r[field] / base[field] : null;
  };
  return {
    barrelWall: ratio(`synthetic ${variantsAt}, barrel import`, normal),
    barrelPeakRss: ratio(`synthetic ${variantsAt}, barrel import`, normal, 'peakRssKb'),
    cdktfCliWall: ratio(`synthetic ${variantsAt}, cdktf synth CLI`, normal),
    wall300over100: ratio('synthetic 300', find(rows, 'synthetic 100')),
    // time per cluster at 1,000 against at 100: 1.0 is linear
    perCluster1000over100: perCluster(find(rows, 'synthetic 1000'), find(rows, 'synthetic 100')),
    overPlain: Object.fromEntries(
      rows.filter((r) => /^synthetic \d+$/.test(r.fleet) && !r.error).map((r) => {
        const plain = find(rows, `${r.fleet}, plain cdktf + cdk8s`);
        return [r.clusters, plain ? r.wallMs / plain.wallMs : null];
      }),
    ),
    checkShare: Object.fromEntries(rows.filter((r) => /^synthetic \d+$/.test(r.fleet) && !r.error).map((r) => [r.clusters, r.checkShare])),
    checkWallShare: Object.fromEntries(rows.filter((r) => /^synthetic \d+$/.test(r.fleet) && !r.error).map((r) => [r.clusters, r.checkWallShare])),
    checkShareByDifference: Object.fromEntries(
      rows.filter((r) => /^synthetic \d+$/.test(r.fleet) && !r.error).map((r) => [r.clusters, shareByDifference(r, find(rows, `${r.fleet}, --no-check`))]),
    ),
  };
}

function perCluster(large, small) {
  return large && small ? large.wallMs / large.clusters / (small.wallMs / small.clusters) : null;
}

/**
 * What the check costs a synth, told apart by two processes: the part of its CPU time that the same synth
 * with --no-check does not spend. Shown beside the share measured within the synth (row.checkShare, the
 * budget's): a difference of two medians, it moves by several points between runs on a noisy machine.
 */
function shareByDifference(withCheck, without) {
  return withCheck && without && withCheck.cpuMs ? Math.max(0, 1 - without.cpuMs / withCheck.cpuMs) : null;
}

function formatRatios(r, variantsAt) {
  const x = (v) => (v == null ? 'n/a' : `${v.toFixed(2)}x`);
  const shares = (byClusters) => Object.entries(byClusters).map(([n, s]) => `${n} clusters ${s == null ? 'n/a' : `${Math.round(s * 100)} %`}`).join(', ');
  return [
    `barrel import / normal (${variantsAt} clusters): wall ${x(r.barrelWall)}, peak RSS ${x(r.barrelPeakRss)}`,
    `cdktf synth CLI / normal (${variantsAt} clusters): wall ${x(r.cdktfCliWall)}`,
    `300 / 100 clusters: wall ${x(r.wall300over100)}`,
    `time per cluster, 1,000 / 100 clusters: ${x(r.perCluster1000over100)}`,
    `wisynth synth / plain cdktf + cdk8s program, wall: ${Object.entries(r.overPlain).map(([n, v]) => `${n} clusters ${x(v)}`).join(', ')}`,
    `check's share of synth's CPU time, within the synth: ${shares(r.checkShare)}`,
    `check's share of synth's CPU time, against the --no-check synth: ${shares(r.checkShareByDifference)}`,
    `check's share of synth's wall time, within the synth: ${shares(r.checkWallShare)}`,
  ].join('\n');
}

/** Each budget: PASS, FAIL, or SKIP when its fleet was not asked for. A failed measurement fails. */
function budgets(rows, options) {
  const asked = (label) => label === 'example' || options.sizes.includes(Number(/^synthetic (\d+)/.exec(label)?.[1]));
  const check = (name, labels, test) => {
    const missing = labels.filter((label) => !asked(label));
    if (missing.length) return { name, status: 'SKIP', detail: `needs ${missing.join(' and ')} (--sizes)` };
    const failed = rows.find((x) => labels.includes(x.fleet) && x.error);
    if (failed) return { name, status: 'FAIL', detail: `${failed.fleet} failed: ${failed.error}` };
    const { ok, detail } = test(...labels.map((label) => find(rows, label)));
    return { name, status: ok ? 'PASS' : 'FAIL', detail };
  };
  return [
    check('example < 0.8 s wall', ['example'], (r) => ({ ok: r.wallMs < 800, detail: seconds(r.wallMs) })),
    check('100 clusters < 10 s wall', ['synthetic 100'], (r) => ({ ok: r.wallMs < 10000, detail: seconds(r.wallMs) })),
    check('100 clusters < 1 GiB peak RSS', ['synthetic 100'], (r) => ({ ok: r.peakRssKb * 1024 < GiB, detail: mib(r.peakRssKb * 1024) })),
    check('300-cluster wall <= 3.5 x 100-cluster wall', ['synthetic 300', 'synthetic 100'], (r300, r100) => ({
      ok: r300.wallMs <= 3.5 * r100.wallMs,
      detail: `${seconds(r300.wallMs)} vs 3.5 x ${seconds(r100.wallMs)} = ${seconds(3.5 * r100.wallMs)} (${(r300.wallMs / r100.wallMs).toFixed(2)}x)`,
    })),
    check('1,000 clusters < 15 s wall', ['synthetic 1000'], (r) => ({ ok: r.wallMs < 15000, detail: seconds(r.wallMs) })),
    check('1,000 clusters < 600 MiB peak RSS', ['synthetic 1000'], (r) => ({ ok: r.peakRssKb * 1024 < 600 * 2 ** 20, detail: mib(r.peakRssKb * 1024) })),
    check('3,000 clusters < 60 s wall', ['synthetic 3000'], (r) => ({ ok: r.wallMs < 60000, detail: seconds(r.wallMs) })),
    check('re-synth of 1,000 clusters after one changed < 3 s wall', ['synthetic 1000, one cluster changed'], (r) => ({ ok: r.wallMs < 3000, detail: seconds(r.wallMs) })),
    check('time per cluster at 1,000 <= 1.15 x at 100', ['synthetic 1000', 'synthetic 100'], (r1000, r100) => {
      const x = perCluster(r1000, r100);
      return { ok: x <= 1.15, detail: `${x.toFixed(2)}x` };
    }),
    ...options.sizes
      .filter((n) => n >= 100)
      .map((n) =>
        check(`synth <= 1.0 x the plain cdktf + cdk8s program at ${n} clusters`, [`synthetic ${n}`, `synthetic ${n}, plain cdktf + cdk8s`], (a, b) => ({ ok: a.wallMs <= b.wallMs, detail: `${(a.wallMs / b.wallMs).toFixed(2)}x` })),
      ),
    ...options.sizes
      .filter((n) => n >= 100)
      .map((n) =>
        check(`check <= 15 % of synth at ${n} clusters`, [`synthetic ${n}`], (a) => ({ ok: a.checkShare <= 0.15, detail: `${Math.round(a.checkShare * 100)} % of its CPU time (${Math.round(a.checkWallShare * 100)} % of its wall time)` })),
      ),
    // after apply, check compares every literal client id and issuer: the same budget
    check(`check <= 15 % of synth after apply at ${options.incrementalAt} clusters`, [`synthetic ${options.incrementalAt}, after apply`], (a) => ({
      ok: a.checkShare <= 0.15,
      detail: `${Math.round(a.checkShare * 100)} % of its CPU time (${Math.round(a.checkWallShare * 100)} % of its wall time)`,
    })),
  ];
}

// ---------------------------------------------------------------------------------------------

function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-bench-'));
  options.cacheDir = path.join(work, 'cache');
  let rows;
  try {
    process.stderr.write(`measuring in ${work}\n`);
    rows = measureAll(options, work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const result = { machine: machine(), runs: options.runs, workloadsPerCluster: WORKLOADS, rows, variantsAt: options.variantsAt, ratios: ratios(rows, options.variantsAt), budgets: budgets(rows, options) };

  console.log(`\nmachine: ${result.machine}\n`);
  console.log(markdownTable(rows));
  console.log(`\n${formatRatios(result.ratios, options.variantsAt)}\n`);
  console.log('budgets:');
  for (const b of result.budgets) console.log(`  ${b.status} ${b.name}: ${b.detail}`);
  if (options.json) console.log(`\n${JSON.stringify(result, null, 2)}`);
  process.exitCode = result.budgets.some((b) => b.status === 'FAIL') ? 1 : 0;
}

main();
