// The kernel conformance run (`npm run test:kernel`): every sample, the hand-written corpus and
// a few hundred seeded random scenarios (150 of them with pipes and pins) are played on the running Linux kernel and compared
// with the engine. Prints one line per failure with its side-by-side table, and ends with
// `N passed, N failed` alone on a line (what scripts/test-all.mjs counts).
//
//   tsx test/conformance/run.ts [--seeds N] [--ref-seeds N] [--seed S] [--only PATH] [--jobs N] [--verbose]
//
// Failing generated scenarios are written to test-artifacts/conformance/ to re-run with
// `cow-lab verify FILE`.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DriverBuildError, ensureDriver, findProjectRoot } from '../../src/verify/driver';
import { renderReport } from '../../src/verify/report';
import { kernelSupport, verifySource, type VerifyReport } from '../../src/verify/verify';
import { verifyStorageSource } from '../../src/verify/storage/check';
import { generateScenario } from './generate';
import { comparerSelfChecks } from './self-check';

interface Case {
  readonly name: string;
  readonly source: string;
  /** Written to test-artifacts when it fails (generated cases have no file of their own). */
  readonly generated: boolean;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function cowFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cow'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  const root = findProjectRoot(__dirname) ?? resolve(__dirname, '..', '..');
  const support = kernelSupport();
  if (!support.ok) {
    process.stdout.write(`skipped: ${support.reason}\n0 passed, 0 failed, 1 skipped\n`);
    return 0;
  }
  const started = Date.now();
  let binary: string;
  try {
    binary = await ensureDriver(root);
  } catch (e) {
    if (!(e instanceof DriverBuildError) || !e.missingCompiler) throw e;
    process.stdout.write(`skipped: ${e.message}\n0 passed, 0 failed, 1 skipped\n`);
    return 0;
  }

  const seeds = Number(option('seeds') ?? 500);
  const refSeeds = Number(option('ref-seeds') ?? 150);
  const firstSeed = Number(option('seed') ?? 1);
  const only = option('only');
  const verbose = process.argv.includes('--verbose');
  const cases: Case[] = [];
  if (only !== undefined) {
    cases.push({ name: only, source: readFileSync(only, 'utf8'), generated: false });
  } else {
    for (const file of [...cowFiles(join(root, 'samples')), ...cowFiles(join(root, 'test', 'conformance', 'corpus'))]) {
      cases.push({ name: relative(root, file), source: readFileSync(file, 'utf8'), generated: false });
    }
    for (let s = firstSeed; s < firstSeed + seeds; s++) cases.push({ name: `generated seed ${s}`, source: generateScenario(s), generated: true });
    // The same, with pipes (vmsplice, drain) and pins (io_uring fixed buffers) mixed in.
    for (let s = firstSeed; s < firstSeed + refSeeds; s++) cases.push({ name: `generated refs seed ${s}`, source: generateScenario(s, { references: true }), generated: true });
  }

  let passed = 0;
  let failed = 0;
  let notChecked = 0;
  let tolerated = 0;
  const fail = (text: string): void => {
    failed++;
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  };

  // The comparer must be able to fail: tampered engine traces have to be caught.
  if (only === undefined) {
    for (const check of await comparerSelfChecks(binary)) {
      if (check.ok) passed++;
      else fail(`FAIL comparer self-check: ${check.name}: ${check.message}`);
    }
  }

