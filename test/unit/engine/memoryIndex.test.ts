// The incremental memory figures (src/engine/memoryIndex.ts behind memoryOf) against a slow,
// page-by-page count through the machine's public views only: Machine.pte() for every page of
// every region, Machine.frame() for each frame's map count, Machine.frames() for shmem. The
// index moves between versions by what differs, so the versions are visited in a random order
// (forwards, backwards, far jumps) and two lineages (both policies) are interleaved.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { apply, createMachine, Machine, memoryOf, processMemory, ratio, ratioToFraction } from '../../../src/engine';
import { indexAt, setIndexPageBits } from '../../../src/engine/memoryIndex';
import { exit, fork, mapPrivate, mapShared, read, run, spawn, write } from './helpers';
import { opSeeds, versionsFromSeeds } from './scenario-gen';
import { wideVersionsFromSeeds } from './wide-gen';

interface Expected {
  readonly process: string;
  readonly rss: number;
  readonly pss: string;
  readonly uss: number;
  readonly byMapCount: readonly (readonly [number, number])[];
  readonly sharers: readonly { readonly process: string; readonly pages: number }[];
  readonly borrowsFrom: string | null;
}

/** Every figure, counted the slow way. */
function reference(m: Machine): { processes: Expected[]; rssSum: number; frames: number; shmemFrames: number } {
  const all = m.processes();
  const live = all.filter((p) => p.status !== 'exited');
  // Frames each address space maps, one item per page (a vfork child's pages are its lender's).
  const pagesOf = new Map<string, number[]>();
  for (const p of live) {
    if (p.borrowsFrom !== null) continue;
    const frames: number[] = [];
    for (const r of m.regions(p.name)) {
      for (let i = 0; i < r.pages; i++) {
        const f = m.pte(p.name, r.name, i).frame;
        if (typeof f === 'number') frames.push(f);
      }
    }
    pagesOf.set(p.name, frames);
  }
  const mappers = new Map<number, Set<string>>();
  for (const [name, frames] of pagesOf) for (const f of frames) mappers.set(f, (mappers.get(f) ?? new Set()).add(name));
  const owner = (name: string): string => {
    let at = name;
    for (let i = 0; i < all.length; i++) {
      const next = m.process(at)?.borrowsFrom ?? null;
      if (next === null) break;
      at = next;
    }
    return at;
  };
  const processes = live.map((p): Expected => {
    const space = owner(p.name);
    const frames = pagesOf.get(space) ?? [];
    let num = 0n;
    let den = 1n;
    const byCount = new Map<number, number>();
    const shared = new Map<string, number>();
    for (const f of frames) {
      const k = m.frame(f)?.mapCount ?? 0;
      byCount.set(k, (byCount.get(k) ?? 0) + 1);
      num = num * BigInt(k) + den;
      den *= BigInt(k);
      for (const other of mappers.get(f) ?? []) if (other !== space) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    const created = (name: string) => all.findIndex((q) => q.name === name);
    const sharers = [...shared]
      .map(([process, pages]) => ({ process, pages }))
      .sort((a, b) => b.pages - a.pages || created(a.process) - created(b.process))
      .slice(0, 3);
    return {
      process: p.name,
      rss: frames.length,
      pss: ratioToFraction(ratio(num, den)),
      uss: byCount.get(1) ?? 0,
      byMapCount: [...byCount].sort((a, b) => a[0] - b[0]),
      sharers,
      borrowsFrom: p.borrowsFrom === null ? null : space,
    };
  });
  return {
    processes,
    rssSum: processes.reduce((n, p) => n + p.rss, 0),
    frames: m.frames().length,
    shmemFrames: m.frames().filter((f) => f.shmem).length,
  };
}

function fast(m: Machine): ReturnType<typeof reference> {
  const all = memoryOf(m);
  return {
    processes: all.processes.map((p) => ({ process: p.process, rss: p.rss, pss: ratioToFraction(p.pss), uss: p.uss, byMapCount: p.byMapCount, sharers: p.sharers, borrowsFrom: p.borrowsFrom })),
    rssSum: all.rssSum,
    frames: all.frames,
    shmemFrames: all.shmemFrames,
  };
}

describe('memory index: hand-worked', () => {
  it('three processes share unevenly: sharers most first, and counted per page', () => {
    // p writes heap[0..3] (frames 1..4), forks a; a writes heap[0] (a copy, frame 5), p forks b.
    // p maps 1..4: frame 1 with b (2 mappers), frames 2..4 with a and b (3 mappers).
    // a maps 5 (alone), 2..4 (with p and b). b maps what p maps.
    // p: RSS 4, byMapCount [[2,1],[3,3]], PSS 1/2 + 3/3 = 3/2; sharers b 4 pages, a 3 pages.
    // a: RSS 4, [[1,1],[3,3]], PSS 2, USS 1; sharers p 3, b 3 (equal: p was made first).
    const m = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0, 3), fork('p', 'a'), write('a', 'heap', 0), fork('p', 'b')]).machine;
    const p = processMemory(m, 'p');
    const a = processMemory(m, 'a');
    assert.deepEqual([p?.rss, p && ratioToFraction(p.pss), p?.byMapCount, p?.sharers], [4, '3/2', [[2, 1], [3, 3]], [{ process: 'b', pages: 4 }, { process: 'a', pages: 3 }]]);
    assert.deepEqual([a?.uss, a && ratioToFraction(a.pss), a?.sharers], [1, '2', [{ process: 'p', pages: 3 }, { process: 'b', pages: 3 }]]);
    assert.deepEqual(fast(m), reference(m));
  });

  it('a shmem page read by the child: one frame, shmem, shared by both', () => {
    const m = run([spawn('p'), mapShared('p', 's', 2), write('p', 's', 1), fork('p', 'c'), read('c', 's', 1)]).machine;
    assert.deepEqual(fast(m), reference(m));
    assert.equal(memoryOf(m).shmemFrames, 1);
    assert.deepEqual(processMemory(m, 'c')?.sharers, [{ process: 'p', pages: 1 }]);
  });

  it('stepping back and forth gives the same figures as a first visit', () => {
    const ops = [spawn('p'), mapPrivate('p', 'heap', 200), write('p', 'heap', 0, 199), fork('p', 'c'), write('c', 'heap', 70, 140), { op: 'exit' as const, process: 'p' }];
    const versions: Machine[] = [];
    let m = createMachine('cow');
    for (const op of ops) {
      const out = apply(m, op);
      assert.ok(out.ok);
      m = out.machine;
      versions.push(m);
    }
    // Last first, then the others backwards: every move goes against the steps.
    for (const v of [...versions].reverse()) assert.deepEqual(fast(v), reference(v));
  });
});

