// Process and mapping lifecycle: spawn, mmap, munmap, madvise, execve, exit.

import { dropPins } from './refs';
import { dropTable } from './sharing';
import { frameOf } from './state';
import { advise } from './vma';
import { fail, failWith, ProcessDraft, RegionDraft, Tx } from './tx';
import { pmdCount, split } from './huge';
import { born, leaveAddressSpace as leave, refuseMapping, refuseNewProcess, refuseUnmapping } from './life';
import { Advice, HUGE_PAGES, RegionKind } from './types';

export function spawn(tx: Tx, name: string): void {
  failWith(refuseNewProcess(name, tx.has(name), tx.processCount()));
  tx.addProcess({ ...born(name, null, 'spawn'), pid: tx.nextPid++, regions: [] });
  tx.emit({ kind: 'process-created', process: name, parent: null, how: 'spawn' });
}

/** mmap(MAP_ANONYMOUS | MAP_PRIVATE or MAP_SHARED): a region with no pages present yet. */
export function map(tx: Tx, process: string, region: string, pages: number, kind: RegionKind, huge = false): void {
  const space = tx.addressSpace(process);
  failWith(refuseMapping(process, region, pages, kind, huge, space.regions.some((r) => r.name === region)));
  const shm = kind === 'shared' ? tx.newShm(pages).id : -1;
  space.regions.push(tx.newRegion(region, pages, kind, shm, huge));
  tx.emit({ kind: 'region-mapped', process, region, pages, regionKind: kind });
}

/** munmap: zap_pte_range drops one mapping per present entry; frames nobody maps any more are freed. */
export function unmap(tx: Tx, process: string, region: string): void {
  const space = tx.addressSpace(process);
  const i = space.regions.findIndex((r) => r.name === region);
  failWith(refuseUnmapping(process, region, i >= 0));
  dropRegion(tx, space.regions[i] as RegionDraft);
  space.regions.splice(i, 1);
  tx.emit({ kind: 'region-unmapped', process, region });
}

export function dropRegion(tx: Tx, r: RegionDraft): void {
  // zap_huge_pmd drops a PMD-mapped huge page as one entry.
  tx.stats.ptesZapped -= (HUGE_PAGES - 1) * pmdCount(r);
  dropTable(tx, r.table, (frame) => freed(tx, frame));
  if (r.kind === 'shared') {
    const shm = tx.shmDraft(r.shm);
    shm.users--;
    if (shm.users === 0) {
      // The last mapping of the shmem object is gone: its page cache goes with it.
      shm.pages.forEachNonZero((_page, e) => {
        const frame = frameOf(e);
        if (tx.frames.release(frame)) freed(tx, frame);
      });
      tx.dropShm(r.shm);
    }
  }
}

function freed(tx: Tx, frame: number): void {
  if (tx.recording) tx.emit({ kind: 'frame-freed', frame });
  else tx.eventsOmitted++;
}

/** Drops a whole address space (exit_mmap), or detaches a vfork child from the one it borrows. */
function leaveAddressSpace(tx: Tx, p: ProcessDraft): void {
  const { own, resumed } = leave(p, (name) => tx.draft(name));
  if (resumed) tx.emit({ kind: 'process-resumed', process: resumed.name });
  if (!own) return;
  for (const r of p.regions) dropRegion(tx, r);
  p.regions = [];
}

/** execve: the old address space is dropped and the process starts with an empty one. */
export function exec(tx: Tx, process: string): void {
  const p = tx.draft(process);
  dropPins(tx, (x) => x.process === process);
  leaveAddressSpace(tx, p);
  tx.emit({ kind: 'process-exec', process });
}

export function exit(tx: Tx, process: string): void {
  const p = tx.draft(process);
  dropPins(tx, (x) => x.process === process);
  leaveAddressSpace(tx, p);
  p.status = 'exited';
  tx.emit({ kind: 'process-exited', process });
}

/** madvise(MADV_DONTFORK / MADV_WIPEONFORK / MADV_DOFORK+KEEPONFORK) on pages first..last. */
export function madvise(tx: Tx, process: string, region: RegionDraft, first: number, last: number, advice: Advice): void {
  if (advice === 'wipeonfork' && region.kind === 'shared') {
    fail('invalid-argument', `MADV_WIPEONFORK only applies to private anonymous memory; '${region.name}' is shared (madvise returns EINVAL)`);
  }
  const hole = region.vmas.find((v) => v.hole && v.first <= last && v.last >= first);
  if (hole) fail('segfault', `${region.name}[${Math.max(hole.first, first)}] is not mapped in ${process} (madvise returns ENOMEM)`);
  // A VMA boundary inside a huge page splits its PMD entry (vma_adjust_trans_huge → split_huge_pmd_address).
  for (const edge of [first, last + 1]) if (edge % HUGE_PAGES !== 0 && edge < region.pages) split(tx, { process, region: region.name, page: edge }, region, edge);
  region.vmas = advise(region.vmas, first, last, advice);
  tx.emit({ kind: 'advice', process, region: region.name, first, last, advice });
}
