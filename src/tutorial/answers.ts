// Questions, answers, grading and the score: the vocabulary every tutorial feature shares
// (predict mode in the panel, `expect … == ?` lines, generated exercises).
//
// Everything here is plain data, so a question can cross to the webview as it is. A `Posed`
// question pairs the public `Question` with its `Solution`; the host keeps the solution and
// sends only `question` (see `publicQuestion`), then grades what comes back with `grade`.

import { isTerminating, parseDecimal, pssText, ratio, ratioToDecimal, type Ratio } from '../engine';

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
  /** How many references will this page's frame have (mappings, pipe pages, pins)? Also `expect P R[i] refcount == ?`. */
  | 'refcount'
  /** `expect P R[i] mapcount == ?` */
  | 'mapcount'
  /** `expect COUNTER == ?` */
  | 'counter'
  /** `expect P R[i] frame == ?` */
  | 'frame'
  /** `expect P R[i] == ?` */
  | 'value'
  /** `expect P rss|pss|uss == ?` (issue 17) */
  | 'memory'
  /** What top will show as this process's RES after the step (pages) */
  | 'rss-after'
  /** What smem will show as this process's PSS after the step (pages, may be a fraction) */
  | 'pss-after'
  /** `expect V F[i] block == ?`: the physical block a file block is stored in */
  | 'block'
  /** Storage, predict mode: will this write store the block in a new physical block? (yes / no) */
  | 'new-block'
  /** Storage, predict mode: how many blocks will this step copy? */
  | 'blocks-copied'
  /** Storage, predict mode: will this write copy the file up from the container's lower layer? (yes / no) */
  | 'copied-up'
  /** Storage, predict mode: how many blocks will be in use after this step? */
  | 'blocks-after';

/**
 * How an answer is given:
 * - `yes-no`: a boolean;
 * - `count`: a whole number;
 * - `frame`: a frame id — `frame:N`, `new` (a frame this step allocates), `zero` (the shared zero
 *   page) or `none` (not present); `choices` lists the ones to offer, if any;
 * - `text`: a page's value;
 * - `pages`: a number of pages that may be a fraction (a PSS): `2.5`, `7/3`; kept as the reduced
 *   fraction `num/den` (`5/2`, `4/1`) so that grading compares exactly.
 */
export type AnswerForm = 'yes-no' | 'count' | 'frame' | 'text' | 'pages';

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
    case 'pages':
      return pagesAnswer(t);
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
  if (question.form === 'pages' && typeof given === 'string') given = pagesAnswer(given);
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
  if (form === 'pages') return typeof given === 'string' && PAGES_ANSWER.test(given);
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
    case 'pages':
      return 'a number of pages, e.g. 4, 2.5 or 7/3';
  }
}

export function answerToText(question: Question, given: Answer): string {
  if (typeof given === 'boolean') return given ? 'yes' : 'no';
  if (typeof given === 'number') return String(given);
  if (question.form === 'text') return JSON.stringify(given);
  if (question.form === 'pages') return pagesAnswerText(given);
  const choice = question.choices.find((c) => c.id === given);
  if (choice) return choice.label;
  return frameIdToText(given);
}

/** A reduced fraction as `pages` answers keep it: `5/2`, `4/1`. */
const PAGES_ANSWER = /^\d{1,30}\/\d{1,30}$/;

/** A pages answer from what a learner types (`2.5`, `7/3`, `4`) or a ratio: the reduced `num/den`. */
export function pagesAnswer(text: string | Ratio): string | undefined {
  if (typeof text !== 'string') return `${text.num}/${text.den}`;
  const t = text.trim();
  if (PAGES_ANSWER.test(t)) {
    const [num, den] = t.split('/').map((x) => BigInt(x));
    return num === undefined || den === undefined || den === 0n ? undefined : pagesAnswer(ratio(num, den));
  }
  if (t.length > 30) return undefined;
  const r = parseDecimal(t);
  return r === undefined ? undefined : pagesAnswer(r);
}

/** `5/2` → "2.5", `7/3` → "7/3 (2.333333)", `4/1` → "4". */
export function pagesAnswerText(answer: string): string {
  const [num, den] = answer.split('/').map((x) => BigInt(x));
  if (num === undefined || den === undefined || den === 0n) return answer;
  return pssText(ratio(num, den));
}

/**
 * A posed pages answer: the exact value, plus (when its decimal does not end) the decimals
 * rounded to 2 to 6 places, so 0.33 is right for a third of a page.
 */
export function pagesSolution(value: Ratio): { answer: string; alsoAccepted: string[]; answerText: string } {
  const answer = pagesAnswer(value) as string;
  const alsoAccepted: string[] = [];
  if (!isTerminating(value)) {
    for (let places = 2; places <= 6; places++) {
      const rounded = pagesAnswer(ratioToDecimal(value, places));
      if (rounded !== undefined && rounded !== answer && !alsoAccepted.includes(rounded)) alsoAccepted.push(rounded);
    }
  }
  return { answer, alsoAccepted, answerText: pssText(value) };
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
