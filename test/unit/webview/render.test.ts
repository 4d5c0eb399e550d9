// The panel's front end under jsdom: hand-worked states in, the tables, flags, frames,
// highlights and words a learner reads out.
import * as assert from 'node:assert/strict';
import { AFTER_WRITE_FAULT, flagsOf, pte, region, render, rowsOf, SCENARIO, snapshot, step, type Page } from './fixtures';

describe('panel webview: rendering a step', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('draws one page table per process with page, flags and frame for each entry', () => {
    page = render(snapshot());
    const parent = rowsOf(page, 'parent');
    const child = rowsOf(page, 'child');
    assert.equal(parent.length, 4);
    assert.equal(child.length, 4);
    const frameText = (r: HTMLElement) => r.querySelector('.cell.frame')?.textContent;
    assert.deepEqual(parent.map(frameText), ['#1', '#2', '#3', '#4']);
    assert.deepEqual(child.map(frameText), ['#1', '#5', '#3', '#4']);
    // After the fork every entry is present and write-protected: P and CoW set, W clear…
    assert.deepEqual(flagsOf(parent[1] as HTMLElement), ['P', 'CoW']);
    // …except the child's copy, which is present and writable.
    assert.deepEqual(flagsOf(child[1] as HTMLElement), ['P', 'W']);
    assert.match(child[1]?.title ?? '', /^page 1: present, writable, frame #5 \(changed by this step\)$/);
    assert.match(parent[1]?.title ?? '', /copy-on-write.*do_wp_page/);
  });

  it('highlights exactly what the step changed: the child\'s entry and the copied frame', () => {
    page = render(snapshot());
    const changedRows = [...page.document.querySelectorAll<HTMLElement>('.pte-row.changed')];
    assert.equal(changedRows.length, 1);
    assert.equal(changedRows[0]?.closest('[data-process]')?.getAttribute('data-process'), 'child');
    assert.equal(changedRows[0]?.dataset.row, '1');
    const changedFrames = [...page.document.querySelectorAll<HTMLElement>('.frame-box.changed')];
    assert.deepEqual(changedFrames.map((f) => f.dataset.frame), ['5']);
    assert.ok(changedFrames[0]?.classList.contains('change-copied'));
    assert.equal(changedFrames[0]?.querySelector('.frame-badge')?.textContent, 'copy of #2');
  });

  it('lists the frames with value, map count and one owner stripe per process mapping them', () => {
    page = render(snapshot());
    const boxes = [...page.document.querySelectorAll<HTMLElement>('.frame-box[data-frame]')];
    assert.deepEqual(boxes.map((b) => b.dataset.frame), ['1', '2', '3', '4', '5']);
    assert.deepEqual(boxes.map((b) => b.querySelector('.frame-count')?.textContent), ['×2', '×1', '×2', '×2', '×1']);
    assert.deepEqual(boxes.map((b) => b.querySelector('.frame-value')?.textContent), ['"original"', '"original"', '"original"', '"original"', '"mine"']);
    const owners = (b: HTMLElement) => [...b.querySelectorAll('.owner')].map((o) => o.getAttribute('title'));
    assert.deepEqual(owners(boxes[0] as HTMLElement), ['parent', 'child']);
    assert.deepEqual(owners(boxes[1] as HTMLElement), ['parent']);
    assert.deepEqual(owners(boxes[4] as HTMLElement), ['child']);
    // Colours follow the process: the child's stripe has the child's colour class.
    assert.ok(boxes[4]?.querySelector('.owner')?.classList.contains('owner-1'));
    assert.match(page.document.querySelector('.frames-summary')?.textContent ?? '', /^5 frames in use$/);
  });

  it('shows the statement, its kind and the explanation naming the kernel function', () => {
    page = render(snapshot());
    assert.equal(page.document.querySelector('.statement')?.textContent, 'child: write heap[1] "mine"');
    assert.equal(page.document.querySelector('.line-link')?.textContent, 'line 14');
    assert.equal(page.document.querySelector('.step-card .kind')?.textContent, 'write fault · page copied');
    assert.match(page.document.querySelector('.explanation')?.textContent ?? '', /do_wp_page → wp_page_copy/);
  });

  it('narrates the step in a polite live region', () => {
    page = render(snapshot());
    const live = page.document.querySelector<HTMLElement>('[data-narration]');
    assert.equal(live?.getAttribute('aria-live'), 'polite');
    assert.equal(live?.getAttribute('aria-atomic'), 'true');
    assert.match(live?.textContent ?? '', /^Step 5 of 6, line 14: .*Frames in use 4 → 5/);
  });

  it('compares copy-on-write with a full copy, marking the cheaper side', () => {
    page = render(snapshot());
    const row = (label: string) => page.document.querySelector(`.stats tr[data-metric="${label}"]`);
    const cells = (label: string) => [...(row(label)?.querySelectorAll('td') ?? [])].map((c) => c.textContent);
    assert.deepEqual(cells('Frames in use'), ['5', '8']);
    assert.deepEqual(cells('Pages copied'), ['1', '4']);
    assert.deepEqual(cells('Bytes copied'), ['4 KiB', '16 KiB']);
    assert.deepEqual(cells('Page faults'), ['5', '4']);
    assert.ok(row('Bytes copied')?.querySelector('td.cow')?.classList.contains('better'));
    assert.ok(row('Page faults')?.querySelector('td.eager')?.classList.contains('better'));
    assert.equal(page.document.querySelectorAll('.chart .series').length, 6, 'three charts (frames, bytes copied, time), a line for each policy');
    // The time row and who pays come from the host as text (fixtures.ts), shown as they are.
    assert.equal(page.document.querySelector('.time-row')?.textContent, 'Time (estimate): copy-on-write 0.60 ms at fork + 5 faults 0.18 ms ≈ 0.78 ms; full copy 0.61 ms at fork + 4 faults 0.14 ms ≈ 0.75 ms');
    assert.equal(page.document.querySelector('.time-row')?.getAttribute('title'), "Cost model: CoW Lab's defaults");
    assert.equal(page.document.querySelector('.who-pays')?.textContent, 'child pays 0.04 ms now: 1 page fault, 1 of them copying a page.');
    assert.deepEqual(cells('Estimated time'), ['0 ms', '0 ms']);
  });

  it('shows a collapsed run as one row and the zero page as its own frame', () => {
    const rows = [
      pte(0, 'zero', { present: true }),
      { ...pte(1, null), last: 999_999 },
    ];
    const machine = { ...AFTER_WRITE_FAULT, processes: [{ ...AFTER_WRITE_FAULT.processes[0]!, regions: [region('parent', rows, { pages: 1_000_000 })] }], frames: [], zeroPageMapped: true };
    page = render(snapshot({ step: step(4, [machine]) }));
    const shown = rowsOf(page, 'parent');
    assert.deepEqual(shown.map((r) => r.querySelector('.cell.page')?.textContent), ['0', '1–999,999']);
    assert.deepEqual(flagsOf(shown[0] as HTMLElement), ['P', 'Z']);
    assert.equal(shown[1]?.querySelector('.cell.frame')?.textContent, '—');
    assert.ok(page.document.querySelector('.frame-box.zero'));
    assert.match(page.document.querySelector('.region-size')?.textContent ?? '', /1,000,000 pages · private · 2 rows/);
  });

  it('writes page values as text, never as markup', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const machine = { ...AFTER_WRITE_FAULT, frames: AFTER_WRITE_FAULT.frames.map((f) => ({ ...f, value: evil })) };
    page = render(snapshot({ step: step(4, [machine], { statement: evil, explanation: evil }) }));
    assert.equal(page.document.querySelectorAll('img').length, 0);
    assert.equal(page.document.querySelector('.frame-value')?.textContent, `"${evil}"`);
  });

  it('shows the problems of a scenario that does not run, and the last good run under them', () => {
    page = render(snapshot({ problems: { fileName: '02-write-fault.cow', showingLastGood: true, problems: [{ line: 4, col: 7, severity: 'error', message: "unknown region 'haep' — did you mean 'heap'?" }] } }));
    const banner = page.document.querySelector<HTMLElement>('.problems');
    assert.equal(banner?.hidden, false);
    assert.match(banner?.textContent ?? '', /1 error: showing the last run that worked/);
    assert.match(banner?.textContent ?? '', /line 4:7 error: unknown region 'haep'/);
    assert.equal(rowsOf(page, 'child').length, 4, 'the last good state is still drawn');
  });

  it('invites the learner to run a scenario when there is none', () => {
    page = render({ document: null, scenario: null, step: null, problems: null, compare: false });
    const empty = page.document.querySelector<HTMLElement>('.empty');
    assert.equal(empty?.hidden, false);
    assert.match(empty?.textContent ?? '', /CoW Lab: Run Scenario/);
    assert.equal(page.document.querySelectorAll('.pte-row[data-row]').length, 0);
  });
});

