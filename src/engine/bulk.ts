// Write faults a whole last-level table at a time. When a write covers every page of a leaf,
// the leaf is handled in one pass: each page is classified with the same rule
// fault.ts applies to it (do_anonymous_page, wp_page_copy from the zero page, wp_page_reuse,
// wp_page_copy), the frames the copies and fresh pages need are allocated together (the lowest
// free ones, in page order, as page-at-a-time allocation hands them out), the leaf is unshared or
// copied once, and statistics and omitted-event counts grow by what the page-at-a-time path would
// have added. While the step still lists events, bulkEvents.ts lists the ones page at a time
// would have listed, page after page. test/unit/engine/bulk.test.ts plays random scenarios both
// ways and compares.
//
// A leaf falls back to page-at-a-time whenever one of the conditions that make the two
// equivalent does not hold: a MAP_SHARED or huge region, a leaf that spans two VMAs or a hole, a
// machine whose `memory N` has no room for the frames, a copy that would free the frame it copied
// from, or (where the rule reads reference counts page by page) one frame mapped twice in the leaf.

import { LEAF_SIZE, MAX_LEAF_IDS, PteLeaf } from './ptable';
import { frameOf, pteOf } from './state';
import { vmaAt, withAnon } from './vma';
import { reuseRule } from './kernel';
import { fail, RegionDraft, Tx } from './tx';
import { PAGE_SIZE } from './types';
import { COPY, FRESH, HIT, listLeafEvents, REUSE, ZERO } from './bulkEvents';

/** What a leaf written in bulk did, by outcome (the names of fault.ts's AccessOutcome). */
export interface LeafTally {
  fresh: number;
  zeroReplaced: number;
  copied: number;
  reused: number;
  hit: number;
}


let enabled = true;
/** Leaves written in bulk so far and their pages by outcome (`kept`: pages of writes that keep values), for tests. */
export const bulkTally = { leaves: 0, fresh: 0, zeroReplaced: 0, copied: 0, reused: 0, hit: 0, kept: 0 };
/** Each page's outcome in the leaf being written, and the frames allocated for it (reused scratch). */
const kinds = new Int8Array(LEAF_SIZE);
/** For a table of one region: whether each page's frame had one reference before the write (bulkEvents.ts). */
const onlyBefore = new Int8Array(LEAF_SIZE);
const scratchFrames = new Int32Array(LEAF_SIZE);
const leafTally: LeafTally = { fresh: 0, zeroReplaced: 0, copied: 0, reused: 0, hit: 0 };
/** LEAF_SIZE zeros, packed: copied (slice) into the entries of a leaf written in bulk where there was none. */
const NO_ENTRIES: readonly number[] = Array.from({ length: LEAF_SIZE }, () => 0);

/** Runs `fn` with every fault handled page at a time (for tests comparing the two paths). */
export function withPageAtATime<T>(fn: () => T): T {
  const was = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = was;
  }
}

/** Whether access() may hand the leaf starting at `page` (all of it inside the write) to writeLeaf. */
export function bulkApplies(r: RegionDraft, page: number, last: number): boolean {
  return enabled && r.pmd === null && r.kind === 'private' && (page & (LEAF_SIZE - 1)) === 0 && page + LEAF_SIZE - 1 <= last;
}

function tally(t: LeafTally, keep: boolean): void {
  bulkTally.leaves++;
  bulkTally.fresh += t.fresh;
  bulkTally.zeroReplaced += t.zeroReplaced;
  bulkTally.copied += t.copied;
  bulkTally.reused += t.reused;
  bulkTally.hit += t.hit;
  if (keep) bulkTally.kept += LEAF_SIZE;
}

function nextId(tx: Tx): number {
  if (tx.nextLeafId >= MAX_LEAF_IDS) fail('too-large', 'this scenario has made more page tables than the engine can number');
  return tx.nextLeafId++;
}

