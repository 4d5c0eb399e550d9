// `npm run bench:panel`: step-to-paint of the CoW Lab panel in a real browser (Debian's
// chromium through playwright-core), at 4,096 pages. Prints figures; asserts nothing (shared,
// noisy machines).
//
// For each measured step the host's StepView is built in Node (timed separately: that is the
// extension host's share), then posted into the page as VS Code would, and timed from the
// message to the end of the frame that shows it: render (JS), the lines (drawn in that frame's
// requestAnimationFrame), style and layout, and the paint (a second requestAnimationFrame fires
// after it). Chromium runs with vsync off so the figure is work, not waiting for the display.
//
// Two scenarios: a realistic one (a 4,096-page heap written, forked, pages written by the
// child: long runs collapse) and a worst case where no two neighbouring entries read alike
// (the child wrote every other page: 4,096 rows, only the virtual list keeps it cheap).
import { chromium } from 'playwright-core';
import launch from '../scripts/vscode/chromium.json';
import type { HostMessage } from '../src/protocol/messages';
import { runForPanel } from '../src/panel/scenarioRun';
import { PanelModel } from '../src/panel/stepModel';
import { harnessHtml } from './panelHarness';

const PAGES = 4096;
const MEASURED_STEPS = 60;

function scenario(everyOther: boolean): string {
  const lines = ['process parent', `parent: map heap ${PAGES} private`, 'parent: write heap "data"', 'parent: fork child'];
  if (everyOther) for (let p = 0; p < PAGES; p += 2) lines.push(`child: write heap[${p}] "c${p}"`);
  else for (let i = 0; i < MEASURED_STEPS + 4; i++) lines.push(`child: write heap[${(i * 67) % PAGES}] "c${i}"`, `parent: write heap[${(i * 131 + 7) % PAGES}] "p${i}"`);
  return `${lines.join('\n')}\n`;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

const fmt = (n: number) => n.toFixed(2).padStart(7);

async function measure(label: string, source: string): Promise<void> {
  const attempt = runForPanel(source, 'bench.cow', 1);
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
    await page.waitForSelector('.pte-row[data-row]');
    const hostMs: number[] = [];
    const paintMs: number[] = [];
    const jsMs: number[] = [];
    for (let position = first + 1; position <= last; position++) {
      const t0 = performance.now();
      const message: HostMessage = { type: 'step', step: model.stepView(position, true) };
      hostMs.push(performance.now() - t0);
      const timing = await page.evaluate(
        (m) =>
          new Promise<{ js: number; paint: number }>((resolve) => {
            const start = performance.now();
            window.dispatchEvent(new MessageEvent('message', { data: m }));
            const js = performance.now() - start;
            requestAnimationFrame(() => {
              document.body.getBoundingClientRect();
              requestAnimationFrame(() => resolve({ js, paint: performance.now() - start }));
            });
          }),
        message,
      );
      jsMs.push(timing.js);
      paintMs.push(timing.paint);
    }
    const rows = await page.locator('.pte-row[data-row]').count();
    const frames = await page.locator('.frame-box').count();
    console.log(`\n${label}: ${model.stepCount} steps, ${PAGES} pages per table, both machines shown (compare on); ${rows} rows and ${frames} frame boxes in the DOM`);
    console.log('                                  median     p95     max   (ms)');
    console.log(`  host: build the step message   ${fmt(quantile(hostMs, 0.5))} ${fmt(quantile(hostMs, 0.95))} ${fmt(Math.max(...hostMs))}`);
    console.log(`  webview: render (JS only)      ${fmt(quantile(jsMs, 0.5))} ${fmt(quantile(jsMs, 0.95))} ${fmt(Math.max(...jsMs))}`);
    console.log(`  webview: message → painted     ${fmt(quantile(paintMs, 0.5))} ${fmt(quantile(paintMs, 0.95))} ${fmt(Math.max(...paintMs))}`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  console.log(`CoW Lab panel: step-to-paint in chromium (${launch.executablePath}), ${MEASURED_STEPS} steps each`);
  await measure('Realistic (runs collapse)', scenario(false));
  await measure('Worst case (every other page differs: no runs collapse)', scenario(true));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
