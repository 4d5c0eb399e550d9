// Reads and writes, page by page, through the kernel's fault paths:
// do_anonymous_page, do_wp_page (wp_page_reuse / wp_page_copy / wp_page_shared) and shmem_fault.

import { ZERO_FRAME } from './frames';
import { LEAF_SIZE, setEntry, slotOf } from './ptable';
import { bulkApplies, writeLeaf } from './bulk';
import { exclusiveLeaf, mappedOnlyHere } from './sharing';
import { frameOf, PTE_ABSENT, pteOf } from './state';
import { vmaAt, withAnon } from './vma';
import { fail, RegionDraft, Tx } from './tx';
import { describeEntry } from './entry';
import { allocateOrKill } from './oom';
import { reuseRule } from './kernel';
import { canReuseLargePage, hugeAccess } from './huge';
import { FaultKind, PAGE_SIZE, PageRef, PteView } from './types';

/** What one page access did, for the explanation. */
export type AccessOutcome =
  | 'hit' // no fault: the entry allowed the access
  | 'zero-mapped' // read fault, shared zero page mapped
  | 'fresh-read' // read fault on a kernel without a zero page: a zeroed frame of its own
  | 'fresh' // do_anonymous_page, write to an untouched page: a zeroed frame
  | 'zero-replaced' // do_wp_page → wp_page_copy on the zero page: a zeroed frame, nothing copied
  | 'copied' // wp_page_copy from a shared frame
  | 'reused' // wp_page_reuse
  | 'shmem-new' // shmem_fault allocated the page in the shared object
  | 'shmem-found' // shmem_fault mapped the page the object already had
  | 'huge-fresh' // do_huge_pmd_anonymous_page: a zeroed 2 MiB huge page, one PMD entry
  | 'huge-zero' // do_huge_pmd_anonymous_page, read: the huge zero page, one PMD entry
  | 'huge-reused' // do_huge_pmd_wp_page reused the whole huge page
  | 'huge-copied'; // do_huge_pmd_wp_page before 5.8: a new huge page, all 2 MiB copied

export interface PageAccess {
  readonly page: number;
  readonly outcome: AccessOutcome;
  /** The frame the entry maps after the access (0 = zero page). */
  readonly frame: number;
  /** The frame before, for copies and reuses; -1 when there was none. */
  readonly before: number;
  /** For a copy: how many entries mapped `before`, or null when not worked out (at least 2). */
  readonly sharers: number | null;
  /** do_huge_pmd_wp_page split the PMD entry first (__split_huge_pmd); the outcome is the page-table level's. */
  readonly split?: boolean;
  /** The page written belonged to a large folio (a split huge page): wp_can_reuse_anon_folio's large-folio rule decided. */
  readonly large?: boolean;
}

/** What a read or write of a range did: a tally by outcome, and the details when it was one page. */
export interface AccessSummary {
  readonly counts: Readonly<Record<AccessOutcome, number>>;
  readonly pages: number;
  readonly single: PageAccess | null;
  /** PMD entries split (__split_huge_pmd) on the way. */
  readonly splits: number;
}

/** `valueId` for a write that keeps what the page holds: the write fault get_user_pages(FOLL_WRITE) takes. */
export const KEEP_VALUE = -1;

/**
 * access() in slices of `slicePages` pages (a multiple of LEAF_SIZE), pausing (yielding) between
 * two. Each slice ends on a last-level table's boundary, so every whole table of the range still
 * lies whole inside one slice (bulk.ts decides exactly as for the undivided range), and the
 * pages are visited in the same order: the step does exactly what one access() call does.
 */
