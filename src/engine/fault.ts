// Reads and writes, page by page, through the kernel's fault paths:
// do_anonymous_page, do_wp_page (wp_page_reuse / wp_page_copy / wp_page_shared) and shmem_fault.

import { ZERO_FRAME } from './frames';
import { frameOf, PTE_ABSENT, PTE_HOLE, pteOf } from './state';
import { fail, RegionDraft, Tx } from './tx';
import { describeEntry } from './entry';
import { FaultKind, PAGE_SIZE, PageRef, PteView } from './types';

/** What one page access did, for the explanation. */
export type AccessOutcome =
  | 'hit' // no fault: the entry allowed the access
  | 'zero-mapped' // read fault, shared zero page mapped
  | 'fresh' // write to untouched or zero page: a zeroed frame
  | 'copied' // wp_page_copy from a shared frame
  | 'reused' // wp_page_reuse
  | 'shmem-new' // shmem_fault allocated the page in the shared object
  | 'shmem-found'; // shmem_fault mapped the page the object already had

export interface PageAccess {
  readonly page: number;
  readonly outcome: AccessOutcome;
  /** The frame the entry maps after the access (0 = zero page). */
  readonly frame: number;
  /** The frame before, for copies and reuses. */
  readonly before: number;
  /** How many entries mapped `before` when the fault looked (for "mapped twice"). */
  readonly sharers: number;
}

/** Plays reads or writes of pages first..last of `region` as `process`. */
export function access(tx: Tx, process: string, region: RegionDraft, first: number, last: number, write: boolean, valueId: number): PageAccess[] {
  const out: PageAccess[] = [];
  for (let page = first; page <= last; page++) {
    const entry = region.ptes.get(page);
    if (entry === PTE_HOLE) {
      fail('segfault', `${process} touched ${region.name}[${page}], which madvise(MADV_DONTFORK) left out of this process at fork: SIGSEGV`);
    }
    const at: PageRef = { process, region: region.name, page };
    const a = region.kind === 'shared' ? accessShared(tx, at, region, entry, write) : accessPrivate(tx, at, region, entry, write);
    if (write) tx.frames.setValue(a.frame, valueId);
    else if (tx.recording) tx.emit({ kind: 'read-value', at, value: tx.base.values.text(tx.frames.valueOf(a.frame)) });
    out.push(a);
  }
  return out;
}

function accessPrivate(tx: Tx, at: PageRef, r: RegionDraft, entry: number, write: boolean): PageAccess {
  const page = at.page;
  if (entry === PTE_ABSENT) {
    if (!write) {
      // do_anonymous_page, read: map the shared zero page read-only; no anon_vma is needed.
      fault(tx, at, 'read-anonymous', 'do_anonymous_page');
      setPte(tx, at, r, pteOf(ZERO_FRAME), false);
      tx.stats.zeroMaps++;
      return { page, outcome: 'zero-mapped', frame: ZERO_FRAME, before: -1, sharers: 0 };
    }
    // do_anonymous_page, write: anon_vma_prepare, then a fresh zeroed frame, writable.
    fault(tx, at, 'write-anonymous', 'do_anonymous_page');
    const frame = allocate(tx, at, 0, true, false);
    r.hasAnon = true;
    setPte(tx, at, r, pteOf(frame), true);
    return { page, outcome: 'fresh', frame, before: -1, sharers: 0 };
  }
  const frame = frameOf(entry);
  const writable = frame !== ZERO_FRAME && r.wgen.get(page) === r.gen;
  if (!write || writable) return { page, outcome: 'hit', frame, before: frame, sharers: tx.frames.mapCount(frame) };

  fault(tx, at, 'write-protect', 'do_wp_page');
  if (frame === ZERO_FRAME) {
    // wp_page_copy from the zero page allocates a zeroed frame instead of copying.
    const fresh = allocate(tx, at, 0, true, false);
    r.hasAnon = true;
    setPte(tx, at, r, pteOf(fresh), true);
    return { page, outcome: 'fresh', frame: fresh, before: ZERO_FRAME, sharers: 0 };
  }
  const sharers = tx.frames.mapCount(frame);
  if (sharers === 1) {
    // wp_page_reuse: this process is the only mapper (PageAnonExclusive / refcount 1).
    setPte(tx, at, r, entry, true);
    tx.stats.reuses++;
    tx.emit({ kind: 'frame-reused', frame, for: at });
    return { page, outcome: 'reused', frame, before: frame, sharers };
  }
  // wp_page_copy: a private copy for the writer; the other sharers keep the old frame.
  const copy = allocate(tx, at, tx.frames.valueOf(frame), true, false);
  tx.stats.copies++;
  tx.stats.bytesCopied += PAGE_SIZE;
  tx.emit({ kind: 'frame-copied', from: frame, to: copy, for: at });
  setPte(tx, at, r, pteOf(copy), true);
  if (tx.frames.unmap(frame)) tx.emit({ kind: 'frame-freed', frame });
  return { page, outcome: 'copied', frame: copy, before: frame, sharers };
}

