// The random scenarios of scenario-gen.ts, widened: regions of up to 300 pages (several
// last-level tables of 64 entries) and ranges of up to 130 pages or the whole region, so a step
// writes whole last-level tables at once, as a million-page scenario does. The memory index and
// the scan tokens take such steps in stretches of frames; these versions check them against the
// page-by-page counts.

import { apply, createMachine, Machine, Operation } from '../../../src/engine';
import { opFromSeed, type OpSeed } from './scenario-gen';

function widened(m: Machine, op: Operation, s: OpSeed): Operation {
  if (op.op === 'map') return { ...op, pages: 1 + (s.c % 300) };
  if (!('first' in op)) return op;
  const pages = m.regions(op.process).find((r) => r.name === op.region)?.pages;
  if (pages === undefined) return op;
  // Now and then the whole region; otherwise up to 130 pages from `first` (never past the end).
  if (s.d % 5 === 0) return { ...op, first: 0, last: pages - 1 };
  return { ...op, last: Math.min(pages - 1, op.first + (s.d % 131)) };
}

/** Every version the seeds build with widened operations, under copy-on-write then eager copy (refused operations skipped). */
export function wideVersionsFromSeeds(seeds: readonly OpSeed[]): Machine[] {
  const versions: Machine[] = [];
  for (const policy of ['cow', 'eager'] as const) {
    let m = createMachine(policy);
    const counter = { n: 0 };
    for (const s of seeds) {
      const out = apply(m, widened(m, opFromSeed(m, s, counter), s));
      if (!out.ok) continue;
      m = out.machine;
      versions.push(m);
    }
  }
  return versions;
}
