// The walkthrough as a learner meets it in the workbench, with the packaged extension: it is
// listed and opens with all its steps, and a step's button opens its sample. Screenshots of a
// step's theme-coloured picture in dark, light and high contrast.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openWalkthrough, selectStep, WALKTHROUGH } from './walkthroughPage';
import { activeTab, findFrame, runCommand, screenshot, setColorTheme } from './workbench';
import { steps, useWorkbench } from './session';

/**
 * Makes an editor the active one. Commands are run from there: the walkthrough page, while
 * visible, moves focus back to its selected step whenever it re-renders (a theme change does
 * that), which would close a command palette opened over it.
 */
async function toEditor(page: Page, label: string): Promise<void> {
  await page.locator('.tabs-container .tab', { hasText: label }).click();
  await activeTab(page, label).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
}

/** Back on the walkthrough's own page (its Welcome tab may have gone back to the start page). */
async function backToWalkthrough(page: Page): Promise<void> {
  await openWalkthrough(page);
  await page.locator('button.getting-started-step:not([disabled])').first().waitFor();
}

/**
 * Leaves the workbench as the next UI test file expects it: no editors (the untitled exercises
 * reverted, so closing them asks nothing) and the light theme the suite starts in.
 */
async function cleanUp(page: Page): Promise<void> {
  // Untitled tabs are named after their first line; "Untitled-N" is their description.
  const untitled = page.locator('.tabs-container .tab', { hasText: 'Untitled-' });
  while ((await untitled.count()) > 0) {
    await untitled.first().click();
    await runCommand(page, 'View: Revert and Close Editor');
  }
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
}

/** Expands a step and clicks the button in its description. */
async function pressButton(page: Page, id: string, label: string): Promise<void> {
  await selectStep(page, id);
  await page.locator('.getting-started-step.expanded .monaco-button', { hasText: label }).click();
}

describe('CoW Lab walkthrough in the workbench', function () {
  const step = steps();
  let page: Page;

  before(() => {
    assert.ok(WALKTHROUGH, 'package.json contributes no walkthrough');
  });

  useWorkbench('walkthrough', { onOpen: (p) => { page = p; }, cleanUp });

  step('is listed among the walkthroughs and opens with every step', async () => {
    await openWalkthrough(page);
    const titles = (await page.locator('.getting-started-step .step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, WALKTHROUGH?.steps.map((s) => s.title));
    await selectStep(page, 'what-is-cow');
    await screenshot(page, '20-walkthrough');
  });

  step('opens a step\'s sample from its button', async () => {
    await pressButton(page, 'real-systems', 'Open the zygote');
    await activeTab(page, '13-zygote.cow').waitFor();
  });

  step('draws its pictures in the theme\'s colours (dark, light, high contrast)', async () => {
    for (const [theme, kind, name] of [['Dark Modern', 'vs-dark', 'dark'], ['Dark High Contrast', 'hc-black', 'hc'], ['Light Modern', 'vs', 'light']] as const) {
      await toEditor(page, '13-zygote.cow');
      await setColorTheme(page, theme, kind);
      await backToWalkthrough(page);
      await selectStep(page, 'fork-shares');
      // The picture is drawn in a frame of its own, swapped in after the step opens.
      await findFrame(page, 'svg:has(title:text-is("fork copies page tables, not pages"))');
      await screenshot(page, `21-walkthrough-${name}`);
    }
  });
  // Ticking steps off, each link's effect and the quizzes are walked by clicking, from a fresh
  // profile, in walkthrough-clickthrough.test.ts.
});
