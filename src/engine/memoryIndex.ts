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
import { DEFAULT_PAGE_BITS, FrameSlots, type SlotPage } from './frameSlots';
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
  /** The processes mapping each frame (first two, id + 1; the rest in `more`) and the stamp of the last move that named it: frameSlots.ts. */
  private readonly slots: FrameSlots;
  private readonly more = new Map<number, number[]>();
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

  /** `pageBits`: frames per page of the per-frame slots, as a power of two (frameSlots.ts). */
  constructor(pageBits: number = DEFAULT_PAGE_BITS) {
    this.slots = new FrameSlots(pageBits);
  }

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
    return this.slots.stampOf(frame) >> 1 > since;
  }

  /**
   * Whether one entry of a live page table alone maps each of frames from..to, known without a
   * look at each frame (they lie in pages of slots a move named whole: frameSlots.ts). False
   * says nothing. That entry's leaf is then the only leaf mapping each frame.
   */
  mappedOnce(from: number, to: number): boolean {
    return this.slots.mappedOnce(from, to);
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
   * counted in `single` and given in one addition per process at the end. A page of frames
   * without arrays that a stretch covers whole changes as one (frameSlots.ts).
   */
  private apply(removed: Stretches, added: Stretches): void {
    // Stamps of this move (per frame: 2 × the epoch): touched (what it gave was taken away) and given again.
    const touched = 2 * this.epoch;
    const given = touched + 1;
    const { slots, single, blockStamp, epoch } = this;
    const whole = slots.size;
    for (const list of [removed, added]) {
      this.segments(list, (pg, from, to) => {
        blockStamp.fill(epoch, from >>> 6, (to >>> 6) + 1);
        if (to - from + 1 === whole && slots.arrays(pg) === null) {
          if ((slots.us[pg] as number) >= touched) return;
          slots.us[pg] = touched;
          this.countPage(pg, -whole);
          return;
        }
        const page = slots.materialize(pg);
        const { occ0, occ1, stamp } = page;
        const base = from - (from & slots.mask);
        for (let frame = from; frame <= to; frame++) {
          const i = frame - base;
          if ((stamp[i] as number) >= touched) continue;
          stamp[i] = touched;
          const a = occ0[i] as number;
          if (a === 0) continue;
          if (occ1[i] === 0) single[a - 1] = (single[a - 1] as number) - 1;
          else this.count(page, i, frame, -1);
        }
      });
    }
    this.segments(removed, (pg, from, to, p) => {
      if (to - from + 1 === whole && slots.arrays(pg) === null) {
        if (slots.u1[pg] === p + 1) {
          slots.u1[pg] = 0;
          return;
        }
        if (slots.u0[pg] === p + 1) {
          slots.u0[pg] = slots.u1[pg] as number;
          slots.u1[pg] = 0;
          return;
        }
      }
      const page = slots.materialize(pg);
      const { occ0, occ1 } = page;
      const base = from - (from & slots.mask);
      for (let frame = from; frame <= to; frame++) {
        const i = frame - base;
        if (occ1[i] === 0 && occ0[i] === p + 1) occ0[i] = 0;
        else this.unlist(page, i, frame, p);
      }
    });
    this.segments(added, (pg, from, to, p) => {
      if (to - from + 1 === whole && slots.arrays(pg) === null) {
        if (slots.u0[pg] === 0) {
          slots.u0[pg] = p + 1;
          return;
        }
        if (slots.u1[pg] === 0) {
          slots.u1[pg] = p + 1;
          return;
        }
      }
      const page = slots.materialize(pg);
      const { occ0 } = page;
      const base = from - (from & slots.mask);
      for (let frame = from; frame <= to; frame++) {
        const i = frame - base;
        if (occ0[i] === 0) occ0[i] = p + 1;
        else this.list(page, i, frame, p);
      }
    });
    for (const list of [removed, added]) {
      this.segments(list, (pg, from, to) => {
        const page = slots.arrays(pg);
        if (page === null) {
          // Taken whole in the first pass (a page named in part has arrays since then).
          if (slots.us[pg] !== touched) return;
          slots.us[pg] = given;
          this.countPage(pg, whole);
          return;
        }
        const { occ0, occ1, stamp } = page;
        const base = from - (from & slots.mask);
        for (let frame = from; frame <= to; frame++) {
          const i = frame - base;
          if (stamp[i] !== touched) continue;
          stamp[i] = given;
          const a = occ0[i] as number;
          if (a === 0) continue;
          if (occ1[i] === 0) single[a - 1] = (single[a - 1] as number) + 1;
          else this.count(page, i, frame, 1);
        }
      });
    }
    for (let p = 0; p < single.length; p++) {
      const n = single[p] as number;
      if (n === 0) continue;
      this.give(p, 1, n);
      single[p] = 0;
    }
  }

  /** Calls fn for each part of each stretch that lies in one page of slots, with the stretch's process. */
  private segments(list: Stretches, fn: (pg: number, from: number, to: number, proc: number) => void): void {
    const d = list.data;
    const bits = this.slots.bits;
    for (let k = 0; k < list.length; k += 3) {
      const last = (d[k] as number) + (d[k + 1] as number) - 1;
      const proc = d[k + 2] as number;
      for (let from = d[k] as number; from <= last; ) {
        const pg = from >>> bits;
        const to = Math.min(last, (pg + 1) * this.slots.size - 1);
        fn(pg, from, to, proc);
        from = to + 1;
      }
    }
  }

  /** Adds (n > 0) or takes away what each frame of page `pg`, which has no arrays, gives its mappers, n times. */
  private countPage(pg: number, n: number): void {
    const a = this.slots.u0[pg] as number;
    const b = this.slots.u1[pg] as number;
    if (a === 0) return;
    if (b === 0) {
      this.single[a - 1] = (this.single[a - 1] as number) + n;
      return;
    }
    this.give(a - 1, 2, n);
    this.give(b - 1, 2, n);
    if (a !== b) {
      this.shareAdd(a - 1, b - 1, n);
      this.shareAdd(b - 1, a - 1, n);
    }
  }

  /** Adds (sign 1) or takes away (-1) what frame `frame` (slot i of `page`) gives each process that maps it. */
  private count(page: SlotPage, i: number, frame: number, sign: 1 | -1): void {
    const a = page.occ0[i] as number;
    if (a === 0) return;
    const b = page.occ1[i] as number;
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

  private shareAdd(p: number, q: number, n: number): void {
    const row = this.share[p] as number[];
    while (row.length <= q) row.push(0);
    row[q] = (row[q] as number) + n;
  }

  private list(page: SlotPage, i: number, frame: number, p: number): void {
    if (page.occ0[i] === 0) page.occ0[i] = p + 1;
    else if (page.occ1[i] === 0) page.occ1[i] = p + 1;
    else {
      const extra = this.more.get(frame);
      if (extra) extra.push(p);
      else this.more.set(frame, [p]);
    }
  }

  private unlist(page: SlotPage, i: number, frame: number, p: number): void {
    const extra = this.more.get(frame);
    if (extra) {
      const j = extra.indexOf(p);
      if (j >= 0) {
        extra.splice(j, 1);
        if (extra.length === 0) this.more.delete(frame);
        return;
      }
    }
    if (page.occ1[i] === p + 1) page.occ1[i] = this.pullMore(frame);
    else if (page.occ0[i] === p + 1) {
      page.occ0[i] = page.occ1[i] as number;
      page.occ1[i] = this.pullMore(frame);
    } else throw new Error(`memory index: frame ${frame} was not listed for process ${this.names[p] ?? p}`);
  }

  /** Takes one id off `more` for a slot (id + 1), or 0. */
  private pullMore(frame: number): number {
    const extra = this.more.get(frame);
    if (!extra) return 0;
    const p = extra.pop() as number;
    if (extra.length === 0) this.more.delete(frame);
    return p + 1;
  }

  private ensure(frame: number): void {
    this.slots.ensure(frame);
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
let pageBits = DEFAULT_PAGE_BITS;

/** @internal For tests: the page size (2^bits frames) of indexes made from now on (frameSlots.ts). */
export function setIndexPageBits(bits: number): void {
  pageBits = bits;
}

/** The index of `m`'s lineage, moved to `m`. */
export function indexAt(m: Machine): MemoryIndex {
  const lineage = m.data.values;
  let index = indexes.get(lineage) ?? new MemoryIndex(pageBits);
  try {
    index.moveTo(m);
  } catch {
    // Never expected: start this lineage's index again from nothing rather than keep a broken one.
    index = new MemoryIndex(pageBits);
    index.moveTo(m);
  }
  indexes.set(lineage, index);
  return index;
}
