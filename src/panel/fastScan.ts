// Reading a region's page table into runs, fast. The public way, Machine.pte() per page, costs
// ~0.3–0.8 µs a page: a second per step for a million-page region. The fast way reads the
// engine's last-level tables directly (ptable.ts leaves; a missing leaf is 64 entries that map
// nothing, what pte_none() sees for an unpopulated range) and repeats entry.ts's reading rules,
// and a frame's value without Machine.frame() (which first works out every frame's map count).
//
// Reading engine internals is a trade: so every fast scan is checked against Machine.pte() at
// the first and last page of its runs, and falls back to the public scan if any disagrees.
// test/unit/panel/fastScan.test.ts compares both scans page by page on every sample, the
// kernel-conformance corpus and seeded random scenarios, so a layout change fails a test.
import type { Machine, PteView } from '../engine';
import { ZERO_FRAME } from '../engine/frames';
import { LEAF_SIZE } from '../engine/ptable';
import { frameOf } from '../engine/state';
import type { FrameRef } from '../protocol/messages';
import type { EntryRun } from './runs';

/** Runs checked against Machine.pte() per scan (first and last page of each). */
const CHECKED_RUNS = 256;

export interface Scan {
  readonly runs: EntryRun[];
  /** The fast scan disagreed with Machine.pte() and the public scan was used: worth a log line. */
  readonly fellBack: boolean;
}

type Flags = Omit<EntryRun, 'first' | 'last' | 'frame' | 'frameStep'>;

/** Builds maximal runs from entries fed in page order. */
class RunBuilder {
  readonly runs: EntryRun[] = [];
  private open: { first: number; last: number; frame: FrameRef; frameStep: -1 | 0 | 1; flags: Flags } | null = null;

  /** Pages `first..last` all read `flags` and map `frame` (numeric frames: one page at a time). */
  add(first: number, last: number, frame: FrameRef, flags: Flags): void {
    const o = this.open;
    if (o && o.last === first - 1 && sameFlags(o.flags, flags)) {
      if (typeof frame !== 'number' || typeof o.frame !== 'number') {
        if (frame === o.frame) {
          o.last = last;
          return;
        }
      } else if (first === last) {
        const offset = first - o.first;
        const step = o.frameStep;
        if (step === 0 ? offset === 1 && Math.abs(frame - o.frame) === 1 : frame === o.frame + offset * step) {
          if (step === 0) o.frameStep = frame > o.frame ? 1 : -1;
          o.last = last;
          return;
        }
      }
    }
    this.close();
    this.open = { first, last, frame, frameStep: 0, flags };
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

function sameFlags(a: Flags, b: Flags): boolean {
  return a.present === b.present && a.writable === b.writable && a.cow === b.cow && a.shared === b.shared && a.exclusive === b.exclusive && a.hole === b.hole;
}

function flagsOf(v: PteView): Flags {
  return { present: v.present, writable: v.writable, cow: v.cow, shared: v.shared, exclusive: v.exclusive, hole: v.hole };
}

/** The public scan: one Machine.pte() per page. Exact by definition; slow for big regions. */
export function scanRegionPublic(m: Machine, process: string, region: string, pages: number): EntryRun[] {
  const builder = new RunBuilder();
  for (let page = 0; page < pages; page++) {
    const v = m.pte(process, region, page);
    builder.add(page, page, v.frame, flagsOf(v));
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

interface PageRange {
  readonly first: number;
  readonly last: number;
}

/** MADV_DONTFORK holes of a region, where the engine keeps them (its VMAs), in page order. */
function holesOf(r: unknown): PageRange[] {
  const vmas = (r as { vmas?: readonly { first: number; last: number; hole?: boolean }[] }).vmas;
  return Array.isArray(vmas) ? vmas.filter((v) => v.hole === true).map((v) => ({ first: v.first, last: v.last })) : [];
}

export function scanRegionFast(m: Machine, process: string, region: string): EntryRun[] | undefined {
  const r = m.regionStates(process).find((x) => x.name === region);
  if (!r) return undefined;
  const shared = r.kind === 'shared';
  const frameState = m.data.frames.state;
  const shares = m.data.shares;
  const builder = new RunBuilder();
  const absent: Flags = { present: false, writable: false, cow: false, shared, exclusive: false, hole: false };
  const hole: Flags = { ...absent, hole: true };
  const zero: Flags = { ...absent, present: true };
  const holes = holesOf(r);
  let h = 0;
  /** Pages `first..last` map nothing: split where holes begin and end. */
  const nothing = (first: number, last: number): void => {
    for (let p = first; p <= last; ) {
      while (h < holes.length && (holes[h] as PageRange).last < p) h += 1;
      const next = holes[h];
      const inHole = next !== undefined && next.first <= p;
      const end = inHole ? Math.min(last, next.last) : next ? Math.min(last, next.first - 1) : last;
      builder.add(p, end, null, inHole ? hole : absent);
      p = end + 1;
    }
  };
  const inHole = (page: number): boolean => {
    while (h < holes.length && (holes[h] as PageRange).last < page) h += 1;
    const next = holes[h];
    return next !== undefined && next.first <= page;
  };

  let next = 0;
  for (let first = 0; first < r.pages; first += LEAF_SIZE) {
    const leaf = r.table.leaf(first);
    if (!leaf) continue;
    if (first > next) nothing(next, first - 1);
    const soleSharer = shares.get(leaf.id) === 1;
    const end = Math.min(LEAF_SIZE, r.pages - first);
    for (let j = 0; j < end; j++) {
      const page = first + j;
      const e = leaf.entries[j] as number;
      // e < 0: the older encoding of a hole (PTE_HOLE) inside the table.
      if (e <= 0 || inHole(page)) {
        builder.add(page, page, null, e < 0 || inHole(page) ? hole : absent);
        continue;
      }
      const frame = frameOf(e);
      if (frame === ZERO_FRAME) {
        builder.add(page, page, 'zero', zero);
        continue;
      }
      const writable = shared || leaf.wgen[j] === r.gen;
      const exclusive = soleSharer && frameState.get(frame) >>> 1 === 1;
      builder.add(page, page, frame, { present: true, writable, cow: !writable, shared, exclusive, hole: false });
    }
    next = first + end;
  }
  if (next < r.pages) nothing(next, r.pages - 1);
  return builder.finish();
}

/** A frame's value and whether shmem holds it; undefined when the frame is not allocated. */
export function frameContents(m: Machine, frame: number): { value: string; shmem: boolean } | undefined {
  if (!Number.isInteger(frame) || frame <= ZERO_FRAME) return undefined;
  const state = m.data.frames.state.get(frame);
  if (state === 0) return undefined;
  return { value: m.data.values.text(m.data.frames.value.get(frame)), shmem: (state & 1) === 1 };
}
