// The whole walkthrough as a new learner walks it: a fresh VS Code (its own code-server, fresh
// profile, a folder holding one scenario of the learner's), the packaged .vsix installed, and only
// clicks on the Welcome page — every step's links in order. After each click: what the learner
// now sees (the step's scenario as their own editable file, the panel on that scenario and step,
// the quiz's questions, the one comparison tab, the exercise, the kernel's verdict in the
// terminal), and that the step ticked only then. A screenshot after every click.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import { CATEGORY, openWalkthrough, pick, selectStep, stepButton, WALKTHROUGH, walkthroughTitle } from './walkthroughPage';
import { activeEditorText, activeTab, findFrame, launchBrowser, screenshot } from './workbench';

interface CodeServer {
  readonly url: string;
  /** This run's scratch folder (user data, logs), removed by stop(). */
  readonly scratch: string;
  stop(): Promise<void>;
}

/** The extension host's logs (the CoW Lab output channels among them), kept on a failure. */
function keepLogs(scratch: string, name: string): string {
  const target = path.join(root, 'test-artifacts', 'ui', `${name}-logs`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(scratch, 'user-data', 'logs'), target, { recursive: true });
  return target;
}

const root = path.resolve(__dirname, '..', '..');
const samples = path.join(root, 'samples');

function lineOf(sample: string, startsWith: string): number {
  const index = fs.readFileSync(path.join(samples, sample), 'utf8').split('\n').findIndex((l) => l.startsWith(startsWith));
  assert.ok(index >= 0, `${sample} has no line starting ${startsWith}`);
  return index + 1;
}

