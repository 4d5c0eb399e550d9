// Exercises and quizzes keep their answers until "Check My Answers": the editor's diagnostics run
// the scenario as the learner types, and must not say what a wrong answer should have been.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scenarioDiagnostics } from '../../../src/features/model';
import { createExercise, quizFromSample } from '../../../src/tutorial';

const samples = join(resolve(__dirname, '..', '..', '..'), 'samples');

/** The source with its first `== ?` answered `answer`. */
function answerFirst(source: string, answer: string): string {
  return source.replace(/== \?$/m, `== ${answer}`);
}

describe('answers stay hidden while the learner types', () => {
  it('a wrong answer in a predict exercise is not an error (exercise 1, Q1: frames is 2)', () => {
    // Exercise 1, worked by hand (exercise.test.ts): after writing heap[0..1], 2 frames are in use.
    const typed = answerFirst(createExercise('predict', 1).source, '12345');
    assert.match(typed, /^expect frames == 12345$/m);
    const found = scenarioDiagnostics(typed);
    assert.deepEqual(found.map((d) => `${d.code}: ${d.message}`), []);
    // The same lines without the exercise's header are an ordinary scenario: there it is an error.
    const plain = typed.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    assert.deepEqual(scenarioDiagnostics(plain).map((d) => [d.code, d.actual]), [['expect-failed', 2]]);
  });

  it('a wrong answer in a quiz is not an error either (02-write-fault)', () => {
    const quiz = quizFromSample('02-write-fault.cow', readFileSync(join(samples, '02-write-fault.cow'), 'utf8'));
    const typed = answerFirst(quiz.source, '999');
    assert.ok(typed.includes('== 999'));
    assert.deepEqual(scenarioDiagnostics(typed).filter((d) => d.code === 'expect-failed'), []);
  });

  it('still reports mistakes in the scenario itself', () => {
    const typed = createExercise('predict', 1).source.replace('parent: map heap 4 private', 'parent: map heap 4 privte');
    assert.ok(scenarioDiagnostics(typed).some((d) => d.severity === 'error' && d.code !== 'expect-failed'));
  });
});
