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
  /** The 64-frame blocks the table's entries map, ascending, ... */
  readonly blocks: Int32Array;
  /** ... and which frames of each block (bit i: frame block * 64 + i; low and high 32 bits). */
  readonly low: Int32Array;
  readonly high: Int32Array;
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
  const { blocks, low, high } = e;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as number;
    if (!index.blockChangedSince(block, e.epoch)) continue;
    // Something in the block changed: was it one of this table's frames?
    for (let bit = 0; bit < 64; bit++) {
      const mapped = bit < 32 ? ((low[i] as number) >>> bit) & 1 : ((high[i] as number) >>> (bit - 32)) & 1;
      if (mapped === 1 && index.frameChangedSince(block * 64 + bit, e.epoch)) return false;
    }
  }
  return true;
}

/** The leaf ids of a table, and the 64-frame blocks its entries map with a mask of which frames. */
function contents(table: PageTable): { blocks: Int32Array; low: Int32Array; high: Int32Array; leafIds: Int32Array } {
  const ids: number[] = [];
  // Blocks as met, one item per stretch of entries in the same block (frames are mostly handed
  // out in order, so that is about one per 64 entries); sorted and merged at the end.
  const blocks: number[] = [];
  const low: number[] = [];
  const high: number[] = [];
  let block = -1;
  let lo = 0;
  let hi = 0;
  const flush = () => {
    if (block < 0) return;
    blocks.push(block);
    low.push(lo);
    high.push(hi);
  };
  table.forEachLeaf((leaf) => {
    ids.push(leaf.id);
    if (leaf.frames === 0) return;
    for (const e of leaf.entries) {
      if (e <= 1) continue;
      const frame = e - 1;
      if (frame >>> 6 !== block) {
        flush();
        block = frame >>> 6;
        lo = 0;
        hi = 0;
      }
      const bit = frame & 63;
      if (bit < 32) lo |= 1 << bit;
      else hi |= 1 << (bit - 32);
    }
  });
  flush();
  return { ...merged(blocks, low, high), leafIds: Int32Array.from(ids) };
}

/** Blocks in ascending order, each once, its masks OR-ed together. */
function merged(blocks: readonly number[], low: readonly number[], high: readonly number[]): { blocks: Int32Array; low: Int32Array; high: Int32Array } {
  const order = blocks.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < blocks.length && sorted; i++) sorted = (blocks[i - 1] as number) < (blocks[i] as number);
  if (sorted) return { blocks: Int32Array.from(blocks), low: Int32Array.from(low), high: Int32Array.from(high) };
  order.sort((a, b) => (blocks[a] as number) - (blocks[b] as number));
  const b: number[] = [];
  const l: number[] = [];
  const h: number[] = [];
  for (const i of order) {
    const n = b.length - 1;
    if (n >= 0 && b[n] === blocks[i]) {
      l[n] = (l[n] as number) | (low[i] as number);
      h[n] = (h[n] as number) | (high[i] as number);
    } else {
      b.push(blocks[i] as number);
      l.push(low[i] as number);
      h.push(high[i] as number);
    }
  }
  return { blocks: Int32Array.from(b), low: Int32Array.from(l), high: Int32Array.from(h) };
}
