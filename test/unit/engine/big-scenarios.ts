// Random scenarios over regions of thousands of pages, for the tests that compare two ways of
// playing the same steps (bulk.test.ts: whole tables against page at a time; slices.test.ts: a
// step in slices against one undivided call). They mix in what changes the per-page rules:
// forks and exits (shared and unshared tables), reads of the zero page, pins (a write that keeps
// values; a pin is a reference that is not a mapping), MADV_DONTFORK holes, old kernels
// (map-count reuse), kernels without a zero page, `memory N` limits, huge regions, shared ones,
// and both policies (a full copy at fork under `eager`).
import * as fc from 'fast-check';
import { createMachine, Machine, MachineRules, Operation, Policy, StepOutcome } from '../../../src/engine';
import { fingerprint } from './scenario-gen';

export interface Step {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export interface Scenario {
  readonly policy: Policy;
  readonly rules: MachineRules;
  readonly leaves: number;
  readonly steps: readonly Step[];
}

const KERNELS = [undefined, { major: 6, minor: 18 }, { major: 5, minor: 10 }, { major: 5, minor: 8 }, { major: 4, minor: 19 }];

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  policy: fc.constantFrom<Policy>('cow', 'eager'),
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
export function structure(m: Machine): string {
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

export function outcomeOf(out: StepOutcome): string {
  if (!out.ok) return `error ${out.error.code}: ${out.error.message}`;
  return JSON.stringify({ events: out.events, omitted: out.eventsOmitted, explanation: out.explanation, stats: out.machine.stats });
}

/** Plays the scenario; returns every step's outcome and machine, as comparable strings. */
export function play(sc: Scenario, step: (m: Machine, op: Operation) => StepOutcome): string[] {
  let m = createMachine(sc.policy, sc.rules);
  const n = { next: 1 };
  const out: string[] = [];
  const start = setup(sc.leaves);
  // Each operation is made from the machine as it is when it runs.
  for (let i = 0; i < start.length + sc.steps.length; i++) {
    const op = i < start.length ? (start[i] as Operation) : opOf(m, sc.steps[i - start.length] as Step, 64 * sc.leaves, n);
    const done = step(m, op);
    out.push(`${JSON.stringify(op)}\n${outcomeOf(done)}`);
    if (!done.ok) continue;
    m = done.machine;
    out.push(fingerprint(m), structure(m));
  }
  return out;
}

