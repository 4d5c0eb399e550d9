// The walkthrough's page in the workbench, for the UI tests: open it through the palette, select
// a step (waiting for the focus the page moves to it), read whether a step is ticked.
import type { Page } from 'playwright-core';
import manifest from '../../package.json';
import { quickInputRow, runCommand } from './workbench';

export const WALKTHROUGH = manifest.contributes.walkthroughs[0];
export const CATEGORY = `cow-lab.cow-lab#${WALKTHROUGH?.id ?? ''}`;

/** The walkthrough's own title on its page (the Welcome page's list has an h3 of the same text). */
export function walkthroughTitle(page: Page) {
  return page.locator(`h2.category-title[x-category-title-for="${CATEGORY}"]`);
}

export function stepButton(page: Page, id: string) {
  return page.locator(`button.getting-started-step[data-step-id="${CATEGORY}#${id}"]`);
}

/** Types into the open quick input and accepts the first row once it is exactly `label`. */
export async function pick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  await quickInputRow(page, label).waitFor();
  await page.waitForFunction(`document.querySelector('.quick-input-list .monaco-list-row.focused .label-name')?.textContent.trim() === ${JSON.stringify(label)}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * The page focuses the step it selects on a timer after it opens (selectStep); anything opened
 * before that (the command palette) would lose focus and close. So wait for that focus.
 */
export async function stepFocused(page: Page, id?: string): Promise<void> {
  const want = id === undefined ? null : `${CATEGORY}#${id}`;
  await page.waitForFunction(`(() => {
    const focused = document.activeElement;
    if (!focused || !focused.matches('button.getting-started-step')) return false;
    return ${JSON.stringify(want)} === null || focused.getAttribute('data-step-id') === ${JSON.stringify(want)};
  })()`);
}

export async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pick(page, WALKTHROUGH?.title ?? '');
  await walkthroughTitle(page).waitFor();
  await stepFocused(page);
}

/** Opens (expands) a step and waits until the page has settled its focus on it. */
export async function selectStep(page: Page, id: string): Promise<void> {
  await page.locator(`button.getting-started-step[data-step-id="${CATEGORY}#${id}"]:not([disabled])`).click();
  await stepFocused(page, id);
}
