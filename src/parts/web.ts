// The browser build's lazily loaded part (dist/web/parts.js): the panel, the walkthrough and
// exercises, the debugger's sessions — and with them the engine. Loaded by src/parts/index.ts the
// first time one of them is used.
import type * as vscode from 'vscode';
import { hostRunner } from '../analysis/hostRunner';
import type { AnalysisService } from '../analysis/service';
import { debugAdapter, registerDebugSessions } from '../debug/session';
import { registerPanel, stepPanelOf, watchedPanelOf } from '../panel';
import { registerTutorial } from '../tutorial-vscode';
import type { LoadedParts } from './index';

export function registerParts(context: vscode.ExtensionContext, analyses: AnalysisService): LoadedParts {
  analyses.useHostRunner(hostRunner);
  const panel = registerPanel(context, analyses);
  registerTutorial(context, watchedPanelOf(panel));
  registerDebugSessions(context, stepPanelOf(panel));
  return { revivePanel: (webview, state) => panel.revive(webview, state), debugAdapter };
}
