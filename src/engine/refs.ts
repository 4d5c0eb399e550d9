// References that are not mappings: pipes filled by vmsplice and long-term pins.
//
// vmsplice(2) (without SPLICE_F_GIFT) looks the pages up with get_user_pages and puts them
// in the pipe's buffers: the pipe holds a reference on each page, not a copy, for as long as
// nobody reads it — even after the process that filled it unmapped the pages or exited.
// A long-term pin (io_uring's IORING_REGISTER_BUFFERS, RDMA memory registration) takes the
// pages with pin_user_pages(FOLL_WRITE | FOLL_LONGTERM): a write fault first, so the pinned
// page is the pinner's own, then a reference that lasts until the buffers are unregistered.
//
// The model counts one reference per pin; the kernel adds GUP_PIN_COUNTING_BIAS (1024) to a
// small page's count per pin, so that folio_maybe_dma_pinned can tell pins from other references.

import { access, KEEP_VALUE } from './fault';
import { ZERO_FRAME } from './frames';
import { reuseRule } from './kernel';
import { frameOf, PTE_ABSENT } from './state';
import { fail, RegionDraft, Tx } from './tx';
import { vmaAt } from './vma';
import { PIPE_PAGES } from './types';

export interface RefSummary {
  /** Pages that needed a fault first (faulted in, or their sharing broken). */
  readonly faulted: number;
  /** Pages whose fault copied a shared frame. */
  readonly copied: number;
  /** The frames now held, in page order (0 = the zero page). */
  readonly frames: readonly number[];
}

function noHoles(r: RegionDraft, process: string, first: number, last: number, call: string): void {
  for (let page = first; page <= last; page++) {
    if (vmaAt(r.vmas, page).hole) fail('segfault', `${process} passed ${r.name}[${page}] to ${call}, but it is not mapped in ${process} (MADV_DONTFORK at fork): EFAULT`);
  }
}

function entryFrame(r: RegionDraft, page: number): number {
  const e = r.table.entry(page);
  if (e === PTE_ABSENT) throw new Error(`engine invariant broken: ${r.name}[${page}] not present after a fault`);
  return frameOf(e);
}

/**
 * get_user_pages for the pages first..last: faults them in (a read fault; a write fault with
 * `write`, keeping the contents) and returns what each entry maps afterwards.
 */
function lookUp(tx: Tx, process: string, r: RegionDraft, first: number, last: number, write: boolean): RefSummary {
  const summary = access(tx, process, r, first, last, write, KEEP_VALUE);
  const frames: number[] = [];
  for (let page = first; page <= last; page++) frames.push(entryFrame(r, page));
  const c = summary.counts;
  return { faulted: c['zero-mapped'] + c['fresh-read'] + c.fresh + c['zero-replaced'] + c.copied + c.reused + c['shmem-new'] + c['shmem-found'] + c['huge-fresh'] + c['huge-zero'] + c['huge-reused'] + c['huge-copied'], copied: c.copied + c['huge-copied'], frames };
}

/** vmsplice(fd, iov, 0): the pipe takes a reference on each page. Pipes are created on first use. */
export function vmsplice(tx: Tx, process: string, r: RegionDraft, first: number, last: number, pipe: string): RefSummary {
  const held = tx.pipe(pipe)?.length ?? 0;
  const pages = last - first + 1;
  if (held + pages > PIPE_PAGES) {
    fail('too-large', `pipe ${pipe} holds at most ${PIPE_PAGES} pages (the default pipe size); it has ${held}, and ${pages} more do not fit`);
  }
  noHoles(r, process, first, last, 'vmsplice');
  // Linux 5.8 only: get_user_pages broke the sharing of a COW page before taking it (commit
  // 17839856fd58), like a write fault that keeps the contents. Otherwise it is a plain lookup.
  const breaksCow = r.kind === 'private' && reuseRule(tx.kernel) === 'gup-unshare';
  const got = lookUp(tx, process, r, first, last, breaksCow);
  const list = tx.pipesForEdit();
  const frames = list.get(pipe) ?? [];
  list.set(pipe, frames);
  for (const [i, frame] of got.frames.entries()) {
    tx.frames.hold(frame);
    frames.push(frame);
    if (tx.recording) tx.emit({ kind: 'pipe-spliced', pipe, at: { process, region: r.name, page: first + i }, frame });
    else tx.eventsOmitted++;
  }
  return got;
}

/** Reads the pipe empty: each page's reference is dropped, frames nothing else holds are freed. */
export function drain(tx: Tx, process: string, pipe: string): readonly string[] {
  const frames = tx.pipe(pipe);
  if (frames === undefined) fail('unknown-pipe', `there is no pipe '${pipe}': vmsplice into it first`);
  const values = frames.map((f) => tx.base.values.text(tx.frames.valueOf(f)));
  const list = tx.pipesForEdit();
  list.set(pipe, []);
  for (const f of frames) if (tx.frames.unhold(f)) tx.emit({ kind: 'frame-freed', frame: f });
  tx.emit({ kind: 'pipe-drained', pipe, process, values });
  return values;
}

/** pin_user_pages(FOLL_WRITE | FOLL_LONGTERM) on pages first..last. */
export function pin(tx: Tx, process: string, r: RegionDraft, first: number, last: number): RefSummary {
  noHoles(r, process, first, last, 'the pin');
  const got = lookUp(tx, process, r, first, last, true);
  const pins = tx.pinsForEdit();
  for (const [i, frame] of got.frames.entries()) {
    const page = first + i;
    tx.frames.hold(frame);
    pins.push({ process, region: r.name, page, frame });
    if (tx.recording) tx.emit({ kind: 'page-pinned', at: { process, region: r.name, page }, frame });
    else tx.eventsOmitted++;
  }
  return got;
}

/** unpin_user_pages: drops every pin `process` holds on pages first..last of `region`. Returns the pins dropped. */
export function unpin(tx: Tx, process: string, region: string, first: number, last: number): number {
  for (let page = first; page <= last; page++) {
    if (!tx.pins.some((p) => p.process === process && p.region === region && p.page === page)) {
      fail('not-pinned', `${process} has not pinned ${region}[${page}]`);
    }
  }
  return dropPins(tx, (p) => p.process === process && p.region === region && p.page >= first && p.page <= last);
}

/** Drops the pins `which` selects (all of a process's when it exits or execs: the ring's file is closed). */
export function dropPins(tx: Tx, which: (p: { process: string; region: string; page: number }) => boolean): number {
  if (!tx.pins.some(which)) return 0;
  const pins = tx.pinsForEdit();
  let dropped = 0;
  for (let i = pins.length - 1; i >= 0; i--) {
    const p = pins[i] as (typeof pins)[number];
    if (!which(p)) continue;
    pins.splice(i, 1);
    dropped++;
    if (tx.recording) tx.emit({ kind: 'page-unpinned', at: { process: p.process, region: p.region, page: p.page }, frame: p.frame });
    else tx.eventsOmitted++;
    if (tx.frames.unhold(p.frame)) tx.emit({ kind: 'frame-freed', frame: p.frame });
  }
  return dropped;
}

/** Is `frame` pinned (folio_maybe_dma_pinned)? */
export function isPinned(tx: Tx, frame: number): boolean {
  return frame !== ZERO_FRAME && tx.pins.some((p) => p.frame === frame);
}
