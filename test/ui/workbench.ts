// What a person does in the VS Code workbench, for playwright-core: open it, quick-open a file,
// run a command through F1, find a webview's frame, take screenshots. The runner
// (scripts/vscode/runUi.mjs) starts code-server with the packaged .vsix and passes the URL.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import launch from '../../scripts/vscode/chromium.json';

const root = path.resolve(__dirname, '..', '..');
/** Screenshots land here (git-ignored); the runner prints the folder. */
export const artifactsDir = path.join(root, 'test-artifacts', 'ui');
/** COW_LAB_UI_TIMEOUT_MS raises it on a machine busy enough that the workbench loads slowly. */
const DEFAULT_TIMEOUT_MS = Number(process.env.COW_LAB_UI_TIMEOUT_MS) || 30_000;

export interface WorkbenchTarget {
  /** Workbench URL with ?folder= already set. */
  url: string;
  /** Absolute path of the workspace folder the workbench opens. */
  workspace: string;
}

export function workbenchTarget(): WorkbenchTarget {
  const url = process.env.COW_LAB_WORKBENCH_URL;
  const workspace = process.env.COW_LAB_WORKSPACE;
  if (!url || !workspace) {
    throw new Error('COW_LAB_WORKBENCH_URL / COW_LAB_WORKSPACE unset: run the UI tests with npm run test:ui');
  }
  return { url, workspace };
}

/** Headless Debian chromium with a throw-away HOME, so it writes nothing under the real one. */
export async function launchBrowser(): Promise<Browser> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cow-lab-chromium-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') };
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, headless: true, env });
  const removeHome = () => fs.rmSync(home, { recursive: true, force: true });
  browser.on('disconnected', removeHome);
  // mocha --exit (or a signal) may end the process with the browser still open.
  process.once('exit', removeHome);
  return browser;
}

/**
 * Opens the workbench and resolves once extension contributions are registered: the explorer
 * labels a .cow file with the `cow` language (class cow-lang-file-icon), which happens in the same
 * pass that registers the built-in themes and commands. Before that, pickers come up empty.
 * The workspace needs a .cow file at its top level (the runner copies samples/ and fixtures).
 */
export async function openWorkbench(browser: Browser, target: WorkbenchTarget): Promise<Page> {
  const page = await browser.newPage({ viewport: launch.viewport });
  page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  // The first load compiles the whole workbench: on a busy shared machine it can take a minute.
  await page.goto(target.url, { timeout: 4 * DEFAULT_TIMEOUT_MS });
  await page.waitForSelector('.monaco-workbench');
  await page.waitForSelector('.explorer-folders-view .monaco-list-row');
  await page.waitForSelector('.explorer-folders-view .cow-lang-file-icon');
  return page;
}

/** The quick input's row whose label is exactly `label` (not just one that contains it). */
export function quickInputRow(page: Page, label: string) {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}

const FOCUSED_LABEL = `document.querySelector('.quick-input-list .monaco-list-row.focused .label-name')?.textContent.trim() ?? null`;

/**
 * Types into the open quick input and accepts the row labelled exactly `label`. The best fuzzy
 * match is not always that row ("Open Locked Preview to the Side" ranks above "Open Preview to
 * the Side"), and the list re-renders as results arrive, so a click may hit a row that just moved:
 * instead walk the focus with ArrowDown until the focused row is ours, then Enter.
 */
async function pickInQuickInput(page: Page, typed: string, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(typed);
  await quickInputRow(page, label).waitFor();
  for (let step = 0; step < 50; step += 1) {
    const focused = await page.evaluate<string | null>(FOCUSED_LABEL);
    if (focused === label) {
      await page.keyboard.press('Enter');
      // Done when the quick input closed, or when the pick reused it for a picker of its own.
      await page.waitForFunction(`(() => {
        const input = document.querySelector('.quick-input-widget input');
        return !input || !input.checkVisibility() || input.value !== ${JSON.stringify(typed)};
      })()`);
      return;
    }
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(`${FOCUSED_LABEL} !== ${JSON.stringify(focused)}`);
  }
  throw new Error(`quick input: could not focus "${label}" after typing "${typed}"`);
}

/** F1, type the command's title, pick exactly that command. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  // F1 opens the palette with a '>' prefix; keep it so we search commands, not files.
  await pickInQuickInput(page, `>${title}`, title);
}

/**
 * Switches the colour theme through F1 → "Preferences: Color Theme", e.g. 'Dark Modern',
 * 'Light Modern', 'Dark High Contrast'; resolves when the workbench carries the theme's class.
 */
export async function setColorTheme(page: Page, theme: string, kind: 'vs' | 'vs-dark' | 'hc-black' | 'hc-light'): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await pickInQuickInput(page, theme, theme);
  await page.locator(`.monaco-workbench.${kind}`).waitFor();
}

/** Ctrl+P, type the file name, pick it; resolves when its editor tab is the active one. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await pickInQuickInput(page, fileName, fileName);
  await activeTab(page, fileName).waitFor();
}

/** The active editor tab whose label is `label`. */
export function activeTab(page: Page, label: string) {
  return page.locator('.tabs-container .tab.active', { hasText: label });
}

/** Visible text of the active editor's lines (Monaco renders only what is on screen). */
export async function activeEditorText(page: Page): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
  return (await lines.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
}

/** The language the status bar names for the active editor (e.g. "CoW scenario"). */
export function statusBarLanguage(page: Page) {
  return page.locator('[id="status.editor.mode"]');
}

/**
 * The frame that holds `selector`. A webview is two nested iframes (index.html → fake.html), and
 * new ones appear as panels open, so every current and future frame is watched for the selector.
 * The default wait is long (120 s): a file's first panel waits for the workbench to warm up, which
 * took over 30 s on a busy CI machine.
 */
export async function findFrame(page: Page, selector: string, timeoutMs = 4 * DEFAULT_TIMEOUT_MS): Promise<Frame> {
  const watching = new Set<Frame>();
  let onFrame: (frame: Frame) => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Frame>((resolve, reject) => {
      onFrame = (frame) => {
        if (watching.has(frame)) return;
        watching.add(frame);
        frame.waitForSelector(selector, { state: 'attached', timeout: timeoutMs }).then(
          () => resolve(frame),
          () => watching.delete(frame),
        );
      };
      timer = setTimeout(() => reject(new Error(`no frame holds ${selector} after ${timeoutMs} ms`)), timeoutMs);
      page.on('frameattached', onFrame);
      page.on('framenavigated', onFrame);
      page.frames().forEach(onFrame);
    });
  } finally {
    clearTimeout(timer);
    page.off('frameattached', onFrame);
    page.off('framenavigated', onFrame);
  }
}

/** Webview content frames only (the inner fake.html of each webview). */
/**
 * Wait until `expression` is true in a webview frame. Playwright's own waitForFunction polls by
 * compiling the predicate inside the page, which the webview's CSP (no 'unsafe-eval') can refuse
 * once the first check is false; evaluate() goes through the debugging protocol, which the CSP
 * does not govern, so this polls from here instead.
 */
export async function waitInFrame(frame: Frame, expression: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await frame.evaluate(expression)) return;
    if (Date.now() > deadline) throw new Error(`waitInFrame: still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function webviewFrames(page: Page): Frame[] {
  return page.frames().filter((frame) => frame.url().includes('/webview/') && frame.url().includes('fake.html'));
}

/** Saves a PNG of the page into test-artifacts/ui/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Saves a PNG of just one frame's iframe element (e.g. a webview panel). */
export async function screenshotFrame(frame: Frame, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  const element = await frame.frameElement();
  await element.screenshot({ path: file });
  return file;
}
