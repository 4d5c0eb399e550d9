// Writes a whole last-level table at a time (src/engine/bulk.ts) against page at a time: random
// scenarios played both ways must give the same machines, statistics, events, omitted-event
// counts and explanations at every step. The scenarios use regions of thousands of pages, so
// that a range write outlasts MAX_EVENTS_PER_STEP (the bulk path only runs once a step has
// stopped listing events), and mix in what changes the per-page rule: forks and exits (shared
// and unshared tables), reads of the zero page, pins (a write that keeps values; a pin is a
// reference that is not a mapping), MADV_DONTFORK holes, old kernels (map-count reuse), kernels
// without a zero page, `memory N` limits, huge regions and shared ones.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { apply, createMachine, Machine, MachineRules, Operation, StepOutcome, Timeline } from '../../../src/engine';
import { replay } from '../../../src/engine/apply';
import { bulkTally, withPageAtATime } from '../../../src/engine/bulk';
import { brokenInvariants } from './invariants';
import { fingerprint } from './scenario-gen';

interface Step {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

interface Scenario {
  readonly rules: MachineRules;
  readonly leaves: number;
  readonly steps: readonly Step[];
}

const KERNELS = [undefined, { major: 6, minor: 18 }, { major: 5, minor: 10 }, { major: 5, minor: 8 }, { major: 4, minor: 19 }];

const scenario: fc.Arbitrary<Scenario> = fc.record({
  rules: fc.record({
    zeroPage: fc.boolean(),
    kernel: fc.constantFrom(...KERNELS),
    memory: fc.option(fc.integer({ min: 2_000, max: 12_000 }), { nil: undefined }),
  }).map((r) => {
    const rules: { zeroPage: boolean; kernel?: { major: number; minor: number }; memory?: number } = { zeroPage: r.zeroPage };
    if (r.kernel) rules.kernel = r.kernel;
    if (r.memory !== undefined) rules.memory = r.memory;
    return rules;
  }),
  leaves: fc.integer({ min: 24, max: 48 }),
  steps: fc.array(fc.record({ kind: fc.nat(99), a: fc.nat(1 << 20), b: fc.nat(1 << 20), c: fc.nat(1 << 20) }), { minLength: 4, maxLength: 14 }),
});

/** The operation a step makes on machine `m` (live process names, pages inside the region). */
function opOf(m: Machine, s: Step, pages: number, n: { next: number }): Operation {
  const live = m.processes().filter((p) => p.status === 'running');
  const proc = (live[s.a % Math.max(live.length, 1)]?.name ?? 'p0');
  const regions = m.regions(proc);
  const region = regions[s.b % Math.max(regions.length, 1)]?.name ?? 'a';
  const size = m.regions(proc).find((r) => r.name === region)?.pages ?? pages;
  // Ranges: mostly long (many whole tables), sometimes table-aligned, sometimes a few pages.
  const aligned = s.c % 3 === 0;
  const long = s.kind % 4 !== 0;
  let first = s.b % size;
  if (aligned) first -= first % 64;
  let last = long ? size - 1 - ((s.c >> 4) % Math.max(1, size - first)) % 200 : first + (s.c % 5);
  last = Math.min(Math.max(last, first), size - 1);
  if (long && last - first < 1_500) first = Math.max(0, last - 1_500 - (s.c % 700));
  const k = s.kind;
  if (k < 40) return { op: 'write', process: proc, region, first, last, value: `v${s.c % 4}` };
  if (k < 50) return { op: 'read', process: proc, region, first, last };
  if (k < 62) return { op: 'fork', process: proc, child: `p${n.next++}` };
  if (k < 70) return { op: 'exit', process: proc };
  if (k < 78) return { op: 'pin', process: proc, region, first, last };
  if (k < 82) return { op: 'unpin', process: proc, region, first, last };
  if (k < 88) return { op: 'madvise', process: proc, region, first, last: Math.min(first + (s.c % 300), size - 1), advice: s.c % 2 ? 'dontfork' : 'wipeonfork' };
  if (k < 91) return { op: 'vmsplice', process: proc, region, first, last: Math.min(first + (s.c % 16), size - 1), pipe: 'q' };
  if (k < 93) return { op: 'drain', process: proc, pipe: 'q' };
  if (k < 96) return { op: 'spawn', process: `p${n.next++}` };
  return { op: 'map', process: proc, region: `m${n.next++}`, pages: 64 * (8 + (s.c % 40)), kind: 'private' };
}

/** What fingerprint() cannot see: leaf identities and share counts, VMAs, the engine's counters. */
function structure(m: Machine): string {
  const d = m.data;
  const parts = [JSON.stringify([d.nextLeafId, d.nextAnon, d.nextGen, d.nextPid, d.frames.lowestMaybeFree])];
  for (const p of d.processes.list) {
    for (const r of p.regions) {
      const leaves: number[] = [];
      r.table.forEachLeaf((leaf, at) => leaves.push(at, leaf.id, d.shares.get(leaf.id), leaf.present, leaf.frames));
      parts.push(`${p.name} ${r.name} gen ${r.gen} ${JSON.stringify(r.vmas)} ${leaves.join(',')}`);
    }
  }
  return parts.join('\n');
}

function setup(leaves: number): Operation[] {
  return [
    { op: 'spawn', process: 'p0' },
    { op: 'map', process: 'p0', region: 'a', pages: 64 * leaves, kind: 'private' },
    { op: 'map', process: 'p0', region: 'h', pages: 1024, kind: 'private', huge: true },
    { op: 'map', process: 'p0', region: 's', pages: 64 * 20, kind: 'shared' },
    { op: 'write', process: 'p0', region: 'a', first: 0, last: 64 * leaves - 1, value: 'start' },
    // Read before written: the zero page (or, without one, zeroed frames of its own).
    { op: 'map', process: 'p0', region: 'z', pages: 64 * 30, kind: 'private' },
    { op: 'read', process: 'p0', region: 'z', first: 0, last: 64 * 30 - 1 },
  ];
}

function outcomeOf(out: StepOutcome): string {
  if (!out.ok) return `error ${out.error.code}: ${out.error.message}`;
  return JSON.stringify({ events: out.events, omitted: out.eventsOmitted, explanation: out.explanation, stats: out.machine.stats });
}

/** Plays the scenario; returns every step's outcome and machine, as comparable strings. */
function play(sc: Scenario): string[] {
  let m = createMachine('cow', sc.rules);
  const n = { next: 1 };
  const out: string[] = [];
  const start = setup(sc.leaves);
  // Each operation is made from the machine as it is when it runs.
  for (let i = 0; i < start.length + sc.steps.length; i++) {
    const op = i < start.length ? (start[i] as Operation) : opOf(m, sc.steps[i - start.length] as Step, 64 * sc.leaves, n);
    const step = apply(m, op);
    out.push(`${JSON.stringify(op)}\n${outcomeOf(step)}`);
    if (!step.ok) continue;
    m = step.machine;
    out.push(fingerprint(m), structure(m));
  }
  return out;
}

describe('copy-on-write faults a whole table at a time (bulk.ts)', () => {
  it('random scenarios: bulk and page at a time give the same machines, statistics, events and explanations', function () {
    this.timeout(240_000);
    const before = { ...bulkTally };
    fc.assert(
      fc.property(scenario, (sc) => {
        const bulk = play(sc);
        const single = withPageAtATime(() => play(sc));
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
    // only reference is its own mapping). Pages go one at a time while the step still lists
    // events: a copy makes 4 (fault, allocation, copy, entry), so the listing ends with page
    // 1,023 and bulk starts at the table of page 1,024; a reuse makes 3, so it ends inside
    // page 1,365 (4,096 = 3 × 1,365 + 1), in the table 1,344..1,407, and bulk starts at 1,408.
    assert.equal(bulkTally.copied - before, 64 * 100 - 1_024);
    assert.equal(bulkTally.reused - reusedBefore, 64 * 100 - 1_408);
    const single = withPageAtATime(go);
    assert.deepEqual(bulk.outs, single.outs);
    assert.equal(fingerprint(bulk.m), fingerprint(single.m));
    assert.equal(structure(bulk.m), structure(single.m));
    assert.deepEqual(brokenInvariants(bulk.m), []);
    assert.equal(bulk.m.stats.copies, 64 * 100);
    assert.equal(bulk.m.stats.reuses, 64 * 100);
  });
});
