// PVec.forEachDifference against the obvious definition (compare every index), on versions of
// one lineage that share structure, versions of different heights, and unrelated versions.
import * as assert from 'node:assert/strict';
import { newToken, PVec } from '../../../src/engine/pvec';

function edit(v: PVec, changes: readonly (readonly [number, number])[]): PVec {
  const e = v.edit(newToken());
  for (const [i, x] of changes) e.set(i, x);
  return e.freeze();
}

function slowDiff(a: PVec, b: PVec, upTo: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < upTo; i++) if (a.get(i) !== b.get(i)) out.push([i, a.get(i), b.get(i)]);
  return out;
}

function fastDiff(a: PVec, b: PVec): [number, number, number][] {
  const out: [number, number, number][] = [];
  a.forEachDifference(b, (i, x, y) => {
    out.push([i, x, y]);
  });
  return out;
}

describe('engine: PVec.forEachDifference', () => {
  it('lists exactly the indexes whose entries differ, in order, both ways', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const versions = [PVec.zeros(1 << 20)];
    for (let n = 0; n < 40; n++) {
      const base = versions[Math.floor(next() * versions.length)] as PVec;
      // Mostly small indexes, sometimes far ones (the trie grows), sometimes zeros written back.
      const changes = Array.from({ length: 1 + Math.floor(next() * 20) }, () => [Math.floor(next() < 0.8 ? next() * 3000 : next() * 1_000_000), next() < 0.2 ? 0 : 1 + Math.floor(next() * 9)] as const);
      versions.push(edit(base, changes));
    }
    for (let k = 0; k < 60; k++) {
      const a = versions[Math.floor(next() * versions.length)] as PVec;
      const b = versions[Math.floor(next() * versions.length)] as PVec;
      const want = slowDiff(a, b, 1 << 20);
      assert.deepEqual(fastDiff(a, b), want);
      assert.deepEqual(fastDiff(b, a), want.map(([i, x, y]) => [i, y, x]));
    }
  });

  it('stops when the callback returns false', () => {
    const a = PVec.zeros(1000);
    const b = edit(a, [[1, 1], [2, 1], [3, 1]]);
    const seen: number[] = [];
    a.forEachDifference(b, (i) => {
      seen.push(i);
      return seen.length < 2;
    });
    assert.deepEqual(seen, [1, 2]);
  });

  it('a version and itself differ nowhere', () => {
    const a = edit(PVec.zeros(100), [[5, 3]]);
    assert.deepEqual(fastDiff(a, a), []);
  });
});
