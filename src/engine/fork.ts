// fork and vfork: copy_process → dup_mm → dup_mmap → copy_page_range → copy_present_ptes.

import { ZERO_FRAME } from './frames';
import { PageTable, PageTableEditor, setEntry, slotOf } from './ptable';
import { newToken, PVec, PVecEditor } from './pvec';
import { split } from './huge';
import { exclusiveLeaf, shareTable } from './sharing';
import { frameOf, PTE_ABSENT, pteOf } from './state';
import { anyAnon, childVmas, vmaAt } from './vma';
import { forkCopiesPinned } from './kernel';
import { born, refuseNewProcess, suspendForVfork } from './life';
import { fail, failWith, ProcessDraft, RegionDraft, Tx } from './tx';
import { HUGE_PAGES, PAGE_SIZE } from './types';
import { PTES_PER_TABLE_PAGE } from './cost';

export interface ForkSummary {
  /** Entries copied into the child's page tables. */
  readonly ptesCopied: number;
  /** Real frames now shared between parent and child (cow), or copied (eager). */
  readonly frames: number;
  /** Regions the child got without any entries, and why (from the region's VMAs). */
  readonly emptyRegions: readonly { readonly region: string; readonly why: EmptyReason }[];
  /** Pinned pages copied for the child instead of shared (5.9 on). */
  readonly pinnedCopied: number;
  /** Of `ptesCopied`, PMD entries (copy_huge_pmd), each mapping a huge page or the huge zero page. */
  readonly pmdsCopied: number;
  /** Huge pages split in the parent because a page of them was pinned. */
  readonly splitForPins: number;
}

/** Why fork gave a region's child copy no entries. */
export type EmptyReason = 'shared' | 'untouched' | 'dontfork' | 'wipeonfork' | 'mixed';

export function createChild(tx: Tx, parent: ProcessDraft, child: string, borrows: boolean): ProcessDraft {
  failWith(refuseNewProcess(child, tx.has(child), tx.processCount()));
  const d: ProcessDraft = { ...born(child, parent.name, borrows ? 'vfork' : 'fork'), pid: tx.nextPid++, regions: [] };
  tx.addProcess(d);
  tx.emit({ kind: 'process-created', process: child, parent: parent.name, how: borrows ? 'vfork' : 'fork' });
  return d;
}

/**
 * fork(): duplicates the address space `parent` uses into `child`. A full copy (eager) pauses
 * (yields) after every `slicePages` pages it visits (see applyInSlices); copy-on-write never
 * does, as it shares whole last-level tables.
 */
export function* fork(tx: Tx, parentName: string, childName: string, slicePages = Infinity): Generator<void, ForkSummary> {
  const space = tx.addressSpace(parentName);
  const child = createChild(tx, tx.draft(parentName), childName, false);
  let ptesCopied = 0;
  let frames = 0;
  let pinnedCopied = 0;
  let pmdsCopied = 0;
  const splitsBefore = tx.events.filter((e) => e.kind === 'pmd-split').length;
  const emptyRegions: { region: string; why: EmptyReason }[] = [];
  for (const r of space.regions) {
    const why = emptyReason(r);
    const c = tx.policy === 'eager' && r.kind === 'private' ? yield* eagerCopy(tx, r, slicePages) : cowCopy(tx, r, parentName, childName);
    ptesCopied += c.ptes;
    frames += c.frames;
    pinnedCopied += c.pinnedCopied;
    pmdsCopied += c.region.pmd ? c.region.pmd.nonZero : 0;
    tx.stats.tablePages += Math.ceil(c.ptes / PTES_PER_TABLE_PAGE);
    if (c.ptes === 0) emptyRegions.push({ region: r.name, why });
    child.regions.push(c.region);
  }
  tx.stats.ptesCopied += ptesCopied;
  tx.stats.forks++;
  tx.emit({ kind: 'fork-copied', parent: parentName, child: childName, ptesCopied, framesCopied: tx.policy === 'eager' ? frames : pinnedCopied });
  const splitForPins = tx.events.filter((e) => e.kind === 'pmd-split').length - splitsBefore;
  return { ptesCopied, frames, emptyRegions, pinnedCopied, pmdsCopied, splitForPins };
}

/** Why a region's child copy may get no entries: the state of its VMAs before the fork. */
function emptyReason(r: RegionDraft): EmptyReason {
  if (r.kind === 'shared') return 'shared';
  const live = r.vmas.filter((v) => !v.hole);
  if (live.every((v) => v.anon === 0)) return 'untouched';
  if (live.every((v) => v.dontfork || v.anon === 0)) return 'dontfork';
  if (live.every((v) => v.wipeonfork || v.anon === 0)) return 'wipeonfork';
  return 'mixed';
}

