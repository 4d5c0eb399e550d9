// The timeline reads back every step exactly as it was, across heavy steps and snapshot windows.

import * as assert from 'node:assert/strict';
import { apply, createMachine, Machine, Operation, SNAPSHOT_EVERY, Timeline } from '../../../src/engine';
import { fingerprint } from './scenario-gen';
import { fork, mapPrivate, spawn, write } from './helpers';

describe('timeline', () => {
  it('reads back each step of a history with heavy steps (whole-region writes) and many snapshot windows', () => {
    const ops: Operation[] = [spawn('p'), mapPrivate('p', 'heap', 2000), write('p', 'heap', 0, 1999, 'big'), fork('p', 'c')];
    for (let i = 0; i < 3 * SNAPSHOT_EVERY + 5; i++) ops.push(write(i % 2 ? 'p' : 'c', 'heap', (i * 37) % 2000, (i * 37) % 2000, `v${i}`));
    ops.push(write('c', 'heap', 0, 1999, 'all mine'));
    for (let i = 0; i < 10; i++) ops.push(write('p', 'heap', i, i));
    const direct: Machine[] = [createMachine('cow')];
    const t = new Timeline(direct[0] as Machine);
    for (const op of ops) {
      const out = apply(direct[direct.length - 1] as Machine, op);
      assert.ok(out.ok);
      direct.push(out.machine);
      assert.ok(t.push(op).ok);
    }
    assert.equal(t.length, direct.length);
    for (let i = direct.length - 1; i >= 0; i--) assert.equal(fingerprint(t.at(i)), fingerprint(direct[i] as Machine), `step ${i}`);
  });

  it('refuses steps outside the history and keeps a failed operation out of it', () => {
    const t = new Timeline(createMachine('cow'));
    assert.ok(t.push(spawn('p')).ok);
    assert.equal(t.push(write('p', 'nowhere', 0)).ok, false);
    assert.equal(t.length, 2);
    assert.throws(() => t.at(2), RangeError);
    assert.throws(() => t.at(-1), RangeError);
    assert.throws(() => t.at(0.5), RangeError);
  });
});
