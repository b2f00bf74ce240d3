/**
 * The provider package's index loads every one of its ~1500 resource modules (seconds of start-up);
 * wisynth imports each resource from its own module, so synth loads only the few it uses.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './support';

/** Spelt in two parts so that this file does not import what it forbids, even in a scanner's eyes. */
const PROVIDER = ['@cdktf', 'provider-azurerm'].join('/');
const RESOURCE_MODULE = new RegExp(`^${PROVIDER.replace('/', '\\/')}/lib/(?!index$)[a-z0-9]+(-[a-z0-9]+)*$`);
const MAX_PROVIDER_MODULES = 100;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(file);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [file] : [];
  });
}

/** Every module a file imports, requires or imports dynamically (comments and strings are not imports). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The provider imports of a file that are not a single resource's module. */
function badProviderImports(text: string): string[] {
  return importsOf(text).filter((m) => (m === PROVIDER || m.startsWith(`${PROVIDER}/`)) && !RESOURCE_MODULE.test(m));
}

describe('provider imports in the sources', () => {
  const files = ['src', 'test'].flatMap((d) => sourceFiles(path.join(ROOT, d)));

  it('finds the sources and their provider imports (the scan is not vacuous)', () => {
    expect(files.some((f) => f.endsWith(path.join('src', 'index.ts')))).toBe(true);
    const providerImports = files.flatMap((f) => importsOf(fs.readFileSync(f, 'utf8'))).filter((m) => m.startsWith(PROVIDER));
    expect(providerImports.length).toBeGreaterThan(0);
  });

  it('recognises each way of importing the package index', () => {
    const q = (s: string) => `'${s}'`;
    const forbidden = [
      `import { KeyVault } from ${q(PROVIDER)};`,
      `import * as azurerm from ${q(PROVIDER)};`,
      `export { KeyVault } from ${q(PROVIDER)};`,
      `const azurerm = require(${q(PROVIDER)});`,
      `const azurerm = await import(${q(PROVIDER)});`,
      `import { KeyVault } from ${q(`${PROVIDER}/lib`)};`,
      `import { KeyVault } from ${q(`${PROVIDER}/lib/index`)};`,
      `import { KeyVault } from ${q(`${PROVIDER}/lib/key-vault/index`)};`,
    ];
    for (const line of forbidden) expect(badProviderImports(line)).toHaveLength(1);
    expect(badProviderImports(`import { KeyVault } from ${q(`${PROVIDER}/lib/key-vault`)};`)).toEqual([]);
    expect(badProviderImports(`// not an import: from ${q(PROVIDER)}`)).toEqual([]);
  });

  it('imports every provider class from its resource module, never the package index', () => {
    const offenders = files.flatMap((f) => badProviderImports(fs.readFileSync(f, 'utf8')).map((m) => `${path.relative(ROOT, f)}: ${m}`));
    expect(offenders).toEqual([]);
  });
});

describe('modules loaded by the compiled synthesizer', () => {
  it('loads only resource modules of the provider, not its index, and fewer than 100 of them', () => {
    const entry = path.join(ROOT, 'lib', 'src', 'output', 'synthesize.js');
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm test\` (its pretest builds lib/) or \`npx tsc -p .\``);
    const child = spawnSync(
      process.execPath,
      ['-e', "require('./lib/src/output/synthesize'); process.stdout.write(JSON.stringify(Object.keys(require.cache)));"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const loaded = JSON.parse(child.stdout) as string[];
    expect(loaded).toContain(entry);

    const provider = loaded.filter((m) => /[\\/]@cdktf[\\/]provider-azurerm[\\/]/.test(m));
    expect(provider.filter((m) => /[\\/]@cdktf[\\/]provider-azurerm[\\/]lib[\\/]index\.js$/.test(m))).toEqual([]);
    expect(provider.length).toBeLessThan(MAX_PROVIDER_MODULES);
  });
});
