// A region's page table as rows for the panel: maximal runs of entries that read alike (see
// fastScan.ts for how they are read), what a step changed, and the rows a learner sees (short
// runs spelled out page by page, long ones collapsed). Pure: no `vscode`, tested under mocha.
import type { PteView } from '../engine';
import type { FrameRef, PteRow } from '../protocol/messages';

/** A maximal run: page `first + k` maps `frame + k * frameStep`; every flag is the same. */
export type EntryRun = Omit<PteRow, 'changed'>;

/** Pages `first..last` inclusive. */
export interface PageInterval {
  readonly first: number;
  readonly last: number;
}

/** Runs of identical entries (nothing mapped, the zero page, holes) collapse from this length. */
export const COLLAPSE_IDENTICAL = 4;
/**
 * Runs mapping consecutive frames collapse from this length (one last-level table's worth);
 * shorter ones show each page and its own line to its frame, which is what a learner reads.
 */
export const COLLAPSE_PROGRESSION = 64;

type Flags = Pick<PteView, 'present' | 'writable' | 'cow' | 'shared' | 'exclusive' | 'hole'> & { readonly anonExclusive?: boolean; readonly pmd?: boolean };

function sameEntry(a: Flags, b: Flags): boolean {
  return a.present === b.present && a.writable === b.writable && a.cow === b.cow && a.shared === b.shared && a.hole === b.hole && (a.anonExclusive ?? false) === (b.anonExclusive ?? false) && (a.pmd ?? false) === (b.pmd ?? false);
}

/** The frame page `page` of `run` maps. */
export function frameAt(run: EntryRun, page: number): FrameRef {
  return typeof run.frame === 'number' ? run.frame + (page - run.first) * run.frameStep : run.frame;
}

/**
 * Pages whose entries differ between two scans of one region, merged and in order.
 * `before` is null when the region did not exist before the step: every page is new.
 */
export function changedPages(before: readonly EntryRun[] | null, after: readonly EntryRun[], pages: number): PageInterval[] {
  if (pages === 0) return [];
  if (before === null || lastPage(before) !== lastPage(after)) return [{ first: 0, last: pages - 1 }];
  const out: PageInterval[] = [];
  let i = 0;
  let j = 0;
  let page = 0;
  while (i < before.length && j < after.length) {
    const a = before[i] as EntryRun;
    const b = after[j] as EntryRun;
    const end = Math.min(a.last, b.last);
    if (!sameOver(a, b, page, end)) {
      const prev = out[out.length - 1];
      if (prev && prev.last === page - 1) out[out.length - 1] = { first: prev.first, last: end };
      else out.push({ first: page, last: end });
    }
    page = end + 1;
    if (a.last === end) i += 1;
    if (b.last === end) j += 1;
  }
  return out;
}

function lastPage(runs: readonly EntryRun[]): number {
  return runs[runs.length - 1]?.last ?? -1;
}

/**
 * Whether two runs' entries are the same on pages `from..to` (both cover them). Exclusivity is
 * left out: it is the frame's map count (the page's), not a bit of the entry — when a child's
 * copy makes the parent the frame's only mapper, the parent's entry did not change.
 */
function sameOver(a: EntryRun, b: EntryRun, from: number, to: number): boolean {
  if (!sameEntry(a, b) || frameAt(a, from) !== frameAt(b, from)) return false;
  if (from === to || typeof a.frame !== 'number') return true;
  return frameAt(a, to) === frameAt(b, to);
}

/**
 * The rows a learner sees: runs split where the step's changes begin and end, long runs
 * collapsed into one row, short ones spelled out one page per row. Pages in `spelled` (runs the
 * learner expanded, a page they went to) are always spelled out, one row per page.
 */
