// One region's page table: a header, then a virtual list of rows (page, flags P W CoW S Z,
// frame). Rows the step changed are marked; rows not yet fetched from the host show as "…"
// and are asked for. Every row is an ARIA table row with its index, so a screen reader knows
// where it is in a million-row table.
import type { PteRow, RegionTable } from '../src/protocol/messages';
import { h } from './dom';
import { bytes, pageRange, plural, thousands } from './format';
import type { TableRows } from './machineData';
import { VirtualList } from './virtualList';
import { describeRow, rowFrameText } from './words';

export const ROW_HEIGHT = 22;
/** A table shows this many rows before it scrolls. */
export const VISIBLE_ROWS = 16;

const PAGE_SIZE = 4096;

interface FlagColumn {
  readonly abbr: string;
  readonly title: string;
  /** The flag in a word or two: what a screen reader says for a row that has it. */
  readonly word: string;
  readonly isSet: (row: PteRow) => boolean;
}

/** The flag columns, in order: what a learner reads off an entry. */
export const FLAG_COLUMNS: readonly FlagColumn[] = [
  { abbr: 'P', title: 'present', word: 'present', isSet: (r) => r.present },
  { abbr: 'W', title: 'writable', word: 'writable', isSet: (r) => r.writable },
  { abbr: 'CoW', title: 'copy-on-write (write-protected, private)', word: 'copy-on-write', isSet: (r) => r.cow },
  { abbr: 'S', title: 'shared mapping (MAP_SHARED)', word: 'shared', isSet: (r) => r.shared },
  { abbr: 'Z', title: 'maps the zero page', word: 'zero page', isSet: (r) => r.frame === 'zero' },
  { abbr: 'X', title: 'exclusive mark (PageAnonExclusive): a write reuses the page without counting references', word: 'exclusive', isSet: (r) => r.anonExclusive === true },
];

export interface TableCallbacks {
  /** The table rendered rows `first..last` (after a step or a scroll). */
  readonly onRendered: (view: RegionTableView, first: number, last: number) => void;
  /** Spell out pages `first..last` of a collapsed run, one row each. */
  readonly expand?: (view: RegionTableView, first: number, last: number) => void;
  /** Collapse the expanded run that starts at `page` again. */
  readonly collapse?: (view: RegionTableView, page: number) => void;
}

/** What a row offers: a collapsed run expands, the first row of an expanded one collapses. */
export type RowToggle = 'expand' | 'collapse' | null;

export class RegionTableView {
  readonly element: HTMLElement;
  readonly list: VirtualList;
  private readonly size: HTMLElement;
  private current: { table: RegionTable; rows: TableRows };

  constructor(
    private readonly doc: Document,
    table: RegionTable,
    rows: TableRows,
    private readonly callbacks: TableCallbacks,
  ) {
    this.current = { table, rows };
    const label = `${table.process} ${table.region} page table`;
    this.list = new VirtualList(doc, {
      rowHeight: ROW_HEIGHT,
      maxVisibleRows: VISIBLE_ROWS,
      className: 'pte-body',
      renderRow: (i) => renderPteRow(doc, this.current.rows.get(i), i, this.toggleOf(i)),
      rowKey: (i) => `${rowKey(this.current.rows.get(i))}:${this.toggleOf(i) ?? ''}`,
      describe: (i) => {
        const row = this.current.rows.get(i);
        if (!row) return 'loading…';
        const toggle = this.toggleOf(i);
        return `${describeRow(row)}${toggle === 'expand' ? ' — Enter shows each page' : toggle === 'collapse' ? ' — Enter collapses the run again' : ''}`;
      },
      onActivate: (i) => this.toggle(i),
      moveRow: (el, i) => {
        el.setAttribute('aria-rowindex', String(i + 2));
        el.setAttribute('data-row', String(i));
      },
      onRendered: (first, last) => callbacks.onRendered(this, first, last),
    });
    this.list.element.setAttribute('role', 'rowgroup');
    this.size = h(doc, 'span', { class: 'region-size' });
    this.element = h(
      doc,
      'section',
      { class: 'region', role: 'table', 'aria-label': label },
      h(doc, 'div', { class: 'region-title' }, h(doc, 'span', { class: 'region-name' }, table.region), this.size),
      headerRow(doc),
      this.list.element,
      this.list.peek,
    );
    this.describe();
  }

