// Sentences for the `memory N` model: the OOM killer's choice (oom.ts) and a full copy that
// does not fit, which makes fork fail with ENOMEM.

import { vmaAt } from './vma';
import { MachineData, addressSpaceOwner } from './state';
import { OomKill } from './types';
import { plural, thousands } from './explain';

/** One sentence per kill: why memory ran out, every candidate's score, who died and what it freed. */
export function explainOomKills(kills: readonly OomKill[]): string {
  return kills.map(explainKill).join(' ');
}

function explainKill(k: OomKill): string {
  const where = k.at ? ` for ${k.at.region}[${k.at.page}]` : '';
  const scores = k.candidates.map((c) => `${c.process} ${thousands(c.points)} (${thousands(c.rss)} resident + ${plural(c.tablePages, 'page-table page')})`).join(', ');
  const tie = k.candidates.filter((c) => c.points === k.candidates.find((x) => x.process === k.victim)?.points).length > 1 ? ', the later process winning the tie' : '';
  const self = k.victim === k.faulting ? ` — the faulting process itself, so its access stops at that page` : '';
  return (
    `All ${thousands(k.memory)} frames are in use and ${k.faulting}'s fault needs one${where}: the page allocator calls the OOM killer ` +
    `(out_of_memory → select_bad_process), which scores each process with oom_badness — resident pages, shared ones counted in full, plus page tables: ${scores} — ` +
    `and kills ${k.victim} with SIGKILL, the highest score${tie}${self}. That frees the ${plural(k.freed, 'frame')} only ${k.victim} held. ` +
    `(Simplified: no swap, no page cache to reclaim first, every oom_score_adj 0, last-level page tables only.)`
  );
}

/** Frames a full copy of `process`'s address space would need at fork: its resident private pages. */
export function framesForFullCopy(data: MachineData, process: string): number {
  const p = data.processes.get(process);
  if (!p) return 0;
  let needed = 0;
  for (const r of addressSpaceOwner(data.processes, p).regions) {
    if (r.kind !== 'private') continue;
    r.table.forEachEntryIn(0, r.pages - 1, (page, e) => {
      const v = vmaAt(r.vmas, page);
      if (e > 1 && !v.hole && !v.dontfork && !v.wipeonfork) needed++;
    });
  }
  return needed;
}

/** fork() under the full-copy policy when the copy does not fit. */
export function explainForkFailed(process: string, child: string, needed: number, free: number, memory: number): string {
  return (
    `${process}'s fork fails at once with ENOMEM: a full copy needs a new frame for each of its ${plural(needed, 'resident private page')}, ` +
    `and only ${thousands(free)} of the machine's ${thousands(memory)} frames are free. No ${child} is created and nothing changes. ` +
    `(Linux refuses a fork up front the same way only when it accounts memory strictly, vm.overcommit_memory = 2: dup_mmap charges each private writable mapping through __vm_enough_memory.)`
  );
}
