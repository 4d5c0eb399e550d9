// The `cow-lab run FILE --json` object — an exact contract other parts (the kernel comparer,
// outside test suites) depend on. Field names and order follow the issue to the letter:
//
// { "checkpoints": [ { "name", "line", "processes": { "<process>": { "<region>": [ { "frame", "writable", "refcount", "mapcount" } … ] } },
//                      "volumes": { "<volume or container>": { "<file>": [ { "block" } … ] } },
//                      "stats": { "frames", "copies", "reuses", "faults", "blocks", "blocksCopied" }, "pipes": { "<pipe>": ["value", …] },
//                      "memory": { "<process>": { "rss", "pss", "uss" } } } ],
//   "expectations": [ { "line", "passed", "message" } ] }
//
// Within one checkpoint equal frame numbers are the same physical frame; "zero" is the shared
// zero page (refcount and mapcount 0: nothing counts it, as /proc/kpagecount shows); null is a
// page not present, without refcount and mapcount. "pmd": true marks a page that one PMD entry
// maps with the rest of its 2 MiB huge page (`map … private huge`); other pages omit it. "pipes" lists what each page every pipe
// holds reads at that point. Exited processes are absent; a vfork child shows the
// regions it borrows. The last checkpoint is "end", after the final statement.
// Volumes: every volume, then every container as its merged view (lower files not copied up
// show the lower file's blocks); "block" is the storage model's physical block id (equal ids
// are the same block), null never appears for an existing file block.
// "memory" gives each live process's RSS, PSS and USS in pages (src/engine/memory.ts). PSS is a
// JSON number: exact when its decimal expansion ends (2.5, 0.125), otherwise rounded to 6
// decimal places (1/3 → 0.333333).
import { memoryOf, ratioToDecimal, type Machine } from '../engine';
import type { Storage } from '../storage';
import type { CheckpointRecord, RunResult } from './interpreter';

export interface JsonPage {
  readonly frame: number | 'zero' | null;
  readonly writable: boolean;
  /** References to the frame (mappings, pipe pages, pins); absent when the page is not present. */
  readonly refcount?: number;
  /** Page-table entries mapping the frame; absent when the page is not present. */
  readonly mapcount?: number;
  /** true when one PMD entry maps this page with the rest of its 2 MiB (a transparent huge page); absent otherwise. */
  readonly pmd?: true;
}

export interface JsonStats {
  readonly frames: number;
  readonly copies: number;
  readonly reuses: number;
  readonly faults: number;
  readonly blocks: number;
  readonly blocksCopied: number;
}

export interface JsonBlock {
  readonly block: number | null;
}

export interface JsonMemory {
  readonly rss: number;
  readonly pss: number;
  readonly uss: number;
}

export interface JsonCheckpoint {
  readonly name: string;
  readonly line: number;
  readonly processes: Record<string, Record<string, JsonPage[]>>;
  readonly volumes: Record<string, Record<string, JsonBlock[]>>;
  readonly stats: JsonStats;
  readonly pipes: Record<string, string[]>;
  readonly memory: Record<string, JsonMemory>;
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
    for (const space of checkpoint.storage.spaces()) for (const file of checkpoint.storage.files(space)) count += file.blocks;
  }
  return count;
}

export function checkpointToJson(checkpoint: CheckpointRecord): JsonCheckpoint {
  const m = checkpoint.machine;
  const { frames, copies, reuses, faults } = m.stats;
  const { blocks, blocksCopied } = checkpoint.storage.stats;
  const pipes: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, values] of m.pipes()) pipes[name] = [...values];
  return { name: checkpoint.name, line: checkpoint.line, processes: processesToJson(m), volumes: volumesToJson(checkpoint.storage), stats: { frames, copies, reuses, faults, blocks, blocksCopied }, pipes, memory: memoryToJson(m) };
}

/** Every volume, then every container's merged view, file by file and block by block. */
export function volumesToJson(storage: Storage): Record<string, Record<string, JsonBlock[]>> {
  const volumes: Record<string, Record<string, JsonBlock[]>> = Object.create(null) as Record<string, Record<string, JsonBlock[]>>;
  for (const space of storage.spaces()) {
    const files: Record<string, JsonBlock[]> = Object.create(null) as Record<string, JsonBlock[]>;
    for (const r of storage.resolvedFiles(space)) {
      const blocks = new Array<JsonBlock>(r.file.size);
      for (let i = 0; i < r.file.size; i++) {
        const b = r.file.map.get(i);
        blocks[i] = { block: b === 0 ? null : b };
      }
      files[r.file.name] = blocks;
    }
    volumes[space] = files;
  }
  return volumes;
}

/** RSS, PSS and USS in pages of every live process, in creation order. */
export function memoryToJson(m: Machine): Record<string, JsonMemory> {
  const out: Record<string, JsonMemory> = Object.create(null) as Record<string, JsonMemory>;
  for (const p of memoryOf(m).processes) out[p.process] = { rss: p.rss, pss: Number(ratioToDecimal(p.pss)), uss: p.uss };
  return out;
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
        const frame = typeof pte.frame === 'number' ? m.frame(pte.frame) : undefined;
        pages[page] =
          pte.frame === null
            ? { frame: null, writable: false }
            : pte.pmd
              ? { frame: pte.frame, writable: pte.present && pte.writable, refcount: frame?.refCount ?? 0, mapcount: frame?.mapCount ?? 0, pmd: true }
              : { frame: pte.frame, writable: pte.present && pte.writable, refcount: frame?.refCount ?? 0, mapcount: frame?.mapCount ?? 0 };
      }
      regions[region.name] = pages;
    }
    processes[view.name] = regions;
  }
  return processes;
}
