// A table's rows at one step, as the webview holds them: a sparse set made of the window the step
// came with plus the windows fetched while scrolling, and the windows asked for and not yet
// answered. Page tables (machineData.ts) and storage tables (storageTables.ts) both keep theirs so.

/** Rows one request covers; the webview asks for a window starting a little above what it misses. */
export const FETCH_ROWS = 256;

export class WindowRows<Row> {
  private readonly rows = new Map<number, Row>();
  /** Row windows asked for and not yet answered, by start row. */
  private readonly pending = new Set<number>();

  constructor(
    readonly rowCount: number,
    window: { readonly start: number; readonly rows: readonly Row[] },
  ) {
    this.add(window);
  }

  get(index: number): Row | undefined {
    return this.rows.get(index);
  }

  add(window: { readonly start: number; readonly rows: readonly Row[] }): void {
    this.pending.delete(window.start);
    window.rows.forEach((row, i) => this.rows.set(window.start + i, row));
  }

  /** The first row in `first..last` neither here nor asked for, or undefined. */
  firstMissing(first: number, last: number): number | undefined {
    for (let i = first; i <= last; i++) {
      if (!this.rows.has(i) && ![...this.pending].some((start) => start <= i && i < start + FETCH_ROWS)) return i;
    }
    return undefined;
  }

  markPending(start: number): void {
    this.pending.add(start);
  }
}
