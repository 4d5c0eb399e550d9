// The vmsplice story as a learner meets it in the workbench, under both eras: run
// samples/20-vmsplice-kernel-4-19.cow and samples/21-vmsplice-today.cow, click the parent's write
// after the child is gone, and read the panel: the step's sentence (checked against the kernel
// functions of each era: reuse_swap_page's map-count rule before 5.8 → wp_page_reuse; today
// PageAnonExclusive / wp_can_reuse_anon_folio → wp_page_copy), the frame's reference count beside
// its map count, the Pipes list and what reading the pipe gives, and the exclusive mark (flag X).
// Screenshots: test-artifacts/ui/references-*.png.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { findFrame, quickOpen, runCommand, screenshot, screenshotFrame, setColorTheme } from './workbench';
import { useWorkbench } from './session';

const WRITE = 'parent: write heap[0] "secret v2"';

async function openAtWrite(page: Page, sample: string): Promise<Frame> {
  await quickOpen(page, sample);
  await page.locator('.editor-group-container .codelens-decoration', { hasText: 'Run Scenario' }).waitFor({ timeout: 180_000 });
  await runCommand(page, 'CoW Lab: Run Scenario');
  const frame = await findFrame(page, '.scrubber', 120_000);
  await frame.locator('.scenario-name', { hasText: sample }).waitFor();
  await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: WRITE }).click();
  await frame.locator('.statement', { hasText: WRITE }).waitFor();
  return frame;
}

describe('CoW Lab panel: references, pipes and the exclusive mark', function () {
  let page: Page;

  useWorkbench('references', { onOpen: (p) => { page = p; } });

  before(async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
  });

  it('Linux 4.19: the parent\'s write reuses the frame the pipe holds, and the pipe reads the new text', async function () {
    this.timeout(300_000);
    const frame = await openAtWrite(page, '20-vmsplice-kernel-4-19.cow');
    assert.equal(await frame.locator('.step-card .kind').innerText(), 'write fault · frame reused');
    const sentence = await frame.locator('.step-card .explanation').innerText();
    assert.match(sentence, /mapped only by parent now \(map count 1\), so do_wp_page → wp_page_reuse/);
    assert.match(sentence, /2 references \(1 mapping, 1 pipe page\)/);
    assert.equal(await frame.locator('.frame-box[data-frame="1"] .frame-count').innerText(), '×1');
    assert.equal(await frame.locator('.frame-box[data-frame="1"] .frame-refs').innerText(), '2 refs');
    assert.equal(await frame.locator('[data-pipe="leak"]').innerText(), 'leak: #1 "secret v2"');
    // No exclusive mark before 5.19.
    assert.equal(await frame.locator('.cell.flags[data-on~="X"]').count(), 0);
    await screenshot(page, 'references-4-19-workbench-dark');
    await screenshotFrame(frame, 'references-4-19-dark');
  });

  it('today: the same write copies, the copy is marked exclusive, and the pipe keeps the old text', async function () {
    this.timeout(300_000);
    await runCommand(page, 'View: Close All Editors');
    const frame = await openAtWrite(page, '21-vmsplice-today.cow');
    assert.equal(await frame.locator('.step-card .kind').innerText(), 'write fault · page copied');
    const sentence = await frame.locator('.step-card .explanation').innerText();
    assert.match(sentence, /carries no exclusive mark \(fork cleared it\) and has 2 references \(1 mapping, 1 pipe page\), not 1, so do_wp_page → wp_page_copy/);
    const parentRow = frame.locator('[data-machine="primary"] [data-process="parent"] .pte-row[data-row="0"]');
    assert.equal(await parentRow.locator('.cell.flags').getAttribute('data-on'), 'P W X');
    assert.equal(await parentRow.locator('.cell.frame').innerText(), '#2');
    assert.equal(await frame.locator('.frame-box[data-frame="1"] .frame-count').innerText(), '×0');
    assert.equal(await frame.locator('.frame-box[data-frame="1"] .frame-refs').innerText(), '1 ref');
    assert.equal(await frame.locator('[data-pipe="leak"]').innerText(), 'leak: #1 "secret v1"');
    await screenshot(page, 'references-today-workbench-dark');
    await screenshotFrame(frame, 'references-today-dark');
    for (const [theme, kind, bodyClass, name] of [
      ['Light Modern', 'vs', 'vscode-light', 'light'],
      ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', 'high-contrast'],
    ] as const) {
      await setColorTheme(page, theme, kind);
      await frame.locator(`body.${bodyClass}`).waitFor();
      await screenshotFrame(frame, `references-today-${name}`);
    }
  });
});
