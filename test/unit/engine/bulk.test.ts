// Writes a whole last-level table at a time (src/engine/bulk.ts) against page at a time: random
// scenarios played both ways must give the same machines, statistics, events, omitted-event
// counts and explanations at every step. The scenarios use regions of thousands of pages, so
// that a range write outlasts MAX_EVENTS_PER_STEP (tables written in bulk list their events,
// bulkEvents.ts, while the step lists events, and only count them after), and mix in what changes the per-page rule: forks and exits (shared
// and unshared tables), reads of the zero page, pins (a write that keeps values; a pin is a
// reference that is not a mapping), MADV_DONTFORK holes, old kernels (map-count reuse), kernels
// without a zero page, `memory N` limits, huge regions and shared ones.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { apply, createMachine, Machine, Operation, Timeline } from '../../../src/engine';
import { replay } from '../../../src/engine/apply';
import { bulkTally, withPageAtATime } from '../../../src/engine/bulk';
import { brokenInvariants } from './invariants';
import { fingerprint } from './scenario-gen';
import { outcomeOf, play, scenario, structure } from './big-scenarios';

describe('copy-on-write faults a whole table at a time (bulk.ts)', () => {
  it('random scenarios: bulk and page at a time give the same machines, statistics, events and explanations', function () {
    this.timeout(240_000);
    const before = { ...bulkTally };
    fc.assert(
      fc.property(scenario, (sc) => {
        const bulk = play(sc, apply);
        const single = withPageAtATime(() => play(sc, apply));
        assert.equal(bulk.length, single.length);
        for (let i = 0; i < bulk.length; i++) assert.equal(bulk[i], single[i], `step ${i} differs`);
      }),
      { numRuns: 30 },
    );
    // Only worth something if the bulk path ran (the setup's first write always reaches it;
    // the test below makes sure every kind of page goes through it).
    assert.ok(bulkTally.leaves > before.leaves, 'no table was written in bulk');
  });

  it('every kind of page in bulk: fresh, zero page replaced, copied, reused, already writable, kept (a pin)', function () {
    this.timeout(180_000);
    const N = 64 * 100;
    const ops: Operation[] = [
      { op: 'spawn', process: 'p' },
      { op: 'map', process: 'p', region: 'r', pages: N, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: N - 1, value: 'x' },
      { op: 'map', process: 'p', region: 'z', pages: N, kind: 'private' },
      { op: 'read', process: 'p', region: 'z', first: 0, last: N - 1 },
      { op: 'write', process: 'p', region: 'z', first: 0, last: N - 1, value: 'z' },
      { op: 'fork', process: 'p', child: 'c' },
      { op: 'write', process: 'c', region: 'r', first: 0, last: N - 1, value: 'y' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: N - 1, value: 'w' },
      { op: 'fork', process: 'c', child: 'd' },
      // d's pages 4,096.. become writable; then a write over all of them faults first (copies,
      // listed and then in bulk) and finds whole tables already writable after that.
      { op: 'write', process: 'd', region: 'r', first: 4_096, last: N - 1, value: 'd' },
      { op: 'write', process: 'd', region: 'r', first: 0, last: N - 1, value: 'e' },
      { op: 'fork', process: 'p', child: 'e' },
      { op: 'pin', process: 'e', region: 'r', first: 0, last: N - 1 },
    ];
    const go = (): { m: Machine; outs: string[] } => {
      let m = createMachine('cow');
      const outs: string[] = [];
      for (const op of ops) {
        const out = apply(m, op);
        assert.ok(out.ok, JSON.stringify(op));
        outs.push(outcomeOf(out), fingerprint(out.machine), structure(out.machine));
        m = out.machine;
      }
      return { m, outs };
    };
    const before = { ...bulkTally };
    const bulk = go();
    for (const k of ['fresh', 'zeroReplaced', 'copied', 'reused', 'hit', 'kept'] as const) assert.ok(bulkTally[k] > before[k], `no ${k} page in bulk`);
    const single = withPageAtATime(go);
    assert.deepEqual(bulk.outs, single.outs);
    assert.deepEqual(brokenInvariants(bulk.m), []);

    // A quiet replay (the history's read-back) lists no event, so it writes in bulk from the
    // first table on: the same machine, the same statistics, and every event counted.
    let m = createMachine('cow');
    for (const op of ops) {
      const loud = apply(m, op);
      const quiet = replay(m, op);
      assert.ok(loud.ok && quiet.ok);
      assert.equal(quiet.events.length, 0);
      assert.equal(quiet.eventsOmitted, loud.events.length + loud.eventsOmitted, JSON.stringify(op));
      assert.deepEqual(quiet.machine.stats, loud.machine.stats);
      assert.equal(fingerprint(quiet.machine), fingerprint(loud.machine));
      assert.equal(structure(quiet.machine), structure(loud.machine));
      m = loud.machine;
    }
  });

  it('the history reads back steps of one whole table (not kept as snapshots) replayed in bulk', function () {
    this.timeout(120_000);
    // A 64-page copy-on-write write lists 256 events: not a heavy step, so the timeline
    // replays it when reading back, quietly, a whole table at a time.
    const t = new Timeline(createMachine('cow'));
    const played: Machine[] = [t.latest];
    const push = (op: Operation): void => {
      const out = t.push(op);
      assert.ok(out.ok);
      played.push(out.machine);
    };
    push({ op: 'spawn', process: 'p' });
    push({ op: 'map', process: 'p', region: 'r', pages: 64 * 8, kind: 'private' });
    for (let k = 0; k < 8; k++) push({ op: 'write', process: 'p', region: 'r', first: 64 * k, last: 64 * k + 63, value: `p${k}` });
    push({ op: 'fork', process: 'p', child: 'c' });
    for (let k = 0; k < 8; k++) push({ op: 'write', process: k % 2 ? 'p' : 'c', region: 'r', first: 64 * k, last: 64 * k + 63, value: `w${k}` });
    push({ op: 'exit', process: 'c' });
    for (let k = 0; k < 8; k++) push({ op: 'write', process: 'p', region: 'r', first: 64 * k, last: 64 * k + 63, value: `x${k}` });
    const before = bulkTally.leaves;
    for (let i = played.length - 1; i >= 0; i--) {
      assert.equal(fingerprint(t.at(i)), fingerprint(played[i] as Machine), `step ${i}`);
      assert.equal(structure(t.at(i)), structure(played[i] as Machine), `step ${i}`);
    }
    assert.ok(bulkTally.leaves > before, 'no replay went through bulk');
  });

  it('a copy-on-write write over a forked region: every table in bulk, same result as page at a time', function () {
    this.timeout(120_000);
    const ops: Operation[] = [
      { op: 'spawn', process: 'p' },
      { op: 'map', process: 'p', region: 'r', pages: 64 * 100, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: 64 * 100 - 1, value: 'x' },
      { op: 'fork', process: 'p', child: 'c' },
      { op: 'write', process: 'c', region: 'r', first: 0, last: 64 * 100 - 1, value: 'y' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: 64 * 100 - 1, value: 'z' },
    ];
    const go = (): { m: Machine; outs: string[] } => {
      let m = createMachine('cow');
      const outs: string[] = [];
      for (const op of ops) {
        const out = apply(m, op);
        assert.ok(out.ok);
        outs.push(outcomeOf(out));
        m = out.machine;
      }
      return { m, outs };
    };
    const before = bulkTally.copied;
    const reusedBefore = bulkTally.reused;
    const bulk = go();
    // The child's write copies every page; the parent's then reuses every page (its frames'
    // only reference is its own mapping). Every table goes in bulk, from the first page on: the
    // first 4,096 events (a copy makes 4: fault, allocation, copy, entry; a reuse 3) are listed
    // by bulkEvents.ts, page after page, as page at a time lists them (compared below).
    assert.equal(bulkTally.copied - before, 64 * 100);
    assert.equal(bulkTally.reused - reusedBefore, 64 * 100);
    const single = withPageAtATime(go);
    assert.deepEqual(bulk.outs, single.outs);
    assert.equal(fingerprint(bulk.m), fingerprint(single.m));
    assert.equal(structure(bulk.m), structure(single.m));
    assert.deepEqual(brokenInvariants(bulk.m), []);
    assert.equal(bulk.m.stats.copies, 64 * 100);
    assert.equal(bulk.m.stats.reuses, 64 * 100);
  });

  it('tables of one region whose frames other tables still map: listed events say which entries are exclusive, as page at a time does', function () {
    this.timeout(60_000);
    // After the fork, the child writes one page of every table: that unshares each table (the
    // child's copy maps all 64 frames too), so the parent's tables are its own again but 63 of
    // each table's frames have two references (copied by the parent's write, entries that were
    // not exclusive) and the one the child copied away has one (reused, exclusive before). A
    // pinned page of the parent's is held besides (copied, though exclusive before). Every page
    // of these writes is listed (6 tables: under MAX_EVENTS_PER_STEP).
    const N = 64 * 6;
    const ops: Operation[] = [
      { op: 'spawn', process: 'p' },
      { op: 'map', process: 'p', region: 'r', pages: N, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: N - 1, value: 'x' },
      { op: 'fork', process: 'p', child: 'c' },
    ];
    for (let k = 0; k < 6; k++) ops.push({ op: 'write', process: 'c', region: 'r', first: 64 * k + 3, last: 64 * k + 3, value: 'c' });
    ops.push({ op: 'pin', process: 'p', region: 'r', first: 70, last: 70 });
    ops.push({ op: 'write', process: 'p', region: 'r', first: 0, last: N - 1, value: 'p' });
    ops.push({ op: 'write', process: 'c', region: 'r', first: 0, last: N - 1, value: 'q' });
    ops.push({ op: 'pin', process: 'c', region: 'r', first: 0, last: N - 1 });
    const go = (): string[] => {
      let m = createMachine('cow');
      const outs: string[] = [];
      for (const op of ops) {
        const out = apply(m, op);
        assert.ok(out.ok, JSON.stringify(op));
        outs.push(outcomeOf(out), fingerprint(out.machine), structure(out.machine));
        m = out.machine;
      }
      return outs;
    };
    const before = { ...bulkTally };
    const bulk = go();
    assert.ok(bulkTally.copied > before.copied && bulkTally.reused > before.reused && bulkTally.kept > before.kept, 'copies, reuses and kept values in bulk');
    const single = withPageAtATime(go);
    assert.deepEqual(bulk, single);
  });
});
