// One machine at the current step: processes' page tables either side of the physical frames,
// with lines from entries to frames. Processes alternate left and right (parent left, child
// right), the way textbooks draw fork.
import type { MachineKey, MachinePanel, ProcessPanel, RowWindow } from '../src/protocol/messages';
import { h, svg } from './dom';
import { FramesView, PALETTE_SIZE, processColours } from './framesView';
import { collectLinks, drawLinks, LinkScheduler, overlaySize, type PlacedTable } from './links';
import { PENDING_SPAN, tableKey, type MachineData } from './machineData';
import { frameColumnChars, RegionTableView } from './pageTable';

export interface DiagramCallbacks {
  readonly requestRows: (machine: MachineKey, process: string, region: string, start: number, count: number) => void;
  /** Spell out a collapsed run; collapse an expanded one again (the host rebuilds the rows). */
  readonly expand?: (machine: MachineKey, process: string, region: string, first: number, last: number) => void;
  readonly collapse?: (machine: MachineKey, process: string, region: string, page: number) => void;
}

/** Rows fetched above the first missing one, so a scroll up does not ask again at once. */
const FETCH_BEFORE = 32;

export class MachineDiagram {
  readonly element: HTMLElement;
  readonly frames: FramesView;
  readonly tables: PlacedTable[] = [];
  private readonly overlay: SVGSVGElement;
  private readonly body: HTMLElement;
  private readonly links: LinkScheduler;
  private mounted = false;
  private readonly framesKey: string;
  /** Each process's block and the "new" badge it shows while the step created it (updated in place). */
  private readonly blocks = new Map<string, { readonly block: HTMLElement; readonly title: HTMLElement; badge: HTMLElement | null }>();

  /**
   * @param scrolls where each table (and the frames list) was scrolled, by table key: kept by
   * the app across steps, so a table the learner scrolled stays where they left it.
   */
  constructor(
    private readonly doc: Document,
    private machine: MachineData,
    title: string,
    private readonly callbacks: DiagramCallbacks,
    private readonly scrolls: Map<string, number>,
  ) {
    this.links = new LinkScheduler(doc, { scroll: () => this.applyScrolls(), measure: () => this.measureLinks() });
    const panel = machine.panel;
    const colours = processColours(panel.processes);
    const framesKey = `frames\u0000${panel.key}`;
    this.frames = new FramesView(doc, machine, colours, () => {
      this.scrolls.set(framesKey, this.frames.list.scrollOffset);
      this.scheduleLinks();
    });
    this.framesKey = framesKey;
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
    this.sizeFrameColumn();
  }

  /** The tables' frame column fits the widest frame number this machine can show (a CSS variable). */
  private sizeFrameColumn(): void {
    const m = this.machine;
    let highest = Math.max(m.highestFrame, m.panel.framesInUse);
    for (const f of m.panel.frames) highest = Math.max(highest, f.frame);
    for (const s of m.panel.spans) highest = Math.max(highest, s.first, s.last);
    const chars = String(frameColumnChars(highest));
    if (this.element.style.getPropertyValue('--frame-lead') !== chars) this.element.style.setProperty('--frame-lead', chars);
  }

  /** Lays out rows and frames; call once the element is in the document. */
  mount(): void {
    this.mounted = true;
    for (const t of this.tables) {
      t.view.list.restoreScroll(this.scrolls.get(this.keyOf(t.view)) ?? 0);
      t.view.show();
    }
    this.frames.list.restoreScroll(this.scrolls.get(this.framesKey) ?? 0);
    this.frames.update(true);
    this.scheduleLinks();
  }

  get data(): MachineData {
    return this.machine;
  }

  /**
   * Shows another step in the same elements when it has the same shape (same processes,
   * regions, statuses): the browser then re-lays out only the rows that changed, not the
   * whole panel. Returns false when the shape differs and the diagram must be rebuilt.
   */
  update(next: MachineData): boolean {
    if (shapeOf(next.panel) !== shapeOf(this.machine.panel)) return false;
    this.machine = next;
    this.sizeFrameColumn();
    for (const p of next.panel.processes) this.markNew(p);
    for (const t of this.tables) {
      const key = this.keyOf(t.view);
      const rows = next.tables.get(key);
      if (rows) t.view.update(rows.table, rows);
    }
    this.frames.setData(next);
    this.frames.update(true);
    this.scheduleLinks();
    return true;
  }

  private keyOf(view: RegionTableView): string {
    return tableKey(this.machine.panel.key, view.table.process, view.table.region);
  }

  /** The table of `process`'s `region`, if this machine shows it. */
  table(process: string, region: string): RegionTableView | undefined {
    return this.tables.find((t) => t.view.table.process === process && t.view.table.region === region)?.view;
  }

