// End to end, as a person sees it: the workbench with the packaged CoW Lab installed, a scenario
// opened through quick open, a command run from F1, a webview reached through its frame.
// Screenshots go to test-artifacts/ui/ (one per step, plus one for any failing test).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { activeEditorText, activeTab, findFrame, quickOpen, runCommand, screenshot, screenshotFrame, setColorTheme, statusBarLanguage, webviewFrames } from './workbench';
import { useWorkbench } from './session';

describe('CoW Lab in the VS Code workbench', function () {
  let page: Page;

  useWorkbench('workbench', { onOpen: (p) => { page = p; } });

  it('shows the workspace files in the explorer', async () => {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'harness-fork.cow' });
    await row.waitFor();
    await screenshot(page, '01-workbench');
  });

  it('lists the packaged CoW Lab, with its icon, among the installed extensions', async () => {
    await page.keyboard.press('Control+Shift+X');
    const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'CoW Lab' });
    await entry.waitFor();
    assert.match(await entry.innerText(), /cow-lab/);
    await entry.locator('img.icon').waitFor();
    await screenshot(page, '02-extensions');
    await page.keyboard.press('Control+Shift+E');
    await page.locator('.explorer-folders-view').waitFor();
  });

  it('opens a .cow scenario through quick open as a CoW scenario', async () => {
    await quickOpen(page, 'harness-fork.cow');
    // The language's name comes from our manifest (contributes.languages aliases[0]).
    await statusBarLanguage(page).filter({ hasText: 'CoW scenario' }).waitFor();
    const text = await activeEditorText(page);
    assert.match(text, /shell: fork child/);
    assert.match(text, /expect copies == 1/);
    await screenshot(page, '03-cow-editor');
  });

  it('runs a command from the command palette (F1)', async () => {
    // A built-in command with a visible effect until CoW Lab contributes its own
    // (the panel's tests call runCommand(page, 'CoW Lab: Run Scenario') the same way).
    await runCommand(page, 'View: Close All Editors');
    await activeTab(page, 'harness-fork.cow').waitFor({ state: 'detached' });
    assert.equal(await page.locator('.tabs-container .tab').count(), 0);
    await screenshot(page, '04-after-command');
  });

  it('reaches into a webview through its frame', async () => {
    // The built-in Markdown preview is a webview like the CoW Lab panel: same nested iframes.
    await quickOpen(page, 'about-fixtures.md');
    await runCommand(page, 'Markdown: Open Preview to the Side');
    const frame = await findFrame(page, '.markdown-body h1');
    assert.equal((await frame.locator('.markdown-body h1').innerText()).trim(), 'Test fixtures');
    assert.ok(webviewFrames(page).includes(frame), `${frame.url()} is not a webview content frame`);
    await screenshot(page, '05-webview');
    await screenshotFrame(frame, '06-webview-frame');
  });

  it('switches to a dark theme and back through the theme picker', async () => {
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await screenshot(page, '07-dark-theme');
    await setColorTheme(page, 'Light Modern', 'vs');
  });
});