describe('panel webview: the time chart follows the cost model', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('redraws the estimated-time chart when the host re-sends the same run priced with another model', () => {
    page = render(snapshot());
    const timeChart = (): string => {
      const chart = [...page.document.querySelectorAll('.chart')].find((c) => /^Estimated time/.test(c.getAttribute('aria-label') ?? ''));
      return [...(chart?.querySelectorAll('.series') ?? [])].map((s) => s.getAttribute('points') ?? '').join(' | ');
    };
    const before = timeChart();
    // A step message alone (same run, same figures) leaves the chart as it is.
    page.app.receive({ type: 'step', step: step(3, snapshot().step?.machines ?? []) });
    assert.equal(timeChart(), before);
    // The same run (same runId) priced with a model whose faults cost ten times as much: the host
    // sends a new snapshot (controller.ts, onCostModelChange) and the lines must move. In the
    // fixture copy-on-write ends at 5 × 0.1 ms = 0.5 ms, under the full copy's 5 × 0.12 = 0.6 ms;
    // ten times dearer it ends at 5 ms, so its line now reaches the top of the chart.
    const s = SCENARIO;
    const repriced = { ...s, series: { primary: s.series.primary.map((p) => ({ ...p, timeNs: p.timeNs * 10 })), comparison: s.series.comparison } };
    page.app.receive({ type: 'snapshot', snapshot: snapshot({ scenario: repriced }) });
    const after = timeChart();
    assert.notEqual(after, before);
    const tops = (points: string): number[] => points.split(' | ').map((line) => Math.min(...line.split(' ').map((xy) => Number(xy.split(',')[1]))));
    // Before, the full copy's line (drawn first) reached highest; after, copy-on-write's does.
    const [eagerBefore, cowBefore] = tops(before);
    const [eagerAfter, cowAfter] = tops(after);
    assert.ok((eagerBefore as number) < (cowBefore as number), `before: ${before}`);
    assert.ok((cowAfter as number) < (eagerAfter as number), `after: ${after}`);
  });
});

describe('panel webview: the memory N line', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('shows the host’s memory line under the time row, and nothing without one', () => {
    const line = 'Memory: 8 of 12 frames in use (peak 12), no swap · OOM killer: saver killed (9 points).';
    page = render(snapshot({ step: step(4, snapshot().step?.machines ?? [], { memoryLimit: line, kind: 'oom-kill' }) }));
    const shown = page.document.querySelector<HTMLElement>('.memory-limit');
    assert.equal(shown?.textContent, line);
    assert.equal(shown?.hidden, false);
    assert.equal(page.document.querySelector('.step-card .kind')?.textContent, 'out of memory · OOM kill');
    page.close();
    page = render(snapshot());
    assert.equal(page.document.querySelector<HTMLElement>('.memory-limit')?.hidden, true);
  });
});
