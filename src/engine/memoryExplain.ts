// Sentences about RSS, PSS and USS for a learner: why the three differ for one process at this
// step, and how top's RES column adds up against the frames really in use. Built only from
// memory.ts's figures; every claim follows smaps_account (fs/proc/task_mmu.c): RES counts each
// mapped frame in full, PSS divides it by its map count, USS counts frames mapped once.

import type { MachineMemory, ProcessMemory } from './memory';
import { PAGE_SIZE } from './types';
import { ratioToDecimal, ratioToFraction, isTerminating, type Ratio } from './ratio';

/** "4 pages (16 KiB)" */
export function pagesAndBytes(pages: number): string {
  return `${pages} ${pages === 1 ? 'page' : 'pages'} (${kib(pages)})`;
}

function kib(pages: number): string {
  const k = (pages * PAGE_SIZE) / 1024;
  return k >= 1024 * 1024 ? `${+(k / 1024 / 1024).toFixed(2)} GiB` : k >= 1024 ? `${+(k / 1024).toFixed(2)} MiB` : `${k} KiB`;
}

/** A PSS for reading: "2.5", "7/3 (2.333333)". */
export function pssText(pss: Ratio): string {
  return isTerminating(pss) ? ratioToDecimal(pss) : `${ratioToFraction(pss)} (${ratioToDecimal(pss)})`;
}

function share(k: number): string {
  return k === 2 ? 'half' : k === 3 ? 'a third' : k === 4 ? 'a quarter' : `1/${k}`;
}

function names(list: readonly string[], more: boolean): string {
  if (list.length === 0) return 'other processes';
  const head = list.length === 1 ? (list[0] as string) : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] as string}`;
  return more ? `${list.join(', ')} and others` : head;
}

/** One sentence: why RES, PSS and USS differ (or agree) for this process now. */
export function whyFiguresDiffer(p: ProcessMemory): string {
  if (p.borrowsFrom !== null) {
    return `${p.process} is a vfork child running in ${p.borrowsFrom}'s address space: top shows the same RES for both, but it is one set of frames, not two.`;
  }
  if (p.rss === 0) return `${p.process} maps no frame of its own yet: pages never touched, and zero-page reads, are not resident.`;
  if (p.uss === p.rss) {
    return p.rss === 1
      ? `Its one frame is mapped by ${p.process} alone, so RES, PSS and USS agree.`
      : `All ${p.rss} frames are mapped by ${p.process} alone, so RES, PSS and USS agree.`;
  }
  const shared = p.rss - p.uss;
  const counts = p.byMapCount.filter(([k]) => k >= 2);
  const most = Math.max(...counts.map(([k]) => k));
  const others = names(p.sharers.map((s) => s.process), most - 1 > p.sharers.length);
  const frames = `${shared} ${shared === 1 ? 'frame' : 'frames'}`;
  const portion = counts.length === 1 ? `${share(counts[0]?.[0] ?? 2)} of ${shared === 1 ? 'it' : 'each'}` : 'each one divided by the number of processes mapping it';
  const head = `RES counts the ${frames} it shares with ${others} in full; PSS gives it ${portion}`;
  return p.uss === 0 ? `${head}; USS is 0: nothing is its alone.` : `${head}; USS counts only the ${p.uss} mapped by ${p.process} alone.`;
}

/** One sentence: the RES column added up against the frames in use. */
export function memorySummary(m: MachineMemory): string {
  const live = m.processes.length;
  if (live === 0) return 'No process is alive: nothing is resident.';
  const shmem = m.shmemFrames > 0 ? ` (${m.shmemFrames} of them shmem, which free lists as "shared")` : '';
  if (m.rssSum === m.frames) {
    return `Adding up RES gives ${pagesAndBytes(m.rssSum)}, exactly the ${m.frames} frames in use${shmem}: no frame is counted twice.`;
  }
  if (m.rssSum > m.frames) {
    return `Adding up RES gives ${pagesAndBytes(m.rssSum)}, but only ${pagesAndBytes(m.frames)} of frames are in use${shmem}: top counts a shared frame once for every process that maps it. PSS adds up to each frame once.`;
  }
  return `Adding up RES gives ${pagesAndBytes(m.rssSum)}; ${pagesAndBytes(m.frames)} of frames are in use${shmem}, some held by a shared-memory object that no live process maps now.`;
}