function accessShared(tx: Tx, at: PageRef, r: RegionDraft, entry: number, write: boolean): PageAccess {
  const page = at.page;
  if (entry !== PTE_ABSENT) {
    const frame = frameOf(entry);
    return { page, outcome: 'hit', frame, before: frame, sharers: tx.frames.mapCount(frame) };
  }
  // shmem_fault: find the page in the shared object, or allocate a zeroed one there
  // (never the zero page), then map it writable: shared mappings never copy.
  fault(tx, at, write ? 'shmem-write' : 'shmem-read', 'shmem_fault');
  const shm = tx.shmDraft(r.shm);
  const held = shm.pages.get(page);
  let frame: number;
  let outcome: AccessOutcome;
  if (held === 0) {
    frame = allocate(tx, at, 0, true, true);
    shm.pages.set(page, pteOf(frame));
    outcome = 'shmem-new';
  } else {
    frame = frameOf(held);
    tx.frames.map(frame);
    outcome = 'shmem-found';
  }
  setPte(tx, at, r, pteOf(frame), true);
  return { page, outcome, frame, before: -1, sharers: tx.frames.mapCount(frame) - 1 };
}

function fault(tx: Tx, at: PageRef, kind: FaultKind, kernelFunction: string): void {
  tx.stats.faults++;
  if (tx.recording) tx.emit({ kind: 'fault', at, fault: kind, kernelFunction });
  else tx.eventsOmitted++;
}

function allocate(tx: Tx, at: PageRef, valueId: number, mapped: boolean, shmem: boolean): number {
  const frame = tx.frames.allocate(valueId, mapped, shmem);
  if (frame < 0) fail('too-large', 'out of physical memory: every frame the engine models is in use');
  tx.emit({ kind: 'frame-allocated', frame, zeroed: valueId === 0, for: at });
  return frame;
}

/** Points an entry at a frame; `writable` gives it the region's current generation. */
function setPte(tx: Tx, at: PageRef, r: RegionDraft, entry: number, writable: boolean): void {
  const recording = tx.recording;
  const before = recording ? viewOf(tx, r, at.page) : null;
  r.ptes.set(at.page, entry);
  r.wgen.set(at.page, writable ? r.gen : 0);
  if (before) tx.emit({ kind: 'pte-changed', at, before, after: viewOf(tx, r, at.page) });
  else tx.eventsOmitted++;
}

/** The learner's view of an entry inside a step (same rules as Machine.pte). */
export function viewOf(tx: Tx, r: RegionDraft, page: number): PteView {
  const e = r.ptes.get(page);
  const f = e > 0 ? frameOf(e) : ZERO_FRAME;
  return describeEntry(e, r.kind === 'shared', r.wgen.get(page) === r.gen, tx.frames.mapCount(f));
}
