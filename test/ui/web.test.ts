// The browser build in code-server's web worker extension host (run by scripts/vscode/runWeb.mjs,
// which installs a .vsix whose manifest has only `browser`): run a sample, step, hover, complete,
// debug — then prove where it ran: the extension writes its host facts through
// vscode.workspace.fs, and they must show no Node (`process.versions.node`), Chromium's
// userAgent and a web worker. Skipped in the ordinary UI run (the full .vsix runs in Node there).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { BREAKPOINT_GLYPH, clickGutter, waitForStopAt } from './debugHelpers';
import { findFrame, quickInputRow, quickOpen, runCommand, screenshot, workbenchTarget } from './workbench';
import { useWorkbench } from './session';
import { openWalkthrough, selectStep } from './walkthroughPage';

const SAMPLE = '02-write-fault.cow';

interface HostReport {
  readonly build: string;
  readonly node: string | null;
  readonly userAgent: string | null;
  readonly webWorker: boolean;
  readonly panel: { readonly open: boolean; readonly position: number; readonly stepCount: number };
  readonly debugSession: string | null;
}

describe('CoW Lab browser build in the web worker extension host', function () {
  this.timeout(300_000);
  let page: Page;
  const consoleLines: string[] = [];

  useWorkbench('web', {
    // npm run test:web installs the browser-only build and sets this.
    skipUnless: () => (process.env.COW_LAB_WEB_BUILD ? undefined : 'the browser-only build is installed by npm run test:web'),
    onOpen: (p) => {
      page = p;
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 400)));
      page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`.slice(0, 400)));
    },
    onFailure: () => {
      const relevant = consoleLines.filter((l) => !/allow-same-origin|GL Driver|open-vsx|github/.test(l));
      return ['    workbench console (last 40):', ...relevant.slice(-40)];
    },
  });

  it('runs a sample in the panel and steps it', async () => {
    // The workbench starts a web worker extension host: an iframe carrying its id.
    await page.waitForFunction(() => [...document.querySelectorAll('iframe')].some((f) => f.src.includes('vscodeWebWorkerExtHostId')));
    await quickOpen(page, SAMPLE);
    await runCommand(page, 'CoW Lab: Run Scenario');
    const panel = await findFrame(page, '.position');
    await panel.locator('.position', { hasText: /^Step 1 of \d+$/ }).waitFor();
    await runCommand(page, 'CoW Lab: Step Forward');
    await panel.locator('.position', { hasText: /^Step 2 of \d+$/ }).waitFor();
    await screenshot(page, 'web-panel');
  });

  it('hovers a verb and completes a statement', async () => {
    const fork = page.locator('.editor-group-container .monaco-editor .view-line span', { hasText: /^fork$/ }).first();
    await fork.hover();
    const hover = page.locator('.monaco-hover-content').first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /copy of the page tables/);
    await page.keyboard.press('Escape');
    // A new line at the end: `child: ` then ask for completions — the verbs. The editor gets the
    // keyboard through its command: a click in the middle of the editor's lines (taller than the
    // screen) first scrolls them, and sometimes lands on no line and leaves the focus elsewhere.
    await runCommand(page, 'View: Focus Active Editor Group');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('child: ');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.suggest-widget .monaco-list-row');
    await suggest.filter({ hasText: /^write/ }).first().waitFor();
    await screenshot(page, 'web-completion');
    await page.keyboard.press('Escape');
    // Leave the sample as it was: undo the typing.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Z');
    // Back to the top, so the next test finds line 14 on screen.
    await page.keyboard.press('Control+Home');
  });

  it('debugs: a gutter breakpoint and F5 stop on that line', async () => {
    await clickGutter(page, 14);
    await page.locator(BREAKPOINT_GLYPH).first().waitFor();
    await page.keyboard.press('F5');
    await waitForStopAt(page, 14);
    await page.locator('.debug-variables').getByText('Process child', { exact: true }).first().waitFor();
    await screenshot(page, 'web-debug-stopped');
  });

  it('ran in the web worker, not in Node (the report comes back through vscode.workspace.fs)', async () => {
    const file = path.join(workbenchTarget().workspace, '.cow-lab-host.json');
    fs.rmSync(file, { force: true });
    await runCommand(page, 'CoW Lab Test: Write Host Report');
    // Written by the extension through vscode.workspace.fs into the workspace on this disk.
    for (let i = 0; !fs.existsSync(file); i++) await page.waitForTimeout(100);
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as HostReport;
    assert.equal(report.build, 'browser');
    assert.equal(report.node, null, 'no process.versions.node');
    assert.match(report.userAgent ?? '', /Chrome\//);
    assert.equal(report.webWorker, true);
    assert.equal(report.panel.open, true);
    assert.ok(report.panel.stepCount > 20, `the panel ran the sample: ${report.panel.stepCount} steps`);
    assert.equal(report.debugSession, 'cow');
  });

  it('hides what needs Node from the palette, and the walkthrough\'s Measure link says why it is not here', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>CoW Lab:');
    await quickInputRow(page, 'CoW Lab: Run Scenario').waitFor();
    const labels = (await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
    await page.keyboard.press('Escape');
    assert.ok(labels.length > 3, `the palette lists CoW Lab's commands: ${labels.join(' | ')}`);
    for (const hidden of ['CoW Lab: Measure on My Machine', 'CoW Lab: Check a Scenario Against Your Kernel']) {
      assert.ok(!labels.includes(hidden), `${hidden} is hidden in the browser: ${labels.join(' | ')}`);
    }
    await openWalkthrough(page);
    await selectStep(page, 'trade-off');
    await page.locator('.getting-started-step.expanded a', { hasText: 'Measure on My Machine' }).click();
    const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'not available in the browser' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /compiles a small C benchmark/);
    await screenshot(page, 'web-measure-explained');
    await runCommand(page, 'View: Close All Editors');
  });
});
