// The OOM killer, for a machine with `memory N` frames: when a fault needs a frame and every
// frame is in use, the page allocator (__alloc_pages_slowpath → __alloc_pages_may_oom) calls
// out_of_memory, which picks a victim with select_bad_process and kills it; the allocation is
// then tried again with the victim's memory freed.
//
// The choice, as mm/oom_kill.c makes it: select_bad_process visits every process in creation
// order (for_each_process); oom_evaluate_task scores each with oom_badness and keeps the highest,
// a later process replacing the chosen one on a tie (it skips only `points < chosen_points`).
// oom_badness is get_mm_rss (resident pages, shared ones counted in full) + swap entries +
// mm_pgtables_bytes / PAGE_SIZE, plus oom_score_adj × totalpages / 1000. A process in the middle
// of vfork (in_vfork) is not a candidate.
//
// Simplified, and said so where a learner reads it: no swap, every oom_score_adj is 0, only
// last-level page tables are counted (one per 512-page span a region has entries in), no
// reclaim runs first (the model has no page cache to drop), and the victim's memory is freed at
// once (the kernel's oom_reaper frees it asynchronously). When the faulting process is itself
// the victim, its access stops at the page that needed the frame.

import { exit } from './lifecycle';
import { PTES_PER_TABLE_PAGE } from './cost';
import { fail, Tx } from './tx';
import { OomCandidate, OomKill, PageRef } from './types';

/** Thrown when the OOM killer killed the process whose access needed the frame: the access stops. */
export class FaultingProcessKilled extends Error {
  constructor(readonly process: string) {
    super(`${process} was killed by the OOM killer`);
  }
}

/** oom_badness for every candidate, in creation order. */
export function oomCandidates(tx: Tx): OomCandidate[] {
  const out: OomCandidate[] = [];
  for (const name of tx.processNames()) {
    const p = tx.peek(name);
    if (!p || p.status === 'exited' || p.borrowsFrom !== null) continue;
    let rss = 0;
    let tablePages = 0;
    for (const r of p.regions) {
      const spans = new Set<number>();
      r.table.forEachLeaf((leaf, firstPage) => {
        if (leaf.present === 0) return;
        rss += leaf.frames;
        spans.add(Math.floor(firstPage / PTES_PER_TABLE_PAGE));
      });
      tablePages += spans.size;
    }
    out.push({ process: name, rss, tablePages, points: rss + tablePages });
  }
  return out;
}

/** The victim: the highest score, the later process on a tie (oom_evaluate_task). */
export function chooseVictim(candidates: readonly OomCandidate[]): OomCandidate | undefined {
  let chosen: OomCandidate | undefined;
  for (const c of candidates) if (chosen === undefined || c.points >= chosen.points) chosen = c;
  return chosen;
}

/**
 * Called when `allocate` found memory full: kills victims until it succeeds. Returns the frame.
 * Throws FaultingProcessKilled when the faulting process (tx.actor) was the one killed.
 */
export function allocateOrKill(tx: Tx, at: PageRef | null, allocate: () => number): number {
  const memory = tx.base.rules.memory;
  if (memory === undefined) fail('too-large', 'out of physical memory: every frame the engine models is in use');
  for (;;) {
    // Every frame was in use at this moment: the peak, though the kill brings the count down.
    tx.stats.peakFrames = Math.max(tx.stats.peakFrames, tx.frames.allocated);
    const candidates = oomCandidates(tx);
    const victim = chooseVictim(candidates);
    if (victim === undefined) fail('out-of-memory', `all ${memory} frames are in use and no process is left for the OOM killer to kill (the kernel panics: "Out of memory and no killable processes")`);
    const freedBefore = tx.frames.freed.length;
    const faulting = tx.peek(tx.actor);
    // The OOM killer kills every process using the victim's memory: a vfork child borrowing it too.
    if (faulting && faulting.borrowsFrom === victim.process && faulting.status !== 'exited') exit(tx, tx.actor);
    exit(tx, victim.process);
    const kill: OomKill = { faulting: tx.actor, at, memory, candidates, victim: victim.process, freed: tx.frames.freed.length - freedBefore };
    tx.oomKills.push(kill);
    tx.stats.oomKills++;
    tx.events.push({ kind: 'oom-kill', kill }); // never dropped by the per-step cap: there are few, and views rely on them
    if (victim.process === tx.actor || tx.peek(tx.actor)?.status === 'exited') throw new FaultingProcessKilled(tx.actor);
    const frame = allocate();
    if (frame >= 0) return frame;
  }
}
