// `npm test`: every test layer, one `layer: N passed, N failed` line each, then the total alone on
// the last line; exits non-zero if any layer failed. Layers:
//   static       the type check of every tsconfig and ESLint with the layering rules
//                (scripts/static-checks.mjs; esbuild and tsx strip types without checking)
//   unit         mocha on Node (test/unit), counted by scripts/count-reporter.cjs
//   grammar      the TextMate grammar's scope fixtures (test/grammar, vscode-tmgrammar-test)
//   kernel       the kernel conformance check: scenarios played on the real kernel (test:kernel)
//   integration  the suite in test/integration, inside a real VS Code (code-server + chromium)
//   ui           playwright-core against the workbench with the packaged .vsix installed
//   web          the browser build alone (a .vsix with only `browser`) in code-server's web
//                worker extension host (scripts/vscode/runWeb.mjs, test/ui/web.test.ts)
// Before them: package the .vsix once (production build), then a development build for the rest.
// Then three lanes at once on two cores: the unit tests but the fuzz test, then kernel (their
// output held back and printed whole when each ends); static, grammar, then the unit layer's fuzz
// test (test/unit/language/fuzz.test.ts, 100,000 cases, about half the unit layer's time, in a
// mocha process of its own); and provision (mostly downloads and disk). The unit test that times
// this machine's forks and faults (cli-measure) runs after them, alone. The real-VS Code layers
// (integration, ui, web) follow one at a time: each drives a code-server and a browser.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest, repoRoot } from './vscode/config.mjs';
import { COUNTS_ENV } from './vscode/counts.mjs';
import { onSignalCleanup, startGroup } from './vscode/processes.mjs';
import { provision } from './vscode/provision.mjs';
import { packageExtension } from './vscode/package.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'cow-lab-test-all-'));
onSignalCleanup(async () => rmSync(scratch, { recursive: true, force: true }));
const results = [];
const timings = [];

function banner(title) {
  console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);
}

async function timed(label, step) {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

const FUZZ = 'test/unit/language/fuzz.test.ts';
/** Times forks and page faults on this machine: runs alone, after the lanes (noise makes it fail). */
const MEASURE = 'test/unit/measure/cli-measure.test.ts';

/** Adds a layer's counts (a layer run in parts, as unit is, adds up). */
function addResult(name, counts) {
  const known = results.find((r) => r.name === name);
  if (!known) results.push({ name, ...counts });
  else for (const key of ['passes', 'failures', 'skipped']) known[key] += counts[key];
}

/**
 * Runs one layer's process (or a part of it, `label`) in its own group and reads the counts it
 * wrote. `held`: keep its output and print it, under its banner, once it ends (a layer running
 * beside others).
 */
async function countedLayer(name, command, args, { env = {}, held = false, label = name } = {}) {
  if (!held) banner(label);
  const countsFile = join(scratch, `${label.replace(/\W+/g, '-')}.json`);
  const child = startGroup(command, args, { cwd: repoRoot, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env, [COUNTS_ENV]: countsFile } });
  let output = '';
  if (held) {
    child.child.stdout?.on('data', (chunk) => (output += chunk));
    child.child.stderr?.on('data', (chunk) => (output += chunk));
  }
  const { code } = await child.exited;
  await child.stop();
  if (held) {
    banner(`${label} (ran beside the layers above)`);
    process.stdout.write(output);
  }
  let counts = { passes: 0, failures: 0, skipped: 0 };
  if (existsSync(countsFile)) counts = { skipped: 0, ...JSON.parse(readFileSync(countsFile, 'utf8')) };
  // A crash before counting, or a non-zero exit with nothing failed, still fails the layer.
  if (code !== 0 && counts.failures === 0) counts.failures = 1;
  addResult(name, counts);
}

