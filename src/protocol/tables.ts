// The machine as the panel draws it: page-table rows, frames, regions, processes, pipes and the
// counters, as they cross from the extension host to the webview. Types only (see messages.ts).

import type { Stats } from '../engine/types';

/** Which machine a table belongs to: the scenario's own policy, or the other one for comparison. */
export type MachineKey = 'primary' | 'comparison';

export type PolicyName = 'cow' | 'eager';

/** A frame number, 'zero' for the shared zero page, null when the entry maps nothing. */
export type FrameRef = number | 'zero' | null;

/**
 * One row of a page table: a single entry, or a run of entries that read the same. In a run,
 * page `first + k` maps frame `frame + k * frameStep` (frameStep 0: every page maps `frame`).
 */
export interface PteRow {
  readonly first: number;
  readonly last: number;
  readonly frame: FrameRef;
  readonly frameStep: -1 | 0 | 1;
  readonly present: boolean;
  readonly writable: boolean;
  readonly cow: boolean;
  readonly shared: boolean;
  /** Mapped by exactly this entry (pagemap's PM_MMAP_EXCLUSIVE). */
  readonly exclusive: boolean;
  /**
   * The page carries the kernel's exclusive mark (PageAnonExclusive, Linux 5.19 on): a write
   * reuses it without counting references. Absent: not marked.
   */
  readonly anonExclusive?: boolean;
  /** A MADV_DONTFORK hole: no mapping, an access is SIGSEGV. */
  readonly hole: boolean;
  /**
   * One PMD entry maps these pages (a 2 MiB transparent huge page, or the huge zero page): such a
   * row is never longer than the 512 pages of one PMD entry. Absent: mapped by page-table entries.
   */
  readonly pmd?: boolean;
  /** This step changed these entries. */
  readonly changed: boolean;
}

/** Rows `start .. start + rows.length - 1` of a region's row list. */
export interface RowWindow {
  readonly start: number;
  readonly rows: readonly PteRow[];
}

/** How a frame took part in this step ('written': its value changed through a writable entry, no fault). */
export type FrameChange = 'allocated' | 'copied' | 'reused' | 'freed' | 'written';

export interface FrameInfo {
  readonly frame: number;
  readonly mapCount: number;
  /** References: one per mapping entry, per page a pipe holds, per long-term pin. Absent: equal to mapCount. */
  readonly refCount?: number;
  /** Pipes holding the frame (vmsplice), one name per page they hold. Absent: none. */
  readonly pipes?: readonly string[];
  /** Long-term pins on the frame (io_uring fixed buffers). Absent: none. */
  readonly pins?: number;
  readonly value: string;
  readonly shmem: boolean;
  /** Processes whose page tables map it. */
  readonly owners: readonly string[];
  readonly change: FrameChange | null;
  /** For a copy made this step: the frame it was copied from. */
  readonly copiedFrom: number | null;
}

/** Frames a collapsed run of entries maps: `first`, `first + step`, … `last`. */
export interface FrameSpan {
  readonly first: number;
  readonly last: number;
  readonly step: -1 | 1;
  readonly count: number;
  readonly owners: readonly string[];
  /** The run of entries mapping them changed this step (e.g. a write faulted them all in). */
  readonly changed: boolean;
}

export interface RegionTable {
  readonly process: string;
  readonly region: string;
  readonly pages: number;
  readonly kind: 'private' | 'shared';
  /** Rows after collapsing runs; the webview shows them in a virtual list. */
  readonly rowCount: number;
  readonly window: RowWindow;
  /** First row this step changed, to bring into view; null when nothing changed. */
  readonly firstChangedRow: number | null;
  /** Pages the learner asked to see one row each (expanded runs, pages gone to), in page order. */
  readonly expanded?: readonly PageSpan[];
}

/** Pages `first..last` inclusive. */
export interface PageSpan {
  readonly first: number;
  readonly last: number;
}

export interface ProcessPanel {
  readonly name: string;
  readonly pid: number;
  readonly status: 'running' | 'suspended' | 'exited';
  readonly parent: string | null;
  /** A vfork child borrows this process's address space (no tables of its own). */
  readonly borrowsFrom: string | null;
  /** Owner colour: index into the panel's palette, stable for a process within a run. */
  readonly colour: number;
  /** Created by this step. */
  readonly isNew: boolean;
  readonly regions: readonly RegionTable[];
}

export interface MachinePanel {
  readonly key: MachineKey;
  readonly policy: PolicyName;
  readonly processes: readonly ProcessPanel[];
  /** Frames the sent rows map, frames this step touched (freed ones too), sorted by number. */
  readonly frames: readonly FrameInfo[];
  /** Frames mapped by collapsed runs, one box per run (their frames are not repeated in `frames`). */
  readonly spans: readonly FrameSpan[];
  /** Some entry in the sent rows maps the zero page. */
  readonly zeroPageMapped: boolean;
  /** Frames in use in the whole machine (zero page excluded). */
  readonly framesInUse: number;
  /** `frames` and `spans` show every frame in use (small machines); otherwise only those the rows map. */
  readonly framesComplete: boolean;
  /** Processes that exited by this step (their tables are gone). */
  readonly exited: readonly string[];
  /** Pipes made so far (vmsplice), with what each page they hold reads now. Absent: none. */
  readonly pipes?: readonly PipePanel[];
}

/** A pipe and the pages it holds: references to frames, read when the pipe is read. */
export interface PipePanel {
  readonly name: string;
  readonly pages: readonly { readonly frame: number; readonly value: string }[];
}

/**
 * A machine's counters after a step, as they cross to the webview: the engine's counters named one
 * by one (their meanings are the engine's, documented on `Stats`). Declared by picking names, not
 * by copying the field list, so the two cannot drift apart: a counter the engine renames or drops
 * fails to compile here, and one it adds does not cross until it is named here. The host copies
 * them field by field (src/panel/stepModel.ts statsView) and prices `timeNs` with the cost model
 * the learner chose; `oomKills` and `failedForks` do not cross (the panel reads them as events).
 */
export type StatsView = Readonly<Pick<Stats, 'frames' | 'copies' | 'bytesCopied' | 'faults' | 'reuses' | 'zeroMaps' | 'ptesCopied' | 'peakFrames' | 'zeroFills' | 'bulkCopies' | 'forks' | 'tablePages' | 'ptesZapped' | 'timeNs'>>;
