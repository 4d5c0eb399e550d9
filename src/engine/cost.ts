// The trade-off in time: an estimated cost for every step, from a few per-operation costs.
//
// The engine counts operations (Stats); time is a weighted sum of those counts, so any model —
// the defaults below, or one measured on the learner's machine by `cow-lab measure` — prices
// any machine version without replaying it. Each cost has a source: a figure of the measurement
// it was derived from (see modelFromMeasurement, where each derivation is written out).

import { thousands } from './numbers';
import { Operation, PAGE_SIZE, Policy, Stats } from './types';

/** Nanoseconds per operation. */
export interface CostModel {
  /** A page fault's trap and handling, page allocation excluded: trap, find_vma, handle_mm_fault. */
  readonly trapNs: number;
  /** Allocating and clearing one 4 KiB page (do_anonymous_page, shmem_fault, a zero-page write). */
  readonly zeroPageNs: number;
  /** Allocating a page and copying 4 KiB into it inside a write fault (wp_page_copy). */
  readonly copyPageNs: number;
  /** fork() itself: copy_process with an almost empty address space. */
  readonly forkNs: number;
  /** One page-table entry copied at fork (copy_present_ptes), per entry. */
  readonly pteCopyNs: number;
  /** One page-table page allocated at fork (pte_alloc: a zeroed page), per 512 entries. */
  readonly tablePageNs: number;
  /** Unmapping one present entry at munmap, exec or exit (zap_pte_range, freeing the page). */
  readonly unmapNs: number;
  /** The full copy's price per page: allocate and fill one page at fork, in bulk, no trap. */
  readonly bulkCopyPageNs: number;
}

/** Where a model came from, for the learner: "measured on this machine …" or the defaults. */
export interface SourcedModel {
  readonly model: CostModel;
  readonly source: string;
}

/** What `cow-lab measure --json` prints (and MeasureReport's two extra figures, when present). */
export interface MeasuredFigures {
  readonly mib: number;
  readonly pageSize: number;
  readonly forkMs: number;
  readonly cowFaultUs: number;
  readonly anonFaultUs: number;
  readonly copyGBs: number;
  readonly fullCopyMs: number;
  readonly forkBaseMs?: number;
  readonly unmapUs?: number;
}

/** Entries one page-table page holds (x86-64: 512 eight-byte entries in 4 KiB). */
export const PTES_PER_TABLE_PAGE = 512;

/**
 * A model from measured figures. Each cost is derived so that the model, run over the
 * benchmark's own workload, gives back the benchmark's figures:
 * - bulkCopyPageNs = fullCopyMs / pages (MAP_POPULATE + memcpy, per page: what eager pays)
 * - copy of 4 KiB alone = pageSize / copyGBs (memcpy into present memory)
 * - zeroPageNs = bulkCopyPageNs − the copy alone (allocating and clearing a page, no trap)
 * - trapNs = anonFaultUs − zeroPageNs (a first-touch fault minus its page)
 * - copyPageNs = cowFaultUs − trapNs (a copy-on-write fault minus its trap)
 * - forkNs = forkBaseMs (default 2% of forkMs when not measured)
 * - tablePageNs = zeroPageNs (a page-table page is a zeroed page)
 * - pteCopyNs = (forkMs − forkNs − table pages × tablePageNs) / pages
 * - unmapNs = unmapUs (default: a quarter of zeroPageNs when not measured)
 */
export function modelFromMeasurement(m: MeasuredFigures): CostModel {
  const pages = Math.max(1, (m.mib * 1024 * 1024) / m.pageSize);
  const bulkCopyPageNs = (m.fullCopyMs * 1e6) / pages;
  const copyAloneNs = m.pageSize / m.copyGBs; // bytes / (bytes per ns)
  const zeroPageNs = Math.max(0, bulkCopyPageNs - copyAloneNs);
  const trapNs = Math.max(0, m.anonFaultUs * 1e3 - zeroPageNs);
  const copyPageNs = Math.max(copyAloneNs, m.cowFaultUs * 1e3 - trapNs);
  const forkNs = m.forkBaseMs !== undefined ? m.forkBaseMs * 1e6 : m.forkMs * 1e6 * 0.02;
  const tablePageNs = zeroPageNs;
  const tables = Math.ceil(pages / PTES_PER_TABLE_PAGE);
  const pteCopyNs = Math.max(0, (m.forkMs * 1e6 - forkNs - tables * tablePageNs) / pages);
  const unmapNs = m.unmapUs !== undefined ? m.unmapUs * 1e3 : zeroPageNs / 4;
  return { trapNs, zeroPageNs, copyPageNs, forkNs, pteCopyNs, tablePageNs, unmapNs, bulkCopyPageNs };
}

/**
 * The figures behind the defaults: `cow-lab measure --mib 64` (median of 5 samples, CPU 1, THP
 * off) on CoW Lab's development machine, a 2-core x86-64 virtual machine on Linux 6.18, on
 * 2026-11-29 at 21:23 UTC while about 30 other jobs shared its two cores (load average 27–30).
 * The absolute times are several times what a quiet machine gives; the ratios between them put
 * the crossover at 49% written. docs/time.md lists the run.
 */
export const DEFAULT_FIGURES: MeasuredFigures = {
  mib: 64,
  pageSize: PAGE_SIZE,
  forkMs: 36.56,
  cowFaultUs: 313.3,
  anonFaultUs: 264.2,
  copyGBs: 2.024,
  fullCopyMs: 2269,
  forkBaseMs: 7.35,
  unmapUs: 12.79,
};

