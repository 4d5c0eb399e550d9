// Renders media/icon.svg to the 256×256 media/icon.png the Marketplace shows (it rejects SVG
// icons), with Debian's chromium. Usage: node scripts/vscode/renderIcon.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser.mjs';
import { repoRoot } from './config.mjs';

const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
const home = mkdtempSync(join(tmpdir(), 'cow-lab-icon-'));
const browser = await launchChromium(home);
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
  await page.screenshot({ path: join(repoRoot, 'media', 'icon.png'), omitBackground: true });
  console.log('wrote media/icon.png');
} finally {
  await browser.close();
  rmSync(home, { recursive: true, force: true });
}
