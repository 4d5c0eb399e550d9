// Entry point of the integration suite inside the VS Code extension host. Same contract as
// @vscode/test-electron's `extensionTestsPath`: export run(), resolve when all passed, reject
// otherwise. Both runners use it: runDesktop.ts (desktop VS Code) and the embedded code-server
// runner (scripts/vscode/runIntegration.mjs), which reads the results file named below.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Environment variable naming the JSON file that receives the results. */
export const RESULTS_ENV = 'COW_LAB_TEST_RESULTS';

export interface FailureDetail {
  title: string;
  error: string;
}

export interface SuiteResults {
  passes: number;
  failures: number;
  failuresDetail: FailureDetail[];
  passed: string[];
}

export function run(): Promise<void> {
  // No colours: the output travels through the workbench console to the runner.
  // COW_LAB_INTEGRATION_GREP=<title words> runs only the matching tests (one area while working on it).
  const grep = process.env.COW_LAB_INTEGRATION_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  // Test files are built next to this one (dist/test/integration/*.test.js).
  const testFiles = fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  for (const name of testFiles) mocha.addFile(path.join(__dirname, name));

  const results: SuiteResults = { passes: 0, failures: 0, failuresDetail: [], passed: [] };
  return new Promise((resolve, reject) => {
    if (testFiles.length === 0) {
      reject(new Error(`no *.test.js next to ${__filename}: build first (node scripts/build.mjs)`));
      return;
    }
    const runner = mocha.run((failures) => {
      results.passes = runner.stats?.passes ?? results.passed.length;
      results.failures = failures;
      writeResults(results);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.passed.push(test.fullTitle()));
    runner.on('fail', (test, error: Error) => {
      results.failuresDetail.push({ title: test.fullTitle(), error: error.stack ?? String(error) });
    });
  });
}

function writeResults(results: SuiteResults): void {
  const file = process.env[RESULTS_ENV];
  if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
}
