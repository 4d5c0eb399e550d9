// Turns fast-check's random numbers into operations that mostly make sense for the current
// machine (existing names, pages in range) and sometimes do not (to exercise errors).

import * as fc from 'fast-check';
import { apply, createMachine, Machine, Operation, Policy, regionPtes } from '../../../src/engine';

export interface OpSeed {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

export const opSeeds = (maxLength: number): fc.Arbitrary<OpSeed[]> =>
  fc.array(
    fc.record({ kind: fc.nat(99), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000), d: fc.nat(1000) }),
    { minLength: 1, maxLength },
  );

const VALUES = ['a', 'b', 'hello', 'ls -l', ''];

export function opFromSeed(m: Machine, s: OpSeed, counter: { n: number }): Operation {
  const live = m.processes().filter((p) => p.status !== 'exited');
  const running = live.filter((p) => p.status === 'running');
  const pool = s.d % 10 === 0 ? live : running; // now and then, an op on a suspended process
  const proc = pool.length ? (pool[s.a % pool.length] as { name: string }).name : 'p0';
  const regions = m.regions(proc);
  const region = regions.length ? regions[s.b % regions.length] : undefined;
  const rname = region && s.d % 17 !== 0 ? region.name : 'nowhere';
  const pages = region?.pages ?? 4;
  const first = s.c % (pages + (s.d % 13 === 0 ? 2 : 0));
  const last = Math.min(first + (s.d % 3), pages - 1 + (s.d % 11 === 0 ? 1 : 0));
  const k = s.kind;
  if (live.length === 0 || k < 5) return { op: 'spawn', process: `p${counter.n++}` };
  if (k < 15) return { op: 'map', process: proc, region: `r${counter.n++}`, pages: 1 + (s.c % 6), kind: s.d % 3 === 0 ? 'shared' : 'private' };
  if (k < 38) return { op: 'write', process: proc, region: rname, first, last, value: VALUES[s.d % VALUES.length] as string };
  if (k < 50) return { op: 'read', process: proc, region: rname, first, last };
  if (k < 62) return { op: 'fork', process: proc, child: `p${counter.n++}` };
  if (k < 65) return { op: 'vfork', process: proc, child: `p${counter.n++}` };
  if (k < 71) return { op: 'exec', process: proc };
  if (k < 79) return { op: 'exit', process: proc };
  if (k < 83) return { op: 'unmap', process: proc, region: rname };
  if (k < 88) {
    const advice = (['dontfork', 'wipeonfork', 'normal'] as const)[s.d % 3] as 'dontfork' | 'wipeonfork' | 'normal';
    return { op: 'madvise', process: proc, region: rname, first, last, advice };
  }
  const pipe = `pipe${s.c % 3}`;
  if (k < 92) return { op: 'vmsplice', process: proc, region: rname, first, last, pipe };
  if (k < 94) return { op: 'drain', process: proc, pipe: s.d % 19 === 0 ? 'nopipe' : pipe };
  if (k < 97) return { op: 'pin', process: proc, region: rname, first, last };
  return { op: 'unpin', process: proc, region: rname, first, last };
}

/** Everything a learner could see of a machine, as one comparable string. */
export function fingerprint(m: Machine): string {
  const parts: string[] = [JSON.stringify(m.stats)];
  for (const p of m.processes()) {
    parts.push(JSON.stringify(p));
    for (const r of m.regions(p.name)) parts.push(r.name + r.kind + JSON.stringify(regionPtes(m, p.name, r.name)));
  }
  parts.push(JSON.stringify(m.frames()));
  parts.push(JSON.stringify([...m.pipes()]), JSON.stringify(m.pins()));
  return parts.join('\n');
}

/** Operations that end every process (vfork children first, so their parents resume), then drain every pipe. */
export function exitAll(m: Machine): Operation[] {
  const pipes = [...m.pipes()].filter(([, v]) => v.length > 0).map(([name]) => name);
  const running = m.processes().find((p) => p.status === 'running');
  const drainer = running?.name ?? 'drainer';
  const start: Operation[] = running || pipes.length === 0 ? [] : [{ op: 'spawn', process: drainer }];
  const drains = pipes.map((pipe): Operation => ({ op: 'drain', process: drainer, pipe }));
  return [...start, ...drains, ...exitEvery(createMachineLike(m, start))];
}

/** The processes after `start` (a spawned drainer, if any), for exitEvery. */
function createMachineLike(m: Machine, start: readonly Operation[]): Machine {
  let out = m;
  for (const op of start) {
    const r = apply(out, op);
    if (r.ok) out = r.machine;
  }
  return out;
}

function exitEvery(m: Machine): Operation[] {
  const live = m.processes().filter((p) => p.status !== 'exited');
  const children = live.filter((p) => p.borrowsFrom !== null);
  const rest = live.filter((p) => p.borrowsFrom === null);
  // Deepest vfork children first: a vfork child may itself be waiting for its own vfork child.
  children.sort((x, y) => y.pid - x.pid);
  return [...children, ...rest.sort((x, y) => y.pid - x.pid)].map((p) => ({ op: 'exit', process: p.name }));
}

/** Every version the seeds build under each policy, copy-on-write then eager copy unless told (refused operations skipped). */
export function versionsFromSeeds(seeds: readonly OpSeed[], policies: readonly Policy[] = ['cow', 'eager']): Machine[] {
  const versions: Machine[] = [];
  for (const policy of policies) {
    let m = createMachine(policy);
    const counter = { n: 0 };
    for (const s of seeds) {
      const out = apply(m, opFromSeed(m, s, counter));
      if (!out.ok) continue;
      m = out.machine;
      versions.push(m);
    }
  }
  return versions;
}
