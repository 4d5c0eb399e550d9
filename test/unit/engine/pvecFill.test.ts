// PVecEditor.fill and zeroRun (what bulk frame allocation uses) against a plain array: random
// sets, fills and frozen versions edited again must read exactly like the array, count their
// non-zero entries right, and leave every earlier version as it was.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { newToken, PVec } from '../../../src/engine/pvec';

const SIZE = 5_000;

type Change = { readonly fill: boolean; readonly at: number; readonly count: number; readonly value: number; readonly freeze: boolean };

const change: fc.Arbitrary<Change> = fc.record({
  fill: fc.boolean(),
  at: fc.nat(SIZE - 1),
  count: fc.integer({ min: 0, max: 200 }),
  value: fc.constantFrom(0, 1, 4, 7, 4096),
  freeze: fc.boolean(),
});

function zeroRunOf(a: readonly number[], from: number, max: number): number {
  let n = 0;
  while (n < max && from + n < a.length && a[from + n] === 0) n++;
  return n;
}

describe('engine: PVecEditor.fill and zeroRun', () => {
  it('read like a plain array after random sets and fills, earlier versions untouched', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), fc.nat(SIZE - 1), (changes, probe) => {
        const model: number[] = new Array<number>(SIZE).fill(0);
        let editor = PVec.zeros(SIZE).edit(newToken());
        const versions: { v: PVec; copy: number[] }[] = [];
        for (const c of changes) {
          const count = Math.min(c.count, SIZE - c.at);
          if (c.fill) {
            editor.fill(c.at, count, c.value);
            for (let i = 0; i < count; i++) model[c.at + i] = c.value;
          } else {
            editor.set(c.at, c.value);
            model[c.at] = c.value;
          }
          assert.equal(editor.zeroRun(probe, 300), zeroRunOf(model, probe, 300));
          if (c.freeze) {
            const v = editor.freeze();
            versions.push({ v, copy: model.slice() });
            editor = v.edit(newToken());
          }
        }
        const last = editor.freeze();
        for (let i = 0; i < SIZE; i++) assert.equal(last.get(i), model[i], `index ${i}`);
        assert.equal(last.nonZero, model.filter((x) => x !== 0).length);
        for (const { v, copy } of versions) {
          for (let i = 0; i < SIZE; i++) assert.equal(v.get(i), copy[i], `an earlier version changed at ${i}`);
          assert.equal(v.nonZero, copy.filter((x) => x !== 0).length);
        }
      }),
      { numRuns: 150 },
    );
  });

  // fillZeros keeps runs that follow each other pending (not in the trie) until something reads
  // or changes the trie there: every read of the editor in between must already see them.
  it('fillZeros: runs allocated one after another read as filled at once, whatever comes between', () => {
    type Op = { readonly kind: number; readonly at: number; readonly count: number; readonly value: number };
    const op: fc.Arbitrary<Op> = fc.record({ kind: fc.nat(9), at: fc.nat(SIZE - 1), count: fc.integer({ min: 0, max: 150 }), value: fc.constantFrom(1, 4, 7) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const model: number[] = new Array<number>(SIZE).fill(0);
        let editor = PVec.zeros(SIZE).edit(newToken());
        let next = 0; // where the next run of allocations starts, as allocateMany goes on
        for (const o of ops) {
          if (o.kind < 5) {
            // A run of zeros from `next` (or from a random place), as allocateMany finds them.
            const from = o.kind < 4 ? next : o.at;
            const run = zeroRunOf(model, from, o.count);
            editor.fillZeros(from, run, o.value);
            for (let i = 0; i < run; i++) model[from + i] = o.value;
            next = from + run + (run < o.count ? 1 : 0);
            if (next >= SIZE) next = 0;
          } else if (o.kind === 5) {
            editor.set(o.at, o.value * (o.count % 2));
            model[o.at] = o.value * (o.count % 2);
          } else if (o.kind === 6) {
            const was = model[o.at] as number;
            if (was > 0) {
              assert.equal(editor.add(o.at, -1), was - 1);
              model[o.at] = was - 1;
            }
          } else if (o.kind === 7) {
            assert.equal(editor.zeroRun(o.at, o.count), zeroRunOf(model, o.at, o.count));
          } else if (o.kind === 8) {
            const want = model.indexOf(0, o.at);
            assert.equal(editor.firstZero(o.at), want);
          } else {
            const v = editor.freeze();
            editor = v.edit(newToken());
          }
          assert.equal(editor.get(o.at), model[o.at]);
          assert.equal(editor.nonZero, model.filter((x) => x !== 0).length);
        }
        const last = editor.freeze();
        for (let i = 0; i < SIZE; i++) assert.equal(last.get(i), model[i], `index ${i}`);
        assert.equal(last.nonZero, model.filter((x) => x !== 0).length);
      }),
      { numRuns: 200 },
    );
  });
});
