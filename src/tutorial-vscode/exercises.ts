// cowLab.newExercise opens a generated exercise as the learner's document (copies.ts);
// cowLab.checkExercise grades a document: a reverse exercise by running it, anything with
// `expect … == ?` (exercises, quizzes, the learner's own scenarios) by asking for each open `?` in
// an input box and grading every answer. Results go to the "CoW Lab Exercises" output channel.
//
// Both accept arguments so tests and the walkthrough can drive them without pickers:
//   newExercise({ kind: 'predict' | 'reverse' | 'storage', seed: number })
//   checkExercise({ answers?: string[], quiz?: string })   answers for the open `?`s, in order;
//     quiz: the sample whose quiz to check (the learner's copy, opened if needed), else the
//     active editor.
import * as vscode from 'vscode';
import {
  addToScore, answerSheet, describeScore, EMPTY_SCORE, gradeReverse, gradeSheet, gradeText, isSeed, MAX_SEED,
  parseExerciseHeader, renderReverseGrade, formHint, type ExerciseKind, type Graded, type Score, type SheetEntry,
} from '../tutorial';
import type { LearnerCopies } from './copies';
import type { Samples } from './samples';

export const NEW_EXERCISE = 'cowLab.newExercise';
export const CHECK_EXERCISE = 'cowLab.checkExercise';

export interface CheckResult {
  readonly kind: 'reverse' | 'questions' | 'none' | 'errors';
  readonly graded: readonly Graded[];
  readonly score: Score;
  /** Reverse exercises: the scenario builds the goal. */
  readonly solved?: boolean;
}

export function registerExercises(context: vscode.ExtensionContext, samples: Samples, copies: LearnerCopies, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(NEW_EXERCISE, async (args?: unknown) => {
      const document = await newExercise(copies, args);
      // The walkthrough's step ticks when an exercise opened, not when the command merely ran.
      if (document) await setDone('cowLab.tutorial.exerciseOpened');
      return document;
    }),
    vscode.commands.registerCommand(CHECK_EXERCISE, (args?: unknown) => checkExercise(samples, copies, output, args)),
  );
}

async function newExercise(copies: LearnerCopies, args: unknown): Promise<vscode.TextDocument | undefined> {
  const given = typeof args === 'object' && args !== null ? (args as { kind?: unknown; seed?: unknown }) : {};
  let kind: ExerciseKind | undefined = given.kind === 'predict' || given.kind === 'reverse' || given.kind === 'storage' ? given.kind : undefined;
  if (kind === undefined) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Predict', description: 'a scenario with ? questions: what will each step copy?', exercise: 'predict' as const },
        { label: 'Work backwards', description: 'final page tables: write a scenario that builds them', exercise: 'reverse' as const },
        { label: 'Storage', description: 'snapshots, reflinks, copy-up: how many blocks, what does each file hold?', exercise: 'storage' as const },
      ],
      // ignoreFocusOut: from the Welcome page, which takes the focus back as it re-renders.
      { title: 'New CoW Lab exercise', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    kind = picked.exercise;
  }
  const seed = typeof given.seed === 'number' && isSeed(given.seed) ? given.seed : Math.floor(Math.random() * MAX_SEED);
  return copies.exercise(kind, seed);
}

