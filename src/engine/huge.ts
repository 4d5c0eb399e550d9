// Transparent huge pages in a `huge` private region: 2 MiB folios, each mapped by one PMD entry
// (do_huge_pmd_anonymous_page), shared by fork as one entry (copy_huge_pmd), and on a write to a
// shared one either reused whole or, since 5.8, split into HUGE_PAGES page-table entries
// (__split_huge_pmd) so that only the 4 KiB page written is copied (do_huge_pmd_wp_page).
//
// Representation: a huge page's HUGE_PAGES entries are kept in the region's page table like any
// others (consecutive frames from a multiple of HUGE_PAGES), and the region's `pmd` vector says
// which 2 MiB slots are mapped by a PMD entry instead of a page table. So every reader of single
// entries (pagemap, views, the map counts) works unchanged, and a split only clears the slot's
// mark: the entries, frames and write protection stay what they were, as __split_huge_pmd leaves
// them. docs/kernel-model.md tells the rules by era and cites the commits.

import { ZERO_FRAME } from './frames';
import { setEntry, slotOf } from './ptable';
import type { PVecEditor } from './pvec';
import { exclusiveLeaf, mappedOnlyHere } from './sharing';
import { frameOf, PMD_THP, PMD_ZERO, PTE_ABSENT, pteOf } from './state';
import { withAnon } from './vma';
import { RegionDraft, Tx } from './tx';
import { largeFolioRule, thpReuseRule, thpSplitsOnWrite } from './kernel';
import { HUGE_PAGES, PAGE_SIZE, PageRef } from './types';

/** What the PMD level did for one access; `pte` means: carry on at the page-table level. */
export type HugeOutcome = 'huge-fresh' | 'huge-zero' | 'huge-reused' | 'huge-copied' | 'hit' | 'pte';

export interface HugeResult {
  readonly outcome: HugeOutcome;
  /** The PMD was split first (the page-table level then handles the access). */
  readonly split: boolean;
}

const PTE_LEVEL: HugeResult = { outcome: 'pte', split: false };
const SPLIT: HugeResult = { outcome: 'pte', split: true };

/** The first page of the 2 MiB slot holding `page`. */
export function slotStart(page: number): number {
  return page - (page % HUGE_PAGES);
}

/** True when no entry of the slot holding `page` is present: the PMD entry is empty. */
function pmdNone(r: RegionDraft, page: number): boolean {
  const start = slotStart(page);
  for (let p = start; p < start + HUGE_PAGES; p += 64) {
    const leaf = r.table.leaf(p);
    if (leaf && leaf.present > 0) return false;
  }
  return true;
}

/** A zeroed 2 MiB folio from frame `head` on, mapped writable by the PMD entry over `page` (its first fault gives the VMA an anon_vma). */
function mapZeroedHuge(tx: Tx, at: PageRef, r: RegionDraft, pmd: PVecEditor, page: number, head: number): HugeResult {
  allocated(tx, at, head, true);
  r.vmas = withAnon(r.vmas, page, () => tx.nextAnon++);
  setSlot(tx, r, page, (i) => pteOf(head + i), true);
  pmd.set(Math.floor(page / HUGE_PAGES), PMD_THP);
  tx.stats.zeroFills += HUGE_PAGES;
  return { outcome: 'huge-fresh', split: false };
}

/**
 * The PMD level of a fault on a private huge region (handle_mm_fault → __handle_mm_fault):
 * create_huge_pmd on an empty PMD, wp_huge_pmd on a write-protected one. `fault` records the
 * fault event with the kernel function; `allocated` reports new frames.
 */
