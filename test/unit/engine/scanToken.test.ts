// Machine.scanToken (src/engine/scanToken.ts): the same token for two versions must mean the same
// entries on every page, as Machine.pte() reads them one page at a time. Checked over random
// scenarios visited in a random order (forwards, backwards, both policies interleaved), and on
// hand-worked cases where the entries stay or change without the table itself being written.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { Machine, regionPtes } from '../../../src/engine';
import { fork, mapPrivate, read, run, spawn, write } from './helpers';
import { setIndexPageBits } from '../../../src/engine/memoryIndex';
import { opSeeds, versionsFromSeeds } from './scenario-gen';
import { wideVersionsFromSeeds } from './wide-gen';

/** Every page of a region as Machine.pte() reads it, in one string. */
function pages(m: Machine, process: string, region: string): string {
  return JSON.stringify(regionPtes(m, process, region));
}

describe('scan tokens: hand-worked', () => {
  it('a read of a present page keeps the token; a write changes it', () => {
    // p writes heap[0..3] (frames 1..4, writable, exclusive). Reading heap[2] again changes no
    // entry: same token. Writing heap[1] in place changes nothing a scan reports either (same
    // frame, still writable and exclusive) but writes the leaf: a new token is allowed.
    const m1 = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0, 3)]).machine;
    const m2 = run([read('p', 'heap', 2)], 'cow', m1).machine;
    assert.equal(m2.scanToken('p', 'heap'), m1.scanToken('p', 'heap'));
    assert.equal(pages(m2, 'p', 'heap'), pages(m1, 'p', 'heap'));
  });

  it("the child's copy makes the parent's page exclusive again: the parent's token changes though its table was not written", () => {
    // p writes heap[0..1] (frames 1, 2), forks c: both map 1 and 2 read-only, shared (not exclusive).
    // c writes heap[0]: c gets frame 3; frame 1 is now mapped by p alone, so p's heap[0] reads
    // exclusive — p's entries are the same, what they say is not.
    const forked = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), fork('p', 'c')]).machine;
    const before = forked.scanToken('p', 'heap');
    const copied = run([write('c', 'heap', 0)], 'cow', forked).machine;
    assert.equal(copied.pte('p', 'heap', 0).exclusive, true);
    assert.equal(forked.pte('p', 'heap', 0).exclusive, false);
    assert.notEqual(copied.scanToken('p', 'heap'), before);
  });

  it("the child's exit makes the parent's pages exclusive: a new token, though neither table nor frames changed", () => {
    // p writes heap[0..1], forks c: the two share p's last-level table (share count 2), so no
    // entry is exclusive. c exits: the table's share count drops to 1, every frame has one
    // mapper again — only the share count says so.
    const forked = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), fork('p', 'c')]).machine;
    const before = forked.scanToken('p', 'heap');
    const exited = run([{ op: 'exit', process: 'c' }], 'cow', forked).machine;
    assert.deepEqual([forked.pte('p', 'heap', 1).exclusive, exited.pte('p', 'heap', 1).exclusive], [false, true]);
    assert.notEqual(exited.scanToken('p', 'heap'), before);
  });

  it('a frame met twice in one 64-frame block, far apart in the table, is still watched', () => {
    // p writes heap[64..127] first (frames 1..64, page 127 → frame 64), then heap[0..63]
    // (frames 65..128). In page order the table meets frames 65..127 (block 1), 128 (block 2),
    // 1..63 (block 0), then 64 (block 1 again). c forks and writes heap[64]: c's copy of that
    // last-level table maps frames 2..64 too (two leaves each). Then c writes heap[127]: frame 64
    // has one mapper again, p's page 127 reads exclusive — p's table, its share counts and every
    // other frame unchanged.
    const ops = [spawn('p'), mapPrivate('p', 'heap', 128), write('p', 'heap', 64, 127), write('p', 'heap', 0, 63), fork('p', 'c'), write('c', 'heap', 64)];
    const a = run(ops).machine;
    assert.equal(a.pte('p', 'heap', 127).frame, 64);
    const token = a.scanToken('p', 'heap');
    const b = run([write('c', 'heap', 127)], 'cow', a).machine;
    assert.deepEqual([a.pte('p', 'heap', 127).exclusive, b.pte('p', 'heap', 127).exclusive], [false, true]);
    assert.notEqual(b.scanToken('p', 'heap'), token);
  });

  it("a frame in the second 64-frame block of a leaf another process dropped whole is still watched", () => {
    // p writes heap[0..127] (page k → frame k + 1), forks c: they share both last-level tables.
    // c writes heap[0]: c gets its own copy of the first table (frames 2..64, and 129 for page 0),
    // so frames 2..64 are referenced by two tables. c writes heap[63]: c's copy is written (a new
    // version of it: frames 2..63 and 130 for page 63), frame 64 — block 1, the old copy's last
    // frame — has one mapper again and p's page 63 reads exclusive. p's table and share counts
    // did not change; the frame lies in the second block of what left c's table in one piece.
    const a = run([spawn('p'), mapPrivate('p', 'heap', 128), write('p', 'heap', 0, 127), fork('p', 'c'), write('c', 'heap', 0)]).machine;
    assert.equal(a.pte('p', 'heap', 63).frame, 64);
    const token = a.scanToken('p', 'heap');
    const b = run([write('c', 'heap', 63)], 'cow', a).machine;
    assert.deepEqual([a.pte('p', 'heap', 63).exclusive, b.pte('p', 'heap', 63).exclusive], [false, true]);
    assert.notEqual(b.scanToken('p', 'heap'), token);
  });

  it('no token for a region that does not exist', () => {
    const m = run([spawn('p'), mapPrivate('p', 'heap', 1)]).machine;
    assert.equal(m.scanToken('p', 'nowhere'), undefined);
    assert.equal(m.scanToken('q', 'heap'), undefined);
  });
});

