/**
 * cdktf's index loads archiver and the forty-odd modules under it, about 50 ms at every start of the CLI,
 * for one use: zipping a TerraformAsset's folder, which cdktf does in a child process that runs its own
 * file as a script (hashicorp/terraform-cdk packages/cdktf/lib/private/fs.ts: archiveSync execs the file,
 * whose `require.main === module` branch calls archiver). wisynth makes no asset. So the CLI, before it loads
 * cdktf, puts a stand-in in Node's module cache under the file cdktf's `require("archiver")` resolves to
 * (nodejs.org/api/modules.html, require.cache: "Adding or replacing entries is also possible"). The stand-in
 * loads archiver at its first use and forwards to it; a process that has loaded archiver keeps it.
 */
import { Module } from 'module';
import * as path from 'path';

/** Makes archiver, as cdktf requires it, load at its first use instead of with cdktf. */
export function deferArchiverLoad(): void {
  // the folder of cdktf's lib/private/fs.js, from which it requires archiver
  const requirer = path.join(path.dirname(require.resolve('cdktf/package.json')), 'lib', 'private');
  const file = require.resolve('archiver', { paths: [requirer] });
  if (require.cache[file]) return;
  let loaded: object | undefined;
  const archiver = (): object => {
    if (!loaded) {
      delete require.cache[file];
      loaded = require(file) as object;
    }
    return loaded;
  };
  const standIn = new Proxy(function archiverStandIn() {}, {
    apply: (_target, self, args) => Reflect.apply(archiver() as (...a: unknown[]) => unknown, self, args),
    get: (_target, key) => Reflect.get(archiver(), key),
    has: (_target, key) => Reflect.has(archiver(), key),
  });
  const entry = new Module(file, module);
  entry.filename = file;
  entry.loaded = true;
  entry.exports = standIn;
  require.cache[file] = entry;
}
