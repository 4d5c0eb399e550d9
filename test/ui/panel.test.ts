// The CoW Lab panel as a learner sees it, in the workbench with the packaged extension: run a
// sample from F1, step to the write fault with the panel's own buttons, read the page tables
// and the highlighted copy in the webview, step back with the keyboard, F10 in the editor,
// click a line, compare with a full copy, reload the window, and look at it in dark, light and
// high-contrast themes (screenshots in test-artifacts/ui/panel-*.png).
import * as assert from 'node:assert/strict';
import type { ConsoleMessage, Frame, Page } from 'playwright-core';
import { findFrame, quickOpen, runCommand, screenshot, screenshotFrame, setColorTheme, waitInFrame } from './workbench';
import { steps, useWorkbench } from './session';

const SAMPLE = '02-write-fault.cow';
/** A row of the panel's page table: machine, process, row index. */
const row = (frame: Frame, process: string, index: number, machine = 'primary') =>
  frame.locator(`[data-machine="${machine}"] [data-process="${process}"] .pte-row[data-row="${index}"]`);

async function position(frame: Frame, text: string): Promise<void> {
  await frame.locator('.position', { hasText: new RegExp(`^${text}$`) }).waitFor();
}

/**
 * The lines between entries and frames are drawn in the next animation frame: wait for them (a
 * diagram narrower than 480 px stacks the frames under the tables and draws no lines).
 */
async function linksDrawn(frame: Frame): Promise<void> {
  await waitInFrame(frame, `!!document.querySelector('svg.links path') || [...document.querySelectorAll('svg.links')].every((s) => s.getClientRects().length === 0)`);
}

/**
 * The editor's step label on the line that shows `text`: its words, and whether it stays clear of
 * the code (it ends before the line's first character of code) and of the minimap (it ends left of
 * it). Measured from the editor's DOM: the label is an empty span whose ::before holds the words.
 */
async function stepMarkOn(page: Page, text: string): Promise<{ text: string; clearOfCode: boolean; clearOfMinimap: boolean }> {
  return page.evaluate(`(() => {
    const lineText = ${JSON.stringify(text)};
    const lines = [...document.querySelectorAll('.editor-group-container .monaco-editor .view-lines .view-line')];
    const line = lines.find((l) => (l.textContent || '').replace(/\u00a0/g, ' ').startsWith(lineText));
    const none = { text: '', clearOfCode: false, clearOfMinimap: false };
    if (!line) return none;
    for (const span of line.querySelectorAll('span')) {
      const content = getComputedStyle(span, '::before').content;
      if (!content || content === 'none' || content === 'normal') continue;
      const label = span.getBoundingClientRect();
      const code = [...line.querySelectorAll('span')].filter((s) => s.children.length === 0 && (s.textContent || '').trim() !== '').map((s) => s.getBoundingClientRect());
      const editor = line.closest('.monaco-editor');
      const minimap = editor && editor.querySelector('.minimap');
      const minimapLeft = minimap ? minimap.getBoundingClientRect().left : Infinity;
      return {
        text: content,
        clearOfCode: code.length > 0 && code.every((c) => c.left >= label.right - 0.5 || c.right <= label.left + 0.5),
        clearOfMinimap: label.right <= minimapLeft,
      };
    }
    return none;
  })()`);
}

