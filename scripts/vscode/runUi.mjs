// Runs the UI tests (test/ui, playwright-core) against code-server with the packaged .vsix
// installed — the extension exactly as a user gets it — and a temporary copy of samples/ plus
// test/fixtures/ as the workspace. Usage: node scripts/vscode/runUi.mjs [--vsix FILE]
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCodeServer } from './codeServer.mjs';
import { artifactsDir, repoRoot } from './config.mjs';
import { COUNTS_ENV, reportCounts } from './counts.mjs';
import { packageExtension } from './package.mjs';
import { onSignalCleanup, startGroup } from './processes.mjs';
import { provision } from './provision.mjs';

/** The workspace a person would open: the shipped samples, plus the test fixtures. */
export function makeWorkspace(parent) {
  const workspace = join(parent, 'workspace');
  const samples = join(repoRoot, 'samples');
  if (existsSync(samples)) cpSync(samples, workspace, { recursive: true });
  cpSync(join(repoRoot, 'test', 'fixtures'), workspace, { recursive: true });
  return workspace;
}

/** @param {{ vsix?: string }} options */
export async function runUi(options = {}) {
  await provision();
  const vsix = options.vsix ?? (await packageExtension());
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist`);
  // Screenshots of this run only: a stale one from an earlier run would mislead.
  rmSync(join(artifactsDir, 'ui'), { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-ui-'));
  const countsFile = join(scratch, 'counts.json');
  const unregister = onSignalCleanup(async () => rmSync(scratch, { recursive: true, force: true }));
  let server;
  let mocha;
  try {
    const workspace = makeWorkspace(scratch);
    // A small, quick "Measure on My Machine" for test/ui/measure.test.ts (the default is 256 MiB × 5).
    server = await startCodeServer({ installExtensions: [vsix], settings: { 'cowLab.measure.mib': 8, 'cowLab.measure.samples': 2 } });
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
    console.log(`ui: workbench ${url}`);
    // Mocha in its own process group too: a test that hangs is stopped with everything else.
    mocha = startGroup(process.execPath, [
      join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      '--config', join(repoRoot, 'test', 'ui', '.mocharc.json'),
      '--reporter', join(repoRoot, 'scripts', 'count-reporter.cjs'),
      '--reporter-option', 'base=spec',
      // COW_LAB_UI_GREP=<title words> runs only the matching UI tests (one area while working on it).
      ...(process.env.COW_LAB_UI_GREP ? ['--grep', process.env.COW_LAB_UI_GREP] : []),
    ], {
      cwd: repoRoot,
      stdio: 'inherit',
      // COW_LAB_VSIX: tests that need a fresh profile start a code-server of their own with it.
      env: { ...process.env, COW_LAB_WORKBENCH_URL: url, COW_LAB_WORKSPACE: workspace, COW_LAB_VSIX: vsix, [COUNTS_ENV]: countsFile },
    });
    const { code } = await mocha.exited;
    if (!existsSync(countsFile)) {
      console.error(`ui: mocha exited with ${code} before reporting (see above)`);
      return { passes: 0, failures: 1 };
    }
    const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
    console.log(`ui: screenshots in ${join(artifactsDir, 'ui')}`);
    return { passes: counts.passes, failures: counts.failures || (code === 0 ? 0 : 1) };
  } finally {
    await mocha?.stop();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
    unregister();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const vsixIndex = process.argv.indexOf('--vsix');
  runUi({ vsix: vsixIndex > 0 ? process.argv[vsixIndex + 1] : undefined }).then(
    ({ passes, failures }) => {
      reportCounts(passes, failures);
      process.exit(failures > 0 ? 1 : 0);
    },
    (error) => {
      console.error(`ui: ${error.stack ?? error.message}`);
      reportCounts(0, 1);
      process.exit(1);
    },
  );
}
