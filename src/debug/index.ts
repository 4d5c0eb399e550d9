// VS Code glue for the `cow` debugger: F5 on a .cow file without a launch.json, and the inline
// adapter (no separate process, so it runs in the browser too), created by `adapter` — which
// lives in a lazily loaded part with the engine (src/debug/session.ts), so this file is small.
import * as vscode from 'vscode';
import { programOf } from './program';

export const DEBUG_TYPE = 'cow';

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** F5 with no launch.json (an empty configuration): debug the active scenario. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.languageId !== 'cow') {
        void vscode.window.showInformationMessage('CoW Lab: open a .cow scenario, then press F5 to debug it.');
        return undefined;
      }
      return { type: DEBUG_TYPE, request: 'launch', name: 'Debug scenario', program: programOf(editor.document.uri), stopOnEntry: false };
    }
    if (typeof config.program !== 'string' || config.program === '' || config.program === '${file}') {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.languageId === 'cow') config.program = programOf(editor.document.uri);
    }
    if (typeof config.program !== 'string' || config.program === '') {
      void vscode.window.showErrorMessage('CoW Lab: set "program" to the .cow scenario to debug, or open one and press F5.');
      return undefined;
    }
    return config;
  }

  /** The configuration offered when a launch.json is created. */
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug scenario', program: '${file}', stopOnEntry: true }];
  }
}

export function registerDebugger(context: vscode.ExtensionContext, adapter: () => Promise<vscode.DebugAdapterDescriptor>): void {
  const provider = new ConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, { provideDebugConfigurations: () => provider.provideDebugConfigurations() }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => adapter(),
    }),
    vscode.commands.registerCommand('cowLab.debug', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return false;
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), { type: DEBUG_TYPE, request: 'launch', name: 'Debug scenario', program: programOf(uri), stopOnEntry: true });
    }),
  );
}
