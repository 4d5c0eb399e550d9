// Storage's tables in the panel: a file's block table (logical block → physical block, its
// reference count and value) and the physical-block column (blocks in id order, which file
// system, how many file blocks reference each, btrfs extent). Virtual lists, like page tables: a
// 1 GiB file is a few rows (runs), and only rows in view exist in the DOM.
import type { FileBlockRow, FileTablePanel, PhysicalBlockRow } from '../src/protocol/storage';
import { h } from './dom';
import { bytes, frameRange, pageRange, plural, thousands } from './format';
import { VirtualList } from './virtualList';
import { FETCH_ROWS, type WindowRows } from './windowRows';

export const STORAGE_ROW_HEIGHT = 22;
export const STORAGE_VISIBLE_ROWS = 16;
/** Rows one request covers. */
export const STORAGE_FETCH = FETCH_ROWS;
const BLOCK_SIZE = 4096;

export function refsText(refs: number): string {
  return refs === 0 ? 'kept' : `×${thousands(refs)}`;
}

/** One file's row in words (title, peek). */
export function describeFileRow(r: FileBlockRow): string {
  const blocks = r.first === r.last ? `block ${thousands(r.first)}` : `blocks ${pageRange(r.first, r.last)}`;
  const phys = frameRange(r.block, r.block + (r.last - r.first) * r.blockStep);
  const shared = r.refs > 1 ? `shared: ${plural(r.refs, 'file block')} reference ${r.first === r.last ? 'it' : 'each'}, so a write copies first` : 'exclusive: only this file block references it, a write can go in place (ext4, xfs) or to a new extent (btrfs)';
  return `${blocks} → physical ${phys}; ${shared}; holds "${r.value}"${r.extent > 0 ? `; btrfs extent e${thousands(r.extent)}` : ''}${r.changed ? ' (changed by this step)' : ''}`;
}

export function describeBlockRow(r: PhysicalBlockRow, fsType: string): string {
  const what = r.refs === 0
    ? 'no file references it; kept allocated because the rest of its btrfs extent is still referenced'
    : `referenced by ${plural(r.refs, 'file block')}`;
  return `${frameRange(r.first, r.last)} on ${fsType} file system ${r.fs}: ${what}; holds "${r.value}"${r.extent > 0 ? `; extent e${thousands(r.extent)}` : ''}${r.changed ? ' (changed by this step)' : ''}`;
}

function changeMark(doc: Document, changed: boolean): (HTMLElement | null)[] {
  return changed ? [h(doc, 'span', { class: 'change-mark', 'aria-hidden': 'true' }, '●'), h(doc, 'span', { class: 'sr-only' }, 'changed: ')] : [null];
}

function renderFileRow(doc: Document, r: FileBlockRow | undefined, index: number): HTMLElement {
  if (!r) return h(doc, 'div', { class: 'blk-row loading', role: 'row', 'data-row': index }, h(doc, 'span', { class: 'cell idx', role: 'cell' }, '…'));
  const classes = ['blk-row'];
  if (r.changed) classes.push('changed');
  if (r.refs > 1) classes.push('shared');
  if (r.first !== r.last) classes.push('run');
  const last = r.block + (r.last - r.first) * r.blockStep;
  return h(
    doc,
    'div',
    { class: classes.join(' '), role: 'row', 'data-row': index, 'data-block': r.block, 'data-block-last': last, title: describeFileRow(r) },
    h(doc, 'span', { class: 'cell idx', role: 'cell' }, ...changeMark(doc, r.changed), pageRange(r.first, r.last)),
    h(doc, 'span', { class: 'cell phys', role: 'cell' }, frameRange(r.block, last)),
    h(doc, 'span', { class: 'cell refs', role: 'cell', 'aria-label': `references: ${r.refs}` }, refsText(r.refs)),
    h(doc, 'span', { class: 'cell value', role: 'cell' }, r.value),
  );
}

function renderBlockRow(doc: Document, r: PhysicalBlockRow | undefined, index: number, fsType: (fs: number) => string): HTMLElement {
  if (!r) return h(doc, 'div', { class: 'pblk-row loading', role: 'listitem', 'data-row': index }, '…');
  const classes = ['pblk-row'];
  if (r.changed) classes.push('changed');
  if (r.refs > 1) classes.push('shared');
  if (r.refs === 0) classes.push('kept');
  return h(
    doc,
    'div',
    { class: classes.join(' '), role: 'listitem', 'data-row': index, 'data-first': r.first, 'data-last': r.last, title: describeBlockRow(r, fsType(r.fs)) },
    h(doc, 'span', { class: 'pblk-no' }, ...changeMark(doc, r.changed), frameRange(r.first, r.last)),
    h(doc, 'span', { class: 'pblk-fs', title: `${fsType(r.fs)} file system ${r.fs}` }, `fs${r.fs}`),
    r.extent > 0 ? h(doc, 'span', { class: 'pblk-extent', title: `btrfs extent e${r.extent}` }, `e${thousands(r.extent)}`) : null,
    h(doc, 'span', { class: 'pblk-value' }, r.value),
    h(doc, 'span', { class: 'pblk-refs' }, refsText(r.refs)),
  );
}

