#!/usr/bin/env node
'use strict';
// before cdktf is loaded: it need not load archiver (see src/azure/defer-archiver.ts)
require('../lib/src/azure/defer-archiver').deferArchiverLoad();
const { main } = require('../lib/src/cli/main');

/**
 * Writes lines to a stream; once its reader has gone (`wisynth check OUT --json | head`), the rest is
 * dropped instead of crashing on EPIPE, and the command still finishes (a synth still completes or
 * cleans up) and exits with its own code.
 */
function lines(stream) {
  let open = true;
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    open = false;
  });
  return (line) => {
    if (open) stream.write(`${line}\n`);
  };
}

main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: lines(process.stdout),
  err: lines(process.stderr),
}).then((code) => {
  process.exitCode = code;
});
