// One workbench window for the whole UI run, shared by every test file: opening a window (a
// browser, the workbench's load, a new extension host) took about 14 s per file, and each new
// window's first panel 12–36 s more to warm up. Call useWorkbench() inside a describe(): before()
// opens the window the first time and otherwise puts the shared one back in the state a fresh
// window starts in (resetWindow below) — so no file depends on what the file before it left; a
// failed test leaves a screenshot named after it (and the workbench console when asked); after()
// runs the file's own clean-up. If the window cannot be put back (it crashed, a dialog will not
// close), a new one is opened.
// steps() chains the tests of a describe block that continue from each other: a test selected on
// its own (COW_LAB_UI_GREP) first runs the tests before it that it needs.
import type { Browser, Page } from 'playwright-core';
import launch from '../../scripts/vscode/chromium.json';
import { launchBrowser, openWorkbench, runCommand, screenshot, setColorTheme, webviewFrames, workbenchTarget } from './workbench';

export interface WorkbenchSession {
  /** The workbench page; set once before() ran. */
  readonly page: Page;
}

export interface SessionOptions {
  /** Runs before the window is opened or reset; `this.skip()` there skips the whole file. */
  skipUnless?: () => string | undefined;
  /** Called once the page is ready for this file, e.g. to listen to its console; may return what undoes that (called in after()). */
  onOpen?: (page: Page) => void | (() => void);
  /** Extra lines printed under a failure's screenshot. */
  onFailure?: () => string[];
  /** Runs in after(): what only this file changes and a fresh window would not have (predict mode on, a kept measurement). */
  cleanUp?: (page: Page) => Promise<void>;
}

