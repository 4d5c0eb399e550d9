// Predict mode in the webview under jsdom: the questions about the statement about to run show
// with their choices, the learner's answers become predictAnswer messages, a grade from the host
// shows right or wrong with the answer and why (and is announced), the score stays in the
// toolbar, the checkbox asks the host, and the grades go into the saved state.
import * as assert from 'node:assert/strict';
import type { PredictGrade, PredictQuestionView, PredictView } from '../../../src/protocol/messages';
import { AFTER_WRITE_FAULT, render, snapshot, step, type Page } from './fixtures';

const QUESTIONS: readonly PredictQuestionView[] = [
  { id: 'step-4/will-copy', kind: 'will-copy', form: 'yes-no', prompt: 'Will `child: write heap[1] "mine"` copy a frame?', choices: [], grade: null, skipped: false },
  {
    id: 'step-4/which-frame', kind: 'which-frame', form: 'frame', prompt: 'After `child: write heap[1] "mine"`, which frame will child heap[1] use?',
    choices: [{ id: 'frame:2', label: 'frame 2 (what child heap[1] uses now)' }, { id: 'new', label: 'a new frame' }, { id: 'zero', label: 'the shared zero page' }, { id: 'none', label: 'no frame (not present)' }],
    grade: null,
    skipped: false,
  },
  { id: 'step-4/frames-after', kind: 'frames-after', form: 'count', prompt: 'How many frames will be in use after `child: write heap[1] "mine"`?', choices: [], grade: null, skipped: false },
];

const RIGHT: PredictGrade = { questionId: 'step-4/will-copy', kind: 'will-copy', correct: true, givenText: 'yes', answerText: 'yes', explanation: 'Yes. The frame is mapped twice, so do_wp_page → wp_page_copy copies it.' };
const WRONG: PredictGrade = { questionId: 'step-4/frames-after', kind: 'frames-after', correct: false, givenText: '4', answerText: '5', explanation: '5 frames (4 + 1 copied by wp_page_copy).' };

function view(grades: readonly PredictGrade[] = [], extra: Partial<PredictView> = {}): PredictView {
  const questions = QUESTIONS.map((q) => ({ ...q, grade: grades.find((g) => g.questionId === q.id) ?? null }));
  return {
    on: true, runId: 1, step: 4, pending: true, line: 14, statement: 'child: write heap[1] "mine"', questions,
    score: { asked: grades.length, correct: grades.filter((g) => g.correct).length, skipped: 0 },
    saved: { on: true, scenario: 'fnv1a:00000000:1', graded: grades },
    ...extra,
  };
}

