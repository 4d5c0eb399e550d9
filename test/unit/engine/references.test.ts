// Hand-worked: references that are not mappings (pipes, pins), the exclusive mark, and the
// write-fault rule of each kernel era. The expected values are worked out in the comments
// from the kernel's rules (docs/kernel-model.md), and the vmsplice and io_uring outcomes
// for today's rules are the ones the real kernel gave (test/conformance/corpus).

import * as assert from 'node:assert/strict';
import { apply, createMachine, KernelVersion, Operation } from '../../../src/engine';
import { drain, exit, fork, mapPrivate, pin, read, runKernel, spawn, table, unpin, vmsplice, write } from './helpers';

const V4_19: KernelVersion = { major: 4, minor: 19 };
const V5_8: KernelVersion = { major: 5, minor: 8 };
const V5_15: KernelVersion = { major: 5, minor: 15 };
const TODAY: KernelVersion = { major: 6, minor: 18 };

// The vmsplice story: p writes "old", forks c; c vmsplices that page into pipe P and exits.
const story: Operation[] = [spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0, 0, 'old'), fork('p', 'c'), vmsplice('c', 'heap', 0, 0, 'P'), exit('c')];

describe('references beyond mappings: the vmsplice story in each era', () => {
  it('today: frame 1 has map count 1 but reference count 2 (p + the pipe), so p\'s write copies and the pipe keeps "old"', () => {
    const before = runKernel(TODAY, story).machine;
    assert.deepEqual(before.frame(1) && { map: before.frame(1)?.mapCount, refs: before.frame(1)?.refCount, pipe: before.frame(1)?.pipeRefs }, { map: 1, refs: 2, pipe: 1 });
    assert.equal(before.pte('p', 'heap', 0).anonExclusive, false, 'fork cleared the mark');
    const { machine: m, last } = runKernel(TODAY, [...story, write('p', 'heap', 0, 0, 'new')]);
    assert.equal(table(m, 'p', 'heap'), '2wx');
    assert.equal(m.pte('p', 'heap', 0).anonExclusive, true, 'a copy is born exclusive');
    assert.deepEqual(m.pipes().get('P'), ['old']);
    assert.equal(m.stats.copies, 1);
    assert.match(last.explanation, /frame 1 carries no exclusive mark \(fork cleared it\) and has 2 references \(1 mapping, 1 pipe page\), not 1/);
  });

  it('5.15 (reference count era): the same copy, and no page ever carries an exclusive mark', () => {
    const { machine: m, last } = runKernel(V5_15, [...story, write('p', 'heap', 0, 0, 'new')]);
    assert.deepEqual(m.pipes().get('P'), ['old']);
    assert.equal(m.stats.copies, 1);
    assert.equal(m.pte('p', 'heap', 0).anonExclusive, false);
    assert.match(last.explanation, /has 2 references \(1 mapping, 1 pipe page\), and this kernel reuses a page only at reference count 1/);
  });

  it('4.19 (map count era): p is the only mapper, so its write reuses frame 1 and the pipe reads p\'s new data — the leak', () => {
    const { machine: m, last } = runKernel(V4_19, [...story, write('p', 'heap', 0, 0, 'new')]);
    assert.equal(table(m, 'p', 'heap'), '1wx');
    assert.deepEqual(m.pipes().get('P'), ['new']);
    assert.equal(m.stats.copies, 0);
    assert.equal(m.stats.reuses, 1);
    assert.match(last.explanation, /map count 1.*wp_page_reuse.*2 references \(1 mapping, 1 pipe page\).*vmsplice leak/);
  });

  it('5.8: get_user_pages broke the sharing first, so c\'s vmsplice copied; p then reuses and the pipe still reads "old"', () => {
    // c's vmsplice: frame 1 mapped twice → wp_page_copy → c gets frame 2 ("old"), the pipe holds 2.
    // c exits: frame 2 is held by the pipe only. p's write: frame 1 mapped once → reuse.
    const { machine: m } = runKernel(V5_8, [...story, write('p', 'heap', 0, 0, 'new')]);
    assert.deepEqual(m.pipeFrames('P'), [2]);
    assert.deepEqual(m.pipes().get('P'), ['old']);
    assert.equal(table(m, 'p', 'heap'), '1wx');
    assert.equal(m.stats.copies, 1);
    assert.deepEqual(m.frame(2) && { map: m.frame(2)?.mapCount, refs: m.frame(2)?.refCount }, { map: 0, refs: 1 });
  });

  it('drain then reuse: once the pipe is read empty, the reference count is 1 again and the write reuses', () => {
    const { machine: m, last } = runKernel(TODAY, [...story, drain('p', 'P'), write('p', 'heap', 0, 0, 'new')]);
    assert.equal(table(m, 'p', 'heap'), '1wx');
    assert.equal(m.stats.copies, 0);
    assert.deepEqual(m.pipes().get('P'), []);
    assert.match(last.explanation, /reference count 1\), so do_wp_page marked it exclusive/);
  });

  it('a pipe holds the page itself: the filler writing its own exclusive page needs no fault, and the pipe sees it (every era)', () => {
    for (const k of [V4_19, V5_15, TODAY]) {
      const { machine: m } = runKernel(k, [spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0, 0, 'a'), vmsplice('p', 'heap', 0, 0, 'P'), write('p', 'heap', 0, 0, 'b')]);
      assert.deepEqual(m.pipes().get('P'), ['b'], `${k.major}.${k.minor}`);
    }
  });

  it('the pipe outlives its filler: after everyone exits it still holds the frame, and drain frees it', () => {
    const { machine: m } = runKernel(TODAY, [...story, exit('p'), spawn('reader')]);
    assert.equal(m.frames().length, 1);
    const drained = runKernel(TODAY, [...story, exit('p'), spawn('reader'), drain('reader', 'P')]);
    assert.equal(drained.machine.frames().length, 0);
    assert.match(drained.last.explanation, /read pipe P empty: "old".*1 frame nothing else held was freed/);
  });

  it('vmsplice of an untouched page puts the zero page in the pipe, which nothing counts', () => {
    const { machine: m } = runKernel(TODAY, [spawn('p'), mapPrivate('p', 'heap', 2), vmsplice('p', 'heap', 0, 1, 'P')]);
    assert.deepEqual(m.pipeFrames('P'), [0, 0]);
    assert.equal(m.frames().length, 0);
  });

  it('a pipe holds at most 16 pages; the 17th is refused and the machine is unchanged', () => {
    const { machine: m } = runKernel(TODAY, [spawn('p'), mapPrivate('p', 'heap', 20), write('p', 'heap', 0, 19), vmsplice('p', 'heap', 0, 15, 'P')]);
    const out = apply(m, vmsplice('p', 'heap', 16, 16, 'P'));
    assert.equal(out.ok, false);
    assert.match(out.ok ? '' : out.error.message, /at most 16 pages/);
  });

  it('drain of a pipe nobody filled is an error', () => {
    const out = apply(runKernel(TODAY, [spawn('p')]).machine, drain('p', 'Q'));
    assert.equal(out.ok ? '' : out.error.code, 'unknown-pipe');
  });
});

