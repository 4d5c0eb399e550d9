// One workbench per UI test file: the mocha hooks every file needs, written once. Call
// useWorkbench() inside a describe(): before() opens the workbench in a fresh browser, a failed
// test leaves a screenshot named after it (and the workbench console when asked), and after()
// puts the window back the way the next file expects it and closes the browser.
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, runCommand, screenshot, setColorTheme, workbenchTarget } from './workbench';

export interface WorkbenchSession {
  /** The workbench page; set once before() ran. */
  readonly page: Page;
}

export interface SessionOptions {
  /** After the file: back to Light Modern and no editors open (the next file starts from there). */
  tidy?: boolean;
  /** Runs before the browser starts; `this.skip()` there skips the whole file. */
  skipUnless?: () => string | undefined;
  /** Called once the page is open, e.g. to listen to its console. */
  onOpen?: (page: Page) => void;
  /** Extra lines printed under a failure's screenshot. */
  onFailure?: () => string[];
  /** Runs in after(), before the browser closes. */
  cleanUp?: (page: Page) => Promise<void>;
}

/** `failed-<prefix>-<title in kebab case>`: where a failed test's screenshot lands. */
export function failureName(prefix: string, title: string): string {
  return `failed-${prefix}-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}

export function useWorkbench(prefix: string, options: SessionOptions = {}): WorkbenchSession {
  let browser: Browser | undefined;
  let opened: Page | undefined;
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
    browser = await launchBrowser();
    opened = await openWorkbench(browser, workbenchTarget());
    options.onOpen?.(opened);
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state !== 'failed' || !opened) return;
    console.log(`    screenshot of the failure: ${await screenshot(opened, failureName(prefix, test.title))}`);
    for (const line of options.onFailure?.() ?? []) console.log(line);
  });

  after(async function () {
    this.timeout(120_000);
    if (opened) {
      if (options.cleanUp) await options.cleanUp(opened).catch(() => undefined);
      if (options.tidy) {
        await setColorTheme(opened, 'Light Modern', 'vs').catch(() => undefined);
        await runCommand(opened, 'View: Close All Editors').catch(() => undefined);
      }
    }
    await browser?.close();
  });

  return session;
}
