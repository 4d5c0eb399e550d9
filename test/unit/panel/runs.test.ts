// Runs of page-table entries: which rows a learner sees, and what a step changed.
// Expected rows are worked by hand from the collapse rules in src/panel/runs.ts.
import * as assert from 'node:assert/strict';
import { changedPages, COLLAPSE_IDENTICAL, COLLAPSE_PROGRESSION, firstChangedRow, toRows, type EntryRun } from '../../../src/panel/runs';

const flags = { present: true, writable: false, cow: true, shared: false, exclusive: false, hole: false };
const nothing = { present: false, writable: false, cow: false, shared: false, exclusive: false, hole: false };

function run(first: number, last: number, frame: EntryRun['frame'], frameStep: -1 | 0 | 1 = 0, f = flags): EntryRun {
  return { first, last, frame, frameStep, ...f };
}

/** Rows as "first-last:frame:step[*]" (the star marks a changed row). */
function show(rows: ReturnType<typeof toRows>): string[] {
  return rows.map((r) => `${r.first}-${r.last}:${r.frame}:${r.frameStep}${r.changed ? '*' : ''}`);
}

describe('panel: rows of a page table', () => {
  it('collapses a long run of consecutive frames into one row', () => {
    assert.deepEqual(show(toRows([run(0, 999_999, 5, 1)], [])), ['0-999999:5:1']);
  });

  it('spells out a short run page by page, each with its own frame', () => {
    assert.equal(COLLAPSE_PROGRESSION, 64);
    assert.deepEqual(show(toRows([run(0, 3, 1, 1)], [])), ['0-0:1:0', '1-1:2:0', '2-2:3:0', '3-3:4:0']);
    assert.equal(toRows([run(0, 62, 1, 1)], []).length, 63);
    assert.equal(toRows([run(0, 63, 1, 1)], []).length, 1);
  });

  it('collapses identical entries (nothing mapped, the zero page) from a few pages on', () => {
    assert.equal(COLLAPSE_IDENTICAL, 4);
    assert.deepEqual(show(toRows([run(0, 2, null, 0, nothing), run(3, 9, 'zero')], [])), ['0-0:null:0', '1-1:null:0', '2-2:null:0', '3-9:zero:0']);
  });

  it('counts frames downwards as well as upwards', () => {
    const rows = toRows([run(0, 99, 200, -1)], [{ first: 50, last: 50 }]);
    assert.deepEqual(show(rows), ['0-49:200:-1', '50-50:150:0*', '51-99:149:-1']);
  });

  it('splits a run where the step\'s change begins and ends, keeping its pieces collapsed', () => {
    const rows = toRows([run(0, 127, 1, 1)], [{ first: 70, last: 71 }]);
    assert.deepEqual(show(rows), ['0-69:1:1', '70-71:71:1*', '72-127:73:1']);
    assert.equal(firstChangedRow(rows), 1);
  });

  it('finds exactly the pages whose entries differ between two scans', () => {
    // Before: pages 0-127 map frames 1-128, write-protected. After: page 5 maps frame 200, writable.
    const before = [run(0, 127, 1, 1)];
    const after = [run(0, 4, 1, 1), run(5, 5, 200, 0, { ...flags, writable: true, cow: false, exclusive: true }), run(6, 127, 7, 1)];
    assert.deepEqual(changedPages(before, after, 128), [{ first: 5, last: 5 }]);
  });

  it('sees a change of frame inside runs that keep their flags', () => {
    const before = [run(0, 9, 1, 1)];
    const after = [run(0, 9, 2, 1)];
    assert.deepEqual(changedPages(before, after, 10), [{ first: 0, last: 9 }]);
  });

  it('does not call a new map count a change of the entry', () => {
    // The child's copy leaves the parent as frame 2's only mapper: its entry is the same.
    const before = [run(0, 0, 2, 0)];
    const after = [run(0, 0, 2, 0, { ...flags, exclusive: true })];
    assert.deepEqual(changedPages(before, after, 1), []);
  });

  it('marks every page of a region that did not exist before', () => {
    assert.deepEqual(changedPages(null, [run(0, 7, null, 0, nothing)], 8), [{ first: 0, last: 7 }]);
  });

  it('merges neighbouring changes into one interval', () => {
    const before = [run(0, 3, null, 0, nothing)];
    const after = [run(0, 0, 1, 0), run(1, 1, 7, 0), run(2, 3, null, 0, nothing)];
    assert.deepEqual(changedPages(before, after, 4), [{ first: 0, last: 1 }]);
  });
});
