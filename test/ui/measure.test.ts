// "CoW Lab: Measure on My Machine" as a new user meets it, with the packaged extension: the
// panel's time row on the default model, the measurement with its progress notification (8 MiB ×
// 2 samples here: runUi.mjs sets cowLab.measure.*), the chart and the filled comparison table in
// dark and light, and the panel's time row again, now on this machine's figures.
import * as assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import { findFrame, launchBrowser, openWorkbench, quickOpen, runCommand, screenshot, screenshotFrame, setColorTheme, workbenchTarget } from './workbench';

const SAMPLE = '02-write-fault.cow';

describe('Measure on My Machine in the workbench', function () {
  this.timeout(600_000);
  let browser: Browser;
  let page: Page;
  let panel: Frame;

  before(async () => {
    browser = await launchBrowser();
    page = await openWorkbench(browser, workbenchTarget());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) console.log(`    screenshot of the failure: ${await screenshot(page, 'failed-measure')}`);
  });

  after(async () => {
    if (page) {
      await setColorTheme(page, 'Light Modern', 'vs').catch(() => undefined);
      await runCommand(page, 'View: Close All Editors').catch(() => undefined);
    }
    await browser?.close();
  });

  it('shows the time row on the default model before measuring', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, SAMPLE);
    await runCommand(page, 'CoW Lab: Run Scenario');
    panel = await findFrame(page, '.scrubber');
    await runCommand(page, 'CoW Lab: Last Step');
    const row = panel.locator('.time-row');
    await row.filter({ hasText: /^Time \(estimate\): copy-on-write .* ≈ .*; full copy .* ≈ / }).waitFor();
    assert.match((await row.getAttribute('title')) ?? '', /CoW Lab's defaults/);
    await screenshotFrame(panel, 'measure-time-row-before-dark');
  });

  it('measures with a progress notification, then draws both curves and fills the table', async () => {
    await runCommand(page, 'CoW Lab: Measure on My Machine');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'measuring fork and copy-on-write' }).waitFor();
    const view = await findFrame(page, 'svg.curve-chart', 540_000);
    assert.equal(await view.locator('polyline.series.cow').count(), 1);
    assert.equal(await view.locator('polyline.series.eager').count(), 1);
    assert.equal(await view.locator('circle.dot').count(), 14);
    const best = await view.locator('table.comparison tr', { hasText: 'Best for' }).innerText();
    assert.match(best, /up to \d+% of pages written|any fraction of pages written/);
    assert.match(await view.locator('h2').first().innerText(), /This machine: 8 MiB resident, 4096-byte pages/);
    await screenshot(page, 'measure-dark');
    await setColorTheme(page, 'Light Modern', 'vs');
    await screenshot(page, 'measure-light');
  });

  it('the panel\'s time row now uses this machine\'s figures', async () => {
    await page.locator('.tabs-container .tab', { hasText: SAMPLE }).click();
    await runCommand(page, 'CoW Lab: Step Back');
    await runCommand(page, 'CoW Lab: Last Step');
    const row = panel.locator('.time-row');
    await page.waitForFunction(() => true);
    await panel.locator('.time-row[title^="Cost model: measured on this machine"]').waitFor();
    assert.match(await row.innerText(), /^Time \(estimate\): copy-on-write .* ≈ .*; full copy .* ≈ /);
    await screenshotFrame(panel, 'measure-time-row-after-light');
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await screenshotFrame(panel, 'measure-time-row-after-dark');
  });
});
