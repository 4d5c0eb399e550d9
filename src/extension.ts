// Composition root: creates every part of the extension and registers its disposables.
// Each part lives in its own folder and exposes one register function.
import * as vscode from 'vscode';
import { registerLanguageFeatures } from './features';
import { registerMeasure } from './measure-vscode';
import { registerPanel } from './panel';
import { registerTutorial } from './tutorial-vscode';

export function activate(context: vscode.ExtensionContext): void {
  registerLanguageFeatures(context);
  registerPanel(context);
  registerTutorial(context);
  registerMeasure(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
