// The memory section: what `top` (RES), `smem` (PSS) and "what it alone costs" (USS) say about
// each live process after this step, each with a small bar, and one sentence on why the three
// differ; then top's RES column added up beside the frames really in use. Self-contained: it
// reads `step.memory` from the snapshot and nothing else. Also the three rows the cost table
// gains (MEMORY_COST_ROWS), read from the same data.
import type { MemoryPanelView, PanelSnapshot, ProcessMemoryView } from '../src/protocol/messages';
import { h, svg } from './dom';
import { bytes, thousands } from './format';
import { setIfChanged } from './links';

const PALETTE_SIZE = 8;
const BAR_W = 100;
const BAR_H = 8;

/** Pages, and the bytes they hold: "4 pages · 16 KiB". */
export function pagesText(pages: number, exact?: string): string {
  const shown = exact ?? thousands(pages);
  return `${shown} ${pages === 1 ? 'page' : 'pages'} · ${bytes(Math.round(pages * 4096))}`;
}

interface Figure {
  readonly key: 'rss' | 'pss' | 'uss';
  readonly label: string;
  readonly tool: string;
  readonly title: string;
}

const FIGURES: readonly Figure[] = [
  { key: 'rss', label: 'RES', tool: 'top', title: 'Resident set size: every real frame the process maps, shared ones counted in full (Rss in /proc/PID/smaps)' },
  { key: 'pss', label: 'PSS', tool: 'smem', title: 'Proportional set size: each mapped frame divided by the number of page-table entries mapping it (Pss in smaps)' },
  { key: 'uss', label: 'USS', tool: 'alone', title: 'Unique set size: the frames only this process maps, what it alone costs (Private_Clean + Private_Dirty in smaps)' },
];

/** The elements of one process's two rows that a step with new figures writes into. */
interface ShownProcess {
  readonly rows: readonly HTMLElement[];
  readonly cells: readonly { readonly td: HTMLElement; readonly fill: SVGElement; readonly count: HTMLElement; readonly size: HTMLElement }[];
  readonly why: HTMLElement;
}

export class MemorySection {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly rssTotal: HTMLElement;
  private readonly framesTotal: HTMLElement;
  /** What the section shows now: a step with the same figures (most steps of a long run) changes nothing. */
  private shown = '';
  /** The processes the rows are for (name and colour): the same ones are written in place, not built again. */
  private shownProcesses = '';
  private processes: ShownProcess[] = [];

  constructor(private readonly doc: Document) {
    this.body = h(doc, 'tbody');
    const head = h(doc, 'tr', {}, h(doc, 'th', { scope: 'col' }, 'Process'), ...FIGURES.map((f) => h(doc, 'th', { scope: 'col', title: f.title }, `${f.label} `, h(doc, 'span', { class: 'tool' }, `(${f.tool})`))));
    const table = h(doc, 'table', { class: 'memory', 'aria-label': 'Memory per process: RES, PSS and USS' }, h(doc, 'thead', {}, head), this.body);
    this.rssTotal = h(doc, 'strong', { 'data-total': 'rss' });
    this.framesTotal = h(doc, 'strong', { 'data-total': 'frames' });
    const totals = h(doc, 'p', { class: 'memory-totals' }, h(doc, 'span', { class: 'total' }, 'RES added up: ', this.rssTotal), h(doc, 'span', { class: 'total' }, 'Frames in use: ', this.framesTotal));
    this.summary = h(doc, 'p', { class: 'memory-summary' });
    this.element = h(doc, 'section', { class: 'memory-section', 'aria-label': 'Memory as top and smem see it' }, h(doc, 'h2', {}, 'Memory as top and smem see it'), table, totals, this.summary);
  }

  /**
   * Shows the step's figures. The same processes as the last step keep their rows and only the
   * texts, bars and labels that changed are written (a million-page step changes the figures at
   * every step: building the 56 elements again cost style and layout before the paint).
   */
  update(snapshot: PanelSnapshot): void {
    const memory = snapshot.step?.memory?.primary;
    this.element.hidden = memory === undefined;
    if (!memory) return;
    const key = JSON.stringify(memory);
    if (key === this.shown) return;
    this.shown = key;
    const processes = JSON.stringify(memory.processes.map((p) => [p.name, p.colour]));
    if (processes !== this.shownProcesses) {
      this.shownProcesses = processes;
      this.processes = memory.processes.map((p) => this.build(p));
      const rows = this.processes.flatMap((p) => p.rows);
      if (memory.processes.length === 0) rows.push(h(this.doc, 'tr', {}, h(this.doc, 'td', { colspan: 4, class: 'why' }, 'No live process.')));
      this.body.replaceChildren(...rows);
    }
    const scale = Math.max(1, memory.frames, ...memory.processes.map((p) => p.rss));
    memory.processes.forEach((p, i) => {
      const shown = this.processes[i];
      if (shown) write(shown, p, scale);
    });
    setText(this.rssTotal, pagesText(memory.rssSum));
    setText(this.framesTotal, pagesText(memory.frames));
    setText(this.summary, memory.summary);
  }

