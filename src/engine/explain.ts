// One plain sentence per step, naming the kernel function that did the work.

import { AccessOutcome, AccessSummary, PageAccess } from './fault';
import { EmptyReason, ForkSummary } from './fork';
import { forkPteFunction, reuseRule } from './kernel';
import { RegionDraft, Tx } from './tx';
import { HUGE_PAGES, Operation, PAGE_SIZE } from './types';
import { explainHuge, whyLargeCopy, whyLargeReuse } from './explainHuge';
import { thousands } from './numbers';

export { thousands };

export function bytes(n: number): string {
  if (n >= 1 << 30 && n % (1 << 30) === 0) return `${n / (1 << 30)} GiB`;
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}


export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

function times(n: number): string {
  return n === 2 ? 'twice' : n === 3 ? 'three times' : `${n} times`;
}

function frameName(f: number): string {
  return f === 0 ? 'the zero page' : `frame ${f}`;
}

export function explainAccess(tx: Tx, op: Operation & { op: 'read' | 'write' }, r: RegionDraft, summary: AccessSummary): string {
  const p = op.process;
  if (summary.single) return explainOne(tx, p, r, op.op === 'write', summary.single);
  const parts: string[] = [];
  const add = (o: AccessOutcome, text: (n: number) => string): void => {
    const n = summary.counts[o];
    if (n) parts.push(text(n));
  };
  add('copied', (n) => `${plural(n, 'frame')} copied (do_wp_page → wp_page_copy, ${bytes(n * PAGE_SIZE)})`);
  add('reused', (n) => `${plural(n, 'frame')} reused in place (wp_page_reuse)`);
  add('fresh', (n) => `${plural(n, 'new zeroed frame')} (do_anonymous_page)`);
  add('zero-replaced', (n) => `${plural(n, 'zero-page entry', 'zero-page entries')} replaced by a zeroed frame (do_wp_page → wp_page_copy, nothing copied)`);
  add('zero-mapped', (n) => `${plural(n, 'page')} mapped to the shared zero page (do_anonymous_page)`);
  add('fresh-read', (n) => `${plural(n, 'new zeroed frame')} for reads (do_anonymous_page; this kernel maps no shared zero page)`);
  add('shmem-new', (n) => `${plural(n, 'page')} allocated in the shared object (shmem_fault)`);
  add('shmem-found', (n) => `${plural(n, 'page')} found in the shared object (shmem_fault)`);
  add('huge-fresh', (n) => `${plural(n, 'new zeroed 2 MiB huge page')}, one PMD entry each (do_huge_pmd_anonymous_page)`);
  add('huge-zero', (n) => `${plural(n, 'PMD entry', 'PMD entries')} mapping the huge zero page (do_huge_pmd_anonymous_page)`);
  add('huge-reused', (n) => `${plural(n, 'huge page')} reused whole (do_huge_pmd_wp_page)`);
  add('huge-copied', (n) => `${plural(n, 'huge page')} copied whole (do_huge_pmd_wp_page, ${bytes(n * HUGE_PAGES * PAGE_SIZE)})`);
  if (summary.splits) parts.push(`${plural(summary.splits, 'PMD entry', 'PMD entries')} split into page tables first (__split_huge_pmd)`);
  add('hit', (n) => `${plural(n, 'page')} without a fault`);
  const verb = op.op === 'write' ? 'wrote' : 'read';
  return `${p} ${verb} ${r.name}[${op.first}..${op.last}], ${plural(summary.pages, 'page')}: ${parts.join('; ')}.`;
}

