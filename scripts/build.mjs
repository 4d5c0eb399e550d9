// One esbuild script for every bundle. `--production` minifies and drops source maps (packaging).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'es2022' };

/** Every bundle this project ships or runs; entries that do not exist yet are skipped. */
const bundles = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  { entryPoints: ['test/integration/index.ts', 'test/integration/*.test.ts'], outdir: 'dist/test/integration', platform: 'node', format: 'cjs', external: ['vscode'], logOverride: { 'require-resolve-not-external': 'silent' } },
].filter((b) => existsSync(b.entryPoints[0]));

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
