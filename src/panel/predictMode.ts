// Predict mode on the host side: whether it is on, the PredictSession of the scenario on show,
// and the step whose questions wait for answers ("pending": the panel still shows the step
// before it, so the learner cannot read the outcome off the tables). Pure: no `vscode`; the
// controller asks it where a move may go (`route`) and hands it the learner's answers.
import type { PersistedPredict, PredictAnswer, PredictGrade, PredictKind, PredictQuestionView, PredictView } from '../protocol/messages';
import { PredictSession, type Graded, type Question } from '../tutorial';
import { statementText, type ScenarioRun } from './scenarioRun';

/** What an answer did: its grade, and the step to reveal when it was the step's last question. */
export interface AnswerOutcome {
  readonly grade: PredictGrade;
  readonly reveal: number | undefined;
}

export class PredictMode {
  private on: boolean;
  private run: ScenarioRun | undefined;
  private session: PredictSession | undefined;
  /** Hash of the text the session's grades belong to. */
  private scenario: string;
  /** Grades saved by an earlier panel, restored when the same text runs. */
  private restore: readonly PredictGrade[];
  private pendingStep: number | null = null;
  /**
   * Questions the learner skipped, by id: not graded, never counted as wrong, and no longer
   * holding their step back. Kept like the grades: per scenario text, saved with the panel.
   */
  private skipped: Set<string>;

  constructor(saved?: PersistedPredict) {
    this.on = saved?.on ?? false;
    this.scenario = saved?.scenario ?? '';
    this.restore = saved?.graded ?? [];
    this.skipped = new Set(saved?.skipped ?? []);
  }

  get isOn(): boolean {
    return this.on;
  }

  /** The step about to run whose questions wait for answers; null when none does. */
  get pending(): number | null {
    return this.pendingStep;
  }

  /** A new run of the scenario: the same text keeps the session (and the score); an edit starts a new one. */
  adopt(run: ScenarioRun, text: string): void {
    const key = scenarioKey(text);
    const same = key === this.scenario;
    const graded: readonly Graded[] = same ? (this.session?.state().graded ?? this.restore.map(toGraded)) : [];
    this.run = run;
    this.scenario = key;
    this.restore = [];
    this.session = new PredictSession(run.result, {}, { graded });
    if (!same) this.skipped = new Set();
    if (!same || (this.pendingStep !== null && this.pendingStep >= run.steps.length)) this.pendingStep = null;
  }

  /** Forgets the scenario (the panel follows another document). */
  forget(): void {
    this.run = undefined;
    this.session = undefined;
    this.scenario = '';
    this.restore = [];
    this.skipped = new Set();
    this.pendingStep = null;
  }

  setOn(on: boolean): void {
    this.on = on;
    if (!on) this.pendingStep = null;
  }

  /**
   * Where a move from `from` to `to` may go. Onto a step ahead that has unanswered questions it
   * stops one step short of it and makes it pending; any other move clears what was pending.
   */
  route(from: number, to: number): number {
    const session = this.session;
    if (!this.on || !session || to <= from) {
      this.pendingStep = null;
      return to;
    }
    if (session.questions(to).length > 0 && !this.settled(to)) {
      this.pendingStep = to;
      return to - 1;
    }
    this.pendingStep = null;
    return to;
  }

  /**
   * Grades an answer to the pending step. Undefined (refused) for a step that is not pending or a
   * question it does not ask. `reveal` is set once every question of the step is answered.
   */
  answer(step: number, questionId: string, given: PredictAnswer): AnswerOutcome | undefined {
    const session = this.session;
    if (!session || step !== this.pendingStep) return undefined;
    if (!session.questions(step).some((q) => q.id === questionId)) return undefined;
    if (this.skipped.has(questionId)) return undefined;
    const graded = session.answer(step, questionId, given);
    if (!graded) return undefined;
    const reveal = this.settled(step) ? step : undefined;
    if (reveal !== undefined) this.pendingStep = null;
    return { grade: toGrade(graded), reveal };
  }

