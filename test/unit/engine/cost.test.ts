// The time estimate: hand-worked costs of small scenarios under both policies, the model derived
// from measured figures, and the engine's own Stats.timeNs. Every expected number is worked out
// in the comments from the round-number model below, never read back from the code.
import * as assert from 'node:assert/strict';
import { apply, createMachine, DEFAULT_MODEL, formatNs, modelFromMeasurement, stepCounts, timeNs, timeSplit, whoPays, type CostModel, type Machine, type Operation, type Policy, type Stats } from '../../../src/engine';
import { run } from './helpers';

/** Round numbers, so the sums below can be checked by hand. */
const M: CostModel = { trapNs: 1000, zeroPageNs: 200, copyPageNs: 300, forkNs: 5000, pteCopyNs: 10, tablePageNs: 200, unmapNs: 50, bulkCopyPageNs: 400 };

const SNAPSHOT: Operation[] = [
  { op: 'spawn', process: 'a' },
  { op: 'map', process: 'a', region: 'h', pages: 4, kind: 'private' },
  { op: 'write', process: 'a', region: 'h', first: 0, last: 3 },
  { op: 'fork', process: 'a', child: 'b' },
  { op: 'write', process: 'b', region: 'h', first: 0, last: 0 },
  { op: 'exit', process: 'b' },
];

function statsAfterEach(ops: readonly Operation[], policy: Policy): Stats[] {
  let m = createMachine(policy);
  const out: Stats[] = [m.stats];
  for (const op of ops) {
    const r = apply(m, op);
    if (!r.ok) throw new Error(r.error.message);
    m = r.machine;
    out.push(m.stats);
  }
  return out;
}