/**
 * Writes every page of the leaf starting at `page` as `access` would, one page after another.
 * Returns null (and changes nothing) when the leaf must go page at a time instead; the tally
 * returned is reused by the next call.
 * `valueId` is KEEP_VALUE (-1) for a write that keeps what pages hold.
 */
export function writeLeaf(tx: Tx, process: string, r: RegionDraft, page: number, valueId: number): LeafTally | null {
  const vma = vmaAt(r.vmas, page);
  if (vma.hole || vma.last < page + LEAF_SIZE - 1) return null;
  const leaf = r.table.leaf(page);
  const shares = leaf ? tx.shares.get(leaf.id) : 0;
  // One tally for every leaf: the caller reads it before the next call.
  const t = leafTally;
  t.fresh = t.zeroReplaced = t.copied = t.reused = t.hit = 0;
  if (!classify(tx, r, leaf, shares, t)) return null;
  const needed = t.fresh + t.zeroReplaced + t.copied;
  if (!tx.frames.canAllocate(needed)) return null;
  const keep = valueId < 0;
  const listing = tx.recording;
  tally(t, keep);

  if (t.hit === LEAF_SIZE) {
    // No fault at all: the page-at-a-time path only writes the values (or reads them, listed).
    if (keep && listing) listLeafEvents(tx, process, r, page, kinds, leaf, shares, (leaf as PteLeaf).entries, onlyBefore, keep);
    else if (keep) tx.eventsOmitted += LEAF_SIZE;
    else {
      const entries = (leaf as PteLeaf).entries;
      for (let j = 0; j < LEAF_SIZE; j++) tx.frames.setValue(frameOf(entries[j] as number), valueId);
    }
    return t;
  }

  // New frames, lowest free first, in page order; each holds the value written (a copy of a
  // write that keeps values holds its original's; a fresh page of one, zeros).
  const fresh = scratchFrames;
  tx.frames.allocateMany(needed, keep ? 0 : valueId, fresh);
  // The new leaf's entries: a packed array of the right length from the start (a copy of the
  // old entries, or of zeros), changed in place, so that nothing is allocated twice.
  const entries = leaf ? leaf.entries.slice() : NO_ENTRIES.slice();
  let n = 0;
  for (let j = 0; j < LEAF_SIZE; j++) {
    const k = kinds[j];
    const e = entries[j] as number;
    if (k === FRESH || k === ZERO || k === COPY) {
      const frame = fresh[n++] as number;
      if (k === COPY) {
        if (keep) tx.frames.setValue(frame, tx.frames.valueOf(frameOf(e)));
        // The copy drops its reference on the original; an unshared leaf never took one (replaceLeaf).
        if (shares <= 1) tx.frames.unmap(frameOf(e));
      }
      entries[j] = pteOf(frame);
    } else if (!keep) {
      tx.frames.setValue(frameOf(e), valueId);
    }
  }
  replaceLeaf(tx, r, page, leaf, shares, entries);
  if (t.fresh + t.zeroReplaced > 0) r.vmas = withAnon(r.vmas, page, () => tx.nextAnon++);

  const faults = LEAF_SIZE - t.hit;
  tx.stats.faults += faults;
  tx.stats.zeroFills += t.fresh + t.zeroReplaced;
  tx.stats.copies += t.copied;
  tx.stats.bytesCopied += t.copied * PAGE_SIZE;
  tx.stats.reuses += t.reused;
  // Events page at a time would have listed, or (once the step lists no more) counted: a fault,
  // the frame allocated / copied / reused, the entry changed; a write that keeps values reads
  // each page's value too.
  if (listing) listLeafEvents(tx, process, r, page, kinds, leaf, shares, entries, onlyBefore, keep);
  else tx.eventsOmitted += faults * 3 + t.copied + (keep ? LEAF_SIZE : 0);
  return t;
}

/**
 * Each page's outcome, or null when the leaf must go page at a time. `shares` > 1: the first
 * write unshares the leaf, which takes a reference on every frame it maps, so no page can be
 * reused (mappedOnlyHere needs one reference) and every copy drops back to at least one.
 */
