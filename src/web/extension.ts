// Composition root of the browser build (`browser` in package.json): vscode.dev, github.dev,
// Codespaces in a browser, code-server's web worker extension host. Everything that is pure
// TypeScript works here — language features, the panel, the walkthrough, predict mode,
// exercises and the debugger. The kernel check needs a terminal, a C compiler and a Linux kernel
// under the extension host, so it is hidden (`cowLab.web` context key) and explains itself if
// reached anyway. scripts/build.mjs fails the build if a Node built-in gets into this bundle.
// activate() only schedules (src/parts/stages.ts): the registrations follow in the next tasks;
// the analysis (dist/web/analysis.js) loads on the first document analysed, the panel,
// walkthrough and debugger (dist/web/parts.js) on first use (src/parts/).
import * as vscode from 'vscode';
import { deferredEndpoint } from '../analysis/deferredEndpoint';
import type { WorkerEndpoint } from '../analysis/messages';
import type { AnalysisService } from '../analysis/service';
import { registerLanguageFeatures } from '../features';
import { createAnalysisService } from '../features/documents';
import { PART_COMMANDS, registerParts } from '../parts';
import { PartLoader } from '../parts/loader';
import { inStages, lazyLog, stageSlot } from '../parts/stages';
import { type EntryTimes, unmeasured } from '../parts/timing';
import { registerHostReport, registerNodeOnlyExplanations } from './nodeOnly';

/** Called by the entry's shell (src/parts/shell.ts) one task after VS Code called its activate(). */
export function activate(context: vscode.ExtensionContext, entry: EntryTimes = unmeasured()): Promise<void> {
  const calledAt = performance.now();
  const log = lazyLog(context);
  const loader = new PartLoader(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web'), ['analysis', 'parts'], require);
  const analyses = stageSlot<AnalysisService>('the analysis service');
  return inStages(context, entry, calledAt, [
    () => {
      void vscode.commands.executeCommand('setContext', 'cowLab.web', true);
      // The same analysis service as the desktop build, served on this (web worker) host's own
      // thread, one task per phase: a browser extension host has no worker_threads.
      const service = analyses.set(createAnalysisService(context, log, () => deferredEndpoint(async () => ((await loader.load('analysis')) as { inlineEndpoint: () => WorkerEndpoint }).inlineEndpoint())));
      registerLanguageFeatures(context, service);
    },
    () => {
      registerParts(context, analyses.get(), loader, 'parts', PART_COMMANDS);
      registerNodeOnlyExplanations(context);
      registerHostReport(context);
    },
  ]);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
