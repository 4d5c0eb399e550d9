// The article's comparison table, live: frames, copies, bytes copied and faults after the
// current step, for copy-on-write and for an eager full copy of the same scenario, and two
// small charts of the whole timeline with a cursor at the current step.
import type { PanelSnapshot, ScenarioView, StatsPoint, StatsView } from '../src/protocol/messages';
import { h, svg } from './dom';
import { bytes, thousands } from './format';
import { MEMORY_COST_ROWS, memoryByPolicy, type MemoryCostRow } from './memoryView';

interface Metric {
  readonly label: string;
  readonly title: string;
  readonly read: (s: StatsView) => number;
  readonly show: (n: number) => string;
}

const METRICS: readonly Metric[] = [
  { label: 'Frames in use', title: 'physical frames allocated now (the zero page excluded)', read: (s) => s.frames, show: thousands },
  { label: 'Peak frames', title: 'most frames in use at any step so far', read: (s) => s.peakFrames, show: thousands },
  { label: 'Pages copied', title: 'frames filled by copying another (eager fork copies included)', read: (s) => s.copies, show: thousands },
  { label: 'Bytes copied', title: 'copies × 4 KiB', read: (s) => s.bytesCopied, show: bytes },
  { label: 'Page faults', title: 'faults taken so far', read: (s) => s.faults, show: thousands },
  { label: 'Frames reused in place', title: 'write faults resolved by wp_page_reuse: the page was marked exclusive, or the writer\'s mapping held its only reference (reference count 1)', read: (s) => s.reuses, show: thousands },
  { label: 'Entries copied at fork', title: 'page-table entries copied by copy_page_range', read: (s) => s.ptesCopied, show: thousands },
  { label: 'Estimated time', title: 'the operations so far priced with the cost model named below the table (an estimate, not a measurement of this run)', read: (s) => s.timeNs, show: time },
];

/** Copy-on-write first, then full copy, whichever the scenario's own machine is. */
function byPolicy(snapshot: PanelSnapshot): { cow: StatsView | null; eager: StatsView | null } {
  const step = snapshot.step;
  if (!step || !snapshot.scenario) return { cow: null, eager: null };
  const { primary, comparison } = step.stats;
  return snapshot.scenario.policy === 'cow' ? { cow: primary, eager: comparison } : { cow: comparison, eager: primary };
}

