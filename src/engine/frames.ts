// Physical memory: frames, their map counts, the values they hold, and a deterministic
// allocator (lowest free frame first, so a scenario always gives the same frame numbers).
//
// Frame 0 is the shared zero page (the kernel's ZERO_PAGE / my_zero_pfn): never allocated,
// never counted, always reads as zeros. Real frames are numbered from 1.
//
// One persistent entry per frame packs `refs << 2 | held << 1 | heldByShmem`, where refs
// counts the distinct live last-level page tables that map the frame (sharing.ts explains
// how that becomes a map count) and `held` says that references other than mappings exist:
// pages a pipe holds after vmsplice, long-term pins. Their number is kept apart, in `extra`.
// A frame is allocated exactly while its entry is non-zero, so the trie's non-zero count is
// "frames in use".

import { PVec, PVecEditor } from './pvec';
import { HUGE_PAGES, MAX_FRAMES } from './types';

export const ZERO_FRAME = 0;

/** Interned page values, shared by every version of one machine lineage (append-only). */
export class ValueTable {
  private readonly strings: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);

  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  text(id: number): string {
    return this.strings[id] ?? '';
  }

  /** Values interned so far ('' included). */
  get size(): number {
    return this.strings.length;
  }

  /**
   * Forgets the values interned since the table had `size` of them: a step that failed leaves
   * the table (shared by every version) as it found it. Only for the step that interned them.
   */
  truncate(size: number): void {
    while (this.strings.length > Math.max(1, size)) this.ids.delete(this.strings.pop() as string);
  }
}

/** Distinct live leaves mapping a frame, from its packed state. */
export function leafRefsOf(state: number): number {
  return state >>> 2;
}

const LEAF_REF = 4;
const HELD = 2;

export interface FrameTableData {
  readonly state: PVec;
  readonly value: PVec;
  /** References that are not mappings, per frame: one per page a pipe holds, one per pin. */
  readonly extra: PVec;
  /** 1 for each allocated frame of a transparent huge page (a 2 MiB folio: HUGE_PAGES frames from a multiple of HUGE_PAGES). */
  readonly large: PVec;
  /** Every frame below this one is allocated (an allocator hint, not a promise about later ones). */
  readonly lowestMaybeFree: number;
}

export function emptyFrameTable(): FrameTableData {
  return { state: PVec.zeros(MAX_FRAMES), value: PVec.zeros(MAX_FRAMES), extra: PVec.zeros(MAX_FRAMES), large: PVec.zeros(MAX_FRAMES), lowestMaybeFree: 1 };
}

/** Transient access to the frame table inside one transaction. */
export class FrameEditor {
  private readonly state: PVecEditor;
  private readonly value: PVecEditor;
  // Pins, pipes and huge pages are rare: their editors are opened on the first write (reads
  // go to the version the step started from until then), so most steps never make them.
  private extraEditor: PVecEditor | null = null;
  private largeEditor: PVecEditor | null = null;
  private lowestMaybeFree: number;
  /** No run of HUGE_PAGES free frames starts below this one (within this transaction). */
  private hugeHint = HUGE_PAGES;
  /** Frames freed during this transaction, in order. */
  readonly freed: number[] = [];

  /** `limit`: the frames the machine has (the `memory N` header); allocate() fails beyond it. */
  constructor(private readonly data: FrameTableData, private readonly token: number, private readonly limit: number = MAX_FRAMES) {
    this.state = data.state.edit(token);
    this.value = data.value.edit(token);
    this.lowestMaybeFree = data.lowestMaybeFree;
  }

  get allocated(): number {
    return this.state.nonZero;
  }

  /** Distinct live page-table leaves mapping `frame`. */
  refs(frame: number): number {
    return frame === ZERO_FRAME ? 0 : leafRefsOf(this.state.get(frame));
  }

  /** References that are not mappings: pages held by pipes, long-term pins. */
  extra(frame: number): number {
    return frame === ZERO_FRAME ? 0 : (this.extraEditor ?? this.data.extra).get(frame);
  }

  /** A pipe or a pin takes a reference on `frame` (the zero page is never counted). */
  hold(frame: number): void {
    if (frame === ZERO_FRAME) return;
    if (this.state.get(frame) === 0) throw new Error(`engine invariant broken: frame ${frame} held while free`);
    this.extraRefs.set(frame, this.extraRefs.get(frame) + 1);
    this.state.set(frame, this.state.get(frame) | HELD);
  }

  /** A pipe or a pin drops its reference; frees the frame when nothing maps or holds it any more. Returns true if freed. */
  unhold(frame: number): boolean {
    if (frame === ZERO_FRAME) return false;
    const n = this.extraRefs.get(frame) - 1;
    if (n < 0) throw new Error(`engine invariant broken: frame ${frame} released more often than held`);
    this.extraRefs.set(frame, n);
    if (n > 0) return false;
    const s = this.state.get(frame) & ~HELD;
    this.setState(frame, s);
    return s === 0;
  }

  valueOf(frame: number): number {
    return frame === ZERO_FRAME ? 0 : this.value.get(frame);
  }

  setValue(frame: number, valueId: number): void {
    if (frame !== ZERO_FRAME) this.value.set(frame, valueId);
  }

  /** Allocates the lowest free frame with one mapping (or none, if it is only held by shmem). Returns -1 when memory (or the machine's `limit`) is full. */
  allocate(valueId: number, mapped: boolean, shmem: boolean): number {
    if (this.state.nonZero >= this.limit) return -1;
    // Usually the hint itself is free (frames are handed out in order): skip the search.
    const hinted = this.lowestMaybeFree;
    const frame = hinted < MAX_FRAMES && this.state.get(hinted) === 0 ? hinted : this.state.firstZero(hinted);
    if (frame < 0) return -1;
    this.state.set(frame, (mapped ? LEAF_REF : 0) | (shmem ? 1 : 0));
    this.value.set(frame, valueId);
    this.lowestMaybeFree = frame + 1;
    return frame;
  }

