// The sentences for transparent huge pages: faults at the PMD level, splits, and the page-table
// faults on pages of a split huge page. Each names the kernel function that did the work.

import type { PageAccess } from './fault';
import { largeFolioRule, reuseRule, thpReuseRule } from './kernel';
import { mappedOnlyHere } from './sharing';
import { frameOf } from './state';
import { RegionDraft, Tx } from './tx';
import { HUGE_PAGES, PAGE_SIZE } from './types';

function span(r: RegionDraft, page: number): string {
  const first = page - (page % HUGE_PAGES);
  return `${r.name}[${first}..${first + HUGE_PAGES - 1}]`;
}

function frames(head: number): string {
  return `frames ${head}–${head + HUGE_PAGES - 1}`;
}

/** Why the huge page over `page` could not be reused: someone else maps a page of it, or holds a reference. */
function whyShared(tx: Tx, r: RegionDraft, page: number): string {
  const first = page - (page % HUGE_PAGES);
  for (let p = first; p < first + HUGE_PAGES; p++) {
    if (p === page) continue;
    const frame = frameOf(r.table.entry(p));
    if (frame > 0 && !mappedOnlyHere(tx, r.table.leaf(p), frame)) return 'another process maps it too (fork shared it)';
  }
  return thpReuseRule(tx.kernel) === 'refcount' ? 'it has references besides this PMD entry (a pipe or a pin holds a page of it)' : 'another process maps it too';
}

export function explainHuge(tx: Tx, p: string, r: RegionDraft, write: boolean, a: PageAccess): string {
  const at = `${r.name}[${a.page}]`;
  const whole = span(r, a.page);
  const head = a.frame - (a.frame % HUGE_PAGES);
  switch (a.outcome) {
    case 'huge-fresh':
      return `${p} ${write ? 'wrote' : 'read'} ${at}, in a huge region nothing had touched; do_huge_pmd_anonymous_page gave ${whole} a zeroed 2 MiB huge page (${frames(head)}) mapped by one PMD entry, writable.`;
    case 'huge-zero':
      return `${p} read ${at} before anything was written there; do_huge_pmd_anonymous_page mapped the huge zero page read-only over ${whole} with one PMD entry, so no frame is used yet.`;
    case 'huge-reused': {
      const done = `reused it whole: the PMD entry over ${whole} is writable again, nothing copied.`;
      if (thpReuseRule(tx.kernel) === 'mapcount') return `${p} wrote ${at}; the huge page is mapped only by ${p}'s PMD entry now (map count 1), so do_huge_pmd_wp_page ${done}`;
      if (reuseRule(tx.kernel) === 'exclusive') {
        return `${p} wrote ${at}; the huge page carries no exclusive mark (fork cleared it), but its only reference is ${p}'s PMD entry (reference count 1), so do_huge_pmd_wp_page marked it exclusive (PageAnonExclusive) and ${done}`;
      }
      return `${p} wrote ${at}; the huge page's only reference is ${p}'s PMD entry (reference count 1), so do_huge_pmd_wp_page ${done}`;
    }
    case 'huge-copied':
      return `${p} wrote ${at}; the huge page over ${whole} was mapped more than once, and before Linux 5.8 do_huge_pmd_wp_page copied all of it: a new huge page (${frames(head)}, ${HUGE_PAGES * PAGE_SIZE / (1 << 20)} MiB copied by copy_user_huge_page), still one PMD entry.`;
    case 'zero-replaced':
      return `${p} wrote ${at}, under the huge zero page; do_huge_pmd_wp_page split ${p}'s PMD entry into ${HUGE_PAGES} entries of the small zero page (__split_huge_pmd), then do_wp_page → wp_page_copy gave this page a zeroed frame ${a.frame}: nothing copied.`;
    case 'copied':
      return `${p} wrote ${at}; the huge page over ${whole} is shared — ${whyShared(tx, r, a.page)} — so do_huge_pmd_wp_page split ${p}'s PMD entry into ${HUGE_PAGES} page-table entries (__split_huge_pmd) and do_wp_page → wp_page_copy copied only this page into frame ${a.frame} (4 KiB copied, not 2 MiB).`;
    case 'reused':
      return `${p} wrote ${at}; do_huge_pmd_wp_page split ${p}'s PMD entry (__split_huge_pmd), then ${whyLargeReuse(tx, p, a.frame)}`;
    default:
      return `${p} ${write ? 'wrote' : 'read'} ${at} through the PMD entry over ${whole}; no fault.`;
  }
}

/** Why a page of a split huge page was copied rather than reused. */
export function whyLargeCopy(tx: Tx, a: PageAccess): string {
  const f = `frame ${a.before}`;
  switch (largeFolioRule(tx.kernel)) {
    case 'never':
      return `${f} is a page of a split huge page (a large folio), and from Linux 5.19 to 6.14 do_wp_page never reuses a page of one`;
    case 'folio':
      return `${f} is a page of a split huge page (a large folio) that another process still maps, or that has other references, so __wp_can_reuse_large_anon_folio says no`;
    case 'refcount':
      return `${f} is a page of a split huge page whose other pages are still in use, so the folio's reference count is above 1`;
    default:
      return `${f} is mapped more than once`;
  }
}

/** Why a page of a split huge page was reused. */
export function whyLargeReuse(tx: Tx, p: string, frame: number): string {
  const rule = largeFolioRule(tx.kernel);
  if (rule === 'folio') {
    return `frame ${frame} belongs to a split huge page whose every page still in use is mapped only by ${p}, with no other reference, so __wp_can_reuse_large_anon_folio let wp_page_reuse make this entry writable again without copying.`;
  }
  if (rule === 'refcount') return `frame ${frame} is the only page still in use of a split huge page, and its only reference is ${p}'s mapping, so do_wp_page → wp_page_reuse made the entry writable again.`;
  return `frame ${frame} is mapped only by ${p} now (map count 1), so do_wp_page → wp_page_reuse made the entry writable again without copying.`;
}
