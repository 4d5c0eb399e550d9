// `npx tsx bench/panelTrace.ts million|realistic|worst`: where a panel step's milliseconds go.
// Steps through one scenario as bench/panelPaint.ts does, under a Chromium trace, and prints
// per step the renderer main thread's time (thread time) by kind — script, style recalculation,
// layout, paint (pre-paint, paint, layerize) — and every layout or style recalculation that a
// script forced (with the function that forced it and how many elements or objects it touched).
// The harness forces one itself after the message (to time style + layout at once): it is
// listed as "harness". Prints figures; asserts nothing.
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import launch from '../scripts/vscode/chromium.json';
import type { HostMessage } from '../src/protocol/messages';
import { runForPanel } from '../src/panel/scenarioRun';
import { PanelModel } from '../src/panel/stepModel';
import { harnessHtml, PAINT_TIMER } from './panelHarness';
import { MEASURED_STEPS, MILLION, scenario } from './panelScenarios';

interface StackFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: {
    readonly name?: string;
    readonly elementCount?: number;
    readonly beginData?: { readonly dirtyObjects?: number; readonly totalObjects?: number; readonly stackTrace?: readonly StackFrame[] };
    readonly data?: { readonly stackTrace?: readonly StackFrame[] };
  };
}

const KIND: Readonly<Record<string, string>> = {
  UpdateLayoutTree: 'style',
  ScheduleStyleRecalculation: 'style',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  PaintImage: 'paint',
  UpdateLayer: 'paint',
  Commit: 'paint',
};
const SCRIPT = new Set(['EventDispatch', 'FunctionCall', 'FireAnimationFrame', 'TimerFire', 'EvaluateScript', 'v8.compile', 'RunMicrotasks', 'V8.GCScavenger', 'MajorGC', 'MinorGC']);
const KINDS = ['script', 'style', 'layout', 'paint', 'other'] as const;

interface Node {
  readonly event: TraceEvent;
  readonly children: Node[];
}

/** Nests the main thread's complete events (a Layout inside a FunctionCall is a child). */
function nest(events: readonly TraceEvent[]): Node[] {
  const roots: Node[] = [];
  const open: Node[] = [];
  for (const event of events) {
    while (open.length > 0) {
      const top = open[open.length - 1] as Node;
      if (event.ts < top.event.ts + (top.event.dur ?? 0)) break;
      open.pop();
    }
    const node = { event, children: [] };
    (open.length > 0 ? (open[open.length - 1] as Node).children : roots).push(node);
    open.push(node);
  }
  return roots;
}

const time = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;

function kindOf(name: string): (typeof KINDS)[number] {
  return (KIND[name] as (typeof KINDS)[number] | undefined) ?? (SCRIPT.has(name) ? 'script' : 'other');
}

/** Self time by kind; forced style/layout: those under a script event. */
function walk(nodes: readonly Node[], totals: Map<string, number>, forced: string[], underScript: boolean): void {
  for (const node of nodes) {
    const own = time(node.event) - node.children.reduce((sum, c) => sum + time(c.event), 0);
    const kind = kindOf(node.event.name);
    totals.set(kind, (totals.get(kind) ?? 0) + Math.max(0, own));
    if (kind === 'other' && own > 1) forced.push(`other: ${node.event.name} ${own.toFixed(1)} ms`);
    if (!underScript && kind === 'layout' && own > 2) forced.push(`frame layout ${own.toFixed(1)} ms (${node.event.args?.beginData?.dirtyObjects ?? '?'}/${node.event.args?.beginData?.totalObjects ?? '?'} objects) ${JSON.stringify(node.event.args).slice(0, 600)}`);
    if (underScript && (kind === 'style' || kind === 'layout') && node.event.name !== 'ScheduleStyleRecalculation') {
      const args = node.event.args;
      const stack = args?.beginData?.stackTrace ?? args?.data?.stackTrace ?? [];
      const where = stack.slice(0, 3).map((f) => `${f.functionName || '(anonymous)'}:${f.lineNumber}`).join(' < ') || '?';
      const size = kind === 'style' ? `${args?.elementCount ?? '?'} elements` : `${args?.beginData?.dirtyObjects ?? '?'}/${args?.beginData?.totalObjects ?? '?'} objects`;
      forced.push(`${kind} ${time(node.event).toFixed(1)} ms (${size}) forced by ${where}`);
    }
    walk(node.children, totals, forced, underScript || kind === 'script');
  }
}

