// Predict mode's messages and saved state are untrusted like the rest: an answer must name a
// question of its own step, of a kind predict mode asks, in the shape that kind wants.
import * as assert from 'node:assert/strict';
import { validatePersistedState, validateWebviewMessage } from '../../../src/panel/validate';

const answer = (questionId: string, value: unknown, step = 4) => ({ type: 'predictAnswer', step, questionId, answer: value });

describe('panel: validating predict mode messages', () => {
  it('accepts setPredict and an answer of the right shape for each kind', () => {
    for (const m of [
      { type: 'setPredict', on: true },
      answer('step-4/will-copy', false),
      answer('step-4/copies', 0),
      answer('step-4/frames-after', 5),
      answer('step-4/which-frame', 'frame:2'),
      answer('step-4/which-frame', 'new'),
      answer('step-4/which-frame', 'zero'),
      answer('step-4/which-frame', 'none'),
    ]) {
      const checked = validateWebviewMessage(m);
      assert.ok(checked.ok, `${JSON.stringify(m)}: ${checked.ok ? '' : checked.reason}`);
      assert.deepEqual(checked.value, m);
    }
  });

  const refused: [string, unknown, RegExp][] = [
    ['predict on as text', { type: 'setPredict', on: 'on' }, /"on"/],
    ['an unknown question kind', answer('step-4/value', 'x'), /"questionId"/],
    ['a question id that is not one', answer('__proto__', true), /"questionId"/],
    ['a question of another step', answer('step-5/copies', 1), /question of "step"/],
    ['a number for will-copy', answer('step-4/will-copy', 1), /will-copy must be true or false/],
    ['text for a count', answer('step-4/frames-after', '5'), /whole number/],
    ['a negative count', answer('step-4/copies', -1), /whole number/],
    ['a fractional count', answer('step-4/copies', 1.5), /whole number/],
    ['a frame number without its prefix', answer('step-4/which-frame', '5'), /frame:N, new, zero or none/],
    ['a boolean for a frame', answer('step-4/which-frame', true), /frame:N/],
    ['a missing answer', { type: 'predictAnswer', step: 4, questionId: 'step-4/copies' }, /whole number/],
    ['an extra field', { ...answer('step-4/copies', 1), correct: true }, /unexpected field "correct"/],
  ];
  for (const [what, raw, reason] of refused) {
    it(`refuses ${what}`, () => {
      const checked = validateWebviewMessage(raw);
      assert.equal(checked.ok, false);
      if (!checked.ok) assert.match(checked.reason, reason);
    });
  }
});

describe('panel: reading predict mode from a saved panel state', () => {
  const base = { version: 1, document: 'file:///work/samples/02-write-fault.cow', position: 3, compare: false };
  const grade = { questionId: 'step-4/will-copy', kind: 'will-copy', correct: true, givenText: 'yes', answerText: 'yes', explanation: 'Yes. wp_page_copy…' };

  it('accepts the grades the webview saves', () => {
    const state = { ...base, predict: { on: true, scenario: 'fnv1a:0123abcd:1200', graded: [grade] } };
    assert.deepEqual(validatePersistedState(state), { ok: true, value: state });
  });

  it('refuses predict state with wrong fields', () => {
    for (const predict of [
      'on',
      { on: 'yes', scenario: '', graded: [] },
      { on: true, scenario: 'x'.repeat(500), graded: [] },
      { on: true, scenario: '', graded: {} },
      { on: true, scenario: '', graded: [{ ...grade, kind: 'counter' }] },
      { on: true, scenario: '', graded: [{ ...grade, questionId: 'line-3' }] },
      { on: true, scenario: '', graded: [{ ...grade, correct: 'yes' }] },
      { on: true, scenario: '', graded: [{ ...grade, html: '<b>' }] },
    ]) {
      assert.equal(validatePersistedState({ ...base, predict }).ok, false, JSON.stringify(predict));
    }
  });
});
