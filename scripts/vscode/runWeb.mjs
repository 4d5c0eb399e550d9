// The browser build in a real browser extension host: packs a .vsix whose manifest has only the
// `browser` entry (no `main`), installs it into code-server — whose workbench then runs the
// extension in its web worker extension host, as vscode.dev would — and runs the UI tests titled
// "browser build" against it (test/ui/web.test.ts). The manifest also contributes the internal
// host-report command, so the test can ask the extension where it runs.
// Usage: node scripts/vscode/runWeb.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { reportCounts } from './counts.mjs';
import { packageExtension } from './package.mjs';
import { runUi } from './runUi.mjs';

export const HOST_REPORT_COMMAND = { command: 'cowLab.web.writeHostReport', title: 'Write Host Report', category: 'CoW Lab Test' };

/** The manifest a browser-only install has: `browser` and no `main` (and the test's command). */
export function webOnly(manifest) {
  const { main: _main, bin: _bin, ...rest } = manifest;
  if (!rest.browser) throw new Error('package.json has no `browser` entry');
  return { ...rest, contributes: { ...rest.contributes, commands: [...(rest.contributes?.commands ?? []), HOST_REPORT_COMMAND] } };
}

export async function runWeb() {
  const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-web-'));
  try {
    const vsix = await packageExtension(join(scratch, 'cow-lab-web.vsix'), { editManifest: webOnly });
    process.env.COW_LAB_WEB_BUILD = '1';
    process.env.COW_LAB_UI_GREP = 'browser build';
    return await runUi({ vsix });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWeb().then(
    ({ passes, failures }) => {
      reportCounts(passes, failures);
      process.exit(failures > 0 ? 1 : 0);
    },
    (error) => {
      console.error(`web: ${error.stack ?? error.message}`);
      reportCounts(0, 1);
      process.exit(1);
    },
  );
}
