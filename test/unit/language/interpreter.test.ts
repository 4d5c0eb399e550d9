// The interpreter on the real engine. Expected frames are worked by hand from the engine's
// documented allocator (issue 2: lowest free frame first; frames are numbered from 1, the
// zero page is apart) and the kernel paths in linux-cow.md.
import * as assert from 'node:assert/strict';
import { Interpreter, interpret, parse, runScenario, type RunResult } from '../../../src/language';

function run(source: string): RunResult {
  const outcome = runScenario(source);
  assert.ok(outcome.ok, `scenario failed: ${JSON.stringify(outcome.ok ? [] : outcome.diagnostics.map((d) => d.message))}`);
  return outcome.run;
}

const frames = (r: RunResult, process: string, region: string, state = r.timeline.length - 1) => {
  const m = r.timeline.at(state);
  const pages = m.regions(process).find((x) => x.name === region)?.pages ?? 0;
  return Array.from({ length: pages }, (_, i) => m.pte(process, region, i).frame);
};

const SCENARIO = `process p
p: map heap 4 private
p: write heap[0..2] "a"
p: fork c
c: write heap[0] "b"
checkpoint "after copy"
expect copies == 1
c: exit
p: write heap[3] "d"
`;

describe('interpreter: one step per statement', () => {
  const r = run(SCENARIO);

  it('makes one step per statement, with its source range', () => {
    assert.equal(r.steps.length, 9);
    assert.deepEqual(r.steps.map((s) => s.range.line), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(r.steps.map((s) => s.statement.kind), ['process', 'map', 'write', 'fork', 'write', 'checkpoint', 'expect', 'exit', 'write']);
    assert.equal(r.completed, true);
  });

  it('gives each step a handle on the state after it (a timeline index)', () => {
    // 7 engine operations: process, map, write, fork, write, exit, write. expect/checkpoint do not move the state.
    assert.deepEqual(r.steps.map((s) => s.state), [1, 2, 3, 4, 5, 5, 5, 6, 7]);
    assert.equal(r.timeline.length, 8);
  });

  it('leads to the frames worked by hand', () => {
    // write heap[0..2]: three untouched pages, do_anonymous_page, frames 1, 2, 3.
    assert.deepEqual(frames(r, 'p', 'heap', 3), [1, 2, 3, null]);
    // fork: the child's entries point at the same frames.
    assert.deepEqual(frames(r, 'c', 'heap', 4), [1, 2, 3, null]);
    // c writes heap[0]: frame 1 is mapped twice → wp_page_copy into the lowest free frame, 4.
    assert.deepEqual(frames(r, 'c', 'heap', 5), [4, 2, 3, null]);
    assert.deepEqual(frames(r, 'p', 'heap', 5), [1, 2, 3, null]);
    // c exits: frame 4 (only c mapped it) is freed; p writes heap[3] and gets frame 4 again.
    assert.deepEqual(frames(r, 'p', 'heap'), [1, 2, 3, 4]);
    assert.deepEqual(r.timeline.latest.stats.frames, 4);
  });

  it('keeps the engine events and explanation of each operation', () => {
    const childWrite = r.steps[4]!;
    assert.ok(childWrite.events.some((e) => e.kind === 'fault' && e.fault === 'write-protect'));
    assert.ok(childWrite.events.some((e) => e.kind === 'frame-copied' && e.from === 1 && e.to === 4));
    assert.match(childWrite.explanation, /wp_page_copy/);
    assert.deepEqual(childWrite.operation, { op: 'write', process: 'c', region: 'heap', first: 0, last: 0, value: 'b' });
    assert.equal(childWrite.eventsOmitted, 0);
  });

  it('records checkpoints, the final "end" on the last statement line', () => {
    assert.deepEqual(r.checkpoints.map((c) => [c.name, c.line, c.state]), [['after copy', 6, 5], ['end', 9, 7]]);
    assert.equal(r.checkpoints[0]?.machine.stats.copies, 1);
  });

  it('returns expectation results as data', () => {
    assert.equal(r.expectations.length, 1);
    assert.deepEqual({ ...r.expectations[0], range: undefined }, { line: 7, range: undefined, passed: true, question: false, actual: 1, message: 'copies == 1 — ok (copies is 1)' });
    assert.equal(r.steps[6]?.expectation, r.expectations[0]);
  });
});

describe('interpreter: expectations', () => {
  it('reports a failure with the actual value, never throwing', () => {
    const r = run('process a\na: map h 2\na: write h[0]\nexpect frames == 2\nexpect a h[1] present');
    assert.deepEqual(r.expectations.map((e) => [e.passed, e.actual]), [[false, 1], [false, 'not present']]);
    assert.equal(r.expectations[0]?.message, 'expected frames == 2, but frames is 1');
    assert.equal(r.expectations[1]?.message, 'expected a h[1] present, but a h[1] is not present');
  });

  it('answers questions and never counts them as failures', () => {
    const r = run('process a\na: map h 2\na: write h[0] "v"\nexpect copies == ?\nexpect a h[0] frame == ?\nexpect a h[0] == ?\nexpect a h[1] frame == ?');
    assert.deepEqual(r.expectations.map((e) => [e.passed, e.question, e.actual]), [[true, true, 0], [true, true, 1], [true, true, '"v"'], [true, true, 'not present']]);
    assert.equal(r.expectations[0]?.message, 'question: copies == ? — answer: 0');
  });

  it('does not count the zero page as "shared with" or "private"', () => {
    const r = run('process a\na: map h 2\na: read h[0]\na: write h[1]\na: fork b\nexpect a h[0] shared with b\nexpect a h[0] private\nexpect a h[0] zero\nexpect b h[0] zero\nexpect a h[1] shared with b');
    assert.deepEqual(r.expectations.map((e) => e.passed), [false, false, true, true, true]);
    assert.match(r.expectations[0]?.message ?? '', /the zero page and b h\[0\] is the zero page/);
  });

  it('calls a page private only when exactly one entry maps its frame', () => {
    // After fork frame 1 is mapped by a and b (mapcount 2); b's write gives b frame 2 (mapcount 1)
    // and leaves frame 1 to a alone.
    const r = run('process a\na: map h 1\na: write h[0]\na: fork b\nexpect a h[0] private\nexpect a h[0] not private\nb: write h[0]\nexpect a h[0] private\nexpect b h[0] private');
    assert.deepEqual(r.expectations.map((e) => e.passed), [false, true, true, true]);
    assert.equal(r.expectations[0]?.actual, 'frame 1 (mapped by 2 entries, read-only, copy-on-write)');
  });

  it('sees the very same entry from a vfork child: shared with the parent and private at once', () => {
    const r = run('process a\na: map h 1\na: write h[0]\na: vfork v\nexpect v h[0] shared with a\nexpect v h[0] private\nexpect a h[0] private\nexpect a suspended');
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, true, true, true]);
  });

  it('checks every page of a range and of a whole region, naming the first that fails', () => {
    const r = run('process a\na: map h 4\na: write h[0..2]\nexpect a h[0..2] private\nexpect a h private\nexpect a h[0..3] not zero');
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, false, true]);
    assert.match(r.expectations[1]?.message ?? '', /a h\[3\] is not present/);
  });

  it('compares counters with every operator', () => {
    const r = run('process a\na: map h 4\na: write h[0..2]\nexpect frames < 4\nexpect frames <= 3\nexpect frames > 2\nexpect frames >= 4\nexpect frames != 3\nexpect peakFrames == 3');
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, true, true, false, false, true]);
  });
});

