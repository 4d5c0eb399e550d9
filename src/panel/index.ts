// The CoW Lab panel: runs the active scenario and shows its page tables step by step.
import * as vscode from 'vscode';

export function registerPanel(context: vscode.ExtensionContext): void {
  void context;
}
