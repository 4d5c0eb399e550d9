// Messages from the webview are untrusted: every malformed one is refused with a reason.
import * as assert from 'node:assert/strict';
import { validatePersistedState, validateWebviewMessage, type Shapes } from '../../../src/panel/validate';

// Compile-time guard (npm run typecheck): the validator table is keyed by message type, so a
// table missing one is refused by the compiler, and so is a field the message does not have.
// @ts-expect-error 'problem' has no validator
export const missingOne: Pick<Shapes, 'ready' | 'problem'> = { ready: { keys: [], check: () => undefined } };
// @ts-expect-error "colour" is not a field of setCompare
export const wrongField: Pick<Shapes, 'setCompare'> = { setCompare: { keys: ['colour'], check: () => undefined } };

const good = { type: 'requestRows', runId: 3, position: 4, machine: 'primary', process: 'parent', region: 'heap', start: 0, count: 256 };

describe('panel: validating messages from the webview', () => {
  it('accepts each message the protocol defines', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'navigate', to: 'first' },
      { type: 'navigate', to: 'forward' },
      { type: 'goTo', position: 0 },
      { type: 'setCompare', on: true },
      { type: 'revealStatement', position: 12 },
      good,
      { type: 'problem', message: 'CSP blocked style-src' },
    ]) {
      const checked = validateWebviewMessage(m);
      assert.ok(checked.ok, `${JSON.stringify(m)}: ${checked.ok ? '' : checked.reason}`);
      assert.deepEqual(checked.value, m);
    }
  });

  const refused: [string, unknown, RegExp][] = [
    ['not an object', 'navigate', /not an object/],
    ['null', null, /not an object/],
    ['an array', [{ type: 'ready' }], /not an object/],
    ['no type', { to: 'forward' }, /no "type"/],
    ['an unknown type', { type: 'runShell', command: 'rm -rf /' }, /unknown type "runShell"/],
    ['a prototype key as type', { type: '__proto__' }, /unknown type/],
    ['an extra field', { type: 'ready', extra: 1 }, /unexpected field "extra"/],
    ['a bad navigation', { type: 'navigate', to: 'sideways' }, /"to" must be/],
    ['a fractional position', { type: 'goTo', position: 1.5 }, /"position"/],
    ['a negative position', { type: 'goTo', position: -1 }, /"position"/],
    ['a position as text', { type: 'goTo', position: '3' }, /"position"/],
    ['NaN', { type: 'goTo', position: Number.NaN }, /"position"/],
    ['compare as text', { type: 'setCompare', on: 'yes' }, /"on"/],
    ['an unknown machine', { ...good, machine: 'kernel' }, /"machine"/],
    ['an empty process name', { ...good, process: '' }, /names/],
    ['a huge region name', { ...good, region: 'x'.repeat(10_000) }, /names/],
    ['too many rows', { ...good, count: 1_000_000 }, /"count"/],
    ['zero rows', { ...good, count: 0 }, /"count"/],
    ['a missing field', { type: 'requestRows', runId: 3 }, /"position"/],
    ['a huge problem report', { type: 'problem', message: 'x'.repeat(5_000) }, /"message"/],
  ];
  for (const [what, raw, reason] of refused) {
    it(`refuses ${what}`, () => {
      const checked = validateWebviewMessage(raw);
      assert.equal(checked.ok, false);
      if (!checked.ok) assert.match(checked.reason, reason);
    });
  }
});

describe('panel: reading a saved panel state after a reload', () => {
  it('accepts what the webview saves', () => {
    const state = { version: 1, document: 'file:///work/samples/02-write-fault.cow', position: 4, compare: true };
    assert.deepEqual(validatePersistedState(state), { ok: true, value: state });
  });

  it('refuses a state from another version or with wrong fields', () => {
    for (const raw of [undefined, null, 'x', { version: 2, document: 'file:///a.cow', position: 0, compare: false }, { version: 1, document: '', position: 0, compare: false }, { version: 1, document: 'file:///a.cow', position: -3, compare: false }, { version: 1, document: 'file:///a.cow', position: 0 }]) {
      assert.equal(validatePersistedState(raw).ok, false, JSON.stringify(raw));
    }
  });
});