function classify(tx: Tx, r: RegionDraft, leaf: PteLeaf | null, shares: number, t: LeafTally): boolean {
  if (!leaf) {
    kinds.fill(FRESH);
    t.fresh = LEAF_SIZE;
    return true;
  }
  const rule = reuseRule(tx.kernel);
  const refsAlone = rule === 'mapcount' || rule === 'gup-unshare';
  let previous = 0;
  let ascending = true;
  for (let j = 0; j < LEAF_SIZE; j++) {
    const e = leaf.entries[j] as number;
    let k: number;
    if (e === 0) k = FRESH;
    else if (e === 1) k = ZERO;
    else if (leaf.wgen[j] === r.gen) k = HIT;
    else if (shares > 1) k = COPY;
    else {
      // An unshared leaf: do_wp_page's rule on this frame's own counts (canReuse in fault.ts).
      const frame = frameOf(e);
      if (frame <= previous) ascending = false;
      previous = frame;
      const state = tx.frames.stateOf(frame);
      onlyBefore[j] = state >>> 2 === 1 ? 1 : 0;
      if (state >>> 2 === 1 && (refsAlone || tx.frames.extra(frame) === 0)) k = REUSE;
      else if (state - 4 === 0) return false; // the copy would free its original: allocation order changes
      else k = COPY;
    }
    kinds[j] = k;
    if (k === FRESH) t.fresh++;
    else if (k === ZERO) t.zeroReplaced++;
    else if (k === COPY) t.copied++;
    else if (k === REUSE) t.reused++;
    else t.hit++;
  }
  // Counts read page by page see the copies before them: only distinct frames make them independent.
  return ascending || distinct(leaf);
}

function distinct(leaf: PteLeaf): boolean {
  const seen = new Set<number>();
  for (let j = 0; j < LEAF_SIZE; j++) {
    const k = kinds[j];
    if (k !== COPY && k !== REUSE) continue;
    const e = leaf.entries[j] as number;
    if (seen.has(e)) return false;
    seen.add(e);
  }
  return true;
}

/**
 * Puts the written leaf in place of the old one, as the first setPte of the page-at-a-time path
 * makes the leaf this region's own (sharing.ts exclusiveLeaf): a new leaf, a version of the same
 * one, or an unshared copy with a new identity. Unsharing takes a reference on every frame the
 * leaf maps and each copy drops it again: only the frames not copied keep the new one.
 *
 * Every entry is now writable in the region's generation, so the leaf shares one array of
 * generations with the others written in bulk; it is owned by no edit token, so any later
 * change to it in this step copies it first (PageTableEditor.ownLeaf).
 */
function replaceLeaf(tx: Tx, r: RegionDraft, page: number, leaf: PteLeaf | null, shares: number, entries: number[]): void {
  let id: number;
  if (!leaf) {
    id = nextId(tx);
    tx.shares.set(id, 1);
  } else if (shares <= 1) {
    id = leaf.id;
  } else {
    id = nextId(tx);
    tx.shares.set(leaf.id, shares - 1);
    tx.shares.set(id, 1);
    for (let j = 0; j < LEAF_SIZE; j++) {
      const e = leaf.entries[j] as number;
      if (e > 1 && kinds[j] !== COPY) tx.frames.map(frameOf(e));
    }
  }
  r.table.setLeaf(page, { id, owner: 0, entries, wgen: generations(r.gen), present: LEAF_SIZE, frames: LEAF_SIZE });
}

let sharedGen = -1;
let sharedWgen: number[] = [];

/** LEAF_SIZE copies of `gen`, one array for every leaf written in bulk in that generation. */
function generations(gen: number): number[] {
  if (gen !== sharedGen) {
    sharedWgen = [];
    for (let j = 0; j < LEAF_SIZE; j++) sharedWgen.push(gen);
    sharedGen = gen;
  }
  return sharedWgen;
}
