// What `top`, `ps`, `smem` and /proc/PID/smaps say about a process's memory: RSS, PSS and USS per
// live process, and the machine-wide figures `free` would show for the scenario's regions. The
// counting is memoryIndex.ts's (incremental: a step costs what it changed); this file turns its
// counters into figures. test/unit/engine/memoryIndex.test.ts checks them against a page-by-page
// count through Machine.pte() and Machine.frame().
//
// The kernel computes all three in fs/proc/task_mmu.c while walking a process's page tables
// (smaps_pte_entry → smaps_account → smaps_page_accumulate):
// - RSS ("Rss", top's RES): every present entry that maps a normal page. The shared zero page
//   is not a normal page (vm_normal_page returns NULL for it), so it never counts; shmem pages do.
// - PSS ("Pss", smem's PSS): each such page adds PAGE_SIZE / mapcount, where mapcount is the
//   number of page-table entries mapping the page (folio_precise_page_mapcount). The kernel
//   keeps this in fixed point (PSS_SHIFT = 12 extra bits) and prints kB after a right shift,
//   so it truncates; here PSS is an exact fraction of pages.
// - USS (Private_Clean + Private_Dirty): pages whose mapcount is below 2, i.e. mapped by this
//   one entry alone. A shmem page mapped by one process only is private too.
//
// All three depend on the MAP count — how many page-table entries point at a frame — and on
// nothing else. A frame can hold extra references that are not mappings (a pipe buffer, a
// pinned page, the page cache holding a shmem page): those change neither figure.

import type { Machine } from './machine';
import { indexAt, type SpaceCounters } from './memoryIndex';
import { addRatio, ratio, Ratio, ZERO_RATIO } from './ratio';

/** Another process that maps some of the same frames. */
export interface Sharer {
  readonly process: string;
  /** Frames both map. */
  readonly pages: number;
}

export interface ProcessMemory {
  readonly process: string;
  /** Resident pages: present entries mapping a real frame (zero page excluded, shmem included). */
  readonly rss: number;
  /** Proportional pages: the sum over those pages of 1 / map count, exact. */
  readonly pss: Ratio;
  /** Pages mapped by this process alone (map count 1). */
  readonly uss: number;
  /** Resident pages by map count: [mapCount, pages], mapCount ascending. */
  readonly byMapCount: readonly (readonly [number, number])[];
  /** The processes it shares most frames with (at most 3), most first. Empty for a vfork borrower's own view. */
  readonly sharers: readonly Sharer[];
  /** A vfork child: the process whose address space (and so whose figures) it shows. */
  readonly borrowsFrom: string | null;
}

export interface MachineMemory {
  /** Every live (not exited) process, in creation order. */
  readonly processes: readonly ProcessMemory[];
  /** Sum of RSS over live processes: what adding up top's RES column gives. */
  readonly rssSum: number;
  /** Frames in use: private anonymous frames plus shmem frames (zero page excluded). */
  readonly frames: number;
  /** Private anonymous frames: `free`'s "used" for these regions. */
  readonly anonFrames: number;
  /** Shmem frames (MAP_SHARED anonymous): `free` lists them as "shared", inside "buff/cache". */
  readonly shmemFrames: number;
}

const cache = new WeakMap<Machine, MachineMemory>();

/** RSS, PSS and USS of every live process, and the machine's frames, for one machine version. */
export function memoryOf(m: Machine): MachineMemory {
  const cached = cache.get(m);
  if (cached) return cached;
  const result = compute(m);
  cache.set(m, result);
  return result;
}

/** One process's figures, or undefined when it does not exist or has exited. */
export function processMemory(m: Machine, process: string): ProcessMemory | undefined {
  return memoryOf(m).processes.find((p) => p.process === process);
}

function compute(m: Machine): MachineMemory {
  const index = indexAt(m);
  const all = m.processes();
  const live = all.filter((p) => p.status !== 'exited');
  const order = new Map(all.map((p, i) => [p.name, i]));
  const figures = new Map<string, Omit<ProcessMemory, 'process' | 'borrowsFrom'>>();
  const figuresOf = (owner: string) => {
    let f = figures.get(owner);
    if (!f) {
      f = fromCounters(index.counters(owner), index.names, order);
      figures.set(owner, f);
    }
    return f;
  };
  let rssSum = 0;
  const processes: ProcessMemory[] = [];
  for (const p of live) {
    const owner = ownerOf(m, p.name, live.length);
    const f = figuresOf(owner);
    rssSum += f.rss;
    processes.push({ process: p.name, ...f, borrowsFrom: p.borrowsFrom === null ? null : owner });
  }
  const frames = m.data.frames.state.nonZero;
  const shmemFrames = index.shmemFrames;
  return { processes, rssSum, frames, anonFrames: frames - shmemFrames, shmemFrames };
}

/** The process whose address space `name` uses (a vfork child: the one it borrows from, transitively). */
function ownerOf(m: Machine, name: string, hops: number): string {
  let at = name;
  for (let guard = 0; guard < hops; guard += 1) {
    const next = m.process(at)?.borrowsFrom ?? null;
    if (next === null) return at;
    at = next;
  }
  return at;
}

function fromCounters(c: SpaceCounters, names: readonly string[], order: ReadonlyMap<string, number>): Omit<ProcessMemory, 'process' | 'borrowsFrom'> {
  const byMapCount: [number, number][] = [];
  let pss = ZERO_RATIO;
  c.pagesByCount.forEach((pages, k) => {
    if (k < 1 || pages === 0) return;
    byMapCount.push([k, pages]);
    pss = addRatio(pss, ratio(BigInt(pages), BigInt(k)));
  });
  const shared: Sharer[] = [];
  c.shared.forEach((pages, id) => {
    if (pages > 0) shared.push({ process: names[id] as string, pages });
  });
  // Most shared first; equal counts in the order the processes were made.
  const rank = (s: Sharer) => order.get(s.process) ?? Number.MAX_SAFE_INTEGER;
  const sharers = shared.sort((a, b) => b.pages - a.pages || rank(a) - rank(b)).slice(0, 3);
  return { rss: c.rss, pss, uss: c.pagesByCount[1] ?? 0, byMapCount, sharers };
}
