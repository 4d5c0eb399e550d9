// `npm run bench:panel`: step-to-paint of the CoW Lab panel in a real browser (Debian's
// chromium through playwright-core), at 4,096 pages. Prints figures; asserts nothing (shared,
// noisy machines).
//
// For each measured step the host's StepView is built in Node (timed separately: that is the
// extension host's share), then posted into the page as VS Code would. "Step-to-paint work" is
// what the browser does for the step before it can paint: render (JS), style and layout, and
// the lines drawn in the next animation frame. "Next frame painted" is measured to a second
// animation frame, so it also counts the wait for frame boundaries (up to two frames).
//
// Two scenarios: a realistic one (a 4,096-page heap written, forked, pages written by the
// child: long runs collapse) and a worst case where no two neighbouring entries read alike
// (the child wrote every other page: 4,096 rows, only the virtual list keeps it cheap).
//
// COW_LAB_SETTLE_MS=300 waits that long before building each step, so Chromium's work after the
// previous paint no longer shares the two cores with the host's: the host's wall figures then
// show its own time (without it they include waiting for a core).
import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import launch from '../scripts/vscode/chromium.json';
import type { HostMessage } from '../src/protocol/messages';
import { runForPanel } from '../src/panel/scenarioRun';
import { PanelModel } from '../src/panel/stepModel';
import { harnessHtml, PAINT_TIMER } from './panelHarness';
import { MEASURED_STEPS, MILLION, PAGES, scenario } from './panelScenarios';

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** Idle time before each step's host build (COW_LAB_SETTLE_MS; 0 by default). */
const settleMs = Math.max(0, Number(process.env.COW_LAB_SETTLE_MS) || 0);

const fmt = (n: number) => n.toFixed(2).padStart(7);

