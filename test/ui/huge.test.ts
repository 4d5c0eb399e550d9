// Transparent huge pages as a learner meets them in the panel (sample 26): after the fork each
// process maps its 4 MiB heap with two PMD rows, one per 2 MiB huge page; redis's write to
// heap[5] splits only its own PMD entry over heap[0..511] (do_huge_pmd_wp_page →
// __split_huge_pmd), so its table shows 4 KiB rows there and one PMD row beyond, while saver
// keeps both PMD rows. Expected rows worked by hand in the sample's header.
// Screenshots in test-artifacts/ui/huge-*.png (dark and light).
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { cutLabels, setPanelWidth, settled } from './panelGeometry';
import { findFrame, quickOpen, runCommand, screenshotFrame, setColorTheme } from './workbench';
import { steps, useWorkbench } from './session';
import { stepTo } from './stepping';

const SAMPLE = '26-huge-page-fork.cow';

/** The rows of one page table as "pages" or "pages PMD": ["0–511 PMD", "512–1,023 PMD"]. */
async function rows(frame: Frame, process: string, region: string): Promise<string[]> {
  const table = frame.locator(`section[aria-label="${process} ${region} page table"]`);
  await table.locator('.pte-row:not(.pte-head):not(.loading)').first().waitFor();
  const out: string[] = [];
  for (const row of await table.locator('.pte-row:not(.pte-head)').all()) {
    // The page cell's text: a run's lead and rest, or a single page's number alone (no badge).
    const pages = await row.locator('.cell.page').evaluate((cell) => [...cell.childNodes].filter((n) => !(n instanceof Element && n.classList.contains('pmd-mark'))).map((n) => n.textContent ?? '').join(''));
    out.push((await row.getAttribute('class'))?.split(' ').includes('pmd') ? `${pages} PMD` : pages);
  }
  return out;
}

describe('CoW Lab huge pages in the workbench', function () {
  const step = steps();
  let page: Page;
  let frame: Frame;

  useWorkbench('huge', { onOpen: (p) => { page = p; } });

  step('after the fork: both processes map the heap with two PMD rows, one per 2 MiB huge page', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, SAMPLE);
    await runCommand(page, 'CoW Lab: Run Scenario');
    frame = await findFrame(page, '.scrubber', 180_000);
    await stepTo(frame, 'redis: fork saver');
    assert.deepEqual(await rows(frame, 'redis', 'heap'), ['0–511 PMD', '512–1,023 PMD']);
    assert.deepEqual(await rows(frame, 'saver', 'heap'), ['0–511 PMD', '512–1,023 PMD']);
    assert.equal(await frame.locator('.pte-row.pmd .pmd-mark').first().getAttribute('title'), 'one PMD entry maps these pages: a 2 MiB transparent huge page');
    await frame.locator('section[aria-label="saver heap page table"]').scrollIntoViewIfNeeded();
    await screenshotFrame(frame, 'huge-after-fork-dark');
    // A narrow panel: the badge takes room from a run's rest ("512–…"), never from a lead.
    await setPanelWidth(page, frame, 320);
    await settled(frame);
    assert.deepEqual((await cutLabels(frame)).cut, []);
    await screenshotFrame(frame, 'huge-after-fork-320-dark');
    // A wide one: the badge has room of its own, and each PMD row's run is shown whole.
    await setPanelWidth(page, frame, 900);
    await settled(frame);
    for (const rest of await frame.locator('.pte-row.pmd .cell.page .rest').all()) {
      const cut = await rest.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      assert.equal(cut, false, `"${await rest.innerText()}" is cut off beside its PMD badge`);
    }
    await screenshotFrame(frame, 'huge-after-fork-900-dark');
  }, 300_000);

  step('a write splits only the writer\'s PMD entry over that huge page: 4 KiB rows there, one copied page', async () => {
    await stepTo(frame, 'redis: write heap[5] "v2"');
    // redis's rows: 4 KiB entries over 0..511 (the panel lists the written page's neighbours one
    // by one, the rest as a run), then the untouched huge page as one PMD row.
    const redis = await rows(frame, 'redis', 'heap');
    assert.equal(redis.at(-1), '512–1,023 PMD');
    const covered = redis.slice(0, -1).map((r) => {
      assert.doesNotMatch(r, /PMD/);
      const [first, last] = r.replace(/,/g, '').split('–').map(Number);
      return [first ?? NaN, last ?? first ?? NaN] as const;
    });
    assert.deepEqual(covered.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)), Array.from({ length: 512 }, (_, i) => i));
    assert.ok(covered.some(([a, b]) => a === 5 && b === 5), `page 5 (written, now frame 1) is not a row of its own: ${redis.join(' | ')}`);
    assert.deepEqual(await rows(frame, 'saver', 'heap'), ['0–511 PMD', '512–1,023 PMD']);
    // saver's PMD entry still maps frames 512..1,023 as one range box; redis's 4 KiB entries map
    // all of them but 517 (copied to frame 1) too, in boxes of their own: the range box says 511
    // of its frames are also listed, so the boxes do not read as 1,536 frames in use.
    const range = frame.locator('[data-machine="primary"] .frame-box.span[data-span-first="512"][data-span-last="1023"]');
    assert.equal(await range.locator('.also-listed').innerText(), '511 also listed');
    assert.match((await range.getAttribute('title')) ?? '', /511 of them are also listed in another box/);
    await frame.locator('section[aria-label="redis heap page table"]').scrollIntoViewIfNeeded();
    await screenshotFrame(frame, 'huge-after-split-dark');
    await setColorTheme(page, 'Light Modern', 'vs');
    await screenshotFrame(frame, 'huge-after-split-light');
  });
});
