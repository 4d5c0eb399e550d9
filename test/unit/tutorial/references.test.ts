// Predict mode, `expect … == ?` questions and generated exercises about references that are not
// mappings. Every expected answer is worked by hand from docs/kernel-model.md ("References that
// are not mappings"), frames numbered lowest free first from 1:
//   parent writes heap[0] (frame 1), forks child (frame 1 mapped twice, 2 references), the child
//   vmsplices heap[0] into pipe leak (3 references: 2 mappings + 1 pipe page), exits (2: the
//   parent's mapping + the pipe), the parent writes: no exclusive mark, 2 references, so
//   wp_page_copy gives it frame 2, and the pipe still reads "secret v1".
import * as assert from 'node:assert/strict';
import { runScenario } from '../../../src/language';
import { expectQuestions, createExercise, predictStep, type Posed, type QuestionKind } from '../../../src/tutorial';

const STORY = [
  'process parent',
  'parent: map heap 1 private',
  'parent: write heap[0] "secret v1"',
  'parent: fork child',
  'child: vmsplice heap[0] leak',
  'expect parent heap[0] refcount == ?',
  'expect parent heap[0] mapcount == ?',
  'child: exit',
  'parent: write heap[0] "secret v2"',
  'expect leak[0] == ?',
  'parent: pin heap[0]',
  '',
].join('\n');

function ask(posed: readonly Posed[], kind: QuestionKind): Posed {
  const q = posed.find((p) => p.question.kind === kind);
  assert.ok(q, `no ${kind} question among ${posed.map((p) => p.question.kind).join(', ')}`);
  return q;
}

function stepOf(statement: string): { run: NonNullable<ReturnType<typeof runScenario>['run']>; index: number } {
  const outcome = runScenario(STORY);
  assert.ok(outcome.run);
  const line = STORY.split('\n').indexOf(statement) + 1;
  const index = outcome.run.steps.findIndex((s) => s.range.line === line);
  assert.ok(index >= 0);
  return { run: outcome.run, index };
}

describe('tutorial: questions about references', () => {
  it('predict mode asks, before a vmsplice, how many references the page will have: 3 (2 mappings, 1 pipe page)', () => {
    const { run, index } = stepOf('child: vmsplice heap[0] leak');
    const posed = predictStep(run, index);
    assert.deepEqual(posed.map((p) => p.question.kind), ['refcount', 'frames-after']);
    const q = ask(posed, 'refcount');
    assert.equal(q.solution.answer, 3);
    assert.match(q.solution.explanation, /frame 1 is referenced by 2 page-table entries and 1 page held by pipes/);
    assert.equal(ask(posed, 'frames-after').solution.answer, 1);
  });

  it('before the parent\'s write, the will-copy answer is yes, and says the pipe holds a second reference', () => {
    const { run, index } = stepOf('parent: write heap[0] "secret v2"');
    const q = ask(predictStep(run, index), 'will-copy');
    assert.equal(q.solution.answer, true);
    assert.match(q.solution.explanation, /mapped by 1 entry \(parent heap\[0\]\), and 2 references in all \(1 page in pipes besides the mappings\)/);
  });

  it('pinning a page the parent maps alone copies nothing and adds a reference: 2 (the mapping and the pin)', () => {
    const { run, index } = stepOf('parent: pin heap[0]');
    const posed = predictStep(run, index);
    assert.equal(ask(posed, 'copies').solution.answer, 0);
    assert.equal(ask(posed, 'refcount').solution.answer, 2);
  });

  it('answers `expect … refcount == ?`, `mapcount == ?` and `expect PIPE[k] == ?`', () => {
    const out = expectQuestions(STORY);
    assert.ok(out.ok);
    const byLine = new Map(out.questions.map((q) => [q.line, q]));
    assert.deepEqual([byLine.get(6)?.question.kind, byLine.get(6)?.solution.answer], ['refcount', 3]);
    assert.match(byLine.get(6)?.solution.explanation ?? '', /frame 1: 2 mappings, 1 page in pipes.*line 5 \(`child: vmsplice heap\[0\] leak`\) \(2 → 3\)/);
    assert.deepEqual([byLine.get(7)?.question.kind, byLine.get(7)?.solution.answer], ['mapcount', 2]);
    assert.match(byLine.get(7)?.solution.explanation ?? '', /line 4 \(`parent: fork child`\) \(1 → 2\)/);
    assert.deepEqual([byLine.get(10)?.question.kind, byLine.get(10)?.solution.answer], ['value', 'secret v1']);
  });

  it('generated exercises sometimes tell the vmsplice story and ask about the reference count and the pipe', () => {
    let found = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const exercise = createExercise('predict', seed);
      if (!/: vmsplice heap\[\d\] leak/.test(exercise.source)) continue;
      found++;
      assert.match(exercise.source, /expect parent heap\[\d\] refcount == \?/);
      assert.match(exercise.source, /expect leak\[0\] == \?/);
    }
    assert.ok(found > 0, 'no seed among 1..40 told the vmsplice story');
  });
});
