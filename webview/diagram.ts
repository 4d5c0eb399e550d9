// One machine at the current step: processes' page tables either side of the physical frames,
// with lines from entries to frames. Processes alternate left and right (parent left, child
// right), the way textbooks draw fork.
import type { MachineKey, ProcessPanel, RowWindow } from '../src/protocol/messages';
import { h, svg } from './dom';
import { FramesView, PALETTE_SIZE, processColours } from './framesView';
import { collectLinks, drawLinks, type PlacedTable } from './links';
import { PENDING_SPAN, tableKey, type MachineData } from './machineData';
import { RegionTableView } from './pageTable';

export interface DiagramCallbacks {
  readonly requestRows: (machine: MachineKey, process: string, region: string, start: number, count: number) => void;
}

/** Rows fetched above the first missing one, so a scroll up does not ask again at once. */
const FETCH_BEFORE = 32;

export class MachineDiagram {
  readonly element: HTMLElement;
  readonly frames: FramesView;
  readonly tables: PlacedTable[] = [];
  private readonly overlay: SVGSVGElement;
  private readonly body: HTMLElement;
  private linkFrame = 0;
  private mounted = false;

  constructor(
    private readonly doc: Document,
    readonly data: MachineData,
    title: string,
    private readonly callbacks: DiagramCallbacks,
  ) {
    const panel = data.panel;
    const colours = processColours(panel.processes);
    this.frames = new FramesView(doc, data, colours, () => this.scheduleLinks());
    const left = h(doc, 'div', { class: 'side left' });
    const right = h(doc, 'div', { class: 'side right' });
    panel.processes.forEach((p, i) => {
      (i % 2 === 0 ? left : right).appendChild(this.processBlock(p));
    });
    const framesColumn = h(doc, 'div', { class: 'frames-col' }, this.frames.element);
    this.overlay = svg(doc, 'svg', { class: 'links', 'aria-hidden': 'true', focusable: 'false' }) as SVGSVGElement;
    const oneSide = panel.processes.length < 2;
    this.body = h(doc, 'div', { class: oneSide ? 'diagram-body one-side' : 'diagram-body' }, left, framesColumn, oneSide ? null : right);
    this.body.appendChild(this.overlay);
    const exited = panel.exited.length > 0 ? h(doc, 'p', { class: 'exited' }, `Exited: ${panel.exited.join(', ')} (page tables torn down, frames released)`) : null;
    this.element = h(doc, 'section', { class: `diagram machine-${panel.key}`, 'aria-label': title, 'data-machine': panel.key }, h(doc, 'h2', { class: 'diagram-title' }, title), this.body, exited);
  }

  /** Lays out rows and frames; call once the element is in the document. */
  mount(): void {
    this.mounted = true;
    for (const t of this.tables) t.view.show();
    this.frames.update(true);
    this.scheduleLinks();
  }

  /** Rows the host sent after a scroll. */
  addRows(process: string, region: string, window: RowWindow): void {
    const table = this.data.tables.get(tableKey(this.data.panel.key, process, region));
    if (!table) return;
    table.add(window);
    this.tables.find((t) => t.view.table.process === process && t.view.table.region === region)?.view.refresh();
    this.frames.update(false);
  }

  /** Redraws the lines on the next frame (after scrolls and resizes settle). */
  scheduleLinks(): void {
    if (!this.mounted || this.linkFrame !== 0) return;
    const view = this.doc.defaultView;
    if (!view?.requestAnimationFrame) return;
    this.linkFrame = view.requestAnimationFrame(() => {
      this.linkFrame = 0;
      this.drawLinksNow();
    });
  }

  drawLinksNow(): void {
    drawLinks(this.overlay, this.body, collectLinks(this.body, this.tables, this.frames), PALETTE_SIZE);
  }

  private processBlock(p: ProcessPanel): HTMLElement {
    const doc = this.doc;
    const badges: HTMLElement[] = [];
    if (p.isNew) badges.push(badge(doc, 'new', 'created by this step'));
    if (p.status === 'suspended') badges.push(badge(doc, 'suspended', 'waiting in vfork until its child execs or exits'));
    const block = h(
      doc,
      'section',
      { class: `process owner-${p.colour % PALETTE_SIZE}${p.isNew ? ' is-new' : ''}`, 'aria-label': `process ${p.name}`, 'data-process': p.name },
      h(doc, 'h3', { class: 'process-title' }, h(doc, 'span', { class: 'swatch', 'aria-hidden': 'true' }), p.name, h(doc, 'span', { class: 'pid' }, ` pid ${p.pid}`), ...badges),
    );
    if (p.borrowsFrom !== null) {
      block.appendChild(h(doc, 'p', { class: 'note' }, `Borrows ${p.borrowsFrom}'s address space (vfork): no page tables of its own until it execs or exits.`));
      return block;
    }
    if (p.regions.length === 0) block.appendChild(h(doc, 'p', { class: 'note' }, 'No mappings: an empty address space.'));
    for (const r of p.regions) {
      const rows = this.data.tables.get(tableKey(this.data.panel.key, p.name, r.region));
      if (!rows) continue;
      const view = new RegionTableView(doc, r, rows, { onRendered: (v, first, last) => this.onTableRendered(v, first, last) });
      this.tables.push({ view, colour: p.colour });
      block.appendChild(view.element);
    }
    return block;
  }

  private onTableRendered(view: RegionTableView, first: number, last: number): void {
    const missing = view.rows.firstMissing(first, last);
    if (missing !== undefined) {
      const start = Math.max(0, missing - FETCH_BEFORE);
      view.rows.markPending(start);
      this.callbacks.requestRows(this.data.panel.key, view.table.process, view.table.region, start, PENDING_SPAN);
    }
    this.scheduleLinks();
  }
}

function badge(doc: Document, text: string, title: string): HTMLElement {
  return h(doc, 'vscode-badge', { class: 'badge', title }, text);
}