export class StatsPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly charts: HTMLElement;
  /** "Time: copy-on-write … ≈ 0.13 ms; full copy … ≈ 15.9 ms" and the model it used. */
  private readonly timeRow: HTMLElement;
  /** Who pays for this step, and when. */
  private readonly pays: HTMLElement;
  /** `memory N`: frames in use of the machine's, OOM kills, a full copy's ENOMEM. */
  private readonly memoryLimit: HTMLElement;
  private chartedRun = -1;
  private chartedSeries: ScenarioView['series'] | null = null;
  private readonly cursors: SVGElement[] = [];
  private readonly cells: { metric: Metric; cow: HTMLElement; eager: HTMLElement }[] = [];
  /** RES, PSS and USS added up (issue 17), from the step's memory view. */
  private readonly memoryCells: { row: MemoryCostRow; cow: HTMLElement; eager: HTMLElement }[] = [];

  constructor(private readonly doc: Document) {
    this.body = h(doc, 'tbody');
    const table = h(
      doc,
      'table',
      { class: 'stats', 'aria-label': 'Copy-on-write compared with a full copy' },
      h(doc, 'thead', {}, h(doc, 'tr', {}, h(doc, 'th', { scope: 'col' }, 'After this step'), h(doc, 'th', { scope: 'col', class: 'cow' }, 'Copy-on-write'), h(doc, 'th', { scope: 'col', class: 'eager' }, 'Full copy'))),
      this.body,
    );
    this.charts = h(doc, 'div', { class: 'charts' });
    this.timeRow = h(doc, 'p', { class: 'time-row' });
    this.pays = h(doc, 'p', { class: 'who-pays' });
    this.memoryLimit = h(doc, 'p', { class: 'memory-limit' });
    this.element = h(doc, 'section', { class: 'stats-section', 'aria-label': 'Statistics' }, h(doc, 'h2', {}, 'Cost: copy-on-write vs full copy'), table, this.timeRow, this.pays, this.memoryLimit, this.charts);
  }

  update(snapshot: PanelSnapshot): void {
    const { cow, eager } = byPolicy(snapshot);
    this.element.hidden = !snapshot.step;
    // Cells are made once and their text set on each step: no new rows, less layout.
    if (this.cells.length === 0) {
      for (const m of METRICS) {
        const cowCell = h(this.doc, 'td', { class: 'cow' });
        const eagerCell = h(this.doc, 'td', { class: 'eager' });
        this.cells.push({ metric: m, cow: cowCell, eager: eagerCell });
        this.body.appendChild(h(this.doc, 'tr', { 'data-metric': m.label }, h(this.doc, 'th', { scope: 'row', title: m.title }, m.label), cowCell, eagerCell));
      }
      for (const row of MEMORY_COST_ROWS) {
        const cowCell = h(this.doc, 'td', { class: 'cow' });
        const eagerCell = h(this.doc, 'td', { class: 'eager' });
        this.memoryCells.push({ row, cow: cowCell, eager: eagerCell });
        this.body.appendChild(h(this.doc, 'tr', { 'data-metric': row.label }, h(this.doc, 'th', { scope: 'row', title: row.title }, row.label), cowCell, eagerCell));
      }
    }
    const memory = memoryByPolicy(snapshot);
    for (const { row, cow: cowCell, eager: eagerCell } of this.memoryCells) {
      const a = memory.cow ? row.read(memory.cow) : null;
      const b = memory.eager ? row.read(memory.eager) : null;
      setCell(cowCell, a === null ? '—' : row.show(a), a !== null && b !== null && a < b);
      setCell(eagerCell, b === null ? '—' : row.show(b), a !== null && b !== null && b < a);
    }
    for (const { metric, cow: cowCell, eager: eagerCell } of this.cells) {
      const a = cow ? metric.read(cow) : null;
      const b = eager ? metric.read(eager) : null;
      setCell(cowCell, a === null ? '—' : metric.show(a), a !== null && b !== null && a < b);
      setCell(eagerCell, b === null ? '—' : metric.show(b), a !== null && b !== null && b < a);
    }
    const t = snapshot.step?.time;
    setText(this.timeRow, t ? `Time (estimate): ${t.row}` : '');
    this.timeRow.title = t ? `Cost model: ${t.model}` : '';
    setText(this.pays, t?.pays ?? '');
    this.pays.hidden = !t?.pays;
    setText(this.memoryLimit, snapshot.step?.memoryLimit ?? '');
    this.memoryLimit.hidden = !snapshot.step?.memoryLimit;
    const scenario = snapshot.scenario;
    // A new run, or the same run with new figures (the host re-sent it: the cost model changed).
    if (scenario && (scenario.runId !== this.chartedRun || scenario.series !== this.chartedSeries)) this.drawCharts(snapshot);
    const position = snapshot.step?.position ?? 0;
    const last = Math.max(1, (scenario?.steps.length ?? 1) - 1);
    for (const cursor of this.cursors) {
      const x = (position / last) * CHART_W;
      cursor.setAttribute('x1', String(x));
      cursor.setAttribute('x2', String(x));
    }
  }

  private drawCharts(snapshot: PanelSnapshot): void {
    const scenario = snapshot.scenario;
    if (!scenario) return;
    this.chartedRun = scenario.runId;
    this.chartedSeries = scenario.series;
    this.cursors.length = 0;
    const series = scenario.policy === 'cow'
      ? { cow: scenario.series.primary, eager: scenario.series.comparison }
      : { cow: scenario.series.comparison, eager: scenario.series.primary };
    this.charts.replaceChildren(
      this.chart('Frames in use', series, (p) => p.frames, thousands),
      this.chart('Bytes copied', series, (p) => p.bytesCopied, bytes),
      this.chart('Estimated time', series, (p) => p.timeNs, time),
    );
  }

  private chart(title: string, series: { cow: readonly StatsPoint[] | null; eager: readonly StatsPoint[] | null }, read: (p: StatsPoint) => number, show: (n: number) => string): HTMLElement {
    const all = [...(series.cow ?? []), ...(series.eager ?? [])].map(read);
    const max = Math.max(1, ...all);
    const plot = svg(this.doc, 'svg', { viewBox: `0 0 ${CHART_W} ${CHART_H}`, preserveAspectRatio: 'none', class: 'chart', role: 'img', 'aria-label': `${title} over the timeline: copy-on-write ${series.cow ? show(read(series.cow[series.cow.length - 1] ?? ZERO)) : '—'}, full copy ${series.eager ? show(read(series.eager[series.eager.length - 1] ?? ZERO)) : '—'} at the end` });
    for (const [name, points] of [['eager', series.eager], ['cow', series.cow]] as const) {
      if (points) plot.appendChild(svg(this.doc, 'polyline', { class: `series ${name}`, points: polyline(points.map(read), max) }));
    }
    const cursor = svg(this.doc, 'line', { class: 'cursor', x1: 0, x2: 0, y1: 0, y2: CHART_H });
    plot.appendChild(cursor);
    this.cursors.push(cursor);
    return h(
      this.doc,
      'figure',
      { class: 'chart-figure' },
      h(this.doc, 'figcaption', {}, title, h(this.doc, 'span', { class: 'chart-max' }, ` (max ${show(max)})`)),
      plot,
      h(this.doc, 'div', { class: 'chart-legend', 'aria-hidden': 'true' }, h(this.doc, 'span', { class: 'key cow' }, 'copy-on-write'), h(this.doc, 'span', { class: 'key eager' }, 'full copy')),
    );
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Nanoseconds as the time row prints them: "5.24 µs", "0.13 ms", "15.9 ms". */
export function time(ns: number): string {
  const fix = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  if (ns === 0) return '0 ms';
  if (ns < 1e3) return `${fix(ns)} ns`;
  if (ns < 1e4) return `${fix(ns / 1e3)} µs`;
  if (ns < 1e9) return `${fix(ns / 1e6)} ms`;
  return `${fix(ns / 1e9)} s`;
}

function setCell(cell: HTMLElement, text: string, better: boolean): void {
  if (cell.textContent !== text) cell.textContent = text;
  cell.classList.toggle('better', better);
}

const CHART_W = 300;
const CHART_H = 80;
/** Most points drawn per series: longer timelines keep each bucket's largest value. */
const MAX_POINTS = 600;
const ZERO: StatsPoint = { frames: 0, copies: 0, bytesCopied: 0, faults: 0, timeNs: 0 };

/** SVG polyline points for `values` scaled into the chart, as steps (a value holds until the next). */
export function polyline(values: readonly number[], max: number): string {
  const n = values.length;
  if (n === 0) return '';
  const buckets = Math.min(n, MAX_POINTS);
  const last = Math.max(1, n - 1);
  const y = (v: number) => (CHART_H - 2 - (v / max) * (CHART_H - 4)).toFixed(1);
  const out: string[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.max(from, Math.floor(((b + 1) * n) / buckets) - 1);
    let v = 0;
    for (let i = from; i <= to; i++) v = Math.max(v, values[i] ?? 0);
    out.push(`${((from / last) * CHART_W).toFixed(1)},${y(v)}`, `${((Math.min(to + 1, last) / last) * CHART_W).toFixed(1)},${y(v)}`);
  }
  return out.join(' ');
}
