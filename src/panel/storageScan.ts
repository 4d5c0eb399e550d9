// Storage versions read into runs for the panel: a file's logical blocks, or the allocated
// physical blocks, as maximal runs of blocks that read alike. Reading a 1 GiB file (262,144
// blocks) whole costs tens of milliseconds, so a file is read whole once and afterwards only
// where it changed: the storage model's tables are persistent vectors, and two versions share
// every subtree a step did not touch (PVec.forEachDifference skips those), so the difference
// between two versions costs what the steps between them changed. Pure: no `vscode`.
import type { PVec } from '../engine/pvec';
import type { Storage } from '../storage';
import type { StorageData } from '../storage/state';

/** Block `first + k` reads physical block `block + k * step`; every other field is the same. */
export interface BlockRun {
  readonly first: number;
  readonly last: number;
  readonly block: number;
  readonly step: 0 | 1;
  readonly refs: number;
  /** Interned value id (StorageData.values). */
  readonly value: number;
  readonly extent: number;
  /** File system id; 0: the block is free. */
  readonly fs: number;
}

export interface Interval {
  readonly first: number;
  readonly last: number;
}

/** Differences beyond this many entries are not tracked: the table is read (or marked) whole. */
export const DIFF_LIMIT = 65_536;

interface OpenRun {
  first: number;
  last: number;
  block: number;
  step: 0 | 1;
  refs: number;
  value: number;
  extent: number;
  fs: number;
}

/** Builds maximal runs; the open run is mutated in place (a 1 GiB file is 262,144 cells, not 262,144 objects). */
class RunBuilder {
  readonly done: BlockRun[] = [];
  private open: OpenRun | null = null;

  constructor(private readonly data: StorageData) {}

  /** Index `i` reads physical block `block`. */
  cell(i: number, block: number): void {
    const d = this.data;
    this.extend(i, i, block, 0, d.refs.get(block), d.value.get(block), d.extentOf.get(block), d.owner.get(block));
  }

  /** Appends a run, merging it into the open one when they continue each other. */
  add(run: BlockRun): void {
    this.extend(run.first, run.last, run.block, run.step, run.refs, run.value, run.extent, run.fs);
  }

  private extend(first: number, last: number, block: number, step: 0 | 1, refs: number, value: number, extent: number, fs: number): void {
    const o = this.open;
    if (o && o.last === first - 1 && o.refs === refs && o.value === value && o.extent === extent && o.fs === fs && (o.first === o.last || o.step === 1)
      && block === o.block + (first - o.first) && (first === last || step === 1)) {
      o.last = last;
      o.step = 1;
      return;
    }
    if (o) this.done.push({ ...o });
    this.open = { first, last, block, step, refs, value, extent, fs };
  }

  get runs(): BlockRun[] {
    if (this.open) this.done.push({ ...this.open });
    this.open = null;
    return this.done;
  }
}

type Source = (from: number, to: number, fn: (index: number, block: number) => void) => void;

function fileSource(map: PVec): Source {
  return (from, to, fn) => map.forEachNonZero(fn, from, to);
}

function blockSource(data: StorageData): Source {
  return (from, to, fn) => data.owner.forEachNonZero((b) => fn(b, b), from, to);
}

function scan(data: StorageData, source: Source, from: number, to: number, into = new RunBuilder(data)): RunBuilder {
  if (from <= to) source(from, to, (i, block) => into.cell(i, block));
  return into;
}

/** Runs `old` kept outside `dirty` (sorted, disjoint), re-read inside it. */
function patch(data: StorageData, source: Source, old: readonly BlockRun[], dirty: readonly Interval[], end: number): BlockRun[] {
  const b = new RunBuilder(data);
  let r = 0;
  const keep = (lo: number, hi: number) => {
    while (r < old.length && (old[r] as BlockRun).last < lo) r++;
    for (let k = r; k < old.length && (old[k] as BlockRun).first <= hi; k++) {
      const run = old[k] as BlockRun;
      const first = Math.max(run.first, lo);
      const last = Math.min(run.last, hi);
      b.add({ ...run, first, last, block: run.block + (first - run.first) * run.step, step: first === last ? 0 : run.step });
    }
  };
  let pos = 0;
  for (const iv of dirty) {
    if (iv.first > pos) keep(pos, Math.min(iv.first - 1, end));
    scan(data, source, Math.max(iv.first, pos), Math.min(iv.last, end), b);
    pos = iv.last + 1;
  }
  if (pos <= end) keep(pos, end);
  return b.runs;
}

/** Indexes where two vectors differ, ascending; null past `limit`. */
export function differences(a: PVec, b: PVec, limit = DIFF_LIMIT): number[] | null {
  const out: number[] = [];
  if (a === b) return out;
  let over = false;
  a.forEachDifference(b, (i) => {
    if (out.length >= limit) {
      over = true;
      return false;
    }
    out.push(i);
    return true;
  });
  return over ? null : out;
}

/** Physical blocks whose owner, reference count, value or extent differ between two versions, sorted; null: too many. */
export function changedBlocks(a: StorageData, b: StorageData): number[] | null {
  if (a === b) return [];
  const set = new Set<number>();
  for (const key of ['owner', 'refs', 'value', 'extentOf'] as const) {
    const d = differences(a[key], b[key]);
    if (d === null) return null;
    for (const i of d) set.add(i);
    if (set.size > DIFF_LIMIT) return null;
  }
  return [...set].sort((x, y) => x - y);
}

