// RSS, PSS and USS (src/engine/memory.ts): hand-worked cases, each figure worked out in the
// comments from the kernel's rules (fs/proc/task_mmu.c: smaps_account), and properties over
// random scenarios against a naive page-by-page count through Machine.pte().

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { compareRatio, Machine, memoryOf, parseDecimal, Policy, processMemory, ratio, ratioToDecimal, ratioToFraction, ratioToNumber, Ratio } from '../../../src/engine';
import { exec, fork, madvise, mapPrivate, mapShared, read, run, spawn, vfork, write } from './helpers';
import { opSeeds, versionsFromSeeds } from './scenario-gen';

function figures(m: Machine, p: string): { rss: number; pss: string; uss: number } {
  const f = processMemory(m, p);
  if (!f) return assert.fail(`no figures for ${p}`);
  return { rss: f.rss, pss: ratioToFraction(f.pss), uss: f.uss };
}

describe('memory figures: RSS, PSS, USS (hand-worked)', () => {
  it('after fork: RSS is the same in both, PSS halves, USS is zero', () => {
    // p writes 4 pages → frames 1..4, each mapped once: RSS 4, PSS 4, USS 4.
    // fork: both map frames 1..4, map count 2: RSS 4 each, PSS 4 × 1/2 = 2, USS 0.
    const before = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0, 3)]).machine;
    assert.deepEqual(figures(before, 'p'), { rss: 4, pss: '4', uss: 4 });
    const m = run([fork('p', 'c')], 'cow', before).machine;
    assert.deepEqual(figures(m, 'p'), { rss: 4, pss: '2', uss: 0 });
    assert.deepEqual(figures(m, 'c'), { rss: 4, pss: '2', uss: 0 });
    const all = memoryOf(m);
    assert.equal(all.rssSum, 8, 'top adds up 8 pages');
    assert.equal(all.frames, 4, 'only 4 frames are in use');
  });

  it('after a write in the child: RSS unchanged, USS 1, PSS 1 + 3/2', () => {
    // c writes heap[0]: wp_page_copy gives c frame 5; frame 1 is p's alone again.
    // Each: 1 page mapped once (1) + 3 pages mapped twice (3/2) = 5/2; USS 1; RSS 4.
    const m = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0, 3), fork('p', 'c'), write('c', 'heap', 0)]).machine;
    assert.deepEqual(figures(m, 'p'), { rss: 4, pss: '5/2', uss: 1 });
    assert.deepEqual(figures(m, 'c'), { rss: 4, pss: '5/2', uss: 1 });
    assert.equal(ratioToDecimal(processMemory(m, 'c')?.pss ?? ratio(0n, 1n)), '2.5');
    assert.deepEqual(processMemory(m, 'c')?.sharers, [{ process: 'p', pages: 3 }]);
    assert.equal(memoryOf(m).frames, 5);
  });

  it('three sharers of 6 pages: PSS 2 each (the kernel prints 7 kB, not 8: see docs)', () => {
    // p writes 6 pages, forks a and b: each frame mapped 3 times; PSS = 6 × 1/3 = 2 pages.
    const m = run([spawn('p'), mapPrivate('p', 'heap', 6), write('p', 'heap', 0, 5), fork('p', 'a'), fork('p', 'b')]).machine;
    for (const name of ['p', 'a', 'b']) assert.deepEqual(figures(m, name), { rss: 6, pss: '2', uss: 0 });
    assert.deepEqual(processMemory(m, 'a')?.byMapCount, [[3, 6]]);
  });

  it('a third of a page: PSS stays an exact fraction', () => {
    // p writes 1 page and forks a, b: each has 1/3 of a page.
    const m = run([spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0), fork('p', 'a'), fork('p', 'b')]).machine;
    assert.equal(ratioToFraction(processMemory(m, 'b')?.pss as Ratio), '1/3');
    assert.equal(ratioToDecimal(processMemory(m, 'b')?.pss as Ratio), '0.333333');
  });

  it('the zero page is not resident', () => {
    // Reads of untouched private memory map the zero page (do_anonymous_page): vm_normal_page
    // says it is no normal page, so smaps counts nothing.
    const m = run([spawn('p'), mapPrivate('p', 'buf', 3), read('p', 'buf', 0, 2)]).machine;
    assert.deepEqual(figures(m, 'p'), { rss: 0, pss: '0', uss: 0 });
  });

  it('shared mappings: a shmem page counts in RSS, is private while one process maps it', () => {
    // p writes shm[0] → shmem frame 1, mapped once: RSS 1, USS 1.
    // fork: the child gets no entry (no anon_vma): c RSS 0. c reads shm[0] → maps frame 1: both PSS 1/2, USS 0.
    const after = run([spawn('p'), mapShared('p', 'shm', 2), write('p', 'shm', 0, 0, 'A'), fork('p', 'c')]).machine;
    assert.deepEqual(figures(after, 'p'), { rss: 1, pss: '1', uss: 1 });
    assert.deepEqual(figures(after, 'c'), { rss: 0, pss: '0', uss: 0 });
    const m = run([read('c', 'shm', 0)], 'cow', after).machine;
    assert.deepEqual(figures(m, 'p'), { rss: 1, pss: '1/2', uss: 0 });
    assert.deepEqual(figures(m, 'c'), { rss: 1, pss: '1/2', uss: 0 });
    assert.equal(memoryOf(m).shmemFrames, 1);
    assert.equal(memoryOf(m).anonFrames, 0);
  });

  it('exec drops everything; the parent owns its pages alone again', () => {
    const m = run([spawn('p'), mapPrivate('p', 'heap', 3), write('p', 'heap', 0, 2), fork('p', 'c'), exec('c')]).machine;
    assert.deepEqual(figures(m, 'c'), { rss: 0, pss: '0', uss: 0 });
    assert.deepEqual(figures(m, 'p'), { rss: 3, pss: '3', uss: 3 });
  });

  it('MADV_DONTFORK: the child lacks the page, which stays the parent\'s alone', () => {
    // p writes heap[0..1] (frames 1, 2), dontfork on heap[0], fork: c maps only frame 2.
    // p: frame 1 alone (1) + frame 2 shared (1/2) = 3/2, USS 1. c: RSS 1, PSS 1/2, USS 0.
    const m = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), madvise('p', 'heap', 0, 0, 'dontfork'), fork('p', 'c')]).machine;
    assert.deepEqual(figures(m, 'p'), { rss: 2, pss: '3/2', uss: 1 });
    assert.deepEqual(figures(m, 'c'), { rss: 1, pss: '1/2', uss: 0 });
  });

  it('a vfork child shows its parent\'s address space: the same figures, counted twice by top', () => {
    const m = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), vfork('p', 'c')]).machine;
    assert.deepEqual(figures(m, 'c'), figures(m, 'p'));
    assert.equal(processMemory(m, 'c')?.borrowsFrom, 'p');
    assert.equal(memoryOf(m).rssSum, 4);
    assert.equal(memoryOf(m).frames, 2);
  });

  it('eager copy: after fork every page is private to each process', () => {
    const m = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0, 3), fork('p', 'c')], 'eager').machine;
    assert.deepEqual(figures(m, 'c'), { rss: 4, pss: '4', uss: 4 });
    assert.equal(memoryOf(m).frames, 8);
  });

  it('exited processes have no figures', () => {
    const m = run([spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0), fork('p', 'c'), { op: 'exit', process: 'c' }]).machine;
    assert.equal(processMemory(m, 'c'), undefined);
    assert.deepEqual(figures(m, 'p'), { rss: 1, pss: '1', uss: 1 });
  });
});

