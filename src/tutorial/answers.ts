// Questions, answers, grading and the score: the vocabulary every tutorial feature shares
// (predict mode in the panel, `expect … == ?` lines, generated exercises).
//
// Everything here is plain data, so a question can cross to the webview as it is. A `Posed`
// question pairs the public `Question` with its `Solution`; the host keeps the solution and
// sends only `question` (see `publicQuestion`), then grades what comes back with `grade`.

/** What the learner is asked to predict. */
export type QuestionKind =
  /** Will this write copy a frame? (yes / no) */
  | 'will-copy'
  /** How many pages will this step copy? */
  | 'copies'
  /** How many frames will be in use after this step? */
  | 'frames-after'
  /** Which frame will this page use after the step? */
  | 'which-frame'
  /** `expect COUNTER == ?` */
  | 'counter'
  /** `expect P R[i] frame == ?` */
  | 'frame'
  /** `expect P R[i] == ?` */
  | 'value';

/**
 * How an answer is given:
 * - `yes-no`: a boolean;
 * - `count`: a whole number;
 * - `frame`: a frame id — `frame:N`, `new` (a frame this step allocates), `zero` (the shared zero
 *   page) or `none` (not present); `choices` lists the ones to offer, if any;
 * - `text`: a page's value.
 */
export type AnswerForm = 'yes-no' | 'count' | 'frame' | 'text';

export type Answer = boolean | number | string;

export interface Choice {
  readonly id: string;
  readonly label: string;
}

export interface Question {
  /** Unique within one scenario run: `step-4/which-frame`, `line-12`. */
  readonly id: string;
  readonly kind: QuestionKind;
  readonly form: AnswerForm;
  /** One sentence, ending with a question mark. */
  readonly prompt: string;
  /** For `frame` questions in predict mode: what to pick from (the right one is always there). */
  readonly choices: readonly Choice[];
}

export interface Solution {
  readonly answer: Answer;
  /** Other answers that are just as right (e.g. the exact number of a frame this step allocates). */
  readonly alsoAccepted: readonly Answer[];
  /** The right answer in words: "yes", "5", "a new frame (frame 5)". */
  readonly answerText: string;
  /** Why, naming the kernel function that does it. */
  readonly explanation: string;
}

export interface Posed {
  readonly question: Question;
  readonly solution: Solution;
}

export interface Graded {
  readonly questionId: string;
  readonly kind: QuestionKind;
  readonly correct: boolean;
  /** What the learner answered, in words (or why it could not be read). */
  readonly givenText: string;
  readonly answerText: string;
  readonly explanation: string;
}

/** The question without its solution: what may be shown before the learner answers. */
export function publicQuestion(posed: Posed): Question {
  return posed.question;
}

/** Frame ids as `frame` answers use them. */
export const FRAME_NEW = 'new';
export const FRAME_ZERO = 'zero';
export const FRAME_NONE = 'none';
export function frameId(frame: number): string {
  return `frame:${frame}`;
}

/**
 * Reads a typed answer: `yes`/`no`/`y`/`n`/`true`/`false`; a whole number; for frames `5`,
 * `frame 5`, `new`, `zero`, `zero page`, `none`, `not present`, `-`; for values the text with or
 * without quotes. `undefined` when the text cannot be an answer of this form.
 */
export function parseAnswer(question: Question, text: string): Answer | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  switch (question.form) {
    case 'yes-no':
      if (['yes', 'y', 'true', 'copy', 'copies'].includes(lower)) return true;
      if (['no', 'n', 'false', 'none', '0'].includes(lower)) return false;
      return undefined;
    case 'count':
      return /^\d{1,9}$/.test(t) ? Number(t) : undefined;
    case 'frame': {
      const choice = question.choices.find((c) => c.id === t || c.label.toLowerCase() === lower);
      if (choice) return choice.id;
      const numbered = /^(?:frame[\s:#]*)?(\d{1,9})$/.exec(lower);
      if (numbered) return frameId(Number(numbered[1]));
      if (['new', 'a new frame', 'new frame', 'fresh'].includes(lower)) return FRAME_NEW;
      if (['zero', 'zero page', 'the zero page', 'the shared zero page', '0 page'].includes(lower)) return FRAME_ZERO;
      if (['none', 'not present', 'absent', '-', '—', 'null', 'no frame'].includes(lower)) return FRAME_NONE;
      return undefined;
    }
    case 'text':
      if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
        try {
          const parsed: unknown = JSON.parse(t);
          if (typeof parsed === 'string') return parsed;
        } catch {
          return t.slice(1, -1);
        }
      }
      return t;
  }
}

