// Past MAX_EVENTS_PER_STEP a step stops listing events and only counts them (`eventsOmitted`,
// the CLI's "N more events not listed"). Every event is either listed or counted: a range of
// pages that each cause the same events reports events + omitted = once + pages × (events of
// one page), worked out on ranges small enough to list in full.
import * as assert from 'node:assert/strict';
import { MAX_EVENTS_PER_STEP, type Operation } from '../../../src/engine';
import { run } from './helpers';

const SMALL = 100;
const LARGE = 3 * MAX_EVENTS_PER_STEP;

function total(setup: (pages: number) => Operation[], access: (pages: number) => Operation, pages: number): { listed: number; omitted: number } {
  const { last } = run([...setup(pages), access(pages)]);
  return { listed: last.events.length, omitted: last.eventsOmitted };
}

const cases: { name: string; setup: (pages: number) => Operation[]; access: (pages: number) => Operation }[] = [
  {
    name: 'writes to untouched pages (fault, allocate, entry)',
    setup: (n) => [{ op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' }],
    access: (n) => ({ op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }),
  },
  {
    name: 'reads of written pages (a value each, no fault)',
    setup: (n) => [{ op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' }, { op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }],
    access: (n) => ({ op: 'read', process: 'p', region: 'r', first: 0, last: n - 1 }),
  },
  {
    name: 'copy-on-write faults after fork (fault, allocate, copy, entry)',
    setup: (n) => [
      { op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }, { op: 'fork', process: 'p', child: 'c' },
    ],
    access: (n) => ({ op: 'write', process: 'c', region: 'r', first: 0, last: n - 1, value: 'w' }),
  },
  {
    name: 'reuse faults after the other side exited (fault, reuse, entry)',
    setup: (n) => [
      { op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }, { op: 'fork', process: 'p', child: 'c' }, { op: 'exit', process: 'c' },
    ],
    access: (n) => ({ op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'w' }),
  },
  {
    name: 'pins of written pages (a pin each)',
    setup: (n) => [{ op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' }, { op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }],
    access: (n) => ({ op: 'pin', process: 'p', region: 'r', first: 0, last: n - 1 }),
  },
  {
    name: 'unpins (an unpin each)',
    setup: (n) => [
      { op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }, { op: 'pin', process: 'p', region: 'r', first: 0, last: n - 1 },
    ],
    access: (n) => ({ op: 'unpin', process: 'p', region: 'r', first: 0, last: n - 1 }),
  },
  {
    name: 'fork of pinned pages (each copied for the child at fork)',
    setup: (n) => [
      { op: 'spawn', process: 'p' }, { op: 'map', process: 'p', region: 'r', pages: n, kind: 'private' },
      { op: 'write', process: 'p', region: 'r', first: 0, last: n - 1, value: 'v' }, { op: 'pin', process: 'p', region: 'r', first: 0, last: n - 1 },
    ],
    access: () => ({ op: 'fork', process: 'p', child: 'c' }),
  },
];

describe('engine: events past the per-step limit are counted, not lost', function () {
  this.timeout(60_000);
  for (const c of cases) {
    it(c.name, () => {
      // Events of a step = once + perPage × pages (fork, for one, adds a process event): read off
      // two small ranges listed in full, then required of a large one.
      const small = total(c.setup, c.access, SMALL);
      const double = total(c.setup, c.access, 2 * SMALL);
      assert.equal(small.omitted + double.omitted, 0, 'the small ranges list every event');
      const perPage = (double.listed - small.listed) / SMALL;
      const once = small.listed - perPage * SMALL;
      assert.ok(Number.isInteger(perPage) && perPage > 0 && once >= 0, `${perPage} per page, ${once} once`);
      const large = total(c.setup, c.access, LARGE);
      assert.equal(large.listed, MAX_EVENTS_PER_STEP);
      assert.equal(large.listed + large.omitted, once + perPage * LARGE);
    });
  }
});
