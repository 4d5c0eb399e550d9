// The immutable shape of one machine version: processes, their regions (VMAs) with page
// tables, shared-memory objects and the frame table. Every field is read-only; a step
// makes a new version that shares everything it did not touch.

import { FrameTableData, ValueTable } from './frames';
import { PageTable } from './ptable';
import { PVec } from './pvec';
import { Vma } from './vma';
import { KernelVersion } from './kernel';
import { addressSpaceOf } from './life';
import { MachineRules, OomKill, PinView, Policy, ProcessStatus, RegionKind, Stats } from './types';

// Page-table entry encoding in a region's `ptes` vector.
export const PTE_ABSENT = 0;
/** Entries >= 1 map frame `entry - 1`; entry 1 is the zero page. */
export function pteOf(frame: number): number {
  return frame + 1;
}
export function frameOf(entry: number): number {
  return entry - 1;
}

export interface RegionState {
  readonly name: string;
  readonly pages: number;
  readonly kind: RegionKind;
  /**
   * One entry per page (see pteOf), each with the generation in which it was made writable.
   * An entry is writable only while that equals the region's `gen`: fork starts a new
   * generation in parent and child, which write-protects every entry at once without
   * touching them (what copy_present_ptes does one entry at a time with ptep_set_wrprotect).
   */
  readonly table: PageTable;
  readonly gen: number;
  /** The VMAs the region is made of: madvise flags, anon_vma, holes (see vma.ts). */
  readonly vmas: readonly Vma[];
  /** For shared regions: the shmem object behind it; -1 for private ones. */
  readonly shm: number;
  /**
   * Huge regions only (null otherwise): one entry per 2 MiB slot, PMD_THP when one PMD entry maps
   * a transparent huge page there, PMD_ZERO when it maps the huge zero page, 0 when the slot is
   * mapped by a page table of HUGE_PAGES entries or not at all (see huge.ts). The pages' entries
   * are kept in `table` either way, so every reader of single entries works unchanged.
   */
  readonly pmd: PVec | null;
}

/** RegionState.pmd values. */
export const PMD_THP = 1;
export const PMD_ZERO = 2;

export interface ProcessState {
  readonly name: string;
  readonly pid: number;
  readonly status: ProcessStatus;
  readonly parent: string | null;
  /** vfork child: whose address space it borrows until it execs or exits. */
  readonly borrowsFrom: string | null;
  /** vfork parent: the child it waits for. */
  readonly waitsFor: string | null;
  readonly regions: readonly RegionState[];
}

/** A shmem object (the page cache behind a MAP_SHARED anonymous mapping). */
export interface ShmState {
  readonly id: number;
  /** One entry per page: pteOf(frame) of the page the object holds, or 0. */
  readonly pages: PVec;
  /** Regions (across processes) that map the object. */
  readonly users: number;
}

/**
 * Processes in creation order plus a name index. A step copies the list (a few pointers)
 * and copies the index only when it adds a process, so steps stay cheap however many
 * exited processes a long scenario accumulates.
 */
export class ProcessTable {
  constructor(
    readonly list: readonly ProcessState[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  static empty(): ProcessTable {
    return new ProcessTable([], new Map());
  }

  get size(): number {
    return this.list.length;
  }

  get(name: string): ProcessState | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.list[i];
  }

  /** @internal for Tx */
  slot(name: string): number | undefined {
    return this.index.get(name);
  }

  /** @internal for Tx */
  indexMap(): ReadonlyMap<string, number> {
    return this.index;
  }

  /** @internal for Tx */
  indexWith(name: string, slot: number): ReadonlyMap<string, number> {
    return new Map(this.index).set(name, slot);
  }
}

export interface MachineData {
  readonly policy: Policy;
  readonly rules: MachineRules;
  /** Which Linux release's rules apply (rules.kernel, or today's; see kernel.ts). */
  readonly kernel: KernelVersion;
  /** Pipes by name: the frames of the pages each holds, in order (0 = the zero page). Kernel objects: they outlive whoever filled them. */
  readonly pipes: ReadonlyMap<string, readonly number[]>;
  /** Long-term pins, in the order they were taken. */
  readonly pins: readonly PinView[];
  readonly processes: ProcessTable;
  readonly shm: ReadonlyMap<number, ShmState>;
  readonly frames: FrameTableData;
  /** Share count of each page-table leaf, by leaf id (see sharing.ts). */
  readonly shares: PVec;
  readonly nextLeafId: number;
  readonly values: ValueTable;
  readonly stats: Stats;
  /** Every OOM kill so far, in order. */
  readonly oomKills: readonly OomKill[];
  readonly nextPid: number;
  readonly nextGen: number;
  readonly nextShm: number;
  readonly nextAnon: number;
}

export const ZERO_STATS: Stats = {
  frames: 0,
  copies: 0,
  bytesCopied: 0,
  faults: 0,
  reuses: 0,
  zeroMaps: 0,
  ptesCopied: 0,
  peakFrames: 0,
  zeroFills: 0,
  bulkCopies: 0,
  forks: 0,
  tablePages: 0,
  ptesZapped: 0,
  timeNs: 0,
  oomKills: 0,
  failedForks: 0,
};

/** The process whose address space `p` uses: itself, or the one a vfork child borrows. */
export function addressSpaceOwner(processes: ProcessTable, p: ProcessState): ProcessState {
  return addressSpaceOf(p, (name) => processes.get(name), processes.size - 1);
}
