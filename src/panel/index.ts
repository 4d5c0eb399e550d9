// The CoW Lab panel: runs the active scenario and shows its page tables step by step.
// One register function for the composition root (src/extension.ts).
import * as vscode from 'vscode';
import { registerPanelCommands, registerPanelSerializer, RunCodeLensProvider } from './commands';
import { PanelController } from './controller';
import { PanelTestSurface } from './inspection';
import { onScanFallback } from './tables';

export function registerPanel(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('CoW Lab Panel', { log: true });
  onScanFallback((message) => log.warn(`panel: ${message}`));
  const controller = new PanelController(context.extensionUri, log);
  context.subscriptions.push(
    log,
    controller,
    new PanelTestSurface(controller),
    ...registerPanelCommands(controller),
    registerPanelSerializer(controller),
    vscode.languages.registerCodeLensProvider({ language: 'cow' }, new RunCodeLensProvider()),
  );
}