export function hugeAccess(tx: Tx, at: PageRef, r: RegionDraft, page: number, write: boolean, fault: (fn: string, kind: 'read-anonymous' | 'write-anonymous' | 'write-protect') => void): HugeResult {
  const pmd = r.pmd;
  if (!pmd) return PTE_LEVEL;
  const slot = Math.floor(page / HUGE_PAGES);
  const state = pmd.get(slot);
  if (state === 0) {
    if (r.table.entry(page) !== PTE_ABSENT || !pmdNone(r, page)) return PTE_LEVEL;
    if (!write && tx.base.rules.zeroPage) {
      // do_huge_pmd_anonymous_page, read: the huge zero page, mapped read-only by one PMD entry.
      fault('do_huge_pmd_anonymous_page', 'read-anonymous');
      setSlot(tx, r, page, () => pteOf(ZERO_FRAME), false);
      pmd.set(slot, PMD_ZERO);
      tx.stats.zeroMaps++;
      return { outcome: 'huge-zero', split: false };
    }
    // do_huge_pmd_anonymous_page: a zeroed 2 MiB folio (clear_huge_page), mapped writable by one
    // PMD entry. No room for one (a `memory N` machine nearly full): VM_FAULT_FALLBACK, and the
    // page-table level maps a small page instead (THP_FAULT_FALLBACK).
    const head = tx.frames.allocateHuge(() => 0);
    if (head < 0) return PTE_LEVEL;
    fault('do_huge_pmd_anonymous_page', write ? 'write-anonymous' : 'read-anonymous');
    return mapZeroedHuge(tx, at, r, pmd, page, head);
  }
  if (!write) return { outcome: 'hit', split: false };
  const leaf = r.table.leaf(page);
  if (state === PMD_THP && leaf !== null && leaf.wgen[slotOf(page)] === r.gen) return { outcome: 'hit', split: false };
  fault('do_huge_pmd_wp_page', 'write-protect');
  if (state === PMD_ZERO) {
    if (thpSplitsOnWrite(tx.kernel)) {
      // is_huge_zero_pmd → __split_huge_pmd: HUGE_PAGES entries of the small zero page; the
      // page-table level then gives the written page a zeroed frame (wp_page_copy).
      split(tx, at, r, page);
      return SPLIT;
    }
    // Before 5.8: a new zeroed huge page replaces the huge zero page (nothing copied); without
    // room for one, the PMD entry is split (do_huge_pmd_wp_page_fallback's effect).
    const head = tx.frames.allocateHuge(() => 0);
    if (head < 0) {
      split(tx, at, r, page);
      return SPLIT;
    }
    return mapZeroedHuge(tx, at, r, pmd, page, head);
  }
  if (canReuseHuge(tx, r, page)) {
    // Reuse: the PMD entry is made writable again (from 5.19 marked PageAnonExclusive too).
    const start = slotStart(page);
    setSlot(tx, r, page, (i) => r.table.entry(start + i), true);
    tx.stats.reuses++;
    if (tx.recording) tx.emit({ kind: 'frame-reused', frame: frameOf(r.table.entry(page)), for: at });
    else tx.eventsOmitted++;
    return { outcome: 'huge-reused', split: false };
  }
  if (thpSplitsOnWrite(tx.kernel)) {
    split(tx, at, r, page);
    return SPLIT;
  }
  // Before 5.8: a new huge page and copy_user_huge_page of all 2 MiB; the other sharers keep the old one.
  const start = slotStart(page);
  const old: number[] = [];
  for (let i = 0; i < HUGE_PAGES; i++) old.push(frameOf(r.table.entry(start + i)));
  const head = tx.frames.allocateHuge((i) => tx.frames.valueOf(old[i] as number));
  if (head < 0) {
    // No room for a new huge page: do_huge_pmd_wp_page_fallback copied page by page instead; as
    // the model has it, the PMD entry is split and only the page written is copied.
    split(tx, at, r, page);
    return SPLIT;
  }
  allocated(tx, at, head, false);
  setSlot(tx, r, page, (i) => pteOf(head + i), true);
  for (const f of old) if (tx.frames.unmap(f)) tx.emit({ kind: 'frame-freed', frame: f });
  tx.stats.copies += HUGE_PAGES;
  tx.stats.bytesCopied += HUGE_PAGES * PAGE_SIZE;
  if (tx.recording) tx.emit({ kind: 'frame-copied', from: old[page - start] as number, to: head + (page - start), for: at });
  else tx.eventsOmitted++;
  return { outcome: 'huge-copied', split: false };
}

