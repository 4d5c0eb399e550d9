// The memory section and the cost table's three memory rows, under jsdom, from a hand-worked state:
// samples/02-write-fault.cow after `child: write heap[1] "mine"` (see fixtures.ts). The parent maps
// frames 1–4, the child 1, 5, 3, 4. Frames 1, 3, 4 are mapped twice, 2 and 5 once. So each has
// RES 4 pages, PSS 1 + 3 × 1/2 = 2.5 pages, USS 1 page; RES adds up to 8 pages, 5 frames in use.
// A full copy: 8 private frames, RES = PSS = USS = 4 pages each.
import * as assert from 'node:assert/strict';
import type { MemoryPanelView } from '../../../src/protocol/messages';
import { render, snapshot, step, AFTER_WRITE_FAULT, type Page } from './fixtures';

const COW: MemoryPanelView = {
  processes: [
    { name: 'parent', colour: 0, rss: 4, pss: 2.5, pssText: '2.5', uss: 1, borrowsFrom: null, why: 'RES counts the 3 frames it shares with child in full; PSS gives it half of each; USS counts only the 1 mapped by parent alone.' },
    { name: 'child', colour: 1, rss: 4, pss: 2.5, pssText: '2.5', uss: 1, borrowsFrom: null, why: 'RES counts the 3 frames it shares with parent in full; PSS gives it half of each; USS counts only the 1 mapped by child alone.' },
  ],
  rssSum: 8,
  pssSum: 5,
  ussSum: 2,
  frames: 5,
  shmemFrames: 0,
  summary: 'Adding up RES gives 8 pages (32 KiB), but only 5 pages (20 KiB) of frames are in use.',
};
const EAGER: MemoryPanelView = {
  processes: COW.processes.map((p) => ({ ...p, rss: 4, pss: 4, pssText: '4', uss: 4, why: 'All 4 frames are mapped alone.' })),
  rssSum: 8,
  pssSum: 8,
  ussSum: 8,
  frames: 8,
  shmemFrames: 0,
  summary: 'Adding up RES gives 8 pages (32 KiB), exactly the 8 frames in use.',
};

describe('panel webview: memory as top and smem see it', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('shows RES, PSS and USS per process with a bar each, the reason, and RES added up beside the frames in use', () => {
    page = render(snapshot({ step: step(4, [AFTER_WRITE_FAULT], { memory: { primary: COW, comparison: EAGER } }) }));
    const section = page.document.querySelector<HTMLElement>('.memory-section');
    assert.ok(section && !section.hidden);
    const cells = (p: string) => [...section.querySelectorAll<HTMLElement>(`tr[data-process="${p}"] td`)].map((td) => `${td.dataset.figure}=${td.querySelector('.value')?.textContent}`);
    assert.deepEqual(cells('parent'), ['rss=4 pages · 16 KiB', 'pss=2.5 pages · 10 KiB', 'uss=1 page · 4 KiB']);
    assert.deepEqual(cells('child'), ['rss=4 pages · 16 KiB', 'pss=2.5 pages · 10 KiB', 'uss=1 page · 4 KiB']);
    // Bars are scaled to the largest of the frames in use and any RES (5 here): 4/5, 2.5/5, 1/5.
    const widths = [...section.querySelectorAll('tr[data-process="parent"] .bar .fill')].map((r) => r.getAttribute('width'));
    assert.deepEqual(widths, ['80.00', '50.00', '20.00']);
    assert.match(section.querySelector('.why')?.textContent ?? '', /^RES counts the 3 frames it shares with child in full; PSS gives it half of each/);
    assert.equal(section.querySelector('[data-total="rss"]')?.textContent, '8 pages · 32 KiB');
    assert.equal(section.querySelector('[data-total="frames"]')?.textContent, '5 pages · 20 KiB');
    assert.match(section.querySelector('.memory-summary')?.textContent ?? '', /only 5 pages/);
  });

  it('writes the next step\'s figures into the same rows when the processes are the same, and builds them again when not', () => {
    page = render(snapshot({ step: step(4, [AFTER_WRITE_FAULT], { memory: { primary: COW, comparison: EAGER } }) }));
    const section = page.document.querySelector<HTMLElement>('.memory-section') as HTMLElement;
    const before = [...section.querySelectorAll('tbody *')];
    // The full copy's figures for the same two processes: 4 pages each; bars scaled to the 8 frames in use, 4/8.
    page.app.receive({ type: 'step', step: step(5, [AFTER_WRITE_FAULT], { memory: { primary: EAGER, comparison: COW } }) });
    const after = [...section.querySelectorAll('tbody *')];
    assert.equal(after.length, before.length);
    assert.ok(after.every((el, i) => el === before[i]), 'the rows and cells are the same elements');
    const cells = [...section.querySelectorAll<HTMLElement>('tr[data-process="child"] td')];
    assert.deepEqual(cells.map((td) => td.querySelector('.value')?.textContent), ['4 pages · 16 KiB', '4 pages · 16 KiB', '4 pages · 16 KiB']);
    assert.deepEqual(cells.map((td) => td.getAttribute('aria-label')), ['RES 4 pages · 16 KiB', 'PSS 4 pages · 16 KiB', 'USS 4 pages · 16 KiB']);
    assert.deepEqual([...section.querySelectorAll('tr[data-process="child"] .bar .fill')].map((r) => r.getAttribute('width')), ['50.00', '50.00', '50.00']);
    assert.equal(section.querySelector('.why')?.textContent, 'All 4 frames are mapped alone.');
    assert.equal(section.querySelector('[data-total="frames"]')?.textContent, '8 pages · 32 KiB');
    // The child exited: one process left, its rows built again.
    page.app.receive({ type: 'step', step: step(6, [AFTER_WRITE_FAULT], { memory: { primary: { ...EAGER, processes: EAGER.processes.slice(0, 1) }, comparison: COW } }) });
    assert.deepEqual([...section.querySelectorAll<HTMLElement>('tr[data-process]')].map((tr) => tr.dataset.process), ['parent']);
    assert.ok(!before.includes(section.querySelector('tr[data-process="parent"]') as Element));
  });

  it('adds RES, PSS and USS added up to the cost table, copy-on-write against a full copy', () => {
    page = render(snapshot({ step: step(4, [AFTER_WRITE_FAULT], { memory: { primary: COW, comparison: EAGER } }) }));
    const row = (label: string) => [...page.document.querySelectorAll<HTMLElement>(`.stats tr[data-metric="${label}"] td`)].map((td) => td.textContent);
    assert.deepEqual(row('RES added up (top)'), ['32 KiB', '32 KiB']);
    assert.deepEqual(row('PSS added up (smem)'), ['20 KiB', '32 KiB']);
    assert.deepEqual(row('USS added up (private)'), ['8 KiB', '32 KiB']);
  });

  it('stays hidden for a step from a host that sends no memory figures', () => {
    page = render(snapshot());
    assert.equal(page.document.querySelector<HTMLElement>('.memory-section')?.hidden, true);
    assert.deepEqual([...page.document.querySelectorAll<HTMLElement>('.stats tr[data-metric="RES added up (top)"] td')].map((td) => td.textContent), ['—', '—']);
  });
});
