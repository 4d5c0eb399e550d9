// Reading a whole region fast. Machine.pte() per page costs ~0.3–0.8 µs (a second for a
// million-page region); this walks the last-level tables once and reports what it finds as
// runs within each table: stretches that map nothing (a missing leaf is 64 entries of pte_none)
// or the zero page as ranges, and pages that map consecutive frames and read alike (a table a
// step wrote whole: 64 entries, 64 frames handed out in order) as one call, not one per page.
// What a view of a huge region needs on every step.

import { describeEntry } from './entry';
import { leafRefsOf, ZERO_FRAME } from './frames';
import { reuseRule } from './kernel';
import { LEAF_SIZE } from './ptable';
import type { PVec } from './pvec';
import { MachineData, PTE_ABSENT, pteOf, RegionState } from './state';
import { HUGE_PAGES, PteView } from './types';

/** An entry's flags: a PteView without its frame. */
export type PteFlags = Omit<PteView, 'frame'>;

/**
 * Pages first..last all read `flags`; they map `frame` ('zero' or null: every page), or for a
 * real frame, page first + k maps frame `frame + k`. A call never spans two last-level tables
 * (64 pages from a multiple of 64), and neighbouring calls may read alike (the caller merges).
 * The flags objects are shared between calls (no allocation per page): read them, don't keep
 * or change them.
 */
export type EntryVisitor = (first: number, last: number, frame: number | 'zero' | null, flags: PteFlags) => void;

function flags(view: PteView): PteFlags {
  return { present: view.present, writable: view.writable, cow: view.cow, shared: view.shared, exclusive: view.exclusive, anonExclusive: view.anonExclusive, hole: view.hole };
  // (`pmd` is added where a PMD entry maps the page: see scanRegion.)
}

/**
 * How many of frames from..from+count-1, from the first, are mapped by one leaf alone (`only`)
 * or all by more than one (not `only`), as the first is. Mapped frames are never zero in the
 * frame table, so the walk visits each of them.
 */
function alike(state: PVec, from: number, count: number, only: boolean): number {
  const refsOf = leafRefsOf;
  let n = 1;
  let broken = false;
  state.forEachNonZero((i, v) => {
    if (broken || i !== from + n || (refsOf(v) === 1) !== only) broken = true;
    else n += 1;
  }, from + 1, from + count - 1);
  return n;
}

/** What the lineage's memory index (memoryIndex.ts), moved to the same version, knows of frames mapped once. */
export interface MappedOnce {
  mappedOnce(from: number, to: number): boolean;
}

export function scanRegion(data: MachineData, r: RegionState, visit: EntryVisitor, index: MappedOnce | null = null): void {
  const shared = r.kind === 'shared';
  const absent = flags(describeEntry(PTE_ABSENT, shared, false, false));
  const hole = flags(describeEntry(PTE_ABSENT, shared, false, false, true));
  const zero = flags(describeEntry(pteOf(ZERO_FRAME), shared, false, false));
  // A mapped page reads one of four ways: writable or not, mapped only here or not.
  const marks = reuseRule(data.kernel) === 'exclusive';
  const state = data.frames.state;
  const mapped = [false, true].flatMap((writable) => [false, true].map((only) => flags(describeEntry(pteOf(1), shared, writable, only, false, marks))));
  // The same, for pages a PMD entry maps (a huge page, or the huge zero page).
  const mappedPmd = mapped.map((f) => ({ ...f, pmd: true }));
  const zeroPmd = { ...zero, pmd: true };
  const holes = r.vmas.filter((v) => v.hole);
  let h = 0;
  const inHole = (page: number): boolean => {
    while (h < holes.length && (holes[h] as { last: number }).last < page) h++;
    const next = holes[h];
    return next !== undefined && next.first <= page;
  };
  /** Pages first..last map nothing: split where holes begin and end. */
  const nothing = (first: number, last: number): void => {
    for (let p = first; p <= last; ) {
      const isHole = inHole(p);
      const next = holes[h];
      const end = isHole && next ? Math.min(last, next.last) : next ? Math.min(last, next.first - 1) : last;
      visit(p, end, null, isHole ? hole : absent);
      p = end + 1;
    }
  };
  // Hot loop: imported bindings read once (a bundle inlines them; a module loader may not).
  const leafSize = LEAF_SIZE;
  const absentEntry = PTE_ABSENT;
  const zeroEntry = pteOf(ZERO_FRAME);
  const gen = r.gen;
  let next = 0;
  for (let first = 0; first < r.pages; first += leafSize) {
    const leaf = r.table.leaf(first);
    if (!leaf) continue;
    if (first > next) nothing(next, first - 1);
    const soleSharer = data.shares.get(leaf.id) === 1;
    const byPmd = r.pmd !== null && r.pmd.get(Math.floor(first / HUGE_PAGES)) !== 0;
    const kinds = byPmd ? mappedPmd : mapped;
    const zeroFlags = byPmd ? zeroPmd : zero;
    const end = Math.min(leafSize, r.pages - first);
    const entries = leaf.entries;
    const wgen = leaf.wgen;
    for (let j = 0; j < end; ) {
      const e = entries[j] as number;
      let k = j + 1;
      if (e === absentEntry || e === zeroEntry) {
        while (k < end && entries[k] === e) k++;
        if (e === absentEntry) nothing(first + j, first + k - 1);
        else visit(first + j, first + k - 1, 'zero', zeroFlags);
        j = k;
        continue;
      }
      // Real frames: extend while the next entry maps the next frame and reads the same way
      // (whether the frames are mapped by this leaf alone is read from the frame table in one
      // walk over the stretch, not one look-up per frame).
      const writable = shared || wgen[j] === gen;
      while (k < end && entries[k] === e + (k - j) && (shared || wgen[k] === gen) === writable) k++;
      const frame = e - zeroEntry; // frameOf(e): entry = frame + 1 (state.ts), and zeroEntry is 1
      const only = soleSharer && leafRefsOf(state.get(frame)) === 1;
      // A frame one entry alone maps is mapped by this leaf alone (its share count is 1): the
      // index knows that for whole pages of frames a step handed out in one piece.
      if (soleSharer && k - j > 1 && !(only && index !== null && index.mappedOnce(frame, frame + (k - j) - 1))) k = j + alike(state, frame, k - j, only);
      visit(first + j, first + k - 1, frame, kinds[(writable ? 2 : 0) + (only ? 1 : 0)] as PteFlags);
      j = k;
    }
    next = first + end;
  }
  if (next < r.pages) nothing(next, r.pages - 1);
}
