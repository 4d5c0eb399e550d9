// Property-based tests over random operation sequences, for both policies.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { apply, createMachine, KernelVersion, LINUX_RULES, Machine, Operation, Policy, Timeline } from '../../../src/engine';
import { brokenInvariants } from './invariants';
import { ReferenceModel } from './reference-model';
import { exitAll, fingerprint, opFromSeed, opSeeds } from './scenario-gen';

const RUNS = 300;

/**
 * Every page value each live process sees, as 'proc region[page]=value'. Each value is what a
 * read through the engine returns, played on a throwaway version (apply is pure), so a shared
 * page the process has not faulted in yet still reads what the shared object holds.
 */
function contents(m: Machine): string[] {
  const out: string[] = [];
  for (const p of m.processes()) {
    if (p.status !== 'running') continue; // a suspended vfork parent's memory is read through its child
    for (const r of m.regions(p.name)) {
      for (let i = 0; i < r.pages; i++) {
        const read = apply(m, { op: 'read', process: p.name, region: r.name, first: i, last: i });
        let v: string;
        if (!read.ok) v = read.error.code === 'segfault' ? 'SIGSEGV' : read.error.code;
        else {
          const e = read.events.find((x) => x.kind === 'read-value');
          v = e && e.kind === 'read-value' ? e.value : '<no read event>';
        }
        out.push(`${p.name} ${r.name}[${i}]=${v}`);
      }
    }
  }
  return out;
}

function referenceContents(m: Machine, ref: ReferenceModel): string[] {
  const out: string[] = [];
  for (const p of m.processes()) {
    if (p.status !== 'running') continue; // a suspended vfork parent's memory is read through its child
    for (const r of m.regions(p.name)) {
      for (let i = 0; i < r.pages; i++) out.push(`${p.name} ${r.name}[${i}]=${ref.read(p.name, r.name, i)}`);
    }
  }
  return out;
}

/** Plays seeds on a machine of `policy`, checking invariants and purity at each step; returns the ops accepted. */
function play(policy: Policy, seeds: Parameters<typeof opFromSeed>[1][], check: (m: Machine, op: Operation) => void, kernel?: KernelVersion): { ops: Operation[]; machines: Machine[] } {
  let m = createMachine(policy, kernel ? { ...LINUX_RULES, kernel } : LINUX_RULES);
  const counter = { n: 0 };
  const ops: Operation[] = [];
  const machines = [m];
  for (const s of seeds) {
    const op = opFromSeed(m, s, counter);
    const before = fingerprint(m);
    const out = apply(m, op);
    // apply is pure: the version it started from reads exactly as before, success or error.
    assert.equal(fingerprint(m), before, `apply(${JSON.stringify(op)}) changed the version it started from`);
    if (!out.ok) {
      assert.ok(out.error.message.length > 0);
      continue;
    }
    m = out.machine;
    ops.push(op);
    machines.push(m);
    check(m, op);
  }
  return { ops, machines };
}

describe('engine properties (fast-check)', () => {
  for (const policy of ['cow', 'eager'] as const) {
    it(`${policy}: invariants hold after every operation and everything is freed at the end`, () => {
      fc.assert(
        fc.property(opSeeds(60), (seeds) => {
          const { machines } = play(policy, seeds, (m, op) => {
            assert.deepEqual(brokenInvariants(m), [], `after ${JSON.stringify(op)}`);
          });
          let m = machines[machines.length - 1] as Machine;
          for (const op of exitAll(m)) {
            const out = apply(m, op);
            assert.ok(out.ok, `${JSON.stringify(op)}: ${out.ok ? '' : out.error.message}`);
            m = out.machine;
          }
          assert.deepEqual(brokenInvariants(m), []);
          assert.equal(m.frames().length, 0, 'frames left after every process exited');
        }),
        { numRuns: RUNS, seed: 20261127 },
      );
    });

    it(`${policy}: every process sees exactly what a naive full-copy model says it should`, () => {
      fc.assert(
        fc.property(opSeeds(60), (seeds) => {
          const ref = new ReferenceModel();
          play(policy, seeds, (m, op) => {
            ref.apply(op);
            assert.deepEqual(contents(m), referenceContents(m, ref), `after ${JSON.stringify(op)}`);
          });
        }),
        { numRuns: RUNS, seed: 7 },
      );
    });
  }

  // Each era's rules (kernel.ts): before 5.8, 5.8 alone, 5.9–5.18, and 5.19 on.
  for (const kernel of [{ major: 4, minor: 19 }, { major: 5, minor: 8 }, { major: 5, minor: 15 }]) {
    it(`kernel ${kernel.major}.${kernel.minor}: invariants hold, contents match the naive model, everything is freed at the end`, () => {
      fc.assert(
        fc.property(opSeeds(60), (seeds) => {
          const ref = new ReferenceModel();
          const { machines } = play(
            'cow',
            seeds,
            (m, op) => {
              assert.deepEqual(brokenInvariants(m), [], `after ${JSON.stringify(op)}`);
              ref.apply(op);
              assert.deepEqual(contents(m), referenceContents(m, ref), `after ${JSON.stringify(op)}`);
            },
            kernel,
          );
          let m = machines[machines.length - 1] as Machine;
          for (const op of exitAll(m)) {
            const out = apply(m, op);
            assert.ok(out.ok, `${JSON.stringify(op)}: ${out.ok ? '' : out.error.message}`);
            m = out.machine;
          }
          assert.deepEqual(brokenInvariants(m), []);
          assert.equal(m.frames().length, 0, 'frames left after every process exited and every pipe was drained');
        }),
        { numRuns: 150, seed: 1119 },
      );
    });
  }

  it('copy-on-write never holds more frames than eager copy of the same operations, and never copies more', () => {
    fc.assert(
      fc.property(opSeeds(60), (seeds) => {
        const cow = play('cow', seeds, () => undefined);
        let eager = createMachine('eager');
        for (const [i, op] of cow.ops.entries()) {
          const out = apply(eager, op);
          assert.ok(out.ok, `eager refused ${JSON.stringify(op)} that cow accepted`);
          eager = out.machine;
          const c = cow.machines[i + 1] as Machine;
          assert.ok(c.stats.frames <= eager.stats.frames, `step ${i + 1}: cow ${c.stats.frames} frames > eager ${eager.stats.frames}`);
          assert.ok(c.stats.copies <= eager.stats.copies, `step ${i + 1}: cow copied ${c.stats.copies} > eager ${eager.stats.copies}`);
          assert.deepEqual(contents(c), contents(eager));
        }
      }),
      { numRuns: RUNS, seed: 42 },
    );
  });

  it('the timeline reads back every step exactly as it was', () => {
    fc.assert(
      fc.property(opSeeds(120), fc.array(fc.nat(), { maxLength: 30 }), (seeds, probes) => {
        const { ops, machines } = play('cow', seeds, () => undefined);
        const t = new Timeline(createMachine('cow'));
        for (const op of ops) assert.ok(t.push(op).ok);
        assert.equal(t.length, machines.length);
        for (const p of probes) {
          const i = p % t.length;
          assert.equal(fingerprint(t.at(i)), fingerprint(machines[i] as Machine), `step ${i}`);
        }
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});
