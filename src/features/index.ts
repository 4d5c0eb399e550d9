// Language features for .cow files (diagnostics, completion, hover, navigation, formatting).
import * as vscode from 'vscode';

export function registerLanguageFeatures(context: vscode.ExtensionContext): void {
  void context;
}
