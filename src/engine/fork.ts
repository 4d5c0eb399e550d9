// fork and vfork: copy_process → dup_mm → dup_mmap → copy_page_range → copy_present_ptes.

import { ZERO_FRAME } from './frames';
import { PageTable, PageTableEditor, setEntry, slotOf } from './ptable';
import { newToken, PVecEditor } from './pvec';
import { exclusiveLeaf, shareTable } from './sharing';
import { ADVICE_DONTFORK, ADVICE_NONE, ADVICE_WIPEONFORK, frameOf, PTE_ABSENT, PTE_HOLE, pteOf } from './state';
import { fail, ProcessDraft, RegionDraft, Tx } from './tx';
import { MAX_PROCESSES, PAGE_SIZE } from './types';

export interface ForkSummary {
  /** Entries copied into the child's page tables. */
  readonly ptesCopied: number;
  /** Real frames now shared between parent and child (cow), or copied (eager). */
  readonly frames: number;
  /** Regions the child got without any entries (no anon_vma, shared, or wipeonfork). */
  readonly emptyRegions: readonly string[];
}

export function createChild(tx: Tx, parent: ProcessDraft, child: string, borrows: boolean): ProcessDraft {
  if (tx.has(child)) fail('duplicate-name', `a process named '${child}' already exists`);
  if (tx.processCount() >= MAX_PROCESSES) fail('too-large', `at most ${MAX_PROCESSES} processes`);
  const d: ProcessDraft = {
    name: child,
    pid: tx.nextPid++,
    status: 'running',
    parent: parent.name,
    borrowsFrom: borrows ? parent.name : null,
    waitsFor: null,
    regions: [],
  };
  tx.addProcess(d);
  tx.emit({ kind: 'process-created', process: child, parent: parent.name, how: borrows ? 'vfork' : 'fork' });
  return d;
}

/** fork(): duplicates the address space `parent` uses into `child`. */
export function fork(tx: Tx, parentName: string, childName: string): ForkSummary {
  const space = tx.addressSpace(parentName);
  const child = createChild(tx, tx.draft(parentName), childName, false);
  let ptesCopied = 0;
  let frames = 0;
  const emptyRegions: string[] = [];
  for (const r of space.regions) {
    const c = tx.policy === 'eager' && r.kind === 'private' ? eagerCopy(tx, r) : cowCopy(tx, r);
    ptesCopied += c.ptes;
    frames += c.frames;
    if (c.ptes === 0) emptyRegions.push(r.name);
    child.regions.push(c.region);
  }
  tx.stats.ptesCopied += ptesCopied;
  tx.emit({ kind: 'fork-copied', parent: parentName, child: childName, ptesCopied, framesCopied: tx.policy === 'eager' ? frames : 0 });
  return { ptesCopied, frames, emptyRegions };
}

interface RegionCopy {
  readonly region: RegionDraft;
  readonly ptes: number;
  readonly frames: number;
}

/**
 * What Linux does. Shared mappings and private ones without an anon_vma are not copied at
 * all (vma_needs_copy): the child faults them in later. Otherwise the child's page table
 * shares the parent's last-level tables (one more sharer each, as On-Demand-Fork does),
 * both get a new generation (every entry write-protected at once), and pages under
 * MADV_DONTFORK / MADV_WIPEONFORK are taken out of the child's copy.
 */
function cowCopy(tx: Tx, r: RegionDraft): RegionCopy {
  let child: PageTableEditor;
  let present = 0;
  let frames = 0;
  if (r.kind === 'shared' || !r.hasAnon) {
    if (r.kind === 'shared') tx.shmDraft(r.shm).users++;
    child = PageTable.empty(r.pages).edit(newToken());
  } else {
    const [parentTable, childTable, frozen] = tx.splitTable(r.table);
    r.table = parentTable;
    child = childTable;
    ({ present, frames } = shareTable(tx, frozen));
    const oldGen = r.gen;
    r.gen = tx.nextGen++; // ptep_set_wrprotect on every parent entry...
    const advised: number[] = [];
    r.advice?.forEachNonZero((page, advice) => {
      if (advice !== ADVICE_DONTFORK && advice !== ADVICE_WIPEONFORK) return;
      advised.push(page);
      const old = clearEntry(tx, child, page, PTE_ABSENT);
      if (old > 0) present--;
      if (old > 1) frames--;
    });
    markHoles(tx, r, child);
    // ...except under MADV_DONTFORK / MADV_WIPEONFORK: dup_mmap skips copy_page_range for
    // those VMAs, so the parent's entries there keep their write permission.
    for (const page of advised) {
      if (r.table.wgen(page) !== oldGen || r.table.entry(page) <= 1) continue;
      exclusiveLeaf(tx, r.table, page).wgen[slotOf(page)] = r.gen;
    }
  }
  if (r.kind === 'shared' || !r.hasAnon) markHoles(tx, r, child);
  const region = childRegion(tx, r, child, r.kind === 'private' && r.hasAnon && !allAdvised(r, ADVICE_WIPEONFORK));
  return { region, ptes: present, frames };
}