export function* accessInSlices(tx: Tx, process: string, region: RegionDraft, first: number, last: number, write: boolean, valueId: number, slicePages: number): Generator<void, AccessSummary> {
  if (!(last - first >= slicePages)) return access(tx, process, region, first, last, write, valueId);
  const counts = noAccesses();
  let splits = 0;
  for (let from = first; from <= last; ) {
    const to = Math.min(last, (from + slicePages - 1) | (LEAF_SIZE - 1));
    const part = access(tx, process, region, from, to, write, valueId);
    for (const k in counts) counts[k as AccessOutcome] += part.counts[k as AccessOutcome];
    splits += part.splits;
    from = to + 1;
    if (from <= last) yield;
  }
  return { counts, pages: last - first + 1, single: null, splits };
}

function noAccesses(): Record<AccessOutcome, number> {
  return {
    hit: 0,
    'zero-mapped': 0,
    'fresh-read': 0,
    fresh: 0,
    'zero-replaced': 0,
    copied: 0,
    reused: 0,
    'shmem-new': 0,
    'shmem-found': 0,
    'huge-fresh': 0,
    'huge-zero': 0,
    'huge-reused': 0,
    'huge-copied': 0,
  };
}

/** Plays reads or writes of pages first..last of `region` as `process`. */
export function access(tx: Tx, process: string, region: RegionDraft, first: number, last: number, write: boolean, valueId: number): AccessSummary {
  const counts = noAccesses();
  let single: PageAccess | null = null;
  let splits = 0;
  const shared = region.kind === 'shared';
  for (let page = first; page <= last; page++) {
    const bulk = write && bulkApplies(region, page, last) ? writeLeaf(tx, process, region, page, valueId) : null;
    if (bulk) {
      counts.fresh += bulk.fresh;
      counts['zero-replaced'] += bulk.zeroReplaced;
      counts.copied += bulk.copied;
      counts.reused += bulk.reused;
      counts.hit += bulk.hit;
      page += LEAF_SIZE - 1;
      continue;
    }
    if (vmaAt(region.vmas, page).hole) {
      fail('segfault', `${process} touched ${region.name}[${page}], which madvise(MADV_DONTFORK) left out of this process at fork: SIGSEGV`);
    }
    // The page reference is only built while events are still being recorded (see Tx.recording).
    const at: PageRef = tx.recording ? { process, region: region.name, page } : UNRECORDED;
    const a = shared ? accessShared(tx, at, region, page, write) : accessPrivate(tx, at, region, page, write, valueId);
    if (write && valueId !== KEEP_VALUE) tx.frames.setValue(a.frame, valueId);
    else if (tx.recording) tx.emit({ kind: 'read-value', at, value: tx.base.values.text(tx.frames.valueOf(a.frame)) });
    else tx.eventsOmitted++;
    counts[a.outcome]++;
    if (a.split) splits++;
    if (first === last) single = a;
  }
  return { counts, pages: last - first + 1, single, splits };
}

const UNRECORDED: PageRef = { process: '', region: '', page: -1 };

function accessPrivate(tx: Tx, at: PageRef, r: RegionDraft, page: number, write: boolean, valueId: number): PageAccess {
  if (!r.pmd) return accessPte(tx, at, r, page, write, valueId, false);
  const h = hugeAccess(tx, at, r, page, write, (fn, kind) => fault(tx, at, kind, fn));
  if (h.outcome === 'pte') {
    const a = accessPte(tx, at, r, page, write, valueId, h.split);
    return h.split ? { ...a, split: true } : a;
  }
  const frame = frameOf(r.table.entry(page));
  if (h.outcome === 'hit') return { page, outcome: 'hit', frame, before: frame, sharers: null };
  if (h.outcome === 'huge-copied') {
    // Copied into a fresh huge page; the written value is written after (access sets it).
    return { page, outcome: 'huge-copied', frame, before: -1, sharers: null };
  }
  return { page, outcome: h.outcome, frame, before: h.outcome === 'huge-reused' ? frame : -1, sharers: h.outcome === 'huge-reused' ? 1 : 0 };
}

