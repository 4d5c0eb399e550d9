// Reading a region's page table into runs, fast. Machine.pte() per page costs ~0.3–0.8 µs a
// page: a second per step for a million-page region. Machine.scanEntries walks the engine's
// last-level tables once instead, and Machine.frameContents reads a frame's value without
// frame() (which first works out every frame's map count).
//
// Every fast scan is still checked against Machine.pte() at the first and last page of its runs,
// and falls back to the per-page scan if any disagrees. test/unit/panel/fastScan.test.ts
// compares both scans page by page on every sample, the kernel-conformance corpus and seeded
// random scenarios.
import type { Machine } from '../engine';
import type { FrameRef } from '../protocol/messages';
import type { EntryRun } from './runs';

/** Pages one PMD entry maps (HUGE_PAGES; a type-only import keeps the engine out of this bundle path). */
const PMD_PAGES = 512;

/** Runs checked against Machine.pte() per scan (first and last page of each). */
const CHECKED_RUNS = 256;

export interface Scan {
  readonly runs: EntryRun[];
  /** The fast scan disagreed with Machine.pte() and the public scan was used: worth a log line. */
  readonly fellBack: boolean;
}

type Flags = Omit<EntryRun, 'first' | 'last' | 'frame' | 'frameStep'>;

/** Builds maximal runs from entries fed in page order. */
export class RunBuilder {
  readonly runs: EntryRun[] = [];
  private open: { first: number; last: number; frame: FrameRef; frameStep: -1 | 0 | 1; flags: Flags } | null = null;

  /**
   * Pages `first..last` all read `flags`; they map `frame` ('zero' or null), or for a numeric
   * frame, page first + k maps frame + k (the engine reports consecutive frames as one call).
   * The runs are the ones a page-by-page feed makes (fastScan.test.ts compares them with
   * scanRegionPublic's). `flags` is only read here (a PteView will do): a copy is kept when it
   * opens a run, so a million-page scan allocates per run, not per page.
   */
  add(first: number, last: number, frame: FrameRef, flags: Flags): void {
    const o = this.open;
    if (o && this.continues(o, first, last, frame, flags)) {
      if (o.frameStep === 0 && typeof frame === 'number' && typeof o.frame === 'number') o.frameStep = frame > o.frame ? 1 : -1;
      o.last = last;
      return;
    }
    if (o && last > first && typeof frame === 'number' && this.continues(o, first, first, frame, flags)) {
      // Page by page, the first page would end a descending run and the rest open their own.
      o.last = first;
      if (o.frameStep === 0) o.frameStep = -1;
      this.close();
      this.open = { first: first + 1, last, frame: frame + 1, frameStep: last > first + 1 ? 1 : 0, flags: flagsOf(flags) };
      return;
    }
    this.close();
    this.open = { first, last, frame, frameStep: typeof frame === 'number' && last > first ? 1 : 0, flags: flagsOf(flags) };
  }

  /** Whether pages `first..last` continue the open run `o` as they would fed one by one. */
  private continues(o: NonNullable<RunBuilder['open']>, first: number, last: number, frame: FrameRef, flags: Flags): boolean {
    // One PMD entry per row: a run of PMD-mapped pages ends where the next 2 MiB begins.
    const pmdEdge = flags.pmd === true && first % PMD_PAGES === 0;
    if (o.last !== first - 1 || pmdEdge || !sameFlags(o.flags, flags)) return false;
    if (typeof frame !== 'number' || typeof o.frame !== 'number') return frame === o.frame;
    const step = o.frameStep;
    if (step === 0) return frame === o.frame + 1 || (frame === o.frame - 1 && first === last);
    return frame === o.frame + (first - o.first) * step && (first === last || step === 1);
  }

  finish(): EntryRun[] {
    this.close();
    return this.runs;
  }

  private close(): void {
    const o = this.open;
    if (o) this.runs.push({ first: o.first, last: o.last, frame: o.frame, frameStep: o.frameStep, ...o.flags });
    this.open = null;
  }
}

/**
 * Entries that read alike. Pages of one PMD entry stay one row even where their map counts differ
 * (another process split its own PMD entry over the same huge page and copied some pages): it is
 * one entry, and the row's `exclusive` is its first page's.
 */
function sameFlags(a: Flags, b: Flags): boolean {
  return a.present === b.present && a.writable === b.writable && a.cow === b.cow && a.shared === b.shared && (a.exclusive === b.exclusive || (a.pmd === true && b.pmd === true)) && (a.anonExclusive ?? false) === (b.anonExclusive ?? false) && a.hole === b.hole && (a.pmd ?? false) === (b.pmd ?? false);
}

function flagsOf(v: Flags): Flags {
  return { present: v.present, writable: v.writable, cow: v.cow, shared: v.shared, exclusive: v.exclusive, anonExclusive: v.anonExclusive ?? false, hole: v.hole, ...(v.pmd ? { pmd: true } : {}) };
}

/** The public scan: one Machine.pte() per page. Exact by definition; slow for big regions. */
export function scanRegionPublic(m: Machine, process: string, region: string, pages: number): EntryRun[] {
  const builder = new RunBuilder();
  for (let page = 0; page < pages; page++) {
    const v = m.pte(process, region, page);
    builder.add(page, page, v.frame, v);
  }
  return builder.finish();
}

/** The runs of a region, or undefined when the process has no such region. */
export function scanRegion(m: Machine, process: string, region: string): Scan | undefined {
  const info = m.regions(process).find((r) => r.name === region);
  if (!info) return undefined;
  const fast = scanRegionFast(m, process, region);
  if (fast && agrees(m, process, region, fast)) return { runs: fast, fellBack: false };
  return { runs: scanRegionPublic(m, process, region, info.pages), fellBack: true };
}

function agrees(m: Machine, process: string, region: string, runs: readonly EntryRun[]): boolean {
  const stride = Math.max(1, Math.floor(runs.length / CHECKED_RUNS));
  for (let i = 0; i < runs.length; i += stride) {
    const run = runs[i] as EntryRun;
    for (const page of [run.first, run.last]) {
      const v = m.pte(process, region, page);
      const frame = typeof run.frame === 'number' ? run.frame + (page - run.first) * run.frameStep : run.frame;
      if (v.frame !== frame || !sameFlags(flagsOf(v), run)) return false;
    }
  }
  return true;
}

/** The fast scan: Machine.scanEntries walks the last-level tables once. */
export function scanRegionFast(m: Machine, process: string, region: string): EntryRun[] | undefined {
  const builder = new RunBuilder();
  const found = m.scanEntries(process, region, (first, last, frame, view) => builder.add(first, last, frame, view));
  return found ? builder.finish() : undefined;
}
