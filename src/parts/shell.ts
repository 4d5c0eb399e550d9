// The outer shell of both entry bundles (dist/extension.js, dist/web/extension.js). VS Code times
// an extension's activation as loading its main file plus the synchronous activate() call, and
// the first `require('vscode')` of an extension is where the host builds that extension's API
// object — in the browser's web worker host that alone is most of what an empty extension's
// activation costs (`npm run bench:activation` measures such a control beside CoW Lab).
// scripts/build.mjs wraps the bundle (src/extension.ts or src/web/extension.ts with everything it
// imports) in a function, `__cowLabMain`, and appends this file; activate() schedules one task,
// which requires `vscode`, evaluates the bundle and calls its activate() — which schedules the
// stages (src/parts/stages.ts). The same work runs, one task after activate() returns, timed
// (src/parts/timing.ts). Nothing is imported here at run time: the bundle holds every module.
import type { ExtensionContext } from 'vscode';
import type { EntryTimes } from './timing';

/** What the wrapped bundle exports (src/extension.ts, src/web/extension.ts). */
interface Bundle {
  activate(context: ExtensionContext, entry: EntryTimes): Promise<void>;
  deactivate(): void;
}

/** The bundle, wrapped by scripts/build.mjs: evaluating it runs every module's top level. */
declare function __cowLabMain(module: { exports: object }, exports: object): void;

let bundle: Bundle | undefined;

export function activate(context: ExtensionContext): Promise<void> {
  const startedAt = performance.now();
  let activateCall = NaN;
  const evaluated = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
    const requiring = performance.now();
    require('vscode');
    const evaluating = performance.now();
    const module = { exports: {} };
    __cowLabMain(module, module.exports);
    bundle = module.exports as Bundle;
    return bundle.activate(context, { startedAt, activateCall, vscodeApi: evaluating - requiring, evaluation: performance.now() - evaluating });
  });
  activateCall = performance.now() - startedAt;
  return evaluated;
}

export function deactivate(): void {
  bundle?.deactivate();
}
