// The memory index's per-frame slots (memoryIndex.ts): for each frame, the first two processes
// whose entries map it (id + 1, 0 = none) and the stamp of the last move that named it.
//
// Frames are grouped in pages of 2^bits frames (4,096 by default). A page whose frames all read
// alike — the same two mappers (or one, or none) and the same stamp — is kept as those three
// values alone, with no arrays: a step that writes a million-page region hands out a million new
// frames in order, and each page of them goes from "no mapper" to "this process" whole. Only a
// page that a move names in part (or that gains a third mapper) gets arrays, filled from its
// values. A fresh array is fresh memory: on a machine where a page fault costs ~16 µs, 12 bytes
// per frame for a million frames in two lineages was most of that step's cost.

/** A page's arrays, indexed by frame - the page's first frame. */
export interface SlotPage {
  readonly occ0: Int32Array;
  readonly occ1: Int32Array;
  readonly stamp: Int32Array;
}

/** Frames per page by default: 2^12. Tests use smaller pages, to meet whole pages often. */
export const DEFAULT_PAGE_BITS = 12;

export class FrameSlots {
  readonly size: number;
  readonly mask: number;
  /** Per page: its arrays, or null while its frames all read u0, u1, us below. */
  private pages: (SlotPage | null)[] = [];
  /** Per page without arrays: the first mapper (id + 1, 0 = none), the second, and the stamp. */
  u0 = new Int32Array(16);
  u1 = new Int32Array(16);
  us = new Int32Array(16);

  constructor(readonly bits: number = DEFAULT_PAGE_BITS) {
    this.size = 1 << bits;
    this.mask = this.size - 1;
  }

  /** Room for frame `frame` (pages added without arrays: no mapper, stamp 0). */
  ensure(frame: number): void {
    const need = (frame >>> this.bits) + 1;
    while (this.pages.length < need) this.pages.push(null);
    if (need > this.u0.length) {
      const n = Math.max(need, this.u0.length * 2);
      this.u0 = grownTo(this.u0, n);
      this.u1 = grownTo(this.u1, n);
      this.us = grownTo(this.us, n);
    }
  }

  /** The arrays of page `pg`, or null while it has none. */
  arrays(pg: number): SlotPage | null {
    return this.pages[pg] ?? null;
  }

  /** The arrays of page `pg`, made from its values if it has none. */
  materialize(pg: number): SlotPage {
    const have = this.pages[pg];
    if (have) return have;
    const page: SlotPage = {
      occ0: new Int32Array(this.size).fill(this.u0[pg] as number),
      occ1: new Int32Array(this.size).fill(this.u1[pg] as number),
      stamp: new Int32Array(this.size).fill(this.us[pg] as number),
    };
    this.pages[pg] = page;
    return page;
  }

  /** Whether every frame from..to lies in a page without arrays whose frames one process alone maps. */
  mappedOnce(from: number, to: number): boolean {
    for (let pg = from >>> this.bits; pg <= to >>> this.bits; pg++) {
      if (pg >= this.pages.length || this.pages[pg] !== null || this.u0[pg] === 0 || this.u1[pg] !== 0) return false;
    }
    return true;
  }

  /** The stamp of frame `frame` (0 beyond every page). */
  stampOf(frame: number): number {
    const pg = frame >>> this.bits;
    if (pg >= this.pages.length) return 0;
    const page = this.pages[pg];
    return page ? (page.stamp[frame & this.mask] as number) : (this.us[pg] as number);
  }
}

function grownTo(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