function explainOne(tx: Tx, p: string, r: RegionDraft, write: boolean, a: PageAccess): string {
  const at = `${r.name}[${a.page}]`;
  const verb = write ? 'wrote' : 'read';
  if (a.split || a.outcome.startsWith('huge-')) return explainHuge(tx, p, r, write, a);
  switch (a.outcome) {
    case 'copied':
      if (a.large) return `${p} wrote ${at}; ${whyLargeCopy(tx, a)}, so do_wp_page → wp_page_copy gave ${p} a private copy in frame ${a.frame} (${bytes(PAGE_SIZE)} copied).`;
      return `${p} wrote ${at}; ${whyCopy(tx, a)}, so do_wp_page → wp_page_copy gave ${p} a private copy in frame ${a.frame} (${bytes(PAGE_SIZE)} copied).`;
    case 'reused':
      if (a.large) return `${p} wrote ${at}; ${whyLargeReuse(tx, p, a.frame)}`;
      return `${p} wrote ${at}; ${whyReuse(tx, p, a.frame)}`;
    case 'fresh':
      return `${p} wrote ${at} for the first time; do_anonymous_page gave it a new zeroed frame ${a.frame}.`;
    case 'zero-replaced':
      return `${p} wrote ${at}, which mapped the shared zero page; do_wp_page → wp_page_copy allocated a zeroed frame ${a.frame} instead of copying.`;
    case 'zero-mapped':
      return `${p} read ${at} before anything was written there; do_anonymous_page mapped the shared zero page read-only, so no frame is used yet.`;
    case 'fresh-read':
      return `${p} read ${at} before anything was written there; this kernel maps no shared zero page, so do_anonymous_page gave ${p} a zeroed frame ${a.frame} of its own, already writable.`;
    case 'shmem-new':
      return `${p} ${verb} ${at}; shmem_fault allocated frame ${a.frame} in the shared object (a real zeroed page, not the zero page), so every process mapping ${r.name} will find it there.`;
    case 'shmem-found':
      return `${p} ${verb} ${at}; shmem_fault found frame ${a.frame} already in the shared object and mapped it: nothing copied.`;
    default:
      if (!write) return `${p} read ${at} = ${JSON.stringify(tx.base.values.text(tx.frames.valueOf(a.frame)))} from ${frameName(a.frame)}; the entry is present, so no fault.`;
      return r.kind === 'shared'
        ? `${p} wrote ${at} in place: ${r.name} is MAP_SHARED, so every process mapping frame ${a.frame} sees the new value.`
        : `${p} wrote ${at}; the entry is already writable and frame ${a.frame} is ${p}'s alone, so no fault and no copy.`;
  }
}

/**
 * The references a frame has, in words: "3 references (2 mappings, 1 pipe page)". `mappings`
 * is the map count to report (the caller knows it at the moment it matters).
 */
export function referenceText(tx: Tx, frame: number, mappings: number): string {
  const extra = tx.frames.extra(frame);
  const pins = extra === 0 ? 0 : tx.pins.reduce((k, x) => k + (x.frame === frame ? 1 : 0), 0);
  const parts = [plural(mappings, 'mapping')];
  if (extra - pins) parts.push(plural(extra - pins, 'pipe page'));
  if (pins) parts.push(plural(pins, 'pin'));
  return `${plural(mappings + extra, 'reference')} (${parts.join(', ')})`;
}

/** Why do_wp_page copied, in the terms of the machine's kernel. */
function whyCopy(tx: Tx, a: PageAccess): string {
  const rule = reuseRule(tx.kernel);
  const f = `frame ${a.before}`;
  if (rule === 'mapcount' || rule === 'gup-unshare') {
    return `${f} is ${a.sharers === null ? 'mapped by more than one process' : `mapped ${times(a.sharers)}`} (this kernel reuses a page only when it is mapped once)`;
  }
  const refs = a.sharers === null ? 'more than one reference' : referenceText(tx, a.before, a.sharers);
  return rule === 'exclusive'
    ? `${f} carries no exclusive mark (fork cleared it) and has ${refs}, not 1`
    : `${f} has ${refs}, and this kernel reuses a page only at reference count 1`;
}

/** Why do_wp_page reused the frame, in the terms of the machine's kernel. */
function whyReuse(tx: Tx, p: string, frame: number): string {
  const rule = reuseRule(tx.kernel);
  const extra = tx.frames.extra(frame);
  if (rule === 'mapcount' || rule === 'gup-unshare') {
    const leak = extra
      ? ` But ${referenceText(tx, frame, 1)} exist: whoever holds the others (a pipe, a pin) now sees what ${p} writes — the vmsplice leak that Linux 5.8 and 5.9 closed.`
      : '';
    return `frame ${frame} is mapped only by ${p} now (map count 1), so do_wp_page → wp_page_reuse made the entry writable again without copying.${leak}`;
  }
  return rule === 'exclusive'
    ? `frame ${frame} carries no exclusive mark (fork cleared it), but its only reference is ${p}'s mapping (reference count 1), so do_wp_page marked it exclusive (PageAnonExclusive) and wp_page_reuse made the entry writable again without copying.`
    : `frame ${frame}'s only reference is ${p}'s mapping (reference count 1), so do_wp_page → wp_page_reuse made the entry writable again without copying.`;
}

const EMPTY_WHY: Record<EmptyReason, string> = {
  shared: 'MAP_SHARED: the child maps the same shared object and faults its pages in',
  untouched: 'no anonymous page yet',
  dontfork: 'MADV_DONTFORK: not in the child at all',
  wipeonfork: 'MADV_WIPEONFORK: zero-filled in the child',
  mixed: 'no anonymous page yet in the parts fork copies',
};