  /** A process's two rows, empty: write() fills them. */
  private build(p: ProcessMemoryView): ShownProcess {
    const doc = this.doc;
    const owner = `owner-${p.colour % PALETTE_SIZE}`;
    const name = h(doc, 'th', { scope: 'row', class: owner }, h(doc, 'span', { class: 'swatch', 'aria-hidden': 'true' }), ` ${p.name}`);
    const cells = FIGURES.map((f) => {
      const bar = svg(doc, 'svg', { class: `bar ${f.key}`, viewBox: `0 0 ${BAR_W} ${BAR_H}`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
      bar.appendChild(svg(doc, 'rect', { class: 'track', x: 0, y: 0, width: BAR_W, height: BAR_H }));
      const fill = svg(doc, 'rect', { class: 'fill', x: 0, y: 0, height: BAR_H });
      bar.appendChild(fill);
      // "16 pages · 64 KiB" in two halves (inline blocks): a narrow panel wraps it between them.
      const count = h(doc, 'span', { class: 'part' });
      const size = h(doc, 'span', { class: 'part' });
      const td = h(doc, 'td', { class: owner, 'data-figure': f.key }, bar, h(doc, 'span', { class: 'value' }, count, ' · ', size));
      return { td, fill, count, size };
    });
    const why = h(doc, 'td', { colspan: 4, class: 'why' });
    return {
      rows: [h(doc, 'tr', { class: 'figures', 'data-process': p.name }, name, ...cells.map((c) => c.td)), h(doc, 'tr', { class: 'why-row' }, why)],
      cells,
      why,
    };
  }
}

/** Writes a process's figures into its rows, only what differs (an unchanged write still invalidates). */
function write(shown: ShownProcess, p: ProcessMemoryView, scale: number): void {
  FIGURES.forEach((f, i) => {
    const cell = shown.cells[i];
    if (!cell) return;
    const value = p[f.key];
    const text = pagesText(value, f.key === 'pss' ? p.pssText : undefined);
    const [count, size] = text.split(' · ');
    setText(cell.count, count ?? text);
    setText(cell.size, size ?? '');
    setIfChanged(cell.td, 'aria-label', `${f.label} ${text}`);
    setIfChanged(cell.fill, 'width', ((value / scale) * BAR_W).toFixed(2));
  });
  setText(shown.why, p.why);
}

function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export interface MemoryCostRow {
  readonly label: string;
  readonly title: string;
  readonly read: (m: MemoryPanelView) => number;
  readonly show: (n: number) => string;
}

/** The three rows the cost table gains: RES, PSS and USS added up, copy-on-write against a full copy. */
export const MEMORY_COST_ROWS: readonly MemoryCostRow[] = [
  { label: 'RES added up (top)', title: 'the RES of every live process added up: a shared frame counts once per process mapping it', read: (m) => m.rssSum, show: (n) => bytes(n * 4096) },
  { label: 'PSS added up (smem)', title: 'the PSS of every address space added up: each mapped frame counts once', read: (m) => m.pssSum, show: (n) => bytes(Math.round(n * 4096)) },
  { label: 'USS added up (private)', title: 'frames mapped by exactly one process', read: (m) => m.ussSum, show: (n) => bytes(n * 4096) },
];

/** The memory view of copy-on-write and of the full copy, whichever the scenario's own machine is. */
export function memoryByPolicy(snapshot: PanelSnapshot): { cow: MemoryPanelView | null; eager: MemoryPanelView | null } {
  const memory = snapshot.step?.memory;
  if (!memory || !snapshot.scenario) return { cow: null, eager: null };
  return snapshot.scenario.policy === 'cow' ? { cow: memory.primary, eager: memory.comparison } : { cow: memory.comparison, eager: memory.primary };
}
