// The webview's words for references that are not mappings, on hand-worked states of
// samples/21-vmsplice-today.cow (see its header): after `parent: write heap[0] "secret v2"` the
// parent maps frame 2, a fresh copy marked exclusive; frame 1 is mapped by nobody and held by
// pipe `leak` alone (1 reference), which reads "secret v1". Under Linux 4.19
// (samples/20-vmsplice-kernel-4-19.cow) the write reused frame 1: mapped once, 2 references
// (the parent's mapping and the pipe's), and the pipe reads "secret v2".
import * as assert from 'node:assert/strict';
import type { MachinePanel } from '../../../src/protocol/messages';
import { flagsOf, pte, region, render, rowsOf, snapshot, step, type Page } from './fixtures';

function machine(rows: ReturnType<typeof pte>[], frames: MachinePanel['frames'], pipe: { frame: number; value: string }): MachinePanel {
  return {
    key: 'primary',
    policy: 'cow',
    processes: [{ name: 'parent', pid: 1, status: 'running', parent: null, borrowsFrom: null, colour: 0, isNew: false, regions: [region('parent', rows, { pages: 1 })] }],
    frames,
    spans: [],
    zeroPageMapped: false,
    framesInUse: frames.length,
    framesComplete: true,
    exited: ['child'],
    pipes: [{ name: 'leak', pages: [pipe] }],
  };
}

const TODAY = machine(
  [pte(0, 2, { writable: true, exclusive: true, anonExclusive: true, changed: true })],
  [
    { frame: 1, mapCount: 0, refCount: 1, pipes: ['leak'], value: 'secret v1', shmem: false, owners: [], change: null, copiedFrom: null },
    { frame: 2, mapCount: 1, value: 'secret v2', shmem: false, owners: ['parent'], change: 'copied', copiedFrom: 1 },
  ],
  { frame: 1, value: 'secret v1' },
);

const LINUX_4_19 = machine(
  [pte(0, 1, { writable: true, exclusive: true })],
  [{ frame: 1, mapCount: 1, refCount: 2, pipes: ['leak'], value: 'secret v2', shmem: false, owners: ['parent'], change: 'reused', copiedFrom: null }],
  { frame: 1, value: 'secret v2' },
);

describe('panel webview: references, pipes and the exclusive mark', () => {
  let page: Page;
  afterEach(() => page?.close());

  it('shows the exclusive mark as flag X, and says so in the entry\'s words', () => {
    page = render(snapshot({ step: step(4, [TODAY]) }));
    const parent = rowsOf(page, 'parent')[0] as HTMLElement;
    assert.deepEqual(flagsOf(parent), ['P', 'W', 'X']);
    assert.match(parent.title, /marked exclusive \(PageAnonExclusive\)/);
  });

  it('shows the reference count beside the map count when something other than a mapping holds the frame', () => {
    page = render(snapshot({ step: step(4, [TODAY]) }));
    const held = page.document.querySelector<HTMLElement>('[data-frame="1"]');
    assert.equal(held?.querySelector('.frame-count')?.textContent, '×0');
    assert.equal(held?.querySelector('.frame-refs')?.textContent, '1 ref');
    assert.match(held?.title ?? '', /mapped by 0 entries; 1 reference \(0 mappings, 1 page in pipe leak\)/);
    // Frame 2 has its mapping only: no second count.
    assert.equal(page.document.querySelector('[data-frame="2"] .frame-refs'), null);
  });

  it('lists each pipe with the frames it holds and what reading it gives now', () => {
    page = render(snapshot({ step: step(4, [TODAY]) }));
    assert.equal(page.document.querySelector('[data-pipe="leak"]')?.textContent, 'leak: #1 "secret v1"');
    page.close();
    page = render(snapshot({ step: step(4, [LINUX_4_19]) }));
    assert.equal(page.document.querySelector('[data-pipe="leak"]')?.textContent, 'leak: #1 "secret v2"');
    assert.equal(page.document.querySelector('[data-frame="1"] .frame-refs')?.textContent, '2 refs');
    assert.deepEqual(flagsOf(rowsOf(page, 'parent')[0] as HTMLElement), ['P', 'W']);
  });

  it('hides the pipes section when there are no pipes', () => {
    page = render(snapshot());
    const section = page.document.querySelector<HTMLElement>('section.pipes');
    assert.equal(section?.hidden, true);
  });
});
