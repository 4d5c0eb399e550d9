// The analysis service: one parse and one run per document version, however many features ask;
// a document the panel watches is run once, on the host, and its diagnostics read off that run;
// a newer version cancels the older one's work. Served by the inline endpoint (the worker's own
// loop on this thread); the real worker thread is exercised by `npm run bench` (bench/typing.ts).
import * as assert from 'node:assert/strict';
import { inlineEndpoint } from '../../../src/analysis/inline';
import { AnalysisService, type AnalysisDocument } from '../../../src/analysis/service';
import { hostRunner } from '../../../src/analysis/hostRunner';
import { analyze } from '../../../src/language';
import { runForPanel, runForPanelSliced } from '../../../src/panel/scenarioRun';

// Worked by hand: one page written, forked, the child writes it -> one copy, so `copies == 2` fails.
const SOURCE = 'process p\np: map heap 1 private\np: write heap[0] "a"\np: fork c\nc: write heap[0] "b"\nexpect copies == 2\n';

function doc(version: number, text = SOURCE): AnalysisDocument {
  return { uri: 'file:///s.cow', version, fileName: 's.cow', getText: () => text };
}

describe('analysis service', () => {
  let service: AnalysisService;
  beforeEach(() => {
    service = new AnalysisService(inlineEndpoint);
    service.useHostRunner(hostRunner);
  });
  afterEach(() => service.dispose());

  it('parses and runs a version once, whoever asks', async () => {
    const [hover, outline, d1, d2] = await Promise.all([
      service.query(doc(1), { kind: 'hover', line: 4, col: 4 }),
      service.query(doc(1), { kind: 'outline' }),
      service.diagnostics(doc(1)),
      service.diagnostics(doc(1)),
    ]);
    assert.match(hover?.markdown ?? '', /fork/);
    assert.deepEqual(outline?.map((n) => n.name), ['p', 'c']);
    assert.deepEqual(d1, d2);
    assert.deepEqual(d1?.map((d) => d.code), ['expect-failed']);
    assert.match(d1?.[0]?.message ?? '', /copies is 1/);
    assert.deepEqual([service.stats.analyses, service.stats.scenarioRuns], [1, 1]);
  });

  it('runs a watched document once, on the host, for the panel and the Problems view', async () => {
    const watch = service.watchFullRuns('file:///s.cow');
    const [diagnostics, full] = await Promise.all([service.diagnostics(doc(1)), service.fullRun(doc(1))]);
    assert.deepEqual(diagnostics?.map((d) => d.code), ['expect-failed'], "the run's failed expectation, read off the full run");
    assert.ok(full?.attempt.ok);
    if (full?.attempt.ok) assert.equal(full.attempt.run.steps.length, 6);
    assert.equal(service.stats.scenarioRuns, 1);
    watch.dispose();
  });

  it('fetches a long program from the worker in parts, whole and in order', async () => {
    // 450 writes after the fork: more than two parts of 200 statements. Worked by hand: the child
    // writes page 0 first (one copy, 'b0'); every later write hits a page its writer owns alone.
    const lines = ['process p', 'p: map heap 1 private', 'p: write heap[0] "a"', 'p: fork c'];
    for (let i = 0; i < 450; i++) lines.push(`${i % 2 ? 'p' : 'c'}: write heap[0] "${i % 2 ? 'a' : 'b'}${i}"`);
    lines.push('expect copies == 1');
    const source = `${lines.join('\n')}\n`;
    service.watchFullRuns('file:///s.cow');
    const full = await service.fullRun(doc(1, source));
    assert.deepEqual(full?.analysis.program.statements, analyze(source).program.statements, 'the same statements as a parse on this thread');
    assert.ok(full?.attempt.ok);
    if (full?.attempt.ok) assert.equal(full.attempt.run.steps.length, 455);
    assert.deepEqual(await service.diagnostics(doc(1, source)), [], 'copies == 1 holds');
  });

  it('cancels an older version when a newer one arrives', async () => {
    const old = service.diagnostics(doc(1));
    const fixed = SOURCE.replace('copies == 2', 'copies == 1');
    const current = service.diagnostics(doc(2, fixed));
    assert.equal(await old, undefined, 'nobody waits for the superseded version');
    assert.deepEqual(await current, []);
    assert.equal(service.stats.cancelled, 1);
    assert.equal(service.stats.scenarioRuns, 1, 'the superseded version never ran');
    assert.equal(await service.analysis(doc(1)), undefined, 'an older version than the cached one is not analysed');
  });

  it('does not run a scenario over the as-you-type budget, and says so on its first expect', async () => {
    const big = 'process p\np: map big 1000000 private\np: write big[0..999999] "x"\nexpect frames == 1000000\n';
    const found = await service.diagnostics(doc(1, big));
    assert.deepEqual(found?.map((d) => d.code), ['not-run']);
    assert.equal(service.stats.scenarioRuns, 0);
  });

  it('answers nothing once disposed', async () => {
    service.dispose();
    assert.equal(await service.analysis(doc(1)), undefined);
  });
});

describe('analysis service: documents reopened under the same uri', () => {
  it('tells a reopened document (version 1 again) from the closed one', async () => {
    const service = new AnalysisService(inlineEndpoint);
    service.useHostRunner(hostRunner);
    const first = { ...doc(1), instance: {} };
    const second = { ...doc(1, SOURCE.replace('copies == 2', 'copies == 1')), instance: {} };
    assert.deepEqual((await service.diagnostics(first))?.map((d) => d.code), ['expect-failed']);
    service.forget(first.uri, second.instance); // a late close of another document changes nothing
    assert.deepEqual(await service.diagnostics(second), [], 'the second document has its own analysis');
    service.forget(second.uri, first.instance);
    assert.deepEqual(await service.diagnostics(second), []);
    service.dispose();
  });
});

describe('the panel run in slices', () => {
  // Worked by hand: 300 one-page writes after a fork, alternating writers; the child's first write
  // copies the shared page and the parent's page is then its own again (one copy in all).
  const lines = ['process p', 'p: map heap 1 private', 'p: write heap[0] "a"', 'p: fork c'];
  for (let i = 0; i < 300; i++) lines.push(`${i % 2 ? 'p' : 'c'}: write heap[0] "v${i}"`);
  const source = `${lines.join('\n')}\n`;

  it('produces what the run in one go produces', async () => {
    const whole = runForPanel(source, 's.cow', 1);
    let pauses = 0;
    const sliced = await runForPanelSliced(source, 's.cow', 1, analyze(source), () => (pauses++, false), 0);
    assert.equal(pauses, 304 + 304, 'a pause after each statement and after each replayed one');
    assert.ok(whole.ok && sliced?.ok);
    if (!whole.ok || !sliced?.ok) return;
    assert.equal(sliced.run.steps.length, 304);
    assert.deepEqual(sliced.run.stats, whole.run.stats);
    assert.deepEqual(sliced.run.comparison.stats, whole.run.comparison.stats);
    assert.equal(sliced.run.stats.at(-1)?.copies, 1);
  });

  it('stops between slices when told (a newer version superseded it)', async () => {
    // Slices of 0 ms: a pause after every statement. Told to stop at the third pause.
    let pauses = 0;
    const stopped = await runForPanelSliced(source, 's.cow', 1, analyze(source), () => ++pauses === 3, 0);
    assert.equal(stopped, undefined);
    assert.equal(pauses, 3);
  });
});