export const DEFAULT_MODEL: SourcedModel = {
  model: modelFromMeasurement(DEFAULT_FIGURES),
  source: "CoW Lab's defaults (measured on its 2-core development machine)",
};

/** The operation counts a cost is made of: a machine's cumulative Stats, or one step's difference. */
export type CostCounts = Pick<Stats, 'faults' | 'copies' | 'zeroFills' | 'bulkCopies' | 'forks' | 'ptesCopied' | 'tablePages' | 'ptesZapped'>;

export type CostItemKind = 'trap' | 'zero-page' | 'copy-page' | 'fork' | 'pte-copy' | 'table-page' | 'unmap' | 'bulk-copy';

export interface CostItem {
  readonly kind: CostItemKind;
  readonly count: number;
  readonly unitNs: number;
  readonly ns: number;
}

/** The items of a cost, largest first; items with a zero count are left out. */
export function costItems(c: CostCounts, m: CostModel): CostItem[] {
  const faultCopies = c.copies - c.bulkCopies;
  const rows: [CostItemKind, number, number][] = [
    ['fork', c.forks, m.forkNs],
    ['pte-copy', c.ptesCopied, m.pteCopyNs],
    ['table-page', c.tablePages, m.tablePageNs],
    ['bulk-copy', c.bulkCopies, m.bulkCopyPageNs],
    ['trap', c.faults, m.trapNs],
    ['zero-page', c.zeroFills, m.zeroPageNs],
    ['copy-page', faultCopies, m.copyPageNs],
    ['unmap', c.ptesZapped, m.unmapNs],
  ];
  return rows.filter(([, count]) => count > 0).map(([kind, count, unitNs]) => ({ kind, count, unitNs, ns: count * unitNs }));
}

/** Estimated time of the counted operations, in nanoseconds (no allocation: runs at every step). */
export function timeNs(c: CostCounts, m: CostModel): number {
  return (
    c.forks * m.forkNs +
    c.ptesCopied * m.pteCopyNs +
    c.tablePages * m.tablePageNs +
    c.bulkCopies * m.bulkCopyPageNs +
    c.faults * m.trapNs +
    c.zeroFills * m.zeroPageNs +
    (c.copies - c.bulkCopies) * m.copyPageNs +
    c.ptesZapped * m.unmapNs
  );
}

/** The counts one step added: `after − before`. */
export function stepCounts(before: CostCounts, after: CostCounts): CostCounts {
  return {
    faults: after.faults - before.faults,
    copies: after.copies - before.copies,
    zeroFills: after.zeroFills - before.zeroFills,
    bulkCopies: after.bulkCopies - before.bulkCopies,
    forks: after.forks - before.forks,
    ptesCopied: after.ptesCopied - before.ptesCopied,
    tablePages: after.tablePages - before.tablePages,
    ptesZapped: after.ptesZapped - before.ptesZapped,
  };
}

/** Time split the way the lesson tells it: paid at fork, paid in faults afterwards, the rest. */
export interface TimeSplit {
  readonly totalNs: number;
  /** fork itself, its entries and tables, and (eager) its bulk copy. */
  readonly forkNs: number;
  /** Page faults: traps, zeroed pages, copies. */
  readonly faultNs: number;
  readonly faults: number;
  /** munmap, exec and exit tearing entries down. */
  readonly unmapNs: number;
}

export function timeSplit(c: CostCounts, m: CostModel): TimeSplit {
  let forkNs = 0;
  let faultNs = 0;
  let unmapNs = 0;
  for (const i of costItems(c, m)) {
    if (i.kind === 'unmap') unmapNs += i.ns;
    else if (i.kind === 'trap' || i.kind === 'zero-page' || i.kind === 'copy-page') faultNs += i.ns;
    else forkNs += i.ns;
  }
  return { totalNs: forkNs + faultNs + unmapNs, forkNs, faultNs, faults: c.faults, unmapNs };
}

/** Who pays for one step, and when, in a sentence. */
export function whoPays(op: Operation, c: CostCounts, m: CostModel, policy: Policy): string {
  const t = timeSplit(c, m);
  const who = op.process;
  if (op.op === 'fork') {
    if (policy === 'eager') return `${who} pays ${formatNs(t.totalNs)} at fork: every resident page is copied now, whether or not anyone writes it.`;
    return `${who} pays ${formatNs(t.totalNs)} at fork (${thousands(c.ptesCopied)} entries copied, no page); the pages cost nothing yet: whoever writes one later pays its fault then.`;
  }
  if (op.op === 'write' || op.op === 'read') {
    if (c.faults === 0) return `${who} pays nothing extra: no page fault.`;
    const copies = c.copies - c.bulkCopies;
    const what = copies > 0 ? `, ${thousands(copies)} of them copying a page` : '';
    return `${who} pays ${formatNs(t.totalNs)} now: ${thousands(c.faults)} page fault${c.faults === 1 ? '' : 's'}${what}.`;
  }
  if (t.totalNs === 0) return `${who} pays nothing measurable here.`;
  return `${who} pays ${formatNs(t.totalNs)}.`;
}

/** "0.13 ms", "5.24 µs" style: ms from 10 µs up, three significant figures at most. */
export function formatNs(ns: number): string {
  if (ns === 0) return '0 ms';
  if (ns < 1e3) return `${trim(ns)} ns`;
  if (ns < 1e4) return `${trim(ns / 1e3)} µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)} ms`;
  return `${trim(ns / 1e9)} s`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