/** The page-table level (handle_pte_fault); `faulted` when the PMD level already counted this fault. */
function accessPte(tx: Tx, at: PageRef, r: RegionDraft, page: number, write: boolean, valueId: number, faulted: boolean): PageAccess {
  const slot = slotOf(page);
  const leaf = r.table.leaf(page);
  const entry = leaf ? (leaf.entries[slot] as number) : PTE_ABSENT;
  if (entry === PTE_ABSENT) {
    if (!write && !tx.base.rules.zeroPage) {
      // do_anonymous_page, read, where the zero page is forbidden: anon_vma_prepare, then a
      // zeroed frame of its own, mapped writable (the region is writable), so a later write
      // takes no fault at all.
      fault(tx, at, 'read-anonymous', 'do_anonymous_page');
      const frame = allocate(tx, at, 0, true, false);
      r.vmas = withAnon(r.vmas, page, () => tx.nextAnon++);
      setPte(tx, at, r, page, pteOf(frame), true);
      return { page, outcome: 'fresh-read', frame, before: -1, sharers: 0 };
    }
    if (!write) {
      // do_anonymous_page, read: map the shared zero page read-only; no anon_vma is needed.
      fault(tx, at, 'read-anonymous', 'do_anonymous_page');
      setPte(tx, at, r, page, pteOf(ZERO_FRAME), false);
      tx.stats.zeroMaps++;
      return { page, outcome: 'zero-mapped', frame: ZERO_FRAME, before: -1, sharers: 0 };
    }
    // do_anonymous_page, write: anon_vma_prepare, then a fresh zeroed frame, writable.
    fault(tx, at, 'write-anonymous', 'do_anonymous_page');
    const frame = allocate(tx, at, 0, true, false);
    r.vmas = withAnon(r.vmas, page, () => tx.nextAnon++);
    setPte(tx, at, r, page, pteOf(frame), true);
    return { page, outcome: 'fresh', frame, before: -1, sharers: 0 };
  }
  const frame = frameOf(entry);
  const writable = frame !== ZERO_FRAME && leaf !== null && leaf.wgen[slot] === r.gen;
  if (!write || writable) return { page, outcome: 'hit', frame, before: frame, sharers: null };

  if (!faulted) fault(tx, at, 'write-protect', 'do_wp_page');
  if (frame === ZERO_FRAME) {
    // wp_page_copy from the zero page allocates a zeroed frame instead of copying.
    const fresh = allocate(tx, at, 0, true, false);
    r.vmas = withAnon(r.vmas, page, () => tx.nextAnon++);
    setPte(tx, at, r, page, pteOf(fresh), true);
    return { page, outcome: 'zero-replaced', frame: fresh, before: ZERO_FRAME, sharers: 0 };
  }
  const large = r.pmd !== null && tx.frames.isLarge(frame);
  if (canReuse(tx, r, page, leaf, frame)) {
    // wp_page_reuse; from 5.19 the page is marked PageAnonExclusive too (see entry.ts).
    setPte(tx, at, r, page, entry, true);
    tx.stats.reuses++;
    if (tx.recording) tx.emit({ kind: 'frame-reused', frame, for: at });
    else tx.eventsOmitted++;
    return large ? { page, outcome: 'reused', frame, before: frame, sharers: 1, large } : { page, outcome: 'reused', frame, before: frame, sharers: 1 };
  }
  // wp_page_copy: a private copy for the writer; the other sharers keep the old frame.
  // (The copy is born holding the value being written: the 4 KiB copy and the write, in one.)
  // How many entries map the frame, for the explanation: one leaf's share count when only one
  // leaf maps it; otherwise count the sharers (only while this step still reports details).
  const sharers = tx.frames.refs(frame) === 1 && leaf ? tx.shares.get(leaf.id) : tx.recording ? tx.mappingsAt(r.name, page, entry) : null;
  const copy = allocate(tx, at, valueId === KEEP_VALUE ? tx.frames.valueOf(frame) : valueId, true, false, false);
  tx.stats.copies++;
  tx.stats.bytesCopied += PAGE_SIZE;
  if (tx.recording) tx.emit({ kind: 'frame-copied', from: frame, to: copy, for: at });
  else tx.eventsOmitted++;
  setPte(tx, at, r, page, pteOf(copy), true);
  if (tx.frames.unmap(frame)) tx.emit({ kind: 'frame-freed', frame });
  return large ? { page, outcome: 'copied', frame: copy, before: frame, sharers, large } : { page, outcome: 'copied', frame: copy, before: frame, sharers };
}

