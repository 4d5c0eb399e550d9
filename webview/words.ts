// The panel's words for entries, frames and steps: tooltips, accessible names, badges.
import type { FrameInfo, PteRow, StepKind } from '../src/protocol/messages';
import { frameRange, pageRange, plural, thousands } from './format';

export const STEP_KIND_LABELS: Readonly<Record<StepKind, string>> = {
  'write-fault': 'write fault · page copied',
  reuse: 'write fault · frame reused',
  fault: 'page fault',
  fork: 'fork',
  exec: 'exec',
  exit: 'exit',
  map: 'mmap',
  quiet: 'no fault',
  'expect-pass': 'expectation holds',
  'expect-fail': 'expectation fails',
  'oom-kill': 'out of memory · OOM kill',
  'fork-failed': 'fork failed · ENOMEM',
};

/** The frame column of a row: "#2", "#5–#20", "zero page", "hole", "—". */
export function rowFrameText(row: PteRow): string {
  if (row.hole) return 'hole';
  if (row.frame === null) return '—';
  if (row.frame === 'zero') return 'zero page';
  if (row.first === row.last || row.frameStep === 0) return `#${thousands(row.frame)}`;
  return frameRange(row.frame, row.frame + (row.last - row.first) * row.frameStep);
}

/** Flags of an entry in reading order, as words. */
export function rowFlags(row: PteRow): string[] {
  if (row.hole) return ['hole (MADV_DONTFORK): an access is SIGSEGV'];
  if (!row.present) return ['not present'];
  const words = ['present', row.writable ? 'writable' : 'read-only'];
  if (row.cow) words.push('copy-on-write');
  if (row.shared) words.push('shared mapping');
  if (row.frame === 'zero') words.push('zero page');
  if (row.anonExclusive) words.push('marked exclusive (PageAnonExclusive)');
  if (row.pmd) words.push(row.frame === 'zero' ? 'one PMD entry maps the huge zero page here' : 'one PMD entry maps all of these pages (a 2 MiB transparent huge page)');
  return words;
}

/** "pages 0–15: present, read-only, copy-on-write, frames #1–#16 (changed by this step)". */
export function describeRow(row: PteRow): string {
  const pages = row.first === row.last ? `page ${thousands(row.first)}` : `pages ${pageRange(row.first, row.last)}`;
  const frame = row.frame === null ? '' : row.frame === 'zero' ? '' : `, ${row.first === row.last || row.frameStep === 0 ? 'frame' : 'frames'} ${rowFrameText(row)}`;
  const cow = !row.cow
    ? ''
    : row.pmd
      ? ' — the next write faults into do_huge_pmd_wp_page, which reuses the whole huge page if this PMD entry holds its only reference, and otherwise splits this entry into 512 and copies only the 4 KiB written (Linux 5.8 on)'
      : ' — the next write faults into do_wp_page, which copies unless the page is marked exclusive or this entry holds its only reference';
  const changed = row.changed ? ' (changed by this step)' : '';
  return `${pages}: ${rowFlags(row).join(', ')}${frame}${cow}${changed}`;
}

/** "frame #5 holds "mine", mapped by 1 entry (child); copied from #2 by this step". */
export function describeFrame(f: FrameInfo): string {
  const value = f.value === '' ? 'zeros' : `"${f.value}"`;
  const owners = f.owners.length > 0 ? ` (${f.owners.join(', ')})` : '';
  const change =
    f.change === 'copied' ? `; copied from #${thousands(f.copiedFrom ?? 0)} by this step`
    : f.change === 'allocated' ? '; allocated by this step'
    : f.change === 'reused' ? '; reused in place by this step (wp_page_reuse)'
    : f.change === 'freed' ? '; freed by this step'
    : f.change === 'written' ? '; written by this step through a writable entry (no fault)'
    : '';
  const shmem = f.shmem ? ', shared memory (shmem)' : '';
  return `frame #${thousands(f.frame)} holds ${value}, mapped by ${plural(f.mapCount, 'entry', 'entries')}${owners}${references(f)}${shmem}${change}`;
}

/** "; 3 references (2 mappings, 1 page in pipe leak)", or nothing when only mappings hold it. */
export function references(f: FrameInfo): string {
  const refs = f.refCount ?? f.mapCount;
  if (refs === f.mapCount) return '';
  const parts = [plural(f.mapCount, 'mapping')];
  const byPipe = new Map<string, number>();
  for (const p of f.pipes ?? []) byPipe.set(p, (byPipe.get(p) ?? 0) + 1);
  for (const [pipe, n] of byPipe) parts.push(`${plural(n, 'page')} in pipe ${pipe}`);
  if ((f.pins ?? 0) > 0) parts.push(plural(f.pins ?? 0, 'long-term pin'));
  return `; ${plural(refs, 'reference')} (${parts.join(', ')})`;
}