/** do_huge_pmd_wp_page's reuse test: the folio is mapped only by this PMD entry (and, from 5.18, has no other reference). */
function canReuseHuge(tx: Tx, r: RegionDraft, page: number): boolean {
  const byRefs = thpReuseRule(tx.kernel) === 'refcount';
  const start = slotStart(page);
  for (let p = start; p < start + HUGE_PAGES; p++) {
    const frame = frameOf(r.table.entry(p));
    if (!mappedOnlyHere(tx, r.table.leaf(p), frame)) return false;
    if (byRefs && tx.frames.extra(frame) !== 0) return false;
  }
  return true;
}

/** __split_huge_pmd in this process only: the slot's PMD entry becomes a page table of the same entries. */
export function split(tx: Tx, at: PageRef, r: RegionDraft, page: number): void {
  if (!r.pmd) return;
  const slot = Math.floor(page / HUGE_PAGES);
  if (r.pmd.get(slot) === 0) return;
  r.pmd.set(slot, 0);
  const first = slot * HUGE_PAGES;
  if (tx.recording) tx.emit({ kind: 'pmd-split', at, first, last: first + HUGE_PAGES - 1 });
  else tx.eventsOmitted++;
}

/**
 * A write fault on one write-protected page-table entry that maps a page of a large folio (a
 * split huge page): may it reuse the page? See largeFolioRule for the eras.
 */
export function canReuseLargePage(tx: Tx, r: RegionDraft, page: number, frame: number): boolean {
  const rule = largeFolioRule(tx.kernel);
  if (rule === 'never') return false;
  if (rule === 'mapcount') return mappedOnlyHere(tx, r.table.leaf(page), frame);
  const head = frame - (frame % HUGE_PAGES);
  const start = page - (frame - head);
  let mapped = 0;
  for (let i = 0; i < HUGE_PAGES; i++) {
    const f = head + i;
    if (!tx.frames.isLarge(f) || tx.frames.stateOf(f) === 0) continue;
    // A page of the folio still in use must be mapped once, here, where it was, with no other reference.
    const p = start + i;
    if (p < 0 || p >= r.pages || r.table.entry(p) !== pteOf(f) || !mappedOnlyHere(tx, r.table.leaf(p), f) || tx.frames.extra(f) !== 0) return false;
    mapped++;
  }
  // 5.9–5.18: page_count of the folio is 1 only when this is its one page in use.
  if (rule === 'refcount') return mapped === 1;
  // 6.15 on: folio_large_mapcount(folio) <= 1 frees the folio up instead of reusing it.
  return mapped > 1;
}

/** Reports a new huge page (2 MiB folio); `zeroed` says clear_huge_page filled it rather than a copy. */
function allocated(tx: Tx, at: PageRef, head: number, zeroed: boolean): void {
  if (tx.recording) tx.emit({ kind: 'frame-allocated', frame: head, zeroed, for: at });
  else tx.eventsOmitted++;
}

/** Sets every entry of the slot holding `page`, writable (in the region's generation) or not. */
function setSlot(tx: Tx, r: RegionDraft, page: number, entryOf: (i: number) => number, writable: boolean): void {
  const start = slotStart(page);
  for (let i = 0; i < HUGE_PAGES; i++) {
    const p = start + i;
    const leaf = exclusiveLeaf(tx, r.table, p);
    setEntry(leaf, slotOf(p), entryOf(i));
    leaf.wgen[slotOf(p)] = writable ? r.gen : 0;
  }
}

/** PMD entries (THP or huge zero page) in `r`'s table: each stands for HUGE_PAGES of its present entries. */
export function pmdCount(r: { readonly pmd: { readonly nonZero: number } | null }): number {
  return r.pmd ? r.pmd.nonZero : 0;
}
