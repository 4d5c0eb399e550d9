// Composition root: creates every part of the extension and registers its disposables.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
