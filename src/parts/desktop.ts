// The desktop build's lazily loaded part (dist/parts/desktop.js): the panel, the walkthrough and
// exercises, measuring the machine, the debugger's sessions — and with them the engine. Loaded by
// src/parts/index.ts the first time one of them is used.
import type * as vscode from 'vscode';
import { hostRunner } from '../analysis/hostRunner';
import type { AnalysisService } from '../analysis/service';
import { debugAdapter, registerDebugSessions } from '../debug/session';
import { registerMeasure } from '../measure-vscode';
import { registerPanel, stepPanelOf, watchedPanelOf } from '../panel';
import { registerTutorial } from '../tutorial-vscode';
import { nodeTutorial } from '../tutorial-vscode/node';
import { DONE, markDone } from '../tutorial-vscode/walkthrough';
import type { LoadedParts } from './index';

export function registerParts(context: vscode.ExtensionContext, analyses: AnalysisService): LoadedParts {
  analyses.useHostRunner(hostRunner);
  const panel = registerPanel(context, analyses);
  registerTutorial(context, watchedPanelOf(panel), nodeTutorial);
  registerMeasure(context, () => void markDone(DONE.measured));
  registerDebugSessions(context, stepPanelOf(panel));
  return { revivePanel: (webview, state) => panel.revive(webview, state), debugAdapter };
}