/** Visits `versions` in `order` and checks that a token seen again stands for the same pages. */
function sameTokenSamePages(versions: readonly Machine[], order: readonly number[]): void {
  // What each token was first seen to stand for: region → pages.
  const seen = new Map<object, string>();
  for (const i of order) {
    const v = versions[i % versions.length] as Machine;
    for (const p of v.processes()) {
      for (const r of v.regions(p.name)) {
        const token = v.scanToken(p.name, r.name);
        assert.ok(token);
        const now = pages(v, p.name, r.name);
        const before = seen.get(token);
        if (before === undefined) seen.set(token, now);
        else assert.equal(now, before, `${p.name} ${r.name}: same token, different pages`);
      }
    }
  }
}

// Tokens read which frames changed from the memory index, which keeps pages of frames named whole
// as one set of values (frameSlots.ts): also with pages of 8 frames, met whole at every step.
for (const bits of [12, 3]) {
  describe(`scan tokens: properties (fast-check), index pages of ${2 ** bits} frames`, () => {
    before(() => setIndexPageBits(bits));
    after(() => setIndexPageBits(12));

    it('the same token means the same pages, whatever order the versions are visited in', () => {
      fc.assert(
        fc.property(opSeeds(30), fc.array(fc.nat(1000), { minLength: 2, maxLength: 50 }), (seeds, order) => {
          const versions = versionsFromSeeds(seeds);
          if (versions.length > 0) sameTokenSamePages(versions, order);
        }),
        { numRuns: 150, seed: 2024 },
      );
    });

    it('the same, with steps that write, fork or drop whole last-level tables', () => {
      fc.assert(
        fc.property(opSeeds(20), fc.array(fc.nat(1000), { minLength: 2, maxLength: 40 }), (seeds, order) => {
          const versions = wideVersionsFromSeeds(seeds);
          if (versions.length > 0) sameTokenSamePages(versions, order);
        }),
        { numRuns: 60, seed: 3131 },
      );
    });
  });
}