const fileKey = (r: FileBlockRow | undefined) => (r ? `${r.first}:${r.last}:${r.block}:${r.blockStep}:${r.refs}:${r.extent}:${r.changed ? 1 : 0}:${r.value}` : 'loading');
const blockKey = (r: PhysicalBlockRow | undefined) => (r ? `${r.first}:${r.last}:${r.fs}:${r.refs}:${r.extent}:${r.changed ? 1 : 0}:${r.value}` : 'loading');

export class FileTableView {
  readonly element: HTMLElement;
  readonly list: VirtualList;
  private readonly size: HTMLElement;

  constructor(
    doc: Document,
    public table: FileTablePanel,
    public rows: WindowRows<FileBlockRow>,
    onRendered: (view: FileTableView, first: number, last: number) => void,
  ) {
    this.list = new VirtualList(doc, {
      rowHeight: STORAGE_ROW_HEIGHT,
      maxVisibleRows: STORAGE_VISIBLE_ROWS,
      className: 'pte-body blk-body',
      renderRow: (i) => renderFileRow(doc, this.rows.get(i), i),
      rowKey: (i) => fileKey(this.rows.get(i)),
      describe: (i) => {
        const r = this.rows.get(i);
        return r ? describeFileRow(r) : 'loading…';
      },
      onRendered: (first, last) => onRendered(this, first, last),
    });
    this.list.element.setAttribute('role', 'rowgroup');
    this.size = h(doc, 'span', { class: 'region-size' });
    this.element = h(
      doc,
      'section',
      { class: 'region file-table', role: 'table', 'data-file': table.file },
      h(doc, 'div', { class: 'region-title' }, h(doc, 'span', { class: 'region-name' }, table.file), this.size),
      h(
        doc,
        'div',
        { class: 'blk-row pte-head', role: 'row' },
        h(doc, 'span', { class: 'cell idx', role: 'columnheader' }, 'block'),
        h(doc, 'span', { class: 'cell phys', role: 'columnheader', title: 'the physical block (the storage model\'s id) this logical block is stored in' }, 'physical'),
        h(doc, 'span', { class: 'cell refs', role: 'columnheader', title: 'reference count: file blocks referencing the physical block' }, 'refs'),
        h(doc, 'span', { class: 'cell value', role: 'columnheader' }, 'value'),
      ),
      this.list.element,
      this.list.peek,
    );
    this.describe();
  }

  update(table: FileTablePanel, rows: WindowRows<FileBlockRow>): void {
    this.table = table;
    this.rows = rows;
    this.describe();
    this.show();
  }

  private describe(): void {
    const t = this.table;
    const layer = t.layer === undefined ? '' : t.layer === 'upper' ? (t.copiedUp ? ' · upper (copied up)' : ' · upper') : ' · lower (read-only)';
    const text = ` ${plural(t.blocks, 'block')} (${bytes(t.blocks * BLOCK_SIZE)})${layer}${t.rowCount < t.blocks ? ` · ${plural(t.rowCount, 'row')}` : ''}`;
    if (this.size.textContent !== text) this.size.textContent = text;
    this.element.setAttribute('aria-label', `${t.space} ${t.file}: block table, ${thousands(t.rowCount)} rows`);
    this.element.classList.toggle('is-new', t.isNew);
  }

  show(): void {
    this.list.setCount(this.table.rowCount);
    if (this.table.firstChangedRow !== null) this.list.reveal(this.table.firstChangedRow);
  }
}

export class BlocksColumnView {
  readonly element: HTMLElement;
  readonly list: VirtualList;
  private readonly summary: HTMLElement;

  constructor(
    doc: Document,
    public rows: WindowRows<PhysicalBlockRow>,
    public firstChangedRow: number | null,
    private fsType: (fs: number) => string,
    onRendered: (first: number, last: number) => void,
  ) {
    this.list = new VirtualList(doc, {
      rowHeight: STORAGE_ROW_HEIGHT,
      maxVisibleRows: STORAGE_VISIBLE_ROWS + 8,
      className: 'frames-body pblk-body',
      renderRow: (i) => renderBlockRow(doc, this.rows.get(i), i, (fs) => this.fsType(fs)),
      rowKey: (i) => blockKey(this.rows.get(i)),
      describe: (i) => {
        const r = this.rows.get(i);
        return r ? describeBlockRow(r, this.fsType(r.fs)) : 'loading…';
      },
      label: 'Physical blocks',
      onRendered,
    });
    this.list.element.setAttribute('role', 'list');
    this.summary = h(doc, 'div', { class: 'frames-summary' });
    this.element = h(doc, 'section', { class: 'frames pblocks', 'aria-label': 'Physical blocks' }, h(doc, 'div', { class: 'frames-title' }, 'Physical blocks'), this.summary, this.list.element, this.list.peek);
  }

  update(rows: WindowRows<PhysicalBlockRow>, firstChangedRow: number | null, fsType: (fs: number) => string, summary: string): void {
    this.rows = rows;
    this.firstChangedRow = firstChangedRow;
    this.fsType = fsType;
    if (this.summary.textContent !== summary) this.summary.textContent = summary;
    this.list.setCount(rows.rowCount);
    if (firstChangedRow !== null) this.list.reveal(firstChangedRow);
  }

  /** The rendered row holding physical block `block`, if any. */
  elementFor(block: number): HTMLElement | null {
    for (const el of this.list.element.querySelectorAll<HTMLElement>('.pblk-row[data-first]')) {
      if (Number(el.dataset.first) <= block && block <= Number(el.dataset.last)) return el;
    }
    return null;
  }
}
