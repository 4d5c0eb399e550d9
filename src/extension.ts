// Composition root of the desktop/remote build (`main`; src/web/extension.ts is the browser's): creates every part of the extension and registers its disposables.
// Each part lives in its own folder and exposes one register function.
import * as vscode from 'vscode';
import { registerDebugger } from './debug';
import { registerLanguageFeatures } from './features';
import { nodeWorkers } from './analysis/nodeWorker';
import { createAnalysisService } from './features/documents';
import { registerMeasure } from './measure-vscode';
import { registerPanel, stepPanelOf, watchedPanelOf } from './panel';
import { registerTutorial } from './tutorial-vscode';
import { nodeTutorial } from './tutorial-vscode/node';
import { DONE, markDone } from './tutorial-vscode/walkthrough';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('CoW Lab', { log: true });
  context.subscriptions.push(log);
  // One analysis per document version, in a worker, for every feature (and the debugger).
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysisWorker.js').fsPath;
  const analyses = createAnalysisService(context, log, nodeWorkers(script, (m) => log.warn(m)));
  registerLanguageFeatures(context, analyses);
  const panel = registerPanel(context, analyses);
  registerTutorial(context, watchedPanelOf(panel), nodeTutorial);
  registerMeasure(context, () => void markDone(DONE.measured));
  registerDebugger(context, stepPanelOf(panel));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