  /** Whether row `index` expands (a collapsed run) or collapses (the first row of an expanded run). */
  toggleOf(index: number): RowToggle {
    const row = this.current.rows.get(index);
    if (!row) return null;
    if (row.first !== row.last) return this.callbacks.expand ? 'expand' : null;
    return this.callbacks.collapse && (this.current.table.expanded ?? []).some((it) => it.first === row.first && it.last > it.first) ? 'collapse' : null;
  }

  private toggle(index: number): void {
    const row = this.current.rows.get(index);
    const toggle = this.toggleOf(index);
    if (!row || !toggle) return;
    if (toggle === 'expand') this.callbacks.expand?.(this, row.first, row.last);
    else this.callbacks.collapse?.(this, row.first);
  }

  get table(): RegionTable {
    return this.current.table;
  }

  get rows(): TableRows {
    return this.current.rows;
  }

  /** The same region at another step: new rows, same elements (and scroll position). */
  update(table: RegionTable, rows: TableRows): void {
    this.current = { table, rows };
    this.describe();
    this.show();
  }

  private describe(): void {
    const { table } = this.current;
    const collapsed = table.rowCount < table.pages ? ` · ${plural(table.rowCount, 'row')}` : '';
    const text = ` ${plural(table.pages, 'page')} · ${table.kind}${collapsed}`;
    if (this.size.textContent === text) return;
    this.size.textContent = text;
    this.size.title = `${plural(table.pages, 'page')} of 4 KiB: ${bytes(table.pages * PAGE_SIZE)}, ${table.kind === 'private' ? 'MAP_PRIVATE' : 'MAP_SHARED'} | MAP_ANONYMOUS${collapsed ? `; runs of alike entries shown as one row` : ''}`;
    const chars = pageColumnChars(table.pages);
    this.element.style.setProperty('--page-lead', String(chars.lead));
    this.element.style.setProperty('--page-full', String(chars.full));
    this.element.setAttribute('aria-rowcount', String(table.rowCount + 1));
    this.list.element.setAttribute('aria-label', `${table.process} ${table.region} page table, ${thousands(table.rowCount)} rows`);
  }

  /** Renders the rows (after rows arrived), keeping the scroll position. */
  refresh(): void {
    this.list.render();
  }

  /** Sets the row count and brings the step's first change into view. */
  show(): void {
    const { table } = this.current;
    this.list.setCount(table.rowCount);
    if (table.firstChangedRow !== null) this.list.reveal(table.firstChangedRow);
  }

  /** The rendered row element for row `index`, if it is rendered. */
  rowElement(index: number): HTMLElement | null {
    return this.list.element.querySelector<HTMLElement>(`[data-row="${index}"]`);
  }

  get document(): Document {
    return this.doc;
  }
}

function headerRow(doc: Document): HTMLElement {
  // One column header for the six flags (a row draws them as one cell: see flagsText); each
  // abbreviation keeps its tooltip.
  const flags = FLAG_COLUMNS.map((c) => `${c.word} (${c.abbr})`).join(', ');
  return h(
    doc,
    'div',
    { class: 'pte-row pte-head', role: 'row', 'aria-rowindex': 1 },
    h(doc, 'span', { class: 'cell page', role: 'columnheader' }, 'page'),
    h(doc, 'span', { class: 'cell flags', role: 'columnheader', 'aria-label': `flags: ${flags}` }, ...FLAG_COLUMNS.map((c) => h(doc, 'span', { class: 'flag-head', title: c.title, 'aria-hidden': 'true' }, c.abbr))),
    h(doc, 'span', { class: 'cell frame', role: 'columnheader' }, 'frame'),
  );
}

/** Everything a rendered row shows: equal keys, equal rows. */
export function rowKey(row: PteRow | undefined): string {
  if (!row) return 'loading';
  const bits = [row.present, row.writable, row.cow, row.shared, row.exclusive, row.anonExclusive === true, row.hole, row.changed, row.pmd === true].map((b) => (b ? 1 : 0)).join('');
  return `${row.first}:${row.last}:${row.frame}:${row.frameStep}:${bits}`;
}

/**
 * One row of a page table (or a placeholder while it is being fetched), in as few elements as it
 * can be: the row and its three cells (page, flags, frame), plus a lead and a rest in a cell that
 * shows a run, and the PMD badge of a huge page's row. The six flags are one text in one cell
 * (flagsText), coloured per column by the stylesheet from `data-on`; the change mark (●) and the
 * ▸ / ▾ of a run are drawn by the stylesheet from the row's classes. Every element a new row
 * brings costs style and layout before the step can paint.
 */