describe('interpreter: policy, stepping and refusal', () => {
  it('runs eager mode from the header: fork copies every resident private page', () => {
    const r = run('mode eager\nprocess a\na: map h 3\na: write h[0..2]\na: fork b\nexpect copies == 3\nexpect frames == 6');
    assert.equal(r.policy, 'eager');
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, true]);
    assert.equal(r.steps.length, 6);
  });

  it('can be driven one step at a time', () => {
    const interpreter = new Interpreter(parse(SCENARIO));
    const first = interpreter.step();
    assert.equal(first?.statement.kind, 'process');
    assert.equal(interpreter.timeline.length, 2);
    let count = 1;
    while (interpreter.step() !== undefined) count += 1;
    assert.equal(count, 9);
    assert.equal(interpreter.done, true);
    assert.equal(interpreter.step(), undefined);
    assert.equal(interpreter.result().checkpoints.length, 2);
  });

  it('stops with a runtime diagnostic when the engine refuses an unchecked statement', () => {
    // The checker would catch this; interpret() on the raw parse lets the engine refuse it.
    const r = interpret(parse('process a\na: map h 2\nb: write h[0]\nexpect frames == 0'));
    assert.equal(r.completed, false);
    assert.equal(r.steps.length, 2);
    assert.equal(r.error?.source, 'runtime');
    assert.equal(r.error?.code, 'engine-error');
    assert.equal(r.error?.range.line, 3);
    assert.match(r.error?.message ?? '', /unknown-process/);
    assert.deepEqual(r.checkpoints, []);
  });

  it('refuses to run a scenario with errors and returns the diagnostics instead', () => {
    const outcome = runScenario('process a\na: write h[0]');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? undefined : outcome.run, undefined);
    assert.equal(outcome.ok ? '' : outcome.diagnostics[0]?.code, 'unknown-region');
  });

  it('runs an empty scenario to a lone "end" checkpoint on line 0', () => {
    const r = run('# nothing\n');
    assert.deepEqual(r.checkpoints.map((c) => [c.name, c.line]), [['end', 0]]);
  });
});
