// What a step builds before the browser paints it, and what the frame column says where its boxes
// overlap: hand-worked states under jsdom.
import * as assert from 'node:assert/strict';
import type { FrameInfo, FrameSpan, MachinePanel } from '../../../src/protocol/messages';
import { MachineData } from '../../../webview/machineData';
import { AFTER_WRITE_FAULT, pte, region, render, snapshot, step, type Page } from './fixtures';

function frame(n: number, owners: string[]): FrameInfo {
  return { frame: n, mapCount: owners.length, value: 'v1', shmem: false, owners, change: null, copiedFrom: null };
}

function span(first: number, last: number, owners: string[]): FrameSpan {
  return { first, last, step: 1, count: last - first + 1, owners, changed: false };
}

describe('panel webview: rows in view first, the overscan after the paint', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('a step builds the 16 rows in view; the 6 rows kept ready below them come after a frame', async () => {
    // 100 single-page rows, the change on row 50: the table scrolls to rows 48..63 (two rows of
    // context above the change; 16 rows in view). The overscan is 6 rows each side: 42..69.
    const rows = Array.from({ length: 100 }, (_, i) => pte(i, i + 1, { changed: i === 50 }));
    const machine: MachinePanel = { ...AFTER_WRITE_FAULT, processes: [{ ...(AFTER_WRITE_FAULT.processes[0] as MachinePanel['processes'][number]), regions: [region('parent', rows, { pages: 100 })] }] };
    page = render(snapshot({ step: step(4, [machine]) }));
    const rendered = () => [...page.document.querySelectorAll<HTMLElement>('[data-process="parent"] .pte-row[data-row]')].map((r) => Number(r.dataset.row));
    const inView = Array.from({ length: 16 }, (_, i) => 48 + i);
    assert.deepEqual(rendered(), inView);
    await page.nextFrame();
    await new Promise((resolve) => page.window.setTimeout(resolve, 5));
    assert.deepEqual(rendered(), Array.from({ length: 28 }, (_, i) => 42 + i));
  });
});

describe('panel webview: frames two boxes show', () => {
  it('a range box counts its frames that another box shows too, each once', () => {
    // After a huge-page split in one process (sample 26): its 4 KiB entries map frames 512..516
    // one by one and 518..1,023 as a run; the other process's PMD entry maps 512..1,023.
    // Range 512–1,023: 512..516 listed alone (5) and 518..1,023 in the other range (506): 511;
    // only 517 is in no other box. Range 518–1,023: all 506 in the first range.
    const panel: MachinePanel = {
      ...AFTER_WRITE_FAULT,
      frames: [512, 513, 514, 515, 516].map((n) => frame(n, ['redis', 'saver'])),
      spans: [span(512, 1023, ['saver']), span(518, 1023, ['redis', 'saver'])],
    };
    const items = new MachineData(panel).frameItems();
    const also = items.flatMap((it) => (it.kind === 'span' ? [[it.span.first, it.alsoListed]] : []));
    assert.deepEqual(also, [[512, 511], [518, 506]]);
  });

  it('says so on the box and in its words; a range no other box overlaps says nothing more', () => {
    const panel: MachinePanel = { ...AFTER_WRITE_FAULT, frames: [frame(600, ['p'])], spans: [span(512, 1023, ['saver']), span(2048, 2111, ['p'])] };
    const page = render(snapshot({ step: step(4, [panel]) }));
    try {
      const box = page.document.querySelector<HTMLElement>('[data-span-first="512"]');
      assert.equal(box?.querySelector('.also-listed')?.textContent, '1 also listed');
      assert.match(box?.title ?? '', /; 1 of them is also listed in another box, because other page-table entries map it too/);
      const alone = page.document.querySelector<HTMLElement>('[data-span-first="2048"]');
      assert.equal(alone?.querySelector('.also-listed'), null);
      assert.equal(alone?.title, '64 frames mapped by one run of entries');
    } finally {
      page.close();
    }
  });
});
