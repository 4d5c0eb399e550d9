// Composition root of the browser build (`browser` in package.json): vscode.dev, github.dev,
// Codespaces in a browser, code-server's web worker extension host. Everything that is pure
// TypeScript works here — language features, the panel, the walkthrough, predict mode,
// exercises and the debugger. The kernel check needs a terminal, a C compiler and a Linux kernel
// under the extension host, so it is hidden (`cowLab.web` context key) and explains itself if
// reached anyway. scripts/build.mjs fails the build if a Node built-in gets into this bundle.
import * as vscode from 'vscode';
import { registerDebugger } from '../debug';
import { inlineEndpoint } from '../analysis/inline';
import { registerLanguageFeatures } from '../features';
import { createAnalysisService } from '../features/documents';
import { registerPanel, stepPanelOf, watchedPanelOf } from '../panel';
import { registerTutorial } from '../tutorial-vscode';
import { registerHostReport, registerNodeOnlyExplanations } from './nodeOnly';

export function activate(context: vscode.ExtensionContext): void {
  void vscode.commands.executeCommand('setContext', 'cowLab.web', true);
  const log = vscode.window.createOutputChannel('CoW Lab', { log: true });
  context.subscriptions.push(log);
  // The same analysis service as the desktop build, served on this (web worker) host's own
  // thread, one task per phase: a browser extension host has no worker_threads.
  const analyses = createAnalysisService(context, log, inlineEndpoint);
  registerLanguageFeatures(context, analyses);
  const panel = registerPanel(context, analyses);
  registerTutorial(context, watchedPanelOf(panel));
  registerNodeOnlyExplanations(context);
  registerDebugger(context, stepPanelOf(panel));
  registerHostReport(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
