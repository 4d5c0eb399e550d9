// One hand-worked test per kernel behaviour listed in shared/linux-cow.md. The expected
// frames are worked out by hand in the comments: the allocator hands out the lowest free
// frame, starting at 1 (frame 0 is the shared zero page).

import * as assert from 'node:assert/strict';
import { apply } from '../../../src/engine';
import { exec, exit, fork, madvise, mapCount, mapPrivate, mapShared, read, run, spawn, table, unmap, vfork, write } from './helpers';

describe('kernel behaviours (hand-worked)', () => {
  describe('fork: copy_page_range → copy_present_ptes', () => {
    it('write-protects private pages in both and points both at the same frames, each count + 1', () => {
      // p writes pages 0 and 1 → frames 1, 2 (writable, exclusive). Page 2 untouched.
      // fork: both tables read "1 2 -", nothing writable, frames 1 and 2 mapped twice.
      const { machine: m, last } = run([spawn('p'), mapPrivate('p', 'heap', 3), write('p', 'heap', 0, 1), fork('p', 'c')]);
      assert.equal(table(m, 'p', 'heap'), '1 2 -');
      assert.equal(table(m, 'c', 'heap'), '1 2 -');
      assert.equal(mapCount(m, 1), 2);
      assert.equal(mapCount(m, 2), 2);
      assert.equal(m.pte('c', 'heap', 0).cow, true);
      assert.equal(m.stats.copies, 0);
      assert.equal(m.stats.ptesCopied, 2);
      assert.match(last.explanation, /copy_page_range → copy_present_ptes copied 2 page-table entries/);
    });

    it('leaves shared mappings writable and not copied: the child faults the same frame in later', () => {
      // p writes shm[0] → shmem_fault allocates frame 1 in the object, p maps it (count 1).
      // fork: a MAP_SHARED anonymous VMA has no anon_vma, so vma_needs_copy says no: c has no entry.
      // c writes shm[0] → shmem_fault finds frame 1 in the object: count 2, no copy; p sees c's value.
      const after = run([spawn('p'), mapShared('p', 'shm', 2), write('p', 'shm', 0, 0, 'A'), fork('p', 'c')]);
      assert.equal(table(after.machine, 'p', 'shm'), '1wx -');
      assert.equal(table(after.machine, 'c', 'shm'), '- -');
      const { machine: m } = run([write('c', 'shm', 0, 0, 'B')], 'cow', after.machine);
      assert.equal(table(m, 'c', 'shm'), '1w -');
      assert.equal(table(m, 'p', 'shm'), '1w -');
      assert.equal(m.frame(1)?.value, 'B');
      assert.equal(m.stats.copies, 0);
    });

    it('does not copy a private mapping that never had an anonymous page (only zero-page reads)', () => {
      // p reads buf[0..1]: both map the zero page, but no anon_vma was made (do_anonymous_page
      // maps the zero page before anon_vma_prepare). fork copies no entries: c's are absent.
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'buf', 2), read('p', 'buf', 0, 1), fork('p', 'c')]);
      assert.equal(table(m, 'p', 'buf'), 'z z');
      assert.equal(table(m, 'c', 'buf'), '- -');
      assert.equal(m.stats.ptesCopied, 0);
    });

    it('copies zero-page entries of a mapping that has an anon_vma', () => {
      // p writes buf[0] (frame 1, anon_vma made) and reads buf[1] (zero page).
      // fork copies both entries: c reads "1 z".
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'buf', 2), write('p', 'buf', 0), read('p', 'buf', 1), fork('p', 'c')]);
      assert.equal(table(m, 'c', 'buf'), '1 z');
      assert.equal(m.stats.ptesCopied, 2);
    });
  });

  describe('write fault on a write-protected private page: do_wp_page', () => {
    it('copies when the frame is mapped twice; the writer gets the copy, born exclusive', () => {
      // After fork frames 1, 2 are shared. c writes heap[1]: frame 2 mapped twice → wp_page_copy:
      // lowest free frame is 3; c's entry → 3 (writable, exclusive); frame 2 drops to count 1.
      const { machine: m, last } = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1, 'x'), fork('p', 'c'), write('c', 'heap', 1, 1, 'mine')]);
      assert.equal(table(m, 'c', 'heap'), '1 3wx');
      assert.equal(table(m, 'p', 'heap'), '1 2x');
      assert.equal(m.frame(3)?.value, 'mine');
      assert.equal(m.frame(2)?.value, 'x', 'the other sharer keeps the old frame and its data');
      assert.equal(m.stats.copies, 1);
      assert.equal(m.stats.bytesCopied, 4096);
      assert.equal(
        last.explanation,
        'c wrote heap[1]; frame 2 carries no exclusive mark (fork cleared it) and has 2 references (2 mappings), not 1, so do_wp_page → wp_page_copy gave c a private copy in frame 3 (4 KiB copied).',
      );
    });

    it('reuses the frame in place once only one process maps it (wp_page_reuse), e.g. after the child exits', () => {
      // fork shares frame 1; c exits → frame 1 back to count 1 but p's entry stays write-protected.
      // p writes: do_wp_page finds it exclusive → reuse, no copy, no new frame.
      const { machine: m, last } = run([spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0), fork('p', 'c'), exit('c'), write('p', 'heap', 0)]);
      assert.equal(table(m, 'p', 'heap'), '1wx');
      assert.equal(m.stats.copies, 0);
      assert.equal(m.stats.reuses, 1);
      assert.equal(m.stats.faults, 2, 'the first write (do_anonymous_page) and the reuse fault');
      assert.match(last.explanation, /wp_page_reuse/);
    });

    it('also reuses for the second writer after the first one copied', () => {
      // c copies heap[0] into frame 2; frame 1 is now p's alone → p's write reuses frame 1.
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0), fork('p', 'c'), write('c', 'heap', 0), write('p', 'heap', 0)]);
      assert.equal(table(m, 'p', 'heap'), '1wx');
      assert.equal(table(m, 'c', 'heap'), '2wx');
      assert.deepEqual([m.stats.copies, m.stats.reuses], [1, 1]);
    });

    it('never copies a MAP_SHARED page (wp_page_shared / shmem)', () => {
      const { machine: m } = run([spawn('p'), mapShared('p', 's', 1), write('p', 's', 0), fork('p', 'c'), write('c', 's', 0), write('p', 's', 0)]);
      assert.equal(table(m, 'p', 's'), '1w');
      assert.equal(table(m, 'c', 's'), '1w');
      assert.equal(m.stats.copies, 0);
    });
  });

  describe('read fault on untouched anonymous memory: do_anonymous_page', () => {
    it('maps the shared zero page read-only; a later write allocates a zeroed frame, not a copy', () => {
      const first = run([spawn('p'), mapPrivate('p', 'heap', 1), read('p', 'heap', 0)]);
      assert.equal(table(first.machine, 'p', 'heap'), 'z');
      assert.equal(first.machine.stats.frames, 0);
      assert.equal(first.machine.stats.zeroMaps, 1);
      const { machine: m, last } = run([write('p', 'heap', 0)], 'cow', first.machine);
      assert.equal(table(m, 'p', 'heap'), '1wx');
      assert.equal(m.stats.copies, 0, 'a write to the zero page allocates a zeroed frame: nothing is copied');
      assert.match(last.explanation, /zero page.*wp_page_copy allocated a zeroed frame 1/);
    });
  });

  describe('MAP_SHARED anonymous: shmem', () => {
    it('a read fault allocates a real zeroed page in the object, which others fault in later', () => {
      // p maps s (shared), forks c, then c reads s[0]: shmem_fault allocates frame 1 (not the zero page).
      // p reads s[0] later: finds frame 1 in the object → count 2, no new frame.
      const { machine: m } = run([spawn('p'), mapShared('p', 's', 2), fork('p', 'c'), read('c', 's', 0), read('p', 's', 0)]);
      assert.equal(table(m, 'c', 's'), '1w -');
      assert.equal(table(m, 'p', 's'), '1w -');
      assert.equal(m.stats.frames, 1);
      assert.equal(m.stats.zeroMaps, 0);
      assert.equal(m.frame(1)?.shmem, true);
    });

    it('keeps the page in the object while some process still maps the region, even with no entry pointing at it', () => {
      // p writes s[0] (frame 1), forks c, then exits: frame 1 has count 0 but stays in the object,
      // and c finds the value there.
      const { machine: m } = run([spawn('p'), mapShared('p', 's', 1), write('p', 's', 0, 0, 'kept'), fork('p', 'c'), exit('p')]);
      assert.equal(m.frame(1)?.mapCount, 0);
      assert.equal(m.frame(1)?.shmem, true);
      const r = apply(m, read('c', 's', 0));
      assert.ok(r.ok);
      assert.deepEqual(r.events.find((e) => e.kind === 'read-value'), { kind: 'read-value', at: { process: 'c', region: 's', page: 0 }, value: 'kept' });
      const gone = run([exit('c')], 'cow', m).machine;
      assert.equal(gone.stats.frames, 0, 'the last user gone: the object and its page are freed');
    });
  });

  describe('exec, exit, vfork', () => {
    it('exec drops every reference of the old address space; frames at count zero are freed', () => {
      // p: frames 1, 2; fork c shares them; c execs → counts back to 1, nothing freed, c has no regions.
      // p exits → both freed.
      const afterExec = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), fork('p', 'c'), exec('c')]).machine;
      assert.deepEqual(afterExec.regions('c'), []);
      assert.equal(mapCount(afterExec, 1), 1);
      assert.equal(afterExec.stats.frames, 2);
      const { machine: m, last } = run([exit('p')], 'cow', afterExec);
      assert.equal(m.stats.frames, 0);
      assert.match(last.explanation, /2 frames freed/);
    });

    it('a shell running ls (fork then exec) copies nothing at all', () => {
      const { machine: m } = run([spawn('sh'), mapPrivate('sh', 'heap', 8), write('sh', 'heap', 0, 7), fork('sh', 'ls'), exec('ls'), mapPrivate('ls', 'heap', 2), write('ls', 'heap', 0, 1), exit('ls')]);
      assert.equal(m.stats.copies, 0);
      assert.equal(m.stats.frames, 8);
    });

    it('vfork: the child borrows the address space, nothing copied or write-protected, parent suspended until exec', () => {
      // p writes heap[0] → frame 1. vfork c: c's view is p's table; c writes heap[0] in place (no fault);
      // p cannot act; c execs → p resumes and sees c's value in frame 1.
      const mid = run([spawn('p'), mapPrivate('p', 'heap', 1), write('p', 'heap', 0, 0, 'old'), vfork('p', 'c'), write('c', 'heap', 0, 0, 'child')]).machine;
      assert.equal(mid.process('p')?.status, 'suspended');
      assert.equal(table(mid, 'c', 'heap'), '1wx');
      assert.equal(mid.stats.copies, 0);
      assert.equal(mid.stats.faults, 1);
      const blocked = apply(mid, write('p', 'heap', 0));
      assert.ok(!blocked.ok && blocked.error.code === 'process-suspended');
      const { machine: m } = run([exec('c')], 'cow', mid);
      assert.equal(m.process('p')?.status, 'running');
      assert.deepEqual(m.regions('c'), []);
      assert.equal(m.frame(1)?.value, 'child');
      assert.equal(table(m, 'p', 'heap'), '1wx');
    });
  });

  describe('madvise', () => {
    it('MADV_DONTFORK: the child does not have the range; touching it is SIGSEGV', () => {
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 3), write('p', 'heap', 0, 2), madvise('p', 'heap', 1, 1, 'dontfork'), fork('p', 'c')]);
      assert.equal(table(m, 'c', 'heap'), '1 # 3');
      assert.equal(mapCount(m, 2), 1, 'frame 2 was not shared with the child');
      assert.equal(table(m, 'p', 'heap'), '1 2wx 3', 'the parent keeps its page, still writable (no copy_page_range for it); the rest is write-protected');
      const touch = apply(m, read('c', 'heap', 1));
      assert.ok(!touch.ok && touch.error.code === 'segfault');
    });

    it('MADV_WIPEONFORK: the child sees the range zero-filled', () => {
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1, 'secret'), madvise('p', 'heap', 0, 0, 'wipeonfork'), fork('p', 'c'), read('c', 'heap', 0)]);
      assert.equal(table(m, 'c', 'heap'), 'z 2');
      assert.equal(m.frame(1)?.mapCount, 1);
    });

    it('MADV_WIPEONFORK on a shared mapping is refused (EINVAL)', () => {
      const m = run([spawn('p'), mapShared('p', 's', 1)]).machine;
      const out = apply(m, madvise('p', 's', 0, 0, 'wipeonfork'));
      assert.ok(!out.ok && out.error.code === 'invalid-argument');
    });
  });

  describe('eager policy (the full-copy baseline)', () => {
    it('copies every resident private page at fork, leaving both writable', () => {
      // p: frames 1, 2, 3 for heap[0..2]; heap[3] zero page. fork copies 3 frames → 4, 5, 6 for c.
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0, 2), read('p', 'heap', 3), fork('p', 'c')], 'eager');
      assert.equal(table(m, 'p', 'heap'), '1wx 2wx 3wx z');
      assert.equal(table(m, 'c', 'heap'), '4wx 5wx 6wx z');
      assert.deepEqual([m.stats.copies, m.stats.bytesCopied, m.stats.frames], [3, 12288, 6]);
      const after = run([write('c', 'heap', 0), write('p', 'heap', 1)], 'eager', m).machine;
      assert.equal(after.stats.faults, m.stats.faults, 'no fault after an eager fork');
    });
  });

  describe('unmap', () => {
    it('drops the region; frames still mapped elsewhere survive', () => {
      const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), fork('p', 'c'), unmap('p', 'heap')]);
      assert.deepEqual(m.regions('p'), []);
      assert.equal(table(m, 'c', 'heap'), '1x 2x');
    });
  });
});

