// Page tables as the kernel lays them out — a directory over last-level tables of 64
// entries — made persistent, and shareable between processes the way On-Demand-Fork
// (EuroSys 2021) shares last-level tables: fork hands the child the parent's leaves and
// counts one more sharer per leaf instead of copying every entry; the first write through
// a shared leaf copies that one leaf ("unsharing", see sharing.ts).
//
// Two kinds of copy, not to be confused:
// - a *version* copy (same `id`): a step writes a leaf that an earlier version still reads;
// - an *unshare* copy (new `id`): a process writes a leaf another live process also maps.

import { zerosOfLength } from './trie';

export const LEAF_BITS = 6;
export const LEAF_SIZE = 1 << LEAF_BITS; // 64 entries
const LEAF_MASK = LEAF_SIZE - 1;
const CHUNK_BITS = 6; // 64 leaves per directory chunk
const CHUNK_SIZE = 1 << CHUNK_BITS;
const PAGES_PER_CHUNK = LEAF_SIZE * CHUNK_SIZE; // 4096
/** Leaf identities are numbered from 1; the share counts are a PVec of this size. */
export const MAX_LEAF_IDS = 1 << 30;

export interface PteLeaf {
  /** Logical identity: the key of its share count. */
  readonly id: number;
  owner: number;
  /** Encoded entries (see state.pteOf). */
  readonly entries: number[];
  /** Generation in which each entry was made writable (see RegionState.gen). */
  readonly wgen: number[];
  /** Entries > 0: present, the zero page included. */
  present: number;
  /** Entries > 1: mapping a real frame. */
  frames: number;
}

interface DirChunk {
  owner: number;
  readonly leaves: (PteLeaf | null)[];
}

const ZEROS: readonly number[] = zerosOfLength(LEAF_SIZE);

/** LEAF_SIZE zeros, packed, allocated at their final size (see zeroLeafData). */
function zeros(): number[] {
  return ZEROS.slice();
}

export function newLeaf(id: number, owner: number): PteLeaf {
  return { id, owner, entries: zeros(), wgen: zeros(), present: 0, frames: 0 };
}

/** A copy of `leaf` owned by `owner`, keeping (`id` omitted) or changing its identity. */
export function copyLeaf(leaf: PteLeaf, owner: number, id = leaf.id): PteLeaf {
  return { id, owner, entries: leaf.entries.slice(), wgen: leaf.wgen.slice(), present: leaf.present, frames: leaf.frames };
}

