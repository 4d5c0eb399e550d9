// Predict mode on the host: stepping forward onto samples/02-write-fault.cow's write fault stops
// one step short and asks about it; a right and a wrong answer are graded and scored; the step
// is revealed once every question is answered; the score survives a re-run of the same text and
// a reload, and an edit starts over. The right answers are the sample's own hand-worked header:
// the child's write to heap[1] copies one page (wp_page_copy) into a new frame, 4 → 5 frames.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PredictMode } from '../../../src/panel/predictMode';
import { runForPanel, type ScenarioRun } from '../../../src/panel/scenarioRun';

const sample = readFileSync(join(__dirname, '..', '..', '..', 'samples', '02-write-fault.cow'), 'utf8');
/** Step 4: `child: write heap[1] "mine"` (0: process, 1: map, 2: write, 3: fork). */
const WRITE = 4;

function run(text: string, id = 1): ScenarioRun {
  const attempt = runForPanel(text, '02-write-fault.cow', id);
  assert.ok(attempt.ok);
  return attempt.run;
}

function predicting(text = sample): PredictMode {
  const mode = new PredictMode();
  mode.adopt(run(text), text);
  mode.setOn(true);
  return mode;
}

describe('panel: predict mode on the host', () => {
  it('off, it never holds a step back', () => {
    const mode = new PredictMode();
    mode.adopt(run(sample), sample);
    assert.equal(mode.route(3, WRITE), WRITE);
    assert.equal(mode.pending, null);
    assert.equal(mode.view(WRITE).step, null);
  });

  it('stops one step short of the write and asks about it, without its outcome', () => {
    const mode = predicting();
    assert.equal(mode.route(3, WRITE), 3);
    assert.equal(mode.pending, WRITE);
    const view = mode.view(3);
    assert.deepEqual([view.step, view.pending, view.statement], [WRITE, true, 'child: write heap[1] "mine"']);
    assert.deepEqual(view.questions.map((q) => [q.id, q.form, q.grade]), [
      ['step-4/will-copy', 'yes-no', null],
      ['step-4/which-frame', 'frame', null],
      ['step-4/frames-after', 'count', null],
      ['step-4/rss-after', 'count', null],
      ['step-4/pss-after', 'pages', null],
    ]);
    // Forward again does not get past an unanswered question.
    assert.equal(mode.route(3, WRITE), 3);
    // Back lets it go.
    assert.equal(mode.route(3, 2), 2);
    assert.equal(mode.pending, null);
  });

  it('grades a right and a wrong answer, scores them, and reveals the step after the last', () => {
    const mode = predicting();
    mode.route(3, WRITE);
    const right = mode.answer(WRITE, 'step-4/will-copy', true);
    assert.equal(right?.grade.correct, true);
    assert.equal(right?.reveal, undefined);
    assert.match(right?.grade.explanation ?? '', /wp_page_copy|do_wp_page/);
    const wrong = mode.answer(WRITE, 'step-4/frames-after', 4);
    assert.deepEqual([wrong?.grade.correct, wrong?.grade.givenText, wrong?.grade.answerText], [false, '4', '5']);
    assert.equal(wrong?.reveal, undefined);
    assert.deepEqual(mode.view(3).score, { asked: 2, correct: 1, skipped: 0 });
    // Graded once: answering again changes nothing.
    assert.equal(mode.answer(WRITE, 'step-4/will-copy', false)?.grade.correct, true);
    assert.deepEqual(mode.view(3).score, { asked: 2, correct: 1, skipped: 0 });
    assert.equal(mode.answer(WRITE, 'step-4/which-frame', 'new')?.reveal, undefined);
    // The child then: RES 4; PSS 3 × 1/2 (shared with parent) + 1 (its copy) = 2.5, typed as text.
    assert.equal(mode.answer(WRITE, 'step-4/rss-after', 4)?.grade.correct, true);
    const last = mode.answer(WRITE, 'step-4/pss-after', '2.5');
    assert.deepEqual([last?.grade.correct, last?.grade.givenText, last?.reveal], [true, '2.5', WRITE]);
    assert.equal(mode.pending, null);
    // The revealed step keeps its grades on show; stepping onto it again asks nothing.
    const shown = mode.view(WRITE);
    assert.deepEqual([shown.step, shown.pending, shown.questions.map((q) => q.grade?.correct)], [WRITE, false, [true, true, false, true, true]]);
    assert.deepEqual(shown.score, { asked: 5, correct: 4, skipped: 0 });
    assert.equal(mode.route(3, WRITE), WRITE);
  });

  it('refuses an answer to a step that is not waiting, or a question it does not ask', () => {
    const mode = predicting();
    assert.equal(mode.answer(WRITE, 'step-4/will-copy', true), undefined);
    mode.route(3, WRITE);
    assert.equal(mode.answer(WRITE, 'step-4/copies', 1), undefined);
    assert.equal(mode.answer(5, 'step-5/frames-after', 5), undefined);
    assert.deepEqual(mode.view(3).score, { asked: 0, correct: 0, skipped: 0 });
  });

  it('keeps the score over a re-run of the same text and a reload; an edit starts a new session', () => {
    const mode = predicting();
    mode.route(3, WRITE);
    mode.answer(WRITE, 'step-4/will-copy', false);
    mode.adopt(run(sample, 2), sample);
    assert.deepEqual(mode.view(3).score, { asked: 1, correct: 0, skipped: 0 });
    assert.equal(mode.pending, WRITE);
    // A reload: the saved state goes through JSON (getState/setState) and back.
    const reloaded = new PredictMode(JSON.parse(JSON.stringify(mode.saved())));
    assert.equal(reloaded.isOn, true);
    reloaded.adopt(run(sample, 3), sample);
    assert.deepEqual(reloaded.view(3).score, { asked: 1, correct: 0, skipped: 0 });
    reloaded.route(3, WRITE);
    assert.equal(reloaded.view(3).questions[0]?.grade?.correct, false);
    const edited = `${sample}\nchild: write heap[2] "again"\n`;
    reloaded.adopt(run(edited, 4), edited);
    assert.deepEqual(reloaded.view(3).score, { asked: 0, correct: 0, skipped: 0 });
    assert.equal(reloaded.pending, null);
  });

  it('skips a question: no grade, not wrong, and the step runs once nothing else waits', () => {
    const mode = predicting();
    mode.route(3, WRITE);
    assert.deepEqual(mode.skip(WRITE, 'step-4/which-frame'), { reveal: undefined });
    assert.equal(mode.pending, WRITE, 'two questions still wait');
    // Skipped once: skipping or answering it again is refused.
    assert.equal(mode.skip(WRITE, 'step-4/which-frame'), undefined);
    assert.equal(mode.answer(WRITE, 'step-4/which-frame', 'new'), undefined);
    mode.answer(WRITE, 'step-4/will-copy', true);
    let view = mode.view(3);
    assert.deepEqual(view.questions.map((q) => [q.id, q.skipped, q.grade?.correct ?? null]), [
      ['step-4/will-copy', false, true],
      ['step-4/which-frame', true, null],
      ['step-4/frames-after', false, null],
      ['step-4/rss-after', false, null],
      ['step-4/pss-after', false, null],
    ]);
    assert.deepEqual(view.score, { asked: 1, correct: 1, skipped: 1 });
    assert.deepEqual(mode.skip(WRITE, 'step-4/frames-after'), { reveal: undefined });
    assert.deepEqual(mode.skip(WRITE, 'step-4/rss-after'), { reveal: undefined });
    assert.deepEqual(mode.skip(WRITE, 'step-4/pss-after'), { reveal: WRITE });
    assert.equal(mode.pending, null);
    view = mode.view(WRITE);
    assert.deepEqual([view.step, view.pending, view.score], [WRITE, false, { asked: 1, correct: 1, skipped: 4 }]);
    // Stepping onto it again asks nothing; the skips are saved with the panel, and survive a reload.
    assert.equal(mode.route(3, WRITE), WRITE);
    const reloaded = new PredictMode(JSON.parse(JSON.stringify(mode.saved())));
    reloaded.adopt(run(sample, 2), sample);
    assert.deepEqual(reloaded.view(WRITE).score, { asked: 1, correct: 1, skipped: 4 });
    assert.equal(reloaded.route(3, WRITE), WRITE);
  });

  it('refuses to skip a question of a step that is not waiting, or one it does not ask', () => {
    const mode = predicting();
    assert.equal(mode.skip(WRITE, 'step-4/will-copy'), undefined);
    mode.route(3, WRITE);
    assert.equal(mode.skip(WRITE, 'step-4/copies'), undefined);
    mode.answer(WRITE, 'step-4/will-copy', true);
    assert.equal(mode.skip(WRITE, 'step-4/will-copy'), undefined, 'an answered question cannot be skipped');
  });
});
