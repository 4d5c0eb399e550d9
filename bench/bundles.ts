// The extension's shipped bundles, minified as packaging builds them (scripts/build.mjs
// `productionSizes`, built in memory), against the target of 150 KB for the extension bundles.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { row } from './measure';

const TARGET_KB = 150;

/** Bundles the target is about: the extension host's code (desktop and browser builds). */
const EXTENSION_BUNDLES = new Set(['dist/extension.js', 'dist/web/extension.js']);

interface BuildScript {
  productionSizes(): Promise<Record<string, number>>;
}

export async function benchBundles(): Promise<void> {
  console.log('\nShipped bundles, minified (as packaged)');
  // dist/bench.js runs from dist/: the build script is one folder up. Loaded at run time (it
  // needs esbuild, which the benchmark bundle does not carry).
  const script = pathToFileURL(join(__dirname, '..', 'scripts', 'build.mjs')).href;
  const build = (await import(script)) as BuildScript;
  const sizes = await build.productionSizes();
  for (const [file, bytes] of Object.entries(sizes)) {
    const kb = bytes / 1000;
    const target = EXTENSION_BUNDLES.has(file) ? ` (target < ${TARGET_KB} KB: ${kb < TARGET_KB ? 'met' : `${(kb / TARGET_KB).toFixed(1)}× over`})` : '';
    row(file, `${kb.toFixed(1)} KB${target}`);
  }
}
