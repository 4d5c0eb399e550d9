// `cow-lab exercise`: a generated exercise per seed (predict or reverse), its answers, and the
// grading of a learner's work. The exercises themselves live in src/tutorial (pure).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerSheet, createExercise, describeScore, EMPTY_SCORE, addToScore, gradeReverse, gradeSheet, isSeed, MAX_SEED,
  parseExerciseHeader, predictAnswers, renderPredictAnswers, renderReverseGrade, reverseSolution, type SampleReader,
} from '../tutorial';
import type { Command } from './command';
import { EXIT, parseCommandLine, UsageError } from './command';
import { readScenario, type CliIo } from './io';
import { formatDiagnostic } from './render';

/** exercise's own exit code for `--grade`: the work was read, and something is wrong or still open. */
export const EXERCISE_NOT_YET = 1;

export const exerciseCommand: Command = {
  name: 'exercise',
  summary: 'print a practice exercise for a seed, its answers, or grade your work',
  usage: 'cow-lab exercise [--seed N] [--reverse | --storage] [--answers] | cow-lab exercise --grade FILE',
  details: `Prints an exercise as a scenario; the same seed always gives the same exercise.
  (default)     a predict exercise: a scenario whose "expect ... == ?" lines are questions.
                Replace each ? with your answer; \`cow-lab run FILE\` then passes every line you got right.
  --reverse     a reverse exercise: the final page tables of a hidden scenario (same letter =
                same frame); write a scenario that builds them.
  --storage     a predict exercise about file blocks: a btrfs snapshot, a reflink or copy of a
                VM image, or a container's copy-up; questions on blocks, copies and contents.
  --seed N      the exercise's number, 0 to ${MAX_SEED} (default: a random one, named in the header)
  --answers     print the answers instead: each question's value and why (predict), or one
                scenario that solves it (reverse; others are just as right)
  --grade FILE  grade your work. The exercise is found from FILE's first line
                ("# CoW Lab exercise — predict, seed 17", or storage); quizzes ("# CoW Lab quiz — 02-write-fault.cow")
                and any scenario with "== ?" lines work too. Reverse exercises are graded by running
                FILE and comparing which pages share a frame, are private, zero, absent, writable.
Exit codes of --grade: 0 all right, ${EXERCISE_NOT_YET} something wrong or a ? still open, 2 FILE has errors, 66 FILE cannot be read.`,
  run(args, io) {
    const { flags, options, files } = parseCommandLine(args, ['reverse', 'storage', 'answers'], ['seed', 'grade']);
    if (files.length > 0) throw new UsageError(`unexpected argument '${files[0] ?? ''}' (to grade a file: --grade FILE)`);
    const gradeFile = options.get('grade');
    if (gradeFile !== undefined) {
      if (flags.has('answers') || options.has('seed') || flags.has('reverse') || flags.has('storage')) throw new UsageError('--grade FILE reads the exercise from FILE: give it alone');
      return grade(gradeFile, io);
    }
    const seedText = options.get('seed');
    if (seedText === undefined && flags.has('answers')) throw new UsageError('--answers needs the seed of your exercise: --seed N');
    const seed = seedText === undefined ? Math.floor(Math.random() * MAX_SEED) : Number(seedText);
    if (!/^\d+$/.test(seedText ?? '0') || !isSeed(seed)) throw new UsageError(`--seed needs a whole number from 0 to ${MAX_SEED}, got '${seedText ?? ''}'`);
    if (flags.has('reverse') && flags.has('storage')) throw new UsageError('--reverse and --storage are two kinds of exercise: give one');
    const kind = flags.has('reverse') ? 'reverse' : flags.has('storage') ? 'storage' : 'predict';
    if (!flags.has('answers')) {
      io.stdout(createExercise(kind, seed).source);
      return EXIT.ok;
    }
    if (kind === 'reverse') {
      io.stdout(`# One scenario that builds the goal of reverse exercise ${seed} (others are just as right):\n${reverseSolution(seed)}`);
    } else {
      io.stdout(`Answers to ${kind} exercise ${seed}:\n\n${renderPredictAnswers(predictAnswers(createExercise(kind, seed)))}\n`);
    }
    return EXIT.ok;
  },
};

function grade(file: string, io: CliIo): number {
  const read = readScenario(io, file);
  if (!read.ok) return read.exit;
  const header = parseExerciseHeader(read.text);
  if (header?.kind === 'reverse') {
    const result = gradeReverse(header.seed, read.text);
    if (!result.ok) {
      for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(file, d)}\n`);
      return EXIT.scenarioError;
    }
    io.stdout(`${renderReverseGrade(result)}\n`);
    return result.comparison.same ? EXIT.ok : EXERCISE_NOT_YET;
  }
  const sheet = answerSheet(read.text, readShippedSample);
  if (!sheet.ok) {
    for (const d of sheet.diagnostics) io.stderr(`${formatDiagnostic(file, d)}\n`);
    return EXIT.scenarioError;
  }
  if (sheet.entries.length === 0) {
    io.stdout(`${file}: no questions here — put ? in place of a value (expect copies == ?), or make one with cow-lab exercise\n`);
    return EXIT.ok;
  }
  const { graded, open } = gradeSheet(sheet.entries);
  let score = EMPTY_SCORE;
  for (const g of graded) {
    score = addToScore(score, g);
    const mark = g.correct ? '✓' : '✗';
    const verdict = g.correct ? `right: ${g.answerText}` : `you wrote ${g.givenText}; the answer is ${g.answerText}`;
    io.stdout(`${mark} line ${g.line}: ${verdict}\n    ${g.explanation}\n`);
  }
  for (const entry of open) io.stdout(`? line ${entry.line}: ${entry.question.claim} — not answered yet\n`);
  io.stdout(`\n${describeScore(score)}${open.length > 0 ? `; ${open.length} still open` : ''}\n`);
  return score.correct === score.asked && open.length === 0 ? EXIT.ok : EXERCISE_NOT_YET;
}

/** Samples shipped next to the CLI: dist/cli.js → samples/, or src/cli → samples/ under tsx. */
const readShippedSample: SampleReader = (name) => {
  if (!/^[\w.-]+\.cow$/.test(name)) return undefined;
  for (const dir of [join(__dirname, '..', 'samples'), join(__dirname, '..', '..', 'samples')]) {
    const path = join(dir, name);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return undefined;
};
