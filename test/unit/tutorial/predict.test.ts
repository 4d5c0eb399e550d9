// Predict mode: the questions asked before a step, and their answers. Every expected answer is
// worked by hand from linux-cow.md (frames numbered lowest free first from 1, as the README
// documents), never read back from the engine.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apply, createMachine, type Machine, type Operation, type Policy } from '../../../src/engine';
import { runScenario } from '../../../src/language';
import { grade, predictOperation, predictStep, PredictSession, type Posed, type PredictSessionState, type QuestionKind } from '../../../src/tutorial';

/** Applies operations from an empty machine; throws if the engine refuses one. */
function machineAfter(ops: readonly Operation[], policy: Policy = 'cow'): Machine {
  let m = createMachine(policy);
  for (const op of ops) {
    const outcome = apply(m, op);
    if (!outcome.ok) throw new Error(`${op.op}: ${outcome.error.message}`);
    m = outcome.machine;
  }
  return m;
}

function ask(posed: readonly Posed[], kind: QuestionKind): Posed {
  const q = posed.find((p) => p.question.kind === kind);
  assert.ok(q, `no ${kind} question among ${posed.map((p) => p.question.kind).join(', ')}`);
  return q;
}

/** parent with heap[0..3] written ("data"): frames 1..4, heap[i] = frame i + 1. */
const PARENT_WITH_HEAP: Operation[] = [
  { op: 'spawn', process: 'parent' },
  { op: 'map', process: 'parent', region: 'heap', pages: 4, kind: 'private' },
  { op: 'write', process: 'parent', region: 'heap', first: 0, last: 3, value: 'data' },
];
const FORK: Operation = { op: 'fork', process: 'parent', child: 'child' };
const CHILD_WRITES_1: Operation = { op: 'write', process: 'child', region: 'heap', first: 1, last: 1, value: 'mine' };

