// Exercises, one per seed:
// - predict: a scenario with `expect … == ?` questions; the answers are what the engine says.
// - reverse: the final page tables of a hidden scenario; the learner writes a scenario that
//   builds the same sharing structure, graded by running it on the engine.
// - storage: a predict exercise about file blocks (snapshots, reflinks, copy-up); the storage
//   model answers.
// Each exercise document starts with a header line naming its kind and seed, so a checker
// (`cow-lab exercise --grade`, "CoW Lab: Check My Answers") can find the goal again from the
// text alone.
import { runScenario, type Diagnostic } from '../language';
import { expectQuestions, type ExpectQuestion } from './expectQuestions';
import { generateScenario, MAX_SEED, type GeneratedLine, type GeneratedScenario } from './generate';
import { generateStorageScenario } from './generateStorage';
import { compareStructures, renderStructure, STRUCTURE_LEGEND, structureOf, type Structure, type StructureComparison } from './structure';

export type ExerciseKind = 'predict' | 'reverse' | 'storage';

export interface Exercise {
  readonly kind: ExerciseKind;
  readonly seed: number;
  /** The document the learner works on. */
  readonly source: string;
}

export type ExerciseHeader =
  | { readonly kind: ExerciseKind; readonly seed: number }
  | { readonly kind: 'quiz'; readonly sample: string };

const HEADER = /^#\s*CoW Lab exercise\s*[—–-]+\s*(predict|reverse|storage),\s*seed\s+(\d{1,10})\s*$/i;
const QUIZ_HEADER = /^#\s*CoW Lab quiz\s*[—–-]+\s*([\w.-]+\.cow)\s*$/i;

export function isSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SEED;
}

/** The kind and seed (or quiz sample) named on the document's first non-empty line, if any. */
export function parseExerciseHeader(source: string): ExerciseHeader | undefined {
  const first = source.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const m = HEADER.exec(first);
  if (m) {
    const seed = Number(m[2]);
    return isSeed(seed) ? { kind: (m[1] ?? 'predict').toLowerCase() as ExerciseKind, seed } : undefined;
  }
  const q = QUIZ_HEADER.exec(first);
  return q ? { kind: 'quiz', sample: q[1] ?? '' } : undefined;
}

/**
 * Exercises and quizzes keep their answers until "Check My Answers": nothing that runs as the
 * learner types (the editor's failed-expectation diagnostics) may say what a value should be.
 */
export function hidesAnswers(source: string): boolean {
  return parseExerciseHeader(source) !== undefined;
}

export function exerciseHeader(kind: ExerciseKind, seed: number): string {
  return `# CoW Lab exercise — ${kind}, seed ${seed}`;
}

/**
 * The exercise of a seed. `file` is the path its header tells the learner to pass to `cow-lab`
 * (the extension saves exercises and knows it); FILE when it is not known yet.
 */