  /**
   * Skips a question of the pending step: no grade, not counted as wrong. Undefined (refused) for a
   * step that is not pending, or a question it does not ask or that is already answered or skipped.
   * Returns the step to reveal once nothing of the step is left to answer.
   */
  skip(step: number, questionId: string): { readonly reveal: number | undefined } | undefined {
    const session = this.session;
    if (!session || step !== this.pendingStep || this.skipped.has(questionId)) return undefined;
    if (!session.questions(step).some((q) => q.id === questionId)) return undefined;
    if (session.answered(step).some((g) => g.questionId === questionId)) return undefined;
    this.skipped.add(questionId);
    const reveal = this.settled(step) ? step : undefined;
    if (reveal !== undefined) this.pendingStep = null;
    return { reveal };
  }

  /** Every question of the step is answered or skipped. */
  private settled(step: number): boolean {
    const session = this.session;
    if (!session) return true;
    const answered = new Set(session.answered(step).map((g) => g.questionId));
    return session.questions(step).every((q) => answered.has(q.id) || this.skipped.has(q.id));
  }

  /** Skipped questions of the step on show or asked about. */
  private skippedAt(step: number): number {
    return this.session?.questions(step).filter((q) => this.skipped.has(q.id)).length ?? 0;
  }

  /** What the webview shows for the panel at `position`. */
  view(position: number): PredictView {
    const run = this.run;
    const session = this.session;
    const score = { asked: session?.score.asked ?? 0, correct: session?.score.correct ?? 0, skipped: this.skipped.size };
    const base = { on: this.on, runId: run?.id ?? 0, score, saved: this.saved() };
    const step = this.pendingStep ?? (session && (session.answered(position).length > 0 || this.skippedAt(position) > 0) ? position : null);
    if (!run || !session || step === null || !this.on) return { ...base, step: null, pending: false, line: 0, statement: '', questions: [] };
    const grades = new Map(session.answered(step).map((g) => [g.questionId, toGrade(g)]));
    return {
      ...base,
      step,
      pending: this.pendingStep === step,
      line: run.steps[step]?.range.line ?? 0,
      statement: statementText(run, step),
      questions: session.questions(step).map((q) => questionView(q, grades.get(q.id) ?? null, this.skipped.has(q.id))),
    };
  }

  /** What the panel's state keeps. */
  saved(): PersistedPredict {
    const graded = this.session ? this.session.state().graded.map(toGrade) : this.restore;
    const skipped = this.skipped.size > 0 ? { skipped: [...this.skipped] } : {};
    return { on: this.on, scenario: this.scenario, graded, ...skipped };
  }
}

/** FNV-1a of the text with its length: enough to tell an edited scenario from the same one. */
export function scenarioKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `fnv1a:${hash.toString(16).padStart(8, '0')}:${text.length}`;
}

const PREDICT_KINDS: readonly string[] = ['will-copy', 'copies', 'which-frame', 'frames-after', 'rss-after', 'pss-after', 'refcount', 'new-block', 'copied-up', 'blocks-copied', 'blocks-after'];

function questionView(q: Question, grade: PredictGrade | null, skipped: boolean): PredictQuestionView {
  const form = q.form === 'yes-no' || q.form === 'count' || q.form === 'pages' ? q.form : 'frame';
  return { id: q.id, kind: q.kind as PredictKind, form, prompt: q.prompt, choices: q.choices.map((c) => ({ id: c.id, label: c.label })), grade, skipped };
}

function toGrade(g: Graded): PredictGrade {
  const kind = (PREDICT_KINDS.includes(g.kind) ? g.kind : 'copies') as PredictKind;
  return { questionId: g.questionId, kind, correct: g.correct, givenText: g.givenText, answerText: g.answerText, explanation: g.explanation };
}

function toGraded(g: PredictGrade): Graded {
  return { ...g };
}
