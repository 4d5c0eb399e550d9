// Who maps which frame, kept up to date from one machine version to the next by what changed
// between them, so that RSS, PSS and USS (memory.ts) cost what a step changed rather than the
// size of every page table (a million-page region is 15,625 last-level tables per process).
//
// Page tables, their directory chunks and their last-level tables are persistent: a table a step
// did not touch is the same object in both versions. Going from one version to another compares
// them chunk by chunk and leaf by leaf, skips what is identical, and takes the entries of the
// leaves that differ out of (old) or into (new) a per-frame list of the processes whose entries
// map the frame. A frame's map count is the length of its list (each entry of a live process
// that has tables of its own counts once: what smaps_account divides by), and only frames whose
// list changed move between the per-process counters. Going backwards, or to a version far
// away, costs what differs between the two, like any other move.
//
// A step that writes a whole region changes a million entries at once. Those go in as stretches
// of consecutive frames (the allocator hands frames out lowest first) and every pass over them is
// a loop over typed arrays; a frame one process maps alone (most frames) is counted per process
// once at the end, not per frame. What stays per frame is the frame's own slot in the lists.
//
// One index per machine lineage (every version made from one createMachine shares its value
// table): the panel steps the primary and the comparison machine alternately, each its own line.

import type { Machine } from './machine';
import { PVec } from './pvec';
import { collect, diffTables, grown, Stretches, type TableRef } from './tableDiff';

/** The figures of one address space, as counters over the frames its entries map. */
export interface SpaceCounters {
  /** Entries mapping a real frame. */
  readonly rss: number;
  /** pagesByCount[k]: entries whose frame k entries map (k >= 1). */
  readonly pagesByCount: readonly number[];
  /** shared[j]: entries whose frame process id j also maps. */
  readonly shared: readonly number[];
}

export class MemoryIndex {
  private machine: Machine | null = null;
  private tables = new Map<string, TableRef>();
  private readonly ids = new Map<string, number>();
  /** Process id → name. */
  readonly names: string[] = [];
  /** The processes mapping each frame: first two in typed arrays (id + 1, 0 = none), the rest in `more`. */
  private occ0 = new Int32Array(1024);
  private occ1 = new Int32Array(1024);
  private readonly more = new Map<number, number[]>();
  /** Per frame: 2 × the epoch of the last move that named it (+ 1 once counted again; see apply). */
  private stamp = new Int32Array(1024);
  private epoch = 0;
  /** What a move takes out and puts in, kept between moves (a million-frame step needs no new arrays). */
  private readonly removed = new Stretches();
  private readonly added = new Stretches();
  /** Per process: entries whose frame it alone maps, to add at the end of apply (zero between moves). */
  private readonly single: number[] = [];
  private rss: number[] = [];
  private byCount: number[][] = [];
  private share: number[][] = [];
  private shmem = 0;
  private shares: PVec = PVec.zeros(1);
  /** Per block of 64 frames: the epoch in which the entries mapping a frame in it last changed (see blockChangedSince). */
  private blockStamp = new Int32Array(1024);
  /** Per leaf id: the epoch in which its share count last changed. */
  private leafStamp = new Int32Array(1024);

  /** The version the counters describe now. */
  get at(): Machine | null {
    return this.machine;
  }

  /** The current epoch: every move to another version starts a new one. */
  get now(): number {
    return this.epoch;
  }