/** The baseline: every resident private page is copied into a new frame for the child at once. */
function eagerCopy(tx: Tx, r: RegionDraft): RegionCopy {
  const child = PageTable.empty(r.pages).edit(newToken());
  const gen = tx.nextGen++;
  let entries = 0;
  let frames = 0;
  r.table.forEachEntry((page, e) => {
    const advice = r.advice ? r.advice.get(page) : ADVICE_NONE;
    if (e === PTE_HOLE || advice === ADVICE_DONTFORK || advice === ADVICE_WIPEONFORK) return;
    entries++;
    const frame = frameOf(e);
    let entry = e;
    if (frame !== ZERO_FRAME) {
      const copy = tx.frames.allocate(tx.frames.valueOf(frame), true, false);
      if (copy < 0) fail('too-large', 'out of physical memory while copying the whole address space');
      entry = pteOf(copy);
      frames++;
    }
    const leaf = exclusiveLeaf(tx, child, page);
    setEntry(leaf, slotOf(page), entry);
    leaf.wgen[slotOf(page)] = frame === ZERO_FRAME ? 0 : gen;
  });
  r.table.forEachEntry((page, e) => {
    if (e === PTE_HOLE) clearEntry(tx, child, page, PTE_HOLE);
  });
  markHoles(tx, r, child);
  tx.stats.copies += frames;
  tx.stats.bytesCopied += frames * PAGE_SIZE;
  const region = childRegion(tx, r, child, r.hasAnon);
  region.gen = gen;
  return { region, ptes: entries, frames };
}

function childRegion(tx: Tx, r: RegionDraft, table: PageTableEditor, hasAnon: boolean): RegionDraft {
  let advice: PVecEditor | null = null;
  if (r.advice) [r.advice, advice] = tx.split(r.advice);
  return { name: r.name, pages: r.pages, kind: r.kind, table, gen: tx.nextGen++, advice, hasAnon, shm: r.shm };
}

/** Sets one entry of the child's table, giving the child a leaf of its own first. Returns the old entry. */
function clearEntry(tx: Tx, table: PageTableEditor, page: number, entry: number): number {
  if (table.entry(page) === entry) return entry;
  const leaf = exclusiveLeaf(tx, table, page);
  const old = leaf.entries[slotOf(page)] as number;
  setEntry(leaf, slotOf(page), entry);
  leaf.wgen[slotOf(page)] = 0;
  if (old > 1 && tx.frames.unmap(frameOf(old))) tx.emit({ kind: 'frame-freed', frame: frameOf(old) });
  return old;
}

/** MADV_DONTFORK pages are simply not there in the child (VM_DONTCOPY): holes. */
function markHoles(tx: Tx, r: RegionDraft, child: PageTableEditor): void {
  r.advice?.forEachNonZero((page, advice) => {
    if (advice === ADVICE_DONTFORK) clearEntry(tx, child, page, PTE_HOLE);
  });
}

function allAdvised(r: RegionDraft, advice: number): boolean {
  let n = 0;
  r.advice?.forEachNonZero((_i, v) => {
    if (v === advice) n++;
  });
  return n === r.pages;
}

/** vfork(): the child borrows the parent's address space; the parent waits. Nothing is copied. */
export function vfork(tx: Tx, parentName: string, childName: string): void {
  const parent = tx.draft(parentName);
  createChild(tx, parent, childName, true);
  parent.status = 'suspended';
  parent.waitsFor = childName;
  tx.emit({ kind: 'process-suspended', process: parentName, until: childName });
}
