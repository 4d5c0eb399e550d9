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
// One index per machine lineage (every version made from one createMachine shares its value
// table): the panel steps the primary and the comparison machine alternately, each its own line.

import type { Machine } from './machine';
import { PVec } from './pvec';
import { LEAF_SIZE, type PageTable, type PteLeaf } from './ptable';

/** The figures of one address space, as counters over the frames its entries map. */
export interface SpaceCounters {
  /** Entries mapping a real frame. */
  readonly rss: number;
  /** pagesByCount[k]: entries whose frame k entries map (k >= 1). */
  readonly pagesByCount: readonly number[];
  /** shared[j]: entries whose frame process id j also maps. */
  readonly shared: readonly number[];
}

interface TableRef {
  readonly proc: number;
  readonly table: PageTable;
  readonly pages: number;
}

const CHUNK_LEAVES = 64;
const PAGES_PER_CHUNK = LEAF_SIZE * CHUNK_LEAVES;

/** Entries of `leaf` that map a real frame, on pages below `limit` (relative to the leaf). */
function forEachFrame(leaf: PteLeaf, limit: number, fn: (frame: number) => void): void {
  if (leaf.frames === 0) return;
  const entries = leaf.entries;
  const end = Math.min(LEAF_SIZE, limit);
  for (let j = 0; j < end; j++) {
    const e = entries[j] as number;
    if (e > 1) fn(e - 1);
  }
}

/** (frame, process id) pairs, in a growing typed array (millions of them when a step writes a whole region). */
class Pairs {
  private data = new Int32Array(256);
  length = 0;

  push(frame: number, proc: number): void {
    if (this.length + 2 > this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data[this.length] = frame;
    this.data[this.length + 1] = proc;
    this.length += 2;
  }

  frame(i: number): number {
    return this.data[i] as number;
  }

  proc(i: number): number {
    return this.data[i + 1] as number;
  }
}

function grown(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need < a.length) return a;
  const b = new Int32Array(Math.max(need + 1, a.length * 2));
  b.set(a);
  return b;
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
  private stamp = new Int32Array(1024);
  private epoch = 0;
  private rss: number[] = [];
  private byCount: number[][] = [];
  private share: number[][] = [];
  private shmem = 0;
  private state: PVec = PVec.zeros(1);
  private shares: PVec = PVec.zeros(1);
  /** Per block of 64 frames: the epoch in which a frame's allocation state last changed in it (see changedSince). */
  private blockStamp = new Int32Array(1024);
  /** Per frame: the epoch in which its allocation state last changed. */
  private frameStamp = new Int32Array(1024);
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
   * Whether the allocation state (leaf references, shmem, held) of a frame in block `block`
   * (frames block * 64 .. block * 64 + 63) changed in an epoch after `since`.
   */
  blockChangedSince(block: number, since: number): boolean {
    return (this.blockStamp[block] ?? 0) > since;
  }

  /** Whether frame `frame`'s allocation state changed in an epoch after `since`. */
  frameChangedSince(frame: number, since: number): boolean {
    return (this.frameStamp[frame] ?? 0) > since;
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
    const removed = new Pairs();
    const added = new Pairs();
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
    this.apply(removed, added);
    this.moveState(to.data.frames.state);
    this.moveShares(to.data.shares);
    this.tables = next;
    this.machine = to;
  }

  /** Takes the (frame, process) pairs in `removed` out of the lists and puts those in `added` in. */
  private apply(removed: Pairs, added: Pairs): void {
    const affected = new Pairs();
    const touch = (list: Pairs) => {
      for (let i = 0; i < list.length; i += 2) {
        const frame = list.frame(i);
        this.ensure(frame);
        if (this.stamp[frame] === this.epoch) continue;
        this.stamp[frame] = this.epoch;
        affected.push(frame, 0);
        this.count(frame, -1);
      }
    };
    touch(removed);
    touch(added);
    for (let i = 0; i < removed.length; i += 2) this.unlist(removed.frame(i), removed.proc(i));
    for (let i = 0; i < added.length; i += 2) this.list(added.frame(i), added.proc(i));
    for (let i = 0; i < affected.length; i += 2) this.count(affected.frame(i), 1);
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

  private give(p: number, k: number, sign: number): void {
    this.rss[p] = (this.rss[p] as number) + sign;
    const row = this.byCount[p] as number[];
    while (row.length <= k) row.push(0);
    row[k] = (row[k] as number) + sign;
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
    this.frameStamp = grown(this.frameStamp, frame);
  }

  /** Follows the frame table: shmem frames, and when each frame's state last changed. */
  private moveState(state: PVec): void {
    if (state === this.state) return;
    const old = this.state.size === state.size ? this.state : PVec.zeros(state.size);
    state.forEachDifference(old, (frame, mine, theirs) => {
      this.shmem += (mine & 1) - (theirs & 1);
      this.ensure(frame);
      this.blockStamp[frame >>> 6] = this.epoch;
      this.frameStamp[frame] = this.epoch;
    });
    this.state = state;
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

/** Every (frame, process) pair of a table, into `out`. */
function collect(t: TableRef, out: Pairs): void {
  t.table.forEachLeaf((leaf, first) => forEachFrame(leaf, t.pages - first, (frame) => out.push(frame, t.proc)));
}

/** The pairs of leaves that differ between two versions of one table (same process, same size). */
function diffTables(a: TableRef, b: TableRef, removed: Pairs, added: Pairs): void {
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
      if (la) forEachFrame(la, a.pages - first, (frame) => removed.push(frame, a.proc));
      if (lb) forEachFrame(lb, b.pages - first, (frame) => added.push(frame, b.proc));
    }
  }
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
