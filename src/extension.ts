// Composition root of the desktop/remote build (`main`; src/web/extension.ts is the browser's).
// activate() only schedules (src/parts/stages.ts): in the next tasks it registers the language
// features (answered by the analysis worker, which starts on the first analysis), then stand-ins
// for everything else, the panel's serializer, the CodeLens and the debugger; the open scenarios'
// first check and `cow-lab` on the terminals' PATH follow. The rest (the panel, the walkthrough,
// the debugger, the engine: dist/parts/*.js) loads the first time it is used (src/parts/).
import * as vscode from 'vscode';
import type { WorkerEndpoint } from './analysis/messages';
import { nodeWorkers } from './analysis/nodeWorker';
import { deferredEndpoint } from './analysis/deferredEndpoint';
import { registerLanguageFeatures } from './features';
import { createAnalysisService } from './features/documents';
import { NODE_PART_COMMANDS, PART_COMMANDS, registerParts } from './parts';
import { PartLoader } from './parts/loader';
import { inStages, lazyLog, stageSlot } from './parts/stages';
import { type EntryTimes, unmeasured } from './parts/timing';
import { putCliOnTerminalPath } from './tutorial-vscode/cli';
import type { AnalysisService } from './analysis/service';

/** Called by the entry's shell (src/parts/shell.ts) one task after VS Code called its activate(). */
export function activate(context: vscode.ExtensionContext, entry: EntryTimes = unmeasured()): Promise<void> {
  const calledAt = performance.now();
  const log = lazyLog(context);
  const loader = new PartLoader(vscode.Uri.joinPath(context.extensionUri, 'dist', 'parts'), ['analysis', 'desktop'], require);
  const analyses = stageSlot<AnalysisService>('the analysis service');
  return inStages(context, entry, calledAt, [
    () => {
      // One analysis per document version, in a worker, for every feature (and the debugger); on
      // this thread (the analysis part) only if no worker thread can start.
      const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysisWorker.js').fsPath;
      const onThread = (): WorkerEndpoint => deferredEndpoint(async () => ((await loader.load('analysis')) as { inlineEndpoint: () => WorkerEndpoint }).inlineEndpoint());
      const service = analyses.set(createAnalysisService(context, log, nodeWorkers(script, (m) => log.warn(m), onThread)));
      registerLanguageFeatures(context, service);
    },
    () => registerParts(context, analyses.get(), loader, 'desktop', [...PART_COMMANDS, ...NODE_PART_COMMANDS]),
    () => {
      // The terminals' PATH and the launcher: no editor waits for them, and a terminal opened
      // meanwhile is offered a relaunch by VS Code once the PATH changes.
      const launcher = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => putCliOnTerminalPath(context)).catch((e: unknown) => {
        log.warn(`cow-lab could not be put on the terminals' PATH: ${String(e)}`);
        return undefined;
      });
      // Internal (not contributed): resolves with the launcher's path once it is written (tests).
      context.subscriptions.push(vscode.commands.registerCommand('_cowLab.cliLauncher', async () => (await launcher)?.fsPath));
    },
  ]);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
