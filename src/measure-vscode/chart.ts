// The "Measure on My Machine" page: time against the fraction of pages written, both curves, the
// crossover marked, and the article's comparison table filled with this machine's numbers.
// Pure HTML and SVG built on the host (no script runs in the webview); no `vscode` here.
import { DEFAULT_FIGURES, formatNs, type CostModel } from '../engine';
import { crossover as crossingOf, type CurvePoint, type MeasureReport } from '../measure/summary';
import { escapeHtml, webviewPage } from '../util/webviewPage';

const W = 560;
const H = 260;
const PAD = { left: 64, right: 16, top: 16, bottom: 44 };


const ms = (x: number): string => formatNs(x * 1e6);
const percent = (f: number): string => `${Math.round(f * 100)}%`;

/** The curves the default model predicts for the benchmark's workload (no measurement yet). */
export function modelCurve(model: CostModel, mib: number = DEFAULT_FIGURES.mib): CurvePoint[] {
  const pages = (mib * 1024 * 1024) / 4096;
  const forkNs = model.forkNs + pages * model.pteCopyNs + Math.ceil(pages / 512) * model.tablePageNs;
  return [0, 0.01, 0.1, 0.25, 0.5, 0.75, 1].map((fraction) => ({
    fraction,
    cowMs: (forkNs + Math.floor(pages * fraction) * (model.trapNs + model.copyPageNs)) / 1e6,
    eagerMs: (pages * model.bulkCopyPageNs) / 1e6,
  }));
}

/** The chart as SVG markup: x = fraction written, y = ms; copy-on-write solid, full copy dashed. */
export function chartSvg(curve: readonly CurvePoint[], crossover: number | null): string {
  const maxY = Math.max(1e-6, ...curve.flatMap((p) => [p.cowMs, p.eagerMs])) * 1.08;
  const x = (f: number): number => PAD.left + f * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom);
  const line = (read: (p: CurvePoint) => number): string => curve.map((p) => `${x(p.fraction).toFixed(1)},${y(read(p)).toFixed(1)}`).join(' ');
  const dots = (read: (p: CurvePoint) => number, cls: string): string =>
    curve.map((p) => `<circle class="dot ${cls}" cx="${x(p.fraction).toFixed(1)}" cy="${y(read(p)).toFixed(1)}" r="3"><title>${percent(p.fraction)} written: ${escapeHtml(ms(read(p)))}</title></circle>`).join('');
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<line class="grid" x1="${x(f)}" x2="${x(f)}" y1="${PAD.top}" y2="${H - PAD.bottom}"/><text class="tick" x="${x(f)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${percent(f)}</text>`).join('');
  const yTicks = [0, 0.5, 1].map((k) => `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(k * maxY / 1.08)}" y2="${y(k * maxY / 1.08)}"/><text class="tick" x="${PAD.left - 6}" y="${y(k * maxY / 1.08) + 4}" text-anchor="end">${escapeHtml(ms(k * maxY / 1.08))}</text>`).join('');
  const cross = crossover === null ? '' : `<line class="crossover" x1="${x(crossover)}" x2="${x(crossover)}" y1="${PAD.top}" y2="${H - PAD.bottom}"/><text class="crossover-label" x="${x(crossover) + (crossover > 0.7 ? -6 : 6)}" y="${PAD.top + 12}" text-anchor="${crossover > 0.7 ? 'end' : 'start'}">full copy cheaper from ${percent(crossover)}</text>`;
  const label = `Time against the fraction of pages written: copy-on-write from ${ms(curve[0]?.cowMs ?? 0)} to ${ms(curve.at(-1)?.cowMs ?? 0)}, full copy from ${ms(curve[0]?.eagerMs ?? 0)} to ${ms(curve.at(-1)?.eagerMs ?? 0)}${crossover === null ? '; copy-on-write is cheaper everywhere' : `; they cross at ${percent(crossover)}`}.`;
  return `<svg class="curve-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(label)}">${xTicks}${yTicks}
<polyline class="series eager" points="${line((p) => p.eagerMs)}"/><polyline class="series cow" points="${line((p) => p.cowMs)}"/>${dots((p) => p.eagerMs, 'eager')}${dots((p) => p.cowMs, 'cow')}${cross}
<text class="axis" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" text-anchor="middle">pages written after the fork</text></svg>`;
}

export interface TableFigures {
  readonly mib: number;
  readonly forkMs: number;
  readonly fullCopyMs: number;
  readonly cowFaultUs: number;
  readonly crossover: number | null;
}

/** The article's comparison table, this machine's numbers in it. */
export function comparisonTableHtml(t: TableFigures): string {
  const best = t.crossover === null
    ? ['any fraction of pages written (it was cheaper at every point measured)', 'never, on this machine']
    : t.crossover === 0
      ? ['copies nobody writes… and not even those here: the full copy was cheaper at once', 'any fraction of pages written']
      : [`up to ${percent(t.crossover)} of pages written`, `more than ${percent(t.crossover)} of pages written`];
  const rows: [string, string, string][] = [
    ['Idea', 'share now, copy a page on its first write', 'duplicate everything at fork'],
    ['Initial cost', `fork() ${ms(t.forkMs)} (page-table entries only)`, `${ms(t.fullCopyMs)} for all ${t.mib} MiB`],
    ['Each page written later', `one fault, ${formatNs(t.cowFaultUs * 1e3)}, paid by the writer`, 'nothing more: already copied'],
    ['Resources', 'only the pages written, as they are written', `all ${t.mib} MiB at once`],
    ['Best for', best[0] as string, best[1] as string],
  ];
  return `<table class="comparison"><thead><tr><th scope="col"></th><th scope="col">Copy-on-write</th><th scope="col">Full copy</th></tr></thead><tbody>${rows
    .map(([a, b, c]) => `<tr><th scope="row">${escapeHtml(a)}</th><td>${escapeHtml(b)}</td><td>${escapeHtml(c)}</td></tr>`)
    .join('')}</tbody></table>`;
}

