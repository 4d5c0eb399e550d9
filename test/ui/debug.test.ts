// Debugging a scenario the way a new user would, in the workbench with the packaged extension:
// open a sample, click in the gutter to set a breakpoint, F5 (no launch.json), the session stops
// there; Variables list the processes' regions and pages; Step Back returns to the previous
// statement and the CoW Lab panel follows; a breakpoint on an `expect` claim stops at the first
// step where the claim holds. Screenshots: test-artifacts/ui/debug-*.png.
//
// samples/02-write-fault.cow, by hand: line 12 `parent: fork child`, line 14 the child's write
// to heap[1] (before it runs, every heap page is mapped twice, read-only, copy-on-write), line 15
// the checkpoint right after it: the first step where `child heap[1] private` holds.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { BREAKPOINT_GLYPH, clickGutter, stoppedLine, waitForStopAt } from './debugHelpers';
import { findFrame, quickOpen, runCommand, screenshot } from './workbench';
import { steps, useWorkbench } from './session';

const SAMPLE = '02-write-fault.cow';
const WRITE_LINE = 14;

async function panelPosition(frame: Frame): Promise<string> {
  return (await frame.locator('.position').first().innerText()).trim();
}

describe('CoW Lab debugger in the workbench', function () {
  let page: Page;
  const step = steps();

  useWorkbench('debug', {
    onOpen: (p) => { page = p; },
    // A fresh window has no debug session and no breakpoints (the next file's reset would also end them).
    cleanUp: async (p) => {
      if (await p.locator('.debug-toolbar').isVisible()) {
        await p.keyboard.press('Shift+F5');
        await p.locator('.debug-toolbar').waitFor({ state: 'hidden' });
      }
      await runCommand(p, 'Remove All Breakpoints');
    },
  });

  step('a click in the gutter sets a breakpoint, F5 stops there', async () => {
    await quickOpen(page, SAMPLE);
    await clickGutter(page, WRITE_LINE);
    await page.locator(BREAKPOINT_GLYPH).first().waitFor();
    await page.keyboard.press('F5');
    await waitForStopAt(page, WRITE_LINE);
    await page.locator('.debug-toolbar').waitFor();
    await screenshot(page, 'debug-stopped-at-breakpoint');
    assert.equal(await stoppedLine(page), WRITE_LINE);
  }, 300_000);

  step('Call Stack lists the processes; Variables show their regions and pages', async () => {
    const callStack = page.locator('.debug-call-stack');
    await callStack.getByText(/^parent · pid 1/).first().waitFor();
    await callStack.getByText(/^child · pid 2/).first().waitFor();
    const variables = page.locator('.debug-variables');
    const scope = variables.getByText('Process child', { exact: true }).first();
    await scope.waitFor();
    // Scopes start collapsed: open the child's, as a person would.
    await scope.click();
    const heap = variables.locator('.monaco-list-row', { hasText: /^heap/ }).first();
    await heap.waitFor();
    assert.match(await heap.innerText(), /private, 4 pages/);
    await heap.click();
    const page1 = variables.locator('.monaco-list-row', { hasText: '[1]' }).first();
    await page1.waitFor();
    assert.match((await page1.innerText()).replace(/\s+/g, ' '), /frame \d+ · mapped 2× · read-only, copy-on-write · "original"/);
    await screenshot(page, 'debug-variables-pages');
  }, 300_000);

  step('Step Back returns to the fork and the panel follows', async () => {
    const panel = await findFrame(page, '.position');
    await page.waitForFunction(() => true);
    const before = await panelPosition(panel);
    assert.match(before, /^Step 5 of/, 'the panel shows the statement the session stopped on');
    await page.locator('.debug-toolbar .codicon-debug-step-back').click();
    await waitForStopAt(page, 12);
    await panel.locator('.position', { hasText: /^Step 4 of/ }).first().waitFor();
    await screenshot(page, 'debug-step-back-panel-follows');
  }, 300_000);

  step('a breakpoint on an expect claim stops at the first step where the claim holds', async () => {
    // The Breakpoints view's own "+" (Add Function Breakpoint), shown when its header is hovered.
    const header = page.locator('.pane-header', { hasText: 'Breakpoints' }).first();
    await header.hover();
    await page.locator('.pane-header .action-label[aria-label="Add Function Breakpoint"]').first().click();
    const input = page.locator('.debug-breakpoints input, .debug-pane input').first();
    await input.waitFor();
    await input.fill('child heap[1] private');
    await page.keyboard.press('Enter');
    await page.locator('.debug-breakpoints').getByText('child heap[1] private').first().waitFor();
    // Continue: the line breakpoint on the write comes first, then the claim.
    await page.locator('.debug-toolbar .codicon-debug-continue').click();
    await waitForStopAt(page, WRITE_LINE);
    await page.locator('.debug-toolbar .codicon-debug-continue').click();
    await waitForStopAt(page, WRITE_LINE + 1);
    await screenshot(page, 'debug-claim-breakpoint');
    assert.equal(await stoppedLine(page), WRITE_LINE + 1);
  }, 300_000);
});
