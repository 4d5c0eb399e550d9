// The scenario the panel follows: which document, the last run of it that worked (the panel keeps
// showing it while the text has errors), the problems of the latest text, and re-running after a
// pause in typing — only while someone watches (the controller watches while its panel is open:
// a closed panel re-runs nothing).
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { analysisDocument } from '../features/documents';
import type { ProblemsView } from '../protocol/messages';
import { Disposable, MutableDisposable, toDisposable, type IDisposable } from '../util/dispose';
import type { ScenarioRun } from './scenarioRun';
import { PanelModel } from './stepModel';

/** Quiet time after the last keystroke before an edited scenario runs again. */
export const RERUN_DELAY_MS = 300;

/** What a run of the followed document produced: a new run to show, or only problems. */
export interface RunOutcome {
  /** The new run; undefined when the text had errors and the last good run stays on show. */
  readonly run: ScenarioRun | undefined;
  readonly source: string;
}

export class FollowedScenario extends Disposable {
  private uri: vscode.Uri | undefined;
  private current: PanelModel | undefined;
  private latestProblems: ProblemsView | null = null;
  private runCount = 0;
  private readonly rerun = this._register(new MutableDisposable<IDisposable>());
  private watchers = 0;
  /** While edits are watched: the service runs each version of the document fully, once. */
  private readonly fullRuns = this._register(new MutableDisposable<IDisposable>());
  private readonly ran = this._register(new vscode.EventEmitter<RunOutcome>());
  /** Fires after every run of the document (an edit re-ran it, or `runNow`). */
  readonly onDidRun = this.ran.event;

  constructor(private readonly analyses: AnalysisService) {
    super();
  }

  get document(): vscode.Uri | undefined {
    return this.uri;
  }

  /** The last run that worked, as the panel shows it. */
  get model(): PanelModel | undefined {
    return this.current;
  }

  get problems(): ProblemsView | null {
    return this.latestProblems;
  }

  /** Runs so far (of any document). */
  get runs(): number {
    return this.runCount;
  }

  /** An edit is waiting for its re-run: the text's lines no longer match the run on show. */
  get rerunPending(): boolean {
    return this.rerun.value !== undefined;
  }

  /** Some subscription re-runs the document on edits (see watchEdits). */
  get watchingEdits(): boolean {
    return this.watchers > 0;
  }

  /** Follows `uri` from now on; true when it is another document than before (its run is dropped). */
  follow(uri: vscode.Uri): boolean {
    if (this.uri?.toString() === uri.toString()) return false;
    this.uri = uri;
    this.current = undefined;
    this.rerun.clear();
    if (this.watchers > 0) this.fullRuns.value = this.analyses.watchFullRuns(uri.toString());
    return true;
  }

  /** Stops following any document (it could not be reopened). */
  unfollow(): void {
    this.uri = undefined;
    this.current = undefined;
    this.rerun.clear();
    this.fullRuns.clear();
  }

  /**
   * Re-runs the followed document after every pause in its editing, until the returned
   * subscription is disposed (and with this object).
   */
  watchEdits(): IDisposable {
    const subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (this.uri && e.document.uri.toString() === this.uri.toString() && e.contentChanges.length > 0) this.scheduleRerun();
    });
    this.watchers += 1;
    if (this.uri) this.fullRuns.value = this.analyses.watchFullRuns(this.uri.toString());
    return toDisposable(() => {
      this.watchers -= 1;
      if (this.watchers === 0) this.fullRuns.clear();
      subscription.dispose();
      this.rerun.clear();
    });
  }

  /**
   * Runs the document's current version (once: the analysis service shares the run with the
   * Problems view); on errors keeps the last good run and records the problems instead. Resolves
   * when the panel's state is up to date; a version superseded meanwhile changes nothing.
   */
  async runNow(document: vscode.TextDocument): Promise<void> {
    this.rerun.clear();
    const full = await this.analyses.fullRun(analysisDocument(document));
    if (!full || this.isDisposed || this.uri?.toString() !== document.uri.toString()) return;
    this.runCount += 1;
    const { attempt, source } = full;
    const fileName = document.uri.path.split('/').pop() ?? 'scenario.cow';
    if (!attempt.ok) {
      this.latestProblems = { fileName, problems: problemViews(attempt.problems), showingLastGood: this.current !== undefined };
      this.ran.fire({ run: undefined, source });
      return;
    }
    const model = new PanelModel(attempt.run);
    if (this.current) model.adoptViewports(this.current);
    this.current = model;
    const problems = problemViews(attempt.run.problems);
    this.latestProblems = problems.length > 0 ? { fileName, problems, showingLastGood: false } : null;
    this.ran.fire({ run: attempt.run, source });
  }

  private scheduleRerun(): void {
    const timer = setTimeout(() => {
      this.rerun.value = undefined;
      const uri = this.uri;
      const document = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) void this.runNow(document);
    }, RERUN_DELAY_MS);
    // Replacing the value clears the previous timer: only the last pause in typing re-runs.
    this.rerun.value = toDisposable(() => clearTimeout(timer));
  }
}

type ProblemSource = readonly { range: { line: number; col: number }; severity: 'error' | 'warning' | 'info'; message: string }[];

function problemViews(list: ProblemSource): ProblemsView['problems'] {
  return list.filter((d) => d.severity !== 'info').map((d) => ({ line: d.range.line, col: d.range.col, severity: d.severity, message: d.message }));
}