/** `failed-<prefix>-<title in kebab case>`: where a failed test's screenshot lands. */
export function failureName(prefix: string, title: string): string {
  return `failed-${prefix}-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}

let shared: { browser: Browser; page: Page } | undefined;

const visible = async (page: Page, selector: string): Promise<boolean> => page.locator(selector).first().isVisible().catch(() => false);

/**
 * Back to what a fresh window shows (each step but the last only when needed): the viewport,
 * nothing open over the workbench, no debug session, no breakpoints, no editors (unsaved ones
 * reverted), no secondary side bar or bottom panel, the Explorer, the light theme the user
 * settings hold after the first file set it, no notifications; and the panel's comparison and
 * predict mode off, which CoW Lab keeps in memory between panels.
 */
async function resetWindow(page: Page): Promise<void> {
  let doing = '';
  const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    doing = what;
    await action();
  };
  try {
    const { width, height } = launch.viewport;
    const size = page.viewportSize();
    if (size?.width !== width || size.height !== height) await step('viewport', () => page.setViewportSize({ width, height }));
    for (let i = 0; i < 3 && (await visible(page, '.quick-input-widget input, .context-view .monaco-menu, .monaco-dialog-box')); i++) await page.keyboard.press('Escape');
    if (await visible(page, '.debug-toolbar')) {
      await step('the debug session', async () => {
        await page.keyboard.press('Shift+F5');
        await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
      });
    }
    if ((await page.locator('.monaco-editor [class*="codicon-debug-breakpoint"]').count()) > 0) await step('breakpoints', () => runCommand(page, 'Remove All Breakpoints'));
    // The panel's toggles are kept in the extension's memory from one panel to the next (this
    // web workbench cannot restart the extension host; a reload would cost what a new window
    // does): off again, as a fresh window has them, while the panel is still open.
    for (const frame of webviewFrames(page)) {
      for (const [name, checked] of [['comparison', 'vscode-checkbox.compare[checked]'], ['predict mode', 'vscode-checkbox.predict-toggle[checked]']] as const) {
        if ((await frame.locator(checked).count().catch(() => 0)) === 0) continue;
        await step(`the panel's ${name}`, async () => {
          await frame.locator(checked).click();
          await frame.locator(checked).waitFor({ state: 'detached' });
        });
      }
    }
    const dirty = page.locator('.tabs-container .tab.dirty');
    while ((await dirty.count()) > 0) {
      await step('unsaved editors', async () => {
        await dirty.first().click();
        await runCommand(page, 'View: Revert and Close Editor');
      });
    }
    if ((await page.locator('.tabs-container .tab').count()) > 0 || (await page.locator('.editor-group-container').count()) > 1) {
      await step('editors', async () => {
        await runCommand(page, 'View: Close All Editor Groups');
        await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
      });
    }
    if (await visible(page, '.part.auxiliarybar')) await step('secondary side bar', () => runCommand(page, 'View: Hide Secondary Side Bar'));
    if (await visible(page, '.part.panel')) await step('panel', () => runCommand(page, 'View: Hide Panel'));
    if (!(await visible(page, '.explorer-folders-view'))) {
      await step('Explorer', async () => {
        await page.keyboard.press('Control+Shift+E');
        await page.locator('.explorer-folders-view').waitFor();
      });
    }
    if ((await page.locator('.monaco-workbench.vs').count()) === 0) await step('theme', () => setColorTheme(page, 'Light Modern', 'vs'));
    if (await visible(page, '.notifications-toasts .notification-toast')) await step('notifications', () => runCommand(page, 'Notifications: Clear All Notifications'));
  } catch (e) {
    throw new Error(`${doing}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

/** The shared window, put back as a fresh one is; a new window if that fails. */
async function readyPage(): Promise<{ page: Page; reused: boolean }> {
  if (shared?.browser.isConnected() && !shared.page.isClosed()) {
    try {
      await resetWindow(shared.page);
      return { page: shared.page, reused: true };
    } catch (e) {
      console.log(`    the shared window could not be reset (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): opening a new one`);
    }
  }
  await shared?.browser.close().catch(() => undefined);
  shared = undefined;
  const browser = await launchBrowser();
  shared = { browser, page: await openWorkbench(browser, workbenchTarget()) };
  return { page: shared.page, reused: false };
}

// The root suite's after(): the browser closes once, when every file has run.
after(async function () {
  this.timeout(60_000);
  await shared?.browser.close().catch(() => undefined);
  shared = undefined;
});

export function useWorkbench(prefix: string, options: SessionOptions = {}): WorkbenchSession {
  let opened: Page | undefined;
  let undoOpen: (() => void) | undefined;
  const session: WorkbenchSession = {
    get page(): Page {
      if (!opened) throw new Error('the workbench is not open yet (useWorkbench runs in before())');
      return opened;
    },
  };

  before(async function () {
    // A shared, busy machine: the workbench's first load alone has taken over a minute.
    this.timeout(300_000);
    const reason = options.skipUnless?.();
    if (reason !== undefined) {
      console.log(`    skipped: ${reason}`);
      this.skip();
    }
    const started = Date.now();
    const ready = await readyPage();
    opened = ready.page;
    // How long each file waited for its window, printed for the layer's time (never asserted).
    console.log(`    window ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${ready.reused ? 'the shared one, reset' : 'a new one'})`);
    undoOpen = options.onOpen?.(opened) ?? undefined;
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state !== 'failed' || !opened) return;
    console.log(`    screenshot of the failure: ${await screenshot(opened, failureName(prefix, test.title))}`);
    for (const line of options.onFailure?.() ?? []) console.log(line);
  });

  after(async function () {
    this.timeout(120_000);
    if (opened && options.cleanUp) await options.cleanUp(opened).catch(() => undefined);
    undoOpen?.();
  });

  return session;
}

interface Step {
  readonly body: () => Promise<void>;
  readonly timeoutMs: number;
  ran: boolean;
}

/**
 * Tests that continue from each other (run a scenario, then step it, then check it again):
 * declare them in order with the function this returns instead of `it`. A test whose earlier
 * steps did not run in this window — a grep selected it alone — runs them first, checks included,
 * with their time allowed too; in a whole run each body runs once, in order. A step that failed
 * is not run again for the next one.
 */
export function steps(): (title: string, body: () => Promise<void>, timeoutMs?: number) => void {
  const declared: Step[] = [];
  return (title, body, timeoutMs = 120_000) => {
    const index = declared.length;
    declared.push({ body, timeoutMs, ran: false });
    it(title, async function () {
      const pending = declared.slice(0, index + 1).filter((s) => !s.ran);
      this.timeout(pending.reduce((sum, s) => sum + s.timeoutMs, 0));
      for (const step of pending) {
        step.ran = true;
        await step.body();
      }
    });
  };
}
