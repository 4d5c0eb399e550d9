// `expect … == ?` questions, quizzes made from samples, and answer sheets. Answers worked by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runScenario } from '../../../src/language';
import { answerSheet, expectQuestions, gradeSheet, gradeText, quizFromSample, type SampleReader } from '../../../src/tutorial';

const samplesDir = join(resolve(__dirname, '..', '..', '..'), 'samples');
const read = (name: string): string => readFileSync(join(samplesDir, name), 'utf8');
const readSample: SampleReader = read;

// frames: heap[0..1] written → 1, 2. fork. child writes heap[0] → copy into 3.
const SCENARIO = `process parent
parent: map heap 3 private
parent: write heap[0..1] "v1"
parent: fork child
child: write heap[0] "mine"
expect copies == ?
expect child heap[0] frame == ?
expect parent heap[0] == ?
expect child heap[2] frame == ?
expect frames == 3
`;

describe('expect … == ? questions', () => {
  it('poses one question per ?, answered by hand-worked values, and leaves other expects alone', () => {
    const outcome = expectQuestions(SCENARIO);
    assert.ok(outcome.ok);
    const got = outcome.questions.map((q) => [q.line, q.question.form, q.solution.answer]);
    assert.deepEqual(got, [
      [6, 'count', 1],
      [7, 'frame', 'frame:3'],
      [8, 'text', 'v1'],
      [9, 'frame', 'none'],
    ]);
    assert.equal(outcome.questions[0]?.claim, 'copies == ?');
  });

  it('explains a counter by the lines that changed it', () => {
    const outcome = expectQuestions(SCENARIO);
    assert.ok(outcome.ok);
    const copies = outcome.questions[0];
    assert.ok(copies);
    assert.match(copies.solution.explanation, /line 5 \(`child: write heap\[0\] "mine"`\) \+1/);
    assert.match(copies.solution.explanation, /wp_page_copy/);
    const frame = outcome.questions[1];
    assert.match(frame?.solution.explanation ?? '', /It last changed at line 5/);
  });

  it('tells a counter\'s history in the order the steps ran, each step named by its line', () => {
    // Worked by hand: line 5's write to the shared heap[0] copies it (copies 0 -> 1); line 6
    // writes the child's own private copy again, which changes nothing. The explanation must
    // read line 5's copy first, then line 6 as the later step that did not change the count.
    const source = SCENARIO.split('\n').slice(0, 5).join('\n') + '\nchild: write heap[0] "again"\nexpect copies == ?\n';
    const outcome = expectQuestions(source);
    assert.ok(outcome.ok);
    const text = outcome.questions[0]?.solution.explanation ?? '';
    assert.match(text, /The last change, line 5 \(`child: write heap\[0\] "mine"`\): child wrote heap\[0\]; .*wp_page_copy/);
    assert.match(text, /Then line 6 \(`child: write heap\[0\] "again"`\) did not change it: child wrote heap\[0\]; the entry is already writable/);
    assert.ok(text.indexOf('line 5 (') < text.indexOf('Then line 6'), text);
    const none = expectQuestions('process p\np: map heap 2 private\np: write heap[0] "a"\nexpect copies == ?\n');
    assert.ok(none.ok);
    assert.match(none.questions[0]?.solution.explanation ?? '', /^copies is 0\. No step before line 4 changed it\. The step just before, line 3 \(`p: write heap\[0\] "a"`\): /);
  });

  it('grades typed answers', () => {
    const outcome = expectQuestions(SCENARIO);
    assert.ok(outcome.ok);
    const [copies, frame, value, absent] = outcome.questions;
    assert.ok(copies && frame && value && absent);
    assert.equal(gradeText(copies, '1').correct, true);
    assert.equal(gradeText(copies, '0').correct, false);
    assert.equal(gradeText(frame, '3').correct, true);
    assert.equal(gradeText(frame, '1').correct, false);
    assert.equal(gradeText(value, '"v1"').correct, true);
    assert.equal(gradeText(value, 'mine').correct, false);
    assert.equal(gradeText(absent, 'not present').correct, true);
  });

  it('reports a scenario with errors instead of asking', () => {
    const outcome = expectQuestions('process a\na: write heap[0]\nexpect copies == ?\n');
    assert.equal(outcome.ok, false);
  });
});