/** Each figure's median and the lowest and highest sample, so a reader can judge the noise. */
export function spreadHtml(r: MeasureReport): string {
  const names: Record<string, string> = { fork: 'fork()', forkbase: 'fork() with nothing mapped', cowfault: 'copy-on-write fault', anonfault: 'first-touch fault', unmap: 'munmap per page', copy: 'memcpy GB/s', fullcopy: 'full copy' };
  const rows = Object.entries(r.spread).map(([k, s]) => {
    const unit = k === 'copy' ? ' GB/s' : k.endsWith('fault') || k === 'unmap' ? ' µs' : ' ms';
    const name = names[k] ?? (k.startsWith('cow ') ? `fork + ${percent(Number(k.slice(4)))} written` : `full copy + ${percent(Number(k.slice(6)))} written`);
    const n = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
    return `<tr><th scope="row">${escapeHtml(name)}</th><td>${n(s.median)}${unit}</td><td>${n(s.min)}–${n(s.max)}${unit}</td></tr>`;
  });
  return `<details><summary>Every figure, median of ${r.samples} samples, with the lowest and highest</summary><table class="spread"><thead><tr><th scope="col">Figure</th><th scope="col">Median</th><th scope="col">Range</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; max-width: 760px; }
h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.1em; margin-top: 1.4em; }
.note { color: var(--vscode-descriptionForeground); }
.curve-chart { width: 100%; max-width: ${W}px; height: auto; }
.grid { stroke: var(--vscode-editorWidget-border, #8884); stroke-width: 1; }
.tick, .axis, .crossover-label { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.crossover-label { fill: var(--vscode-foreground); font-weight: 600; }
.series { fill: none; stroke-width: 2.5; }
.series.cow, .dot.cow { stroke: var(--vscode-charts-blue, #3794ff); }
.series.eager, .dot.eager { stroke: var(--vscode-charts-orange, #d18616); }
.series.eager { stroke-dasharray: 6 4; }
.dot { fill: var(--vscode-editor-background); stroke-width: 2; }
.crossover { stroke: var(--vscode-foreground); stroke-width: 1.5; stroke-dasharray: 2 3; }
.legend { display: flex; gap: 16px; color: var(--vscode-descriptionForeground); }
.legend .cow::before, .legend .eager::before { content: ''; display: inline-block; width: 18px; margin-right: 6px; vertical-align: middle; border-top: 2.5px solid var(--vscode-charts-blue, #3794ff); }
.legend .eager::before { border-top: 2.5px dashed var(--vscode-charts-orange, #d18616); }
table { border-collapse: collapse; margin: 8px 0; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, #8884); vertical-align: top; }
thead th { font-weight: 600; }
`;

export interface PageInput {
  readonly report: MeasureReport | null;
  /** Shown above everything: why there is no measurement, or what it is. */
  readonly note: string;
  readonly defaultModel: CostModel;
  readonly nonce: string;
  readonly cspSource: string;
}

/** The whole page. A strict CSP: no script at all; the one style element carries the nonce. */
export function measurePageHtml(input: PageInput): string {
  const { report } = input;
  const curve = report ? report.curve : modelCurve(input.defaultModel);
  const crossover = report ? report.crossover : crossingOf(curve);
  const figures: TableFigures = report
    ? report
    : { mib: DEFAULT_FIGURES.mib, forkMs: DEFAULT_FIGURES.forkMs, fullCopyMs: DEFAULT_FIGURES.fullCopyMs, cowFaultUs: DEFAULT_FIGURES.cowFaultUs, crossover };
  const heading = report ? `This machine: ${report.mib} MiB resident, ${report.pageSize}-byte pages` : `CoW Lab's default model (not measured here)`;
  const about = report
    ? `Measured ${escapeHtml(report.measuredAt.slice(0, 16).replace('T', ' '))} UTC on CPU ${report.cpu}, transparent huge pages off; each point is the median of ${report.samples} samples. Copy-on-write: fork(), then the child writes that fraction of the pages, each write a page fault that copies 4 KiB. Full copy: fresh memory for every page filled by memcpy, then the same writes, which no longer fault.`
    : 'The curves below are what the default cost model predicts for the same workload; run the measurement on Linux in a trusted workspace to see your own machine.';
  return webviewPage({
    csp: `default-src 'none'; style-src 'nonce-${input.nonce}'; img-src ${input.cspSource};`,
    title: 'CoW Lab: the trade-off in time',
    head: `<style nonce="${input.nonce}">${STYLE}</style>`,
    body: `<h1>Copy-on-write or a full copy: the trade-off in time</h1>
<p class="note">${escapeHtml(input.note)}</p>
<h2>${escapeHtml(heading)}</h2>
<p class="note">${about}</p>
${chartSvg(curve, crossover)}
<div class="legend" aria-hidden="true"><span class="cow">copy-on-write: fork + writes</span><span class="eager">full copy + writes</span></div>
<h2>The comparison table, with these numbers</h2>
${comparisonTableHtml(figures)}
${report ? spreadHtml(report) : ''}
<p class="note">Every scenario's time estimates (the panel's time row, <code>cow-lab cost</code>) now use ${report ? 'these figures' : 'the default model'}.</p>`,
  });
}