async function checkExercise(samples: Samples, copies: LearnerCopies, output: vscode.OutputChannel, args: unknown): Promise<CheckResult | undefined> {
  const options = typeof args === 'object' && args !== null ? (args as { answers?: unknown; quiz?: unknown }) : {};
  const document = typeof options.quiz === 'string' ? await copies.open(options.quiz, 'quiz') : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'cow') {
    void vscode.window.showInformationMessage('Open a CoW Lab exercise or a .cow scenario with "== ?" questions first.');
    return undefined;
  }
  const given = Array.isArray(options.answers) ? options.answers.map(String) : undefined;
  const source = document.getText();
  const header = parseExerciseHeader(source);
  const name = document.isUntitled ? 'this exercise' : vscode.workspace.asRelativePath(document.uri);
  output.appendLine(`── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}`);
  if (header?.kind === 'reverse') {
    const grade = gradeReverse(header.seed, source);
    output.appendLine(renderReverseGrade(grade));
    output.show(true);
    const solved = grade.ok && grade.comparison.same;
    if (solved) await setDone('cowLab.tutorial.exerciseChecked');
    void (solved
      ? vscode.window.showInformationMessage('Right: your scenario builds the goal\'s page tables.')
      : vscode.window.showWarningMessage(grade.ok ? 'Not yet: see the differences in the output.' : 'Your scenario does not run yet: see the problems in the output.'));
    return { kind: grade.ok ? 'reverse' : 'errors', graded: [], score: EMPTY_SCORE, solved };
  }
  const sampleName = header?.kind === 'quiz' ? header.sample : undefined;
  const sampleText = sampleName !== undefined ? await samples.read(sampleName) : undefined;
  const sheet = answerSheet(source, (n) => (n === sampleName ? sampleText : undefined));
  if (!sheet.ok) {
    for (const d of sheet.diagnostics) output.appendLine(`line ${d.range.line}: ${d.message}`);
    output.show(true);
    void vscode.window.showWarningMessage('This scenario has errors: fix them, then check again (see the output).');
    return { kind: 'errors', graded: [], score: EMPTY_SCORE };
  }
  if (sheet.entries.length === 0) {
    void vscode.window.showInformationMessage('No questions here. Put ? in place of a value in an expect line (expect copies == ?), or start with "CoW Lab: New Exercise".');
    return { kind: 'none', graded: [], score: EMPTY_SCORE };
  }
  const { graded: filled, open } = gradeSheet(sheet.entries);
  const graded: (Graded & { readonly line: number })[] = [...filled];
  for (const [i, entry] of open.entries()) {
    const typed = given ? given[i] : await ask(entry, i, open.length);
    if (typed === undefined) break;
    graded.push({ ...gradeText(entry.question, typed), line: entry.line });
  }
  graded.sort((a, b) => a.line - b.line);
  const score = graded.reduce(addToScore, EMPTY_SCORE);
  report(output, graded, score);
  if (graded.length === sheet.entries.length) {
    if (sampleName !== undefined) await setDone(`cowLab.tutorial.checked${sampleName.slice(0, 2)}`);
    if (header?.kind === 'predict' || header?.kind === 'storage') await setDone('cowLab.tutorial.exerciseChecked');
  }
  const unanswered = sheet.entries.length - graded.length;
  void vscode.window.showInformationMessage(`${describeScore(score)}${unanswered > 0 ? `, ${unanswered} not answered` : ''}. The explanations are in the output.`);
  return { kind: 'questions', graded, score };
}

async function ask(entry: SheetEntry, index: number, count: number): Promise<string | undefined> {
  const q = entry.question.question;
  return vscode.window.showInputBox({
    title: `Question ${index + 1} of ${count}`,
    prompt: q.prompt,
    placeHolder: formHint(q.form),
    ignoreFocusOut: true,
  });
}

function report(output: vscode.OutputChannel, graded: readonly (Graded & { readonly line: number })[], score: Score): void {
  for (const g of graded) {
    const where = `line ${g.line}`;
    output.appendLine(g.correct ? `✓ ${where}: right, ${g.answerText}` : `✗ ${where}: you said ${g.givenText}; the answer is ${g.answerText}`);
    output.appendLine(`    ${g.explanation}`);
  }
  output.appendLine(describeScore(score));
  output.appendLine('');
  output.show(true);
}

/** Walkthrough steps complete on these context keys (completionEvents onContext:…). */
async function setDone(key: string): Promise<void> {
  await vscode.commands.executeCommand('setContext', key, true);
}
