// The benchmark's figures: reading kernel/measure.c's lines, medians, spreads and the crossover,
// with expected values worked by hand in the comments.
import * as assert from 'node:assert/strict';
import { contractOf, crossover, FRACTIONS, measurementProblem, median, SampleSet, summarise } from '../../../src/measure/summary';

describe('measure summary', () => {
  it('median of odd and even counts', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5); // (2 + 3) / 2
    assert.ok(Number.isNaN(median([])));
  });

  it('crossover: interpolated between the two fractions around the first crossing', () => {
    // d = cow - eager: at 0.5: 150 - 200 = -50; at 0.75: 230 - 210 = +20.
    // 0.5 + 0.25 * 50 / (20 + 50) = 0.5 + 0.17857… = 0.67857…
    const c = crossover([
      { fraction: 0, cowMs: 10, eagerMs: 190 },
      { fraction: 0.5, cowMs: 150, eagerMs: 200 },
      { fraction: 0.75, cowMs: 230, eagerMs: 210 },
      { fraction: 1, cowMs: 300, eagerMs: 220 },
    ]);
    assert.ok(c !== null && Math.abs(c - (0.5 + (0.25 * 50) / 70)) < 1e-12);
  });

  it('crossover: null when copy-on-write wins everywhere, 0 when the full copy wins at once', () => {
    assert.equal(crossover([{ fraction: 0, cowMs: 1, eagerMs: 2 }, { fraction: 1, cowMs: 3, eagerMs: 4 }]), null);
    assert.equal(crossover([{ fraction: 0, cowMs: 5, eagerMs: 2 }, { fraction: 1, cowMs: 9, eagerMs: 4 }]), 0);
  });

  it('reads the C program lines into medians, spreads and the exact contract', () => {
    const set = new SampleSet();
    const lines = ['pageSize 4096', 'cpu 1', 'thp off-prctl', 'forkbase 0.5', 'forkbase 0.7', 'forkbase 0.6'];
    // Three samples; every figure is k, 2k, 3k times a base, so each median is the 2k one.
    for (const k of [1, 3, 2]) {
      lines.push(`fork ${k}`, `cowfault ${10 * k}`, `anonfault ${5 * k}`, `unmap ${k / 10}`, `copy ${k}`, `fullcopy ${100 * k}`);
      // cow = 1 + 300·f ms, eager = 200 ms (times k): they cross where 1 + 300 f = 200, f = 0.6633…,
      // between the measured 0.5 (151 < 200) and 0.75 (226 > 200): 0.5 + 0.25·49/(49 + 26) = 0.66333…
      for (const f of FRACTIONS) lines.push(`cow ${f} ${k * (1 + 300 * f)}`, `eager ${f} ${k * 200}`);
      lines.push(`sample ${k}`);
    }
    lines.push('done');
    for (const l of lines) assert.ok(set.add(l), l);
    assert.equal(set.add('garbage here'), false);
    const r = summarise(set, 64, new Date(0));
    assert.equal(r.pageSize, 4096);
    assert.equal(r.forkMs, 2);
    assert.equal(r.cowFaultUs, 20);
    assert.equal(r.fullCopyMs, 200);
    assert.equal(r.forkBaseMs, 0.6);
    assert.equal(r.unmapUs, 0.2);
    assert.deepEqual(r.spread['fork'], { median: 2, min: 1, max: 3, samples: 3 });
    assert.equal(r.curve.length, 7);
    assert.equal(r.curve[4]?.cowMs, 2 * 151);
    assert.ok(r.crossover !== null && Math.abs(r.crossover - (0.5 + (0.25 * 49) / 75)) < 1e-12);
    const c = contractOf(r);
    assert.deepEqual(Object.keys(c), ['mib', 'pageSize', 'forkMs', 'cowFaultUs', 'anonFaultUs', 'copyGBs', 'fullCopyMs', 'curve', 'crossover']);
    assert.deepEqual(Object.keys(c.curve[0] ?? {}), ['fraction', 'cowMs', 'eagerMs']);
    assert.equal(measurementProblem(JSON.parse(JSON.stringify(c))), null);
  });

  it('a missing figure is an error, not a NaN in the report', () => {
    const set = new SampleSet();
    set.add('fork 1');
    assert.throws(() => summarise(set, 1, new Date(0)), /no 'cowfault' figure/);
  });

  it('measurementProblem refuses what is not a measurement', () => {
    assert.match(measurementProblem(null) ?? '', /object/);
    assert.match(measurementProblem({ mib: 1 }) ?? '', /pageSize/);
    const ok = { mib: 1, pageSize: 4096, forkMs: 1, cowFaultUs: 1, anonFaultUs: 1, copyGBs: 1, fullCopyMs: 1, curve: [{ fraction: 0, cowMs: 1, eagerMs: 2 }], crossover: null };
    assert.equal(measurementProblem(ok), null);
    assert.match(measurementProblem({ ...ok, crossover: 2 }) ?? '', /crossover/);
    assert.match(measurementProblem({ ...ok, curve: [{ fraction: 0, cowMs: -1, eagerMs: 2 }] }) ?? '', /cowMs/);
    assert.match(measurementProblem({ ...ok, forkMs: Infinity }) ?? '', /forkMs/);
  });
});