interface RegionCopy {
  readonly region: RegionDraft;
  readonly ptes: number;
  readonly frames: number;
  readonly pinnedCopied: number;
}

/**
 * What Linux does. Shared mappings are not copied (vma_needs_copy: no anon_vma): the child
 * faults them in later. A private region's VMAs are copied one by one: the child's table
 * shares the parent's last-level tables (one more sharer each, as On-Demand-Fork does),
 * both get a new generation (every entry write-protected at once), and the pages of VMAs
 * that copy_page_range skips — no anon_vma, MADV_DONTFORK, MADV_WIPEONFORK — are taken out
 * of the child's copy and keep their write permission in the parent.
 */
function cowCopy(tx: Tx, r: RegionDraft, parentName: string, childName: string): RegionCopy {
  let child: PageTableEditor;
  let present = 0;
  let frames = 0;
  let pinned: number[] = [];
  if (r.kind === 'shared' || !anyAnon(r.vmas)) {
    if (r.kind === 'shared') tx.shmDraft(r.shm).users++;
    child = PageTable.empty(r.pages).edit(newToken());
  } else {
    if (forkCopiesPinned(tx.kernel)) splitPinnedPmds(tx, r, parentName);
    const [parentTable, childTable, frozen] = tx.splitTable(r.table);
    r.table = parentTable;
    child = childTable;
    ({ present, frames } = shareTable(tx, frozen));
    const oldGen = r.gen;
    r.gen = tx.nextGen++; // ptep_set_wrprotect on every parent entry, but see below
    for (const v of r.vmas) {
      if (v.anon !== 0 && !v.dontfork && !v.wipeonfork && !v.hole) continue;
      frozen.forEachEntryIn(v.first, v.last, (page, e) => {
        clearEntry(tx, child, page);
        present--;
        if (e > 1) frames--;
        // copy_page_range never ran here: the parent's entry keeps its write permission.
        if (e > 1 && frozen.wgen(page) === oldGen) exclusiveLeaf(tx, r.table, page).wgen[slotOf(page)] = r.gen;
      });
    }
    if (forkCopiesPinned(tx.kernel)) pinned = pinnedPages(tx, r, frozen);
    for (const page of pinned) {
      // copy_present_page (via folio_needs_cow_for_dma): the parent keeps its pinned page as it
      // was, writable; the child gets a copy of its own.
      if (frozen.wgen(page) === oldGen) exclusiveLeaf(tx, r.table, page).wgen[slotOf(page)] = r.gen;
      frames--;
    }
  }
  let childPmd: PVecEditor | null = null;
  if (r.pmd) {
    [r.pmd, childPmd] = tx.split(r.pmd);
    // The child has no PMD entry where it got no entries (VMAs fork skips, untouched regions).
    for (let slot = 0; slot * HUGE_PAGES < r.pages; slot++) {
      if (childPmd.get(slot) !== 0 && child.entry(slot * HUGE_PAGES) === PTE_ABSENT) childPmd.set(slot, 0);
    }
    // copy_huge_pmd copies one PMD entry for a whole huge page, not HUGE_PAGES entries.
    present -= (HUGE_PAGES - 1) * childPmd.nonZero;
  }
  const region = childRegion(tx, r, child, childPmd);
  for (const page of pinned) copyForChild(tx, region, page, childName);
  return { region, ptes: present, frames, pinnedCopied: pinned.length };
}

/**
 * copy_huge_pmd meets a pinned huge page (folio_maybe_dma_pinned, 5.9 on): it splits the
 * parent's PMD entry (__split_huge_pmd) and lets the page-table path copy the pages; as pins
 * are counted per folio, that path copies every page of the huge page (pinnedPages).
 */
function splitPinnedPmds(tx: Tx, r: RegionDraft, parent: string): void {
  if (!r.pmd) return;
  for (const p of tx.pins) {
    if (p.region !== r.name || p.page >= r.pages || r.table.entry(p.page) !== pteOf(p.frame)) continue;
    split(tx, { process: parent, region: r.name, page: p.page }, r, p.page);
  }
}

