// "CoW Lab: Measure on My Machine" as a new user meets it, with the packaged extension: a
// scenario's time row and "Estimated time" chart on CoW Lab's default model; the real
// measurement (kernel/measure.c compiled and run here, 8 MiB × 2 samples: runUi.mjs sets
// cowLab.measure.*) with its progress notification; the page it opens with both curves, the
// crossover marked and the article's table filled with this machine's figures, in dark and light;
// then the same scenario's time row and chart again, re-priced with this machine's figures
// without re-running it (the panel follows the cost model); and back to the defaults once the
// measurement is forgotten.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { artifactsDir, findFrame, quickOpen, runCommand, screenshot, screenshotFrame, setColorTheme } from './workbench';
import { useWorkbench } from './session';

/** The scenario whose time matters: a child rewrites all 16,384 pages it inherited. */
const SAMPLE = '19-full-copy-wins.cow';

/** A PNG of the panel's cost section (the table, the time row, who pays, the charts). */
async function costSection(frame: Frame, name: string): Promise<void> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const section = frame.locator('section.stats-section[aria-label="Statistics"]');
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: path.join(artifactsDir, `${name}.png`) });
}

/** The "Estimated time" chart's accessible label: its figures at the end of the run. */
async function timeChartLabel(frame: Frame): Promise<string> {
  return (await frame.locator('svg.chart[aria-label^="Estimated time"]').getAttribute('aria-label')) ?? '';
}

describe('Measure on My Machine in the workbench', function () {
  let page: Page;
  let panel: Frame;
  let rowBefore = '';
  let chartBefore = '';

  useWorkbench('measure', { tidy: true, onOpen: (p) => (page = p) });

  it('a scenario\'s time row and chart on the default model before measuring', async function () {
    this.timeout(300_000);
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, SAMPLE);
    await runCommand(page, 'CoW Lab: Run Scenario');
    panel = await findFrame(page, '.scrubber', 180_000);
    // The run (16,384 pages written twice, and its full-copy replay) must be done before stepping.
    await panel.locator('.position', { hasText: /^Step 1 of 11$/ }).waitFor({ timeout: 120_000 });
    await runCommand(page, 'CoW Lab: Compare with Full Copy');
    await runCommand(page, 'CoW Lab: Last Step');
    await panel.locator('.position', { hasText: /^Step 11 of 11$/ }).waitFor({ timeout: 60_000 });
    const row = panel.locator('.time-row[title="Cost model: CoW Lab\'s defaults (measured on its 2-core development machine)"]');
    await row.filter({ hasText: /^Time \(estimate\): copy-on-write .* ≈ .*; full copy .* ≈ / }).waitFor({ timeout: 60_000 });
    rowBefore = await row.innerText();
    chartBefore = await timeChartLabel(panel);
    assert.match(chartBefore, /^Estimated time over the timeline: copy-on-write .+, full copy .+ at the end$/);
    await costSection(panel, 'measure-time-row-before-dark');
  });

  it('measures for real with a progress notification, then draws both curves, the crossover and the filled table', async function () {
    this.timeout(240_000);
    await runCommand(page, 'CoW Lab: Measure on My Machine');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'measuring fork and copy-on-write' }).waitFor({ timeout: 60_000 });
    const view = await findFrame(page, 'svg.curve-chart', 180_000);
    // Both curves over the 7 measured fractions, a dot per point.
    assert.equal(await view.locator('polyline.series.cow').count(), 1);
    assert.equal(await view.locator('polyline.series.eager').count(), 1);
    assert.equal(await view.locator('circle.dot.cow').count(), 7);
    assert.equal(await view.locator('circle.dot.eager').count(), 7);
    // The crossover: on this machine type a copy-on-write fault costs more than a page's share of
    // a bulk copy, so the full copy wins by 100% written (docs/time.md, every run so far).
    const label = (await view.locator('svg.curve-chart').getAttribute('aria-label')) ?? '';
    assert.match(label, /they cross at \d+%/, label);
    assert.equal(await view.locator('line.crossover').count(), 1);
    assert.match((await view.locator('text.crossover-label').textContent()) ?? '', /^full copy cheaper from \d+%$/);
    // The article's table, this machine's numbers in it.
    const table = view.locator('table.comparison');
    assert.match(await table.locator('tr', { hasText: 'Best for' }).innerText(), /up to \d+% of pages written/);
    assert.match(await table.innerText(), /\d+(\.\d+)? (ms|µs)/);
    assert.match(await view.locator('h2').first().innerText(), /This machine: 8 MiB resident, 4096-byte pages/);
    await screenshotFrame(view, 'measure-chart-dark');
    await screenshot(page, 'measure-dark');
    await setColorTheme(page, 'Light Modern', 'vs');
    await screenshotFrame(view, 'measure-chart-light');
    await screenshot(page, 'measure-light');
  });

  it('the same scenario\'s time row and chart now use this machine\'s figures', async function () {
    this.timeout(120_000);
    await page.locator(`.tabs-container .tab[data-resource-name="${SAMPLE}"]`).click();
    // No re-run and no step: the panel re-prices the steps it shows when the model changes.
    const row = panel.locator('.time-row[title^="Cost model: measured on this machine"]');
    await row.waitFor({ timeout: 60_000 });
    const rowAfter = await row.innerText();
    assert.match(rowAfter, /^Time \(estimate\): copy-on-write .* ≈ .*; full copy .* ≈ /);
    assert.notEqual(rowAfter, rowBefore);
    assert.notEqual(await timeChartLabel(panel), chartBefore);
    await costSection(panel, 'measure-time-row-after-light');
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await costSection(panel, 'measure-time-row-after-dark');
  });

  it('forgetting the measurement puts the time row and chart back on the default model', async function () {
    this.timeout(120_000);
    await runCommand(page, "CoW Lab: Forget My Machine's Measurement (Use the Default Cost Model)");
    await page.locator('.notifications-toasts .notification-toast', { hasText: /Forgot the measurement of \d{4}-\d\d-\d\d/ }).waitFor({ timeout: 60_000 });
    const row = panel.locator('.time-row[title="Cost model: CoW Lab\'s defaults (measured on its 2-core development machine)"]');
    await row.waitFor({ timeout: 60_000 });
    // The same model as before measuring: the same figures, to the digit.
    assert.equal(await row.innerText(), rowBefore);
    assert.equal(await timeChartLabel(panel), chartBefore);
  });
});
