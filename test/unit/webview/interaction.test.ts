// The panel's front end under jsdom: the learner's input becomes protocol messages, host
// messages update the view, and a million-row table keeps only a window of rows in the DOM.
import * as assert from 'node:assert/strict';
import type { HostMessage, MachinePanel, PteRow } from '../../../src/protocol/messages';
import { ROW_HEIGHT, VISIBLE_ROWS } from '../../../webview/pageTable';
import { AFTER_WRITE_FAULT, pte, region, render, rowsOf, snapshot, step, type Page } from './fixtures';

/** A region of `rowCount` rows of which the host sent rows 0..199: each row one page mapping frame 10 + page. */
function bigMachine(rowCount: number): MachinePanel {
  const rows: PteRow[] = [];
  for (let i = 0; i < 200; i++) rows.push(pte(i, 10 + i, { writable: true, exclusive: true }));
  return {
    ...AFTER_WRITE_FAULT,
    processes: [{ ...AFTER_WRITE_FAULT.processes[0]!, regions: [region('parent', rows, { pages: rowCount, rowCount })] }],
    frames: [],
    framesComplete: false,
    framesInUse: rowCount,
  };
}

describe('panel webview: input and updates', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('turns the timeline buttons, the scrubber and the compare box into messages', () => {
    page = render(snapshot());
    const click = (to: string) => page.document.querySelector<HTMLElement>(`[data-nav="${to}"]`)?.click();
    click('forward');
    click('back');
    click('first');
    click('last');
    const scrubber = page.document.querySelector<HTMLInputElement>('.scrubber');
    assert.equal(scrubber?.value, '4');
    assert.equal(scrubber?.max, '5');
    scrubber!.value = '2';
    scrubber!.dispatchEvent(new page.window.Event('input'));
    // vscode-checkbox flips its `checked` property, then fires change.
    const compare = page.document.querySelector<HTMLElement & { checked: boolean }>('.compare');
    compare!.checked = true;
    compare!.dispatchEvent(new page.window.Event('change'));
    assert.deepEqual(page.posted, [
      { type: 'navigate', to: 'forward' },
      { type: 'navigate', to: 'back' },
      { type: 'navigate', to: 'first' },
      { type: 'navigate', to: 'last' },
      { type: 'goTo', position: 2 },
      { type: 'setCompare', on: true },
    ]);
  });

  it('disables the buttons that lead nowhere', () => {
    page = render(snapshot({ step: step(0, [AFTER_WRITE_FAULT]) }));
    const disabled = (to: string) => page.document.querySelector(`[data-nav="${to}"]`)?.hasAttribute('disabled');
    assert.equal(disabled('first'), true);
    assert.equal(disabled('back'), true);
    assert.equal(disabled('forward'), false);
    page.document.querySelector<HTMLElement>('[data-nav="back"]')?.click();
    assert.deepEqual(page.posted, []);
    assert.equal(page.document.querySelector('.position')?.textContent, 'Step 1 of 6');
  });

  it('steps with ← → Home End, but not while the learner is in the scrubber or a table', () => {
    page = render(snapshot());
    const key = (target: Element, k: string) => target.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: k, bubbles: true }));
    key(page.document.body, 'ArrowRight');
    key(page.document.body, 'ArrowLeft');
    key(page.document.body, 'Home');
    key(page.document.body, 'End');
    key(page.document.querySelector('.scrubber')!, 'ArrowRight');
    key(page.document.querySelector('.pte-body')!, 'End');
    assert.deepEqual(page.posted.map((m) => m.type === 'navigate' && m.to), ['forward', 'back', 'first', 'last']);
  });

  it('keeps every table and control reachable by keyboard', () => {
    page = render(snapshot());
    for (const body of page.document.querySelectorAll<HTMLElement>('.pte-body, .frames-body')) assert.equal(body.tabIndex, 0);
    assert.equal(page.document.querySelector('.line-link')?.tagName, 'BUTTON');
    assert.equal(page.document.querySelectorAll('vscode-button[data-nav]').length, 4);
  });

  it('shows a new step from the host, and saves where it is for a reload', () => {
    page = render(snapshot());
    const rows = [pte(0, 1, { writable: true, exclusive: true }), pte(1, 2, { writable: true, exclusive: true, changed: true })];
    const next: MachinePanel = { ...AFTER_WRITE_FAULT, processes: [{ ...AFTER_WRITE_FAULT.processes[0]!, regions: [region('parent', rows, { pages: 2 })] }] };
    page.app.receive({ type: 'step', step: step(5, [next], { statement: 'parent: write heap[1]' }) });
    assert.equal(rowsOf(page, 'child').length, 0, 'the child is gone from this step');
    assert.deepEqual(rowsOf(page, 'parent').map((r) => r.classList.contains('changed')), [false, true]);
    assert.equal(page.document.querySelector('.statement')?.textContent, 'parent: write heap[1]');
    assert.deepEqual(page.saved[page.saved.length - 1], { version: 1, document: 'file:///work/02-write-fault.cow', position: 5, compare: false });
  });

  it('keeps only a window of a million-row table in the DOM and asks the host for the rows it scrolls to', async () => {
    page = render(snapshot({ step: step(4, [bigMachine(1_000_000)]) }));
    const body = page.document.querySelector<HTMLElement>('.pte-body')!;
    assert.ok(rowsOf(page, 'parent').length <= VISIBLE_ROWS + 12, `${rowsOf(page, 'parent').length} rows rendered`);
    assert.equal(body.querySelector('.vl-spacer')?.getAttribute('style'), `height: ${1_000_000 * ROW_HEIGHT}px;`);
    assert.equal(page.posted.length, 0, 'the rows in view came with the step');
    body.scrollTop = 500_000 * ROW_HEIGHT;
    body.dispatchEvent(new page.window.Event('scroll'));
    await page.nextFrame();
    const shown = rowsOf(page, 'parent');
    assert.ok(shown.every((r) => r.classList.contains('loading')), 'rows not sent yet show as loading');
    assert.ok(shown.some((r) => r.dataset.row === '500000'));
    const request = page.posted.find((m) => m.type === 'requestRows');
    assert.deepEqual(request, { type: 'requestRows', runId: 1, position: 4, machine: 'primary', process: 'parent', region: 'heap', start: 500_000 - 32, count: 256 });
  });

  it('fills rows the host sends for the current step and ignores replies for an older run', async () => {
    page = render(snapshot({ step: step(4, [bigMachine(1_000_000)]) }));
    const body = page.document.querySelector<HTMLElement>('.pte-body')!;
    body.scrollTop = 500_000 * ROW_HEIGHT;
    body.dispatchEvent(new page.window.Event('scroll'));
    await page.nextFrame();
    const start = 500_000 - 32;
    const rows = Array.from({ length: 256 }, (_, i) => pte(start + i, 10 + start + i, { cow: true }));
    const reply = (runId: number): HostMessage => ({ type: 'rows', runId, position: 4, machine: 'primary', process: 'parent', region: 'heap', window: { start, rows }, frames: [], spans: [], zeroPageMapped: false });
    page.app.receive(reply(0));
    assert.ok(rowsOf(page, 'parent').every((r) => r.classList.contains('loading')), 'a stale reply changes nothing');
    page.app.receive(reply(1));
    const row = rowsOf(page, 'parent').find((r) => r.dataset.row === '500000');
    assert.equal(row?.querySelector('.cell.page')?.textContent, '500,000');
    assert.equal(row?.querySelector('.cell.frame')?.textContent, '#500,010');
  });

  it('brings the step\'s first change into view', () => {
    const rows = Array.from({ length: 200 }, (_, i) => pte(i, 10 + i, { cow: true, changed: i === 150 }));
    const machine: MachinePanel = { ...AFTER_WRITE_FAULT, processes: [{ ...AFTER_WRITE_FAULT.processes[0]!, regions: [region('parent', rows, { pages: 200 })] }] };
    page = render(snapshot({ step: step(4, [machine]) }));
    const changed = page.document.querySelector<HTMLElement>('.pte-row.changed');
    assert.equal(changed?.dataset.row, '150');
  });

  it('shows both machines when comparing, the full copy under copy-on-write', () => {
    const eager: MachinePanel = { ...AFTER_WRITE_FAULT, key: 'comparison', policy: 'eager' };
    page = render(snapshot());
    page.app.receive({ type: 'compare', on: true, step: step(4, [AFTER_WRITE_FAULT, eager]) });
    const titles = [...page.document.querySelectorAll('.diagram-title')].map((t) => t.textContent);
    assert.deepEqual(titles, ['Copy-on-write (what Linux does)', 'Full copy (every page copied at fork): the same scenario, for comparison']);
    assert.equal(rowsOf(page, 'child', 'comparison').length, 4);
    assert.equal(page.saved[page.saved.length - 1]?.compare, true);
  });
});
