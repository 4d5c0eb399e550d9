// `expect P rss|pss|uss == ?` as quiz questions (issue 17), the `pages` answer form, and quizzes
// made from the Redis sample. Every answer worked by hand in a comment.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { answerSheet, expectQuestions, gradeSheet, gradeText, pagesAnswer, pagesSolution, quizFromSample, type Posed, type SampleReader } from '../../../src/tutorial';
import { ratio } from '../../../src/engine';

const samplesDir = join(resolve(__dirname, '..', '..', '..'), 'samples');
const readSample: SampleReader = (name) => readFileSync(join(samplesDir, name), 'utf8');

// a writes 3 pages (frames 1-3), forks b, forks c: each frame mapped 3 times.
// a: RSS 3, PSS 3 × 1/3 = 1, USS 0. Then c writes h[0]: c gets a copy, frame 1 is mapped by a
// and b: a's PSS = 1/2 + 1/3 + 1/3 = 7/6, RSS 3, USS 0; c's USS 1.
const SCENARIO = `process a
a: map h 3 private
a: write h[0..2] "v"
a: fork b
a: fork c
expect a pss == ?
expect a rss == ?
c: write h[0] "c"
expect a pss == ?
expect c uss == ?
`;

describe('memory questions (issue 17)', () => {
  it('reads pages answers exactly: decimals, fractions and whole numbers', () => {
    assert.equal(pagesAnswer('2.5'), '5/2');
    assert.equal(pagesAnswer('10/4'), '5/2');
    assert.equal(pagesAnswer(' 4 '), '4/1');
    assert.equal(pagesAnswer('0'), '0/1');
    assert.equal(pagesAnswer('7/0'), undefined);
    assert.equal(pagesAnswer('-1'), undefined);
    assert.equal(pagesAnswer('two'), undefined);
    assert.equal(pagesAnswer('1e3'), undefined);
  });

  it('accepts a third of a page exactly or rounded to 2-6 places, never to 1', () => {
    const s = pagesSolution(ratio(1n, 3n));
    assert.equal(s.answer, '1/3');
    assert.equal(s.answerText, '1/3 (0.333333)');
    // 0.33 = 33/100, 0.333 = 333/1000, …; 0.3 is a tenth off and not offered.
    assert.deepEqual(s.alsoAccepted, ['33/100', '333/1000', '3333/10000', '33333/100000', '333333/1000000']);
    assert.deepEqual(pagesSolution(ratio(5n, 2n)), { answer: '5/2', alsoAccepted: [], answerText: '2.5' });
  });

  it('poses rss, pss and uss questions answered by the hand-worked figures', () => {
    const outcome = expectQuestions(SCENARIO);
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.questions.map((q) => [q.line, q.claim, q.question.kind, q.question.form, q.solution.answer, q.solution.answerText]), [
      [6, 'a pss == ?', 'memory', 'pages', '1/1', '1'],
      [7, 'a rss == ?', 'memory', 'pages', '3/1', '3'],
      [9, 'a pss == ?', 'memory', 'pages', '7/6', '7/6 (1.166667)'],
      [10, 'c uss == ?', 'memory', 'pages', '1/1', '1'],
    ]);
    const [first, , after] = outcome.questions as readonly Posed[];
    assert.match(first?.solution.explanation ?? '', /divided by the number of page-table entries/);
    assert.match(first?.solution.explanation ?? '', /RES counts the 3 frames it shares with b and c in full; PSS gives it a third of each/);
    assert.equal(gradeText(after as Posed, '1.17').correct, true);
    assert.equal(gradeText(after as Posed, '7/6').correct, true);
    assert.equal(gradeText(after as Posed, '1.2').correct, false);
    assert.equal(gradeText(after as Posed, '1').givenText, '1');
    assert.match(gradeText(after as Posed, 'lots').givenText, /a number of pages, e\.g\. 4, 2\.5 or 7\/3/);
  });

  it('makes a quiz of the Redis sample whose RES, PSS and USS lines become questions, and grades a filled sheet', () => {
    const quiz = quizFromSample('23-top-says-doubled.cow', readSample('23-top-says-doubled.cow') ?? '');
    assert.match(quiz.source, /^expect saver pss == \?$/m);
    assert.match(quiz.source, /^expect redis uss == \?$/m);
    // The sample's header works them out: after the fork 16 / 8 / 0; while saving 16 / 10 / 4.
    const filled = quiz.source.replace('expect saver rss == ?', 'expect saver rss == 16').replace('expect saver pss == ?', 'expect saver pss == 8.0').replace('expect redis pss == ?', 'expect redis pss == 9');
    const sheet = answerSheet(filled, readSample);
    assert.ok(sheet.ok);
    const graded = gradeSheet(sheet.entries).graded.map((g) => [g.givenText, g.correct, g.answerText]);
    assert.deepEqual(graded, [['16', true, '16'], ['8', true, '8'], ['9', false, '10']]);
  });
});
