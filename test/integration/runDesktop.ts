// Runs the integration suite in a desktop VS Code with @vscode/test-electron, for machines that can
// download VS Code (this project's CI cannot: it uses scripts/vscode/runIntegration.mjs, the same
// suite in code-server). On Linux without a display, run under xvfb-run.
// Usage: npm run test:desktop   (COW_LAB_VSCODE_VERSION=1.139.1 by default, or 'stable')
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { RESULTS_ENV, type SuiteResults } from './index';

const root = path.resolve(__dirname, '..', '..');
/** The same VS Code as the embedded runner (code-server 4.139.1). */
const version = process.env.COW_LAB_VSCODE_VERSION ?? '1.139.1';

async function main(): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cow-lab-desktop-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures'), workspace, { recursive: true });
  const resultsFile = path.join(scratch, 'results.json');
  try {
    const exitCode = await runTests({
      version,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist', 'test', 'integration', 'index'),
      extensionTestsEnv: { [RESULTS_ENV]: resultsFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user-data')],
    }).catch((error: unknown) => {
      console.error(`test:desktop: could not run VS Code ${version}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
    if (!fs.existsSync(resultsFile)) {
      console.log('0 passed, 1 failed');
      return 1;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteResults;
    for (const failure of results.failuresDetail) console.log(`  ✗ ${failure.title}\n${failure.error}`);
    const failures = results.failures > 0 || exitCode === 0 ? results.failures : 1;
    console.log(`${results.passes} passed, ${failures} failed`);
    return failures > 0 ? 1 : 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
