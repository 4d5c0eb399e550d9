// A step in slices (applyInSlices, Timeline.pushInSlices, Interpreter.stepInSlices) against the
// same step in one call: random scenarios over thousands of pages, played with slices of 64 to
// 512 pages, must give the same machines, statistics, events, omitted-event counts,
// explanations and errors at every step as apply() — and as apply() page at a time (no bulk).
// A step abandoned between two slices must leave its machine (and the value table every version
// shares) as it was.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { apply, applyInSlices, createMachine, Machine, Operation, StepOutcome, Timeline } from '../../../src/engine';
import { withPageAtATime } from '../../../src/engine/bulk';
import { analyze, Interpreter } from '../../../src/language';
import { play, scenario } from './big-scenarios';
import { fingerprint } from './scenario-gen';

/** apply() in slices of `slicePages`, counting the pauses. */
function sliced(slicePages: number, pauses: { n: number }): (m: Machine, op: Operation) => StepOutcome {
  return (m, op) => {
    const steps = applyInSlices(m, op, slicePages);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      pauses.n++;
    }
  };
}

function must(m: Machine, op: Operation): Machine {
  const out = apply(m, op);
  assert.ok(out.ok, out.ok ? '' : out.error.message);
  return out.machine;
}

describe('a step in slices (applyInSlices)', () => {
  it('random scenarios: in slices, undivided and page at a time give the same outcomes and machines', function () {
    this.timeout(300_000);
    const pauses = { n: 0 };
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 8 }), (sc, leaves) => {
        const whole = play(sc, apply);
        const inSlices = play(sc, sliced(64 * leaves, pauses));
        const single = withPageAtATime(() => play(sc, sliced(64 * leaves, pauses)));
        assert.equal(inSlices.length, whole.length);
        assert.equal(single.length, whole.length);
        for (let i = 0; i < whole.length; i++) {
          assert.equal(inSlices[i], whole[i], `step ${i} differs in slices`);
          assert.equal(single[i], whole[i], `step ${i} differs page at a time in slices`);
        }
      }),
      { numRuns: 25 },
    );
    // The setup alone writes 1,536 pages or more: every run paused many times.
    assert.ok(pauses.n > 25 * 10, `only ${pauses.n} pauses`);
  });

  it('pauses inside a range write, a range read and a full copy at fork, and not elsewhere', () => {
    const pages = 64 * 40;
    const count = (m: Machine, op: Operation): { pauses: number; m: Machine } => {
      const pauses = { n: 0 };
      const out = sliced(256, pauses)(m, op);
      assert.ok(out.ok);
      return { pauses: pauses.n, m: out.machine };
    };
    for (const policy of ['cow', 'eager'] as const) {
      let m = must(must(createMachine(policy), { op: 'spawn', process: 'p' }), { op: 'map', process: 'p', region: 'r', pages, kind: 'private' });
      // 2,560 pages in slices of 256: 10 slices, 9 pauses.
      let r = count(m, { op: 'write', process: 'p', region: 'r', first: 0, last: pages - 1, value: 'x' });
      assert.equal(r.pauses, 9);
      m = r.m;
      // Pages 100..2,559: slices end on a table boundary, 100..383, 384..639, … 2,432..2,559 (10).
      r = count(m, { op: 'read', process: 'p', region: 'r', first: 100, last: pages - 1 });
      assert.equal(r.pauses, 9);
      r = count(m, { op: 'fork', process: 'p', child: 'c' });
      assert.equal(r.pauses, policy === 'eager' ? 9 : 0);
      r = count(r.m, { op: 'exit', process: 'c' });
      assert.equal(r.pauses, 0);
    }
  });

  it('a step abandoned between two slices leaves the machine and the value table as they were', () => {
    for (const policy of ['cow', 'eager'] as const) {
      let m = must(createMachine(policy), { op: 'spawn', process: 'p' });
      m = must(m, { op: 'map', process: 'p', region: 'r', pages: 4096, kind: 'private' });
      m = must(m, { op: 'write', process: 'p', region: 'r', first: 0, last: 2047, value: 'a' });
      const before = fingerprint(m);
      const ops: Operation[] = [{ op: 'write', process: 'p', region: 'r', first: 0, last: 4095, value: 'never committed' }];
      // A full copy pauses too (copy-on-write's fork shares whole tables and never pauses).
      if (policy === 'eager') ops.push({ op: 'fork', process: 'p', child: 'c' });
      for (const op of ops) {
        const values = m.data.values.size;
        const steps = applyInSlices(m, op, 64);
        for (let i = 0; i < 5; i++) assert.equal(steps.next().done, false);
        steps.return({ ok: false, error: { code: 'invalid-argument', message: 'abandoned' } });
        assert.equal(fingerprint(m), before);
        assert.equal(m.data.values.size, values);
        // The same step afterwards, undivided, as if the abandoned one had never been.
        const again = apply(m, op);
        const fresh = apply(must(must(must(createMachine(policy), { op: 'spawn', process: 'p' }), { op: 'map', process: 'p', region: 'r', pages: 4096, kind: 'private' }), { op: 'write', process: 'p', region: 'r', first: 0, last: 2047, value: 'a' }), op);
        assert.ok(again.ok && fresh.ok);
        assert.equal(fingerprint(again.machine), fingerprint(fresh.machine));
        assert.equal(again.explanation, fresh.explanation);
      }
    }
  });

  it('a statement that fails after some slices (a hole half-way) fails as undivided, with nothing changed', () => {
    let m = must(createMachine('cow'), { op: 'spawn', process: 'p' });
    m = must(m, { op: 'map', process: 'p', region: 'r', pages: 4096, kind: 'private' });
    m = must(m, { op: 'write', process: 'p', region: 'r', first: 0, last: 4095, value: 'a' });
    m = must(m, { op: 'madvise', process: 'p', region: 'r', first: 3000, last: 3100, advice: 'dontfork' });
    m = must(m, { op: 'fork', process: 'p', child: 'c' });
    const op: Operation = { op: 'write', process: 'c', region: 'r', first: 0, last: 4095, value: 'new value' };
    const values = m.data.values.size;
    const before = fingerprint(m);
    const pauses = { n: 0 };
    const inSlices = sliced(128, pauses)(m, op);
    assert.ok(!inSlices.ok && inSlices.error.code === 'segfault');
    assert.ok(pauses.n >= 20, `the hole at page 3,000 was reached after ${pauses.n} pauses`);
    assert.deepEqual(inSlices, apply(m, op));
    assert.equal(fingerprint(m), before);
    assert.equal(m.data.values.size, values);
  });

  it('Timeline.pushInSlices and Interpreter.stepInSlices record what push and step record', () => {
    const source = ['process p', 'p: map big 20000 private', 'p: write big[0..19999] "x"', 'p: fork c', 'c: write big[5..12000] "y"', 'expect copies == 11996', ''].join('\n');
    const analysis = analyze(source);
    assert.ok(analysis.runnable);
    const whole = new Interpreter(analysis.program);
    const parts = new Interpreter(analysis.program);
    let pauses = 0;
    for (;;) {
      const a = whole.step();
      const steps = parts.stepInSlices(512);
      let b;
      for (;;) {
        const next = steps.next();
        if (next.done) {
          b = next.value;
          break;
        }
        pauses++;
      }
      assert.equal(JSON.stringify(b), JSON.stringify(a));
      if (a === undefined) break;
    }
    // 20,000 pages in slices of 512: 40 slices, 39 pauses. Pages 5..12,000: 5..575 (to a table's
    // end), then 512 at a time up to 11,840..12,000: 24 slices, 23 pauses.
    assert.equal(pauses, 39 + 23);
    const [ra, rb] = [whole.result(), parts.result()];
    assert.equal(ra.timeline.length, rb.timeline.length);
    for (let i = 0; i < ra.timeline.length; i++) assert.equal(fingerprint(rb.timeline.at(i)), fingerprint(ra.timeline.at(i)));
    assert.deepEqual(rb.expectations.map((e) => e.passed), [true]);

    // A timeline whose latest version moved while a step was in slices refuses to record it.
    const t = new Timeline(createMachine('cow'));
    t.push({ op: 'spawn', process: 'p' });
    t.push({ op: 'map', process: 'p', region: 'r', pages: 1024, kind: 'private' });
    const pending = t.pushInSlices({ op: 'write', process: 'p', region: 'r', first: 0, last: 1023 }, 64);
    pending.next();
    t.push({ op: 'read', process: 'p', region: 'r', first: 0, last: 0 });
    assert.throws(() => {
      for (let next = pending.next(); !next.done; next = pending.next());
    }, /changed while a step in slices/);
  });
});
