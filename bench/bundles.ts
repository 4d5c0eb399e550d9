// The extension's shipped files, minified as packaging builds them (scripts/build.mjs
// `productionSizes`, built in memory): each entry bundle and each part it loads lazily
// (src/parts/), against the targets — the extension bundle < 150 KB, the browser bundle
// < 200 KB, the webview < 200 KB. A part's figure is what it adds: every module lives in one file
// of its chain (scripts/parts.mjs), and the duplicate count below says so.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { row } from './measure';

/** What each file is and when it loads, and its target where the issue sets one. */
const FILES: Record<string, { readonly what: string; readonly targetKb?: number }> = {
  'dist/extension.js': { what: 'desktop entry (loaded at activation, evaluated the task after)', targetKb: 150 },
  'dist/parts/analysis.js': { what: ' + part: engine and language (first panel/debug use, or no worker thread)' },
  'dist/parts/desktop.js': { what: ' + part: panel, walkthrough, debugger, measure (first use)' },
  'dist/web/extension.js': { what: 'browser entry (loaded at activation, evaluated the task after)', targetKb: 200 },
  'dist/web/analysis.js': { what: ' + part: engine and language (first document analysed)' },
  'dist/web/parts.js': { what: ' + part: panel, walkthrough, debugger (first use)' },
  'dist/analysisWorker.js': { what: 'analysis worker thread (desktop, at activation, own thread)' },
  'dist/webview.js': { what: 'panel webview (when the panel opens)', targetKb: 200 },
};

interface BuildScript {
  productionSizes(): Promise<{ sizes: Record<string, number>; heaviest: Record<string, [string, number][]>; duplicated: string[] }>;
}

export async function benchBundles(): Promise<void> {
  console.log('\nShipped bundles, minified (as packaged)');
  // dist/bench.js runs from dist/: the build script is one folder up. Loaded at run time (it
  // needs esbuild, which the benchmark bundle does not carry).
  const script = pathToFileURL(join(__dirname, '..', 'scripts', 'build.mjs')).href;
  const build = (await import(script)) as BuildScript;
  const { sizes, heaviest, duplicated } = await build.productionSizes();
  for (const [file, bytes] of Object.entries(sizes)) {
    const kb = bytes / 1000;
    const info = FILES[file];
    const target = info?.targetKb === undefined ? '' : ` (target < ${info.targetKb} KB: ${kb < info.targetKb ? 'met' : `${(kb / info.targetKb).toFixed(1)}× over`})`;
    row(`${file} — ${info?.what ?? 'unlisted'}`, `${kb.toFixed(1)} KB${target}`);
    row('', `heaviest: ${(heaviest[file] ?? []).map(([folder, b]) => `${folder} ${(b / 1000).toFixed(1)}`).join(', ')}`);
  }
  row('modules in more than one file of a chain', duplicated.length === 0 ? '0' : duplicated.join(', '));
}
