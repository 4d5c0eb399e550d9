// The VMAs inside one region. A region starts as one VMA; madvise splits it where the flags
// change (madvise_update_vma → split_vma) and merges neighbours whose flags match again
// (vma_merge). Each VMA has its own anon_vma, made by the first anonymous page allocated in
// it (anon_vma_prepare) and shared by the pieces of a later split — which is why fork copies
// some pieces of a region and not others (vma_needs_copy).
//
// A region's VMAs always cover its pages exactly, in order; a `hole` is a range the process
// does not map at all (a MADV_DONTFORK range left out of a child).

import { Advice } from './types';

export interface Vma {
  readonly first: number;
  readonly last: number;
  readonly dontfork: boolean;
  readonly wipeonfork: boolean;
  /** Identity of the VMA's anon_vma; 0 when it has none. */
  readonly anon: number;
  /** The anon_vma came from anon_vma_fork (its chain also links the parent's): it merges only with the same anon_vma. */
  readonly forked: boolean;
  readonly hole: boolean;
}

export function wholeRegion(pages: number): readonly Vma[] {
  return [{ first: 0, last: pages - 1, dontfork: false, wipeonfork: false, anon: 0, forked: false, hole: false }];
}

export function vmaAt(vmas: readonly Vma[], page: number): Vma {
  for (const v of vmas) if (page <= v.last) return v;
  throw new Error(`engine invariant broken: page ${page} is in no VMA`);
}

/** Splits so that `page` starts a VMA. */
function splitAt(vmas: readonly Vma[], page: number): Vma[] {
  const out: Vma[] = [];
  for (const v of vmas) {
    if (v.first < page && page <= v.last) out.push({ ...v, last: page - 1 }, { ...v, first: page });
    else out.push(v);
  }
  return out;
}

/** is_mergeable_vma + is_mergeable_anon_vma, as far as this model can tell them apart. */
function mergeable(a: Vma, b: Vma): boolean {
  if (a.hole !== b.hole || a.dontfork !== b.dontfork || a.wipeonfork !== b.wipeonfork) return false;
  if (a.hole) return true;
  if (a.anon === b.anon) return true;
  if (a.anon === 0) return !b.forked;
  if (b.anon === 0) return !a.forked;
  return false;
}

export function merged(vmas: readonly Vma[]): Vma[] {
  const out: Vma[] = [];
  for (const v of vmas) {
    const prev = out[out.length - 1];
    if (prev && mergeable(prev, v)) {
      out[out.length - 1] = { ...prev, last: v.last, anon: prev.anon || v.anon, forked: prev.anon ? prev.forked : v.forked };
    } else out.push(v);
  }
  return out;
}

/** madvise(first..last, advice): new flags on that range, VMAs split and merged around it. */
export function advise(vmas: readonly Vma[], first: number, last: number, advice: Advice): readonly Vma[] {
  const split = splitAt(splitAt(vmas, first), last + 1);
  const changed = split.map((v) => {
    if (v.last < first || v.first > last || v.hole) return v;
    if (advice === 'dontfork') return { ...v, dontfork: true };
    if (advice === 'wipeonfork') return { ...v, wipeonfork: true };
    return { ...v, dontfork: false, wipeonfork: false };
  });
  return merged(changed);
}

/** anon_vma_prepare for the VMA holding `page`: returns the same list when it already has one. */
export function withAnon(vmas: readonly Vma[], page: number, newAnon: () => number): readonly Vma[] {
  const v = vmaAt(vmas, page);
  if (v.anon !== 0) return vmas;
  const id = newAnon();
  return vmas.map((x) => (x === v ? { ...x, anon: id, forked: false } : x));
}

/**
 * The child's VMAs after fork (dup_mmap): VM_DONTCOPY ranges are not there (holes);
 * VM_WIPEONFORK ones come without an anon_vma; the rest get a fresh anon_vma chained to
 * the parent's (anon_vma_fork) when the parent's had one.
 */
export function childVmas(vmas: readonly Vma[], newAnon: () => number): readonly Vma[] {
  return merged(
    vmas.map((v): Vma => {
      if (v.hole || v.dontfork) return { first: v.first, last: v.last, dontfork: false, wipeonfork: false, anon: 0, forked: false, hole: true };
      if (v.wipeonfork || v.anon === 0) return { ...v, anon: 0, forked: false };
      return { ...v, anon: newAnon(), forked: true };
    }),
  );
}

/** True when some VMA of the region has an anon_vma. */
export function anyAnon(vmas: readonly Vma[]): boolean {
  return vmas.some((v) => v.anon !== 0);
}