  /** Shmem frames of the current version. */
  get shmemFrames(): number {
    return this.shmem;
  }

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.rss.push(0);
      this.byCount.push([]);
      this.share.push([]);
      this.single.push(0);
    }
    return id;
  }

  /** The counters of the address space `name` owns in the current version (all zero if none). */
  counters(name: string): SpaceCounters {
    const id = this.ids.get(name);
    if (id === undefined) return { rss: 0, pagesByCount: [], shared: [] };
    return { rss: this.rss[id] ?? 0, pagesByCount: this.byCount[id] ?? [], shared: this.share[id] ?? [] };
  }

  /**
   * Whether the entries of live page tables that map a frame in block `block` (frames
   * block * 64 .. block * 64 + 63) changed in an epoch after `since`: a leaf mapping it came or
   * went, in any process. That is when a frame's leaf references (its state's part a scan
   * reads) can change; a frame that only a pipe, a pin or the page cache holds is not watched.
   */
  blockChangedSince(block: number, since: number): boolean {
    return (this.blockStamp[block] ?? 0) > since;
  }

  /** Whether the entries mapping frame `frame` changed in an epoch after `since` (see blockChangedSince). */
  frameChangedSince(frame: number, since: number): boolean {
    return ((this.stamp[frame] ?? 0) >> 1) > since;
  }

  /** Whether the share count of leaf `id` changed in an epoch after `since`. */
  leafChangedSince(id: number, since: number): boolean {
    return (this.leafStamp[id] ?? 0) > since;
  }

  /** Moves the counters to version `to`. */
  moveTo(to: Machine): void {
    if (this.machine === to) return;
    this.epoch += 1;
    const next = tablesOf(to, this);
    const removed = this.removed;
    const added = this.added;
    removed.clear();
    added.clear();
    for (const [key, b] of next) {
      const a = this.tables.get(key);
      if (a && a.table === b.table && a.pages === b.pages && a.proc === b.proc) continue;
      if (a && a.proc === b.proc && a.pages === b.pages) diffTables(a, b, removed, added);
      else {
        if (a) collect(a, removed);
        collect(b, added);
      }
    }
    for (const [key, a] of this.tables) if (!next.has(key)) collect(a, removed);
    this.ensure(Math.max(removed.max, added.max));
    this.apply(removed, added);
    this.shmem = shmemFrames(to);
    this.moveShares(to.data.shares);
    this.tables = next;
    this.machine = to;
  }

  /**
   * Takes the stretches in `removed` out of the frames' lists and puts those in `added` in. Every
   * frame either names first gives up what it gave its mappers (once, however often it is
   * named), the lists change, then it gives again. A frame with one mapper (most of them) is
   * counted in `single` and given in one addition per process at the end.
   */
  private apply(removed: Stretches, added: Stretches): void {
    // Stamps of this move: touched (what it gave was taken away) and given again.
    const touched = 2 * this.epoch;
    const given = touched + 1;
    const { stamp, occ0, occ1, blockStamp } = this;
    const single = this.single;
    for (const list of [removed, added]) {
      const d = list.data;
      for (let i = 0; i < list.length; i += 3) {
        const end = (d[i] as number) + (d[i + 1] as number);
        blockStamp.fill(this.epoch, (d[i] as number) >>> 6, ((end - 1) >>> 6) + 1);
        for (let frame = d[i] as number; frame < end; frame++) {
          if ((stamp[frame] as number) >= touched) continue;
          stamp[frame] = touched;
          const a = occ0[frame] as number;
          if (a === 0) continue;
          if (occ1[frame] === 0) single[a - 1] = (single[a - 1] as number) - 1;
          else this.count(frame, -1);
        }
      }
    }
    const rd = removed.data;
    for (let i = 0; i < removed.length; i += 3) {
      const end = (rd[i] as number) + (rd[i + 1] as number);
      const p = rd[i + 2] as number;
      for (let frame = rd[i] as number; frame < end; frame++) {
        if (occ1[frame] === 0 && occ0[frame] === p + 1) occ0[frame] = 0;
        else this.unlist(frame, p);
      }
    }
    const ad = added.data;
    for (let i = 0; i < added.length; i += 3) {
      const end = (ad[i] as number) + (ad[i + 1] as number);
      const p = ad[i + 2] as number;
      for (let frame = ad[i] as number; frame < end; frame++) {
        if (occ0[frame] === 0) occ0[frame] = p + 1;
        else this.list(frame, p);
      }
    }
    for (const list of [removed, added]) {
      const d = list.data;
      for (let i = 0; i < list.length; i += 3) {
        const end = (d[i] as number) + (d[i + 1] as number);
        for (let frame = d[i] as number; frame < end; frame++) {
          if (stamp[frame] !== touched) continue;
          stamp[frame] = given;
          const a = occ0[frame] as number;
          if (a === 0) continue;
          if (occ1[frame] === 0) single[a - 1] = (single[a - 1] as number) + 1;
          else this.count(frame, 1);
        }
      }
    }
    for (let p = 0; p < single.length; p++) {
      const n = single[p] as number;
      if (n === 0) continue;
      this.give(p, 1, n);
      single[p] = 0;
    }
  }

  /** Adds (sign 1) or takes away (-1) what frame `frame` gives each process that maps it. */
  private count(frame: number, sign: 1 | -1): void {
    const a = this.occ0[frame] as number;
    if (a === 0) return;
    const b = this.occ1[frame] as number;
    if (b === 0) {
      this.give(a - 1, 1, sign);
      return;
    }
    const extra = this.more.get(frame);
    if (extra === undefined) {
      this.give(a - 1, 2, sign);
      this.give(b - 1, 2, sign);
      if (a !== b) {
        this.shareAdd(a - 1, b - 1, sign);
        this.shareAdd(b - 1, a - 1, sign);
      }
      return;
    }
    const all = [a - 1, b - 1, ...extra];
    const distinct = [...new Set(all)];
    for (const p of all) {
      this.give(p, all.length, sign);
      for (const q of distinct) if (q !== p) this.shareAdd(p, q, sign);
    }
  }

  /** Adds `n` entries (negative: takes them away) of process `p` whose frames `k` entries map. */
  private give(p: number, k: number, n: number): void {
    this.rss[p] = (this.rss[p] as number) + n;
    const row = this.byCount[p] as number[];
    while (row.length <= k) row.push(0);
    row[k] = (row[k] as number) + n;
  }

  private shareAdd(p: number, q: number, sign: number): void {
    const row = this.share[p] as number[];
    while (row.length <= q) row.push(0);
    row[q] = (row[q] as number) + sign;
  }

  private list(frame: number, p: number): void {
    if (this.occ0[frame] === 0) this.occ0[frame] = p + 1;
    else if (this.occ1[frame] === 0) this.occ1[frame] = p + 1;
    else {
      const extra = this.more.get(frame);
      if (extra) extra.push(p);
      else this.more.set(frame, [p]);
    }
  }

  private unlist(frame: number, p: number): void {
    const extra = this.more.get(frame);
    if (extra) {
      const i = extra.indexOf(p);
      if (i >= 0) {
        extra.splice(i, 1);
        if (extra.length === 0) this.more.delete(frame);
        return;
      }
    }
    if (this.occ1[frame] === p + 1) this.occ1[frame] = this.pullMore(frame);
    else if (this.occ0[frame] === p + 1) {
      this.occ0[frame] = this.occ1[frame] as number;
      this.occ1[frame] = this.pullMore(frame);
    } else throw new Error(`memory index: frame ${frame} was not listed for process ${this.names[p] ?? p}`);
  }

  /** Takes one id off `more` for a typed-array slot (id + 1), or 0. */
  private pullMore(frame: number): number {
    const extra = this.more.get(frame);
    if (!extra) return 0;
    const p = extra.pop() as number;
    if (extra.length === 0) this.more.delete(frame);
    return p + 1;
  }

  private ensure(frame: number): void {
    if (frame < this.stamp.length) return;
    this.stamp = grown(this.stamp, frame);
    this.occ0 = grown(this.occ0, frame);
    this.occ1 = grown(this.occ1, frame);
    this.blockStamp = grown(this.blockStamp, frame >>> 6);
  }

  /** Follows the share counts: when each leaf's last changed. */
  private moveShares(shares: PVec): void {
    if (shares === this.shares) return;
    const old = this.shares.size === shares.size ? this.shares : PVec.zeros(shares.size);
    shares.forEachDifference(old, (id) => {
      this.leafStamp = grown(this.leafStamp, id);
      this.leafStamp[id] = this.epoch;
    });
    this.shares = shares;
  }
}