/** Sorted indexes as intervals. */
export function toIntervals(sorted: readonly number[]): Interval[] {
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && last.last >= i - 1) out[out.length - 1] = { first: last.first, last: Math.max(last.last, i) };
    else out.push({ first: i, last: i });
  }
  return out;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The indexes of a file's runs whose physical block is in `blocks` (sorted). */
export function indexesOfBlocks(runs: readonly BlockRun[], blocks: readonly number[]): number[] {
  const out: number[] = [];
  if (blocks.length === 0) return out;
  for (const run of runs) {
    const hi = run.block + (run.last - run.first) * run.step;
    for (let k = lowerBound(blocks, run.block); k < blocks.length && (blocks[k] as number) <= hi; k++) out.push(run.first + ((blocks[k] as number) - run.block));
  }
  return out.sort((x, y) => x - y);
}

/** Unions of sorted index lists as intervals. */
function merged(...lists: (readonly number[])[]): Interval[] {
  return toIntervals([...new Set(lists.flat())].sort((x, y) => x - y));
}

interface FileScan {
  readonly data: StorageData;
  readonly map: PVec;
  readonly size: number;
  readonly runs: BlockRun[];
}

/**
 * Remembers the last reading of each file (by space and name) and of the physical blocks, and
 * brings it to any other version by reading only what differs. One per panel run.
 */
export class StorageScans {
  private readonly files = new Map<string, FileScan>();
  private blocks: { data: StorageData; runs: BlockRun[] } | null = null;
  private readonly changes = new Map<string, number[] | null>();
  /** Files read whole and files patched, since this was made (tests and the benchmark read them). */
  readonly counts = { fullFileScans: 0, patchedFileScans: 0, fullBlockScans: 0, patchedBlockScans: 0 };

  /** The runs of `file` in `space` at `storage` (undefined: no such file there). */
  fileRuns(storage: Storage, space: string, file: string): BlockRun[] | undefined {
    const resolved = storage.resolve(space, file);
    if (!resolved) return undefined;
    const { data } = storage;
    const map = resolved.file.map;
    const size = resolved.file.size;
    const key = `${space}\u0000${file}`;
    const cached = this.files.get(key);
    if (cached && cached.data === data && cached.map === map) return cached.runs;
    let runs: BlockRun[] | null = null;
    if (cached && cached.size === size) {
      const remapped = differences(cached.map, map);
      const blocks = this.blocksChanged(cached.data, data);
      if (remapped !== null && blocks !== null) {
        const dirty = merged(remapped, indexesOfBlocks(cached.runs, blocks));
        runs = patch(data, fileSource(map), cached.runs, dirty, size - 1);
        this.counts.patchedFileScans++;
      }
    }
    if (runs === null) {
      runs = scan(data, fileSource(map), 0, size - 1).runs;
      this.counts.fullFileScans++;
    }
    this.files.set(key, { data, map, size, runs });
    return runs;
  }

  /** The runs of allocated (and, in `dirty`, just freed) physical blocks at `storage`. */
  blockRuns(storage: Storage): BlockRun[] {
    const { data } = storage;
    const cached = this.blocks;
    if (cached && cached.data === data) return cached.runs;
    let runs: BlockRun[] | null = null;
    const end = data.nextBlock - 1;
    if (cached) {
      const blocks = this.blocksChanged(cached.data, data);
      if (blocks !== null) {
        const grown = cached.data.nextBlock <= end ? [{ first: cached.data.nextBlock, last: end }] : [];
        runs = patch(data, blockSource(data), cached.runs, mergeIntervals(toIntervals(blocks), grown), end);
        this.counts.patchedBlockScans++;
      }
    }
    if (runs === null) {
      runs = scan(data, blockSource(data), 1, end).runs;
      this.counts.fullBlockScans++;
    }
    this.blocks = { data, runs };
    return runs;
  }

  /** Blocks that differ between two versions (remembered for the few pairs a step asks about). */
  blocksChanged(a: StorageData, b: StorageData): number[] | null {
    if (a === b) return [];
    const key = `${versionId(a)}:${versionId(b)}`;
    if (this.changes.has(key)) return this.changes.get(key) ?? null;
    const blocks = changedBlocks(a, b);
    this.changes.set(key, blocks);
    if (this.changes.size > 32) this.changes.delete(this.changes.keys().next().value as string);
    return blocks;
  }

  /**
   * What a step changed in a file: logical blocks remapped, and blocks whose physical block's
   * count, value or extent changed. `all` when the file is new, resized, or the change too large to list.
   */
  changedInFile(before: Storage, after: Storage, space: string, file: string, runs: readonly BlockRun[]): Interval[] | 'all' {
    const was = before.resolve(space, file);
    const now = after.resolve(space, file);
    if (!was || !now || was.file.size !== now.file.size) return 'all';
    const remapped = differences(was.file.map, now.file.map);
    const blocks = this.blocksChanged(before.data, after.data);
    if (remapped === null || blocks === null) return 'all';
    return merged(remapped, indexesOfBlocks(runs, blocks));
  }
}

function mergeIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const out: Interval[] = [];
  for (const iv of all) {
    const last = out[out.length - 1];
    if (last && last.last >= iv.first - 1) out[out.length - 1] = { first: last.first, last: Math.max(last.last, iv.last) };
    else out.push(iv);
  }
  return out;
}

const ids = new WeakMap<StorageData, number>();
let nextId = 1;
function versionId(d: StorageData): number {
  let id = ids.get(d);
  if (id === undefined) {
    id = nextId++;
    ids.set(d, id);
  }
  return id;
}
