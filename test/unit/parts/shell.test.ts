// The entry's shell (src/parts/shell.ts, wrapped around the entry bundle by scripts/build.mjs):
// what VS Code times — loading the file and the activate() call — must neither require `vscode`
// nor evaluate a module of the bundle; one task later the bundle is evaluated and its activate()
// is called with the shell's times, and its promise is what VS Code waits for.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../static/paths';

interface Build {
  withShell(files: { entryPoints: string[]; outfile: string }[], minify: boolean): Promise<{ entryPoints: string[]; outfile: string }[]>;
}
interface Chain {
  buildChain(files: { entryPoints: string[]; outfile: string }[], options: object, register?: string): Promise<{ results: { outputFiles: { path: string; text: string }[] }[] }>;
}
interface Shell {
  activate(context: object): Promise<void>;
  deactivate(): void;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('the entry bundles’ shell', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
    dir = mkdtempSync(join(repoRoot, 'test-artifacts', 'shell-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const minify of [false, true]) {
    it(`defers requiring vscode and evaluating the bundle to the next task${minify ? ' (minified)' : ''}`, async () => {
      // A bundle that logs its evaluation (a module's top level), its activate() and deactivate().
      writeFileSync(join(dir, 'logged.ts'), "import * as vscode from 'vscode'; const log = (globalThis as unknown as { shellLog: unknown[] }).shellLog; log.push(['evaluated', typeof vscode.version]); export { log };");
      writeFileSync(join(dir, 'entry.ts'), "import { log } from './logged'; export function activate(context: unknown, entry: unknown): Promise<void> { log.push(['activate', context, entry]); return new Promise<void>((r) => { (globalThis as unknown as { shellRelease: () => void }).shellRelease = r; }).then(() => { log.push(['settled']); }); } export function deactivate(): void { log.push(['deactivate']); }");
      const { withShell } = (await import(join(repoRoot, 'scripts', 'build.mjs'))) as Build;
      const { buildChain } = (await import(join(repoRoot, 'scripts', 'parts.mjs'))) as Chain;
      const cwd = process.cwd();
      process.chdir(repoRoot);
      let text = '';
      try {
        const files = await withShell([{ entryPoints: [relative(repoRoot, join(dir, 'entry.ts'))], outfile: relative(repoRoot, join(dir, 'out', 'entry.js')) }], minify);
        const built = await buildChain(files, { bundle: true, write: false, minify, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'silent' });
        text = built.results[0]?.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
      } finally {
        process.chdir(cwd);
      }
      const log: unknown[][] = [];
      const global = globalThis as unknown as { shellLog?: unknown[][]; shellRelease?: () => void };
      global.shellLog = log;
      try {
        const required: string[] = [];
        const fakeRequire = (id: string): unknown => {
          required.push(id);
          log.push(['require', id]);
          return { version: '1.0.0' };
        };
        // As VS Code's web worker host loads an extension's main file: (module, exports, require).
        const module: { exports: Partial<Shell> } = { exports: {} };
        new Function('module', 'exports', 'require', text)(module, module.exports, fakeRequire);
        const shell = module.exports as Shell;
        const context = { name: 'the context' };
        let settled = false;
        const activation = shell.activate(context).then(() => (settled = true));
        assert.deepEqual(log, [], 'loading the file and calling activate() ran nothing of the bundle');
        await tick();
        await tick();
        // What happened, each kind once, in the order it first happened (the bundle requires vscode again).
        const order = (): unknown[] => log.map((e) => e[0]).filter((kind, i, all) => all.indexOf(kind) === i);
        assert.deepEqual(order(), ['require', 'evaluated', 'activate'], 'the next task requires vscode, evaluates the bundle, calls its activate()');
        assert.deepEqual(log.find((e) => e[0] === 'evaluated'), ['evaluated', 'string'], 'the bundle sees the vscode module');
        const called: unknown[] = log.find((e) => e[0] === 'activate') ?? [];
        assert.equal(called[1], context, 'the bundle gets VS Code’s context');
        const times = called[2] as Record<string, number>;
        assert.deepEqual(Object.keys(times).sort(), ['activateCall', 'evaluation', 'startedAt', 'vscodeApi']);
        for (const [key, value] of Object.entries(times)) assert.ok(Number.isFinite(value) && value >= 0, `${key} = ${value}`);
        await tick();
        assert.equal(settled, false, 'activate()’s promise waits for the bundle’s');
        global.shellRelease?.();
        await activation;
        assert.deepEqual(order(), ['require', 'evaluated', 'activate', 'settled']);
        shell.deactivate();
        assert.deepEqual(log.at(-1), ['deactivate']);
        assert.ok(required.length > 0 && required.every((id) => id === 'vscode'), `required: ${required.join(', ')}`);
      } finally {
        delete global.shellLog;
        delete global.shellRelease;
      }
    });
  }
});
