// Bad input returns a typed error, never throws, and leaves the machine as it was.

import * as assert from 'node:assert/strict';
import { apply, createMachine, ErrorCode, MAX_REGION_PAGES, Operation } from '../../../src/engine';
import { fingerprint } from './scenario-gen';
import { exit, fork, mapPrivate, run, spawn, vfork, write } from './helpers';

describe('engine errors', () => {
  const base = run([spawn('p'), mapPrivate('p', 'heap', 4), write('p', 'heap', 0), spawn('done'), exit('done'), spawn('v'), mapPrivate('v', 'm', 1), vfork('v', 'vc')]).machine;

  const cases: [string, Operation, ErrorCode][] = [
    ['unknown process', { op: 'write', process: 'nobody', region: 'heap', first: 0, last: 0 }, 'unknown-process'],
    ['unknown region', { op: 'read', process: 'p', region: 'haep', first: 0, last: 0 }, 'unknown-region'],
    ['page past the end', { op: 'write', process: 'p', region: 'heap', first: 2, last: 4 }, 'page-out-of-range'],
    ['negative page', { op: 'read', process: 'p', region: 'heap', first: -1, last: 0 }, 'invalid-argument'],
    ['reversed range', { op: 'read', process: 'p', region: 'heap', first: 3, last: 1 }, 'invalid-argument'],
    ['fractional page', { op: 'read', process: 'p', region: 'heap', first: 0.5, last: 1 }, 'invalid-argument'],
    ['exited process', { op: 'fork', process: 'done', child: 'x' }, 'process-exited'],
    ['suspended vfork parent', { op: 'write', process: 'v', region: 'm', first: 0, last: 0 }, 'process-suspended'],
    ['duplicate process', { op: 'fork', process: 'p', child: 'done' }, 'duplicate-name'],
    ['duplicate region', { op: 'map', process: 'p', region: 'heap', pages: 1, kind: 'private' }, 'duplicate-name'],
    ['absurd size', { op: 'map', process: 'p', region: 'huge', pages: MAX_REGION_PAGES + 1, kind: 'private' }, 'too-large'],
    ['zero pages', { op: 'map', process: 'p', region: 'none', pages: 0, kind: 'private' }, 'invalid-argument'],
    ['NaN pages', { op: 'map', process: 'p', region: 'nan', pages: NaN, kind: 'private' }, 'invalid-argument'],
    ['bad name', { op: 'spawn', process: 'has space' }, 'invalid-argument'],
    ['huge value', { op: 'write', process: 'p', region: 'heap', first: 0, last: 0, value: 'x'.repeat(10_000) }, 'too-large'],
    ['unknown advice', { op: 'madvise', process: 'p', region: 'heap', first: 0, last: 0, advice: 'nohuge' as 'normal' }, 'invalid-argument'],
    ['unknown operation', { op: 'teleport', process: 'p' } as unknown as Operation, 'invalid-argument'],
  ];

  for (const [what, op, code] of cases) {
    it(`${what} → ${code}, machine unchanged`, () => {
      const before = fingerprint(base);
      const out = apply(base, op);
      assert.equal(out.ok, false);
      if (!out.ok) {
        assert.equal(out.error.code, code, out.error.message);
        assert.ok(out.error.message.length > 10);
      }
      assert.equal(fingerprint(base), before);
    });
  }

  it('a failing range write changes nothing, even for the pages before the bad one', () => {
    const m = run([fork('p', 'c')], 'cow', base).machine;
    const out = apply(m, { op: 'write', process: 'c', region: 'heap', first: 0, last: 9 });
    assert.ok(!out.ok);
    assert.equal(m.stats.copies, 0);
    assert.equal(m.pte('c', 'heap', 0).writable, false);
  });

  it('null and garbage operations are errors, not exceptions', () => {
    for (const junk of [null, undefined, 42, 'fork', {}, { op: 'write' }, { op: 'map', process: 'p', region: 'r', pages: '3' }]) {
      const out = apply(createMachine('cow'), junk as unknown as Operation);
      assert.equal(out.ok, false, JSON.stringify(junk));
    }
  });
});

describe('engine: a failed step leaves the shared value table as it was', () => {
  it('a write that faults on a hole does not keep its value', () => {
    // parent's heap[1] is left out of the child by MADV_DONTFORK; the child's write over
    // heap[0..1] faults on page 1 (SIGSEGV) after page 0 interned the new value.
    const { machine } = run([
      { op: 'spawn', process: 'parent' },
      { op: 'map', process: 'parent', region: 'heap', pages: 2, kind: 'private' },
      { op: 'write', process: 'parent', region: 'heap', first: 0, last: 1, value: 'kept' },
      { op: 'madvise', process: 'parent', region: 'heap', first: 1, last: 1, advice: 'dontfork' },
      { op: 'fork', process: 'parent', child: 'child' },
    ]);
    const values = machine.data.values;
    const before = values.size;
    const failed = apply(machine, { op: 'write', process: 'child', region: 'heap', first: 0, last: 1, value: 'never-stored' });
    assert.equal(failed.ok, false);
    if (!failed.ok) assert.equal(failed.error.code, 'segfault');
    assert.equal(values.size, before, 'the failed write added its value to the table every version shares');
    // A later successful write of the same text still works (interned afresh).
    const ok = apply(machine, { op: 'write', process: 'child', region: 'heap', first: 0, last: 0, value: 'never-stored' });
    assert.ok(ok.ok);
    if (ok.ok) assert.equal(ok.machine.pte('child', 'heap', 0).frame !== null, true);
    assert.equal(values.size, before + 1);
  });
});
