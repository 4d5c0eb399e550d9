// What a comparison of the engine with the kernel says: rows side by side, differences, what was
// tolerated and why (see compare.ts for the rules).

export type Mark = 'ok' | 'differs' | 'tolerated';

/** One row of a side-by-side table. */
export interface Row {
  readonly where: string;
  readonly engine: string;
  readonly kernel: string;
  readonly mark: Mark;
  readonly why?: string;
}

export interface Difference {
  readonly line: number;
  /** "checkpoint \"after fork\"", "line 12: child: write heap[1]" … */
  readonly title: string;
  readonly rows: readonly Row[];
}

export interface Tolerance {
  readonly line: number;
  readonly title: string;
  readonly why: string;
}

export interface Comparison {
  readonly differences: readonly Difference[];
  readonly tolerated: readonly Tolerance[];
  /** Statements or facts the comparison could not check, with the reason. */
  readonly notChecked: readonly string[];
  readonly checkpointsCompared: number;
  readonly pagesCompared: number;
  readonly actionsCompared: number;
  /** The kernel gave small pages where the engine has a huge page: why the run cannot be judged (see thp.ts). */
  readonly smallPages?: string;
}

export const TOLERANCE_LRU = 'kernel copied where the engine reused: the page was mapped once, but an LRU-add batch on another CPU still held a reference (wp_can_reuse_anon_folio drains only the local batch)';
export const TOLERANCE_FAULT_AROUND = 'extra present page in a shared region: shmem read faults map neighbouring pages already in the object (do_fault_around → filemap_map_pages)';

/** What judging a kernel entry needs to know about the run. */
export interface Context {
  readonly zeroPfn: number;
  readonly framesVisible: boolean;
}