describe('predict mode: questions before a step', () => {
  it('a child writing a page shared since fork: yes it copies, into a new frame (5), 5 frames after', () => {
    // heap[1] is frame 2, mapped by parent and child, write-protected: do_wp_page → wp_page_copy.
    // The copy takes the lowest free number, 5; frames 4 → 5.
    const posed = predictOperation(machineAfter([...PARENT_WITH_HEAP, FORK]), CHILD_WRITES_1);
    assert.deepEqual(posed.map((p) => p.question.kind), ['will-copy', 'which-frame', 'frames-after', 'rss-after', 'pss-after']);
    // The child then maps 4 frames (RES 4): 3 still shared with parent (1/2 each) and its copy
    // alone (1): PSS 3 × 1/2 + 1 = 2.5, kept as the fraction 5/2.
    assert.equal(ask(posed, 'rss-after').solution.answer, 4);
    assert.deepEqual([ask(posed, 'pss-after').question.form, ask(posed, 'pss-after').solution.answer, ask(posed, 'pss-after').solution.answerText], ['pages', '5/2', '2.5']);
    assert.match(ask(posed, 'pss-after').solution.explanation, /\(1 × 1 \+ 3 × 1\/2\)/);
    assert.equal(grade(ask(posed, 'pss-after'), '2.5').correct, true);
    assert.equal(grade(ask(posed, 'pss-after'), '2').correct, false);
    assert.equal(ask(posed, 'will-copy').solution.answer, true);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'new');
    assert.deepEqual(ask(posed, 'which-frame').solution.alsoAccepted, ['frame:5']);
    assert.equal(ask(posed, 'frames-after').solution.answer, 5);
    assert.match(ask(posed, 'will-copy').solution.explanation, /^Yes\..*wp_page_copy/);
    assert.match(ask(posed, 'will-copy').solution.explanation, /mapped by 2 entries \(parent heap\[1\] and child heap\[1\]\)/);
    assert.match(ask(posed, 'frames-after').solution.explanation, /4 before, 1 frame allocated, 0 frames freed: 4 \+ 1 = 5/);
  });

  it('the parent writing after the child exited: no copy, the same frame (2) reused, still 4 frames', () => {
    // exit_mmap dropped the child's mappings: frame 2 is mapped once, so wp_page_reuse.
    const m = machineAfter([...PARENT_WITH_HEAP, FORK, { op: 'exit', process: 'child' }]);
    const posed = predictOperation(m, { op: 'write', process: 'parent', region: 'heap', first: 1, last: 1, value: 'again' });
    assert.equal(ask(posed, 'will-copy').solution.answer, false);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'frame:2');
    assert.equal(ask(posed, 'frames-after').solution.answer, 4);
    assert.match(ask(posed, 'will-copy').solution.explanation, /^No\..*wp_page_reuse/);
  });

  it('fork in cow mode copies no page: the child uses the parent\'s frame 1, still 4 frames', () => {
    const posed = predictOperation(machineAfter(PARENT_WITH_HEAP), FORK);
    assert.deepEqual(posed.map((p) => p.question.kind), ['copies', 'which-frame', 'frames-after', 'rss-after', 'pss-after']);
    // top: the child's RES is 4, as if fork had copied everything; PSS 4 × 1/2 = 2.
    assert.equal(ask(posed, 'rss-after').solution.answer, 4);
    assert.equal(ask(posed, 'pss-after').solution.answer, '2/1');
    assert.match(ask(posed, 'rss-after').question.prompt, /child's RES/);
    assert.match(ask(posed, 'rss-after').solution.explanation, /RES counts the 4 frames it shares with parent in full; PSS gives it half of each/);
    assert.equal(ask(posed, 'copies').solution.answer, 0);
    assert.match(ask(posed, 'which-frame').question.prompt, /child heap\[0\]/);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'frame:1');
    assert.equal(ask(posed, 'frames-after').solution.answer, 4);
    assert.match(ask(posed, 'copies').solution.explanation, /copy_present_ptes/);
  });

  it('fork in eager mode copies all 4 pages: the child gets a new frame (5), 8 frames after', () => {
    const posed = predictOperation(machineAfter(PARENT_WITH_HEAP, 'eager'), FORK);
    assert.equal(ask(posed, 'copies').solution.answer, 4);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'new');
    assert.deepEqual(ask(posed, 'which-frame').solution.alsoAccepted, ['frame:5']);
    assert.equal(ask(posed, 'frames-after').solution.answer, 8);
    assert.match(ask(posed, 'frames-after').solution.explanation, /4 before, 4 frames allocated, 0 frames freed: 4 \+ 4 = 8/);
  });

  it('reading an untouched private page maps the zero page and uses no frame', () => {
    const m = machineAfter([{ op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'buf', pages: 2, kind: 'private' }]);
    const posed = predictOperation(m, { op: 'read', process: 'p', region: 'buf', first: 0, last: 0 });
    assert.deepEqual(posed.map((p) => p.question.kind), ['which-frame', 'frames-after']);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'zero');
    assert.equal(ask(posed, 'frames-after').solution.answer, 0);
  });

  it('writing a page that maps the zero page allocates a zeroed frame: no copy', () => {
    const m = machineAfter([
      { op: 'spawn', process: 'p' },
      { op: 'map', process: 'p', region: 'buf', pages: 2, kind: 'private' },
      { op: 'read', process: 'p', region: 'buf', first: 0, last: 0 },
    ]);
    const posed = predictOperation(m, { op: 'write', process: 'p', region: 'buf', first: 0, last: 0, value: 'x' });
    assert.equal(ask(posed, 'will-copy').solution.answer, false);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'new');
    assert.equal(ask(posed, 'frames-after').solution.answer, 1);
  });

  it('a child writing a MAP_SHARED page after fork finds the parent\'s frame: no copy', () => {
    // board[0] is frame 1 in the shared object; fork gives the child no entry; shmem_fault maps frame 1.
    const m = machineAfter([
      { op: 'spawn', process: 'parent' },
      { op: 'map', process: 'parent', region: 'board', pages: 1, kind: 'shared' },
      { op: 'write', process: 'parent', region: 'board', first: 0, last: 0, value: 'post' },
      FORK,
    ]);
    const posed = predictOperation(m, { op: 'write', process: 'child', region: 'board', first: 0, last: 0, value: 'reply' });
    assert.equal(ask(posed, 'will-copy').solution.answer, false);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'frame:1');
    assert.equal(ask(posed, 'frames-after').solution.answer, 1);
  });

  it('exit frees exactly the frames only the exiting process mapped', () => {
    // After the child's copy (frame 5), the child maps 1..4 shared plus 5 alone: exit frees 5 only.
    const m = machineAfter([...PARENT_WITH_HEAP, FORK, CHILD_WRITES_1]);
    const posed = predictOperation(m, { op: 'exit', process: 'child' });
    assert.deepEqual(posed.map((p) => p.question.kind), ['frames-after']);
    assert.equal(ask(posed, 'frames-after').solution.answer, 4);
    assert.match(ask(posed, 'frames-after').solution.explanation, /5 before, 0 frames allocated, 1 frame freed: 5 − 1 = 4/);
  });

  it('a range write asks how many pages it copies', () => {
    // Pages 0..2 are shared with the child: three wp_page_copy.
    const posed = predictOperation(machineAfter([...PARENT_WITH_HEAP, FORK]), { op: 'write', process: 'parent', region: 'heap', first: 0, last: 2, value: 'v2' });
    assert.equal(ask(posed, 'copies').solution.answer, 3);
    assert.equal(ask(posed, 'frames-after').solution.answer, 7);
  });

  it('vfork copies nothing and the child uses the parent\'s own frame', () => {
    const posed = predictOperation(machineAfter(PARENT_WITH_HEAP), { op: 'vfork', process: 'parent', child: 'helper' });
    assert.equal(ask(posed, 'copies').solution.answer, 0);
    assert.equal(ask(posed, 'which-frame').solution.answer, 'frame:1');
    assert.match(ask(posed, 'copies').solution.explanation, /CLONE_VM/);
  });

  it('asks nothing about statements with nothing to predict, and nothing the engine refuses', () => {
    const m = machineAfter(PARENT_WITH_HEAP);
    assert.deepEqual(predictOperation(m, { op: 'map', process: 'parent', region: 'more', pages: 2, kind: 'private' }), []);
    assert.deepEqual(predictOperation(m, { op: 'write', process: 'nobody', region: 'heap', first: 0, last: 0 }), []);
  });

  it('offers the right frame among a few choices, and filters by kind', () => {
    const m = machineAfter([...PARENT_WITH_HEAP, FORK]);
    const posed = predictOperation(m, CHILD_WRITES_1, { kinds: ['which-frame'], maxChoices: 4 });
    assert.equal(posed.length, 1);
    const q = ask(posed, 'which-frame');
    assert.ok(q.question.choices.length <= 4);
    assert.ok(q.question.choices.some((c) => c.id === q.solution.answer));
    assert.ok(q.question.choices.some((c) => c.id === 'frame:2'), 'the frame the page uses now is a choice');
  });

  it('grades a right and a wrong answer, explaining the right one either way', () => {
    const posed = predictOperation(machineAfter([...PARENT_WITH_HEAP, FORK]), CHILD_WRITES_1);
    const which = ask(posed, 'which-frame');
    const right = grade(which, 'new');
    const exact = grade(which, 'frame:5');
    const wrong = grade(which, 'frame:2');
    assert.equal(right.correct, true);
    assert.equal(exact.correct, true);
    assert.equal(wrong.correct, false);
    assert.equal(wrong.answerText, 'a new frame (frame 5)');
    assert.match(wrong.explanation, /wp_page_copy/);
    assert.equal(grade(ask(posed, 'will-copy'), false).correct, false);
    assert.equal(grade(ask(posed, 'frames-after'), 5).correct, true);
    assert.equal(grade(ask(posed, 'frames-after'), 'five').correct, false);
  });

  it('predictStep asks about a step of a finished run (sample 02, the child\'s write)', () => {
    const source = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'samples', '02-write-fault.cow'), 'utf8');
    const outcome = runScenario(source);
    assert.ok(outcome.ok);
    const index = outcome.run.steps.findIndex((s) => s.operation?.op === 'write' && s.operation.process === 'child');
    const posed = predictStep(outcome.run, index);
    assert.equal(ask(posed, 'will-copy').solution.answer, true);
    assert.equal(ask(posed, 'frames-after').solution.answer, 5);
    assert.ok(posed.every((p) => p.question.id.startsWith(`step-${index}/`)));
    const note = outcome.run.steps.findIndex((s) => s.statement.kind === 'note');
    assert.deepEqual(predictStep(outcome.run, note), []);
    assert.deepEqual(predictStep(outcome.run, 10_000), []);
  });
});

