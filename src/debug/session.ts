// The debugger's heavy half, in the lazily loaded part with the engine: the inline adapter of a
// session, and the link between sessions and the panel.
import * as vscode from 'vscode';
import { CowDebugSession } from './adapter';
import { linkPanel, type StepPanel } from './panelLink';
import { readScenario } from './program';

export type { StepPanel } from './panelLink';

export function debugAdapter(): vscode.DebugAdapterDescriptor {
  return new vscode.DebugAdapterInlineImplementation(new CowDebugSession(readScenario));
}

export function registerDebugSessions(context: vscode.ExtensionContext, panel: StepPanel): void {
  context.subscriptions.push(linkPanel(panel));
}