/** Pages of `r` (in copied VMAs) whose entry maps a pinned frame. */
function pinnedPages(tx: Tx, r: RegionDraft, table: PageTable): number[] {
  const pages = new Set<number>();
  for (const p of tx.pins) {
    if (p.region !== r.name || p.page >= r.pages || p.frame === ZERO_FRAME) continue;
    const v = vmaAt(r.vmas, p.page);
    if (v.anon === 0 || v.dontfork || v.wipeonfork || v.hole) continue;
    if (table.entry(p.page) !== pteOf(p.frame)) continue;
    pages.add(p.page);
    // folio_maybe_dma_pinned counts pins per folio: every page of a pinned huge page is copied.
    if (!r.pmd || !tx.frames.isLarge(p.frame)) continue;
    const head = p.frame - (p.frame % HUGE_PAGES);
    const start = p.page - (p.frame - head);
    for (let i = 0; i < HUGE_PAGES; i++) {
      const page = start + i;
      const u = page >= 0 && page < r.pages ? vmaAt(r.vmas, page) : null;
      if (u && u.anon !== 0 && !u.dontfork && !u.wipeonfork && !u.hole && table.entry(page) === pteOf(head + i)) pages.add(page);
    }
  }
  return [...pages].sort((a, b) => a - b);
}

/** The child's entry at `page` gets a fresh copy of the frame it maps, writable and exclusive. */
function copyForChild(tx: Tx, region: RegionDraft, page: number, child: string): void {
  const leaf = exclusiveLeaf(tx, region.table, page);
  const old = frameOf(leaf.entries[slotOf(page)] as number);
  const copy = tx.frames.allocate(tx.frames.valueOf(old), true, false);
  if (copy < 0) fail('out-of-memory', 'out of physical memory while copying a pinned page for the child');
  setEntry(leaf, slotOf(page), pteOf(copy));
  leaf.wgen[slotOf(page)] = region.gen;
  tx.frames.unmap(old); // still held by the parent's entry and the pin: never freed here
  tx.stats.copies++;
  tx.stats.bytesCopied += PAGE_SIZE;
  if (tx.recording) tx.emit({ kind: 'frame-copied', from: old, to: copy, for: { process: child, region: region.name, page } });
  else tx.eventsOmitted++;
}

/**
 * The baseline: every resident private page is copied into a new frame for the child at once,
 * in page order (paused, not reordered, every `slicePages` pages).
 */
function* eagerCopy(tx: Tx, r: RegionDraft, slicePages: number): Generator<void, RegionCopy> {
  const child = PageTable.empty(r.pages).edit(newToken());
  const gen = tx.nextGen++;
  let entries = 0;
  let frames = 0;
  const copyEntry = (page: number, e: number): void => {
    entries++;
    const frame = frameOf(e);
    let entry = e;
    if (frame !== ZERO_FRAME) {
      const copy = tx.frames.allocate(tx.frames.valueOf(frame), true, false);
      if (copy < 0) fail('out-of-memory', 'out of physical memory while copying the whole address space');
      entry = pteOf(copy);
      frames++;
    }
    const leaf = exclusiveLeaf(tx, child, page);
    setEntry(leaf, slotOf(page), entry);
    leaf.wgen[slotOf(page)] = frame === ZERO_FRAME ? 0 : gen;
  };
  for (const v of r.vmas) {
    if (v.hole || v.dontfork || v.wipeonfork) continue;
    for (let from = v.first; from <= v.last; from += slicePages) {
      if (from > v.first) yield;
      r.table.forEachEntryIn(from, Math.min(v.last, from + slicePages - 1), copyEntry);
    }
  }
  tx.stats.copies += frames;
  tx.stats.bulkCopies += frames;
  tx.stats.bytesCopied += frames * PAGE_SIZE;
  // Every page copied one by one: the child's copies are small pages, mapped by page tables.
  const region = childRegion(tx, r, child, r.pmd ? PVec.zeros(r.pmd.size).edit(newToken()) : null);
  region.gen = gen;
  return { region, ptes: entries, frames, pinnedCopied: 0 };
}

function childRegion(tx: Tx, r: RegionDraft, table: PageTableEditor, pmd: PVecEditor | null): RegionDraft {
  const vmas = childVmas(r.vmas, () => tx.nextAnon++);
  return { name: r.name, pages: r.pages, kind: r.kind, table, gen: tx.nextGen++, vmas, shm: r.shm, pmd };
}

/** Empties one entry of the child's table, giving the child a leaf of its own first. */
function clearEntry(tx: Tx, table: PageTableEditor, page: number): void {
  const leaf = exclusiveLeaf(tx, table, page);
  const old = leaf.entries[slotOf(page)] as number;
  setEntry(leaf, slotOf(page), PTE_ABSENT);
  leaf.wgen[slotOf(page)] = 0;
  if (old > 1 && tx.frames.unmap(frameOf(old))) tx.emit({ kind: 'frame-freed', frame: frameOf(old) });
}

/** vfork(): the child borrows the parent's address space; the parent waits. Nothing is copied. */
export function vfork(tx: Tx, parentName: string, childName: string): void {
  const parent = tx.draft(parentName);
  createChild(tx, parent, childName, true);
  suspendForVfork(parent, childName);
  tx.emit({ kind: 'process-suspended', process: parentName, until: childName });
}