describe('long-term pins', () => {
  // p writes "buf" in heap[0] (frame 1) and pins it; then forks c.
  const pinned: Operation[] = [spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1, 'buf'), pin('p', 'heap', 0), fork('p', 'c')];

  it('today: the pinned page is copied for the child at fork; p keeps its page writable and exclusive', () => {
    // heap[1] (frame 2) is shared as usual; heap[0] is copied: c gets frame 3.
    const { machine: m, last } = runKernel(TODAY, pinned);
    assert.equal(table(m, 'p', 'heap'), '1wx 2');
    assert.equal(table(m, 'c', 'heap'), '3wx 2');
    assert.equal(m.frame(3)?.value, 'buf');
    assert.deepEqual(m.frame(1) && { map: m.frame(1)?.mapCount, refs: m.frame(1)?.refCount, pins: m.frame(1)?.pins }, { map: 1, refs: 2, pins: 1 });
    assert.equal(m.stats.copies, 1);
    assert.match(last.explanation, /1 pinned page was copied for c instead \(copy_present_page, because folio_needs_cow_for_dma\)/);
    // p's write goes straight to the pinned page: no fault.
    const after = runKernel(TODAY, [...pinned, write('p', 'heap', 0, 0, 'dma')]).machine;
    assert.equal(after.stats.faults, m.stats.faults);
    assert.equal(after.frame(1)?.value, 'dma');
    assert.equal(after.pte('c', 'heap', 0).frame, 3);
  });

  it('4.19: the pinned page is shared at fork; p\'s next write copies, and the pin is left on the page c maps', () => {
    const { machine: m } = runKernel(V4_19, [...pinned, write('p', 'heap', 0, 0, 'dma')]);
    assert.equal(table(m, 'p', 'heap'), '3wx 2');
    assert.equal(m.pte('c', 'heap', 0).frame, 1);
    assert.deepEqual(m.pins().map((x) => x.frame), [1]);
  });

  it('pinning a shared copy-on-write page copies it first (the pin is a write access)', () => {
    const { machine: m } = runKernel(TODAY, [spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0, 0, 'x'), fork('p', 'c'), pin('c', 'heap', 0)]);
    assert.equal(table(m, 'c', 'heap'), '2wx');
    assert.equal(m.frame(2)?.value, 'x');
    assert.equal(m.frame(2)?.pins, 1);
  });

  it('unpin drops the pins; a frame only a pin held is freed then; unpin of an unpinned page is an error', () => {
    const { machine: m } = runKernel(TODAY, [spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0), pin('p', 'heap', 0), { op: 'unmap', process: 'p', region: 'heap' }]);
    assert.equal(m.frames().length, 1, 'the pin outlives munmap');
    const { machine: m2, last } = runKernel(TODAY, [spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0), pin('p', 'heap', 0), { op: 'unmap', process: 'p', region: 'heap' }, unpin('p', 'heap', 0)]);
    assert.equal(m2.frames().length, 0);
    assert.match(last.explanation, /1 pin dropped; 1 frame nothing else held was freed/);
    const bad = apply(m2, unpin('p', 'heap', 0));
    assert.equal(bad.ok ? '' : bad.error.code, 'not-pinned');
  });

  it('exit drops the pinner\'s pins (closing the io_uring file unregisters its buffers)', () => {
    const { machine: m } = runKernel(TODAY, [...pinned, exit('p'), exit('c')]);
    assert.equal(m.pins().length, 0);
    assert.equal(m.frames().length, 0);
  });
});

