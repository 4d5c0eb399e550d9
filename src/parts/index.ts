// The entry bundle's side of the lazily loaded parts: what must exist from activation on (stand-in
// commands, the panel's serializer, the Run CodeLens, the debug configurations) and the loading
// of the part that does the work — the panel, the walkthrough, the debugger, the engine — the
// first time any of them is used. src/extension.ts and src/web/extension.ts call registerParts.
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { registerDebugger } from '../debug';
import { registerPanelSerializer, RunCodeLensProvider } from '../panel/commands';
import { type PartLoader, standInCommands } from './loader';
export { NODE_PART_COMMANDS, PART_COMMANDS } from './commands';

/** What a parts file (src/parts/desktop.ts, src/parts/web.ts) exports. */
export interface PartsModule {
  registerParts(context: vscode.ExtensionContext, analyses: AnalysisService): LoadedParts;
}

/** What the loaded part offers the entry's stand-ins. */
export interface LoadedParts {
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void>;
  debugAdapter(): vscode.DebugAdapterDescriptor;
}

/**
 * Registers the stand-ins; the part `name` loads on the first command, panel revival or debug
 * session that needs it, and then registers the real handlers.
 */
export function registerParts(context: vscode.ExtensionContext, analyses: AnalysisService, loader: PartLoader, name: string, commands: readonly string[]): void {
  let loaded: Promise<LoadedParts> | undefined;
  let standIns: vscode.Disposable | undefined;
  const load = (): Promise<LoadedParts> =>
    (loaded ??= loader.load(name).then((exports) => {
      const parts = exports as Partial<PartsModule>;
      if (typeof parts.registerParts !== 'function') throw new Error(`CoW Lab: the part ${name} has no registerParts`);
      standIns?.dispose();
      return parts.registerParts(context, analyses);
    }));
  standIns = standInCommands(commands, load);
  context.subscriptions.push(
    standIns,
    registerPanelSerializer(async (panel, state) => (await load()).revivePanel(panel, state)),
    vscode.languages.registerCodeLensProvider({ language: 'cow' }, new RunCodeLensProvider()),
  );
  registerDebugger(context, async () => (await load()).debugAdapter());
}
