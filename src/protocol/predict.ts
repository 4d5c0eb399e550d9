// Predict mode on the wire: before a step runs, the learner predicts what it will do; the host
// grades. Types only (see messages.ts).

/** What a predict question is about (src/tutorial/answers.ts QuestionKind, predict kinds only). */
export type PredictKind =
  | 'will-copy' | 'copies' | 'which-frame' | 'frames-after' | 'rss-after' | 'pss-after' | 'refcount'
  /** Storage (src/tutorial/predictStorage.ts): a written block moves, a file is copied up, blocks copied, blocks in use. */
  | 'new-block' | 'copied-up' | 'blocks-copied' | 'blocks-after';

/**
 * The answer a predict question wants: yes/no, a whole number, a frame id (`frame:N`, `new`,
 * `zero`, `none`), or for `pages` the number of pages as typed (`2.5`, `7/3`).
 */
export type PredictAnswer = boolean | number | string;

export interface PredictGrade {
  readonly questionId: string;
  readonly kind: PredictKind;
  readonly correct: boolean;
  /** The learner's answer, in words. */
  readonly givenText: string;
  readonly answerText: string;
  /** Why, naming the kernel function. */
  readonly explanation: string;
}

export interface PredictQuestionView {
  readonly id: string;
  readonly kind: PredictKind;
  readonly form: 'yes-no' | 'count' | 'frame' | 'pages';
  readonly prompt: string;
  readonly choices: readonly { readonly id: string; readonly label: string }[];
  /** Null until answered. */
  readonly grade: PredictGrade | null;
  /** The learner skipped it: not graded, not counted as wrong. */
  readonly skipped: boolean;
}

/** Predict mode's saved part: whether it is on, which scenario text the grades belong to, the grades. */
export interface PersistedPredict {
  readonly on: boolean;
  /** A hash of the scenario's text: grades are kept only while the text is unchanged. */
  readonly scenario: string;
  readonly graded: readonly PredictGrade[];
  /** Ids of questions the learner skipped (absent: none). */
  readonly skipped?: readonly string[];
}

export interface PredictView {
  readonly on: boolean;
  readonly runId: number;
  /**
   * The step the questions are about: the one about to run (`pending`: the panel still shows the
   * step before it), or the step on show when its questions were answered. Null: nothing to ask.
   */
  readonly step: number | null;
  readonly pending: boolean;
  readonly line: number;
  readonly statement: string;
  readonly questions: readonly PredictQuestionView[];
  /** Graded answers and right ones; skipped questions are counted apart, never as wrong. */
  readonly score: { readonly asked: number; readonly correct: number; readonly skipped: number };
  readonly saved: PersistedPredict;
}
