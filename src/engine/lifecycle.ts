// Process and mapping lifecycle: spawn, mmap, munmap, madvise, execve, exit.

import { thousands } from './explain';
import { dropPins } from './refs';
import { dropTable } from './sharing';
import { frameOf } from './state';
import { advise } from './vma';
import { fail, ProcessDraft, RegionDraft, Tx } from './tx';
import { pmdCount, split } from './huge';
import { Advice, HUGE_PAGES, MAX_PROCESSES, MAX_REGION_PAGES, RegionKind } from './types';

export function spawn(tx: Tx, name: string): void {
  if (tx.has(name)) fail('duplicate-name', `a process named '${name}' already exists`);
  if (tx.processCount() >= MAX_PROCESSES) fail('too-large', `at most ${MAX_PROCESSES} processes`);
  tx.addProcess({ name, pid: tx.nextPid++, status: 'running', parent: null, borrowsFrom: null, waitsFor: null, regions: [] });
  tx.emit({ kind: 'process-created', process: name, parent: null, how: 'spawn' });
}

/** mmap(MAP_ANONYMOUS | MAP_PRIVATE or MAP_SHARED): a region with no pages present yet. */
export function map(tx: Tx, process: string, region: string, pages: number, kind: RegionKind, huge = false): void {
  if (!Number.isInteger(pages) || pages < 1) fail('invalid-argument', `a region needs a whole number of pages, at least 1 (got ${pages})`);
  if (huge && kind !== 'private') fail('invalid-argument', 'transparent huge pages are modelled for private anonymous memory only: map it `private huge`');
  if (huge && pages % HUGE_PAGES !== 0) fail('invalid-argument', `a huge region is a whole number of 2 MiB huge pages: ${pages} pages is not a multiple of ${HUGE_PAGES}`);
  if (pages > MAX_REGION_PAGES) fail('too-large', `a region may have at most ${thousands(MAX_REGION_PAGES)} pages (16 GiB); ${thousands(pages)} asked`);
  const space = tx.addressSpace(process);
  if (space.regions.some((r) => r.name === region)) fail('duplicate-name', `${process} already has a region named '${region}'`);
  const shm = kind === 'shared' ? tx.newShm(pages).id : -1;
  space.regions.push(tx.newRegion(region, pages, kind, shm, huge));
  tx.emit({ kind: 'region-mapped', process, region, pages, regionKind: kind });
}

/** munmap: zap_pte_range drops one mapping per present entry; frames nobody maps any more are freed. */
export function unmap(tx: Tx, process: string, region: string): void {
  const space = tx.addressSpace(process);
  const i = space.regions.findIndex((r) => r.name === region);
  if (i < 0) fail('unknown-region', `${process} has no region named '${region}'`);
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
  if (p.borrowsFrom !== null) {
    const parent = tx.draft(p.borrowsFrom);
    p.borrowsFrom = null;
    if (parent.waitsFor === p.name) {
      parent.waitsFor = null;
      parent.status = 'running';
      tx.emit({ kind: 'process-resumed', process: parent.name });
    }
    return;
  }
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
