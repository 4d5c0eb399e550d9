// The storage row request from the webview, validated like every other message.
import * as assert from 'node:assert/strict';
import { validateWebviewMessage } from '../../../src/panel/validate';

const file = { type: 'requestStorageRows', runId: 2, position: 5, space: 'data', file: 'log', start: 200, count: 256 };
const blocks = { ...file, space: null, file: null };

describe('panel: validating storage row requests', () => {
  it('accepts a file\'s rows and the physical blocks\' rows', () => {
    for (const m of [file, blocks]) {
      const checked = validateWebviewMessage(m);
      assert.ok(checked.ok, checked.ok ? '' : checked.reason);
      assert.deepEqual(checked.value, m);
    }
  });

  const refused: [string, unknown, RegExp][] = [
    ['a space without a file', { ...file, file: null }, /both be names, or both null/],
    ['a file without a space', { ...file, space: null }, /both be names, or both null/],
    ['an empty file name', { ...file, file: '' }, /both be names/],
    ['a huge space name', { ...file, space: 'x'.repeat(5_000) }, /both be names/],
    ['a number as file', { ...file, file: 3 }, /both be names/],
    ['too many rows', { ...blocks, count: 100_000 }, /"count"/],
    ['zero rows', { ...blocks, count: 0 }, /"count"/],
    ['a negative start', { ...blocks, start: -1 }, /"start"/],
    ['a fractional position', { ...blocks, position: 0.5 }, /"position"/],
    ['an extra field', { ...blocks, machine: 'primary' }, /unexpected field "machine"/],
    ['a missing field', { type: 'requestStorageRows', runId: 1, position: 0, space: null, file: null, start: 0 }, /"count"/],
  ];
  for (const [what, raw, reason] of refused) {
    it(`refuses ${what}`, () => {
      const checked = validateWebviewMessage(raw);
      assert.equal(checked.ok, false);
      if (!checked.ok) assert.match(checked.reason, reason);
    });
  }
});
