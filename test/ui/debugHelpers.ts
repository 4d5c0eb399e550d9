// What a person does with the debugger in the workbench: click the gutter, see where the
// session stopped. Shared by the debugger's UI test and the browser build's test.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export /** The editor line (1-based) the debugger's current-statement arrow is on, or null. */
async function stoppedLine(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const glyph = document.querySelector('.editor-group-container .monaco-editor .margin-view-overlays .codicon-debug-stackframe');
    const row = glyph?.parentElement;
    if (!row) return null;
    const top = parseFloat((row as HTMLElement).style.top);
    const lines = [...document.querySelectorAll<HTMLElement>('.editor-group-container .monaco-editor .margin-view-overlays .line-numbers')];
    const number = lines.find((l) => Math.abs(parseFloat((l.parentElement as HTMLElement).style.top) - top) < 1);
    return number ? Number(number.textContent) : null;
  });
}

export async function waitForStopAt(page: Page, line: number): Promise<void> {
  await page.waitForFunction(
    ({ want }) => {
      const glyph = document.querySelector('.editor-group-container .monaco-editor .margin-view-overlays .codicon-debug-stackframe');
      const row = glyph?.parentElement as HTMLElement | undefined;
      if (!row) return false;
      const numbers = [...document.querySelectorAll<HTMLElement>('.editor-group-container .monaco-editor .margin-view-overlays .line-numbers')];
      const at = numbers.find((l) => Math.abs(parseFloat((l.parentElement as HTMLElement).style.top) - parseFloat(row.style.top)) < 1);
      return at !== undefined && Number(at.textContent) === want;
    },
    { want: line },
  );
}

/** Clicks the glyph margin (left of the line numbers) beside `line`, as a person sets a breakpoint. */
export async function clickGutter(page: Page, line: number): Promise<void> {
  const number = page.locator('.editor-group-container .monaco-editor .margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
  const box = await number.boundingBox();
  const margin = await page.locator('.editor-group-container .monaco-editor .margin').first().boundingBox();
  assert.ok(box && margin, 'the editor shows the line');
  await page.mouse.move(margin.x + 8, box.y + box.height / 2);
  await page.mouse.click(margin.x + 8, box.y + box.height / 2);
}

