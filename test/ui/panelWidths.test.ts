// The panel at every width a learner gives it: 320 px (the narrowest editor group), 373 px (beside a
// scenario with the secondary side bar open), 520 px and 900 px, in dark, light and high-contrast
// themes. At each width every frame number (and page) in view must be shown whole: measured from
// the DOM (cutLabels), not read off the screenshots — which are taken too, for a person to look
// at: test-artifacts/ui/panel-width-<width>-<theme>.png and panel-width-<width>-million.png.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { cutLabels, setPanelWidth, settled } from './panelGeometry';
import { findFrame, quickOpen, runCommand, screenshotFrame, setColorTheme } from './workbench';
import { steps, useWorkbench } from './session';

export const WIDTHS = [320, 373, 520, 900] as const;

async function position(frame: Frame, text: string): Promise<void> {
  await frame.locator('.position', { hasText: new RegExp(`^${text}$`) }).waitFor();
}

/** Sets the width, waits for the panel to lay out, and returns what is cut (with how many labels were looked at). */
async function measureAt(page: Page, frame: Frame, width: number): Promise<{ width: number; checked: number; cut: string[] }> {
  const actual = await setPanelWidth(page, frame, width);
  assert.ok(Math.abs(actual - width) <= 1, `could not make the panel ${width} px wide (it is ${actual})`);
  await settled(frame);
  const { checked, cut } = await cutLabels(frame);
  return { width, checked, cut: cut.map((c) => `${c.what} "${c.text}" cut by ${c.by}`) };
}

describe('CoW Lab panel at every width', function () {
  const step = steps();
  let page: Page;
  let frame: Frame;

  useWorkbench('widths', { onOpen: (p) => { page = p; } });

  before(async () => {
    // Room for a 900 px panel beside the explorer, the editor and the secondary side bar.
    await page.setViewportSize({ width: 1920, height: 1000 });
  });

  step('opens the write fault beside the editor, with the secondary side bar open (the default layout)', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await runCommand(page, 'View: Toggle Secondary Side Bar Visibility');
    await page.locator('.part.auxiliarybar').waitFor({ state: 'visible' });
    await quickOpen(page, '02-write-fault.cow');
    // The extension is active once its CodeLens shows (slow on a busy machine).
    await page.locator('.editor-group-container .codelens-decoration', { hasText: 'Run Scenario' }).waitFor({ timeout: 120_000 });
    await runCommand(page, 'CoW Lab: Run Scenario');
    frame = await findFrame(page, '.scrubber', 120_000);
    await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: 'child: write heap[1] "mine"' }).first().click();
    await position(frame, 'Step 5 of 26');
  }, 300_000);

  for (const [theme, kind, bodyClass, name] of [
    ['Dark Modern', 'vs-dark', 'vscode-dark', 'dark'],
    ['Light Modern', 'vs', 'vscode-light', 'light'],
    ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', 'high-contrast'],
  ] as const) {
    step(`shows every frame number in view at ${WIDTHS.join(', ')} px (${theme})`, async () => {
      // Four widths, each a drag, a layout and a screenshot: minutes on a busy machine.
      await setColorTheme(page, theme, kind);
      await frame.locator(`body.${bodyClass}`).waitFor();
      const results = [];
      for (const width of WIDTHS) {
        const result = await measureAt(page, frame, width);
        await screenshotFrame(frame, `panel-width-${width}-${name}`);
        results.push(result);
      }
      for (const r of results) assert.ok(r.checked >= 8 + 5, `at ${r.width} px only ${r.checked} labels were in view`);
      assert.deepEqual(results.filter((r) => r.cut.length > 0).map((r) => ({ width: r.width, cut: r.cut })), []);
    }, 600_000);
  }

  step('shows seven-digit frame numbers and long runs whole at every width (a million-page heap)', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, 'panel-widths.cow');
    await runCommand(page, 'CoW Lab: Run Scenario');
    await frame.locator('.scenario-name', { hasText: 'panel-widths.cow' }).waitFor({ timeout: 240_000 });
    await runCommand(page, 'CoW Lab: Last Step');
    // Building a step of a million-page machine (both policies) takes the host a while here.
    await frame.locator('.position', { hasText: /^Step 6 of 6$/ }).waitFor({ timeout: 240_000 });
    await frame.locator('[data-process="child"] .pte-row.changed').first().waitFor();
    const results = [];
    for (const width of WIDTHS) {
      const result = await measureAt(page, frame, width);
      await screenshotFrame(frame, `panel-width-${width}-million`);
      results.push(result);
    }
    for (const r of results) assert.ok(r.checked >= 6, `at ${r.width} px only ${r.checked} labels were in view`);
    assert.deepEqual(results.filter((r) => r.cut.length > 0).map((r) => ({ width: r.width, cut: r.cut })), []);
  }, 600_000);
});