describe('predict mode: a session for one scenario', () => {
  const source = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'samples', '02-write-fault.cow'), 'utf8');

  function session(saved?: PredictSessionState): { s: PredictSession; write: number } {
    const outcome = runScenario(source);
    assert.ok(outcome.ok);
    const write = outcome.run.steps.findIndex((st) => st.operation?.op === 'write' && st.operation.process === 'child');
    return { s: new PredictSession(outcome.run, {}, saved), write };
  }

  it('asks the same questions each time, grades each once, and keeps the score', () => {
    const { s, write } = session();
    const questions = s.questions(write);
    assert.deepEqual(questions.map((q) => q.kind), ['will-copy', 'which-frame', 'frames-after', 'rss-after', 'pss-after']);
    assert.deepEqual(s.questions(write), questions);
    assert.equal(s.done(write), false);
    // Hand-worked (02): the child's write copies frame 2 into a new frame 5; 5 frames after.
    assert.equal(s.answer(write, questions[0]?.id ?? '', true)?.correct, true);
    assert.equal(s.answer(write, questions[1]?.id ?? '', 'frame:2')?.correct, false);
    assert.equal(s.answer(write, questions[1]?.id ?? '', 'new')?.correct, false, 'a second try keeps the first grade');
    assert.equal(s.answer(write, 'no-such-question', 1), undefined);
    assert.equal(s.done(write), false);
    assert.equal(s.answer(write, questions[2]?.id ?? '', 5)?.correct, true);
    assert.equal(s.done(write), false);
    // The child then: RES 4; PSS 3 × 1/2 (shared with parent) + 1 (its copy) = 2.5 pages.
    assert.equal(s.answer(write, questions[3]?.id ?? '', 4)?.correct, true);
    assert.equal(s.answer(write, questions[4]?.id ?? '', '5/2')?.correct, true);
    assert.equal(s.done(write), true);
    assert.deepEqual([s.score.asked, s.score.correct], [5, 4]);
    assert.deepEqual(s.answered(write).map((g) => g.correct), [true, false, true, true, true]);
  });

  it('restores its answers and score from saved state', () => {
    const first = session();
    const [q] = first.s.questions(first.write);
    first.s.answer(first.write, q?.id ?? '', true);
    const saved = JSON.parse(JSON.stringify(first.s.state())) as PredictSessionState;
    const again = session(saved);
    assert.deepEqual([again.s.score.asked, again.s.score.correct], [1, 1]);
    assert.equal(again.s.answered(again.write).length, 1);
  });
});
