// The CoW Lab panel: runs the active scenario and shows its page tables step by step.
// One register function for the composition root (src/extension.ts).
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { registerPanelCommands } from './commands';
import { PanelController } from './controller';
import { PanelTestSurface } from './inspection';
export type { PanelController } from './controller';
import { onScanFallback } from './tables';

/** Returns the controller, whose onDidChange/inspect the tutorial watches for its steps' ticks. */
export function registerPanel(context: vscode.ExtensionContext, analyses: AnalysisService): PanelController {
  const log = vscode.window.createOutputChannel('CoW Lab Panel', { log: true });
  onScanFallback((message) => log.warn(`panel: ${message}`));
  const controller = new PanelController(context.extensionUri, log, analyses);
  context.subscriptions.push(
    log,
    controller,
    new PanelTestSurface(controller, analyses.stats),
    ...registerPanelCommands(controller),
  );
  // The "Run Scenario" CodeLens and the serializer that revives the panel after a reload are
  // registered by the entry bundle (src/parts/index.ts): this file loads with the parts, later.
  return controller;
}

/** The panel as the debugger sees it (src/debug/panelLink.ts). */
export function stepPanelOf(controller: PanelController): { show(uri: vscode.Uri, position: number): Promise<void>; current(): { document: string; position: number; stepCount: number } | null; onDidChange: vscode.Event<void> } {
  return {
    show: (uri, position) => controller.showStep(uri, position),
    current: () => {
      const document = controller.scenario.document;
      return controller.isOpen && document ? { document: document.toString(), position: controller.position, stepCount: controller.scenario.model?.stepCount ?? 0 } : null;
    },
    onDidChange: controller.onDidChange,
  };
}

/** The panel as the walkthrough watches it for its steps' ticks (src/tutorial-vscode/walkthrough.ts). */
export function watchedPanelOf(controller: PanelController): { onDidChange: vscode.Event<void>; inspect(): { open: boolean; document: string | null; position: number; stepCount: number; compare: boolean } } {
  return {
    onDidChange: controller.onDidChange,
    inspect: () => ({
      open: controller.isOpen,
      document: controller.scenario.document?.toString() ?? null,
      position: controller.position,
      stepCount: controller.scenario.model?.stepCount ?? 0,
      compare: controller.compare,
    }),
  };
}
