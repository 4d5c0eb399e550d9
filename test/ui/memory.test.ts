// Memory figures (issue 17) as a new user meets them: open the Redis BGSAVE sample, run it, step
// to the fork and to the parent's writes, and read RES / PSS / USS per process, the sentence on
// why they differ, RES added up beside the frames in use, and the cost table's three rows.
// Screenshots in test-artifacts/ui/memory-*.png (dark, light, high contrast).
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { setPanelWidth, settled } from './panelGeometry';
import { findFrame, quickOpen, runCommand, screenshot, screenshotFrame, setColorTheme } from './workbench';
import { steps, useWorkbench } from './session';
import { stepTo } from './stepping';

const SAMPLE = '23-top-says-doubled.cow';

/** "rss=16 pages · 64 KiB" … for one process. */
async function figures(frame: Frame, process: string): Promise<string[]> {
  const cells = frame.locator(`.memory-section tr[data-process="${process}"] td`);
  const out: string[] = [];
  for (let i = 0; i < (await cells.count()); i++) {
    const td = cells.nth(i);
    out.push(`${await td.getAttribute('data-figure')}=${await td.locator('.value').innerText()}`);
  }
  return out;
}

/**
 * What of the memory section reaches past the panel's right edge: "td 16 pages · 64 KiB at 371 > 320".
 * A string, not a function: tsx's transform would name an arrow function through a Node-only helper.
 */
const OVERFLOW = `(() => {
  const right = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('.memory-section th, .memory-section td, .memory-section .value, .memory-section p, .memory-section .bar')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 1) out.push(el.tagName.toLowerCase() + ' ' + (el.textContent || '').slice(0, 40) + ' at ' + Math.round(r.right) + ' > ' + right);
  }
  return out;
})()`;

describe('CoW Lab memory figures in the workbench', function () {
  const step = steps();
  let page: Page;
  let frame: Frame;

  useWorkbench('memory', { onOpen: (p) => { page = p; } });

  step('right after the fork: top\'s RES is 16 pages for both, PSS 8 each, only 16 frames in use', async () => {
    // The file's first panel: the workbench is still warming up (the panel's part loads, the
    // analysis worker starts). 16.6 s at load 4; a CI run passed 30 s, as the other files allow for.
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, SAMPLE);
    await runCommand(page, 'CoW Lab: Run Scenario');
    frame = await findFrame(page, '.scrubber', 180_000);
    await stepTo(frame, 'redis: fork saver');
    await frame.locator('.memory-section tr[data-process="saver"]').waitFor();
    // Worked by hand in the sample's header: 16 frames, each mapped twice.
    assert.deepEqual(await figures(frame, 'redis'), ['rss=16 pages · 64 KiB', 'pss=8 pages · 32 KiB', 'uss=0 pages · 0 bytes']);
    assert.deepEqual(await figures(frame, 'saver'), ['rss=16 pages · 64 KiB', 'pss=8 pages · 32 KiB', 'uss=0 pages · 0 bytes']);
    const why = await frame.locator('.memory-section td.why').allInnerTexts();
    assert.equal(why[1], 'RES counts the 16 frames it shares with redis in full; PSS gives it half of each; USS is 0: nothing is its alone.');
    assert.equal(await frame.locator('.memory-section [data-total="rss"]').innerText(), '32 pages · 128 KiB');
    assert.equal(await frame.locator('.memory-section [data-total="frames"]').innerText(), '16 pages · 64 KiB');
    await frame.locator('.memory-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'memory-after-fork-workbench-dark');
    await screenshotFrame(frame, 'memory-after-fork-dark');
  }, 300_000);

  step('while redis keeps writing: RES unchanged, USS 4, PSS 10, and the cost table\'s three rows', async () => {
    await stepTo(frame, 'redis: write db[0..3] "v2"');
    await frame.locator('.memory-section tr[data-process="redis"] td[data-figure="uss"] .value', { hasText: /^4 pages/ }).waitFor();
    // redis: 4 frames alone + 12 shared → RES 16, USS 4, PSS 4 + 12/2 = 10; the saver likewise.
    assert.deepEqual(await figures(frame, 'redis'), ['rss=16 pages · 64 KiB', 'pss=10 pages · 40 KiB', 'uss=4 pages · 16 KiB']);
    assert.deepEqual(await figures(frame, 'saver'), ['rss=16 pages · 64 KiB', 'pss=10 pages · 40 KiB', 'uss=4 pages · 16 KiB']);
    assert.equal(await frame.locator('.memory-section [data-total="frames"]').innerText(), '20 pages · 80 KiB');
    // The cost table: RES adds up to 128 KiB either way; PSS is the frames really in use.
    const cells = async (label: string) => frame.locator(`.stats tr[data-metric="${label}"] td`).allInnerTexts();
    assert.deepEqual(await cells('RES added up (top)'), ['128 KiB', '128 KiB']);
    assert.deepEqual(await cells('PSS added up (smem)'), ['80 KiB', '128 KiB']);
    assert.deepEqual(await cells('USS added up (private)'), ['32 KiB', '128 KiB']);
    await frame.locator('.memory-section').scrollIntoViewIfNeeded();
    await screenshotFrame(frame, 'memory-during-save-dark');
  });

  step('fits the section in a narrow panel: nothing reaches past its edge at 320 and 520 px', async () => {
    for (const width of [320, 520]) {
      const actual = await setPanelWidth(page, frame, width);
      assert.ok(Math.abs(actual - width) <= 1, `could not make the panel ${width} px wide (it is ${actual})`);
      await settled(frame);
      await frame.locator('.memory-section').scrollIntoViewIfNeeded();
      await screenshotFrame(frame, `memory-during-save-${width}px`);
      assert.deepEqual(await frame.evaluate<string[]>(OVERFLOW), [], `at ${width} px`);
    }
    // The figures read the same however they wrap.
    assert.deepEqual(await figures(frame, 'redis'), ['rss=16 pages · 64 KiB', 'pss=10 pages · 40 KiB', 'uss=4 pages · 16 KiB']);
  });

  for (const [theme, kind, bodyClass, name] of [
    ['Light Modern', 'vs', 'vscode-light', 'light'],
    ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', 'high-contrast'],
  ] as const) {
    step(`reads in the ${theme} theme`, async () => {
      await setColorTheme(page, theme, kind);
      await frame.locator(`body.${bodyClass}`).waitFor();
      await frame.locator('.memory-section').scrollIntoViewIfNeeded();
      await screenshotFrame(frame, `memory-during-save-${name}`);
      assert.equal(await frame.locator('.memory-section tr.figures').count(), 2);
    });
  }
});