/** The figures counted the slow way: Machine.pte() page by page, Machine.frame() for each map count. */
function naive(m: Machine, p: string): { rss: number; pss: string; uss: number } {
  let rss = 0;
  let uss = 0;
  let num = 0n;
  let den = 1n;
  for (const r of m.regions(p)) {
    for (let i = 0; i < r.pages; i++) {
      const pte = m.pte(p, r.name, i);
      if (typeof pte.frame !== 'number') continue;
      rss += 1;
      const k = BigInt(m.frame(pte.frame)?.mapCount ?? 0);
      if (k === 1n) uss += 1;
      num = num * k + den;
      den *= k;
    }
  }
  return { rss, pss: ratioToFraction(ratio(num, den)), uss };
}

describe('memory figures: properties (fast-check, both policies)', () => {
  for (const policy of ['cow', 'eager'] as Policy[]) {
    it(`${policy}: agree with a page-by-page count; USS <= PSS <= RSS; PSS adds up to the frames mapped`, () => {
      fc.assert(
        fc.property(opSeeds(40), (seeds) => {
          for (const m of versionsFromSeeds(seeds, [policy])) {
            const all = memoryOf(m);
            let pssNum = 0n;
            let pssDen = 1n;
            let rssSum = 0;
            for (const f of all.processes) {
              assert.deepEqual({ rss: f.rss, pss: ratioToFraction(f.pss), uss: f.uss }, naive(m, f.process), f.process);
              assert.ok(f.uss * Number(f.pss.den) <= Number(f.pss.num) && Number(f.pss.num) <= f.rss * Number(f.pss.den));
              rssSum += f.rss;
              if (f.borrowsFrom !== null) continue;
              pssNum = pssNum * f.pss.den + f.pss.num * pssDen;
              pssDen *= f.pss.den;
            }
            assert.equal(all.rssSum, rssSum);
            // Every mapped frame hands out exactly one page's worth of PSS over its mappers.
            const mapped = m.frames().filter((f) => f.mapCount > 0).length;
            assert.equal(ratioToFraction(ratio(pssNum, pssDen)), String(mapped));
            assert.equal(all.frames, m.stats.frames);
          }
        }),
        { numRuns: 150, seed: 1717 },
      );
    });
  }
});

describe('exact ratios for PSS', () => {
  it('parses decimals exactly and prints them back', () => {
    assert.equal(ratioToFraction(parseDecimal('2.5') as Ratio), '5/2');
    assert.equal(ratioToFraction(parseDecimal('1_000.250') as Ratio), '4001/4');
    assert.equal(parseDecimal('2.'), undefined);
    assert.equal(parseDecimal('.5'), undefined);
    // 2/3 = 0.6666666… rounds half up to 0.666667; 1/8 terminates: printed exactly.
    assert.equal(ratioToDecimal(ratio(2n, 3n)), '0.666667');
    assert.equal(ratioToDecimal(ratio(1n, 8n)), '0.125');
    assert.equal(ratioToDecimal(ratio(7n, 1n)), '7');
    // 1/1000001 rounds to 0.000001; 1/3000000 rounds to 0 (no trailing dot).
    assert.equal(ratioToDecimal(ratio(1n, 1000001n)), '0.000001');
    assert.equal(ratioToDecimal(ratio(1n, 3000000n)), '0');
    assert.equal(compareRatio(ratio(1n, 3n), parseDecimal('0.333333') as Ratio), 1);
    assert.equal(ratioToNumber(ratio(5n, 2n)), 2.5);
  });
});