/** Runs a command, echoing its output (`held`: only returning it), and returns { code, output }. */
function runEchoed(command, args, held = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      if (!held) stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Counts from the last `N passed, N failed[, N skipped]` line of a command, else 1 passed/failed
 * by exit code. A layer that cannot run here says `skipped: reason` and counts as skipped.
 */
function countsFromOutput({ code, output }) {
  const lines = output.split('\n').filter((line) => /^\s*(?:[\w-]+:\s*)?\d+ passed, \d+ failed/.test(line));
  const last = lines.at(-1)?.match(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/);
  const counts = last
    ? { passes: Number(last[1]), failures: Number(last[2]), skipped: Number(last[3] ?? 0) }
    : { passes: code === 0 ? 1 : 0, failures: code === 0 ? 0 : 1, skipped: 0 };
  if (code !== 0 && counts.failures === 0) counts.failures = 1;
  return counts;
}

async function runKernel(held) {
  if (!held) banner('kernel');
  const ran = await runEchoed('npm', ['run', '--silent', 'test:kernel'], held);
  if (held) {
    banner('kernel (ran beside the layers above)');
    process.stdout.write(ran.output);
  }
  addResult('kernel', countsFromOutput(ran));
}

/** vscode-tmgrammar-test prints one line per fixture file: ✓ for a file whose assertions all hold. */
async function runGrammar() {
  banner('grammar');
  const { code, output } = await runEchoed('npm', ['run', '--silent', 'test:grammar']);
  const passes = (output.match(/^\s*✓/gm) ?? []).length;
  let failures = (output.match(/^\s*[✗✖]/gm) ?? []).length;
  if (code !== 0 && failures === 0) failures = 1;
  addResult('grammar', { passes, failures, skipped: 0 });
}

function failLayers(names, reason) {
  for (const name of names) {
    banner(name);
    console.error(`${name}: not run: ${reason}`);
    results.push({ name, passes: 0, failures: 1, skipped: 0 });
  }
}

async function runStatic() {
  banner('static');
  addResult('static', countsFromOutput(await runEchoed(process.execPath, ['scripts/static-checks.mjs'])));
}

async function main() {
  banner('package');
  let vsix;
  try {
    vsix = await timed('package', () => packageExtension());
  } catch (error) {
    console.error(`package: ${error.message}`);
  }
  banner('build');
  const built = await timed('build', () => runEchoed(process.execPath, ['scripts/build.mjs']));
  if (built.code !== 0) {
    await timed('static', runStatic);
    failLayers(['unit', 'grammar', 'kernel', 'integration', 'ui', 'web'], 'the build failed (see above)');
    return;
  }
  const mocha = (label, args, held) => countedLayer('unit', process.execPath, [
    join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...args,
    '--reporter', join(repoRoot, 'scripts', 'count-reporter.cjs'), '--reporter-option', 'base=dot',
  ], { env: vsix ? { COW_LAB_VSIX: vsix } : {}, held, label });
  const provisioning = (async () => {
    try {
      await timed('provision', provision);
      return true;
    } catch (error) {
      failLayers(['integration', 'ui', 'web'], error.message);
      return false;
    }
  })();
  const laneA = (async () => {
    await timed('unit but fuzz+measure', () => mocha('unit (all but the fuzz and measure tests)', [`--ignore=${FUZZ}`, `--ignore=${MEASURE}`], true));
    await timed('kernel', () => runKernel(true));
  })();
  const laneB = (async () => {
    await timed('static', runStatic);
    await timed('grammar', runGrammar);
    await timed('unit fuzz', () => mocha('unit (the fuzz test)', [FUZZ], false));
  })();
  const [provisioned] = await Promise.all([provisioning, laneA, laneB]);
  await timed('unit measure', () => mocha('unit (the measure test, alone)', [MEASURE], false));
  if (!provisioned) return;
  await timed('integration', () => countedLayer('integration', process.execPath, ['scripts/vscode/runIntegration.mjs']));
  if (vsix) await timed('ui', () => countedLayer('ui', process.execPath, ['scripts/vscode/runUi.mjs', '--vsix', vsix]));
  else failLayers(['ui'], 'packaging the .vsix failed (see above)');
  await timed('web', () => countedLayer('web', process.execPath, ['scripts/vscode/runWeb.mjs']));
}

const started = Date.now();
try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`\ntimings: ${timings.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
// The layers in their fixed order (two of them finish in either order).
const ORDER = ['static', 'unit', 'grammar', 'kernel', 'integration', 'ui', 'web'];
results.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
for (const { name, passes, failures, skipped } of results) console.log(`${name}: ${passes} passed, ${failures} failed, ${skipped} skipped`);
const passes = results.reduce((sum, r) => sum + r.passes, 0);
const failures = results.reduce((sum, r) => sum + r.failures, 0);
const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
console.log(`${passes} passed, ${failures} failed, ${skipped} skipped`);
process.exit(failures > 0 ? 1 : 0);