describe('memory index: what changed, for scan tokens', () => {
  it('frames whose mapping entries came or went are marked, in every 64-frame block they lie in', () => {
    // p writes heap[0..127] (frames 1..128: blocks 0, 1 and 2) and q writes its own page (frame
    // 129, block 2). p exits: frames 1..128 lose their only entry, in one stretch over three
    // blocks; frame 129 keeps q's entry. Block 3 holds no frame at all.
    const a = run([spawn('p'), mapPrivate('p', 'heap', 128), write('p', 'heap', 0, 127), spawn('q'), mapPrivate('q', 'x', 1), write('q', 'x', 0)]).machine;
    const since = indexAt(a).now;
    const b = run([exit('p')], 'cow', a).machine;
    const index = indexAt(b);
    assert.deepEqual([0, 1, 2, 3].map((block) => index.blockChangedSince(block, since)), [true, true, true, false]);
    assert.deepEqual([1, 64, 128, 129].map((frame) => index.frameChangedSince(frame, since)), [true, true, true, false]);
  });

  it("a step that writes a page of a leaf marks that page's frames only, not the leaf's other frames", () => {
    // p writes heap[0..63] (frames 1..64), forks c; c writes heap[0] (c's own copy of the table:
    // frame 65 for page 0, frames 2..64 through both tables). c writes heap[1]: frame 2 leaves c's
    // copy, frame 66 comes in; frames 3..64 stay mapped by the same two tables, unmarked.
    const a = run([spawn('p'), mapPrivate('p', 'heap', 64), write('p', 'heap', 0, 63), fork('p', 'c'), write('c', 'heap', 0)]).machine;
    const since = indexAt(a).now;
    const b = run([write('c', 'heap', 1)], 'cow', a).machine;
    const index = indexAt(b);
    assert.deepEqual([2, 3, 64, 65, 66].map((frame) => index.frameChangedSince(frame, since)), [true, false, false, false, true]);
  });
});