/** The page tables of every live process that has its own (a vfork child borrows its parent's). */
function tablesOf(m: Machine, index: MemoryIndex): Map<string, TableRef> {
  const out = new Map<string, TableRef>();
  for (const p of m.data.processes.list) {
    if (p.status === 'exited' || p.borrowsFrom !== null) continue;
    const proc = index.idOf(p.name);
    for (const r of p.regions) out.set(`${p.name}\u0000${r.name}`, { proc, table: r.table, pages: r.pages });
  }
  return out;
}

/** Frames the page cache holds (shmem pages): every page of every shmem object holds one frame of its own. */
function shmemFrames(m: Machine): number {
  let n = 0;
  for (const shm of m.data.shm.values()) n += shm.pages.nonZero;
  return n;
}

/** One index per machine lineage, keyed by the value table every version of a lineage shares. */
const indexes = new WeakMap<object, MemoryIndex>();

/** The index of `m`'s lineage, moved to `m`. */
export function indexAt(m: Machine): MemoryIndex {
  const lineage = m.data.values;
  let index = indexes.get(lineage) ?? new MemoryIndex();
  try {
    index.moveTo(m);
  } catch {
    // Never expected: start this lineage's index again from nothing rather than keep a broken one.
    index = new MemoryIndex();
    index.moveTo(m);
  }
  indexes.set(lineage, index);
  return index;
}
