// Predict mode for one scenario run, as the panel uses it: the questions for a step (posed once,
// the same each time the learner comes back to it), each answer graded once, and the score for
// the scenario. Plain data in and out, so the host can keep the session and send only
// questions and graded answers to the webview, and save it with the panel's state.
import type { RunResult } from '../language';
import { addToScore, EMPTY_SCORE, grade, type Answer, type Graded, type Posed, type Question, type Score } from './answers';
import { predictStep, type PredictOptions } from './predict';

/** What a session saves (getState / setState, WebviewPanelSerializer): answers by question id. */
export interface PredictSessionState {
  readonly graded: readonly Graded[];
}

export class PredictSession {
  private readonly posed = new Map<number, readonly Posed[]>();
  private readonly graded = new Map<string, Graded>();
  private currentScore: Score = EMPTY_SCORE;

  constructor(
    private readonly run: RunResult,
    private readonly options: PredictOptions = {},
    saved?: PredictSessionState,
  ) {
    for (const g of saved?.graded ?? []) this.record(g);
  }

  /** The questions to ask before step `stepIndex` runs; [] when it has nothing to predict. */
  questions(stepIndex: number): readonly Question[] {
    return this.posedAt(stepIndex).map((p) => p.question);
  }

  /**
   * Grades the learner's answer to one question of step `stepIndex`. A question is graded once:
   * answering it again returns the first grade and leaves the score alone. Undefined for a
   * question id this step does not ask.
   */
  answer(stepIndex: number, questionId: string, given: Answer | undefined): Graded | undefined {
    const earlier = this.graded.get(questionId);
    if (earlier) return earlier;
    const posed = this.posedAt(stepIndex).find((p) => p.question.id === questionId);
    if (!posed) return undefined;
    const graded = grade(posed, given);
    this.record(graded);
    return graded;
  }

  /** The grades already given for step `stepIndex` (to show them again when the learner steps back). */
  answered(stepIndex: number): readonly Graded[] {
    return this.posedAt(stepIndex).flatMap((p) => this.graded.get(p.question.id) ?? []);
  }

  /** Whether every question of the step has been answered (the panel may then run the step). */
  done(stepIndex: number): boolean {
    return this.posedAt(stepIndex).every((p) => this.graded.has(p.question.id));
  }

  get score(): Score {
    return this.currentScore;
  }

  state(): PredictSessionState {
    return { graded: [...this.graded.values()] };
  }

  private posedAt(stepIndex: number): readonly Posed[] {
    let posed = this.posed.get(stepIndex);
    if (!posed) {
      posed = predictStep(this.run, stepIndex, this.options);
      this.posed.set(stepIndex, posed);
    }
    return posed;
  }

  private record(graded: Graded): void {
    if (this.graded.has(graded.questionId)) return;
    this.graded.set(graded.questionId, graded);
    this.currentScore = addToScore(this.currentScore, graded);
  }
}
