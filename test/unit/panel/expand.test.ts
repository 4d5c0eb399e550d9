// Collapsed runs on request: spelling out pages of a run, going to one page of a million, and
// collapsing again. Expected rows are worked by hand from the collapse rules in src/panel/runs.ts;
// the million-page scenario is test/fixtures/panel-widths.cow, worked in its header (heap[p]
// maps frame p + 1 in the parent; the child's write to heap[123456] copied it into #1,000,001).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addInterval, rowOfPage, toRows, type EntryRun } from '../../../src/panel/runs';
import { runForPanel } from '../../../src/panel/scenarioRun';
import { EXPAND_PAGES, PanelModel } from '../../../src/panel/stepModel';

const flags = { present: true, writable: false, cow: true, shared: false, exclusive: false, hole: false };
const run = (first: number, last: number, frame: EntryRun['frame'], frameStep: -1 | 0 | 1 = 0): EntryRun => ({ first, last, frame, frameStep, ...flags });
const show = (rows: ReturnType<typeof toRows>) => rows.map((r) => `${r.first}-${r.last}:${r.frame}${r.changed ? '*' : ''}`);

describe('panel: expanding collapsed runs', () => {
  it('spells out the pages asked for, one row each with its own frame, and keeps the rest collapsed', () => {
    // Pages 0..999 map frames 10..1009: one collapsed row; pages 5..7 spelled out.
    assert.deepEqual(show(toRows([run(0, 999, 10, 1)], [], [{ first: 5, last: 7 }])), ['0-4:10', '5-5:15', '6-6:16', '7-7:17', '8-999:18']);
    // A change inside a spelled interval still marks its rows.
    assert.deepEqual(show(toRows([run(0, 999, 10, 1)], [{ first: 6, last: 6 }], [{ first: 5, last: 7 }])), ['0-4:10', '5-5:15', '6-6:16*', '7-7:17', '8-999:18']);
    // One page of a million: the page alone, the run either side still one row.
    assert.deepEqual(show(toRows([run(0, 999_999, 1, 1)], [], [{ first: 123_456, last: 123_456 }])), ['0-123455:1', '123456-123456:123457', '123457-999999:123458']);
  });

  it('finds the row of a page, and merges intervals that touch', () => {
    const rows = toRows([run(0, 999_999, 1, 1)], [], [{ first: 123_456, last: 123_456 }]);
    assert.deepEqual([rowOfPage(rows, 0), rowOfPage(rows, 123_455), rowOfPage(rows, 123_456), rowOfPage(rows, 999_999), rowOfPage(rows, 1_000_000)], [0, 0, 1, 2, -1]);
    assert.deepEqual(addInterval([{ first: 0, last: 3 }, { first: 10, last: 12 }], 4, 9), [{ first: 0, last: 12 }]);
    assert.deepEqual(addInterval([{ first: 10, last: 12 }], 0, 2), [{ first: 0, last: 2 }, { first: 10, last: 12 }]);
  });

  const source = readFileSync(join(__dirname, '..', '..', 'fixtures', 'panel-widths.cow'), 'utf8');
  function million(): PanelModel {
    const attempt = runForPanel(source, 'panel-widths.cow', 1);
    assert.ok(attempt.ok);
    return new PanelModel(attempt.run);
  }
  const parentHeap = (m: PanelModel, position: number) => m.stepView(position, false).machines[0]!.processes.find((p) => p.name === 'parent')!.regions[0]!;

  it('goes to heap[123456] in a million-page table: a row of its own, in the window sent', function () {
    this.timeout(180_000); // a million-page run, both policies: seconds on a busy machine
    const m = million();
    const last = m.stepCount - 1;
    const found = m.findPage(last, ['primary'], null, 'heap', 123_456);
    // Both processes have the page; the parent's maps frame #123,457, the child's its copy #1,000,001.
    assert.deepEqual(found.map((f) => f.process), ['parent', 'child']);
    const table = parentHeap(m, last);
    const row = table.window.rows[found[0]!.row - table.window.start];
    assert.deepEqual([row?.first, row?.last, row?.frame], [123_456, 123_456, 123_457]);
    assert.deepEqual(table.expanded, [{ first: 123_456, last: 123_456 }]);
    // Another page, the last one: found in both; a page past the end in none.
    assert.equal(m.findPage(last, ['primary'], 'parent', 'heap', 999_999).length, 1);
    assert.deepEqual(m.findPage(last, ['primary'], null, 'heap', 1_000_000), []);
    assert.deepEqual(m.findPage(last, ['primary'], null, 'stack', 0), []);
  });

  it('expands at most EXPAND_PAGES pages of a run at a time, and collapses them again', function () {
    this.timeout(180_000);
    const m = million();
    const fork = 3;
    // After the fork the parent's heap is one run: pages 0..999,999 → frames #1..#1,000,000.
    assert.equal(parentHeap(m, fork).rowCount, 1);
    m.expand({ machine: 'primary', process: 'parent', region: 'heap' }, 0, 999_999);
    const expanded = parentHeap(m, fork);
    assert.equal(expanded.rowCount, EXPAND_PAGES + 1);
    assert.deepEqual(expanded.expanded, [{ first: 0, last: EXPAND_PAGES - 1 }]);
    assert.deepEqual([expanded.window.rows[3]?.first, expanded.window.rows[3]?.frame], [3, 4]);
    // The expansion stays across steps (the next step has the same table).
    assert.equal(parentHeap(m, fork + 1).expanded?.length, 1);
    assert.equal(m.collapse({ machine: 'primary', process: 'parent', region: 'heap' }, 10), true);
    assert.equal(parentHeap(m, fork).rowCount, 1);
    assert.equal(m.collapse({ machine: 'primary', process: 'parent', region: 'heap' }, 10), false, 'nothing left to collapse');
  });
});
