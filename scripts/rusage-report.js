// Preloaded with `node --require` by the benchmark: on exit, writes the process's own CPU time and
// peak RSS as JSON to the file named by WISYNTH_RUSAGE_FILE, and the CPU time the process spent while
// synth's check ran (all threads, so the compiler threads' work on the check's code counts) and the wall
// time it took (both null when no check ran).
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');

const file = process.env.WISYNTH_RUSAGE_FILE;
const CHECK = path.join(__dirname, '..', 'lib', 'src', 'check', 'check.js');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let checkCpuMs = null;
let checkWallMs = null;

if (file) {
  // synth calls checkWritten through the module's exports, so wrapping the export once it is loaded counts
  // each call; requires still running when it loads return through here too, and must not wrap it again
  const require = Module.prototype.require;
  let wrapped = false;
  Module.prototype.require = function (...args) {
    const exports = require.apply(this, args);
    const loaded = Module._cache[CHECK];
    if (loaded?.loaded && !wrapped) {
      wrapped = true;
      Module.prototype.require = require;
      const checkWritten = loaded.exports.checkWritten;
      loaded.exports.checkWritten = function (...a) {
        const started = cpuMs();
        const startedAt = performance.now();
        try {
          return checkWritten.apply(this, a);
        } finally {
          checkCpuMs = (checkCpuMs ?? 0) + cpuMs() - started;
          checkWallMs = (checkWallMs ?? 0) + performance.now() - startedAt;
        }
      };
    }
    return exports;
  };
}

process.on('exit', () => {
  if (!file) return;
  const u = process.resourceUsage();
  fs.writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS, checkCpuMs, checkWallMs }));
});