  /**
   * Allocates the `count` lowest free frames, each with one mapping and holding `valueId`, as
   * that many allocate() calls in a row would, and writes them, ascending, to out[0..count-1]
   * (a scratch array the caller keeps: nothing is allocated per call). The caller has checked
   * that they fit (canAllocate). Runs of free frames are filled a block at a time, and the runs
   * of calls that follow each other together (PVecEditor.fillZeros).
   */
  allocateMany(count: number, valueId: number, out: Int32Array): void {
    if (count > out.length) throw new RangeError(`allocateMany: ${count} frames do not fit in ${out.length}`);
    let n = 0;
    let frame = this.lowestMaybeFree;
    while (n < count) {
      if (frame >= MAX_FRAMES || this.state.get(frame) !== 0) frame = this.state.firstZero(frame);
      if (frame < 0) throw new Error('engine invariant broken: allocateMany past the last frame');
      const run = this.state.zeroRun(frame, count - n);
      this.state.fillZeros(frame, run, LEAF_REF);
      this.value.fillZeros(frame, run, valueId);
      for (let i = 0; i < run; i++) out[n++] = frame + i;
      frame += run;
    }
    if (count > 0) this.lowestMaybeFree = frame;
  }

  /** `count` more frames fit in the machine's memory (see allocate). */
  canAllocate(count: number): boolean {
    return this.state.nonZero + count <= this.limit;
  }

  /**
   * Allocates a transparent huge page: HUGE_PAGES free frames from a multiple of HUGE_PAGES (the
   * folio's head), each mapped once, holding `valueOf(i)` for its i-th page. Returns the head, or
   * -1 when no such run is free or the machine's `limit` leaves no room for 512 more frames.
   */
  allocateHuge(valueOf: (i: number) => number): number {
    if (this.state.nonZero + HUGE_PAGES > this.limit) return -1;
    let head = Math.max(this.hugeHint, Math.ceil(this.lowestMaybeFree / HUGE_PAGES) * HUGE_PAGES);
    for (; head + HUGE_PAGES <= MAX_FRAMES; head += HUGE_PAGES) {
      let free = true;
      // Most taken runs are taken at their head or their last frame: look there first.
      if (this.state.get(head) !== 0 || this.state.get(head + HUGE_PAGES - 1) !== 0) continue;
      for (let i = 1; i < HUGE_PAGES - 1 && free; i++) free = this.state.get(head + i) === 0;
      if (free) break;
    }
    if (head + HUGE_PAGES > MAX_FRAMES) return -1;
    for (let i = 0; i < HUGE_PAGES; i++) {
      this.state.set(head + i, LEAF_REF);
      this.value.set(head + i, valueOf(i));
      this.largeFolio.set(head + i, 1);
    }
    this.hugeHint = head + HUGE_PAGES;
    if (this.lowestMaybeFree === head) this.lowestMaybeFree = head + HUGE_PAGES;
    return head;
  }

  /** The frame belongs to a transparent huge page (it may have been split into page-table entries since). */
  isLarge(frame: number): boolean {
    return frame !== ZERO_FRAME && (this.largeEditor ?? this.data.large).get(frame) === 1;
  }

  /** The frame's allocation state: 0 when free (see leafRefsOf). */
  stateOf(frame: number): number {
    return frame === ZERO_FRAME ? 0 : this.state.get(frame);
  }

  /** One more leaf maps `frame`. */
  map(frame: number): void {
    if (frame !== ZERO_FRAME) this.state.set(frame, this.state.get(frame) + LEAF_REF);
  }

  /** One leaf fewer maps `frame`; frees it when nothing maps or holds it any more. Returns true if freed. */
  unmap(frame: number): boolean {
    if (frame === ZERO_FRAME) return false;
    const s = this.state.get(frame) - LEAF_REF;
    if (s < 0) throw new Error(`engine invariant broken: frame ${frame} unmapped more often than mapped`);
    this.setState(frame, s);
    return s === 0;
  }

  /** The shmem object lets go of the frame; frees it when no entry maps it. Returns true if freed. */
  release(frame: number): boolean {
    const s = this.state.get(frame) & ~1;
    this.setState(frame, s);
    return s === 0;
  }

  /** A replay that runs several steps in this editor (apply.ts replaySteps): what a new step's editor would start from. */
  endStep(): void {
    this.hugeHint = HUGE_PAGES;
  }

  freeze(): FrameTableData {
    return {
      state: this.state.freeze(),
      value: this.value.freeze(),
      extra: this.extraEditor ? this.extraEditor.freeze() : this.data.extra,
      large: this.largeEditor ? this.largeEditor.freeze() : this.data.large,
      lowestMaybeFree: this.lowestMaybeFree,
    };
  }

  private get extraRefs(): PVecEditor {
    if (!this.extraEditor) this.extraEditor = this.data.extra.edit(this.token);
    return this.extraEditor;
  }

  private get largeFolio(): PVecEditor {
    if (!this.largeEditor) this.largeEditor = this.data.large.edit(this.token);
    return this.largeEditor;
  }

  private setState(frame: number, s: number): void {
    this.state.set(frame, s);
    if (s === 0) {
      this.value.set(frame, 0);
      if (this.isLarge(frame)) this.largeFolio.set(frame, 0);
      this.freed.push(frame);
      if (frame < this.lowestMaybeFree) this.lowestMaybeFree = frame;
    }
  }
}
