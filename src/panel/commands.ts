// The panel's commands (ids match package.json contributes.commands), the "Run Scenario"
// CodeLens on a scenario's first line, and the serializer that brings the panel back after a
// reload. Every registration goes into the disposables it is given.
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE } from '../protocol/messages';
import type { PanelController } from './controller';

export const COMMANDS = {
  run: 'cowLab.run',
  stepForward: 'cowLab.stepForward',
  stepBack: 'cowLab.stepBack',
  firstStep: 'cowLab.firstStep',
  lastStep: 'cowLab.lastStep',
  compare: 'cowLab.compare',
  togglePredict: 'cowLab.togglePredict',
} as const;

/** A command's argument may be a Uri (editor title button, CodeLens, explorer) or nothing. */
function asUri(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

export function registerPanelCommands(controller: PanelController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.run, (arg?: unknown) => controller.run(asUri(arg))),
    vscode.commands.registerCommand(COMMANDS.stepForward, () => controller.navigate('forward')),
    vscode.commands.registerCommand(COMMANDS.stepBack, () => controller.navigate('back')),
    vscode.commands.registerCommand(COMMANDS.firstStep, () => controller.navigate('first')),
    vscode.commands.registerCommand(COMMANDS.lastStep, () => controller.navigate('last')),
    // Turns the comparison on (running the scenario first if the panel is not showing it); the
    // panel's checkbox turns it off.
    vscode.commands.registerCommand(COMMANDS.compare, async (arg?: unknown) => {
      const uri = asUri(arg);
      if (uri || !controller.isOpen) await controller.run(uri);
      if (controller.isOpen) controller.setCompare(true);
    }),
    // Predict mode on or off (runs the scenario first if the panel is not open).
    vscode.commands.registerCommand(COMMANDS.togglePredict, async () => {
      if (!controller.isOpen) await controller.run();
      if (controller.isOpen) controller.setPredict(!controller.predictOn);
    }),
  ];
}

/** "▶ Run Scenario" and "Compare with Full Copy" above the first line of every .cow file. */
export class RunCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run Scenario', tooltip: 'Run this scenario in the CoW Lab panel', command: COMMANDS.run, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Compare with Full Copy', tooltip: 'Run it, and show an eager full copy of the same scenario beside it', command: COMMANDS.compare, arguments: [document.uri] }),
    ];
  }
}

/** Revives the panel after a reload; `revive` may load the panel first (src/parts/index.ts). */
export function registerPanelSerializer(revive: (panel: vscode.WebviewPanel, state: unknown) => Thenable<void>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, { deserializeWebviewPanel: revive });
}
