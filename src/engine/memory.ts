// What `top`, `ps`, `smem` and /proc/PID/smaps say about a process's memory, worked out from a
// machine's public views only (processes, regions, scanEntries, frames): RSS, PSS and USS per
// live process, and the machine-wide figures `free` would show for the scenario's regions.
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

/** How many other mappers of one frame we remember for `sharers` (the sentence names at most 3). */
const OWNERS_PER_FRAME = 8;

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

interface Walk {
  readonly frames: number[];
  rss: number;
}

function compute(m: Machine): MachineMemory {
  let anonFrames = 0;
  let shmemFrames = 0;
  let highest = 0;
  const views = m.frames();
  for (const f of views) if (f.frame > highest) highest = f.frame;
  const mapCount = new Int32Array(highest + 1);
  for (const f of views) {
    mapCount[f.frame] = f.mapCount;
    if (f.shmem) shmemFrames += 1;
    else anonFrames += 1;
  }

  const live = m.processes().filter((p) => p.status !== 'exited');
  const ownerOf = (name: string): string => {
    let at = name;
    for (let guard = 0; guard < live.length; guard += 1) {
      const next = m.process(at)?.borrowsFrom ?? null;
      if (next === null) return at;
      at = next;
    }
    return at;
  };

  // Walk each address space once (a vfork child uses its parent's).
  const walks = new Map<string, Walk>();
  for (const p of live) {
    if (p.borrowsFrom !== null) continue;
    const walk: Walk = { frames: [], rss: 0 };
    for (const region of m.regions(p.name)) {
      m.scanEntries(p.name, region.name, (first, last, frame) => {
        if (typeof frame !== 'number') return;
        walk.rss += last - first + 1;
        for (let page = first; page <= last; page += 1) walk.frames.push(frame);
      });
    }
    walks.set(p.name, walk);
  }

  // Who maps each shared frame (a few names per frame are enough to name the main sharers).
  const owners = new Map<number, string[]>();
  for (const [name, walk] of walks) {
    for (const frame of walk.frames) {
      if ((mapCount[frame] ?? 0) < 2) continue;
      const list = owners.get(frame);
      if (!list) owners.set(frame, [name]);
      else if (list.length < OWNERS_PER_FRAME && list[list.length - 1] !== name) list.push(name);
    }
  }

  const figures = new Map<string, Omit<ProcessMemory, 'process' | 'borrowsFrom'>>();
  for (const [name, walk] of walks) figures.set(name, figuresOf(name, walk, mapCount, owners));

  let rssSum = 0;
  const processes: ProcessMemory[] = [];
  for (const p of live) {
    const owner = p.borrowsFrom === null ? p.name : ownerOf(p.name);
    const f = figures.get(owner) ?? { rss: 0, pss: ZERO_RATIO, uss: 0, byMapCount: [], sharers: [] };
    rssSum += f.rss;
    processes.push({ process: p.name, ...f, borrowsFrom: p.borrowsFrom === null ? null : owner });
  }
  return { processes, rssSum, frames: anonFrames + shmemFrames, anonFrames, shmemFrames };
}

function figuresOf(name: string, walk: Walk, mapCount: Int32Array, owners: ReadonlyMap<number, readonly string[]>): Omit<ProcessMemory, 'process' | 'borrowsFrom'> {
  const pagesByCount = new Map<number, number>();
  const shared = new Map<string, number>();
  let uss = 0;
  for (const frame of walk.frames) {
    // An entry maps this frame, so its map count is at least 1.
    const k = Math.max(1, mapCount[frame] ?? 1);
    pagesByCount.set(k, (pagesByCount.get(k) ?? 0) + 1);
    if (k < 2) {
      uss += 1;
      continue;
    }
    for (const other of owners.get(frame) ?? []) if (other !== name) shared.set(other, (shared.get(other) ?? 0) + 1);
  }
  const byMapCount = [...pagesByCount.entries()].sort((a, b) => a[0] - b[0]);
  let pss = ZERO_RATIO;
  for (const [k, pages] of byMapCount) pss = addRatio(pss, ratio(BigInt(pages), BigInt(k)));
  const sharers = [...shared.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([process, pages]) => ({ process, pages }));
  return { rss: walk.rss, pss, uss, byMapCount, sharers };
}