/** Keeps a leaf's counters right when one entry changes from `old` to `value`. */
export function setEntry(leaf: PteLeaf, slot: number, value: number): void {
  const old = leaf.entries[slot] as number;
  leaf.entries[slot] = value;
  leaf.present += (value > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
  leaf.frames += (value > 1 ? 1 : 0) - (old > 1 ? 1 : 0);
}

function leafIn(top: readonly (DirChunk | null)[], page: number): PteLeaf | null {
  const chunk = top[page >>> (LEAF_BITS + CHUNK_BITS)];
  return chunk ? (chunk.leaves[(page >>> LEAF_BITS) & (CHUNK_SIZE - 1)] ?? null) : null;
}

/** Reading a page table: shared by the immutable table and its editor. */
abstract class TableReader {
  constructor(
    readonly pages: number,
    /** The directory: one chunk of CHUNK_SIZE leaves per PAGES_PER_CHUNK pages. */
    protected chunks: readonly (DirChunk | null)[],
  ) {}

  leaf(page: number): PteLeaf | null {
    return leafIn(this.chunks, page);
  }

  entry(page: number): number {
    return leafIn(this.chunks, page)?.entries[page & LEAF_MASK] ?? 0;
  }

  wgen(page: number): number {
    return leafIn(this.chunks, page)?.wgen[page & LEAF_MASK] ?? 0;
  }

  /** Calls fn for every leaf, with the page number of its first entry. */
  forEachLeaf(fn: (leaf: PteLeaf, firstPage: number) => void): void {
    const top = this.chunks;
    for (let c = 0; c < top.length; c++) {
      const chunk = top[c];
      if (!chunk) continue;
      for (let l = 0; l < CHUNK_SIZE; l++) {
        const leaf = chunk.leaves[l];
        if (leaf) fn(leaf, c * PAGES_PER_CHUNK + l * LEAF_SIZE);
      }
    }
  }

  /** Calls fn for every present entry of pages first..last, in ascending order. */
  forEachEntryIn(first: number, last: number, fn: (page: number, entry: number) => void): void {
    for (let base = first - (first & LEAF_MASK); base <= last; base += LEAF_SIZE) {
      const leaf = this.leaf(base);
      if (!leaf || leaf.present === 0) continue;
      for (let j = Math.max(first - base, 0); j < LEAF_SIZE && base + j <= last; j++) {
        const e = leaf.entries[j] as number;
        if (e !== 0) fn(base + j, e);
      }
    }
  }
}

/** An immutable page table. Nothing it reaches is owned by an edit token (see PageTableEditor.freeze). */
export class PageTable extends TableReader {
  static empty(pages: number): PageTable {
    return new PageTable(pages, new Array<DirChunk | null>(Math.ceil(pages / PAGES_PER_CHUNK)).fill(null));
  }

  /** @internal The directory, as an identity: the same array while no leaf of the table changed. */
  get top(): readonly (DirChunk | null)[] {
    return this.chunks;
  }

  edit(token: number): PageTableEditor {
    return new PageTableEditor(this.pages, this.chunks, token);
  }
}

/**
 * Transient edits of a page table inside one step; see PVecEditor for the ownership rule: a
 * chunk or leaf whose owner is this editor's token is written in place, anything else is copied
 * first. freeze() gives up that ownership, so a frozen table can never be edited in place.
 */
export class PageTableEditor extends TableReader {
  private topOwned = false;
  private frozen = false;
  /** setLeaf ran: the directory holds chunks (and leaves in them) owned by this token. */
  private wrote = false;

  constructor(
    pages: number,
    top: readonly (DirChunk | null)[],
    readonly token: number,
  ) {
    super(pages, top);
  }

  /** Puts `leaf` (or nothing) where page's leaf goes. */
  setLeaf(page: number, leaf: PteLeaf | null): void {
    this.writable();
    const c = page >>> (LEAF_BITS + CHUNK_BITS);
    if (!this.topOwned) {
      this.chunks = this.chunks.slice();
      this.topOwned = true;
    }
    const top = this.chunks as (DirChunk | null)[];
    let chunk = top[c] ?? null;
    if (!chunk || chunk.owner !== this.token) {
      chunk = { owner: this.token, leaves: chunk ? chunk.leaves.slice() : new Array<PteLeaf | null>(CHUNK_SIZE).fill(null) };
      top[c] = chunk;
    }
    chunk.leaves[(page >>> LEAF_BITS) & (CHUNK_SIZE - 1)] = leaf;
    this.wrote = true;
  }

  /**
   * The leaf holding `page`, ready to write in this step: a version copy if an earlier
   * version owns it, or a new empty leaf (identity from `newId`) if there is none yet.
   * Sharing between processes is not this method's business: see sharing.ts.
   */
  ownLeaf(page: number, newId: () => number): PteLeaf {
    this.writable();
    const leaf = this.leaf(page);
    if (leaf && leaf.owner === this.token) return leaf;
    const owned = leaf ? copyLeaf(leaf, this.token) : newLeaf(newId(), this.token);
    this.setLeaf(page, owned);
    return owned;
  }

  /**
   * The current contents as an immutable table. The editor is done after this (a later edit
   * throws), and every chunk and leaf it owned is disowned (owner 0, a token no editor has), so
   * no editor — this one, or another holding the same token — can change the frozen table in
   * place: editing it again (`table.edit(token)`) copies what it changes.
   */
  freeze(): PageTable {
    this.frozen = true;
    this.topOwned = false;
    // A leaf only ever enters the table through setLeaf, into a chunk this token owns: disowning
    // the owned chunks' leaves covers every leaf. (A walk of the directory, allocating nothing.)
    if (this.wrote) {
      for (const chunk of this.chunks) {
        if (!chunk || chunk.owner !== this.token) continue;
        chunk.owner = 0;
        for (const leaf of chunk.leaves) if (leaf && leaf.owner === this.token) leaf.owner = 0;
      }
      this.wrote = false;
    }
    return new PageTable(this.pages, this.chunks);
  }

  private writable(): void {
    if (this.frozen) throw new Error('a frozen page-table editor was edited (edit the frozen table with a new token instead)');
  }
}

export function slotOf(page: number): number {
  return page & LEAF_MASK;
}
