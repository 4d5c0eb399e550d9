// The panel's test-only surface: internal commands (not contributed in package.json) through
// which the integration tests read what the panel shows, wait for runs and hand it webview
// messages. Everything here reads the controller's public state; nothing in production calls it.
import * as vscode from 'vscode';
import type { AnalysisStats } from '../analysis/service';
import type { PredictView, ProblemsView, StepView } from '../protocol/messages';
import { Disposable } from '../util/dispose';
import type { PanelController } from './controller';

export const TEST_COMMANDS = {
  /** The panel's state. */
  inspect: '_cowLab.panelState',
  /** Hand the panel a message as if its webview sent it (validated like one). */
  simulateWebviewMessage: '_cowLab.simulateWebviewMessage',
  /** Resolves with the panel's state once the scenario has run `n` times in all. */
  waitForRuns: '_cowLab.waitForRuns',
} as const;

/** What the integration tests read back. */
export interface PanelInspection {
  readonly open: boolean;
  /** The panel's tab title. */
  readonly title: string | null;
  readonly document: string | null;
  readonly position: number;
  readonly stepCount: number;
  readonly compare: boolean;
  readonly step: StepView | null;
  readonly problems: ProblemsView | null;
  readonly highlightedLine: number | null;
  readonly runs: number;
  /** Scenario runs by the analysis service (for every feature, not only the panel). */
  readonly scenarioRuns: number;
  /** An edit subscription re-runs the scenario (only while the panel is open). */
  readonly watchingEdits: boolean;
  /** Reasons the host refused webview messages, and problems the webview reported. */
  readonly refused: readonly string[];
  readonly webviewProblems: readonly string[];
  /** Predict mode: the questions on show, their grades and the score. */
  readonly predict: PredictView;
}

/** Most recent notes kept of each kind. */
const KEPT = 50;

export class PanelTestSurface extends Disposable {
  private readonly refused: string[] = [];
  private readonly webviewProblems: string[] = [];

  constructor(
    private readonly controller: PanelController,
    private readonly analysisStats: AnalysisStats,
  ) {
    super();
    this._register(controller.onDidRefuse((reason) => remember(this.refused, reason)));
    this._register(controller.onWebviewProblem((message) => remember(this.webviewProblems, message)));
    this._register(vscode.commands.registerCommand(TEST_COMMANDS.inspect, () => this.inspect()));
    this._register(vscode.commands.registerCommand(TEST_COMMANDS.simulateWebviewMessage, (raw: unknown) => controller.receiveRaw(raw)));
    this._register(vscode.commands.registerCommand(TEST_COMMANDS.waitForRuns, (n: unknown) => this.whenRuns(typeof n === 'number' ? n : 0)));
  }

  inspect(): PanelInspection {
    const c = this.controller;
    return {
      open: c.isOpen,
      title: c.title,
      document: c.scenario.document?.toString() ?? null,
      position: c.position,
      stepCount: c.scenario.model?.stepCount ?? 0,
      compare: c.compare,
      step: c.stepView(),
      problems: c.scenario.problems,
      highlightedLine: c.highlightedLine,
      runs: c.scenario.runs,
      scenarioRuns: this.analysisStats.scenarioRuns,
      watchingEdits: c.scenario.watchingEdits,
      refused: [...this.refused],
      webviewProblems: [...this.webviewProblems],
      predict: c.predictView,
    };
  }

  /** Resolves once `count` runs have happened (tests wait on this, not on a timer). */
  private whenRuns(count: number): Promise<PanelInspection> {
    if (this.controller.scenario.runs >= count) return Promise.resolve(this.inspect());
    return new Promise((resolve) => {
      const listener = this.controller.onDidChange(() => {
        if (this.controller.scenario.runs < count) return;
        listener.dispose();
        resolve(this.inspect());
      });
    });
  }
}

function remember(list: string[], message: string): void {
  list.push(message);
  if (list.length > KEPT) list.shift();
}