/** Counts the elements added to the page (with their descendants), by the list they went into. */
const COUNT_ADDED = `(() => {
  let counts = {};
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      const where = n.closest('.pte-body') ? 'table rows' : n.closest('.frames-body') ? 'frame boxes' : n.closest('.diagram') ? 'diagram (other)' : 'rest of the panel';
      counts[where] = (counts[where] || 0) + 1 + n.querySelectorAll('*').length;
    }
  }).observe(document.body, { childList: true, subtree: true });
  window.__takeAdded = () => { const c = counts; counts = {}; return c; };
})()`;

async function trace(label: string, source: string): Promise<void> {
  const attempt = runForPanel(source, 'bench.cow', 1);
  if (!attempt.ok) throw new Error(`bench scenario does not run: ${attempt.problems[0]?.message}`);
  const model = new PanelModel(attempt.run);
  const last = model.stepCount - 1;
  const first = Math.max(0, last - MEASURED_STEPS);
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: [...launch.args, '--disable-gpu-vsync', '--disable-frame-rate-limit'], headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
    await page.setContent(harnessHtml({ document: 'file:///bench.cow', scenario: model.scenarioView(), step: model.stepView(first, true), problems: null, compare: true }, 720));
    await page.waitForSelector('.scrubber');
    // Elements each step adds, by where: a count that no load on the machine changes.
    await page.evaluate(COUNT_ADDED);
    const cdp = await page.context().newCDPSession(page);
    const events: TraceEvent[] = [];
    const on = cdp.on.bind(cdp) as unknown as (event: string, listener: (d: { value: TraceEvent[] }) => void) => void;
    on('Tracing.dataCollected', (d) => events.push(...d.value));
    const categories = 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.stack,blink.user_timing';
    await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
    const added: Record<string, number>[] = [];
    for (let position = first + 1; position <= last; position++) {
      const message: HostMessage = { type: 'step', step: model.stepView(position, true) };
      await page.evaluate(`(performance.mark('cowlab-step'), ${PAINT_TIMER.replace('MESSAGE', () => JSON.stringify(message))})`);
      // Let the overscan fill (a task after the next paint) land inside this step's window.
      await page.evaluate('new Promise((r) => setTimeout(r, 50))');
      added.push(await page.evaluate<Record<string, number>>('window.__takeAdded()'));
    }
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    if (!main) throw new Error('no renderer main thread in the trace');
    const marks = events.filter((e) => e.name === 'cowlab-step').map((e) => e.ts).sort((a, b) => a - b);
    const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    console.log(`\n${label}: ${marks.length} steps traced; renderer main thread, thread time in ms`);
    console.log(`  step   ${KINDS.map((k) => k.padStart(7)).join(' ')}    total`);
    const sums = new Map<string, number[]>();
    marks.forEach((start, i) => {
      const end = marks[i + 1] ?? Infinity;
      const totals = new Map<string, number>();
      const forced: string[] = [];
      walk(nest(onMain.filter((e) => e.ts >= start && e.ts < end)), totals, forced, false);
      const total = KINDS.reduce((s, k) => s + (totals.get(k) ?? 0), 0);
      for (const k of [...KINDS, 'total']) sums.set(k, [...(sums.get(k) ?? []), k === 'total' ? total : (totals.get(k) ?? 0)]);
      const adds = added[i] ?? {};
      for (const [where, n] of Object.entries(adds)) sums.set(`added ${where}`, [...(sums.get(`added ${where}`) ?? []), n]);
      if (marks.length <= 12 || i < 6) {
        console.log(`  ${String(first + 1 + i).padStart(4)}   ${KINDS.map((k) => (totals.get(k) ?? 0).toFixed(1).padStart(7)).join(' ')}  ${total.toFixed(1).padStart(7)}   elements added: ${Object.entries(adds).map(([w, n]) => `${w} ${n}`).join(', ')}`);
        for (const f of forced) console.log(`           ${f}`);
      }
    });
    const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / marks.length;
    console.log(`  elements added per step (mean): ${[...sums.entries()].filter(([k]) => k.startsWith('added ')).map(([k, xs]) => `${k.slice(6)} ${mean(xs).toFixed(1)}`).join(', ')}`);
    console.log(`  median ${KINDS.map((k) => median(sums.get(k) ?? []).toFixed(1).padStart(7)).join(' ')}  ${median(sums.get('total') ?? []).toFixed(1).padStart(7)}`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'million';
  console.log(`CoW Lab panel: where a step's time goes (${which}); load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  if (which === 'million') await trace('A 1,000,000-page region', MILLION);
  else if (which === 'worst') await trace('Worst case (no runs collapse)', scenario(true));
  else await trace('Realistic (runs collapse)', scenario(false));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
