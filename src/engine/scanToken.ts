// A token that names what Machine.scanEntries would report for one region, so a reader can keep
// the result of a scan (the panel's runs of a million-page table) and reuse it for every later
// version in which the same token comes back.
//
// What a scan reports for a page depends on: the entry and the generation it was made writable
// in (the table's directory and leaves: persistent, the same objects while no step wrote them), the region's
// generation, size, kind, VMAs (holes) and PMD mappings, the kernel's exclusive-mark rule, each
// leaf's share count, and whether the frame an entry maps is referenced by one leaf only (the
// frame's leaf references). The first group is checked by identity; the last two through the
// lineage's memory index (memoryIndex.ts), which records in which move between versions each
// leaf's share count last changed and which frames' mapping entries changed (a leaf mapping the
// frame came or went in some live table: the only way its leaf references change): the token
// stays valid while none of the table's leaves and none of its frames changed since it was last checked.

import { reuseRule } from './kernel';
import type { Machine } from './machine';
import { indexAt, type MemoryIndex } from './memoryIndex';
import type { PageTable } from './ptable';
import type { PVec } from './pvec';
import type { RegionState } from './state';
import type { Vma } from './vma';

interface TokenEntry {
  readonly token: object;
  readonly index: MemoryIndex;
  /** The index's epoch when the token was last found valid. */
  epoch: number;
  readonly gen: number;
  readonly pages: number;
  readonly kind: string;
  readonly vmas: readonly Vma[];
  readonly pmd: PVec | null;
  readonly marks: boolean;
  /** The frames the table's entries map, as stretches: frames lo[i]..hi[i], ascending, apart. */
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** The ids of the table's leaves. */
  readonly leafIds: Int32Array;
}

/**
 * Tokens per table, keyed by its directory (a step that only reads wraps the same directory in a
 * new PageTable): a table shared by two regions that differ (generation, holes) has one for each.
 */
const tokens = new WeakMap<PageTable['top'], TokenEntry[]>();
const KEPT_PER_TABLE = 4;

/**
 * The token of region `r` in machine `m`: the same object as for an earlier version exactly when
 * a scan of that version's region reported the same entries (conservatively: a new token may
 * also come back for the same entries).
 */
export function scanToken(m: Machine, r: RegionState): object {
  const index = indexAt(m);
  const marks = reuseRule(m.data.kernel) === 'exclusive';
  const entries = tokens.get(r.table.top) ?? [];
  for (const e of entries) {
    if (e.index !== index || e.gen !== r.gen || e.pages !== r.pages || e.kind !== r.kind || e.vmas !== r.vmas || e.pmd !== r.pmd || e.marks !== marks) continue;
    if (unchanged(e, index)) {
      e.epoch = index.now;
      return e.token;
    }
  }
  const fresh: TokenEntry = { token: {}, index, epoch: index.now, gen: r.gen, pages: r.pages, kind: r.kind, vmas: r.vmas, pmd: r.pmd, marks, ...contents(r.table) };
  const kept = entries.filter((e) => e.index === index && !(e.gen === r.gen && e.pages === r.pages && e.kind === r.kind && e.vmas === r.vmas && e.pmd === r.pmd));
  tokens.set(r.table.top, [fresh, ...kept].slice(0, KEPT_PER_TABLE));
  return fresh.token;
}

function unchanged(e: TokenEntry, index: MemoryIndex): boolean {
  for (const id of e.leafIds) if (index.leafChangedSince(id, e.epoch)) return false;
  const { lo, hi } = e;
  for (let i = 0; i < lo.length; i++) {
    const first = lo[i] as number;
    const last = hi[i] as number;
    for (let block = first >>> 6; block <= last >>> 6; block++) {
      if (!index.blockChangedSince(block, e.epoch)) continue;
      // Something in the block changed: was it one of this table's frames?
      const end = Math.min(last, block * 64 + 63);
      for (let frame = Math.max(first, block * 64); frame <= end; frame++) if (index.frameChangedSince(frame, e.epoch)) return false;
    }
  }
  return true;
}

/** The leaf ids of a table, and the frames its entries map as stretches of consecutive frames. */
function contents(table: PageTable): { lo: Int32Array; hi: Int32Array; leafIds: Int32Array } {
  const ids: number[] = [];
  // Stretches as met (frames are mostly handed out in order: a table written whole is one
  // stretch per run of allocation, not one item per entry); sorted and merged at the end.
  const lo: number[] = [];
  const hi: number[] = [];
  let first = -2;
  let last = -2;
  table.forEachLeaf((leaf) => {
    ids.push(leaf.id);
    if (leaf.frames === 0) return;
    const entries = leaf.entries;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j] as number;
      if (e <= 1) continue;
      const frame = e - 1; // frameOf(e) (state.ts)
      if (frame === last + 1) {
        last = frame;
        continue;
      }
      if (first >= 0) {
        lo.push(first);
        hi.push(last);
      }
      first = last = frame;
    }
  });
  if (first >= 0) {
    lo.push(first);
    hi.push(last);
  }
  return { ...merged(lo, hi), leafIds: Int32Array.from(ids) };
}

/** Stretches in ascending order, overlapping or touching ones joined. */
function merged(lo: readonly number[], hi: readonly number[]): { lo: Int32Array; hi: Int32Array } {
  const order = lo.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < lo.length && sorted; i++) sorted = (hi[i - 1] as number) + 1 < (lo[i] as number);
  if (sorted) return { lo: Int32Array.from(lo), hi: Int32Array.from(hi) };
  order.sort((a, b) => (lo[a] as number) - (lo[b] as number));
  const l: number[] = [];
  const h: number[] = [];
  for (const i of order) {
    const n = h.length - 1;
    if (n >= 0 && (lo[i] as number) <= (h[n] as number) + 1) h[n] = Math.max(h[n] as number, hi[i] as number);
    else {
      l.push(lo[i] as number);
      h.push(hi[i] as number);
    }
  }
  return { lo: Int32Array.from(l), hi: Int32Array.from(h) };
}
