// The panel's controller: the panel on screen, the step it shows, and everything that moves it —
// commands, the webview's controls, the learner's cursor, a reload (the serializer). Which
// document it follows and its runs live in FollowedScenario (followed.ts); what tests read back
// lives in inspection.ts.
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import type { NavigationTarget, PanelSnapshot, PredictView, StepView, WebviewMessage } from '../protocol/messages';
import { Disposable, MutableDisposable, type IDisposable } from '../util/dispose';
import { EditorSync } from './editorSync';
import { FollowedScenario, type RunOutcome } from './followed';
import { CowLabPanel } from './panel';
import { PredictMode } from './predictMode';
import { positionForLine } from './scenarioRun';
import { validatePersistedState } from './validate';
import { onCostModelChange } from '../measure-vscode/activeModel';

export { RERUN_DELAY_MS } from './followed';

export class PanelController extends Disposable {
  private panel: CowLabPanel | undefined;
  private at = 0;
  private comparing = false;
  private predict = new PredictMode();
  readonly scenario: FollowedScenario;
  private readonly editor = this._register(new EditorSync((uri, line) => this.followCursor(uri, line)));
  /** The panel's own subscriptions (its events, re-running on edits): they end when it closes. */
  private readonly whilePanelOpen = this._register(new MutableDisposable<IDisposable>());
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly refusedEmitter = this._register(new vscode.EventEmitter<string>());
  private readonly problemEmitter = this._register(new vscode.EventEmitter<string>());
  /** Fires after every change the panel shows (tests wait on it instead of sleeping). */
  readonly onDidChange = this.changed.event;
  /** A webview message the host refused, with the reason (already logged). */
  readonly onDidRefuse = this.refusedEmitter.event;
  /** A problem the webview reported (already logged). */
  readonly onWebviewProblem = this.problemEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    analyses: AnalysisService,
  ) {
    super();
    this.scenario = this._register(new FollowedScenario(analyses));
    this._register(this.scenario.onDidRun((outcome) => this.showRun(outcome)));
    // A measurement (or going back to the defaults) re-prices every step: the time row and chart.
    this._register(onCostModelChange(() => this.postSnapshot()));
    this._register({ dispose: () => this.panel?.dispose() });
  }

  get isOpen(): boolean {
    return this.panel?.isAlive ?? false;
  }

  get title(): string | null {
    return this.panel?.isAlive ? this.panel.panel.title : null;
  }

  get position(): number {
    return this.at;
  }

  get compare(): boolean {
    return this.comparing;
  }

  get predictOn(): boolean {
    return this.predict.isOn;
  }

  get predictView(): PredictView {
    return this.predict.view(this.at);
  }

  /** The line the editor highlights (1-based), null when none is. */
  get highlightedLine(): number | null {
    return this.editor.markedLine;
  }

  /** The step on show, as the webview receives it. */
  stepView(): StepView | null {
    const model = this.scenario.model;
    if (!model || model.stepCount === 0) return null;
    return model.stepView(this.at, this.comparing);
  }

  /** "CoW Lab: Run Scenario": runs `uri` (or the active .cow editor) and shows the panel. */
  async run(uri?: vscode.Uri): Promise<void> {
    // From the panel itself (no .cow editor active), run again what the panel shows.
    const target = uri ?? activeScenario() ?? this.scenario.document;
    if (!target) {
      void vscode.window.showInformationMessage('CoW Lab: open a .cow scenario first, then run it.');
      return;
    }
    const document = await vscode.workspace.openTextDocument(target);
    if (this.scenario.follow(document.uri)) {
      this.at = 0;
      this.predict.forget();
    }
    await this.scenario.runNow(document);
    if (this.panel) this.panel.reveal();
    else this.attach(CowLabPanel.create(this.extensionUri, this.log));
    this.afterStep(false);
  }

  /** Restores the panel VS Code kept over a reload, at the step it showed. */
  async revive(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel?.dispose();
    const checked = validatePersistedState(state);
    if (checked.ok) {
      this.comparing = checked.value.compare;
      this.at = checked.value.position;
      this.predict = new PredictMode(checked.value.predict);
      try {
        const uri = vscode.Uri.parse(checked.value.document, true);
        const document = await vscode.workspace.openTextDocument(uri);
        this.scenario.unfollow();
        this.scenario.follow(document.uri);
        await this.scenario.runNow(document);
      } catch (e) {
        this.log.warn(`panel: could not reopen ${checked.value.document}: ${String(e)}`);
        this.scenario.unfollow();
      }
    } else if (state !== undefined && state !== null) {
      this.log.warn(`panel: ignored the saved panel state: ${checked.reason}`);
    }
    this.attach(CowLabPanel.adopt(webviewPanel, this.extensionUri, this.log));
    this.afterStep(false);
  }

  /** Shows step `position` of `uri` (the debugger's current step), running it first if the panel is elsewhere. */
  async showStep(uri: vscode.Uri, position: number): Promise<void> {
    const document = this.scenario.document;
    if (!this.panel || !document || document.toString() !== uri.toString()) await this.run(uri);
    this.goTo(position, false);
  }

  navigate(to: NavigationTarget): void {
    const model = this.scenario.model;
    if (!model) {
      if (activeScenario()) void this.run();
      return;
    }
    const last = model.stepCount - 1;
    const target = to === 'first' ? 0 : to === 'last' ? last : to === 'back' ? this.at - 1 : this.at + 1;
    this.goTo(target, true);
  }

  setCompare(on: boolean): void {
    this.comparing = on;
    this.panel?.post({ type: 'compare', on, step: this.stepView() });
    this.changed.fire();
  }

  /** Turns predict mode on or off ("CoW Lab: Predict Mode", the panel's checkbox). */
  setPredict(on: boolean): void {
    this.predict.setOn(on);
    this.postPredict();
    this.changed.fire();
  }

  /** Everything the webview sends arrives here, unvalidated (tests send through it too). */
  receiveRaw(raw: unknown): void {
    this.panel?.receiveRaw(raw);
  }

  /** A run of the followed document finished: adopt it and bring the panel up to date. */
  private showRun(outcome: RunOutcome): void {
    const model = this.scenario.model;
    if (outcome.run && model) {
      this.predict.adopt(outcome.run, outcome.source);
      this.at = Math.max(0, Math.min(this.at, model.stepCount - 1));
    }
    this.postSnapshot();
    this.afterStep(false);
  }

  private goTo(target: number, revealInEditor: boolean): void {
    const model = this.scenario.model;
    if (!model) return;
    const wasPending = this.predict.pending;
    // Predict mode may stop one step short: the questions come before the outcome.
    const position = this.predict.route(this.at, Math.max(0, Math.min(target, model.stepCount - 1)));
    if (position === this.at) {
      if (this.predict.pending !== wasPending) {
        this.postPredict();
        this.changed.fire();
      }
      return;
    }
    this.at = position;
    const step = this.stepView();
    if (step) this.panel?.post({ type: 'step', step });
    this.postPredict();
    this.afterStep(revealInEditor);
  }

  private answer(step: number, questionId: string, answer: boolean | number | string): void {
    this.settle('predictAnswer', step, questionId, this.predict.answer(step, questionId, answer));
  }

  private skip(step: number, questionId: string): void {
    this.settle('predictSkip', step, questionId, this.predict.skip(step, questionId));
  }

  /** An answer or a skip taken (the step shows once every question is settled), or refused. */
  private settle(message: string, step: number, questionId: string, outcome: { readonly reveal: number | undefined } | undefined): void {
    if (!outcome) {
      const reason = `${message}: step ${step} has no question "${questionId}" waiting for an answer`;
      this.log.warn(`panel: ignored a message from the webview: ${reason}`);
      this.refusedEmitter.fire(reason);
      this.changed.fire();
      return;
    }
    // Every question answered (or skipped): now show what the step did.
    this.revealOrUpdate(outcome.reveal);
  }

  /** After an answer or a skip: the step runs once nothing of it waits, else the questions update. */
  private revealOrUpdate(reveal: number | undefined): void {
    if (reveal !== undefined && reveal !== this.at) {
      this.at = reveal;
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
    this.panel?.post({ type: 'predict', predict: this.predict.view(this.at) });
  }

  private followCursor(uri: vscode.Uri, line: number): void {
    const { model, document } = this.scenario;
    if (!model || !document || uri.toString() !== document.toString()) return;
    // While a scenario is being debugged the session drives the panel: reading elsewhere in the editor must not move it.
    if (vscode.debug.activeDebugSession?.type === 'cow') return;
    // Typing moves the cursor too, and the lines no longer match the last run until it re-runs.
    if (this.scenario.rerunPending) return;
    const position = positionForLine(model.run, line);
    if (position !== undefined) this.goTo(position, false);
  }

  private attach(panel: CowLabPanel): void {
    this.panel = panel;
    const subscriptions = [
      panel.onMessage((m) => this.onMessage(m)),
      panel.onRefused((reason) => this.refusedEmitter.fire(reason)),
      this.scenario.watchEdits(),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.whilePanelOpen.clear();
        this.editor.show(null);
        this.changed.fire();
      }),
    ];
    this.whilePanelOpen.value = { dispose: () => subscriptions.forEach((s) => s.dispose()) };
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
        if (m.position !== this.at) this.goTo(m.position, false);
        void this.editor.select();
        break;
      case 'requestRows': {
        const model = this.scenario.model;
        if (!model || model.run.id !== m.runId) return;
        const reply = model.rowsWindow(m.position, m.machine, m.process, m.region, m.start, m.count);
        if (reply) this.panel?.post({ type: 'rows', runId: m.runId, position: m.position, machine: m.machine, process: m.process, region: m.region, ...reply });
        break;
      }
      case 'requestStorageRows': {
        const model = this.scenario.model;
        if (!model || model.run.id !== m.runId) return;
        if (m.space !== null && m.file !== null) {
          const window = model.storage.fileRowsWindow(m.position, m.space, m.file, m.start, m.count);
          if (window) this.panel?.post({ type: 'fileRows', runId: m.runId, position: m.position, space: m.space, file: m.file, window });
        } else {
          const window = model.storage.blockRowsWindow(m.position, m.start, m.count);
          if (window) this.panel?.post({ type: 'blockRows', runId: m.runId, position: m.position, window });
        }
        break;
      }
      case 'expandRun':
        this.scenario.model?.expand(m, m.first, m.last);
        this.postStep();
        break;
      case 'collapseRun':
        if (this.scenario.model?.collapse(m, m.page)) this.postStep();
        break;
      case 'goToPage': {
        const model = this.scenario.model;
        if (!model) return;
        const machines = this.comparing ? (['primary', 'comparison'] as const) : (['primary'] as const);
        const found = model.findPage(this.at, machines, m.process, m.region, m.page);
        this.postStep();
        this.panel?.post({ type: 'pageFound', runId: model.run.id, position: this.at, region: m.region, page: m.page, found });
        break;
      }
      case 'problem':
        this.log.warn(`panel webview: ${m.message}`);
        this.problemEmitter.fire(m.message);
        this.changed.fire();
        break;
    }
  }

  private snapshot(): PanelSnapshot {
    const { model, document, problems } = this.scenario;
    return {
      document: document?.toString() ?? null,
      scenario: model ? model.scenarioView() : null,
      step: this.stepView(),
      problems,
      compare: this.comparing,
      predict: this.predict.view(this.at),
    };
  }

  private postSnapshot(): void {
    if (!this.panel) return;
    const snapshot = this.snapshot();
    this.panel.setTitle(snapshot.scenario?.fileName ?? null);
    this.panel.post({ type: 'snapshot', snapshot });
  }

  private afterStep(revealInEditor: boolean): void {
    const { model, document } = this.scenario;
    const step = model && model.stepCount > 0 ? model.run.steps[this.at] : undefined;
    if (this.panel && document && step) {
      this.editor.show({ uri: document, line: step.range.line, endLine: step.range.endLine, label: `step ${this.at + 1} of ${model?.stepCount ?? 0}` });
      if (revealInEditor) this.editor.reveal();
    } else {
      this.editor.show(null);
    }
    this.changed.fire();
  }
}

function activeScenario(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.languageId === 'cow' ? editor.document.uri : undefined;
}
