#!/usr/bin/env node
// Benchmark of `wisynth synth` on the embedded example: wall time, CPU time and peak RSS of the whole
// process (module loading included), median of several runs, plus one full `npm run synth`
// (TypeScript's incremental build check and npm's own start-up included).
// Usage: npm run bench [-- --runs N]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-bench-'));

function measure(command, args, env = {}) {
  const rusageFile = path.join(work, 'rusage.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, env: { ...process.env, ...env, WISYNTH_RUSAGE_FILE: rusageFile }, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  const usage = fs.existsSync(rusageFile) ? JSON.parse(fs.readFileSync(rusageFile, 'utf8')) : {};
  fs.rmSync(rusageFile, { force: true });
  return { wallMs, ...usage };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function outputBytes(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = path.join(dir, e.name);
    return sum + (e.isDirectory() ? outputBytes(p) : fs.statSync(p).size);
  }, 0);
}

const out = path.join(work, 'out');
const synthArgs = ['--require', path.join(__dirname, 'rusage-report.js'), 'bin/wisynth.js', 'synth', '-o', out];
measure(process.execPath, synthArgs); // warm the file cache
const samples = Array.from({ length: runs }, () => measure(process.execPath, synthArgs));
const npmRun = measure('npm', ['run', '--silent', 'synth', '--', '-o', out]);

const row = {
  machine: `${os.cpus().length} x ${os.cpus()[0].model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  runs,
  wallMs: Math.round(median(samples.map((s) => s.wallMs))),
  cpuMs: Math.round(median(samples.map((s) => s.cpuMs))),
  peakRssMiB: Math.round(Math.max(...samples.map((s) => s.maxRssKb)) / 1024),
  outputKiB: Math.round(outputBytes(out) / 1024),
  npmRunSynthWallMs: Math.round(npmRun.wallMs),
};
fs.rmSync(work, { recursive: true, force: true });

console.log('wisynth synth, embedded example (median of runs; peak RSS is the maximum)');
console.log(JSON.stringify(row, null, 2));
