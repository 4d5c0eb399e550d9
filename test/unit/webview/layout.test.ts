// What the panel's layout at every width rests on, under jsdom (the widths themselves are measured
// in a real VS Code: test/ui/panelWidths.test.ts): the page and frame columns sized from what a
// region and a machine can show, a run's lead kept apart from the rest that may be shortened, and
// the scrubber's event marks — what each says, where a click goes, how the keyboard walks them.
import * as assert from 'node:assert/strict';
import type { PteRow } from '../../../src/protocol/messages';
import { eventMarks } from '../../../webview/eventMarks';
import { frameColumnChars, pageColumnChars } from '../../../webview/pageTable';
import { AFTER_WRITE_FAULT, pte, region, render, rowsOf, SCENARIO, snapshot, stats, step, type Page } from './fixtures';

describe('panel webview: layout and event marks', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('sizes the page column from the region\'s last page and the frame column from the machine\'s peak', () => {
    // A million pages: the last is "999,999" (7 characters); a run ending there "999,998–999,999" (15).
    assert.deepEqual(pageColumnChars(1_000_000), { lead: 7, full: 15 });
    // Four pages: "3" is narrower than the column's heading, "page".
    assert.deepEqual(pageColumnChars(4), { lead: 4, full: 4 });
    // Frames are numbered lowest free first, so none exceeds the peak: "#1,000,011" is 10 characters…
    assert.equal(frameColumnChars(1_000_011), 10);
    // …and a small machine still fits "zero page" (9).
    assert.equal(frameColumnChars(5), 9);
  });

  it('hands those sizes to the CSS, per region and per machine', () => {
    const rows: PteRow[] = [{ ...pte(0, 1, { cow: true }), last: 123_455, frameStep: 1 }, pte(123_456, 1_000_001, { writable: true, changed: true })];
    const machine = { ...AFTER_WRITE_FAULT, processes: [{ ...AFTER_WRITE_FAULT.processes[1]!, regions: [region('child', rows, { pages: 1_000_000 })] }], frames: [], framesInUse: 1_000_001 };
    page = render(snapshot({ step: step(4, [machine], { stats: { primary: stats(1_000_001, 1, 1_000_001, { peakFrames: 1_000_011 }), comparison: null } }) }));
    const table = page.document.querySelector<HTMLElement>('[data-process="child"] .region');
    assert.equal(table?.style.getPropertyValue('--page-lead'), '7');
    assert.equal(table?.style.getPropertyValue('--page-full'), '15');
    assert.equal(page.document.querySelector<HTMLElement>('.diagram')?.style.getPropertyValue('--frame-lead'), '10');
  });

  it('keeps a run\'s first page and first frame whole, apart from the rest of its range', () => {
    const rows: PteRow[] = [{ ...pte(0, 1, { cow: true }), last: 123_455, frameStep: 1 }, pte(123_456, 123_457, { cow: true })];
    const machine = { ...AFTER_WRITE_FAULT, processes: [{ ...AFTER_WRITE_FAULT.processes[0]!, regions: [region('parent', rows, { pages: 1_000_000 })] }], frames: [] };
    page = render(snapshot({ step: step(4, [machine]) }));
    const [run, single] = rowsOf(page, 'parent');
    const parts = (row: HTMLElement | undefined, cell: string) => [...(row?.querySelector(`.cell.${cell}`)?.children ?? [])].filter((c) => c.matches('.lead, .rest')).map((c) => [c.className, c.textContent]);
    assert.deepEqual(parts(run, 'page'), [['lead', '0'], ['rest', '–123,455']]);
    assert.deepEqual(parts(run, 'frame'), [['lead', '#1'], ['rest', '–#123,456']]);
    // A single frame has no rest to shorten: its cell holds the text alone, no lead element.
    assert.deepEqual(parts(single, 'frame'), []);
    assert.equal(single?.querySelector('.cell.frame')?.textContent, '#123,457');
    // The cell still reads as one text (tests, screen readers, the tooltip).
    assert.equal(run?.querySelector('.cell.frame')?.textContent, '#1–#123,456');
  });

  it('marks forks, copies and checkpoints under the scrubber, saying what each is', () => {
    const steps = SCENARIO.steps.map((s, i) => (i === 5 ? { ...s, checkpoint: 'after the write' } : s));
    assert.deepEqual(eventMarks(steps).map((m) => [m.step, m.kind, m.text]), [
      [3, 'fork', 'Step 4 · fork · line 12'],
      [4, 'write-fault', 'Step 5 · write fault · page copied · line 14'],
      [5, 'checkpoint', 'Step 6 · checkpoint “after the write” · line 15'],
    ]);
    page = render(snapshot({ scenario: { ...SCENARIO, steps } }));
    const marks = [...page.document.querySelectorAll<HTMLButtonElement>('.marks .mark')];
    assert.deepEqual(marks.map((m) => m.getAttribute('aria-label')), eventMarks(steps).map((m) => m.text));
    assert.deepEqual(marks.map((m) => m.style.left), ['60%', '80%', '100%']);
    const tip = page.document.querySelector<HTMLElement>('.mark-tip');
    assert.equal(tip?.hidden, true);
    marks[0]?.dispatchEvent(new page.window.MouseEvent('mouseenter'));
    assert.deepEqual([tip?.hidden, tip?.textContent], [false, 'Step 4 · fork · line 12']);
    marks[0]?.dispatchEvent(new page.window.MouseEvent('mouseleave'));
    assert.equal(tip?.hidden, true);
    marks[0]?.click();
    assert.deepEqual(page.posted, [{ type: 'goTo', position: 3 }]);
  });

  it('walks the marks with the keyboard: one tab stop, arrows move, focus shows what each is', () => {
    page = render(snapshot());
    const marks = [...page.document.querySelectorAll<HTMLButtonElement>('.marks .mark')];
    // The panel is at step 5: the tab stop is the last mark at or before it (the write fault).
    assert.deepEqual(marks.map((m) => m.tabIndex), [-1, 0]);
    marks[1]?.focus();
    const tip = page.document.querySelector<HTMLElement>('.mark-tip');
    assert.equal(tip?.textContent, 'Step 5 · write fault · page copied · line 14');
    marks[1]?.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
    assert.equal(page.document.activeElement, marks[0]);
    assert.deepEqual(marks.map((m) => m.tabIndex), [0, -1]);
    assert.equal(tip?.textContent, 'Step 4 · fork · line 12');
    marks[0]?.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
    // Walking the marks never steps the panel (← → step it everywhere else).
    assert.deepEqual(page.posted, []);
  });
});
