// The rules of process lifecycle, written once: who may be created, who may act, what vfork does
// to the parent, what exec and exit do to a vfork child's borrowed address space, whose address
// space a process uses, and which mappings mmap refuses. The engine applies them to its drafts
// (lifecycle.ts, fork.ts, apply.ts); LifeModel (lifeModel.ts) applies them to a light model of
// names and regions, which the checker, completion and the run budget read. Nothing here knows
// frames or page tables.

import { thousands } from './numbers';
import { EngineError, HUGE_PAGES, MAX_PROCESSES, MAX_REGION_PAGES, ProcessStatus, RegionKind } from './types';

/** What the rules read and change of a process: an engine draft is one, so is a LifeModel record. */
export interface Lifecycle {
  readonly name: string;
  status: ProcessStatus;
  readonly parent: string | null;
  /** vfork child: whose address space it borrows until it execs or exits. */
  borrowsFrom: string | null;
  /** vfork parent: the child it waits for. */
  waitsFor: string | null;
}

export type Birth = 'spawn' | 'fork' | 'vfork';

/** Why a process named `name` cannot be created now, or null. */
export function refuseNewProcess(name: string, exists: boolean, processes: number): EngineError | null {
  if (exists) return { code: 'duplicate-name', message: `a process named '${name}' already exists` };
  if (processes >= MAX_PROCESSES) return { code: 'too-large', message: `at most ${MAX_PROCESSES} processes` };
  return null;
}

/** How a new process starts: running; a vfork child borrows its parent's address space (CLONE_VM). */
export function born(name: string, parent: string | null, how: Birth): Lifecycle {
  return { name, status: 'running', parent, borrowsFrom: how === 'vfork' ? parent : null, waitsFor: null };
}

/** CLONE_VFORK: the parent sleeps until the child execs or exits. */
export function suspendForVfork(parent: Lifecycle, child: string): void {
  parent.status = 'suspended';
  parent.waitsFor = child;
}

/**
 * Why `name` cannot act now (it does not exist, has exited, or waits in vfork), or null.
 * `killed`: it exited because the OOM killer killed it.
 */
export function refuseAction(p: Readonly<Lifecycle> | undefined, name: string, killed = false): EngineError | null {
  if (!p) return { code: 'unknown-process', message: `there is no process '${name}'` };
  if (p.status === 'exited') return { code: 'process-exited', message: killed ? `${name} was killed by the OOM killer and can do nothing more` : `${name} has exited and can do nothing more` };
  if (p.status === 'suspended') return { code: 'process-suspended', message: `${name} is suspended in vfork until ${p.waitsFor ?? 'its child'} calls exec or exit` };
  return null;
}

/**
 * exec or exit leaves the address space `p` uses (mm_release). A vfork child only gives back
 * the one it borrowed, and its parent resumes (complete_vfork_done): returned as `resumed`.
 * Otherwise the space is `p`'s own, and the caller drops it (exit_mmap).
 */
export function leaveAddressSpace<P extends Lifecycle>(p: P, draft: (name: string) => P): { readonly own: boolean; readonly resumed: P | null } {
  if (p.borrowsFrom === null) return { own: true, resumed: null };
  const parent = draft(p.borrowsFrom);
  p.borrowsFrom = null;
  if (parent.waitsFor !== p.name) return { own: false, resumed: null };
  parent.waitsFor = null;
  parent.status = 'running';
  return { own: false, resumed: parent };
}

/** The process whose address space `p` uses: itself, or the one a vfork child borrows (hops bounded by `limit`). */
export function addressSpaceOf<P extends Readonly<Lifecycle>>(p: P, lookup: (name: string) => P | undefined, limit: number): P {
  let cur = p;
  for (let hops = 0; cur.borrowsFrom !== null && hops <= limit; hops++) {
    const next = lookup(cur.borrowsFrom);
    if (!next) break;
    cur = next;
  }
  return cur;
}

/** Why mmap refuses a region of `pages` pages (`exists`: the address space has one of that name), or null. */
export function refuseMapping(process: string, region: string, pages: number, kind: RegionKind, huge: boolean, exists: boolean): EngineError | null {
  if (!Number.isInteger(pages) || pages < 1) return { code: 'invalid-argument', message: `a region needs a whole number of pages, at least 1 (got ${pages})` };
  if (huge && kind !== 'private') return { code: 'invalid-argument', message: 'transparent huge pages are modelled for private anonymous memory only: map it `private huge`' };
  if (huge && pages % HUGE_PAGES !== 0) return { code: 'invalid-argument', message: `a huge region is a whole number of 2 MiB huge pages: ${pages} pages is not a multiple of ${HUGE_PAGES}` };
  if (pages > MAX_REGION_PAGES) return { code: 'too-large', message: `a region may have at most ${thousands(MAX_REGION_PAGES)} pages (16 GiB); ${thousands(pages)} asked` };
  if (exists) return { code: 'duplicate-name', message: `${process} already has a region named '${region}'` };
  return null;
}

/** Why munmap refuses (no region of that name), or null. */
export function refuseUnmapping(process: string, region: string, exists: boolean): EngineError | null {
  return exists ? null : { code: 'unknown-region', message: `${process} has no region named '${region}'` };
}
