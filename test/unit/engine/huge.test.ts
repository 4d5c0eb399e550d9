// Hand-worked: transparent huge pages. The expected values follow the kernel's rules as
// docs/kernel-model.md describes them (do_huge_pmd_anonymous_page, copy_huge_pmd,
// do_huge_pmd_wp_page, __split_huge_pmd), worked out in the comments. Frame numbers: the first
// huge page takes frames 512–1023 (frame 0 is the zero page and a huge page starts at a
// multiple of 512); small pages then take the lowest free frames, 1, 2, …

import * as assert from 'node:assert/strict';
import { apply, createMachine, KernelVersion, LINUX_RULES, Operation } from '../../../src/engine';
import { exit, fork, madvise, mapHuge, pin, read, run, runKernel, spawn, vmsplice, write } from './helpers';


const V4_19: KernelVersion = { major: 4, minor: 19 };
const V5_10: KernelVersion = { major: 5, minor: 10 };
const V6_8: KernelVersion = { major: 6, minor: 8 };
const TODAY: KernelVersion = { major: 6, minor: 18 };

const filled: Operation[] = [spawn('p'), mapHuge('p', 'h', 1024), write('p', 'h', 0, 0, 'a')];
const forked: Operation[] = [...filled, fork('p', 'c')];

describe('transparent huge pages', () => {
  it('a first write maps a whole 2 MiB huge page with one PMD entry: frames 512–1023, one fault', () => {
    const { machine: m, last } = run(filled);
    assert.deepEqual([m.pte('p', 'h', 0).frame, m.pte('p', 'h', 511).frame, m.pte('p', 'h', 512).frame], [512, 1023, null]);
    assert.equal(m.pte('p', 'h', 300).pmd, true);
    assert.equal(m.pte('p', 'h', 300).writable, true);
    assert.equal(m.pte('p', 'h', 512).pmd, undefined, 'the second 2 MiB is untouched');
    assert.deepEqual([m.stats.faults, m.stats.frames], [1, 512]);
    assert.deepEqual(m.regions('p'), [{ name: 'h', pages: 1024, kind: 'private', huge: true }]);
    assert.match(last.explanation, /do_huge_pmd_anonymous_page gave h\[0\.\.511\] a zeroed 2 MiB huge page \(frames 512–1023\) mapped by one PMD entry/);
  });

  it('fork copies one PMD entry, not 512: both map frames 512–1023 write-protected', () => {
    const { machine: m, last } = run(forked);
    assert.equal(m.stats.ptesCopied, 1);
    for (const who of ['p', 'c']) {
      const v = m.pte(who, 'h', 7);
      assert.deepEqual([v.frame, v.writable, v.cow, v.pmd], [519, false, true, true]);
    }
    assert.equal(m.frame(519)?.mapCount, 2);
    assert.match(last.explanation, /copy_huge_pmd copied 1 PMD entry/);
  });

  it('today: the child\'s write splits only its own PMD entry and copies 4 KiB; the parent\'s write then does the same', () => {
    // c writes h[3]: the huge page is mapped twice → do_huge_pmd_wp_page splits c's PMD entry,
    // and do_wp_page copies frame 515 into frame 1 (the lowest free frame).
    const child = run([...forked, write('c', 'h', 3, 3, 'c3')]);
    let m = child.machine;
    assert.deepEqual([m.pte('c', 'h', 3).frame, m.pte('c', 'h', 3).pmd, m.pte('c', 'h', 4).frame, m.pte('c', 'h', 4).pmd], [1, undefined, 516, undefined]);
    assert.equal(m.pte('p', 'h', 3).pmd, true, "the parent's PMD entry is untouched");
    assert.deepEqual([m.stats.copies, m.stats.bytesCopied, m.stats.faults], [1, 4096, 2]);
    assert.match(child.last.explanation, /split c's PMD entry into 512 page-table entries \(__split_huge_pmd\) and do_wp_page → wp_page_copy copied only this page into frame 1/);
    assert.ok(child.last.events.some((e) => e.kind === 'pmd-split'));
    // p writes h[5]: c's page-table entries still map frames of the huge page, so it is shared:
    // p's PMD entry is split too, and frame 517 is copied into frame 2.
    m = run([write('p', 'h', 5, 5, 'p5')], 'cow', m).machine;
    assert.deepEqual([m.pte('p', 'h', 5).frame, m.pte('p', 'h', 6).pmd, m.stats.copies], [2, undefined, 2]);
    assert.equal(m.frame(517)?.mapCount, 1, "only c's entry maps frame 517 now");
  });

  it('huge page + exit: after the child exits, the parent\'s write reuses the whole huge page (reference count 1)', () => {
    const { machine: m, last } = run([...forked, exit('c'), write('p', 'h', 9, 9, 'b')]);
    assert.deepEqual([m.stats.copies, m.stats.reuses], [0, 1]);
    assert.deepEqual([m.pte('p', 'h', 0).writable, m.pte('p', 'h', 511).writable, m.pte('p', 'h', 511).pmd, m.pte('p', 'h', 511).anonExclusive], [true, true, true, true]);
    assert.match(last.explanation, /only reference is p's PMD entry \(reference count 1\), so do_huge_pmd_wp_page marked it exclusive \(PageAnonExclusive\) and reused it whole/);
  });

  it('Linux 4.19: the child\'s write copies all 2 MiB into a new huge page (frames 1024–1535); the parent, now its only mapper, reuses', () => {
    const child = runKernel(V4_19, [...forked, write('c', 'h', 3, 3, 'c3')]);
    let m = child.machine;
    assert.deepEqual([m.pte('c', 'h', 0).frame, m.pte('c', 'h', 3).frame, m.pte('c', 'h', 3).pmd, m.pte('c', 'h', 3).writable], [1024, 1027, true, true]);
    assert.deepEqual([m.stats.copies, m.stats.bytesCopied], [512, 2 * 1024 * 1024]);
    assert.deepEqual(m.frame(1024)?.value, 'a', 'the copy holds what the old huge page held');
    assert.match(child.last.explanation, /before Linux 5\.8 do_huge_pmd_wp_page copied all of it/);
    const after = apply(m, write('p', 'h', 5, 5, 'p5'));
    assert.ok(after.ok);
    m = after.machine;
    assert.deepEqual([m.pte('p', 'h', 5).frame, m.pte('p', 'h', 5).pmd, m.stats.copies, m.stats.reuses], [517, true, 512, 1]);
  });

  it('a page of a split huge page after the sharer exits: reused from 6.15, copied in 5.19–6.14 and in 5.10', () => {
    // c writes h[3] (c splits, copies), c exits: p still has its PMD entry; p's write to h[5]
    // reuses the whole huge page. So split p first instead: p writes h[5] before c exits.
    const ops = [...forked, write('p', 'h', 5, 5, 'p5'), exit('c'), write('p', 'h', 7, 7, 'p7')];
    // p's h[7] maps frame 519 of the split huge page; every page of it still in use is p's alone.
    const today = runKernel(TODAY, ops);
    assert.deepEqual([today.machine.pte('p', 'h', 7).frame, today.machine.stats.reuses, today.machine.stats.copies], [519, 1, 1]);
    assert.match(today.last.explanation, /__wp_can_reuse_large_anon_folio/);
    const v68 = runKernel(V6_8, ops);
    assert.deepEqual([v68.machine.pte('p', 'h', 7).frame, v68.machine.stats.copies], [2, 2]);
    assert.match(v68.last.explanation, /never reuses a page of one/);
    // 5.10: the folio's reference count counts its 510 other pages still mapped: copied too.
    assert.equal(runKernel(V5_10, ops).machine.stats.copies, 2);
  });

  it('a pipe holding a page of the huge page: today the write splits and copies; 5.10 (map count for huge pages) reuses the whole page', () => {
    const ops = [...filled, vmsplice('p', 'h', 0, 0, 'P'), fork('p', 'c'), exit('c'), write('p', 'h', 1, 1, 'n')];
    const today = runKernel(TODAY, ops).machine;
    assert.deepEqual([today.stats.copies, today.pte('p', 'h', 1).pmd], [1, undefined]);
    const old = runKernel(V5_10, ops).machine;
    assert.deepEqual([old.stats.copies, old.stats.reuses, old.pte('p', 'h', 1).pmd], [0, 1, true]);
  });

  it('a read maps the huge zero page; a write then splits it and gives the page a zeroed small frame', () => {
    const { machine: m } = run([spawn('p'), mapHuge('p', 'h', 512), read('p', 'h', 4), write('p', 'h', 4, 4, 'x')]);
    assert.deepEqual([m.pte('p', 'h', 4).frame, m.pte('p', 'h', 4).pmd, m.pte('p', 'h', 5).frame, m.pte('p', 'h', 5).pmd], [1, undefined, 'zero', undefined]);
    assert.deepEqual([m.stats.frames, m.stats.copies, m.stats.zeroMaps], [1, 0, 1]);
  });

  it('without a zero page, a read allocates the huge page itself, writable', () => {
    const out = apply(createMachine('cow', { ...LINUX_RULES, zeroPage: false }), spawn('p'));
    assert.ok(out.ok);
    const { machine: m } = run([mapHuge('p', 'h', 512), read('p', 'h', 4)], 'cow', out.machine);
    assert.deepEqual([m.pte('p', 'h', 4).frame, m.pte('p', 'h', 4).writable, m.pte('p', 'h', 4).pmd], [516, true, true]);
  });

  it('madvise on part of a huge page splits its PMD entry (the VMA boundary falls inside it)', () => {
    const { machine: m } = run([...filled, madvise('p', 'h', 0, 99, 'dontfork'), fork('p', 'c')]);
    assert.equal(m.pte('p', 'h', 200).pmd, undefined);
    // The child has pages 100..511 of the (now split) huge page, as page-table entries.
    assert.deepEqual([m.pte('c', 'h', 50).hole, m.pte('c', 'h', 200).frame, m.stats.ptesCopied], [true, 712, 412]);
  });

  it('fork with a pinned page in a huge page: the parent\'s PMD entry is split and every page of the huge page is copied for the child', () => {
    // Pins are counted per folio (folio_maybe_dma_pinned), so copy_present_ptes finds each of the
    // 512 pages "maybe pinned" and copies it (copy_present_page): child pages 0, 1, 2, 3 get
    // frames 1, 2, 3, 4. This machine's kernel did the same (corpus 75: PSS = USS = 2 MiB each).
    const { machine: m, last } = run([...filled, pin('p', 'h', 2), fork('p', 'c')]);
    assert.deepEqual([m.pte('p', 'h', 2).frame, m.pte('p', 'h', 2).writable, m.pte('p', 'h', 3).writable, m.pte('p', 'h', 2).pmd], [514, true, true, undefined]);
    assert.deepEqual([m.pte('c', 'h', 2).frame, m.pte('c', 'h', 3).frame, m.pte('c', 'h', 3).writable, m.stats.copies], [3, 4, true, 512]);
    assert.match(last.explanation, /512 pages of pinned huge pages were copied for c instead \(copy_present_page, folio_needs_cow_for_dma: a pin counts for its whole huge page, which copy_huge_pmd split first\)/);
  });

  it('on a machine without room for 512 more frames (memory 100), the fault falls back to a small page', () => {
    const out = apply(createMachine('cow', { ...LINUX_RULES, memory: 100 }), spawn('p'));
    assert.ok(out.ok);
    const { machine: m } = run([mapHuge('p', 'h', 512), write('p', 'h', 4, 4, 'x')], 'cow', out.machine);
    assert.deepEqual([m.pte('p', 'h', 4).frame, m.pte('p', 'h', 4).pmd, m.stats.frames], [1, undefined, 1]);
  });

  it('refuses a huge region that is not whole 2 MiB pages, and a shared one', () => {
    const m = createMachine('cow');
    const s = apply(m, spawn('p'));
    assert.ok(s.ok);
    for (const op of [{ op: 'map', process: 'p', region: 'h', pages: 100, kind: 'private', huge: true }, { op: 'map', process: 'p', region: 'h', pages: 512, kind: 'shared', huge: true }] as const) {
      const out = apply(s.machine, op);
      assert.equal(out.ok ? 'ok' : out.error.code, 'invalid-argument');
    }
  });

  it('a million-page huge region fills in 2,048 faults and forks as 2,048 PMD entries', () => {
    // apply() alone: the invariant check reads every page one by one, far slower than the engine.
    let m = createMachine('cow');
    for (const op of [spawn('p'), mapHuge('p', 'h', 1_048_576), write('p', 'h', 0, 1_048_575), fork('p', 'c')]) {
      const out = apply(m, op);
      assert.ok(out.ok);
      m = out.machine;
    }
    assert.deepEqual([m.stats.faults, m.stats.frames, m.stats.ptesCopied], [2048, 1_048_576, 2048]);
  });
});