describe('memory index: pages of frames named whole (frameSlots.ts)', () => {
  before(() => setIndexPageBits(3));
  after(() => setIndexPageBits(12));

  it('a fork makes whole pages two-mapper pages; the exit and a step back undo it, with the figures counted by hand', () => {
    // Pages of 8 frames. p writes heap[0..127]: frames 1..128 (pages 1..15 of frames whole, and
    // frame 1..7 of page 0 and frame 128 of page 16 in part). p forks c: c's tables map the same
    // 128 frames, so each frame has 2 mappers: p RSS 128, all 128 pages at map count 2, PSS 64,
    // USS 0, c shares 128 with p. c exits: p alone again, RSS 128 at map count 1, PSS = USS = 128.
    // Then back to the fork (c comes back, whole pages gain their second mapper again) and to
    // before it.
    const written = run([spawn('p'), mapPrivate('p', 'heap', 128), write('p', 'heap', 0, 127)]).machine;
    const forked = run([fork('p', 'c')], 'cow', written).machine;
    const exited = run([exit('c')], 'cow', forked).machine;
    const figures = (m: Machine, name: string) => {
      const f = processMemory(m, name);
      return f && [f.rss, f.byMapCount, ratioToFraction(f.pss), f.uss, f.sharers];
    };
    const alone = [128, [[1, 128]], '128', 128, []];
    const shared = (other: string) => [128, [[2, 128]], '64', 0, [{ process: other, pages: 128 }]];
    for (const [m, expected] of [
      [written, { p: alone }],
      [forked, { p: shared('c'), c: shared('p') }],
      [exited, { p: alone }],
      [forked, { p: shared('c'), c: shared('p') }],
      [written, { p: alone }],
      [exited, { p: alone }],
    ] as const) {
      for (const [name, want] of Object.entries(expected)) assert.deepEqual(figures(m, name), want, `${name}`);
      assert.deepEqual(fast(m), reference(m));
    }
  });
});

/**
 * The index keeps a page of frames (2^12 by default) that a move names whole as one set of values,
 * without per-frame arrays (frameSlots.ts). The small scenarios here use a few hundred frames: with
 * pages of 8 frames (bits 3) and of 2 (bits 1) they meet whole pages at every step, named whole or
 * in part, by one process or two, forwards and backwards.
 */
for (const bits of [12, 3, 1]) {
  describe(`memory index: properties (fast-check), pages of ${2 ** bits} frames`, () => {
    before(() => setIndexPageBits(bits));
    after(() => setIndexPageBits(12));

    it('any order of visits over two interleaved lineages agrees with the page-by-page count', () => {
      fc.assert(
        fc.property(opSeeds(30), fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }), (seeds, order) => {
          const versions = versionsFromSeeds(seeds);
          if (versions.length === 0) return;
          for (const i of order) {
            const v = versions[i % versions.length] as Machine;
            assert.deepEqual(fast(v), reference(v));
          }
        }),
        { numRuns: 120, seed: 4242 },
      );
    });

    it('steps that write, fork or drop whole last-level tables (stretches of frames) agree with the page-by-page count', () => {
      fc.assert(
        fc.property(opSeeds(20), fc.array(fc.nat(1000), { minLength: 1, maxLength: 30 }), (seeds, order) => {
          const versions = wideVersionsFromSeeds(seeds);
          if (versions.length === 0) return;
          for (const i of order) {
            const v = versions[i % versions.length] as Machine;
            assert.deepEqual(fast(v), reference(v));
          }
        }),
        { numRuns: 60, seed: 1717 },
      );
    });
  });
}