describe('CoW Lab walkthrough, clicked through from the Welcome page (fresh profile)', function () {
  this.timeout(300_000);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let shot = 0;
  /** The step the walkthrough was last opened at, while nothing was clicked on it since. */
  let showing: string | undefined;
  const consoleLines: string[] = [];

  before(async () => {
    const vsix = process.env.COW_LAB_VSIX;
    assert.ok(vsix, 'COW_LAB_VSIX unset: run the UI tests with npm run test:ui');
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cow-lab-learner-'));
    // A learner's folder with one scenario of their own (the workbench is ready once it is labelled).
    fs.writeFileSync(path.join(workspace, 'mine.cow'), 'process p\np: map heap 2 private\np: write heap[0] "a"\n');
    const codeServer = (await import(pathToFileURL(path.join(root, 'scripts', 'vscode', 'codeServer.mjs')).href)) as {
      startCodeServer(options: { installExtensions: string[]; settings: Record<string, unknown> }): Promise<CodeServer>;
    };
    // The DOM renderer, so that the terminal's text can be read.
    server = await codeServer.startCodeServer({ installExtensions: [vsix], settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
    browser = await launchBrowser();
    // As openWorkbench, but patient: a fresh profile on a loaded machine takes longer than 30 s.
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(120_000);
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 500)));
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'commit' });
    await page.waitForSelector('.explorer-folders-view .cow-lang-file-icon');
    page.setDefaultTimeout(60_000);
    await openWalkthrough(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = `failed-clickthrough-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      console.log(`    screenshot of the failure: ${await screenshot(page, name)}`);
      if (server) console.log(`    workbench logs: ${keepLogs(server.scratch, name)}`);
      console.log(`    workbench console (last 30):\n${consoleLines.slice(-30).join('\n')}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /**
   * Back on the walkthrough, through "Welcome: Open Walkthrough…" (its Welcome tab may have gone
   * back to the start page once an editor took its place).
   */
  async function backToWalkthrough(id: string): Promise<void> {
    // Still in front, and only read since (a tick checked just before a click): select the step
    // there instead of opening the walkthrough again through the palette (3–8 s each at load 15,
    // about twenty times in this file).
    if (showing !== undefined && (await walkthroughTitle(page).isVisible())) {
      if (showing !== id) await selectStep(page, id);
      showing = id;
      return;
    }
    // Keyboard focus back to the workbench's own document first: after a click in the panel (a
    // webview's frame) F1 reached that frame and the palette never opened. The status bar's empty
    // stretch is in the workbench document and does nothing when clicked.
    const bar = await page.locator('.part.statusbar').boundingBox();
    if (bar) await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    // The Welcome page moves the focus to its selected step on a timer, which can close a palette
    // opened just before it: then try again (three tries, 20 s each).
    for (let attempt = 1; ; attempt += 1) {
      page.setDefaultTimeout(20_000);
      try {
        await openWalkthrough(page);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await page.keyboard.press('Escape');
      } finally {
        page.setDefaultTimeout(60_000);
      }
    }
    await walkthroughTitle(page).waitFor();
    await selectStep(page, id);
    showing = id;
  }

  /** Clicks the link labelled `label` in step `id`, as the learner would, and takes a screenshot. */
  async function click(id: string, label: string, after: () => Promise<void>): Promise<void> {
    await backToWalkthrough(id);
    showing = undefined;
    await page.locator('.getting-started-step.expanded').getByText(label, { exact: true }).click();
    await after();
    shot += 1;
    await screenshot(page, `clickthrough-${String(shot).padStart(2, '0')}-${id}-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  }

  async function ticked(id: string, expected: boolean): Promise<void> {
    await backToWalkthrough(id);
    if (expected) await page.locator(`button.getting-started-step[data-step-id="${CATEGORY}#${id}"][aria-checked="true"]`).waitFor();
    else assert.equal(await stepButton(page, id).getAttribute('aria-checked'), 'false', `${id} ticked too early`);
  }

  /** The panel's frame, once it shows `scenario` (at the statement `statement`, if given). */
  async function panelAt(scenario: string, statement?: string): Promise<Frame> {
    const frame = await findFrame(page, '.scrubber');
    await frame.locator('.scenario-name', { hasText: new RegExp(`^${scenario.replace(/\./g, '\\.')}$`) }).waitFor();
    if (statement !== undefined) await frame.locator('.statement', { hasText: new RegExp(`^${statement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
    return frame;
  }

  /** The editor shows the learner's copy: a file in cow-lab/ of the folder, and it takes typing. */
  async function editableCopy(name: string): Promise<void> {
    await activeTab(page, name).waitFor();
    assert.ok(fs.existsSync(path.join(workspace, 'cow-lab', name)), `no cow-lab/${name} in the learner's folder`);
  }

  it('step 1: opens the learner\'s copy of 11-cow-mode, editable, and runs it in the panel', async () => {
    await ticked('what-is-cow', false);
    await click('what-is-cow', 'Open the scenario', () => editableCopy('11-cow-mode.cow'));
    // Before: "Editor is read-only because the file was set read-only in this session".
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# my note');
    await page.locator('.editor-group-container.active .view-line', { hasText: '# my note' }).waitFor();
    await ticked('what-is-cow', false);
    await click('what-is-cow', 'Run it in the panel', async () => {
      await panelAt('11-cow-mode.cow');
    });
    await ticked('what-is-cow', true);
  });

  it('step 2: Step Forward steps the first fork (not the scenario the panel showed)', async () => {
    await click('fork-shares', 'Open the first fork', () => editableCopy('01-first-fork.cow'));
    await ticked('fork-shares', false);
    const second = fs.readFileSync(path.join(samples, '01-first-fork.cow'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))[1] ?? '';
    await click('fork-shares', 'Step Forward', async () => {
      await panelAt('01-first-fork.cow', second.replace(/\s+#.*$/, '').trim());
    });
    await ticked('fork-shares', true);
  });

  it('step 3: the write-fault quiz is checked from the Welcome page, 7 of 7', async () => {
    await click('first-write', 'Take the write-fault quiz', () => editableCopy('02-write-fault-quiz.cow'));
    await ticked('first-write', false);
    // 02-write-fault's seven values, worked out by hand in the sample's header.
    const answers = ['1', '5', '5', 'mine', 'original', '5', '1'];
    await click('first-write', 'Check My Answers', async () => {
      for (const [i, answer] of answers.entries()) {
        await page.locator('.quick-input-title', { hasText: `Question ${i + 1} of ${answers.length}` }).waitFor();
        await page.locator('.quick-input-widget input').fill(answer);
        await page.keyboard.press('Enter');
      }
      await page.locator('.notification-toast', { hasText: '7 of 7 right' }).waitFor();
    });
    await ticked('first-write', true);
  });

  it('step 4: steps to the child\'s write and back; Go to Line moves the panel too', async () => {
    await click('page-granularity', 'Open page granularity', () => editableCopy('03-page-granularity.cow'));
    await click('page-granularity', 'Step to the child\'s write', async () => {
      await panelAt('03-page-granularity.cow', 'child: write heap[100] "x"');
    });
    await ticked('page-granularity', false);
    // The statement before the write in 03-page-granularity.cow: `expect copies == 0`.
    await click('page-granularity', 'Step Back', async () => {
      await panelAt('03-page-granularity.cow', 'expect copies == 0');
    });
    await ticked('page-granularity', true);
    // Ctrl+G in the editor: before, only arrow keys and clicks moved the panel.
    await page.locator('.tabs-container .tab[data-resource-name="03-page-granularity.cow"]').click();
    await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    await page.keyboard.press('Control+G');
    // Ctrl+G opens the quick input holding ':' (go to line); fill() replaces it, so type it too.
    await page.locator('.quick-input-widget input').fill(`:${lineOf('03-page-granularity.cow', 'parent: write heap[200]')}`);
    await page.keyboard.press('Enter');
    await panelAt('03-page-granularity.cow', 'parent: write heap[200] "y"');
    await screenshot(page, 'clickthrough-go-to-line');
  });

  it('step 5: the shell quiz is checked from the Welcome page', async () => {
    await click('shell-runs-ls', 'Take the shell quiz', () => editableCopy('04-shell-runs-ls-quiz.cow'));
    await ticked('shell-runs-ls', false);
    await click('shell-runs-ls', 'Check My Answers', async () => {
      // Answer every question (right or wrong): the step ticks once all are graded.
      const title = page.locator('.quick-input-title', { hasText: /^Question \d+ of \d+/ });
      await title.waitFor();
      const count = Number(/of (\d+)/.exec(await title.innerText())?.[1]);
      for (let i = 1; i <= count; i += 1) {
        await page.locator('.quick-input-title', { hasText: `Question ${i} of ${count}` }).waitFor();
        await page.locator('.quick-input-widget input').fill('1');
        await page.keyboard.press('Enter');
      }
      await page.locator('.notification-toast', { hasText: new RegExp(`of ${count} right`) }).waitFor();
    });
    await ticked('shell-runs-ls', true);
  });

  it('step 6: compares 12-eager-mode with a full copy and opens its table once, titled with its name', async () => {
    await click('trade-off', 'Open the full-copy scenario', () => editableCopy('12-eager-mode.cow'));
    await ticked('trade-off', false);
    await click('trade-off', 'Compare with Full Copy', async () => {
      const frame = await panelAt('12-eager-mode.cow');
      await frame.locator('section.diagram').nth(1).waitFor();
    });
    await ticked('trade-off', true);
    await click('trade-off', 'Fill In the Comparison Table', async () => {
      const title = 'Copy-on-write vs full copy: 12-eager-mode.cow';
      await page.locator('.tabs-container .tab', { hasText: title }).waitFor();
      const table = await findFrame(page, '[data-testid="comparison-table"]');
      assert.match(await table.locator('[data-testid="comparison-table"]').innerText(), /Pages copied in all/);
      // Before: a Markdown preview and an untitled source, titled with the extension's path.
      assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Copy-on-write vs full copy' }).count(), 1);
      assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Untitled' }).count(), 0);
    });
  });

  it('step 7: opens each real system, and New Exercise\'s picker stays open', async () => {
    // Every sample link of the step, inline or a button, in the order the step shows them.
    const description = WALKTHROUGH?.steps.find((s) => s.id === 'real-systems')?.description ?? '';
    const opens = [...description.matchAll(/\[([^\]]+)\]\(command:cowLab\.openSample\?([^)]*)\)/g)].map((m) => [m[1] ?? '', (JSON.parse(decodeURIComponent(m[2] ?? '')) as string[])[0] ?? ''] as const);
    assert.ok(opens.length >= 3, description);
    for (const [label, sample] of opens) await click('real-systems', label, () => editableCopy(sample));
    await ticked('real-systems', false);
    await click('real-systems', 'New Exercise', async () => {
      // Before: the picker flashed and closed as the Welcome page took the focus back.
      await pick(page, 'Predict');
      await page.locator('.tabs-container .tab.active', { hasText: /^exercise-predict-\d+\.cow/ }).waitFor();
      assert.match(await activeEditorText(page), /cow-lab run cow-lab\/exercise-predict-\d+\.cow/);
    });
    await ticked('real-systems', true);
  });

  it('step 8: checks the shell scenario against this kernel and shows its verdict in the terminal', async () => {
    await ticked('your-kernel', false);
    await click('your-kernel', 'Verify the shell scenario', async () => {
      const terminal = page.locator('.terminal-wrapper.active .xterm-rows');
      await terminal.getByText('$ cow-lab verify cow-lab/04-shell-runs-ls.cow').waitFor();
      // 04-shell-runs-ls plays no zero-page read: the same verdict on every kernel build.
      await terminal.getByText('cow-lab/04-shell-runs-ls.cow: the kernel agrees with the engine').waitFor({ timeout: 180_000 });
      await terminal.getByText('[cow-lab verify exited with code 0]').waitFor();
    });
    await ticked('your-kernel', true);
  });
});