export function toRows(runs: readonly EntryRun[], changed: readonly PageInterval[], spelled: readonly PageInterval[] = []): PteRow[] {
  const rows: PteRow[] = [];
  let c = 0;
  let e = 0;
  for (const run of runs) {
    let page = run.first;
    while (page <= run.last) {
      while (c < changed.length && (changed[c] as PageInterval).last < page) c += 1;
      while (e < spelled.length && (spelled[e] as PageInterval).last < page) e += 1;
      let end = run.last;
      const nextChange = changed[c];
      const nextSpelled = spelled[e];
      const isChanged = nextChange !== undefined && nextChange.first <= page;
      const isSpelled = nextSpelled !== undefined && nextSpelled.first <= page;
      if (nextChange) end = Math.min(end, isChanged ? nextChange.last : nextChange.first - 1);
      if (nextSpelled) end = Math.min(end, isSpelled ? nextSpelled.last : nextSpelled.first - 1);
      pushPiece(rows, run, page, end, isChanged, isSpelled);
      page = end + 1;
    }
  }
  return rows;
}

/** A piece of `run`: one row if the run is long enough to collapse (and not spelled out), else one row per page. */
function pushPiece(rows: PteRow[], run: EntryRun, first: number, last: number, changed: boolean, spelled: boolean): void {
  const length = last - first + 1;
  const runLength = run.last - run.first + 1;
  // Decided by the whole run, so the pieces either side of a change stay collapsed alike.
  const collapse = !spelled && (typeof run.frame === 'number' ? runLength >= COLLAPSE_PROGRESSION : runLength >= COLLAPSE_IDENTICAL);
  if (length === 1 || collapse) {
    rows.push(row(run, first, last, frameAt(run, first), length === 1 ? 0 : run.frameStep, changed));
    return;
  }
  for (let page = first; page <= last; page++) rows.push(row(run, page, page, frameAt(run, page), 0, changed));
}

/** Index of the row showing `page` (rows are in page order), or -1. */
export function rowOfPage(rows: readonly PteRow[], page: number): number {
  return indexOfContaining(rows, page, (r) => r.first, (r) => r.last);
}

/**
 * Index of the item whose `low..high` holds `value`, in items sorted by `low` whose ranges do not
 * overlap (binary search), or -1.
 */
export function indexOfContaining<T>(items: readonly T[], value: number, low: (item: T) => number, high: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid] as T;
    if (high(item) < value) lo = mid + 1;
    else if (low(item) > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * `intervals` with [first, last] added, sorted and merged (touching ones too). Pure: a new list.
 */
export function addInterval(intervals: readonly PageInterval[], first: number, last: number): PageInterval[] {
  const all = [...intervals, { first, last }].sort((a, b) => a.first - b.first);
  const out: PageInterval[] = [];
  for (const it of all) {
    const prev = out[out.length - 1];
    if (prev && it.first <= prev.last + 1) out[out.length - 1] = { first: prev.first, last: Math.max(prev.last, it.last) };
    else out.push(it);
  }
  return out;
}

/**
 * A row of `run`'s entries: a literal, not a spread (a region's rows are built on every step, up
 * to 4,096 of them per table), with the optional flags in the same place as ever (the message's
 * text stays the same).
 */
function row(run: EntryRun, first: number, last: number, frame: FrameRef, frameStep: -1 | 0 | 1, changed: boolean): PteRow {
  const { present, writable, cow, shared, exclusive, hole } = run;
  if (run.anonExclusive === true) {
    return run.pmd === true
      ? { first, last, frame, frameStep, present, writable, cow, shared, exclusive, hole, anonExclusive: true, pmd: true, changed }
      : { first, last, frame, frameStep, present, writable, cow, shared, exclusive, hole, anonExclusive: true, changed };
  }
  return run.pmd === true
    ? { first, last, frame, frameStep, present, writable, cow, shared, exclusive, hole, pmd: true, changed }
    : { first, last, frame, frameStep, present, writable, cow, shared, exclusive, hole, changed };
}

/** Index of the first changed row, or null. */
export function firstChangedRow(rows: readonly PteRow[]): number | null {
  const i = rows.findIndex((r) => r.changed);
  return i < 0 ? null : i;
}
