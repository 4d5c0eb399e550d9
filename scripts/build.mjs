// One esbuild script for every bundle. `--production` minifies and drops source maps (packaging).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

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

/** Every bundle this project ships or runs; entries that do not exist yet are skipped. */
const bundles = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { entryPoints: ['src/analysis/nodeWorkerEntry.ts'], outfile: 'dist/analysisWorker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  // The web extension: one file (a web worker extension host cannot load more from a vscode-remote: URI).
  { entryPoints: ['src/web/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'], mainFields: ['browser', 'module', 'main'], plugins: [noNodeInBrowser] },
  { entryPoints: ['test/integration/index.ts', 'test/integration/*.test.ts'], outdir: 'dist/test/integration', platform: 'node', format: 'cjs', external: ['vscode'], logOverride: { 'require-resolve-not-external': 'silent' } },
].filter((b) => existsSync(b.entryPoints[0]));

/** The bundles a .vsix ships: what `productionSizes` weighs. */
const SHIPPED = ['dist/extension.js', 'dist/web/extension.js', 'dist/analysisWorker.js', 'dist/webview.js'];

/**
 * Each shipped bundle built as `--production` builds it (minified, no source map), in memory:
 * its size in bytes, by output file. `npm run bench` prints them.
 */
export async function productionSizes() {
  const sizes = {};
  for (const b of bundles.filter((x) => SHIPPED.includes(x.outfile))) {
    const result = await esbuild.build({ ...common, ...b, sourcemap: false, minify: true, write: false, logLevel: 'silent' });
    sizes[b.outfile] = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
  }
  return sizes;
}

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // Imported (by a test of the guard): export only.
} else {
await run();
}

async function run() {
const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

// The panel's button icons: @vscode/codicons' stylesheet and font, served from the extension
// (dist/codicons/, in the .vsix; the webview's CSP allows fonts only from its own resource origin).
mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
}
