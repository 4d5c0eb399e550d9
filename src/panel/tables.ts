// Page tables of one machine version, scanned once and remembered: the runs of every region,
// the rows a step shows (with what it changed), and which processes map a given frame.
// Machine versions are immutable and the Timeline hands back the same object for a step it
// has cached, so scans are keyed on the Machine itself (a WeakMap: nothing is kept alive), and
// on the engine's scan token (Machine.scanToken), which comes back the same for every version in
// which a region's entries read the same: a million-page table a step did not touch is not read again.
import type { Machine } from '../engine';
import type { PteRow } from '../protocol/messages';
import { scanRegion } from './fastScan';
import { changedPages, indexOfContaining, toRows, type EntryRun, type PageInterval } from './runs';

const scans = new WeakMap<Machine, Map<string, EntryRun[]>>();
/** Runs by the engine's scan token: versions in which a table did not change share one scan. */
const byToken = new WeakMap<object, EntryRun[]>();
const owners = new WeakMap<Machine, OwnerIndex>();
let onFallback: (message: string) => void = () => undefined;

/** Where to report a fast scan that disagreed with Machine.pte() (the panel's log). */
export function onScanFallback(report: (message: string) => void): void {
  onFallback = report;
}

/** The runs of `region` in `process`, or null when the process has no such region (now). */
export function regionRuns(m: Machine, process: string, region: string): EntryRun[] | null {
  let perMachine = scans.get(m);
  if (!perMachine) {
    perMachine = new Map();
    scans.set(m, perMachine);
  }
  const key = `${process}\u0000${region}`;
  let runs = perMachine.get(key);
  if (!runs) {
    const token = m.scanToken(process, region);
    if (!token) return null;
    runs = byToken.get(token);
    if (!runs) {
      const scan = scanRegion(m, process, region);
      if (!scan) return null;
      if (scan.fellBack) onFallback(`the fast page-table scan of ${process} ${region} disagreed with Machine.pte(); used the exact (slower) scan`);
      runs = scan.runs;
      byToken.set(token, runs);
    }
    perMachine.set(key, runs);
  }
  return runs;
}

/** Processes with page tables of their own: alive, and not a vfork child borrowing its parent's. */
export function tableOwners(m: Machine): string[] {
  return m
    .processes()
    .filter((p) => p.status !== 'exited' && p.borrowsFrom === null)
    .map((p) => p.name);
}

/**
 * Rows of `region` after a step, marking what changed since `before`. A process that had no
 * page tables before (it was just forked) has every row marked. Pages in `spelled` show one row each.
 */
export function regionRows(after: Machine, before: Machine, process: string, region: string, spelled: readonly PageInterval[] = []): PteRow[] {
  const runs = regionRuns(after, process, region) ?? [];
  const pages = runs[runs.length - 1]?.last ?? -1;
  const hadTables = tableOwners(before).includes(process);
  const previous = hadTables ? regionRuns(before, process, region) : null;
  return toRows(runs, changedPages(previous, runs, pages + 1), spelled);
}

/** Remembers computed rows for the few (machine, step, region) combinations in use. */
export class RowCache {
  private readonly entries = new Map<string, PteRow[]>();

  constructor(private readonly capacity = 64) {}

  get(key: string, compute: () => PteRow[]): PteRow[] {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const rows = compute();
    this.entries.set(key, rows);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return rows;
  }
}

interface FrameInterval {
  readonly lo: number;
  readonly hi: number;
}

/** The frames each region's runs map, as sorted intervals, by the runs (a table a step did not change keeps its runs: see regionRuns). */
const intervalsByRuns = new WeakMap<readonly EntryRun[], readonly FrameInterval[]>();

function intervalsOf(runs: readonly EntryRun[]): readonly FrameInterval[] {
  let intervals = intervalsByRuns.get(runs);
  if (!intervals) {
    const made: FrameInterval[] = [];
    for (const run of runs) {
      if (typeof run.frame !== 'number') continue;
      const end = run.frame + (run.last - run.first) * run.frameStep;
      made.push({ lo: Math.min(run.frame, end), hi: Math.max(run.frame, end) });
    }
    intervals = made.sort((a, b) => a.lo - b.lo);
    intervalsByRuns.set(runs, intervals);
  }
  return intervals;
}

/** For each process with tables, the frame numbers its entries map, as sorted intervals. */
class OwnerIndex {
  private readonly byProcess: { readonly name: string; readonly intervals: readonly FrameInterval[] }[] = [];

  constructor(m: Machine) {
    for (const name of tableOwners(m)) {
      const perRegion = m.regions(name).map((region) => intervalsOf(regionRuns(m, name, region.name) ?? []));
      const intervals = perRegion.length === 1 ? (perRegion[0] as readonly FrameInterval[]) : perRegion.flat().sort((a, b) => a.lo - b.lo);
      this.byProcess.push({ name, intervals });
    }
  }

  ownersOf(frame: number): string[] {
    return this.byProcess.filter((p) => contains(p.intervals, frame)).map((p) => p.name);
  }
}

function contains(intervals: readonly FrameInterval[], frame: number): boolean {
  // Intervals of one process never overlap (one process maps a frame once), so one search decides.
  return indexOfContaining(intervals, frame, (it) => it.lo, (it) => it.hi) >= 0;
}

/** The processes whose page tables map `frame` in `m`. */
export function ownersOf(m: Machine, frame: number): string[] {
  let index = owners.get(m);
  if (!index) {
    index = new OwnerIndex(m);
    owners.set(m, index);
  }
  return index.ownersOf(frame);
}