export function createExercise(kind: ExerciseKind, seed: number, file = 'FILE'): Exercise {
  if (!isSeed(seed)) throw new RangeError(`a seed is a whole number from 0 to ${MAX_SEED}`);
  const shown = /^[\w./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  if (kind === 'storage') return storageExercise(seed, shown);
  return kind === 'predict' ? predictExercise(seed, shown) : reverseExercise(seed, shown);
}

/** Statements, and each question under a `# Qn:` comment. */
function numbered(lines: readonly GeneratedLine[]): string[] {
  const body: string[] = [];
  let n = 0;
  for (const line of lines) {
    if (line.kind === 'op') body.push(line.text);
    else {
      n += 1;
      body.push(`# Q${n}: ${line.comment}`, line.text);
    }
  }
  return body;
}

function modeLine(g: GeneratedScenario): string[] {
  return g.policy === 'eager' ? ['mode eager', ''] : [];
}

function predictExercise(seed: number, file: string): Exercise {
  const g = generateScenario(seed, { questions: true, small: false });
  const body = numbered(g.lines);
  const source = [
    exerciseHeader('predict', seed),
    '# Predict before you run: replace each ? with your answer, then run "CoW Lab: Check My Answers"',
    `# (or cow-lab run ${file}: every expectation passes when you are right). Answers: cow-lab exercise --seed ${seed} --answers`,
    ...(g.policy === 'eager' ? ['# This one runs in eager mode: fork copies every resident private page at once.'] : []),
    ...(body.some((l) => / frame == \?$/.test(l)) ? ['# Frames are numbered 1, 2, 3 … as they are allocated, always the lowest free number first.'] : []),
    '',
    ...modeLine(g),
    ...body,
    '',
  ].join('\n');
  return { kind: 'predict', seed, source };
}

/** Hints that make a storage exercise fair: how each file system in it shares and frees blocks. */
const STORAGE_HINTS: Readonly<Record<string, string>> = {
  btrfs: '# btrfs writes every changed block to a new place (a new extent) and frees an old extent only when no file references any of its blocks.',
  xfs: '# XFS writes in place unless a block is shared; a write to a shared block gives just that block a new one (its CoW staging space is not modelled).',
  ext4: '# ext4 cannot share blocks: a copy writes every block anew, and a write changes the block in place.',
  overlay: '# A container copies a file up to its upper volume on the first write: a clone when both are on one btrfs or XFS file system, a full copy otherwise.',
};

function storageExercise(seed: number, file: string): Exercise {
  const g = generateStorageScenario(seed);
  const source = [
    exerciseHeader('storage', seed),
    '# Predict before you run: replace each ? with your answer, then run "CoW Lab: Check My Answers"',
    `# (or cow-lab run ${file}). Answers: cow-lab exercise --storage --seed ${seed} --answers`,
    '# Files are counted in 4 KiB blocks; "blocks" is every block allocated on every volume.',
    ...[...g.fileSystems, ...(g.story === 'container' ? ['overlay'] : [])].map((fs) => STORAGE_HINTS[fs] ?? ''),
    '',
    ...numbered(g.lines),
    '',
  ].join('\n');
  return { kind: 'storage', seed, source };
}

/** The hidden scenario of a reverse exercise: it builds the goal. */
export function reverseSolution(seed: number): string {
  const g = generateScenario(seed, { questions: false, small: true });
  return [...modeLine(g), ...g.lines.map((l) => l.text), ''].join('\n');
}

/** The structure a reverse exercise asks for. */
export function reverseGoal(seed: number): Structure {
  const outcome = runScenario(reverseSolution(seed));
  // The generator only writes valid scenarios (tested over many seeds); an empty goal is a bug.
  if (!outcome.ok) throw new Error(`reverse exercise ${seed}: the generated scenario does not run`);
  return structureOf(outcome.run.timeline.latest);
}

function reverseExercise(seed: number, file: string): Exercise {
  const g = generateScenario(seed, { questions: false, small: true });
  const goal = reverseGoal(seed);
  const source = [
    exerciseHeader('reverse', seed),
    '# Work backwards: write a scenario whose final page tables look like these, then run',
    `# "CoW Lab: Check My Answers" (or cow-lab exercise --reverse --seed ${seed} --grade ${file}).`,
    '#',
    ...renderStructure(goal).map((l) => `#   ${l}`),
    '#',
    ...STRUCTURE_LEGEND.map((l) => `# ${l}`),
    '# Only these processes may be alive at the end; others may come and go.',
    '',
    ...modeLine(g),
    'process parent',
    `parent: map heap ${g.heapPages} private`,
    ...(g.board ? ['parent: map board 2 shared'] : []),
    '# your statements here',
    '',
  ].join('\n');
  return { kind: 'reverse', seed, source };
}

/** The questions of a predict exercise with their answers (what `--answers` prints). */
export function predictAnswers(exercise: Exercise): readonly ExpectQuestion[] {
  const outcome = expectQuestions(exercise.source);
  if (!outcome.ok) throw new Error(`predict exercise ${exercise.seed}: the generated scenario does not run`);
  return outcome.questions;
}

export type ReverseGrade =
  | { readonly ok: true; readonly comparison: StructureComparison; readonly goal: Structure; readonly got: Structure }
  /** The learner's scenario does not run: fix these first. */
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Runs the learner's scenario and compares its final sharing structure with the goal of `seed`. */
export function gradeReverse(seed: number, learnerSource: string): ReverseGrade {
  const outcome = runScenario(learnerSource);
  if (!outcome.ok) return { ok: false, diagnostics: outcome.diagnostics };
  const goal = reverseGoal(seed);
  const got = structureOf(outcome.run.timeline.latest);
  return { ok: true, comparison: compareStructures(goal, got), goal, got };
}

/** Plain-text answers for the CLI and the output channel. */
export function renderPredictAnswers(questions: readonly ExpectQuestion[]): string {
  return questions.map((q, i) => `Q${i + 1} (line ${q.line}) ${q.claim.replace('?', q.solution.answerText)}\n    ${q.solution.explanation}`).join('\n\n');
}

export function renderReverseGrade(grade: ReverseGrade): string {
  if (!grade.ok) return `Your scenario does not run yet:\n${grade.diagnostics.map((d) => `  line ${d.range.line}: ${d.message}`).join('\n')}`;
  if (grade.comparison.same) return 'Right: your scenario builds exactly the goal\'s sharing structure.';
  return [
    'Not yet. What differs:',
    ...grade.comparison.differences.map((d) => `  - ${d}`),
    'Goal:',
    ...renderStructure(grade.goal).map((l) => `    ${l}`),
    'Yours:',
    ...renderStructure(grade.got).map((l) => `    ${l}`),
  ].join('\n');
}