describe('the exclusive mark', () => {
  it('is set on a fresh page, cleared by fork on shared pages, set again by a reuse', () => {
    const base: Operation[] = [spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0)];
    assert.equal(runKernel(TODAY, base).machine.pte('p', 'heap', 0).anonExclusive, true);
    const forked = runKernel(TODAY, [...base, fork('p', 'c')]).machine;
    assert.equal(forked.pte('p', 'heap', 0).anonExclusive, false);
    assert.equal(forked.pte('c', 'heap', 0).anonExclusive, false);
    const reused = runKernel(TODAY, [...base, fork('p', 'c'), exit('c')]).machine;
    assert.equal(reused.pte('p', 'heap', 0).anonExclusive, false, 'mapped once again, but fork cleared the mark');
    assert.equal(reused.pte('p', 'heap', 0).exclusive, true, 'pagemap bit 56: mapped once');
    assert.equal(runKernel(TODAY, [...base, fork('p', 'c'), exit('c'), write('p', 'heap', 0)]).machine.pte('p', 'heap', 0).anonExclusive, true);
  });

  it('a read of the zero page never carries it', () => {
    const m = runKernel(TODAY, [spawn('p'), mapPrivate('p', 'heap', 1), read('p', 'heap', 0)]).machine;
    assert.equal(m.pte('p', 'heap', 0).anonExclusive, false);
  });

  it('the default machine follows today\'s rules', () => {
    assert.deepEqual(createMachine('cow').kernel, TODAY);
  });
});
