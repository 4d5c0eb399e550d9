// The `cow-lab run FILE --json` object — an exact contract other parts (the kernel comparer,
// outside test suites) depend on. Field names and order follow the issue to the letter:
//
// { "checkpoints": [ { "name", "line", "processes": { "<process>": { "<region>": [ { "frame", "writable" } … ] } },
//                      "stats": { "frames", "copies", "reuses", "faults" } } ],
//   "expectations": [ { "line", "passed", "message" } ] }
//
// Within one checkpoint equal frame numbers are the same physical frame; "zero" is the shared
// zero page; null is a page not present. Exited processes are absent; a vfork child shows the
// regions it borrows. The last checkpoint is "end", after the final statement.
import type { Machine } from '../engine';
import type { CheckpointRecord, RunResult } from './interpreter';

export interface JsonPage {
  readonly frame: number | 'zero' | null;
  readonly writable: boolean;
}

export interface JsonStats {
  readonly frames: number;
  readonly copies: number;
  readonly reuses: number;
  readonly faults: number;
}

export interface JsonCheckpoint {
  readonly name: string;
  readonly line: number;
  readonly processes: Record<string, Record<string, JsonPage[]>>;
  readonly stats: JsonStats;
}

export interface JsonExpectation {
  readonly line: number;
  readonly passed: boolean;
  readonly message: string;
}

export interface RunJson {
  readonly checkpoints: JsonCheckpoint[];
  readonly expectations: JsonExpectation[];
}

export function runToJson(run: RunResult): RunJson {
  return {
    checkpoints: run.checkpoints.map(checkpointToJson),
    expectations: run.expectations.map((e) => ({ line: e.line, passed: e.passed, message: e.message })),
  };
}

/**
 * How many page entries the JSON object would list (every page of every live process at every
 * checkpoint), counted without building it — so a caller can refuse an output of gigabytes.
 */
export function jsonPageCount(run: RunResult): number {
  let count = 0;
  for (const checkpoint of run.checkpoints) {
    const m = checkpoint.machine;
    for (const view of m.processes()) {
      if (view.status === 'exited') continue;
      for (const region of m.regions(view.name)) count += region.pages;
    }
  }
  return count;
}

export function checkpointToJson(checkpoint: CheckpointRecord): JsonCheckpoint {
  const m = checkpoint.machine;
  const { frames, copies, reuses, faults } = m.stats;
  return { name: checkpoint.name, line: checkpoint.line, processes: processesToJson(m), stats: { frames, copies, reuses, faults } };
}

/** Every process not exited, in creation order, with its (or its borrowed) regions page by page. */
export function processesToJson(m: Machine): Record<string, Record<string, JsonPage[]>> {
  // Null-prototype objects: a process called `__proto__` or `constructor` is just a key.
  const processes: Record<string, Record<string, JsonPage[]>> = Object.create(null) as Record<string, Record<string, JsonPage[]>>;
  for (const view of m.processes()) {
    if (view.status === 'exited') continue;
    const regions: Record<string, JsonPage[]> = Object.create(null) as Record<string, JsonPage[]>;
    for (const region of m.regions(view.name)) {
      const pages: JsonPage[] = new Array<JsonPage>(region.pages);
      for (let page = 0; page < region.pages; page += 1) {
        const pte = m.pte(view.name, region.name, page);
        pages[page] = { frame: pte.frame, writable: pte.present && pte.writable };
      }
      regions[region.name] = pages;
    }
    processes[view.name] = regions;
  }
  return processes;
}
