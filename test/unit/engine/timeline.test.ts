// The timeline reads back every step exactly as it was, across heavy steps and snapshot windows.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { apply, createMachine, Machine, MachineRules, Operation, Policy, SNAPSHOT_EVERY, Timeline } from '../../../src/engine';
import { replaySteps } from '../../../src/engine/apply';
import { fingerprint, opFromSeed, opSeeds } from './scenario-gen';
import { structure } from './big-scenarios';
import { brokenInvariants } from './invariants';
import { fork, mapPrivate, spawn, write } from './helpers';

/** Everything of a version that a replay could change by writing in place what it does not own. */
function snapshotOf(m: Machine): string {
  return `${fingerprint(m)}\n${structure(m)}`;
}

/**
 * Pushes `ops` (those that succeed) and returns every committed version with its snapshotOf
 * taken at once, and the timeline.
 */
function history(ops: readonly Operation[], policy: Policy = 'cow', rules?: MachineRules): { t: Timeline; versions: Machine[]; seen: string[] } {
  const first = createMachine(policy, rules);
  const t = new Timeline(first);
  const versions = [first];
  for (const op of ops) {
    const out = t.push(op);
    if (out.ok) versions.push(out.machine);
  }
  return { t, versions, seen: versions.map(snapshotOf) };
}

describe('timeline', () => {
  it('reads back each step of a history with heavy steps (whole-region writes) and many snapshot windows', () => {
    const ops: Operation[] = [spawn('p'), mapPrivate('p', 'heap', 2000), write('p', 'heap', 0, 1999, 'big'), fork('p', 'c')];
    for (let i = 0; i < 3 * SNAPSHOT_EVERY + 5; i++) ops.push(write(i % 2 ? 'p' : 'c', 'heap', (i * 37) % 2000, (i * 37) % 2000, `v${i}`));
    ops.push(write('c', 'heap', 0, 1999, 'all mine'));
    for (let i = 0; i < 10; i++) ops.push(write('p', 'heap', i, i));
    const direct: Machine[] = [createMachine('cow')];
    const t = new Timeline(direct[0] as Machine);
    for (const op of ops) {
      const out = apply(direct[direct.length - 1] as Machine, op);
      assert.ok(out.ok);
      direct.push(out.machine);
      assert.ok(t.push(op).ok);
    }
    assert.equal(t.length, direct.length);
    for (let i = direct.length - 1; i >= 0; i--) assert.equal(fingerprint(t.at(i)), fingerprint(direct[i] as Machine), `step ${i}`);
  });

  it('refuses steps outside the history and keeps a failed operation out of it', () => {
    const t = new Timeline(createMachine('cow'));
    assert.ok(t.push(spawn('p')).ok);
    assert.equal(t.push(write('p', 'nowhere', 0)).ok, false);
    assert.equal(t.length, 2);
    assert.throws(() => t.at(2), RangeError);
    assert.throws(() => t.at(-1), RangeError);
    assert.throws(() => t.at(0.5), RangeError);
  });

  // Timeline.at replays up to 31 steps in one transaction (replaySteps), writing in place what
  // an earlier step of the same replay copied. Reading back must never write a node a committed
  // version reaches: every version is recorded when it is made, then every step is read back in
  // a scrambled order (replays from every snapshot, each over nodes other replays made), and
  // every committed version must still read exactly as recorded, every rebuilt one as its
  // original.
  it('reading back steps never changes a committed version (random histories, read in scrambled order)', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(opSeeds(160), fc.array(fc.nat(), { minLength: 20, maxLength: 60 }), (seeds, probes) => {
        let m = createMachine('cow');
        const counter = { n: 0 };
        const ops: Operation[] = [];
        for (const seed of seeds) {
          const op = opFromSeed(m, seed, counter);
          const out = apply(m, op);
          if (!out.ok) continue;
          ops.push(op);
          m = out.machine;
        }
        const { t, versions, seen } = history(ops);
        assert.equal(t.length, versions.length);
        for (const p of probes) {
          const i = p % t.length;
          const back = t.at(i);
          assert.equal(snapshotOf(back), seen[i], `step ${i} read back`);
          assert.deepEqual(brokenInvariants(back), [], `step ${i} read back`);
        }
        for (let i = versions.length - 1; i >= 0; i--) assert.equal(snapshotOf(versions[i] as Machine), seen[i], `committed step ${i} changed by reading back`);
      }),
      { numRuns: 40, seed: 15 },
    );
  });

  it('reading back whole-table writes, forks, pins, huge pages and exits leaves every committed version as it was', function () {
    this.timeout(60_000);
    const N = 64 * 40;
    const ops: Operation[] = [spawn('p'), mapPrivate('p', 'heap', N), { op: 'map', process: 'p', region: 'huge', pages: 1024, kind: 'private', huge: true }];
    ops.push(write('p', 'heap', 0, N - 1, 'all'), write('p', 'huge', 0, 1023, 'h'), fork('p', 'c'));
    for (let i = 0; i < 5 * SNAPSHOT_EVERY; i++) {
      const who = i % 3 === 0 ? 'c' : 'p';
      if (i % 41 === 40) ops.push({ op: 'pin', process: who, region: 'heap', first: (i * 7) % N, last: (i * 7) % N });
      else if (i % 29 === 28) ops.push(write(who, 'huge', (i * 13) % 1024, (i * 13) % 1024, `h${i}`));
      else if (i % 53 === 52) ops.push({ op: 'exit', process: 'c' }, fork('p', 'c'));
      else ops.push(write(who, 'heap', (i * 97) % N, ((i * 97) % N) + (i % 3 === 0 ? 130 : 0), `v${i}`));
    }
    const { t, versions, seen } = history(ops);
    assert.equal(t.length, versions.length);
    for (const i of [...versions.keys()].sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101))) assert.equal(snapshotOf(t.at(i)), seen[i], `step ${i} read back`);
    for (let i = 0; i < versions.length; i++) assert.equal(snapshotOf(versions[i] as Machine), seen[i], `committed step ${i} changed by reading back`);
  });

  it('a fork that failed with ENOMEM is read back through step-by-step replay (the one-transaction replay gives up on it)', () => {
    // eager copy, 12 frames: 8 pages written, the fork needs 8 more and finds 4: ENOMEM, recorded as a step.
    const ops: Operation[] = [spawn('p'), mapPrivate('p', 'heap', 8), write('p', 'heap', 0, 7, 'x'), fork('p', 'c'), write('p', 'heap', 0, 0, 'y'), write('p', 'heap', 1, 1, 'z')];
    const { t, versions, seen } = history(ops, 'eager', { zeroPage: true, memory: 12 });
    assert.equal(versions.length, ops.length + 1, 'every step recorded, the failed fork included');
    assert.equal(versions[4]?.stats.failedForks, 1);
    assert.equal(replaySteps(versions[0] as Machine, ops, 0, 5), null, 'replaySteps gave up on the failed fork');
    for (let i = 0; i < versions.length; i++) assert.equal(snapshotOf(t.at(i)), seen[i], `step ${i}`);
  });
});
