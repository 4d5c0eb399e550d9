// Which frames two versions of a page table map differently, as stretches of consecutive frames
// (memoryIndex.ts moves its per-frame lists by these). Tables are persistent: a directory chunk or
// last-level table a step did not touch is the same object in both versions and is skipped.

import { LEAF_SIZE, type PageTable, type PteLeaf } from './ptable';

/** One page table of one process, as the index sees it. */
export interface TableRef {
  readonly proc: number;
  readonly table: PageTable;
  readonly pages: number;
}

const CHUNK_LEAVES = 64;
const PAGES_PER_CHUNK = LEAF_SIZE * CHUNK_LEAVES;

/**
 * Stretches of consecutive frames one process maps, as (first frame, count, process id) triples
 * in a typed array kept between moves: a step that writes a whole region adds a million frames
 * that the allocator handed out in order, which is a few stretches, not a million pairs.
 */
export class Stretches {
  data = new Int32Array(3 * 256);
  length = 0;
  /** The highest frame in any stretch. */
  max = 0;

  clear(): void {
    this.length = 0;
    this.max = 0;
  }

  /** Frame `frame` mapped by process `proc`: joins the last stretch when it continues it. */
  add(frame: number, proc: number): void {
    this.addRun(frame, 1, proc);
  }

  /** Frames frame..frame+count-1 mapped by process `proc`: joins the last stretch when it continues it. */
  addRun(frame: number, count: number, proc: number): void {
    const n = this.length;
    const d = this.data;
    if (frame + count - 1 > this.max) this.max = frame + count - 1;
    if (n > 0 && d[n - 1] === proc && (d[n - 3] as number) + (d[n - 2] as number) === frame) {
      d[n - 2] = (d[n - 2] as number) + count;
      return;
    }
    if (n + 3 > d.length) this.data = grown(d, d.length * 2);
    this.data[n] = frame;
    this.data[n + 1] = count;
    this.data[n + 2] = proc;
    this.length = n + 3;
  }

  /**
   * The entries of `leaf` that map a real frame, on pages below `limit` (relative to the leaf),
   * for process `proc`: entries mapping consecutive frames (a table written whole) as one run.
   */
  addLeaf(leaf: PteLeaf, limit: number, proc: number): void {
    if (leaf.frames === 0) return;
    const entries = leaf.entries;
    const end = Math.min(entries.length, limit);
    for (let j = 0; j < end; ) {
      const e = entries[j] as number;
      let k = j + 1;
      if (e > 1) {
        while (k < end && entries[k] === e + (k - j)) k++;
        this.addRun(e - 1, k - j, proc); // frameOf(e) = e - 1 (state.ts)
      }
      j = k;
    }
  }
}

/**
 * `a`, or a copy with room for index `need` and half as much again: a step that allocates a
 * million frames and the next one that allocates a hundred more must not both copy (each copy
 * touches fresh memory, the slow part of a big step here; room never touched costs nothing).
 */
export function grown(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need < a.length) return a;
  const b = new Int32Array(Math.max(need + 1 + (need >>> 1), a.length * 2));
  b.set(a);
  return b;
}

/** Every frame a table maps, into `out`. */
export function collect(t: TableRef, out: Stretches): void {
  t.table.forEachLeaf((leaf, first) => out.addLeaf(leaf, t.pages - first, t.proc));
}

/** The frames of leaves that differ between two versions of one table (same process, same size). */
export function diffTables(a: TableRef, b: TableRef, removed: Stretches, added: Stretches): void {
  const ta = a.table.top;
  const tb = b.table.top;
  const chunks = Math.max(ta.length, tb.length);
  for (let c = 0; c < chunks; c++) {
    const ca = ta[c] ?? null;
    const cb = tb[c] ?? null;
    if (ca === cb) continue;
    for (let l = 0; l < CHUNK_LEAVES; l++) {
      const la = ca?.leaves[l] ?? null;
      const lb = cb?.leaves[l] ?? null;
      if (la === lb) continue;
      const first = c * PAGES_PER_CHUNK + l * LEAF_SIZE;
      if (la && lb && la.id === lb.id) changedEntries(la, lb, a.pages - first, a.proc, removed, added);
      else {
        if (la) removed.addLeaf(la, a.pages - first, a.proc);
        if (lb) added.addLeaf(lb, b.pages - first, b.proc);
      }
    }
  }
}

/**
 * The entries that differ between two versions of one leaf (the same identity: a step wrote it),
 * on pages below `limit`. An entry both versions share maps the same frame through the same leaf
 * before and after: neither the frame's list nor its leaf references change, so it is not named
 * (a scan token that watches the frame stays valid). A leaf replaced by another identity (an
 * unshare copy) names every entry of both: the frames' leaf references change.
 */
function changedEntries(before: PteLeaf, after: PteLeaf, limit: number, proc: number, removed: Stretches, added: Stretches): void {
  const ea = before.entries;
  const eb = after.entries;
  const end = Math.min(LEAF_SIZE, limit);
  for (let j = 0; j < end; j++) {
    const x = ea[j] as number;
    const y = eb[j] as number;
    if (x === y) continue;
    if (x > 1) removed.add(x - 1, proc);
    if (y > 1) added.add(y - 1, proc);
  }
}
