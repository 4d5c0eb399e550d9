// VS Code glue for the `cow` debugger: F5 on a .cow file without a launch.json, the inline
// adapter (no separate process, so it runs in the browser too), and the link to the panel.
import * as vscode from 'vscode';
import { CowDebugSession } from './adapter';
import { linkPanel, programUri, type StepPanel } from './panelLink';

export const DEBUG_TYPE = 'cow';
export type { StepPanel } from './panelLink';

/** The scenario's text: the open editor's (unsaved edits included), else the file's. */
async function readScenario(program: string): Promise<string> {
  const uri = programUri(program);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** A file path for local files, the URI itself anywhere else (virtual workspaces, the browser). */
export function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

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

export function registerDebugger(context: vscode.ExtensionContext, panel?: StepPanel): void {
  const provider = new ConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, { provideDebugConfigurations: () => provider.provideDebugConfigurations() }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new CowDebugSession(readScenario)),
    }),
    vscode.commands.registerCommand('cowLab.debug', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return false;
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), { type: DEBUG_TYPE, request: 'launch', name: 'Debug scenario', program: programOf(uri), stopOnEntry: true });
    }),
  );
  if (panel) context.subscriptions.push(linkPanel(panel));
}