  // Two scenarios at a time at most, each pinned to a CPU of its own.
  const jobs = Math.max(1, Math.min(Number(option('jobs') ?? 2), availableParallelism()));
  let next = 0;
  const artifacts = join(root, 'test-artifacts', 'conformance');
  const worker = async (cpu: number): Promise<void> => {
    for (;;) {
      const c = cases[next++];
      if (!c) return;
      let report: VerifyReport;
      try {
        report = await verifySource(c.source, { binary, cpu, timeoutMs: 60_000 });
      } catch (e) {
        fail(`FAIL ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      tolerated += report.comparison?.tolerated.length ?? 0;
      // A hand-written scenario's `expect` lines are worked by hand from the kernel's rules:
      // one that fails on the engine is a failure too (the kernel comparison usually agrees).
      const failedExpectations = c.generated ? [] : (report.engine?.expectations ?? []).filter((x) => !x.passed);
      if (report.verdict === 'agrees' && failedExpectations.length > 0) {
        fail(`FAIL ${c.name}: the kernel agrees, but ${failedExpectations.map((x) => `line ${x.line}: ${x.message}`).join('; ')}`);
      } else if (report.verdict === 'agrees') {
        passed++;
        if (verbose) process.stdout.write(`ok   ${c.name}\n`);
      } else if (report.verdict === 'not-checked' && !c.generated) {
        notChecked++;
        process.stdout.write(`not checked: ${c.name}: ${report.reason ?? ''}\n`);
      } else {
        let where = c.name;
        if (c.generated) {
          mkdirSync(artifacts, { recursive: true });
          const file = join(artifacts, `${c.name.replace(/\W+/g, '-')}.cow`);
          writeFileSync(file, c.source);
          where = `${c.name} (${relative(root, file)})`;
        }
        const body = renderReport(where, report)
          .split('\n')
          .filter((l) => !l.startsWith('  not checked: the writable') && !l.startsWith('  not checked: the stats') && !l.startsWith('  note: '))
          .join('\n');
        fail(`FAIL ${body}${failedExpectations.map((x) => `  expectation failed on the engine, line ${x.line}: ${x.message}\n`).join('')}`);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, (_x, i) => worker(i % availableParallelism())));

  // Storage: volumes and containers on real btrfs, XFS, ext4 and overlayfs, one scenario at a
  // time (each mounts loop devices; the check runs synchronously). Samples with volumes were
  // played above through verifySource, which runs the same storage check.
  if (only === undefined) {
    for (const file of cowFiles(join(root, 'test', 'conformance', 'storage'))) {
      const name = relative(root, file);
      const report = await verifySource(readFileSync(file, 'utf8'), { binary, timeoutMs: 60_000 });
      const failedExpectations = (report.engine?.expectations ?? []).filter((x) => !x.passed);
      if (report.verdict === 'agrees' && failedExpectations.length === 0) {
        passed++;
        if (verbose) process.stdout.write(`ok   ${name}\n`);
      } else if (report.verdict === 'not-checked') {
        notChecked++;
        process.stdout.write(`not checked: ${name}: ${report.reason ?? ''}\n`);
      } else {
        fail(`FAIL ${renderReport(name, report)}${failedExpectations.map((x) => `  expectation failed on the engine, line ${x.line}: ${x.message}\n`).join('')}`);
      }
    }
    // The storage comparer must be able to fail: the model in mode eager copies where the file
    // systems share, and the check has to say so.
    const tampered = verifyStorageSource(readFileSync(join(root, 'test', 'conformance', 'storage', '02-xfs-reflink-write.cow'), 'utf8'), { compareWithEager: true });
    if (tampered.verdict === 'disagrees' && tampered.cleanup.length === 0) passed++;
    else if (tampered.verdict === 'not-checked') process.stdout.write(`not checked: storage comparer self-check: ${tampered.reason ?? ''}\n`);
    else fail(`FAIL storage comparer self-check: a model that copies on reflink was not caught (${tampered.verdict})`);
    // And btrfs's shared flag is read: compared per block (as XFS reports it), the snapshot's
    // partly rewritten 16-block extent must differ — btrfs flags the whole extent as shared.
    const perBlock = verifyStorageSource(readFileSync(join(root, 'test', 'conformance', 'storage', '01-btrfs-snapshot-write.cow'), 'utf8'), { btrfsFlagPerBlock: true });
    if (perBlock.verdict === 'disagrees' && perBlock.cleanup.length === 0) passed++;
    else if (perBlock.verdict === 'not-checked') process.stdout.write(`not checked: btrfs shared-flag self-check: ${perBlock.reason ?? ''}\n`);
    else fail(`FAIL btrfs shared-flag self-check: btrfs's per-extent flag read per block showed no difference (${perBlock.verdict})`);
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `kernel conformance: ${cases.length} scenarios in ${seconds} s` +
      `${notChecked ? `, ${notChecked} not checked` : ''}${tolerated ? `, ${tolerated} tolerated kernel deviations` : ''}\n`,
  );
  // Scenarios the kernel cannot play (eager mode, too large) count as skipped, with their reasons above.
  process.stdout.write(`${passed} passed, ${failed} failed, ${notChecked} skipped\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stdout.write(`FAIL kernel conformance could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n0 passed, 1 failed\n`);
    process.exitCode = 1;
  },
);
