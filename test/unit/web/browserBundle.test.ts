// The browser bundle's guard (scripts/build.mjs): a Node built-in anywhere in what
// src/web/extension.ts imports fails the build; the two deliberate substitutes are used.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(__dirname, '..', '..', '..');

interface Guard {
  readonly noNodeInBrowser: esbuild.Plugin;
}

async function guard(): Promise<esbuild.Plugin> {
  const mod = (await import(join(root, 'scripts', 'build.mjs'))) as Guard;
  return mod.noNodeInBrowser;
}

async function bundle(entry: string): Promise<esbuild.BuildResult<{ metafile: true; write: false }>> {
  return esbuild.build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'browser', format: 'cjs', external: ['vscode'], mainFields: ['browser', 'module', 'main'], plugins: [await guard()], logLevel: 'silent', absWorkingDir: root });
}

describe('browser bundle guard', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'cow-web-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, source] of [
    ['node:fs', "import { readFileSync } from 'node:fs'; console.log(readFileSync);"],
    ['path', "import * as path from 'path'; console.log(path.join('a'));"],
    ['child_process', "const cp = require('child_process'); console.log(cp);"],
    ['fs/promises', "import { readFile } from 'fs/promises'; console.log(readFile);"],
  ] as const) {
    it(`fails the build on ${name}, naming the importer`, async () => {
      const entry = join(dir, `uses-${name.replace(/\W/g, '_')}.ts`);
      writeFileSync(entry, source);
      await assert.rejects(bundle(entry), (e: Error) => {
        assert.match(e.message, new RegExp(`Node built-in '${name}' in the browser bundle \\(imported by .*uses-`));
        return true;
      });
    });
  }

  it('builds the real browser entry and its parts with no Node built-in in their inputs', async () => {
    const inputs = (await Promise.all(['src/web/extension.ts', 'src/analysis/inline.ts', 'src/parts/web.ts'].map((f) => bundle(join(root, f))))).map((r) => Object.keys(r.metafile.inputs));
    const [entry = [], , parts = []] = inputs;
    assert.ok(!entry.some((i) => i.includes('src/debug/adapter.ts')), 'the debugger loads with the parts, not at activation');
    assert.ok(parts.some((i) => i.includes('src/debug/adapter.ts')), 'the debugger is in the browser parts');
    assert.ok(parts.some((i) => i.includes('node_modules/events/events.js')), 'events comes from the npm package');
    assert.ok(parts.some((i) => i.includes('src/web/shims/url.ts')), 'url is the browser global');
    for (const files of inputs) assert.ok(!files.some((i) => i.includes('src/verify/') || i.includes('src/cli/')), 'no kernel driver, no CLI');
  });
});
