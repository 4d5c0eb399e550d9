// Storage in the panel as a new user meets it: open the Docker container-start sample and the
// Btrfs snapshot sample, run each, step through them (the panel's own buttons and clicks in the
// editor), read the block tables and physical blocks, and look at them in dark and light themes
// (screenshots in test-artifacts/ui/storage-*.png).
//
// Expected values are worked by hand in each sample's header: after `container web image data`
// the container's files are the image's (nothing copied); `web: write app.bin[7]` copies the
// whole 256-block file up on ext4 (ovl_copy_up: no clone across ext4); after `data: snapshot
// backup` both volumes' db reference the same 64 blocks (×2); `data: write db[0..7]` gives db
// eight new blocks and leaves the snapshot's blocks 0–7 referenced once.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { steps, useWorkbench } from './session';
import { findFrame, quickOpen, runCommand, screenshotFrame, setColorTheme, waitInFrame } from './workbench';

const DOCKER = '15-docker-container-start.cow';
const SNAPSHOT = '16-btrfs-snapshot-database.cow';

/** A file's block table in the storage section. */
const fileTable = (frame: Frame, space: string, file: string) => frame.locator(`.storage [data-space="${space}"] .file-table[data-file="${file}"]`);

async function clickLine(page: Page, text: string): Promise<void> {
  await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: text }).first().click();
}

async function statementIs(frame: Frame, text: string): Promise<void> {
  await frame.locator('.statement', { hasText: text }).waitFor();
}

/** Lines are drawn in the next animation frame (none in a diagram under 480 px wide). */
async function storageLinksDrawn(frame: Frame): Promise<void> {
  await waitInFrame(frame, `(() => { const s = document.querySelector('.storage svg.links'); return !!s && (s.getClientRects().length === 0 || !!s.querySelector('path')); })()`);
}

async function shoot(page: Page, frame: Frame, name: string): Promise<void> {
  // The storage section's heading just under the panel's sticky header (scrollIntoView would hide it there).
  await frame.evaluate(`(() => { const s = document.querySelector('.storage'); const top = document.querySelector('.panel-header'); window.scrollTo(0, s.getBoundingClientRect().top + window.scrollY - (top ? top.getBoundingClientRect().height : 0) - 8); })()`);
  await storageLinksDrawn(frame);
  await screenshotFrame(frame, `storage-${name}-dark`);
  await setColorTheme(page, 'Light Modern', 'vs');
  await frame.locator('body.vscode-light').waitFor();
  await storageLinksDrawn(frame);
  await screenshotFrame(frame, `storage-${name}-light`);
  await setColorTheme(page, 'Dark Modern', 'vs-dark');
  await frame.locator('body.vscode-dark').waitFor();
}

describe('CoW Lab storage in the panel', function () {
  const step = steps();
  const session = useWorkbench('storage');
  let page: Page;
  let frame: Frame;

  step('runs the Docker sample and shows the container sharing the image\'s blocks', async () => {
    page = session.page;
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, DOCKER);
    await page.locator('.editor-group-container .codelens-decoration', { hasText: 'Run Scenario' }).waitFor({ timeout: 180_000 });
    await runCommand(page, 'CoW Lab: Run Scenario');
    frame = await findFrame(page, '.scrubber', 120_000);
    await clickLine(page, 'container web image data');
    await statementIs(frame, 'container web image data');
    const web = frame.locator('.storage [data-space="web"]');
    await web.waitFor();
    assert.match(await web.locator('.note').innerText(), /full copy of every block/);
    // The merged view shows the image's app.bin: lower layer, its 256 blocks one run shared by two views but referenced once.
    const app = fileTable(frame, 'web', 'app.bin');
    assert.match(await app.locator('.region-size').innerText(), /256 blocks \(1 MiB\) · lower/);
    const imageRows = await fileTable(frame, 'image', 'app.bin').locator('.blk-row[data-row] .cell.phys').allInnerTexts();
    assert.deepEqual(await app.locator('.blk-row[data-row] .cell.phys').allInnerTexts(), imageRows);
    assert.equal(await frame.locator('.storage-cost tbody tr', { hasText: 'Blocks copied' }).locator('td').first().innerText(), '0');
  }, 300_000);

  step('steps to the write that copies app.bin up, whole', async () => {
    await clickLine(page, 'web: write app.bin[7] "patched"');
    await statementIs(frame, 'web: write app.bin[7] "patched"');
    const app = fileTable(frame, 'web', 'app.bin');
    await app.locator('.region-size', { hasText: 'upper (copied up)' }).waitFor();
    assert.ok(await app.locator('.blk-row.changed').count() > 0, 'the copied-up file is marked changed');
    // 1 block of config + 256 of app.bin copied; 514 blocks in use (the sample's own worked figures).
    const cost = frame.locator('.storage-cost tbody');
    assert.match(await cost.locator('tr', { hasText: 'Blocks copied' }).locator('td').first().innerText(), /^257$/);
    assert.match(await cost.locator('tr', { hasText: 'Blocks in use' }).locator('td').first().innerText(), /^514 /);
    await shoot(page, frame, 'docker-copy-up');
  });

  step('runs the Btrfs snapshot sample: the snapshot shares every block, a write moves eight', async () => {
    await quickOpen(page, SNAPSHOT);
    await runCommand(page, 'CoW Lab: Run Scenario');
    await frame.locator('.scenario-name', { hasText: SNAPSHOT }).waitFor();
    await clickLine(page, 'data: snapshot backup');
    await statementIs(frame, 'data: snapshot backup');
    const live = fileTable(frame, 'data', 'db');
    const snap = fileTable(frame, 'backup', 'db');
    await snap.waitFor();
    assert.deepEqual(await live.locator('.blk-row[data-row] .cell.refs').allInnerTexts(), ['×2']);
    assert.deepEqual(await snap.locator('.blk-row[data-row] .cell.phys').allInnerTexts(), await live.locator('.blk-row[data-row] .cell.phys').allInnerTexts());
    await clickLine(page, 'data: write db[0..7] "row v2"');
    await statementIs(frame, 'data: write db[0..7] "row v2"');
    // db's blocks 0–7 are new and its own; the snapshot's blocks 0–7 are now referenced once.
    assert.equal(await live.locator('.blk-row[data-row="0"] .cell.refs').innerText(), '×1');
    assert.match(await live.locator('.blk-row[data-row="0"]').getAttribute('class') ?? '', /\bchanged\b/);
    assert.equal(await snap.locator('.blk-row[data-row="0"] .cell.phys').innerText(), '#1');
    assert.equal(await live.locator('.blk-row[data-row="8"] .cell.refs').innerText(), '×2');
    await shoot(page, frame, 'btrfs-snapshot-write');
  }, 300_000);
});