export function explainFork(tx: Tx, parent: string, child: string, s: ForkSummary): string {
  const skipped = s.emptyRegions.length
    ? ` ${s.emptyRegions.map((e) => `${e.region} (${EMPTY_WHY[e.why]})`).join(', ')} got no entries: the child faults in whatever it may touch there.`
    : '';
  const what = s.splitForPins ? plural(s.pinnedCopied, 'page') + ' of pinned huge pages' : plural(s.pinnedCopied, 'pinned page');
  const why = s.splitForPins ? 'folio_needs_cow_for_dma: a pin counts for its whole huge page, which copy_huge_pmd split first' : 'because folio_needs_cow_for_dma';
  const pinned = s.pinnedCopied
    ? ` ${what} ${s.pinnedCopied === 1 ? 'was' : 'were'} copied for ${child} instead (copy_present_page, ${why}): ${parent} keeps ${s.pinnedCopied === 1 ? 'its pinned page' : 'those pages'} writable.`
    : '';
  if (tx.policy === 'eager') {
    return `${parent} forked ${child} with a full copy: ${plural(s.frames, 'frame')} (${bytes(s.frames * PAGE_SIZE)}) copied before ${child} could run.${skipped}`;
  }
  if (s.frames === 0 && s.ptesCopied === 0) return `${parent} forked ${child}; there was nothing to share yet, so nothing was copied.${skipped}`;
  const fn = forkPteFunction(tx.kernel);
  const copiedNote = s.pinnedCopied ? '' : ', and no page was copied';
  if (s.pmdsCopied) {
    const small = s.ptesCopied - s.pmdsCopied;
    const ptes = small ? ` and ${fn} ${plural(small, 'page-table entry', 'page-table entries')}` : '';
    return `${parent} forked ${child}: copy_page_range → copy_huge_pmd copied ${plural(s.pmdsCopied, 'PMD entry', 'PMD entries')}${ptes} (one PMD entry per 2 MiB huge page, not ${HUGE_PAGES} page-table entries); the ${plural(s.frames, 'frame')} they map are now shared and write-protected in both${copiedNote}.${pinned}${skipped}`;
  }
  return `${parent} forked ${child}: copy_page_range → ${fn} copied ${plural(s.ptesCopied, 'page-table entry', 'page-table entries')}; ${s.frames === 1 ? `the frame ${s.ptesCopied === 1 ? 'it maps' : 'they map'} is` : `the ${plural(s.frames, 'frame')} they map are`} now shared and write-protected in both${copiedNote}.${pinned}${skipped}`;
}

/** For operations whose story is short; `action` runs the operation so freed frames can be counted. */
export function explainSimple(tx: Tx, op: Operation, action?: () => void): string {
  const freedBefore = tx.frames.freed.length;
  const wasBorrowing = op.op === 'exec' || op.op === 'exit' ? tx.peek(op.process)?.borrowsFrom ?? null : null;
  action?.();
  const freed = tx.frames.freed.length - freedBefore;
  const freedText = freed ? `${plural(freed, 'frame')} freed` : 'no frame freed';
  switch (op.op) {
    case 'map':
      if (op.huge) {
        return `${op.process} mapped ${op.region}: ${plural(op.pages, 'page')} (${bytes(op.pages * PAGE_SIZE)}) of private anonymous memory, 2 MiB-aligned, with madvise(MADV_HUGEPAGE): each 2 MiB is backed by a transparent huge page mapped by one PMD entry once touched; no frame is used until then.`;
      }
      return `${op.process} mapped ${op.region}: ${plural(op.pages, 'page')} (${bytes(op.pages * PAGE_SIZE)}) of ${op.kind} anonymous memory; no frame is used until a page is touched.`;
    case 'unmap':
      return `${op.process} unmapped ${op.region}: zap_pte_range dropped its entries, ${freedText}.`;
    case 'vfork':
      return `${op.process} vforked ${op.child}: the child borrows ${op.process}'s address space (nothing copied, nothing write-protected) and ${op.process} waits until ${op.child} calls exec or exit.`;
    case 'exec':
      return wasBorrowing
        ? `${op.process} called exec: it stops borrowing ${wasBorrowing}'s memory and starts with an empty address space of its own; ${wasBorrowing} resumes.`
        : `${op.process} called exec: its old address space is dropped (${freedText}) and it starts again with an empty one.`;
    case 'exit':
      return wasBorrowing
        ? `${op.process} exited; ${wasBorrowing}'s memory, which it borrowed, is untouched and ${wasBorrowing} resumes.`
        : `${op.process} exited: exit_mmap dropped every mapping, ${freedText}.`;
    case 'madvise': {
      const range = `${op.region}[${op.first}..${op.last}]`;
      if (op.advice === 'dontfork') return `${op.process} marked ${range} MADV_DONTFORK: a child forked later will not have these pages at all.`;
      if (op.advice === 'wipeonfork') return `${op.process} marked ${range} MADV_WIPEONFORK: a child forked later sees these pages zero-filled.`;
      return `${op.process} cleared the fork advice on ${range}: children inherit these pages as usual again.`;
    }
    default:
      return `${op.op} done.`;
  }
}