async function measure(label: string, source: string, pages = PAGES): Promise<void> {
  const started = performance.now();
  const attempt = runForPanel(source, 'bench.cow', 1);
  const runMs = performance.now() - started;
  if (!attempt.ok) throw new Error(`bench scenario does not run: ${attempt.problems[0]?.message}`);
  const model = new PanelModel(attempt.run);
  const last = model.stepCount - 1;
  const first = Math.max(0, last - MEASURED_STEPS);
  const browser = await chromium.launch({
    executablePath: launch.executablePath,
    args: [...launch.args, '--disable-gpu-vsync', '--disable-frame-rate-limit'],
    headless: true,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
    await page.setContent(harnessHtml({ document: 'file:///bench.cow', scenario: model.scenarioView(), step: model.stepView(first, true), problems: null, compare: true }, 720));
    await page.waitForSelector('.scrubber');
    const hostMs: number[] = [];
    const hostCpuMs: number[] = [];
    const jsMs: number[] = [];
    const workMs: number[] = [];
    const paintedMs: number[] = [];
    for (let position = first + 1; position <= last; position++) {
      if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const message: HostMessage = { type: 'step', step: model.stepView(position, true) };
      const c1 = process.cpuUsage(c0);
      hostMs.push(performance.now() - t0);
      hostCpuMs.push((c1.user + c1.system) / 1000);
      const timing = await page.evaluate<{ js: number; layout: number; links: number; painted: number }>(PAINT_TIMER.replace('MESSAGE', () => JSON.stringify(message)));
      jsMs.push(timing.js);
      workMs.push(timing.layout + timing.links);
      paintedMs.push(timing.painted);
    }
    // The same steps again under a trace: the renderer main thread's CPU time per step
    // (thread time, so other processes on a busy machine do not inflate it).
    const cpu = await mainThreadCpuMs(page, async () => {
      for (let position = first + 1; position <= last; position++) {
        const message: HostMessage = { type: 'step', step: model.stepView(position, true) };
        await page.evaluate(PAINT_TIMER.replace('MESSAGE', () => JSON.stringify(message)));
      }
    });
    const rows = await page.locator('.pte-row[data-row]').count();
    const frames = await page.locator('.frame-box').count();
    console.log(`\n${label}: ${model.stepCount} steps, ${pages.toLocaleString('en-US')} pages per table, both machines shown (compare on); ${rows} rows and ${frames} frame boxes in the DOM; the run (both policies) took ${runMs.toFixed(0)} ms${settleMs > 0 ? `; ${settleMs} ms idle before each host build` : ""}`);
    console.log('                                  median     p95     max   (ms)');
    console.log(`  host: build the step message   ${fmt(quantile(hostMs, 0.5))} ${fmt(quantile(hostMs, 0.95))} ${fmt(Math.max(...hostMs))}`);
    console.log(`  host: the same, CPU time       ${fmt(quantile(hostCpuMs, 0.5))} ${fmt(quantile(hostCpuMs, 0.95))} ${fmt(Math.max(...hostCpuMs))}   user + system of the whole process (a loaded machine stretches wall time, not this)`);
    console.log(`  webview: render (JS)           ${fmt(quantile(jsMs, 0.5))} ${fmt(quantile(jsMs, 0.95))} ${fmt(Math.max(...jsMs))}`);
    console.log(`  webview: step-to-paint work    ${fmt(quantile(workMs, 0.5))} ${fmt(quantile(workMs, 0.95))} ${fmt(Math.max(...workMs))}   render + style + layout + lines`);
    console.log(`  webview: next frame painted    ${fmt(quantile(paintedMs, 0.5))} ${fmt(quantile(paintedMs, 0.95))} ${fmt(Math.max(...paintedMs))}   frame-aligned: includes waiting for frames`);
    console.log(`  webview: main-thread CPU       ${fmt(cpu / (last - first))}                     per step (mean): handler + frame callbacks + style + layout + paint, thread time`);
    // A short scenario (the million-page one): every step on its own line, so the one slow step shows.
    if (last - first <= 10) {
      for (let i = 0; i < hostMs.length; i++) {
        const position = first + 1 + i;
        console.log(`    step ${position} (line ${model.run.steps[position]?.range.line ?? 0}): host ${fmt(hostMs[i] as number)} (CPU ${fmt(hostCpuMs[i] as number)}), render ${fmt(jsMs[i] as number)}, step-to-paint work ${fmt(workMs[i] as number)} ms`);
      }
    }
  } finally {
    await browser.close();
  }
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

/** What the panel makes the renderer do for a step: the message handler, animation-frame callbacks, style, layout, paint. */
const PANEL_WORK = new Set(['EventDispatch', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize']);

/**
 * Milliseconds of thread time the renderer main thread spent on the panel's work while `run`
 * ran: outermost PANEL_WORK events only (a forced layout inside a callback counts once), so the
 * harness's own work (compiling the evaluate() calls) is left out.
 */
async function mainThreadCpuMs(page: Page, run: () => Promise<void>): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  // Tracing events are not in playwright's typed CDP event list.
  const on = cdp.on.bind(cdp) as unknown as (event: string, listener: (d: { value: TraceEvent[] }) => void) => void;
  on('Tracing.dataCollected', (d) => events.push(...d.value));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
  await run();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return NaN;
  const work = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && PANEL_WORK.has(e.name)).sort((a, b) => a.ts - b.ts);
  let micros = 0;
  let outerEnd = -1;
  for (const e of work) {
    if (e.ts < outerEnd) continue;
    micros += e.tdur ?? 0;
    outerEnd = e.ts + (e.dur ?? 0);
  }
  return micros / 1000;
}

/** `npm run bench:panel -- million` (or `realistic`, `worst`): only those scenarios; all three by default. */
async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const wanted = (name: string) => only.size === 0 || only.has(name);
  console.log(`CoW Lab panel: step-to-paint in chromium (${launch.executablePath}), ${MEASURED_STEPS} steps each; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  if (wanted('realistic')) await measure('Realistic (runs collapse)', scenario(false));
  if (wanted('worst')) await measure('Worst case (every other page differs: no runs collapse)', scenario(true));
  if (wanted('million')) await measure('A 1,000,000-page region (the whole region written once: a million frames)', MILLION, 1_000_000);
  console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