/**
 * do_wp_page's decision for a write-protected private page, by era (kernel.ts). An entry this
 * model write-protects never carries PageAnonExclusive (fork cleared it), so from 5.9 on the
 * reference count decides: one reference, the mapping's own. Before 5.9 the map count did,
 * whoever else held a reference.
 */
function canReuse(tx: Tx, r: RegionDraft, page: number, leaf: Parameters<typeof mappedOnlyHere>[1], frame: number): boolean {
  if (r.pmd && tx.frames.isLarge(frame)) return canReuseLargePage(tx, r, page, frame);
  if (!mappedOnlyHere(tx, leaf, frame)) return false;
  const rule = reuseRule(tx.kernel);
  return rule === 'mapcount' || rule === 'gup-unshare' || tx.frames.extra(frame) === 0;
}

function accessShared(tx: Tx, at: PageRef, r: RegionDraft, page: number, write: boolean): PageAccess {
  const entry = r.table.entry(page);
  if (entry !== PTE_ABSENT) {
    const frame = frameOf(entry);
    return { page, outcome: 'hit', frame, before: frame, sharers: null };
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
  setPte(tx, at, r, page, pteOf(frame), true);
  return { page, outcome, frame, before: -1, sharers: null };
}

function fault(tx: Tx, at: PageRef, kind: FaultKind, kernelFunction: string): void {
  tx.stats.faults++;
  if (tx.recording) tx.emit({ kind: 'fault', at, fault: kind, kernelFunction });
  else tx.eventsOmitted++;
}

function allocate(tx: Tx, at: PageRef, valueId: number, mapped: boolean, shmem: boolean, zeroed = true): number {
  const first = tx.frames.allocate(valueId, mapped, shmem);
  // Memory full: the OOM killer frees some (oom.ts), or the faulting process dies.
  const frame = first >= 0 ? first : allocateOrKill(tx, at.page < 0 ? null : at, () => tx.frames.allocate(valueId, mapped, shmem));
  if (zeroed) tx.stats.zeroFills++;
  if (tx.recording) tx.emit({ kind: 'frame-allocated', frame, zeroed, for: at });
  else tx.eventsOmitted++;
  return frame;
}

/**
 * Points an entry at a frame; `writable` gives it the region's current generation. Writing
 * through a leaf another process shares first gives this region a leaf of its own.
 */
function setPte(tx: Tx, at: PageRef, r: RegionDraft, page: number, entry: number, writable: boolean): void {
  const before = tx.recording ? viewOf(tx, r, page) : null;
  const leaf = exclusiveLeaf(tx, r.table, page);
  const slot = slotOf(page);
  setEntry(leaf, slot, entry);
  leaf.wgen[slot] = writable ? r.gen : 0;
  if (before) tx.emit({ kind: 'pte-changed', at, before, after: viewOf(tx, r, page) });
  else tx.eventsOmitted++;
}

/** The learner's view of an entry inside a step (same rules as Machine.pte). */
export function viewOf(tx: Tx, r: RegionDraft, page: number): PteView {
  const leaf = r.table.leaf(page);
  const e = leaf ? (leaf.entries[slotOf(page)] as number) : PTE_ABSENT;
  const only = e > 1 && mappedOnlyHere(tx, leaf, frameOf(e));
  return describeEntry(e, r.kind === 'shared', leaf !== null && leaf.wgen[slotOf(page)] === r.gen, only, vmaAt(r.vmas, page).hole, reuseRule(tx.kernel) === 'exclusive');
}
