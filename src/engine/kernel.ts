// Which Linux rules the machine follows. A scenario's `kernel` header picks a release; the
// engine turns it into the handful of rule changes that matter for copy-on-write. Each
// boundary is the first release that carried the commit (docs/kernel-model.md cites them).

/** A Linux release, e.g. { major: 4, minor: 19 }. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

/** The default: the rules of the kernel this project is checked against (6.18); later releases keep them. */
export const TODAY: KernelVersion = { major: 6, minor: 18 };

/** Oldest release the engine will model (fork, anonymous memory and COW as described hold since 2.6.x; 3.0 keeps numbers simple). */
export const OLDEST: KernelVersion = { major: 3, minor: 0 };

/**
 * How do_wp_page decides to reuse an anonymous page instead of copying it:
 * - `mapcount` (before 5.8): reuse when the page is mapped once (reuse_swap_page), whoever
 *   else holds a reference — the vmsplice leak (CVE-2020-29374).
 * - `gup-unshare` (5.8 only): same fault rule, but get_user_pages on a COW page breaks the
 *   sharing first (commit 17839856fd58), so vmsplice takes a private copy.
 * - `refcount` (5.9–5.18): reuse only when the page's reference count is 1 (commit 09854ba94c6a);
 *   get_user_pages no longer breaks sharing (commit a308c71bf1e6 removed the 5.8 change).
 * - `exclusive` (5.19 on): reuse when the page carries PageAnonExclusive, else when the
 *   reference count is 1, and mark it (commit 6c287605fd56).
 */
export type ReuseRule = 'mapcount' | 'gup-unshare' | 'refcount' | 'exclusive';

export function atLeast(v: KernelVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function reuseRule(v: KernelVersion): ReuseRule {
  if (atLeast(v, 5, 19)) return 'exclusive';
  if (atLeast(v, 5, 9)) return 'refcount';
  if (atLeast(v, 5, 8)) return 'gup-unshare';
  return 'mapcount';
}

/** Pinned pages are copied for the child at fork (commit 70e806e4e645, 5.9). */
export function forkCopiesPinned(v: KernelVersion): boolean {
  return atLeast(v, 5, 9);
}

/** A write to a shared huge page splits the PMD and copies 4 KiB (commit 3917c80280c9, 5.8); before, all 2 MiB. */
export function thpSplitsOnWrite(v: KernelVersion): boolean {
  return atLeast(v, 5, 8);
}

/**
 * How do_huge_pmd_wp_page decides to reuse a write-protected huge page:
 * - `mapcount` (before 5.18): reuse_swap_page / page_trans_huge_mapcount: mapped once (by this PMD);
 * - `refcount` (5.18 on, commit 3bff7e3f1f16): the folio's only reference is this PMD's; from 5.19
 *   a PMD carrying PageAnonExclusive is reused first (commit 6c287605fd56), which this model's
 *   write-protected PMDs never do (see entry.ts).
 */
export function thpReuseRule(v: KernelVersion): 'mapcount' | 'refcount' {
  return atLeast(v, 5, 18) ? 'refcount' : 'mapcount';
}

/**
 * How a write fault on one page-table entry into a split huge page (a page of a large folio)
 * decides, by era (wp_can_reuse_anon_folio and its ancestors):
 * - `mapcount` (before 5.9): the page itself is mapped once;
 * - `refcount` (5.9–5.18): the folio's count is 1 — no other page of it is still in use;
 * - `never` (5.19–6.14): a page of a large folio is copied;
 * - `folio` (6.15 on, commit 1da190f4d0a6, __wp_can_reuse_large_anon_folio): reused when every
 *   reference to the folio is a mapping in this process, and more than one page of it is mapped.
 */
export function largeFolioRule(v: KernelVersion): 'mapcount' | 'refcount' | 'never' | 'folio' {
  if (atLeast(v, 6, 15)) return 'folio';
  if (atLeast(v, 5, 19)) return 'never';
  if (atLeast(v, 5, 9)) return 'refcount';
  return 'mapcount';
}

/** The function fork uses per present entry: copy_one_pte, copy_present_pte (5.9), copy_present_ptes (6.9, batched). */
export function forkPteFunction(v: KernelVersion): string {
  if (atLeast(v, 6, 9)) return 'copy_present_ptes';
  if (atLeast(v, 5, 9)) return 'copy_present_pte';
  return 'copy_one_pte';
}

export function formatKernel(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}

/** "4.19" → version, or a reason it is not one the engine models. */
export function parseKernel(text: string): KernelVersion | string {
  const m = /^(\d{1,2})\.(\d{1,3})$/.exec(text);
  if (!m) return `a kernel version is MAJOR.MINOR, e.g. 4.19 or 6.8 (got '${text}')`;
  const v = { major: Number(m[1]), minor: Number(m[2]) };
  if (!atLeast(v, OLDEST.major, OLDEST.minor)) return `the engine models Linux ${formatKernel(OLDEST)} and later`;
  return v;
}