describe('quizzes made from samples', () => {
  it('turns 02-write-fault\'s counters and single-page values into questions, nothing else', () => {
    const source = read('02-write-fault.cow');
    const quiz = quizFromSample('02-write-fault.cow', source);
    // 02 has: copies == 1, frames == 5, faults == 5, child heap[1] == "mine", parent heap[1] ==
    // "original", faults == 5, copies == 1 — seven values.
    assert.equal(quiz.questions, 7);
    assert.match(quiz.source, /^# CoW Lab quiz — 02-write-fault\.cow\n/);
    assert.match(quiz.source, /^expect copies == \?$/m);
    assert.match(quiz.source, /^expect child heap\[1\] == \?$/m);
    assert.match(quiz.source, /^expect parent heap\[1\] private$/m, 'claims without a value stay');
    assert.doesNotMatch(quiz.source, /expect frames == 5/);
    const run = runScenario(quiz.source);
    assert.ok(run.ok);
    assert.equal(run.run.expectations.filter((e) => e.question).length, 7);
  });

  it('hides what would give the answers away: the worked-out comments and the notes', () => {
    const quiz = quizFromSample('02-write-fault.cow', read('02-write-fault.cow')).source;
    assert.match(quiz, /^# The write fault: the first write to a shared page copies that one page\.$/m, 'the title stays');
    assert.doesNotMatch(quiz, /Worked by hand|frames 4 -> 5/);
    assert.doesNotMatch(quiz, /^note /m);
    const comments = quiz.split('\n').filter((l) => l.startsWith('#'));
    assert.equal(comments.length, 3, comments.join('\n'));
    const trailing = quizFromSample('x.cow', 'process a\na: map h 2\na: write h[0]\nexpect frames == 1 # one fresh frame\n').source;
    assert.match(trailing, /^expect frames == \?$/m);
  });

  it('grades a quiz filled in with the sample\'s own values as all right, and a wrong value as wrong', () => {
    const source = read('02-write-fault.cow');
    const quiz = quizFromSample('02-write-fault.cow', source).source;
    // The hand-worked values of the sample itself, in order.
    const values = ['1', '5', '5', '"mine"', '"original"', '5', '1'];
    let i = 0;
    const filled = quiz.replace(/== \?/g, () => `== ${values[i++] ?? '?'}`);
    const sheet = answerSheet(filled, readSample);
    assert.ok(sheet.ok);
    assert.deepEqual(sheet.header, { kind: 'quiz', sample: '02-write-fault.cow' });
    const all = gradeSheet(sheet.entries);
    assert.equal(all.open.length, 0);
    assert.deepEqual(all.graded.map((g) => g.correct), [true, true, true, true, true, true, true]);

    const oneWrong = quiz.replace('== ?', '== 0');
    const partly = gradeSheet((answerSheet(oneWrong, readSample) as { ok: true; entries: never[] }).entries);
    assert.equal(partly.graded.length, 1);
    assert.equal(partly.graded[0]?.correct, false);
    assert.equal(partly.graded[0]?.answerText, '1');
    assert.equal(partly.open.length, 6);
  });

  it('answers a quiz from the shipped sample even if the learner changed the statements', () => {
    const quiz = quizFromSample('02-write-fault.cow', read('02-write-fault.cow')).source;
    const tampered = quiz.replace('child: write heap[1] "mine"', 'child: read heap[1]').replace('expect copies == ?', 'expect copies == 1');
    const sheet = answerSheet(tampered, readSample);
    assert.ok(sheet.ok);
    assert.equal(gradeSheet(sheet.entries).graded[0]?.correct, true);
  });
});