export function renderPteRow(doc: Document, row: PteRow | undefined, index: number, toggle: RowToggle = null): HTMLElement {
  if (!row) {
    return h(doc, 'div', { class: 'pte-row loading', role: 'row', 'aria-rowindex': index + 2, 'data-row': index }, h(doc, 'span', { class: 'cell page', role: 'cell' }, '…'));
  }
  const classes = ['pte-row'];
  if (row.changed) classes.push('changed');
  if (!row.present) classes.push('absent');
  if (row.cow) classes.push('cow');
  if (row.writable) classes.push('writable');
  if (row.first !== row.last) classes.push('run');
  if (row.pmd) classes.push('pmd');
  if (toggle) classes.push(`can-${toggle}`);
  const frameAttrs =
    typeof row.frame === 'number'
      ? { 'data-frame': row.frame, 'data-frame-last': row.frame + (row.last - row.first) * row.frameStep }
      : row.frame === 'zero' ? { 'data-frame': 'zero' } : {};
  const on = FLAG_COLUMNS.filter((c) => c.isSet(row));
  return h(
    doc,
    'div',
    { class: classes.join(' '), role: 'row', 'aria-rowindex': index + 2, 'data-row': index, title: `${describeRow(row)}${toggle === 'expand' ? ' (click: show each page)' : toggle === 'collapse' ? ' (click: collapse the run again)' : ''}`, ...frameAttrs },
    h(
      doc,
      'span',
      { class: 'cell page', role: 'cell' },
      ...leadAndRest(doc, pageRange(row.first, row.last)),
      row.pmd ? h(doc, 'span', { class: 'pmd-mark', title: 'one PMD entry maps these pages: a 2 MiB transparent huge page' }, 'PMD') : null,
    ),
    h(doc, 'span', { class: 'cell flags', role: 'cell', 'data-on': on.map((c) => c.abbr).join(' '), 'aria-label': on.length > 0 ? on.map((c) => c.word).join(', ') : 'no flags' }, flagsText(row)),
    h(doc, 'span', { class: 'cell frame', role: 'cell' }, ...leadAndRest(doc, rowFrameText(row))),
  );
}

/**
 * The six flags as one text of fixed-width columns, for a monospaced font: each flag (or a "·"
 * where it is not set) centred in a column two characters wide, four for "CoW", with half a
 * character before the first (the stylesheet's padding): "P W CoW · · X". The columns, in
 * characters from the cell's edge: 0–2, 2–4, 4–8, 8–10, 10–12, 12–14.
 */
export function flagsText(row: PteRow): string {
  return FLAG_COLUMNS.map((c) => (c.isSet(row) ? c.abbr : c.abbr.length === 1 ? '·' : ' · ')).join(' ');
}

/**
 * "#1,000,001–#1,000,064" as a lead ("#1,000,001") that is always shown whole and a rest
 * ("–#1,000,064") that may be shortened with an ellipsis when the column is narrow (the whole
 * text is in the row's tooltip and in the peek shown on hover and keyboard focus). A text with
 * no rest stays one text node (one element fewer in the cell).
 */
export function leadAndRest(doc: Document, text: string): (HTMLElement | string)[] {
  const dash = text.indexOf('–');
  if (dash <= 0) return [text];
  return [h(doc, 'span', { class: 'lead' }, text.slice(0, dash)), h(doc, 'span', { class: 'rest' }, text.slice(dash))];
}

/** Characters of the widest lead and whole text a region's page column shows (pages 0 … pages − 1). */
export function pageColumnChars(pages: number): { lead: number; full: number } {
  const digits = thousands(Math.max(0, pages - 1)).length;
  // At least as wide as the column's heading, "page".
  return { lead: Math.max(digits, 'page'.length), full: Math.max(pages > 1 ? 2 * digits + 1 : digits, 'page'.length) };
}

/**
 * Characters of the widest lead a frame column shows, given the highest frame number the machine
 * can have used: frames are handed out lowest free first, so no frame number exceeds the most
 * frames ever in use at once (the peak). "zero page" is the widest word.
 */
export function frameColumnChars(highestFrame: number): number {
  return Math.max(`#${thousands(Math.max(0, highestFrame))}`.length, 'zero page'.length);
}
