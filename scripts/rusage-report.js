// Preloaded with `node --require` by the benchmark: on exit, writes the process's own CPU time and
// peak RSS as JSON to the file named by WISYNTH_RUSAGE_FILE.
'use strict';
const fs = require('fs');

process.on('exit', () => {
  const file = process.env.WISYNTH_RUSAGE_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  fs.writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS }));
});
