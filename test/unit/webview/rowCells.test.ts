// A page-table row in as few elements as it can be (each element of a new row costs style and
// layout before a step can paint): the row and three cells, the six flags one text in columns.
// What a learner sees and a screen reader reads must stay: every flag in its column, each set
// flag named, the change said in words, the run's lead apart from its rest.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { FLAG_COLUMNS, flagsText, renderPteRow } from '../../../webview/pageTable';
import { pte, render, rowsOf, snapshot, type Page } from './fixtures';

const doc = new JSDOM('<!DOCTYPE html><body></body>').window.document;
const elements = (row: HTMLElement) => 1 + row.querySelectorAll('*').length;

/** Where each column's text starts in flagsText (worked out from the columns 2, 2, 4, 2, 2, 2 characters wide, each flag centred in its own). */
const COLUMN_START = { P: 0, W: 2, CoW: 4, S: 8, Z: 10, X: 12 } as const;

describe('panel webview: a page-table row in few elements', () => {
  let page: Page | undefined;
  afterEach(() => page?.close());

  it('draws a single page as the row and three cells: page, flags, frame', () => {
    const row = renderPteRow(doc, pte(5, 12, { writable: true, changed: true, anonExclusive: true }), 5);
    assert.equal(elements(row), 4);
    assert.deepEqual([...row.children].map((c) => [c.className, c.getAttribute('role'), c.textContent]), [
      ['cell page', 'cell', '5'],
      ['cell flags', 'cell', 'P W  ·  · · X'],
      ['cell frame', 'cell', '#12'],
    ]);
    // The change mark and its words are drawn by the stylesheet from the class.
    assert.ok(row.classList.contains('changed'));
    assert.match(row.title, /\(changed by this step\)$/);
  });

  it('adds a lead and a rest only to a cell that shows a run, and the PMD badge only to a huge page', () => {
    const run = renderPteRow(doc, { ...pte(0, 1, { cow: true, pmd: true }), last: 511, frameStep: 1 }, 0);
    assert.deepEqual([...run.querySelectorAll('.lead, .rest, .pmd-mark')].map((e) => e.textContent), ['0', '–511', 'PMD', '#1', '–#512']);
    assert.equal(elements(run), 9);
  });

  it('names the set flags for a screen reader, and says so when none is set', () => {
    const flags = (row: HTMLElement) => row.querySelector('.cell.flags')?.getAttribute('aria-label');
    assert.equal(flags(renderPteRow(doc, pte(1, 2, { cow: true }), 1)), 'present, copy-on-write');
    assert.equal(flags(renderPteRow(doc, pte(1, 'zero'), 1)), 'present, zero page');
    assert.equal(flags(renderPteRow(doc, pte(1, null), 1)), 'no flags');
  });

  it('puts every flag, set or not, in its own column of the text', () => {
    // All 64 combinations: each column holds its abbreviation when set and a centred "·" when not.
    for (let bits = 0; bits < 64; bits++) {
      const set = (i: number) => (bits & (1 << i)) !== 0;
      const row = pte(0, set(4) ? 'zero' : set(0) ? 3 : null, { present: set(0), writable: set(1), cow: set(2), shared: set(3), anonExclusive: set(5) });
      const text = flagsText(row);
      assert.equal(text.length, 13);
      for (const column of FLAG_COLUMNS) {
        const start = COLUMN_START[column.abbr as keyof typeof COLUMN_START];
        const width = column.abbr.length === 1 ? 1 : 3;
        const expected = column.isSet(row) ? column.abbr : width === 1 ? '·' : ' · ';
        assert.equal(text.slice(start, start + width), expected, `${column.abbr} in ${JSON.stringify(text)}`);
      }
    }
  });

  it('keeps one column header per cell, the flags header naming all six', () => {
    page = render(snapshot());
    const head = page.document.querySelector('[data-process="parent"] .pte-head');
    assert.deepEqual([...(head?.children ?? [])].map((c) => c.getAttribute('role')), ['columnheader', 'columnheader', 'columnheader']);
    assert.equal(head?.querySelector('.cell.flags')?.getAttribute('aria-label'), 'flags: present (P), writable (W), copy-on-write (CoW), shared (S), zero page (Z), exclusive (X)');
    assert.deepEqual([...(head?.querySelectorAll<HTMLElement>('.flag-head') ?? [])].map((c) => c.textContent), ['P', 'W', 'CoW', 'S', 'Z', 'X']);
    // Every data row has as many cells as the header has column headers.
    for (const row of rowsOf(page, 'parent')) assert.equal(row.querySelectorAll('[role="cell"]').length, 3);
  });
});
