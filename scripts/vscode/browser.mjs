// Debian's chromium driven by playwright-core (no browser download: executablePath).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumLaunch } from './config.mjs';

/**
 * Launches headless chromium with HOME/XDG inside `home` so it writes nothing to the real home.
 * Playwright kills it when this process exits; callers still close it in `finally`.
 * @param {string} home
 */
export async function launchChromium(home) {
  mkdirSync(join(home, '.config'), { recursive: true });
  return chromium.launch({
    executablePath: chromiumLaunch.executablePath,
    args: chromiumLaunch.args,
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
  });
}
