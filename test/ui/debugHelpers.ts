// What a person does with the debugger in the workbench: click the gutter, see where the
// session stopped. Shared by the debugger's UI test and the browser build's test.
// Glyphs (breakpoints, the current-statement arrow) are matched to line numbers by their
// on-screen position: VS Code draws them in the glyph margin's own layer (.glyph-margin-widgets
// in recent versions, .margin-view-overlays before), not inside the line-number rows.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** The editor's breakpoint glyphs (any kind: verified, unverified, conditional). */
export const BREAKPOINT_GLYPH = '.editor-group-container .monaco-editor [class*="codicon-debug-breakpoint"]';

/** In the page: the line number (1-based) beside the first element matching `selector`, or null. */
function lineBeside(selector: string): number | null {
  const glyph = document.querySelector(selector);
  if (!glyph) return null;
  const box = glyph.getBoundingClientRect();
  const middle = box.top + box.height / 2;
  const numbers = [...document.querySelectorAll<HTMLElement>('.editor-group-container .monaco-editor .margin-view-overlays .line-numbers')];
  const beside = numbers.find((n) => {
    const b = n.getBoundingClientRect();
    return middle >= b.top && middle < b.bottom;
  });
  return beside ? Number(beside.textContent) : null;
}

const STACK_FRAME = '.editor-group-container .monaco-editor .codicon-debug-stackframe';

/** The editor line (1-based) the debugger's current-statement arrow is on, or null. */
export async function stoppedLine(page: Page): Promise<number | null> {
  return page.evaluate(lineBeside, STACK_FRAME);
}

export async function waitForStopAt(page: Page, line: number): Promise<void> {
  await page.waitForFunction(`(${lineBeside.toString()})(${JSON.stringify(STACK_FRAME)}) === ${line}`);
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