describe('kernel behaviours (hand-worked), advice and the parent', () => {
  it('the parent keeps write permission on MADV_DONTFORK and MADV_WIPEONFORK pages (dup_mmap skips copy_page_range there)', () => {
    // p writes heap[0..2] → frames 1 2 3, all writable. heap[1] dontfork, heap[2] wipeonfork.
    // fork: heap[0] write-protected in both; heap[1] and heap[2] keep their write bit in p.
    const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 3), write('p', 'heap', 0, 2), madvise('p', 'heap', 1, 1, 'dontfork'), madvise('p', 'heap', 2, 2, 'wipeonfork'), fork('p', 'c')]);
    assert.equal(table(m, 'p', 'heap'), '1 2wx 3wx');
    assert.equal(table(m, 'c', 'heap'), '1 # -');
    // Writing them takes no fault.
    const after = run([write('p', 'heap', 1, 2)], 'cow', m).machine;
    assert.equal(after.stats.faults, m.stats.faults);
  });
});

describe('kernel behaviours (hand-worked), VMAs inside a region', () => {
  it('anon_vma belongs to a VMA: madvise splits the region, and fork skips the piece that never had an anonymous page', () => {
    // heap[4..7] wipeonfork splits heap into VMAs [0..3] and [4..7]. The write to heap[5]
    // gives only [4..7] an anon_vma; the read of heap[0] maps the zero page in [0..3], which
    // has none — so fork copies no entry there: c's heap[0] is absent, not the zero page.
    const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 8), madvise('p', 'heap', 4, 7, 'wipeonfork'), write('p', 'heap', 5, 5, 'x'), read('p', 'heap', 0), fork('p', 'c')]);
    assert.equal(table(m, 'p', 'heap'), 'z - - - - 1wx - -');
    assert.equal(table(m, 'c', 'heap'), '- - - - - - - -');
  });

  it('undoing the advice merges the VMAs again, and the merged VMA keeps the anon_vma', () => {
    // After madvise normal the two pieces merge (one has no anon_vma): the zero page at
    // heap[0] is now inside a VMA with an anon_vma, so fork copies it.
    const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 8), madvise('p', 'heap', 4, 7, 'wipeonfork'), write('p', 'heap', 5, 5, 'x'), read('p', 'heap', 0), madvise('p', 'heap', 4, 7, 'normal'), fork('p', 'c')]);
    assert.equal(table(m, 'c', 'heap'), 'z - - - - 1 - -');
  });

  it('dontfork and wipeonfork are separate flags: both set means the child has no such page', () => {
    const { machine: m } = run([spawn('p'), mapPrivate('p', 'heap', 2), write('p', 'heap', 0, 1), madvise('p', 'heap', 0, 0, 'dontfork'), madvise('p', 'heap', 0, 0, 'wipeonfork'), fork('p', 'c')]);
    assert.equal(table(m, 'c', 'heap'), '# 2');
  });
});

describe('explanations name the exact map count', () => {
  it('counts every sharer, also once the page table leaf holding the frame has been split between processes', () => {
    // parent: frames 1..4 for heap[0..3]; fork child shares the leaf. The child's write to heap[1]
    // gives the child a leaf of its own (frames 1, 3, 4 now sit in two leaves). The parent's write
    // to heap[2] copies frame 3, mapped by parent and child: twice. child forks grandchild; the
    // grandchild's write to heap[0] copies frame 1, mapped by parent, child and grandchild.
    const first = run([spawn('parent'), mapPrivate('parent', 'heap', 4), write('parent', 'heap', 0, 3), fork('parent', 'child'), write('child', 'heap', 1), write('parent', 'heap', 2)]);
    assert.match(first.last.explanation, /frame 3 carries no exclusive mark \(fork cleared it\) and has 2 references \(2 mappings\)/);
    const second = run([fork('child', 'grandchild'), write('grandchild', 'heap', 0)], 'cow', first.machine);
    assert.match(second.last.explanation, /frame 1 carries no exclusive mark \(fork cleared it\) and has 3 references \(3 mappings\)/);
    assert.equal(second.machine.frame(1)?.mapCount, 2, 'after the copy: parent and child');
  });
});
