// Reading a whole region fast. Machine.pte() per page costs ~0.3–0.8 µs (a second for a
// million-page region); this walks the last-level tables once, reports stretches that map
// nothing (a missing leaf is 64 entries of pte_none) or the zero page as ranges, and only
// mapped pages one by one — what a view of a huge region needs on every step.

import { describeEntry } from './entry';
import { leafRefsOf, ZERO_FRAME } from './frames';
import { reuseRule } from './kernel';
import { LEAF_SIZE } from './ptable';
import { frameOf, MachineData, PTE_ABSENT, pteOf, RegionState } from './state';
import { HUGE_PAGES, PteView } from './types';

/** An entry's flags: a PteView without its frame. */
export type PteFlags = Omit<PteView, 'frame'>;

/**
 * Pages first..last all map `frame` (one page at a time for real frames) and read `flags`.
 * The flags objects are shared between calls (no allocation per page): read them, don't keep
 * or change them.
 */
export type EntryVisitor = (first: number, last: number, frame: number | 'zero' | null, flags: PteFlags) => void;

function flags(view: PteView): PteFlags {
  return { present: view.present, writable: view.writable, cow: view.cow, shared: view.shared, exclusive: view.exclusive, anonExclusive: view.anonExclusive, hole: view.hole };
  // (`pmd` is added where a PMD entry maps the page: see scanRegion.)
}

export function scanRegion(data: MachineData, r: RegionState, visit: EntryVisitor): void {
  const shared = r.kind === 'shared';
  const absent = flags(describeEntry(PTE_ABSENT, shared, false, false));
  const hole = flags(describeEntry(PTE_ABSENT, shared, false, false, true));
  const zero = flags(describeEntry(pteOf(ZERO_FRAME), shared, false, false));
  // A mapped page reads one of four ways: writable or not, mapped only here or not.
  const marks = reuseRule(data.kernel) === 'exclusive';
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
  let next = 0;
  for (let first = 0; first < r.pages; first += LEAF_SIZE) {
    const leaf = r.table.leaf(first);
    if (!leaf) continue;
    if (first > next) nothing(next, first - 1);
    const soleSharer = data.shares.get(leaf.id) === 1;
    const byPmd = r.pmd !== null && r.pmd.get(Math.floor(first / HUGE_PAGES)) !== 0;
    const kinds = byPmd ? mappedPmd : mapped;
    const end = Math.min(LEAF_SIZE, r.pages - first);
    for (let j = 0; j < end; j++) {
      const page = first + j;
      const e = leaf.entries[j] as number;
      if (e === PTE_ABSENT) {
        nothing(page, page);
        continue;
      }
      const frame = frameOf(e);
      if (frame === ZERO_FRAME) {
        visit(page, page, 'zero', byPmd ? zeroPmd : zero);
        continue;
      }
      const only = soleSharer && leafRefsOf(data.frames.state.get(frame)) === 1;
      const writable = shared || leaf.wgen[j] === r.gen;
      visit(page, page, frame, kinds[(writable ? 2 : 0) + (only ? 1 : 0)] as PteFlags);
    }
    next = first + end;
  }
  if (next < r.pages) nothing(next, r.pages - 1);
}
