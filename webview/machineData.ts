// What the webview holds of one machine at the current step: each table's rows (a sparse set:
// the window the step came with, plus windows fetched while scrolling) and the frames those
// rows map. Replaced wholesale when the step changes.
import type { FrameInfo, FrameSpan, MachineKey, MachinePanel, PteRow, RegionTable } from '../src/protocol/messages';
import { FETCH_ROWS, WindowRows } from './windowRows';

export function tableKey(machine: MachineKey, process: string, region: string): string {
  return `${machine}\u0000${process}\u0000${region}`;
}

/** A page table's rows at this step. */
export class TableRows extends WindowRows<PteRow> {
  constructor(readonly table: RegionTable) {
    super(table.rowCount, table.window);
  }
}

/** Rows one request covers. */
export const PENDING_SPAN = FETCH_ROWS;

export class MachineData {
  readonly tables = new Map<string, TableRows>();
  readonly frames = new Map<number, FrameInfo>();
  readonly spans = new Map<string, FrameSpan>();
  private zeroPageMapped: boolean;
  private items: FrameItem[] | null = null;

  /**
   * @param highestFrame the most frames the machine has had in use at once (its peak): frames are
   * numbered lowest free first, so no frame number is higher. Sizes the tables' frame column.
   */
  constructor(readonly panel: MachinePanel, readonly highestFrame = 0) {
    for (const p of panel.processes) {
      for (const r of p.regions) this.tables.set(tableKey(panel.key, p.name, r.region), new TableRows(r));
    }
    this.zeroPageMapped = panel.zeroPageMapped;
    this.addFrames(panel.frames, panel.spans, panel.zeroPageMapped);
  }

  addFrames(frames: readonly FrameInfo[], spans: readonly FrameSpan[], zeroPageMapped: boolean): void {
    this.items = null;
    this.zeroPageMapped ||= zeroPageMapped;
    for (const f of frames) this.frames.set(f.frame, f);
    for (const s of spans) this.spans.set(`${s.first}:${s.last}`, s);
  }

  /** Frames and spans in frame order (spans by their lowest frame), the zero page first. */
  frameItems(): readonly FrameItem[] {
    if (this.items) return this.items;
    const items: FrameItem[] = [];
    for (const f of this.frames.values()) items.push({ kind: 'frame', at: f.frame, frame: f });
    for (const s of this.spans.values()) items.push({ kind: 'span', at: Math.min(s.first, s.last), span: s, alsoListed: this.alsoListed(s) });
    items.sort((a, b) => a.at - b.at || (a.kind === 'span' ? 1 : -1));
    if (this.zeroPageMapped) items.unshift({ kind: 'zero', at: 0 });
    this.items = items;
    return items;
  }

  /**
   * Frames of span `s` that another box of the column shows too: a frame listed on its own, or in
   * another span (after a huge page's PMD entry is split in one process, its 4 KiB entries and the
   * other process's PMD entry map the same frames). Counted once each, however many boxes show it.
   */
  private alsoListed(s: FrameSpan): number {
    const lo = Math.min(s.first, s.last);
    const hi = Math.max(s.first, s.last);
    const covered: [number, number][] = [];
    for (const f of this.frames.keys()) if (f >= lo && f <= hi) covered.push([f, f]);
    for (const o of this.spans.values()) {
      if (o === s) continue;
      const a = Math.max(lo, Math.min(o.first, o.last));
      const b = Math.min(hi, Math.max(o.first, o.last));
      if (a <= b) covered.push([a, b]);
    }
    covered.sort((x, y) => x[0] - y[0]);
    let total = 0;
    let end = lo - 1;
    for (const [a, b] of covered) {
      if (b <= end) continue;
      total += b - Math.max(a, end + 1) + 1;
      end = b;
    }
    return total;
  }
}

export type FrameItem =
  | { readonly kind: 'frame'; readonly at: number; readonly frame: FrameInfo }
  /** `alsoListed`: how many of the span's frames another box shows too (see MachineData.alsoListed). */
  | { readonly kind: 'span'; readonly at: number; readonly span: FrameSpan; readonly alsoListed: number }
  | { readonly kind: 'zero'; readonly at: 0 };
