// Finding one's way through a big table under jsdom: a collapsed run expands on a click or Enter
// (and collapses again), "go to page" checks what it can and asks the host, the host's answer
// marks the row, and the keyboard's row shows its entry whole in the peek.
import * as assert from 'node:assert/strict';
import type { PteRow } from '../../../src/protocol/messages';
import { parsePageRequest } from '../../../webview/goToPage';
import { AFTER_WRITE_FAULT, pte, region, render, rowsOf, snapshot, step, type Page } from './fixtures';

/** The parent's heap of a million pages after `write heap` and fork: one run, frames #1..#1,000,000 (heap[p] → p + 1). */
function million(rows: PteRow[] = [{ ...pte(0, 1, { cow: true }), last: 999_999, frameStep: 1 }], expanded: { first: number; last: number }[] = []) {
  const machine = { ...AFTER_WRITE_FAULT, processes: [{ ...AFTER_WRITE_FAULT.processes[0]!, regions: [region('parent', rows, { pages: 1_000_000, expanded })] }], frames: [], framesInUse: 1_000_000 };
  return snapshot({ step: step(4, [machine]) });
}

describe('panel webview: expanding runs and going to a page', () => {
  let page: Page;
  afterEach(() => page?.close());
  const key = (el: Element | null | undefined, k: string) => el?.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

  it('asks the host to spell out a collapsed run on a click, and on Enter from the keyboard', () => {
    page = render(million());
    const [run] = rowsOf(page, 'parent');
    assert.ok(run?.classList.contains('can-expand'));
    assert.match(run?.title ?? '', /click: show each page/);
    run?.querySelector<HTMLElement>('.cell.frame')?.click();
    const body = page.document.querySelector<HTMLElement>('[data-process="parent"] .pte-body');
    body?.focus();
    key(body, 'Enter');
    const expand = { type: 'expandRun', machine: 'primary', process: 'parent', region: 'heap', first: 0, last: 999_999 };
    assert.deepEqual(page.posted, [expand, expand]);
  });

  it('offers to collapse an expanded run again from its first row', () => {
    const rows = [pte(0, 1, { cow: true }), pte(1, 2, { cow: true }), { ...pte(2, 3, { cow: true }), last: 999_999, frameStep: 1 as const }];
    page = render(million(rows, [{ first: 0, last: 1 }]));
    const shown = rowsOf(page, 'parent');
    assert.deepEqual(shown.map((r) => (r.classList.contains('can-collapse') ? 'collapse' : r.classList.contains('can-expand') ? 'expand' : '-')), ['collapse', '-', 'expand']);
    shown[0]?.click();
    shown[1]?.click();
    assert.deepEqual(page.posted, [{ type: 'collapseRun', machine: 'primary', process: 'parent', region: 'heap', page: 0 }], 'a row inside the run asks nothing');
  });

  it('walks rows with the keyboard and shows the active entry whole in the peek', () => {
    const rows = [pte(0, 1, { cow: true }), { ...pte(1, 2, { cow: true }), last: 999_999, frameStep: 1 as const }];
    page = render(million(rows));
    const body = page.document.querySelector<HTMLElement>('[data-process="parent"] .pte-body');
    const peek = page.document.querySelector<HTMLElement>('[data-process="parent"] .vl-peek');
    assert.equal(peek?.hidden, true);
    body?.focus();
    assert.equal(peek?.hidden, false);
    assert.match(peek?.textContent ?? '', /^page 0: present, read-only, copy-on-write, frame #1/);
    key(body, 'ArrowDown');
    assert.match(peek?.textContent ?? '', /^pages 1–999,999: .*frames #2–#1,000,000.* — Enter shows each page$/);
    const active = page.document.getElementById(body?.getAttribute('aria-activedescendant') ?? '');
    assert.equal(active?.dataset.row, '1');
    body?.blur();
    assert.equal(peek?.hidden, true);
  });

  it('reads "go to page" requests, and says what is wrong with one it cannot send', () => {
    const tables = [region('parent', [], { pages: 1_000_000 }), region('child', [], { pages: 1_000_000 })];
    assert.deepEqual(parsePageRequest('heap[123456]', tables), { process: null, region: 'heap', page: 123_456 });
    assert.deepEqual(parsePageRequest(' child heap[ 123,456 ] ', tables), { process: 'child', region: 'heap', page: 123_456 });
    assert.deepEqual(parsePageRequest('child: heap[5]', tables), { process: 'child', region: 'heap', page: 5 });
    assert.match((parsePageRequest('heap[1000000]', tables) as { error: string }).error, /heap has 1,000,000 pages: 0 to 999,999/);
    assert.match((parsePageRequest('stack[0]', tables) as { error: string }).error, /No region is called stack at this step \(there is heap\)/);
    assert.match((parsePageRequest('shell heap[0]', tables) as { error: string }).error, /shell has no region heap/);
    assert.match((parsePageRequest('123456', tables) as { error: string }).error, /like heap\[123456\]/);
  });

  it('asks the host for the page, and marks the row it answers with', () => {
    page = render(million());
    const input = page.document.querySelector<HTMLInputElement>('.goto-input');
    input!.value = 'heap[2000000]';
    key(input!, 'Enter');
    assert.equal(input?.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(page.posted, []);
    input!.value = 'heap[123456]';
    key(input!, 'Enter');
    assert.deepEqual(page.posted, [{ type: 'goToPage', process: null, region: 'heap', page: 123_456 }]);
    // The host spells the page out: three rows now, the page on row 1.
    const rows = [{ ...pte(0, 1, { cow: true }), last: 123_455, frameStep: 1 as const }, pte(123_456, 123_457, { cow: true }), { ...pte(123_457, 123_458, { cow: true }), last: 999_999, frameStep: 1 as const }];
    const next = million(rows, [{ first: 123_456, last: 123_456 }]);
    page.app.receive({ type: 'step', step: next.step! });
    page.app.receive({ type: 'pageFound', runId: 1, position: 4, region: 'heap', page: 123_456, found: [{ machine: 'primary', process: 'parent', row: 1 }] });
    const marked = page.document.querySelector<HTMLElement>('[data-process="parent"] .pte-row.active');
    assert.equal(marked?.dataset.row, '1');
    assert.equal(marked?.querySelector('.cell.frame')?.textContent, '#123,457');
    assert.equal(page.document.querySelector('.goto-status')?.textContent, "heap[123,456] is marked in parent's table.");
  });
});
