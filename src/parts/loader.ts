// Loads the lazily loaded parts of the extension (dist/parts/*.js, dist/web/*.js) the first
// time something needs them, each once, in the order the build chained them. A part is evaluated
// as VS Code's web worker extension host evaluates an extension's main file: its text wrapped in
// a function of (module, exports, require) — plus `__cowShared`, which hands it the modules the
// files before it already hold (scripts/parts.mjs). The same path in Node and in the browser,
// read through VS Code's file system, so it works wherever the extension's own files are.
import * as vscode from 'vscode';
import { provideModules, sharedModule } from './registry';
import { partLoaded } from './timing';

type PartExports = Record<string, unknown> & { readonly __cowModules?: Readonly<Record<string, object>> };

/** `require` of the entry bundle: Node's in the desktop build, the host's `vscode`-only one in the browser. */
type Require = (id: string) => unknown;

export class PartLoader {
  private readonly loading = new Map<string, Promise<PartExports>>();

  /**
   * `folder`: where the parts are (dist/parts or dist/web); `chain`: their names in build order
   * (a part may use the modules of every part before it, so those load first).
   */
  constructor(private readonly folder: vscode.Uri, private readonly chain: readonly string[], private readonly hostRequire: Require) {}

  /** The part's exports, loading it (and the parts before it) on first use. */
  load(name: string): Promise<PartExports> {
    let promise = this.loading.get(name);
    if (!promise) {
      const index = this.chain.indexOf(name);
      if (index < 0) throw new Error(`CoW Lab: no part named ${name}`);
      const before = index === 0 ? Promise.resolve(undefined) : this.load(this.chain[index - 1] ?? '');
      promise = before.then(() => this.evaluate(name));
      this.loading.set(name, promise);
    }
    return promise;
  }

  private async evaluate(name: string): Promise<PartExports> {
    const file = vscode.Uri.joinPath(this.folder, `${name}.js`);
    const reading = performance.now();
    const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    const module: { exports: PartExports } = { exports: {} };
    // The extension's own shipped file, evaluated as the extension host itself loads extensions.
    // __filename and __dirname as Node's module wrapper gives them: code in a part finds the
    // extension's own files from there (the kernel check and the benchmark find kernel/*.c).
    const run = new Function('module', 'exports', 'require', '__cowShared', '__filename', '__dirname', `${source}\n//# sourceURL=${file.toString(true)}`) as (m: unknown, e: unknown, r: Require, s: typeof sharedModule, f: string, d: string) => void;
    const evaluating = performance.now();
    run(module, module.exports, this.hostRequire, sharedModule, file.fsPath, this.folder.fsPath);
    partLoaded(name, evaluating - reading, performance.now() - evaluating);
    if (module.exports.__cowModules) provideModules(module.exports.__cowModules);
    return module.exports;
  }
}

/**
 * Commands whose handlers live in a part: each is registered now as a stand-in that loads the
 * part (`load` disposes the stand-ins, through the Disposable returned here, before it registers
 * the real handlers) and runs the command again, now the real one.
 */
export function standInCommands(ids: readonly string[], load: () => Promise<unknown>): vscode.Disposable {
  const stands = ids.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await load();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  return vscode.Disposable.from(...stands);
}