describe('panel webview: predict mode', () => {
  let page: Page;
  afterEach(() => page?.close());
  const q = (sel: string) => page.document.querySelector<HTMLElement>(sel);
  const item = (id: string) => q(`.predict-question[data-question-id="${id}"]`);

  it('is hidden while off; its checkbox asks the host to turn it on', () => {
    page = render(snapshot());
    assert.equal(q('section.predict')?.hidden, true);
    assert.equal(q('.predict-score')?.hidden, true);
    const toggle = q('.predict-toggle') as HTMLElement & { checked: boolean };
    assert.ok(toggle.closest('.title-row'), 'the checkbox is in the toolbar');
    toggle.checked = true;
    toggle.dispatchEvent(new page.window.Event('change'));
    assert.deepEqual(page.posted, [{ type: 'setPredict', on: true }]);
  });

  it('asks the questions about the statement about to run, and sends each answer', () => {
    page = render(snapshot({ step: step(3, [AFTER_WRITE_FAULT], { statement: 'parent: fork child' }) }));
    page.app.receive({ type: 'predict', predict: view() });
    assert.equal(q('section.predict')?.hidden, false);
    assert.equal(q('.predict-heading')?.textContent, 'Predict step 5 before it runs');
    assert.equal(q('.predict-statement')?.textContent, 'child: write heap[1] "mine"');
    assert.equal(q('.step-card .statement')?.textContent, 'parent: fork child');
    assert.deepEqual([...page.document.querySelectorAll('[data-question-id="step-4/which-frame"] [data-answer]')].map((b) => b.textContent), [
      'frame 2 (what child heap[1] uses now)', 'a new frame', 'the shared zero page', 'no frame (not present)',
    ]);
    // Each group is labelled by its question; the first answer has the focus; the live region reads the question.
    const group = item('step-4/will-copy')?.querySelector('[role="group"]');
    const prompt = page.document.getElementById(group?.getAttribute('aria-labelledby') ?? '');
    assert.equal(prompt?.textContent, 'Will child: write heap[1] "mine" copy a frame?');
    assert.equal(prompt?.querySelector('code')?.textContent, 'child: write heap[1] "mine"', 'the backquoted statement shows as code');
    assert.equal(page.document.activeElement?.getAttribute('data-answer'), 'yes');
    assert.match(q('[data-predict-live]')?.textContent ?? '', /^Predict step 5, child: write heap\[1\] "mine": Will/);
    item('step-4/will-copy')?.querySelector<HTMLElement>('[data-answer="yes"]')?.click();
    item('step-4/which-frame')?.querySelector<HTMLElement>('[data-answer="new"]')?.click();
    const input = item('step-4/frames-after')?.querySelector('input') as HTMLInputElement;
    input.value = 'four';
    input.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'Enter' }));
    assert.equal(input.getAttribute('aria-invalid'), 'true');
    input.value = '4';
    input.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'Enter' }));
    assert.deepEqual(page.posted, [
      { type: 'predictAnswer', step: 4, questionId: 'step-4/will-copy', answer: true },
      { type: 'predictAnswer', step: 4, questionId: 'step-4/which-frame', answer: 'new' },
      { type: 'predictAnswer', step: 4, questionId: 'step-4/frames-after', answer: 4 },
    ]);
  });

  it('takes a PSS as typed text (2.5, 7/3) and refuses what is no number of pages (issue 17)', () => {
    page = render(snapshot({ step: step(3, [AFTER_WRITE_FAULT], { statement: 'parent: fork child' }) }));
    const pss = { id: 'step-4/pss-after', kind: 'pss-after' as const, form: 'pages' as const, prompt: 'After `child: write heap[1] "mine"`, what will smem show as child\'s PSS, in pages (2.5 or 7/3 is fine)?', choices: [], grade: null, skipped: false };
    page.app.receive({ type: 'predict', predict: { ...view(), questions: [pss] } });
    const input = item('step-4/pss-after')?.querySelector('input') as HTMLInputElement;
    assert.equal(input.getAttribute('inputmode'), 'decimal');
    for (const bad of ['2,5', '-1', 'half']) {
      input.value = bad;
      input.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'Enter' }));
    }
    assert.equal(input.getAttribute('aria-invalid'), 'true');
    input.value = '2.5';
    input.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'Enter' }));
    input.value = '7/3';
    item('step-4/pss-after')?.querySelector<HTMLElement>('[data-check]')?.click();
    assert.deepEqual(page.posted, [
      { type: 'predictAnswer', step: 4, questionId: 'step-4/pss-after', answer: '2.5' },
      { type: 'predictAnswer', step: 4, questionId: 'step-4/pss-after', answer: '7/3' },
    ]);
  });

  it('shows a right and a wrong grade with the answer and why, announces them, and keeps the score', () => {
    page = render(snapshot());
    page.app.receive({ type: 'predict', predict: view() });
    page.app.receive({ type: 'predict', predict: view([RIGHT]) });
    const right = item('step-4/will-copy')?.querySelector('.grade');
    assert.equal(right?.getAttribute('data-correct'), 'true');
    assert.equal(right?.querySelector('.verdict')?.textContent, '✓ Right — you said yes.');
    assert.match(right?.querySelector('.why')?.textContent ?? '', /wp_page_copy/);
    assert.equal(item('step-4/will-copy')?.querySelector('[data-answer]'), null, 'a graded question offers no answers');
    assert.equal(q('.predict-score')?.textContent, '1 / 1 right');
    assert.match(q('[data-predict-live]')?.textContent ?? '', /^Right: yes\. Next: After/);
    page.app.receive({ type: 'predict', predict: view([RIGHT, WRONG]) });
    const wrong = item('step-4/frames-after')?.querySelector('.grade');
    assert.equal(wrong?.getAttribute('data-correct'), 'false');
    assert.equal(wrong?.querySelector('.verdict')?.textContent, '✗ Not quite — you said 4; the answer is 5.');
    assert.equal(q('.predict-score')?.textContent, '1 / 2 right');
    assert.match(q('[data-predict-live]')?.textContent ?? '', /^Not quite: you said 4; the answer is 5\./);
    assert.equal(q('.predict-hint')?.textContent, 'Answer the question (or skip it) to see the step run. Forward waits until then.');
    // The grades go into the state a reload gives back.
    assert.deepEqual(page.saved.at(-1)?.predict?.graded, [RIGHT, WRONG]);
    // The last answer reveals the step: its grade is announced and stays on show, foldable.
    const frame5 = { ...RIGHT, questionId: 'step-4/which-frame', kind: 'which-frame' as const, givenText: 'a new frame', answerText: 'a new frame (frame 5)' };
    page.app.receive({ type: 'predict', predict: view([RIGHT, WRONG, frame5], { pending: false }) });
    assert.equal(q('[data-predict-live]')?.textContent, 'Right: a new frame (frame 5). The step ran.');
    assert.equal(q('.predict-questions')?.hidden, false);
    const fold = q('.predict-fold');
    assert.equal(fold?.hidden, false);
    fold?.click();
    assert.deepEqual([q('.predict-questions')?.hidden, fold?.getAttribute('aria-expanded'), fold?.textContent], [true, 'false', 'Show the questions']);
  });

  it('after the step is revealed, shows its grades and no answers; off, hides them', () => {
    page = render(snapshot());
    const graded = [RIGHT, WRONG, { ...RIGHT, questionId: 'step-4/which-frame', kind: 'which-frame' as const, givenText: 'a new frame', answerText: 'a new frame (frame 5)' }];
    page.app.receive({ type: 'predict', predict: view(graded, { pending: false }) });
    assert.equal(q('.predict-heading')?.textContent, 'Your predictions for step 5');
    assert.equal(page.document.querySelectorAll('.predict .grade').length, 3);
    // Coming back to a step answered earlier: folded, to leave room for the tables.
    assert.equal(q('.predict-questions')?.hidden, true);
    q('.predict-fold')?.click();
    assert.equal(q('.predict-questions')?.hidden, false);
    assert.equal(q('.predict-score')?.textContent, '2 / 3 right');
    page.app.receive({ type: 'predict', predict: view(graded, { on: false, step: null, pending: false, saved: { on: false, scenario: 'fnv1a:00000000:1', graded } }) });
    assert.equal(q('section.predict')?.hidden, true);
    assert.equal(q('.predict-score')?.hidden, true);
    assert.equal(page.saved.at(-1)?.predict?.on, false);
  });

  it('holds Forward back while questions wait, and offers to skip each one (skipped, not wrong)', () => {
    page = render(snapshot({ step: step(3, [AFTER_WRITE_FAULT], { statement: 'parent: fork child' }) }));
    const forward = q('[data-nav="forward"]');
    assert.equal(forward?.hasAttribute('disabled'), false, 'nothing waits yet');
    page.app.receive({ type: 'predict', predict: view() });
    assert.equal(forward?.hasAttribute('disabled'), true, 'Forward waits for the answers');
    assert.equal(q('[data-nav="last"]')?.hasAttribute('disabled'), true);
    assert.match(forward?.getAttribute('title') ?? '', /^Answer or skip the questions first/);
    forward?.click();
    assert.deepEqual(page.posted, [], 'a disabled Forward asks nothing');
    item('step-4/which-frame')?.querySelector<HTMLElement>('[data-skip]')?.click();
    assert.deepEqual(page.posted, [{ type: 'predictSkip', step: 4, questionId: 'step-4/which-frame' }]);
    // The host's answer: the question is skipped, the score counts it apart.
    const skipped = view([RIGHT]);
    page.app.receive({
      type: 'predict',
      predict: { ...skipped, questions: skipped.questions.map((x) => (x.id === 'step-4/which-frame' ? { ...x, skipped: true } : x)), score: { asked: 1, correct: 1, skipped: 1 } },
    });
    assert.match(item('step-4/which-frame')?.querySelector('[data-skipped]')?.textContent ?? '', /Skipped — not counted/);
    assert.equal(item('step-4/which-frame')?.querySelector('[data-answer], [data-skip]'), null, 'a skipped question offers no answers');
    assert.equal(q('.predict-score')?.textContent, '1 / 1 right · 1 skipped');
    assert.match(q('[data-predict-live]')?.textContent ?? '', /Skipped a question\. Next: How many frames/);
    // Once nothing waits, Forward steps again.
    page.app.receive({ type: 'predict', predict: { ...view([RIGHT, WRONG]), pending: false } });
    assert.equal(forward?.hasAttribute('disabled'), false);
  });
});