/** Grades an answer (typed or picked) against the solution. Never throws. */
export function grade(posed: Posed, given: Answer | undefined): Graded {
  const { question, solution } = posed;
  const base = { questionId: question.id, kind: question.kind, answerText: solution.answerText, explanation: solution.explanation };
  if (given === undefined || !fitsForm(question.form, given)) {
    return { ...base, correct: false, givenText: `no answer of the right kind (${formHint(question.form)})` };
  }
  const correct = [solution.answer, ...solution.alsoAccepted].some((a) => a === given);
  return { ...base, correct, givenText: answerToText(question, given) };
}

/** Parses and grades typed text in one go (the CLI and the input box use this). */
export function gradeText(posed: Posed, text: string): Graded {
  return grade(posed, parseAnswer(posed.question, text));
}

function fitsForm(form: AnswerForm, given: Answer): boolean {
  if (form === 'yes-no') return typeof given === 'boolean';
  if (form === 'count') return typeof given === 'number' && Number.isInteger(given) && given >= 0;
  return typeof given === 'string';
}

export function formHint(form: AnswerForm): string {
  switch (form) {
    case 'yes-no':
      return 'yes or no';
    case 'count':
      return 'a whole number';
    case 'frame':
      return "a frame number, 'new', 'zero' or 'none'";
    case 'text':
      return 'the text the page holds';
  }
}

export function answerToText(question: Question, given: Answer): string {
  if (typeof given === 'boolean') return given ? 'yes' : 'no';
  if (typeof given === 'number') return String(given);
  if (question.form === 'text') return JSON.stringify(given);
  const choice = question.choices.find((c) => c.id === given);
  if (choice) return choice.label;
  return frameIdToText(given);
}

export function frameIdToText(id: string): string {
  if (id === FRAME_NEW) return 'a new frame';
  if (id === FRAME_ZERO) return 'the shared zero page';
  if (id === FRAME_NONE) return 'no frame (not present)';
  const n = /^frame:(\d+)$/.exec(id);
  return n ? `frame ${n[1]}` : id;
}

// ---------------------------------------------------------------------------------------------
// Score

export interface Tally {
  readonly asked: number;
  readonly correct: number;
}

export interface Score extends Tally {
  /** Right answers in a row, ending with the last one graded. */
  readonly streak: number;
  readonly bestStreak: number;
  readonly byKind: Readonly<Partial<Record<QuestionKind, Tally>>>;
}

export const EMPTY_SCORE: Score = { asked: 0, correct: 0, streak: 0, bestStreak: 0, byKind: {} };

/** A new score with one more graded answer (scores are values: keep one per scenario). */
export function addToScore(score: Score, graded: Graded): Score {
  const kind = score.byKind[graded.kind] ?? { asked: 0, correct: 0 };
  const streak = graded.correct ? score.streak + 1 : 0;
  return {
    asked: score.asked + 1,
    correct: score.correct + (graded.correct ? 1 : 0),
    streak,
    bestStreak: Math.max(score.bestStreak, streak),
    byKind: { ...score.byKind, [graded.kind]: { asked: kind.asked + 1, correct: kind.correct + (graded.correct ? 1 : 0) } },
  };
}

/** "4 of 5 right (80%)". */
export function describeScore(score: Tally): string {
  if (score.asked === 0) return 'no questions answered yet';
  return `${score.correct} of ${score.asked} right (${Math.round((100 * score.correct) / score.asked)}%)`;
}
