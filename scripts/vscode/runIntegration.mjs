// The default runner of the integration suite (test/integration): code-server serves VS Code,
// chromium opens the workbench with the smoke-test driver's payload (extensionDevelopmentPath +
// extensionTestsPath), the suite runs in the real extension host and the workbench calls
// window.codeAutomationExit(code) when it ends. Usage: node scripts/vscode/runIntegration.mjs
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { artifactsDir, repoRoot } from './config.mjs';
import { reportCounts } from './counts.mjs';
import { onSignalCleanup } from './processes.mjs';
import { provision } from './provision.mjs';

const SUITE_INDEX = join(repoRoot, 'dist', 'test', 'integration', 'index');
const FIXTURES = join(repoRoot, 'test', 'fixtures');
/** A guard against a hung suite, not a wait: the suite's end is an event (codeAutomationExit). */
const SUITE_TIMEOUT_MS = 10 * 60_000;

/** Lines the workbench prints that mean nothing offline (see real-vscode.md). */
const NOISE = /ENOTFOUND|marketplace|gallery|telemetry|Failed to load resource|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|net::ERR_/i;

export async function runIntegration() {
  if (!existsSync(`${SUITE_INDEX}.js`)) throw new Error(`${SUITE_INDEX}.js is missing: run node scripts/build.mjs first`);
  await provision();
  const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-integration-'));
  const workspace = join(scratch, 'workspace');
  cpSync(FIXTURES, workspace, { recursive: true });
  const resultsFile = join(scratch, 'results.json');
  const unregister = onSignalCleanup(async () => rmSync(scratch, { recursive: true, force: true }));

  let server;
  let browser;
  try {
    server = await startCodeServer({ smokeTestDriver: true, env: { COW_LAB_TEST_RESULTS: resultsFile } });
    const authority = `vscode-remote://127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `${authority}${repoRoot}`],
      ['extensionTestsPath', `${authority}${SUITE_INDEX}`],
    ];
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await launchChromium(join(scratch, 'browser-home'));
    const page = await browser.newPage();
    let exposed;
    const consoleLines = [];
    let timer;
    const exitCode = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} min`)), SUITE_TIMEOUT_MS);
      page.on('crash', () => reject(new Error('the workbench page crashed')));
      server.exited.then(() => reject(new Error(`code-server died:\n${server.tail()}`)));
      // Must exist before the workbench loads: it calls this with 0 (all passed) or 1.
      exposed = page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    exitCode.finally(() => clearTimeout(timer)).catch(() => undefined);
    await exposed;
    // The suite's own output (mocha's spec reporter) reaches us through the workbench console;
    // it is kept in a log, printed only when the suite fails.
    page.on('console', (message) => {
      const text = message.text().replace(/%c\s*(\w+)\s*color: #\w+ /, '$1 ');
      if (!NOISE.test(text)) consoleLines.push(text);
    });
    // Only until the navigation commits: on a loaded machine "load" can take longer than
    // playwright's 30 s default, and the suite's own timer above already bounds the wait.
    await page.goto(url, { waitUntil: 'commit' });
    const code = await exitCode;
    const counts = summarize(resultsFile, code);
    saveConsole(consoleLines, counts.failures > 0);
    return counts;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
    unregister();
  }
}

function saveConsole(lines, print) {
  mkdirSync(join(artifactsDir, 'integration'), { recursive: true });
  const file = join(artifactsDir, 'integration', 'workbench-console.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  if (print) console.log(`--- workbench console (tail; whole log in ${file}) ---\n${lines.slice(-60).join('\n')}`);
}

function summarize(resultsFile, exitCode) {
  if (!existsSync(resultsFile)) {
    console.error(`integration: the suite wrote no results (workbench exit code ${exitCode})`);
    return { passes: 0, failures: 1 };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const title of results.passed) console.log(`  ✓ ${title}`);
  for (const failure of results.failuresDetail) console.log(`  ✗ ${failure.title}\n${failure.error.replace(/^/gm, '      ')}`);
  // A non-zero exit with no failing test still fails the layer (e.g. run() rejected on loading).
  const failures = results.failures > 0 || exitCode === 0 ? results.failures : 1;
  return { passes: results.passes, failures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runIntegration().then(
    ({ passes, failures }) => {
      reportCounts(passes, failures);
      process.exit(failures > 0 ? 1 : 0);
    },
    (error) => {
      console.error(`integration: ${error.stack ?? error.message}`);
      reportCounts(0, 1);
      process.exit(1);
    },
  );
}
