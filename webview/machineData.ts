// What the webview holds of one machine at the current step: each table's rows (a sparse set:
// the window the step came with, plus windows fetched while scrolling) and the frames those
// rows map. Replaced wholesale when the step changes.
import type { FrameInfo, FrameSpan, MachineKey, MachinePanel, PteRow, RegionTable, RowWindow } from '../src/protocol/messages';

export function tableKey(machine: MachineKey, process: string, region: string): string {
  return `${machine}\u0000${process}\u0000${region}`;
}

export class TableRows {
  private readonly rows = new Map<number, PteRow>();
  /** Row windows asked for and not yet answered, by start row. */
  private readonly pending = new Set<number>();

  constructor(readonly table: RegionTable) {
    this.add(table.window);
  }

  get rowCount(): number {
    return this.table.rowCount;
  }

  get(index: number): PteRow | undefined {
    return this.rows.get(index);
  }

  add(window: RowWindow): void {
    this.pending.delete(window.start);
    window.rows.forEach((row, i) => this.rows.set(window.start + i, row));
  }

  /** The first missing row in `first..last` that is not already asked for, or undefined. */
  firstMissing(first: number, last: number): number | undefined {
    for (let i = first; i <= last; i++) {
      if (!this.rows.has(i) && ![...this.pending].some((start) => start <= i && i < start + PENDING_SPAN)) return i;
    }
    return undefined;
  }

  markPending(start: number): void {
    this.pending.add(start);
  }
}

/** Rows one request covers; the webview asks for a window starting a little above what it misses. */
export const PENDING_SPAN = 256;

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
    for (const s of this.spans.values()) items.push({ kind: 'span', at: Math.min(s.first, s.last), span: s });
    items.sort((a, b) => a.at - b.at || (a.kind === 'span' ? 1 : -1));
    if (this.zeroPageMapped) items.unshift({ kind: 'zero', at: 0 });
    this.items = items;
    return items;
  }
}

export type FrameItem =
  | { readonly kind: 'frame'; readonly at: number; readonly frame: FrameInfo }
  | { readonly kind: 'span'; readonly at: number; readonly span: FrameSpan }
  | { readonly kind: 'zero'; readonly at: 0 };
