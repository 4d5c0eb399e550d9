// The lazily loaded parts (scripts/parts.mjs, src/parts/): a part takes the modules an earlier
// file of its chain holds — the same module objects, not copies — and the entry's stand-in
// command lists name exactly the commands the parts register.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NODE_PART_COMMANDS, PART_COMMANDS } from '../../../src/parts/commands';
import { repoRoot } from '../static/paths';

interface Chain {
  buildChain(files: { entryPoints: string[]; outfile: string }[], options: object, register?: string): Promise<{ results: { outputFiles: { path: string; text: string }[] }[]; duplicated: string[] }>;
}

/** Evaluates a built file as src/parts/loader.ts does; `shared` is the registry of the files before it. */
function evaluate(text: string, shared: Map<string, object>): Record<string, unknown> {
  const module: { exports: Record<string, unknown> } = { exports: {} };
  const lookup = (id: string): object => {
    const found = shared.get(id);
    if (!found) throw new Error(`not loaded: ${id}`);
    return found;
  };
  // The loader's own wrapper: (module, exports, require, __cowShared).
  new Function('module', 'exports', 'require', '__cowShared', text)(module, module.exports, require, lookup);
  for (const [id, m] of Object.entries((module.exports.__cowModules ?? {}) as Record<string, object>)) shared.set(id, m);
  return module.exports;
}

describe('lazily loaded parts: the chain build', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    // Inside the repository (the build resolves packages from its node_modules); a fresh clone
    // has no test-artifacts/ yet.
    mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
    dir = mkdtempSync(join(repoRoot, 'test-artifacts', 'chain-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives a part the entry’s module itself (one state), and bundles it once', async () => {
    const rel = (f: string) => relative(repoRoot, join(dir, f));
    writeFileSync(join(dir, 'counter.ts'), "export let count = 0; export function bump(): number { count += 1; return count; } export const MARK = 'counter-module-marker';");
    writeFileSync(join(dir, 'entry.ts'), "import { bump, MARK } from './counter'; export function entryBump(): number { return bump(); } export const mark = MARK;");
    writeFileSync(join(dir, 'part.ts'), "import { bump } from './counter'; export function partBump(): number { return bump(); }");
    const { buildChain } = (await import(join(repoRoot, 'scripts', 'parts.mjs'))) as Chain;
    const cwd = process.cwd();
    process.chdir(repoRoot);
    try {
      const built = await buildChain([{ entryPoints: [rel('entry.ts')], outfile: rel('out/entry.js') }, { entryPoints: [rel('part.ts')], outfile: rel('out/part.js') }], { bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'silent' });
      assert.deepEqual(built.duplicated, []);
      const [entryText = '', partText = ''] = built.results.map((r) => r.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '');
      assert.ok(entryText.includes('counter-module-marker'), 'the entry holds the module');
      assert.ok(!partText.includes('counter-module-marker'), 'the part does not bundle it again');
      const shared = new Map<string, object>();
      const entry = evaluate(entryText, shared);
      assert.throws(() => evaluate(partText, new Map()), /not loaded/, 'a part cannot run without the files before it');
      const part = evaluate(partText, shared);
      // One module, one counter: 1 from the entry, 2 from the part, 3 from the entry again.
      assert.deepEqual([(entry.entryBump as () => number)(), (part.partBump as () => number)(), (entry.entryBump as () => number)()], [1, 2, 3]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('lazily loaded parts: what the entry bundles hold', function () {
  this.timeout(60_000);
  for (const entry of ['src/extension.ts', 'src/web/extension.ts']) {
    it(`${entry} leaves the engine's machinery, the parser, the panel and the debugger to the parts`, async () => {
      const esbuild = await import('esbuild');
      const built = await esbuild.build({ entryPoints: [join(repoRoot, entry)], bundle: true, write: false, metafile: true, platform: entry.includes('web') ? 'browser' : 'node', format: 'cjs', external: ['vscode', 'events', 'url'], logLevel: 'silent', absWorkingDir: repoRoot });
      const inputs = Object.keys(built.metafile.inputs);
      // An import that pulls one of these in (a barrel, a formatter reaching into the engine) puts the whole engine back into activation.
      for (const heavy of ['src/engine/tx.ts', 'src/engine/machine.ts', 'src/engine/pvec.ts', 'src/language/parser.ts', 'src/language/checker.ts', 'src/panel/controller.ts', 'src/debug/adapter.ts', 'node_modules/@vscode/debugadapter/']) {
        assert.ok(!inputs.some((i) => i.startsWith(heavy)), `${heavy} is in the entry bundle`);
      }
    });
  }
});

/** `registerCommand(X` first arguments in a source file, resolved to their string values. */
function registeredIn(file: string, sources: Map<string, string>): string[] {
  const text = sources.get(file) ?? '';
  const all = [...sources.values()].join('\n');
  return [...text.matchAll(/registerCommand\(\s*([\w.]+|'[^']+')/g)].map(([, arg = '']) => {
    if (arg.startsWith("'")) return arg.slice(1, -1);
    const [owner = '', key] = arg.split('.');
    const value = key
      ? new RegExp(`const ${owner} = \\{[^}]*\\b${key}: '([^']+)'`, 's').exec(all)?.[1]
      : new RegExp(`const ${owner} = '([^']+)'`).exec(all)?.[1];
    assert.ok(value, `${file}: cannot resolve the command id ${arg}`);
    return value;
  });
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('lazily loaded parts: the stand-in commands', () => {
  const sources = new Map(sourceFiles(join(repoRoot, 'src')).map((f) => [relative(repoRoot, f), readFileSync(f, 'utf8')]));
  /** Files the entry bundles hold (they register their commands at activation, no stand-in). */
  const inEntry = (file: string): boolean => file === 'src/extension.ts' || file.startsWith('src/web/') || file === 'src/debug/index.ts' || file === 'src/parts/stages.ts';
  const byPart = new Map<string, string>();
  // src/parts/loader.ts registers the stand-ins themselves (whatever ids it is given).
  sources.delete('src/parts/loader.ts');
  for (const file of sources.keys()) for (const id of registeredIn(file, sources)) if (!inEntry(file)) byPart.set(id, file);
  const entryIds = new Set([...sources.keys()].filter(inEntry).flatMap((f) => registeredIn(f, sources)));

  it('has a stand-in for every command a part registers, and none for another', () => {
    const nodeOnly = new Set([...byPart].filter(([, f]) => f.startsWith('src/measure-vscode/') || f === 'src/tutorial-vscode/kernel.ts').map(([id]) => id));
    assert.deepEqual([...nodeOnly].sort(), [...NODE_PART_COMMANDS].sort());
    assert.deepEqual([...byPart.keys()].filter((id) => !nodeOnly.has(id)).sort(), [...PART_COMMANDS].sort());
  });

  it('registers every command package.json contributes, in the entry or a part', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    for (const { command } of manifest.contributes.commands) assert.ok(byPart.has(command) || entryIds.has(command), `${command} is registered nowhere`);
  });
});
