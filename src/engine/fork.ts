// fork and vfork: copy_process → dup_mm → dup_mmap → copy_page_range → copy_present_ptes.

import { ZERO_FRAME } from './frames';
import { newToken, PVec, PVecEditor } from './pvec';
import { ADVICE_DONTFORK, ADVICE_WIPEONFORK, frameOf, PTE_ABSENT, PTE_HOLE, pteOf } from './state';
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
 * shares the parent's structure, both get a new generation (every entry write-protected at
 * once), and every mapped frame gains one mapping.
 */
function cowCopy(tx: Tx, r: RegionDraft): RegionCopy {
  const dontfork = hasAdvice(r, ADVICE_DONTFORK);
  const wipe = hasAdvice(r, ADVICE_WIPEONFORK);
  let childPtes: PVec;
  let copied = { frames: 0, zeros: 0 };
  if (r.kind === 'shared') {
    tx.shmDraft(r.shm).users++;
    childPtes = PVec.zeros(r.pages);
  } else if (!r.hasAnon) {
    childPtes = PVec.zeros(r.pages);
  } else {
    const [parentEditor, childEditor] = tx.split(r.ptes);
    r.ptes = parentEditor;
    if (wipe || dontfork) markAdvised(r, childEditor, PTE_ABSENT, ADVICE_WIPEONFORK, ADVICE_DONTFORK);
    childPtes = childEditor.freeze();
    copied = countEntries(childPtes);
    tx.frames.mapAllListed(childPtes);
    r.gen = tx.nextGen++; // ptep_set_wrprotect on every parent entry
  }
  const childEditor = childPtes.edit(newToken()); // an owner of its own: never writes the parent's nodes
  if (dontfork) markAdvised(r, childEditor, PTE_HOLE, ADVICE_DONTFORK);
  const [parentAdvice, childAdvice] = r.advice ? tx.split(r.advice) : [null, null];
  r.advice = parentAdvice;
  const region: RegionDraft = {
    name: r.name,
    pages: r.pages,
    kind: r.kind,
    ptes: childEditor,
    wgen: PVec.zeros(r.pages).edit(tx.token),
    gen: tx.nextGen++,
    advice: childAdvice,
    hasAnon: r.kind === 'private' && r.hasAnon && !allAdvised(r, ADVICE_WIPEONFORK),
    shm: r.shm,
  };
  return { region, ptes: copied.frames + copied.zeros, frames: copied.frames };
}

/** The baseline: every resident private page is copied into a new frame for the child at once. */
function eagerCopy(tx: Tx, r: RegionDraft): RegionCopy {
  const ptes = PVec.zeros(r.pages).edit(tx.token);
  const wgen = PVec.zeros(r.pages).edit(tx.token);
  const gen = tx.nextGen++;
  let entries = 0;
  let frames = 0;
  r.ptes.forEachNonZero((page, e) => {
    const advice = r.advice ? r.advice.get(page) : 0;
    if (e === PTE_HOLE || advice === ADVICE_DONTFORK) {
      ptes.set(page, PTE_HOLE);
      return;
    }
    if (advice === ADVICE_WIPEONFORK) return;
    entries++;
    const frame = frameOf(e);
    if (frame === ZERO_FRAME) {
      ptes.set(page, e);
      return;
    }
    const copy = tx.frames.allocate(tx.frames.valueOf(frame), true, false);
    if (copy < 0) fail('too-large', 'out of physical memory while copying the whole address space');
    ptes.set(page, pteOf(copy));
    wgen.set(page, gen);
    frames++;
  });
  tx.stats.copies += frames;
  tx.stats.bytesCopied += frames * PAGE_SIZE;
  const advice = r.advice ? tx.split(r.advice) : null;
  if (advice) r.advice = advice[0];
  const region: RegionDraft = {
    name: r.name,
    pages: r.pages,
    kind: r.kind,
    ptes,
    wgen,
    gen,
    advice: advice ? advice[1] : null,
    hasAnon: r.hasAnon,
    shm: r.shm,
  };
  return { region, ptes: entries, frames };
}

function hasAdvice(r: RegionDraft, advice: number): boolean {
  let found = false;
  r.advice?.forEachNonZero((_i, v) => {
    if (v === advice) found = true;
  });
  return found;
}

function allAdvised(r: RegionDraft, advice: number): boolean {
  let n = 0;
  r.advice?.forEachNonZero((_i, v) => {
    if (v === advice) n++;
  });
  return n === r.pages;
}

/** Sets `entry` in `child` for every page whose advice is one of `advice`. */
function markAdvised(r: RegionDraft, child: PVecEditor, entry: number, ...advice: number[]): void {
  r.advice?.forEachNonZero((page, v) => {
    if (advice.includes(v)) child.set(page, entry);
  });
}

function countEntries(v: PVec): { frames: number; zeros: number } {
  let frames = 0;
  let zeros = 0;
  v.forEachLeaf((_b, data) => {
    for (let j = 0; j < data.length; j++) {
      const e = data[j] as number;
      if (e > 1) frames++;
      else if (e === 1) zeros++;
    }
  });
  return { frames, zeros };
}

/** vfork(): the child borrows the parent's address space; the parent waits. Nothing is copied. */
export function vfork(tx: Tx, parentName: string, childName: string): void {
  const parent = tx.draft(parentName);
  createChild(tx, parent, childName, true);
  parent.status = 'suspended';
  parent.waitsFor = childName;
  tx.emit({ kind: 'process-suspended', process: parentName, until: childName });
}
