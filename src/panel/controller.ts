// The panel's controller: which scenario the panel follows, the last run that worked, the
// current step, and everything that moves it — commands, the webview's controls, the learner's
// cursor, edits (re-run after a pause, keeping the step), a reload (the serializer).
import * as vscode from 'vscode';
import type { NavigationTarget, PanelSnapshot, PredictView, ProblemsView, StepView, WebviewMessage } from '../protocol/messages';
import { EditorSync } from './editorSync';
import { CowLabPanel } from './panel';
import { PredictMode } from './predictMode';
import { positionForLine, runForPanel } from './scenarioRun';
import { PanelModel } from './stepModel';
import { validatePersistedState } from './validate';

/** Quiet time after the last keystroke before an edited scenario runs again. */
export const RERUN_DELAY_MS = 300;

/** What the integration tests read back (the `_cowLab.panelState` command). */
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
  /** Reasons the host refused webview messages, and problems the webview reported. */
  readonly refused: readonly string[];
  readonly webviewProblems: readonly string[];
  /** Predict mode: the questions on show, their grades and the score. */
  readonly predict: PredictView;
}

export class PanelController implements vscode.Disposable {
  private panel: CowLabPanel | undefined;
  private document: vscode.Uri | undefined;
  private model: PanelModel | undefined;
  private position = 0;
  private compare = false;
  private predict = new PredictMode();
  private problems: ProblemsView | null = null;
  private runCount = 0;
  private rerunTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly editor: EditorSync;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly refused: string[] = [];
  private readonly webviewProblems: string[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after every change the panel shows (tests wait on it instead of sleeping). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.editor = new EditorSync((uri, line) => this.followCursor(uri, line));
    this.subscriptions.push(
      this.editor,
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.document && e.document.uri.toString() === this.document.toString() && e.contentChanges.length > 0) this.scheduleRerun();
      }),
    );
  }

  /** "CoW Lab: Run Scenario": runs `uri` (or the active .cow editor) and shows the panel. */
  async run(uri?: vscode.Uri): Promise<void> {
    // From the panel itself (no .cow editor active), run again what the panel shows.
    const target = uri ?? activeScenario() ?? this.document;
    if (!target) {
      void vscode.window.showInformationMessage('CoW Lab: open a .cow scenario first, then run it.');
      return;
    }
    const document = await vscode.workspace.openTextDocument(target);
    if (!this.document || this.document.toString() !== document.uri.toString()) {
      this.document = document.uri;
      this.model = undefined;
      this.position = 0;
      this.predict.forget();
    }
    this.execute(document);
    if (this.panel) {
      this.panel.reveal();
      this.postSnapshot();
    } else {
      this.attach(CowLabPanel.create(this.extensionUri, this.log));
    }
    this.afterStep(false);
  }

  /** Restores the panel VS Code kept over a reload, at the step it showed. */
  async revive(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel?.dispose();
    const checked = validatePersistedState(state);
    if (checked.ok) {
      this.compare = checked.value.compare;
      this.position = checked.value.position;
      this.predict = new PredictMode(checked.value.predict);
      try {
        const uri = vscode.Uri.parse(checked.value.document, true);
        const document = await vscode.workspace.openTextDocument(uri);
        this.document = document.uri;
        this.model = undefined;
        this.execute(document);
      } catch (e) {
        this.log.warn(`panel: could not reopen ${checked.value.document}: ${String(e)}`);
        this.document = undefined;
      }
    } else if (state !== undefined && state !== null) {
      this.log.warn(`panel: ignored the saved panel state: ${checked.reason}`);
    }
    this.attach(CowLabPanel.adopt(webviewPanel, this.extensionUri, this.log));
    this.afterStep(false);
  }

  navigate(to: NavigationTarget): void {
    if (!this.model) {
      if (activeScenario()) void this.run();
      return;
    }
    const last = this.model.stepCount - 1;
    const target = to === 'first' ? 0 : to === 'last' ? last : to === 'back' ? this.position - 1 : this.position + 1;
    this.goTo(target, true);
  }

  setCompare(on: boolean): void {
    this.compare = on;
    this.panel?.post({ type: 'compare', on, step: this.stepView() });
    this.changed.fire();
  }

  /** Turns predict mode on or off ("CoW Lab: Predict Mode", the panel's checkbox). */
  setPredict(on: boolean): void {
    this.predict.setOn(on);
    this.postPredict();
    this.changed.fire();
  }

  get predictOn(): boolean {
    return this.predict.isOn;
  }

  inspect(): PanelInspection {
    return {
      open: this.panel?.isAlive ?? false,
      title: this.panel?.isAlive ? this.panel.panel.title : null,
      document: this.document?.toString() ?? null,
      position: this.position,
      stepCount: this.model?.stepCount ?? 0,
      compare: this.compare,
      step: this.stepView(),
      problems: this.problems,
      highlightedLine: this.editor.markedLine,
      runs: this.runCount,
      refused: [...this.refused],
      webviewProblems: [...this.webviewProblems],
      predict: this.predict.view(this.position),
    };
  }

  /** Resolves once `count` runs have happened (tests wait on this, not on a timer). */
  whenRuns(count: number): Promise<PanelInspection> {
    if (this.runCount >= count) return Promise.resolve(this.inspect());
    return new Promise((resolve) => {
      const listener = this.onDidChange(() => {
        if (this.runCount < count) return;
        listener.dispose();
        resolve(this.inspect());
      });
    });
  }

  /** A message as if the webview sent it (validated like one): lets tests probe the boundary. */
  receiveRaw(raw: unknown): void {
    this.panel?.receiveRaw(raw);
  }

  private goTo(target: number, revealInEditor: boolean): void {
    if (!this.model) return;
    const wasPending = this.predict.pending;
    // Predict mode may stop one step short: the questions come before the outcome.
    const position = this.predict.route(this.position, Math.max(0, Math.min(target, this.model.stepCount - 1)));
    if (position === this.position) {
      if (this.predict.pending !== wasPending) {
        this.postPredict();
        this.changed.fire();
      }
      return;
    }
    this.position = position;
    const step = this.stepView();
    if (step) this.panel?.post({ type: 'step', step });
    this.postPredict();
    this.afterStep(revealInEditor);
  }

  private answer(step: number, questionId: string, answer: boolean | number | string): void {
    const outcome = this.predict.answer(step, questionId, answer);
    if (!outcome) {
      const reason = `predictAnswer: step ${step} has no question "${questionId}" waiting for an answer`;
      this.log.warn(`panel: ignored a message from the webview: ${reason}`);
      this.remember(this.refused, reason);
      this.changed.fire();
      return;
    }
    // Every question answered (or skipped): now show what the step did.
    this.revealOrUpdate(outcome.reveal);
  }

  private skip(step: number, questionId: string): void {
    const outcome = this.predict.skip(step, questionId);
    if (!outcome) {
      const reason = `predictSkip: step ${step} has no question "${questionId}" waiting for an answer`;
      this.log.warn(`panel: ignored a message from the webview: ${reason}`);
      this.remember(this.refused, reason);
      this.changed.fire();
      return;
    }
    this.revealOrUpdate(outcome.reveal);
  }

  /** After an answer or a skip: the step runs once nothing of it waits, else the questions update. */
  private revealOrUpdate(reveal: number | undefined): void {
    if (reveal !== undefined && reveal !== this.position) {
      this.position = reveal;
      const view = this.stepView();
      if (view) this.panel?.post({ type: 'step', step: view });
      this.postPredict();
      this.afterStep(false);
      return;
    }
    this.postPredict();
    this.changed.fire();
  }

  /** The current step again (its tables' rows changed: a run expanded, a page gone to). */
  private postStep(): void {
    const step = this.stepView();
    if (step) this.panel?.post({ type: 'step', step });
    this.changed.fire();
  }

  private postPredict(): void {
    this.panel?.post({ type: 'predict', predict: this.predict.view(this.position) });
  }

  private followCursor(uri: vscode.Uri, line: number): void {
    if (!this.model || !this.document || uri.toString() !== this.document.toString()) return;
    // Typing moves the cursor too, and the lines no longer match the last run until it re-runs.
    if (this.rerunTimer !== undefined) return;
    const position = positionForLine(this.model.run, line);
    if (position !== undefined) this.goTo(position, false);
  }

  private attach(panel: CowLabPanel): void {
    this.panel = panel;
    panel.onMessage((m) => this.onMessage(m));
    panel.onRefused((reason) => this.remember(this.refused, reason));
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.editor.show(null);
        this.changed.fire();
      }
    });
    panel.load(this.snapshot());
  }

  private onMessage(m: WebviewMessage): void {
    switch (m.type) {
      case 'ready':
        // The webview (re)loaded, perhaps from HTML older than the current step: bring it up to date.
        this.postSnapshot();
        break;
      case 'navigate':
        this.navigate(m.to);
        break;
      case 'goTo':
        this.goTo(m.position, true);
        break;
      case 'setCompare':
        this.setCompare(m.on);
        break;
      case 'setPredict':
        this.setPredict(m.on);
        break;
      case 'predictAnswer':
        this.answer(m.step, m.questionId, m.answer);
        break;
      case 'predictSkip':
        this.skip(m.step, m.questionId);
        break;
      case 'revealStatement':
        if (m.position !== this.position) this.goTo(m.position, false);
        void this.editor.select();
        break;
      case 'requestRows': {
        const model = this.model;
        if (!model || model.run.id !== m.runId) return;
        const reply = model.rowsWindow(m.position, m.machine, m.process, m.region, m.start, m.count);
        if (reply) this.panel?.post({ type: 'rows', runId: m.runId, position: m.position, machine: m.machine, process: m.process, region: m.region, ...reply });
        break;
      }
      case 'expandRun':
        this.model?.expand(m, m.first, m.last);
        this.postStep();
        break;
      case 'collapseRun':
        if (this.model?.collapse(m, m.page)) this.postStep();
        break;
      case 'goToPage': {
        const model = this.model;
        if (!model) return;
        const machines = this.compare ? (['primary', 'comparison'] as const) : (['primary'] as const);
        const found = model.findPage(this.position, machines, m.process, m.region, m.page);
        this.postStep();
        this.panel?.post({ type: 'pageFound', runId: model.run.id, position: this.position, region: m.region, page: m.page, found });
        break;
      }
      case 'problem':
        this.log.warn(`panel webview: ${m.message}`);
        this.remember(this.webviewProblems, m.message);
        this.changed.fire();
        break;
    }
  }

  private scheduleRerun(): void {
    if (this.rerunTimer) clearTimeout(this.rerunTimer);
    this.rerunTimer = setTimeout(() => {
      this.rerunTimer = undefined;
      const uri = this.document;
      const document = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (!document) return;
      this.execute(document);
      this.postSnapshot();
      this.afterStep(false);
    }, RERUN_DELAY_MS);
  }

  /** Runs the document; on errors keeps the last good run and shows the problems instead. */
  private execute(document: vscode.TextDocument): void {
    this.runCount += 1;
    const fileName = document.uri.path.split('/').pop() ?? 'scenario.cow';
    const attempt = runForPanel(document.getText(), fileName, this.runCount);
    const toView = (list: readonly { range: { line: number; col: number }; severity: 'error' | 'warning' | 'info'; message: string }[]) =>
      list.filter((d) => d.severity !== 'info').map((d) => ({ line: d.range.line, col: d.range.col, severity: d.severity, message: d.message }));
    if (!attempt.ok) {
      this.problems = { fileName, problems: toView(attempt.problems), showingLastGood: this.model !== undefined };
      return;
    }
    const model = new PanelModel(attempt.run);
    if (this.model) model.adoptViewports(this.model);
    this.model = model;
    this.predict.adopt(attempt.run, document.getText());
    this.position = Math.max(0, Math.min(this.position, model.stepCount - 1));
    const problems = toView(attempt.run.problems);
    this.problems = problems.length > 0 ? { fileName, problems, showingLastGood: false } : null;
  }

  private stepView(): StepView | null {
    if (!this.model || this.model.stepCount === 0) return null;
    return this.model.stepView(this.position, this.compare);
  }

  private snapshot(): PanelSnapshot {
    return {
      document: this.document?.toString() ?? null,
      scenario: this.model ? this.model.scenarioView() : null,
      step: this.stepView(),
      problems: this.problems,
      compare: this.compare,
      predict: this.predict.view(this.position),
    };
  }

  private postSnapshot(): void {
    if (!this.panel) return;
    const snapshot = this.snapshot();
    this.panel.setTitle(snapshot.scenario?.fileName ?? null);
    this.panel.post({ type: 'snapshot', snapshot });
  }

  private afterStep(revealInEditor: boolean): void {
    const step = this.model && this.model.stepCount > 0 ? this.model.run.steps[this.position] : undefined;
    if (this.panel && this.document && step) {
      this.editor.show({ uri: this.document, line: step.range.line, endLine: step.range.endLine, label: `step ${this.position + 1} of ${this.model?.stepCount ?? 0}` });
      if (revealInEditor) this.editor.reveal();
    } else {
      this.editor.show(null);
    }
    this.changed.fire();
  }

  private remember(list: string[], message: string): void {
    list.push(message);
    if (list.length > 50) list.shift();
  }

  dispose(): void {
    if (this.rerunTimer) clearTimeout(this.rerunTimer);
    this.panel?.dispose();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

function activeScenario(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.languageId === 'cow' ? editor.document.uri : undefined;
}