  /** Rows the host sent after a scroll. */
  addRows(process: string, region: string, window: RowWindow): void {
    const table = this.machine.tables.get(tableKey(this.machine.panel.key, process, region));
    if (!table) return;
    table.add(window);
    this.tables.find((t) => t.view.table.process === process && t.view.table.region === region)?.view.refresh();
    this.frames.update(false);
  }

  /** Redraws the lines on the next frame (after scrolls and resizes settle). */
  scheduleLinks(): void {
    if (this.mounted) this.links.schedule();
  }

  /**
   * Writes the lists' scroll offsets (then measureLinks reads, then its result draws the lines):
   * the scheduler runs it in the frame's animation callback, after every list of the step is
   * built, with the other drawings of the frame (links.ts LinkPass), so the browser lays the
   * panel out once per step.
   */
  private applyScrolls(): void {
    for (const t of this.tables) t.view.list.applyScroll();
    this.frames.list.applyScroll();
  }

  /** Reads where the lines go; returns the writes that draw them. */
  private measureLinks(): (() => void) | null {
    // A narrow diagram (one column: frames under the tables) shows no lines.
    if (this.overlay.getClientRects().length === 0) return null;
    const links = collectLinks(this.body, this.tables, this.frames);
    const size = overlaySize(this.body);
    return () => drawLinks(this.overlay, size, links, PALETTE_SIZE);
  }

  private processBlock(p: ProcessPanel): HTMLElement {
    const doc = this.doc;
    const badges: HTMLElement[] = [];
    if (p.status === 'suspended') badges.push(badge(doc, 'suspended', 'waiting in vfork until its child execs or exits'));
    const title = h(doc, 'h3', { class: 'process-title' }, h(doc, 'span', { class: 'swatch', 'aria-hidden': 'true' }), p.name, h(doc, 'span', { class: 'pid' }, ` pid ${p.pid}`), ...badges);
    const block = h(doc, 'section', { class: `process owner-${p.colour % PALETTE_SIZE}`, 'aria-label': `process ${p.name}`, 'data-process': p.name }, title);
    this.blocks.set(p.name, { block, title, badge: null });
    this.markNew(p);
    if (p.borrowsFrom !== null) {
      block.appendChild(h(doc, 'p', { class: 'note' }, `Borrows ${p.borrowsFrom}'s address space (vfork): no page tables of its own until it execs or exits.`));
      return block;
    }
    if (p.regions.length === 0) block.appendChild(h(doc, 'p', { class: 'note' }, 'No mappings: an empty address space.'));
    for (const r of p.regions) {
      const rows = this.machine.tables.get(tableKey(this.machine.panel.key, p.name, r.region));
      if (!rows) continue;
      const key = this.machine.panel.key;
      const { expand, collapse } = this.callbacks;
      const view = new RegionTableView(doc, r, rows, {
        onRendered: (v, first, last) => this.onTableRendered(v, first, last),
        ...(expand ? { expand: (v: RegionTableView, first: number, last: number) => expand(key, v.table.process, v.table.region, first, last) } : {}),
        ...(collapse ? { collapse: (v: RegionTableView, page: number) => collapse(key, v.table.process, v.table.region, page) } : {}),
      });
      this.tables.push({ view, colour: p.colour });
      block.appendChild(view.element);
    }
    return block;
  }

  /** The "new" badge and tint of a process the step created, on or off (the next step keeps the elements). */
  private markNew(p: ProcessPanel): void {
    const entry = this.blocks.get(p.name);
    if (!entry || (entry.badge !== null) === p.isNew) return;
    entry.block.classList.toggle('is-new', p.isNew);
    if (p.isNew) {
      entry.badge = badge(this.doc, 'new', 'created by this step');
      entry.title.querySelector('.pid')?.after(entry.badge);
    } else {
      entry.badge?.remove();
      entry.badge = null;
    }
  }

  private onTableRendered(view: RegionTableView, first: number, last: number): void {
    this.scrolls.set(this.keyOf(view), view.list.scrollOffset);
    const missing = view.rows.firstMissing(first, last);
    if (missing !== undefined) {
      const start = Math.max(0, missing - FETCH_BEFORE);
      view.rows.markPending(start);
      this.callbacks.requestRows(this.machine.panel.key, view.table.process, view.table.region, start, PENDING_SPAN);
    }
    this.scheduleLinks();
  }
}

/**
 * What decides the diagram's elements: processes (name, pid, status, borrowing), their regions, who
 * exited. Whether a process is new this step is not: its badge is switched in place.
 */
export function shapeOf(panel: MachinePanel): string {
  const processes = panel.processes.map((p) => [p.name, p.pid, p.status, p.borrowsFrom, p.colour, p.regions.map((r) => `${r.region}:${r.pages}:${r.kind}`)]);
  return JSON.stringify([panel.key, panel.policy, processes, panel.exited]);
}

function badge(doc: Document, text: string, title: string): HTMLElement {
  return h(doc, 'vscode-badge', { class: 'badge', title }, text);
}