describe('cost model', () => {
  it('copy-on-write: fork is cheap, the writer pays its fault later (hand-worked)', () => {
    const s = statsAfterEach(SNAPSHOT, 'cow');
    const step = (i: number): number => timeNs(stepCounts(s[i - 1] as Stats, s[i] as Stats), M);
    // write h[0..3]: 4 first-touch faults, each a trap and a zeroed page: 4 × (1000 + 200) = 4800
    assert.equal(step(3), 4800);
    // fork: 5000 itself + 4 entries × 10 + ceil(4 / 512) = 1 table page × 200 = 5240
    assert.equal(step(4), 5240);
    // b writes h[0]: one write-protect fault that copies: 1000 + 300 = 1300
    assert.equal(step(5), 1300);
    // b exits: its 4 present entries unmapped: 4 × 50 = 200
    assert.equal(step(6), 200);
    assert.equal(timeNs(s[6] as Stats, M), 4800 + 5240 + 1300 + 200);
  });

  it('full copy: fork pays for every page at once, the write is free (hand-worked)', () => {
    const s = statsAfterEach(SNAPSHOT, 'eager');
    const step = (i: number): number => timeNs(stepCounts(s[i - 1] as Stats, s[i] as Stats), M);
    assert.equal(step(3), 4800);
    // fork: 5000 + 4 × 10 + 1 × 200 + 4 pages copied in bulk × 400 = 6840
    assert.equal(step(4), 6840);
    // b's entries are its own and writable: no fault, nothing to pay
    assert.equal(step(5), 0);
    assert.equal(step(6), 200);
    assert.equal(timeNs(s[6] as Stats, M), 4800 + 6840 + 0 + 200);
  });

  it('a read of untouched memory pays a trap only; a later write a trap and a zeroed page', () => {
    const s = statsAfterEach(
      [
        { op: 'spawn', process: 'a' },
        { op: 'map', process: 'a', region: 'h', pages: 2, kind: 'private' },
        { op: 'read', process: 'a', region: 'h', first: 0, last: 1 },
        { op: 'write', process: 'a', region: 'h', first: 0, last: 0 },
      ],
      'cow',
    );
    // Depending on the machine's zero-page behaviour a read maps the zero page (trap only) or a
    // zeroed page (trap + page); this engine maps the zero page: 2 × 1000.
    assert.equal(timeNs(stepCounts(s[2] as Stats, s[3] as Stats), M), 2000);
    // Writing the zero page: do_wp_page allocates a zeroed frame: 1000 + 200.
    assert.equal(timeNs(stepCounts(s[3] as Stats, s[4] as Stats), M), 1200);
  });

  it('the time split and who pays, per step', () => {
    const s = statsAfterEach(SNAPSHOT, 'cow');
    const fork = stepCounts(s[3] as Stats, s[4] as Stats);
    assert.deepEqual(timeSplit(fork, M), { totalNs: 5240, forkNs: 5240, faultNs: 0, faults: 0, unmapNs: 0 });
    assert.match(whoPays(SNAPSHOT[3] as Operation, fork, M, 'cow'), /^a pays 5\.24 µs at fork \(4 entries copied, no page\).*whoever writes one later pays its fault/);
    const write = stepCounts(s[4] as Stats, s[5] as Stats);
    assert.equal(whoPays(SNAPSHOT[4] as Operation, write, M, 'cow'), 'b pays 1.30 µs now: 1 page fault, 1 of them copying a page.');
    const eager = statsAfterEach(SNAPSHOT, 'eager');
    assert.match(whoPays(SNAPSHOT[3] as Operation, stepCounts(eager[3] as Stats, eager[4] as Stats), M, 'eager'), /^a pays 6\.84 µs at fork: every resident page is copied now/);
  });

  it('the engine keeps Stats.timeNs with the default model', () => {
    const { machine } = run(SNAPSHOT);
    assert.ok(machine.stats.timeNs > 0);
    assert.equal(machine.stats.timeNs, timeNs(machine.stats, DEFAULT_MODEL.model));
  });

  it('a model derived from measured figures gives those figures back (hand-worked)', () => {
    // 1 MiB = 256 pages. fullCopyMs 0.256 → 1000 ns per page in bulk; copyGBs 8.192 → the 4 KiB
    // copy alone is 4096 / 8.192 = 500 ns, so allocating + clearing a page is 1000 − 500 = 500;
    // anonFaultUs 2 → trap = 2000 − 500 = 1500; cowFaultUs 2.5 → copy in a fault = 2500 − 1500 = 1000;
    // forkBaseMs 0.1 → 100,000; one table page (256 entries) × 500; forkMs 0.2 → per entry
    // (200,000 − 100,000 − 500) / 256 = 388.671875; unmapUs 0.25 → 250.
    const m = modelFromMeasurement({ mib: 1, pageSize: 4096, forkMs: 0.2, cowFaultUs: 2.5, anonFaultUs: 2, copyGBs: 8.192, fullCopyMs: 0.256, forkBaseMs: 0.1, unmapUs: 0.25 });
    assert.deepEqual(m, { trapNs: 1500, zeroPageNs: 500, copyPageNs: 1000, forkNs: 100_000, pteCopyNs: 388.671875, tablePageNs: 500, unmapNs: 250, bulkCopyPageNs: 1000 });
  });

  it('the default model reproduces the measured curve: copy-on-write wins at 1% written, the full copy at 100%', () => {
    // The benchmark's workload on the engine: 256 MiB resident, fork, the child writes a fraction.
    const pages = 65_536;
    const setUp = (policy: Policy): Machine =>
      run([
        { op: 'spawn', process: 'p' },
        { op: 'map', process: 'p', region: 'h', pages, kind: 'private' },
        { op: 'write', process: 'p', region: 'h', first: 0, last: pages - 1 },
      ], policy).machine;
    const base = { cow: setUp('cow'), eager: setUp('eager') };
    const at = (fraction: number, policy: Policy): number => {
      const written = Math.floor(pages * fraction);
      let m = base[policy];
      for (const op of [{ op: 'fork', process: 'p', child: 'c' }, { op: 'write', process: 'c', region: 'h', first: 0, last: written - 1 }] as Operation[]) {
        const r = apply(m, op);
        if (!r.ok) throw new Error(r.error.message);
        m = r.machine;
      }
      return timeNs(stepCounts(base[policy].stats, m.stats), DEFAULT_MODEL.model);
    };
    assert.ok(at(0.01, 'cow') < at(0.01, 'eager'), 'copy-on-write cheaper at 1%');
    assert.ok(at(1, 'cow') > at(1, 'eager'), 'full copy cheaper at 100%');
  });

  it('formats times for the panel', () => {
    assert.equal(formatNs(0), '0 ms');
    assert.equal(formatNs(850), '850 ns');
    assert.equal(formatNs(130_000), '0.13 ms');
    assert.equal(formatNs(15_900_000), '15.9 ms');
    assert.equal(formatNs(2_500_000_000), '2.50 s');
  });
});
