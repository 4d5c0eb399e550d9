// The learner's answer sheet: a document whose `?`s are questions, some perhaps already
// replaced by the learner's values. Its questions are answered from a reference — the
// exercise or quiz named in its header, regenerated from the seed or the shipped sample, so
// editing the statements cannot change the answers — or, for any other scenario, from the
// document itself. Filled-in values are graded; the `?`s still there are left to ask.
import { analyze, describeClaim, isQuestion, type Claim, type Diagnostic } from '../language';
import { frameId, grade, pagesAnswer, type Answer, type Graded } from './answers';
import { createExercise, parseExerciseHeader, type ExerciseHeader } from './exercise';
import { expectQuestions, type ExpectQuestion } from './expectQuestions';
import { quizFromSample } from './quiz';

export interface SheetEntry {
  readonly question: ExpectQuestion;
  /** The value the learner wrote in place of `?`; undefined while the `?` is still there. */
  readonly filled?: Answer;
  /** The line of the learner's document the question is on. */
  readonly line: number;
}

export type AnswerSheet =
  | { readonly ok: true; readonly header?: ExerciseHeader; readonly entries: readonly SheetEntry[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Reads a shipped sample by file name (the CLI from disk, the extension from its samples/). */
export type SampleReader = (name: string) => string | undefined;

export function answerSheet(learnerSource: string, readSample: SampleReader): AnswerSheet {
  const header = parseExerciseHeader(learnerSource);
  const reference = referenceSource(header, learnerSource, readSample);
  const outcome = expectQuestions(reference);
  if (!outcome.ok) return { ok: false, diagnostics: outcome.diagnostics };
  const learner = analyze(learnerSource);
  const expects = learner.program.statements.flatMap((s) => (s.kind === 'expect' ? [s] : []));
  // Pair in order: each question takes the next expect line that asks the same thing.
  const entries: SheetEntry[] = [];
  let next = 0;
  for (const question of outcome.questions) {
    let found: SheetEntry | undefined;
    for (let i = next; i < expects.length; i += 1) {
      const s = expects[i];
      if (s === undefined || askedAs(s.claim) !== question.claim) continue;
      const filled = filledValue(s.claim);
      found = { question, line: s.range.line, ...(filled !== undefined ? { filled } : {}) };
      next = i + 1;
      break;
    }
    entries.push(found ?? { question, line: question.line });
  }
  return { ok: true, ...(header !== undefined ? { header } : {}), entries };
}

function referenceSource(header: ExerciseHeader | undefined, learnerSource: string, readSample: SampleReader): string {
  if (header?.kind === 'predict' || header?.kind === 'storage') return createExercise(header.kind, header.seed).source;
  if (header?.kind === 'quiz') {
    const sample = readSample(header.sample);
    if (sample !== undefined) return quizFromSample(header.sample, sample).source;
  }
  return learnerSource;
}

/** The claim as it reads with its value replaced by `?`: `copies == ?`. */
function askedAs(claim: Claim): string {
  switch (claim.kind) {
    case 'counter':
      return claim.op.text === '==' ? describeClaim({ ...claim, expected: { question: true, range: claim.expected.range } }) : '';
    case 'frame':
    case 'value':
    case 'memory':
    case 'block':
      return claim.op.text === '==' ? describeClaim({ ...claim, expected: { question: true, range: claim.expected.range } }) : '';
    default:
      return '';
  }
}

function filledValue(claim: Claim): Answer | undefined {
  if (claim.kind === 'counter' && !isQuestion(claim.expected)) return claim.expected.value;
  if (claim.kind === 'frame' && !isQuestion(claim.expected)) return frameId(claim.expected.value);
  if (claim.kind === 'value' && !isQuestion(claim.expected)) return claim.expected.value;
  if (claim.kind === 'block' && !isQuestion(claim.expected)) return claim.expected.value;
  if (claim.kind === 'memory' && !isQuestion(claim.expected)) return pagesAnswer(claim.expected.text);
  return undefined;
}

/** Grades every filled-in value; `?`s still open are listed, not graded. */
export function gradeSheet(entries: readonly SheetEntry[]): { readonly graded: readonly (Graded & { readonly line: number })[]; readonly open: readonly SheetEntry[] } {
  const graded: (Graded & { line: number })[] = [];
  const open: SheetEntry[] = [];
  for (const entry of entries) {
    if (entry.filled === undefined) open.push(entry);
    else graded.push({ ...grade(entry.question, entry.filled), line: entry.line });
  }
  return { graded, open };
}
