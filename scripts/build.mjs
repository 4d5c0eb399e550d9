// One esbuild script for every bundle. `--production` minifies and drops source maps (packaging).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildChain } from './parts.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'es2022' };

/**
 * The browser bundle must not contain Node: every `node:*` import and every Node built-in name
 * fails the build, naming the file that imported it. Two are substituted on purpose, because
 * @vscode/debugadapter imports them: `events` (the npm `events` package, Node's EventEmitter for
 * browsers) and `url` (the browser's own global URL, src/web/shims/url.ts).
 */
const BROWSER_SUBSTITUTES = {
  events: fileURLToPath(import.meta.resolve('events/events.js')),
  url: fileURLToPath(new URL('../src/web/shims/url.ts', import.meta.url)),
};
const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, m.split('/')[0]]));
export const noNodeInBrowser = {
  name: 'no-node-in-browser',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const bare = args.path.replace(/^node:/, '');
      if (!args.path.startsWith('node:') && !NODE_BUILTINS.has(bare)) return undefined;
      if (!args.path.startsWith('node:') && bare in BROWSER_SUBSTITUTES) return { path: BROWSER_SUBSTITUTES[bare] };
      return { errors: [{ text: `Node built-in '${args.path}' in the browser bundle (imported by ${args.importer}): the browser build runs in a web worker, which has no Node.` }] };
    });
  },
};

/**
 * The extension's entry bundles and their lazily loaded parts (scripts/parts.mjs; loaded by
 * src/parts/loader.ts in this order): each module in exactly one file of its chain.
 */
const desktopOptions = { platform: 'node', format: 'cjs', external: ['vscode'] };
const browserOptions = { platform: 'browser', format: 'cjs', external: ['vscode'], mainFields: ['browser', 'module', 'main'], plugins: [noNodeInBrowser] };
const chains = [
  { options: desktopOptions, files: [
    { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js'},
    { entryPoints: ['src/analysis/inline.ts'], outfile: 'dist/parts/analysis.js' },
    { entryPoints: ['src/parts/desktop.ts'], outfile: 'dist/parts/desktop.js' },
  ] },
  // The web extension: a web worker extension host loads the entry; the parts are read through
  // VS Code's file system and evaluated as the host evaluates the entry (src/parts/loader.ts).
  { options: browserOptions, files: [
    { entryPoints: ['src/web/extension.ts'], outfile: 'dist/web/extension.js'},
    { entryPoints: ['src/analysis/inline.ts'], outfile: 'dist/web/analysis.js' },
    { entryPoints: ['src/parts/web.ts'], outfile: 'dist/web/parts.js' },
  ] },
];
const REGISTRY = 'src/parts/registry.ts';

/**
 * The entry's shell (src/parts/shell.ts): the entry bundle becomes the body of a function,
 * `__cowLabMain`, which the shell's activate() calls one task later, so loading the file and the
 * activate() call VS Code times evaluate none of it. Returns a chain's files with the first one wrapped.
 */
export async function withShell(files, minify) {
  const shell = await esbuild.build({ entryPoints: ['src/parts/shell.ts'], bundle: true, write: false, minify, platform: 'neutral', format: 'cjs', external: ['vscode'], target: common.target, logLevel: 'warning' });
  const [entry, ...parts] = files;
  return [{ ...entry, banner: { js: 'function __cowLabMain(module, exports) {' }, footer: { js: `}\n${shell.outputFiles[0].text}` } }, ...parts];
}

/** Every other bundle this project ships or runs; entries that do not exist yet are skipped. */
const bundles = [
  { entryPoints: ['src/analysis/nodeWorkerEntry.ts'], outfile: 'dist/analysisWorker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  { entryPoints: ['test/integration/index.ts', 'test/integration/*.test.ts'], outdir: 'dist/test/integration', platform: 'node', format: 'cjs', external: ['vscode'], logOverride: { 'require-resolve-not-external': 'silent' } },
].filter((b) => existsSync(b.entryPoints[0]));

/** The other bundles a .vsix ships: what `productionSizes` weighs besides the chains. */
const SHIPPED = ['dist/analysisWorker.js', 'dist/webview.js'];

/**
 * Each shipped file built as `--production` builds it (minified, no source map), in memory:
 * `sizes` { file: bytes } in load order (each chain's entry, then its parts), `heaviest` { file:
 * [folder, bytes][] } (what weighs most in each), and the modules found in more than one file of
 * a chain (`duplicated`, none unless the chain build is wrong). `npm run
 * bench` prints them.
 */
export async function productionSizes() {
  const sizes = {};
  const heaviest = {};
  const duplicated = [];
  const production = { ...common, sourcemap: false, minify: true, write: false, logLevel: 'silent' };
  for (const chain of chains) {
    const built = await buildChain(await withShell(chain.files, true), { ...production, ...chain.options }, REGISTRY);
    built.results.forEach((r, i) => {
      const file = chain.files[i].outfile;
      sizes[file] = r.outputFiles.filter((f) => f.path.endsWith('.js')).reduce((n, f) => n + f.contents.length, 0);
      heaviest[file] = heaviestFolders(r.metafile);
    });
    duplicated.push(...built.duplicated);
  }
  for (const b of bundles.filter((x) => SHIPPED.includes(x.outfile))) {
    const result = await esbuild.build({ ...production, ...b, metafile: true });
    sizes[b.outfile] = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
    heaviest[b.outfile] = heaviestFolders(result.metafile);
  }
  return { sizes, heaviest, duplicated };
}

/** What weighs what in a built file (esbuild's metafile): bytes by source folder or package, heaviest first. */
function heaviestFolders(metafile, count = 4) {
  const byFolder = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const parts = input.replace(/^.*:/, '').split('/');
      const folder = parts[0] === 'node_modules' ? parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/') : parts.slice(0, 2).join('/');
      byFolder[folder] = (byFolder[folder] ?? 0) + bytesInOutput;
    }
  }
  return Object.entries(byFolder).sort((a, b) => b[1] - a[1]).slice(0, count);
}

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // Imported (by a test of the guard): export only.
} else {
await run();
}

async function run() {
const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b })));
const buildChains = () => Promise.all(chains.map(async (c) => {
  const { duplicated } = await buildChain(await withShell(c.files, production), { ...common, ...c.options }, REGISTRY);
  if (duplicated.length > 0) throw new Error(`modules in more than one file of ${c.files[0].outfile}'s chain: ${duplicated.join(', ')}`);
}));
if (watch) {
  // The chains are built whole again on each change of a source (their passes depend on each other).
  await Promise.all([buildChains(), ...contexts.map((c) => c.watch())]);
  const { watch: watchFiles } = await import('node:fs');
  let timer;
  watchFiles('src', { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => buildChains().catch((e) => console.error(String(e))), 100);
  });
} else {
  await Promise.all([buildChains(), ...contexts.map((c) => c.rebuild())]);
  await Promise.all(contexts.map((c) => c.dispose()));
}

// The panel's button icons: @vscode/codicons' stylesheet and font, served from the extension
// (dist/codicons/, in the .vsix; the webview's CSP allows fonts only from its own resource origin).
mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
}