describe('CoW Lab panel in the workbench', function () {
  const step = steps();
  let page: Page;
  let frame: Frame;
  const cspReports: string[] = [];

  useWorkbench('panel', {
    onOpen: (p) => {
      page = p;
      // Chromium reports every CSP violation on the console of the frame it happened in.
      const listener = (m: ConsoleMessage): void => {
        if (/Content Security Policy|Refused to (load|apply|execute)/i.test(m.text()) && /webview/.test(m.location().url)) cspReports.push(m.text());
      };
      page.on('console', listener);
      return () => page.off('console', listener);
    },
  });

  step('runs a sample from the command palette and draws its page tables beside the editor', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await quickOpen(page, SAMPLE);
    // The CodeLens on the first line offers the same, and the editor title has a ▶ button. It also
    // says the extension is active: on a busy machine that has taken over a minute.
    await page.locator('.editor-group-container .codelens-decoration', { hasText: 'Run Scenario' }).waitFor({ timeout: 180_000 });
    const titleButton = page.locator('.editor-group-container .title .action-label.codicon-play').first();
    await titleButton.waitFor();
    assert.match(`${await titleButton.getAttribute('aria-label')} ${await titleButton.getAttribute('title')}`, /Run Scenario/);
    await runCommand(page, 'CoW Lab: Run Scenario');
    frame = await findFrame(page, '.scrubber', 120_000);
    await position(frame, 'Step 1 of 26');
    assert.equal(await frame.locator('.scenario-name').innerText(), SAMPLE);
    assert.equal(await frame.locator('.statement').innerText(), 'process parent');
    assert.match((await stepMarkOn(page, 'process parent')).text, /step 1 of 26/);
    // Nothing mapped yet: the panel says so rather than drawing empty tables.
    assert.equal(await frame.locator('[data-process="parent"] .note').innerText(), 'No mappings: an empty address space.');
    assert.equal(await frame.locator('.frames-summary').innerText(), 'No frames in use yet');
  }, 300_000);

  step('steps forward with the panel\'s button to the write fault, and shows the copy', async () => {
    for (let n = 2; n <= 5; n++) {
      await frame.locator('vscode-button[data-nav="forward"]').click();
      await position(frame, `Step ${n} of 26`);
    }
    assert.equal(await frame.locator('.statement').innerText(), 'child: write heap[1] "mine"');
    assert.equal(await frame.locator('.step-card .kind').innerText(), 'write fault · page copied');
    // The page tables read as a learner reads them.
    const childCopy = row(frame, 'child', 1);
    // The child's new page is its own and marked exclusive (X): wp_page_copy maps the new folio
    // through folio_add_new_anon_rmap, which sets PageAnonExclusive.
    assert.equal(await childCopy.locator('.cell.flags').getAttribute('data-on'), 'P W X');
    assert.equal(await childCopy.locator('.cell.flags').getAttribute('aria-label'), 'present, writable, exclusive');
    // The flags in their columns: P, W, no CoW, no S, no Z, X.
    assert.equal(await childCopy.locator('.cell.flags').innerText(), 'P W  ·  · · X');
    assert.equal(await childCopy.locator('.cell.frame').innerText(), '#5');
    assert.match(await childCopy.getAttribute('class') ?? '', /\bchanged\b/);
    const parentOriginal = row(frame, 'parent', 1);
    assert.equal(await parentOriginal.locator('.cell.flags').getAttribute('data-on'), 'P CoW');
    assert.equal(await parentOriginal.locator('.cell.frame').innerText(), '#2');
    assert.equal(await frame.locator('.pte-row.changed').count(), 1);
    // The copied frame is highlighted, says where it came from, and who maps it.
    const copy = frame.locator('.frame-box[data-frame="5"]');
    assert.match(await copy.getAttribute('class') ?? '', /\bchange-copied\b/);
    assert.equal(await copy.locator('.frame-badge').innerText(), 'copy of #2');
    assert.equal(await frame.locator('.frame-box[data-frame="2"] .frame-count').innerText(), '×1');
    assert.equal(await frame.locator('.frame-box[data-frame="1"] .frame-count').innerText(), '×2');
    assert.match(await frame.locator('[data-narration]').textContent() ?? '', /^Step 5 of 26, line 14: .*copies 0 → 1/);
    const mark = await stepMarkOn(page, 'child: write heap[1] "mine"');
    assert.match(mark.text, /step 5 of 26/);
    assert.ok(mark.clearOfCode, 'the step label covers code');
    assert.ok(mark.clearOfMinimap, 'the step label runs under the minimap');
    await linksDrawn(frame);
    await screenshot(page, 'panel-write-fault-workbench-dark');
  });

  for (const [theme, kind, bodyClass, name] of [
    ['Dark Modern', 'vs-dark', 'vscode-dark', 'dark'],
    ['Light Modern', 'vs', 'vscode-light', 'light'],
    ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', 'high-contrast'],
    ['Light High Contrast', 'hc-light', 'vscode-high-contrast-light', 'high-contrast-light'],
  ] as const) {
    step(`draws the write fault in the ${theme} theme`, async () => {
      await setColorTheme(page, theme, kind);
      await frame.locator(`body.${bodyClass}`).waitFor();
      await linksDrawn(frame);
      await screenshotFrame(frame, `panel-write-fault-${name}`);
      // What was highlighted must still be, by more than colour: the row's mark and the badge.
      const changed = frame.locator('.pte-row.changed .cell.page');
      assert.equal(await changed.count(), 1);
      assert.match(await changed.evaluate((el) => getComputedStyle(el, '::before').content), /●/);
      assert.equal(await frame.locator('.frame-box.changed .frame-badge').innerText(), 'copy of #2');
    });
  }

  step('steps back with ← in the panel', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await frame.locator('.step-card .explanation').click();
    await page.keyboard.press('ArrowLeft');
    await position(frame, 'Step 4 of 26');
    assert.equal(await frame.locator('.statement').innerText(), 'parent: fork child');
    assert.equal(await frame.locator('.step-card .kind').innerText(), 'fork');
    assert.equal(await row(frame, 'child', 0).locator('.cell.frame').innerText(), '#1');
  });

  step('steps forward with F10 in the editor', async () => {
    await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: 'parent: fork child' }).click();
    await position(frame, 'Step 4 of 26');
    await page.keyboard.press('F10');
    await position(frame, 'Step 5 of 26');
  });

  step('moves to the statement the learner clicks in the editor', async () => {
    await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: 'expect child heap[1] writable' }).click();
    await frame.locator('.statement', { hasText: 'expect child heap[1] writable' }).waitFor();
    assert.equal(await frame.locator('.step-card .kind').innerText(), 'expectation holds');
  });

  step('compares with a full copy of the same scenario', async () => {
    await runCommand(page, 'CoW Lab: Compare with Full Copy');
    await frame.locator('[data-machine="comparison"]').waitFor();
    assert.deepEqual(await frame.locator('[data-machine="comparison"] [data-process="child"] .pte-row[data-row] .cell.frame').allInnerTexts(), ['#5', '#6', '#7', '#8']);
    assert.equal(await frame.locator('.stats tr[data-metric="Bytes copied"] td.eager').innerText(), '16 KiB');
    await linksDrawn(frame);
    await screenshotFrame(frame, 'panel-compare-dark');
  });

  step('comes back at the same step after the window reloads', async () => {
    // a reload of the whole workbench: minutes on a busy machine
    const before = await frame.locator('.position').innerText();
    // The learner's reload: the workbench saves its state (the panel's included), then reloads.
    const reloaded = page.waitForEvent('load', { timeout: 180_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 180_000 });
    frame = await findFrame(page, '.scrubber', 180_000);
    await position(frame, before);
    await frame.locator('[data-machine="comparison"]').waitFor();
  }, 400_000);

  it('ran without a single Content-Security-Policy violation', () => {
    assert.deepEqual(cspReports, []);
  });
});