// Predict mode's messages and saved state are untrusted like the rest: an answer must name a
// question of its own step, of a kind predict mode asks, in the shape that kind wants.
const answer = (questionId: string, value: unknown, step = 4) => ({ type: 'predictAnswer', step, questionId, answer: value });

describe('panel: validating predict mode messages', () => {
  it('accepts setPredict and an answer of the right shape for each kind', () => {
    for (const m of [
      { type: 'setPredict', on: true },
      answer('step-4/will-copy', false),
      answer('step-4/copies', 0),
      answer('step-4/frames-after', 5),
      answer('step-4/refcount', 3),
      answer('step-4/which-frame', 'frame:2'),
      answer('step-4/which-frame', 'new'),
      answer('step-4/which-frame', 'zero'),
      answer('step-4/which-frame', 'none'),
      answer('step-4/rss-after', 4),
      answer('step-4/pss-after', '2.5'),
      answer('step-4/pss-after', '7/3'),
      answer('step-4/pss-after', '4'),
      { type: 'predictSkip', step: 4, questionId: 'step-4/frames-after' },
    ]) {
      const checked = validateWebviewMessage(m);
      assert.ok(checked.ok, `${JSON.stringify(m)}: ${checked.ok ? '' : checked.reason}`);
      assert.deepEqual(checked.value, m);
    }
  });

  const refused: [string, unknown, RegExp][] = [
    ['predict on as text', { type: 'setPredict', on: 'on' }, /"on"/],
    ['an unknown question kind', answer('step-4/value', 'x'), /"questionId"/],
    // The reason lists every kind there is, the storage ones too (it once stopped at pss-after).
    ['an unknown kind, naming the kinds', answer('step-4/blocks', 1), /one of will-copy, .*pss-after, refcount, new-block, copied-up, blocks-copied, blocks-after$/],
    ['a question id that is not one', answer('__proto__', true), /"questionId"/],
    ['a question of another step', answer('step-5/copies', 1), /question of "step"/],
    ['a number for will-copy', answer('step-4/will-copy', 1), /will-copy must be true or false/],
    ['text for a count', answer('step-4/frames-after', '5'), /whole number/],
    ['a negative count', answer('step-4/copies', -1), /whole number/],
    ['a fractional count', answer('step-4/copies', 1.5), /whole number/],
    ['a fractional RES', answer('step-4/rss-after', 2.5), /whole number/],
    ['a PSS as a number, not as typed', answer('step-4/pss-after', 2.5), /pss-after must be a number of pages as text/],
    ['a PSS that is no number', answer('step-4/pss-after', '2.5.1'), /pss-after must be a number of pages as text/],
    ['a negative PSS', answer('step-4/pss-after', '-1'), /pss-after/],
    ['a frame number without its prefix', answer('step-4/which-frame', '5'), /frame:N, new, zero or none/],
    ['a boolean for a frame', answer('step-4/which-frame', true), /frame:N/],
    ['a missing answer', { type: 'predictAnswer', step: 4, questionId: 'step-4/copies' }, /whole number/],
    ['an extra field', { ...answer('step-4/copies', 1), correct: true }, /unexpected field "correct"/],
    ['a skip of another step\'s question', { type: 'predictSkip', step: 4, questionId: 'step-5/copies' }, /question of "step"/],
    ['a skip that is not a question id', { type: 'predictSkip', step: 4, questionId: 'all' }, /"questionId"/],
    ['a skip with an answer', { type: 'predictSkip', step: 4, questionId: 'step-4/copies', answer: 1 }, /unexpected field "answer"/],
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
    const skipping = { ...base, predict: { on: true, scenario: 'fnv1a:0123abcd:1200', graded: [grade], skipped: ['step-4/copies'] } };
    assert.deepEqual(validatePersistedState(skipping), { ok: true, value: skipping });
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
      { on: true, scenario: '', graded: [], skipped: 'step-4/copies' },
      { on: true, scenario: '', graded: [], skipped: ['<b>'] },
    ]) {
      assert.equal(validatePersistedState({ ...base, predict }).ok, false, JSON.stringify(predict));
    }
  });
});
